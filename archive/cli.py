"""Archive commands of the ``daftar`` CLI: search, show, links, export, import-json.

``register(app)`` adds them to a Typer app. Commands raise DaftarError subclasses; the main
CLI maps them to exit codes.
"""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text


from archive import Archive, Links, open_archive
from archive.base import FACET_SAMPLE
from archive.bounds import MAX_LIMIT, MAX_OFFSET
from archive.models import SearchQuery
from archive.records import first_schema_error
from pipeline.errors import BadArgsError, InputFileError, NotFoundError

ArchiveOpt = Annotated[Optional[str], typer.Option(
    "--archive", help="postgresql://… URL or SQLite file (default: DAFTAR_DATABASE_URL, "
    "else DAFTAR_HOME/archive.sqlite).")]
TypeOpt = Annotated[Optional[str], typer.Option("--type", help="Document type, e.g. circular.")]
IssuerOpt = Annotated[Optional[str], typer.Option("--issuer", help="Part of the issuing organisation or department.")]
YearOpt = Annotated[Optional[int], typer.Option("--year", help="Year of issue.")]
FromOpt = Annotated[Optional[str], typer.Option("--from", help="Issued on or after (YYYY-MM-DD).")]
ToOpt = Annotated[Optional[str], typer.Option("--to", help="Issued on or before (YYYY-MM-DD).")]
CitesOpt = Annotated[Optional[str], typer.Option("--cites", help="Cites this Act/Rules (part of its name).")]
ProvisionOpt = Annotated[Optional[str], typer.Option("--provision", help="With --cites: e.g. 'Rule 18'.")]
PlaceOpt = Annotated[Optional[str], typer.Option("--place", help="Place of issue.")]
ReferenceOpt = Annotated[Optional[str], typer.Option("--reference", help="Reference number (OCR damage tolerated).")]
StatusOpt = Annotated[Optional[str], typer.Option("--status", help="machine, edited or approved.")]
BatchOpt = Annotated[Optional[str], typer.Option("--batch", help="Import batch name.")]

out = Console()


@contextmanager
def _opened(location: str | None) -> Iterator[Archive]:
    archive = open_archive(location)
    try:
        yield archive
    finally:
        archive.close()


def _print_json(value: object) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _marked(snippet: str) -> Text:
    """Snippet with its [ ] match markers shown as bold highlights."""
    text = Text()
    rest = snippet
    while "[" in rest and "]" in rest[rest.index("["):]:
        start = rest.index("[")
        end = rest.index("]", start)
        text.append(rest[:start])
        text.append(rest[start + 1:end], style="bold reverse")
        rest = rest[end + 1:]
    text.append(rest)
    return text


def search(query: Annotated[str, typer.Argument(help='Words, "phrases", prefix*, AND/OR/NOT; "" for filters only.')] = "",
           type_: TypeOpt = None, issuer: IssuerOpt = None, year: YearOpt = None,
           date_from: FromOpt = None, date_to: ToOpt = None, cites: CitesOpt = None,
           provision: ProvisionOpt = None, place: PlaceOpt = None,
           reference: ReferenceOpt = None, status: StatusOpt = None, batch: BatchOpt = None,
           limit: Annotated[int, typer.Option("--limit", min=1, max=MAX_LIMIT)] = 20,
           offset: Annotated[int, typer.Option("--offset", min=0, max=MAX_OFFSET)] = 0,
           as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
           archive: ArchiveOpt = None) -> None:
    """Search the archive: ranked hits with snippets and facet counts."""
    q = SearchQuery(text=query, document_type=type_, issuer=issuer, year=year,
                    date_from=date_from, date_to=date_to, cites=cites, provision=provision,
                    place=place, reference=reference, status=status, batch=batch,
                    limit=limit, offset=offset)
    with _opened(archive) as store:
        results = store.search(q)
    if as_json:
        _print_json({"total": results.total, "total_is_estimate": results.total_is_estimate,
                     "hits": [vars(h) for h in results.hits],
                     "facets": {k: [list(x) for x in v] for k, v in results.facets.items()},
                     "facets_sampled": results.facets_sampled})
        return
    table = Table(title=f"{results.total_label} document(s)", show_lines=True)
    for column in ("#", "date", "type", "reference", "issuer / title", "snippet"):
        table.add_column(column, overflow="fold")
    for i, hit in enumerate(results.hits, start=offset + 1):
        table.add_row(str(i), hit.date or "", hit.document_type or "", hit.reference_number or "",
                      f"{hit.issuer or ''}\n{hit.title or ''}\n{hit.doc_id}", _marked(hit.snippet))
    out.print(table)
    if results.facets_sampled:
        out.print(f"facet counts: the {FACET_SAMPLE:,} most recently archived matches",
                  highlight=False)
    for name, counts in results.facets.items():
        if counts:
            out.print(f"[bold]{name}[/bold]: " + ", ".join(f"{v} ({n})" for v, n in counts[:6]),
                      markup=True, highlight=False)


