"""``daftar corrections``: record archivists' fixes and list the rules they have become.

The CLI engineer mounts ``app`` in ``daftar/cli.py``; it also runs alone as
``python -m corrections.cli``.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from corrections.learning import Fix, JsonFixStore, LearnedRules
from pipeline.errors import DaftarError

app = typer.Typer(help="Archivists' OCR fixes and the correction rules learned from them.",
                  no_args_is_help=True)

STORE_HELP = "fixes file (default: $DAFTAR_HOME/corrections/fixes.json)"


@app.command("add")
def add(
    wrong: str = typer.Argument(..., help="text as OCR printed it"),
    right: str = typer.Argument(..., help="what it should read"),
    context: Optional[str] = typer.Option(None, "--context", help="apply only on lines containing this"),
    rule: bool = typer.Option(False, "--rule", help="apply from now on, even seen once"),
    actor: str = typer.Option("cli", "--actor", help="who made the fix"),
    doc_id: Optional[str] = typer.Option(None, "--doc", help="document the fix was made in"),
    store: Optional[Path] = typer.Option(None, "--store", help=STORE_HELP),
) -> None:
    """Record one fix: WRONG should read RIGHT."""
    try:
        JsonFixStore(store).add(Fix(wrong, right, context or None, actor, doc_id, rule=rule))
    except DaftarError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(int(exc.exit_code)) from exc
    typer.echo(f"recorded {wrong!r} -> {right!r}")


@app.command("list")
def list_rules(
    store: Optional[Path] = typer.Option(None, "--store", help=STORE_HELP),
    min_support: int = typer.Option(2, "--min-support", min=1, help="fixes needed to make a rule"),
) -> None:
    """Show the learned rules: wrong, right, support, contexts."""
    try:
        fixes = JsonFixStore(store).fixes()
    except DaftarError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(int(exc.exit_code)) from exc
    rules = LearnedRules.from_fixes(fixes, min_support=min_support).rules
    contexts: dict[tuple[str, str], list[str]] = defaultdict(list)
    support: dict[tuple[str, str], int] = defaultdict(int)
    for learned in rules:
        support[(learned.wrong, learned.right)] += learned.support
        contexts[(learned.wrong, learned.right)].append(learned.context or "(anywhere)")
    table = Table(title=f"{len(rules)} learned rule(s) from {len(fixes)} fix(es)")
    for column in ("wrong", "right", "support", "contexts"):
        table.add_column(column)
    for (wrong, right), count in sorted(support.items(), key=lambda item: -item[1]):
        table.add_row(wrong, right, str(count), ", ".join(contexts[(wrong, right)]))
    Console(width=120).print(table)


if __name__ == "__main__":
    app()
