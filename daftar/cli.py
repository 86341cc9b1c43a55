"""The ``daftar`` command.

Exit codes (stable; scripts may rely on them)::

    0    ok
    1    bad arguments (usage error)
    2    input file unreadable, empty, corrupt, truncated or missing
    3    missing dependency (tesseract or a language pack)
    4    unsupported file type
    5    encrypted PDF (needs a password)
    6    OCR failed (tesseract crashed or timed out)
    7    invalid output (a record failed JSON Schema validation: a Daftar bug)
    8    file too large (decompression bomb, page or pixel limits)
    9    archive error (unreachable, corrupt, refused the write)
    10   partial batch: the batch finished, some files were quarantined
    11   not found in the archive
    12   conflict: someone else saved first
    15   other error
    130  interrupted (Ctrl-C)

Errors are reported as one line on stderr, ``daftar: error [reason]: path: message``; set
``DAFTAR_DEBUG=1`` to get the traceback as well.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Optional

import click
import typer
from rich.console import Console
from rich.table import Table

from pipeline.errors import DaftarError, ExitCode

EXIT_CODE_HELP: dict[ExitCode, str] = {
    ExitCode.ok: "ok",
    ExitCode.bad_args: "bad arguments (usage error)",
    ExitCode.input_file: "input file unreadable, empty, corrupt, truncated or missing",
    ExitCode.missing_dependency: "missing dependency (tesseract or a language pack)",
    ExitCode.unsupported_type: "unsupported file type",
    ExitCode.encrypted_pdf: "encrypted PDF (needs a password)",
    ExitCode.ocr_failed: "OCR failed (tesseract crashed or timed out)",
    ExitCode.invalid_output: "invalid output: a record failed JSON Schema validation (a bug)",
    ExitCode.file_too_large: "file too large (decompression bomb, page or pixel limits)",
    ExitCode.archive_error: "archive unreachable, corrupt or refused the write",
    ExitCode.partial_batch: "batch finished, some files were quarantined",
    ExitCode.not_found: "not found in the archive",
    ExitCode.conflict: "conflict: someone else saved first",
    ExitCode.other_error: "other error",
    ExitCode.child_interrupted: "interrupted (Ctrl-C)",
}

# Commands other packages provide, loaded only when used so `daftar --help` stays fast and a
# missing optional part never breaks the rest. name -> (provider module, one-line help)
EXTENSION_COMMANDS: dict[str, tuple[str, str]] = {
    "corrections": ("corrections.cli", "Learned OCR corrections: add, list."),
    "search": ("archive.cli", "Search the archive."),
    "show": ("archive.cli", "Show an archived document."),
    "links": ("archive.cli", "Documents citing or cited by a document."),
    "export": ("archive.cli", "Export records as JSON."),
    "import-json": ("archive.cli", "Import JSON records into the archive."),
    "serve": ("webapp.cli", "Run the archivists' review app."),
    "user": ("webapp.cli", "Manage review-app users."),
    "train": ("daftar.train", "Retrain the document-structure model (dev + approved records)."),
    "token": ("webapp.cli", "Manage API tokens."),
}

app = typer.Typer(
    name="daftar",
    help="Turn scanned circulars and office memoranda into searchable, validated JSON records.",
    epilog="More commands (loaded on use): "
    + ", ".join(f"{name}" for name in EXTENSION_COMMANDS)
    + ".  Exit codes: `daftar exit-codes`.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
out_console = Console()
err_console = Console(stderr=True)


def _click_exceptions(name: str) -> tuple[type[BaseException], ...]:
    """The exception class ``name`` of click and of the click copy Typer >= 0.20 carries."""
    found: list[type[BaseException]] = [getattr(click.exceptions, name)]
    try:
        from typer._click import exceptions as typer_click
    except ImportError:
        return tuple(found)
    extra = getattr(typer_click, name, None)
    return tuple(found + [extra]) if isinstance(extra, type) else tuple(found)


USAGE_ERRORS = _click_exceptions("ClickException")
ABORTS = _click_exceptions("Abort") + (typer.Abort,)

LanguagesOpt = Annotated[
    str,
    typer.Option("--languages", "-l", envvar="DAFTAR_LANGUAGES",
                 help="Tesseract languages, e.g. eng or eng+urd."),
]
WorkersOpt = Annotated[
    Optional[int],
    typer.Option("--workers", "-w", min=1, envvar="DAFTAR_WORKERS",
                 help="Pages OCR'd in parallel (default: number of cores)."),
]


# --- commands ------------------------------------------------------------------------------


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders to import.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for JSON records and reports.")],
    archive: Annotated[Optional[str], typer.Option(help="Archive location (default: DAFTAR_HOME).")] = None,
    languages: LanguagesOpt = "eng",
    workers: WorkersOpt = None,
    batch: Annotated[Optional[str], typer.Option(help="Batch name recorded with each document.")] = None,
    no_archive: Annotated[bool, typer.Option("--no-archive", help="Write JSON records only.")] = False,
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="Skip searchable PDFs (faster OCR).")] = False,
) -> int:
    """Import a batch of scans, PDFs and text files (a Prefect flow; resumable).

    Exits 0 when every file went in, 10 when some were quarantined (see quarantine.json).
    """
    with prefect_server() as server:
        from flows.ingest import default_batch_name, warm_up
        from flows.ingest import ingest as ingest_flow
        from flows.progress import listening

        warm_up.fn()  # the corrector's data loads while the server boots
        server.wait_ready()
        with server.client_settings(), BatchProgress(err_console) as bar, listening(bar.on_event):
            summary = ingest_flow(
                paths=[str(p) for p in paths], out_dir=str(out), archive=archive,
                languages=languages, workers=workers, batch=batch or default_batch_name(),
                use_archive=not no_archive, searchable_pdf=not no_pdf,
            )
    out_console.print(summary_table(summary))
    if not summary.archived and not no_archive:
        err_console.print("daftar: note: the archive is not available; wrote JSON records only")
    if summary.quarantined:
        out_console.print(quarantine_table(summary.quarantined))
    return int(summary.exit_code)


@app.command()
def ocr(
    file: Annotated[Path, typer.Argument(help="A scan (PNG, JPEG, TIFF), PDF or .txt file.")],
    languages: LanguagesOpt = "eng",
    workers: WorkersOpt = None,
    password: Annotated[Optional[str], typer.Option(help="Password of an encrypted PDF.")] = None,
) -> int:
    """OCR one file without Prefect and print its records as a JSON array on stdout."""
    _print_records(file, languages, workers, password, fields_only=False)
    return 0


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="A scan (PNG, JPEG, TIFF), PDF or .txt file.")],
    languages: LanguagesOpt = "eng",
    workers: WorkersOpt = None,
    password: Annotated[Optional[str], typer.Option(help="Password of an encrypted PDF.")] = None,
    fields_only: Annotated[bool, typer.Option("--fields-only", help="Print id, fields and evidence only.")] = False,
) -> int:
    """Extract the fields of every document in one file; prints a JSON array of records."""
    _print_records(file, languages, workers, password, fields_only=fields_only)
    return 0


@app.command()
def recorrect(
    doc_ids: Annotated[Optional[list[str]], typer.Argument(help="Documents (default: all).")] = None,
    archive: Annotated[Optional[str], typer.Option(help="Archive location (default: DAFTAR_HOME).")] = None,
    batch: Annotated[Optional[str], typer.Option(help="Only the documents of this batch.")] = None,
    no_rules: Annotated[bool, typer.Option("--no-rules", help="Ignore learned corrections.")] = False,
) -> int:
    """Re-run correction and extraction on archived documents (no re-OCR); new versions."""
    with prefect_server() as server:
        from flows.recorrect import recorrect as recorrect_flow

        server.wait_ready()
        result = recorrect_flow(archive=archive, doc_ids=doc_ids or None, batch=batch,
                                use_rules=not no_rules)
    table = Table("documents", *result["by_status"], "failed", title="Re-corrected")
    table.add_row(str(result["documents"]), *map(str, result["by_status"].values()),
                  str(len(result["failed"])))
    out_console.print(table)
    if result["failed"]:
        out_console.print(quarantine_table(result["failed"]))
        return int(ExitCode.partial_batch)
    return int(ExitCode.ok)


@contextmanager
def prefect_server() -> Iterator[Any]:
    """Prefect set up for one command: environment defaults, then a temporary server
    (unless PREFECT_API_URL names one) that boots while the command imports and prepares.
    Call ``wait_ready()`` on what it yields before the first flow call; the server stops
    when the block ends. See flows/prefect_server.py."""
    prepare_prefect()
    from flows.prefect_server import TemporaryPrefectServer

    with TemporaryPrefectServer() as server:
        yield server


def prepare_prefect() -> None:
    """Environment defaults for running flows from the CLI (the user's settings win)."""
    # Prefect would log each quarantined file as a failed task run: the tables say it better.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # offline offices
    # The first run creates Prefect's database; on a busy two-core machine that takes longer
    # than Prefect's 30 s default for the temporary server to come up.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


@app.command("exit-codes")
def exit_codes() -> int:
    """List the exit codes of the daftar command."""
    table = Table("code", "name", "meaning", title="daftar exit codes")
    for code, meaning in EXIT_CODE_HELP.items():
        table.add_row(str(int(code)), code.name, meaning)
    out_console.print(table)
    return 0


def _print_records(
    file: Path, languages: str, workers: int | None, password: str | None, *, fields_only: bool
) -> None:
    from pipeline.api import process_file, record_dict
    from pipeline.config import OcrOptions, default_workers

    records = process_file(file, OcrOptions(languages=languages),
                           workers=workers or default_workers(), password=password)
    data = [record_dict(r) for r in records]
    if fields_only:
        data = [{"id": d["id"], "fields": d["fields"], "evidence": d["evidence"]} for d in data]
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


# --- progress and tables -------------------------------------------------------------------


class BatchProgress:
    """A rich progress bar fed by the flow's progress events (pages done / pages found)."""

    def __init__(self, console: Console) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        # Two redraws a second are plenty for a batch that runs for minutes (rich's default
        # ten cost ~2% of a core); a console that is no terminal (a log file) gets none.
        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("pages"), TimeElapsedColumn(), console=console, transient=False,
            refresh_per_second=2, auto_refresh=console.is_terminal,
        )
        self._pages = self._progress.add_task("OCR", total=None)
        self._files = {"total": 0, "done": 0, "failed": 0}

    def __enter__(self) -> "BatchProgress":
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def on_event(self, event: str, amount: int) -> None:
        if event == "pages-found":
            task = self._progress.tasks[0]
            self._progress.update(self._pages, total=(task.total or 0) + amount)
        elif event == "page-done":
            self._progress.advance(self._pages, amount)
        else:
            key = {"files": "total", "file-done": "done", "file-failed": "failed"}.get(event)
            if key:
                self._files[key] += amount
        f = self._files
        self._progress.update(
            self._pages,
            description=f"files {f['done'] + f['failed']}/{f['total']} ({f['failed']} quarantined)",
        )