DocumentArg = Annotated[str, typer.Argument(
    help="Document id, or a reference number ('F.No.14/04/2021-D-II').")]


def documents_named(store: Archive, given: str) -> list[str]:
    """The documents ``given`` names: itself when it is a document id, else every document
    whose own reference number it is (canonical key: 'F. No. 14/04/2021-D1' finds
    'F.No.14/04/2021-D-II'). Raises NotFoundError when it names none."""
    try:
        store.versions(given)  # an existence check that does not read the record itself
        return [given]
    except NotFoundError:
        pass
    try:
        found = [doc_id for doc_id, _score in store.find_by_reference(given, fuzzy=False)]
    except BadArgsError:
        found = []
    if not found:
        raise NotFoundError(f"no document with id or reference number {given!r} in the archive")
    return found


def show(doc_id: DocumentArg,
         version: Annotated[Optional[int], typer.Option("--version", min=1)] = None,
         as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
         archive: ArchiveOpt = None) -> None:
    """Show one archived document (the current version unless --version)."""
    with _opened(archive) as store:
        named = documents_named(store, doc_id)
        if len(named) > 1:
            raise BadArgsError(f"reference number {doc_id!r} names {len(named)} documents; "
                               f"give one of their ids: {', '.join(named)}")
        doc_id = named[0]
        doc = store.get(doc_id, version)
        versions = store.versions(doc_id)
    if as_json:
        _print_json(doc.record)
        return
    fields = doc.record.get("fields") or {}
    table = Table(title=f"{doc.doc_id} v{doc.version} ({doc.status})", show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
    for name, value in fields.items():
        if value not in (None, [], {}):
            shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            table.add_row(name, shown)
    out.print(table)
    out.print(f"versions: " + ", ".join(f"{v.version} {v.kind} by {v.actor}" for v in versions),
              highlight=False)


def links(doc_id: DocumentArg,
          as_json: Annotated[bool, typer.Option("--json")] = False,
          archive: ArchiveOpt = None) -> None:
    """Documents this one cites, and documents citing it (for a reference number that
    several documents carry, each of them)."""
    with _opened(archive) as store:
        found = {named: store.links(named) for named in documents_named(store, doc_id)}
    if as_json:
        payload = {named: {"cites": [vars(x) for x in one.cites],
                           "cited_by": [vars(x) for x in one.cited_by]} for named, one in found.items()}
        _print_json(payload if len(found) > 1 else next(iter(payload.values())))
        return
    for named, one in found.items():
        if len(found) > 1 or named != doc_id:
            out.print(f"[bold]{named}[/bold]", markup=True, highlight=False)
        _print_links(one)


def _print_links(found: Links) -> None:
    for title, items in (("cites", found.cites), ("cited by", found.cited_by)):
        out.print(f"[bold]{title}[/bold] ({len(items)})", markup=True)
        for link in items:
            where = link.doc_id if link.resolved else "(not in the archive)"
            out.print(f"  {link.reference_number or '—'}  {link.date or ''}  {where}", highlight=False)


def export(format_: Annotated[str, typer.Option("--format", help="jsonl or json.")] = "jsonl",
           query: Annotated[str, typer.Option("--query", help="Search words to select records.")] = "",
           type_: TypeOpt = None, issuer: IssuerOpt = None, year: YearOpt = None,
           date_from: FromOpt = None, date_to: ToOpt = None, cites: CitesOpt = None,
           provision: ProvisionOpt = None, place: PlaceOpt = None,
           reference: ReferenceOpt = None, status: StatusOpt = None, batch: BatchOpt = None,
           out_file: Annotated[Optional[Path], typer.Option("--out", help="File to write (default: stdout).")] = None,
           archive: ArchiveOpt = None) -> None:
    """Export current versions as schema-valid records (JSON Lines or one JSON array)."""
    if format_ not in ("jsonl", "json"):
        raise BadArgsError(f"--format must be jsonl or json, not {format_!r}")
    q = SearchQuery(text=query, document_type=type_, issuer=issuer, year=year,
                    date_from=date_from, date_to=date_to, cites=cites, provision=provision,
                    place=place, reference=reference, status=status, batch=batch)
    stream = out_file.open("w", encoding="utf-8") if out_file else sys.stdout
    count = 0
    try:
        with _opened(archive) as store:
            if format_ == "json":
                stream.write("[")
            for doc in store.iter_documents(q if (query or q.has_filters()) else None):
                line = json.dumps(doc.record, ensure_ascii=False)
                if format_ == "json":
                    stream.write(("\n" if count == 0 else ",\n") + line)
                else:
                    stream.write(line + "\n")
                count += 1
            if format_ == "json":
                stream.write("\n]\n")
    finally:
        if out_file:
            stream.close()
    if out_file:
        Console(stderr=True).print(f"exported {count} record(s) to {out_file}", highlight=False)


def _load_records(path: Path) -> list[dict]:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(f"cannot read: {exc}", path=str(path)) from exc
    if path.suffix.lower() == ".jsonl":
        items = []
        for n, line in enumerate(raw.splitlines(), start=1):
            if line.strip():
                try:
                    items.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise InputFileError(f"line {n} is not JSON: {exc.msg}", path=str(path)) from exc
        return items
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputFileError(f"not JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}",
                             path=str(path)) from exc
    return data if isinstance(data, list) else [data]


def import_json(files: Annotated[list[Path], typer.Argument(help="Record files: .json (one record or an array) or .jsonl.")],
                batch: BatchOpt = None,
                actor: Annotated[str, typer.Option("--actor", help="Recorded in the audit log.")] = "import",
                archive: ArchiveOpt = None) -> None:
    """Import records made elsewhere; every record is checked against the schema first."""
    loaded: list[tuple[Path, dict]] = []
    for path in files:
        for i, record in enumerate(_load_records(path)):
            problem = first_schema_error(record)
            if problem:
                where = f"record {i + 1}, " if i else ""
                raise InputFileError(f"{where}not a valid Daftar record at {problem}", path=str(path))
            loaded.append((path, record))
    counts = {"created": 0, "new-version": 0, "unchanged": 0}
    with _opened(archive) as store:
        for path, record in loaded:
            counts[store.ingest(record, batch=batch, actor=actor).status] += 1
    out.print(f"imported {len(loaded)} record(s): {counts['created']} created, "
              f"{counts['new-version']} new version(s), {counts['unchanged']} unchanged",
              highlight=False)


def register(app: typer.Typer) -> None:
    """Add the archive commands to the ``daftar`` Typer app."""
    app.command("search")(search)
    app.command("show")(show)
    app.command("links")(links)
    app.command("export")(export)
    app.command("import-json")(import_json)