# --- tables --------------------------------------------------------------------------------


def summary_table(summary: Any) -> Table:
    """Counts and rates of a finished batch (an ``IngestSummary``), one row per figure."""
    table = Table("", "", title=f"Batch {summary.batch}", show_header=False)
    confidence = "n/a" if summary.mean_confidence is None else f"{summary.mean_confidence:.1f}"
    for name, value in (
        ("files", summary.files), ("processed", summary.processed),
        ("skipped (already done)", summary.skipped), ("quarantined", len(summary.quarantined)),
        ("documents", summary.documents), ("pages", summary.pages),
        ("pages/min", f"{summary.pages_per_minute:.1f}"), ("mean confidence", confidence),
        ("output", summary.out_dir),
    ):
        table.add_row(name, str(value))
    return table


def quarantine_table(entries: Sequence[dict]) -> Table:
    table = Table(title="Quarantined files")
    table.add_column("file", overflow="fold")
    table.add_column("reason", no_wrap=True)
    table.add_column("exit", justify="right")
    table.add_column("message", overflow="fold")
    for entry in entries:
        table.add_row(str(entry["path"]), str(entry["reason"]), str(entry["exit_code"]),
                      str(entry["message"]))
    return table


# --- entry point ---------------------------------------------------------------------------


def load_extensions(argv: Sequence[str]) -> None:
    """Mount the commands other packages provide: only those ``argv`` asks for.

    ``daftar --help`` and the built-in commands load nothing; an unknown command loads every
    provider (it may be one of theirs). A provider that is missing or broken is skipped.
    """
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    builtin = {c.name or c.callback.__name__ for c in app.registered_commands if c.callback}
    if command is None or command in builtin:
        return
    wanted = EXTENSION_COMMANDS.get(command)
    providers = [wanted[0]] if wanted else sorted({m for m, _ in EXTENSION_COMMANDS.values()})
    for module in providers:
        _mount(module)


_mounted: set[str] = set()


def _mount(module_name: str) -> None:
    if module_name in _mounted:
        return
    _mounted.add(module_name)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        if os.environ.get("DAFTAR_DEBUG"):
            err_console.print(f"daftar: {module_name} not available: {exc}")
        return
    if module_name == "corrections.cli" and hasattr(module, "app"):
        app.add_typer(module.app, name="corrections", help=EXTENSION_COMMANDS["corrections"][1])
    elif callable(getattr(module, "register", None)):
        module.register(app)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (console script: ``daftar``)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"  # every tesseract this process starts
    args = list(sys.argv[1:] if argv is None else argv)
    load_extensions(args)
    try:
        result = app(args=args, prog_name="daftar", standalone_mode=False)
    except ABORTS:
        err_console.print("daftar: interrupted")
        return int(ExitCode.child_interrupted)
    except USAGE_ERRORS as exc:  # usage errors, bad option values
        exc.show(file=sys.stderr)  # type: ignore[attr-defined]
        return int(ExitCode.bad_args)
    except KeyboardInterrupt:
        err_console.print("daftar: interrupted")
        return int(ExitCode.child_interrupted)
    except DaftarError as exc:
        _report(f"error [{exc.reason}]: {exc}")
        return int(exc.exit_code)
    except Exception as exc:  # a bug: still one clear line, traceback on request
        _report(f"internal error: {type(exc).__name__}: {exc}")
        return int(ExitCode.other_error)
    return result if isinstance(result, int) else int(ExitCode.ok)


def _report(message: str) -> None:
    if os.environ.get("DAFTAR_DEBUG"):
        traceback.print_exc()
    # markup off: paths and messages may contain [brackets]
    err_console.print(f"daftar: {message}", markup=False, highlight=False, soft_wrap=True)


def run() -> None:
    sys.exit(main())

