"""The public API of the Daftar library: process a file into validated records.

    from pipeline.api import process_file
    records = process_file("scan.pdf")          # list[Record], one per document found

No Prefect here: this is what ``daftar ocr`` and ``daftar extract`` run, and what the
Prefect flows run page by page through the same stage functions.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from pipeline.config import OcrOptions
from pipeline.errors import InvalidOutputError
from pipeline.models import OcrPage, RasterPage, TextPage
from pipeline.record import Record, schema_problem

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # Tesseract is ~9x slower without it here


def validate_record(record: dict) -> None:
    """Raise InvalidOutputError naming the first problem when a record breaks the schema."""
    problem = schema_problem(record)
    if problem is not None:
        where, message = problem
        raise InvalidOutputError(f"record {record.get('id', '?')} invalid at {where}: {message}")


def record_dict(record: Record) -> dict:
    """The JSON-ready dict of a record, validated against the published schema."""
    data = record.model_dump(mode="json")
    validate_record(data)
    return data


def ocr_pages(
    pages: Iterable[RasterPage | TextPage],
    options: OcrOptions,
    *,
    workers: int = 1,
    workdir: Path | None = None,
) -> list[OcrPage]:
    """OCR pages in order; with workers > 1, pages run in parallel processes."""
    from pipeline.ocr import ocr_page

    if workers <= 1:
        return [ocr_page(p, options, workdir) for p in pages]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures: list[Future[OcrPage]] = [pool.submit(ocr_page, p, options, workdir) for p in pages]
        return [f.result() for f in futures]


def process_file(
    path: str | Path,
    options: OcrOptions | None = None,
    *,
    workers: int = 1,
    workdir: Path | None = None,
    password: str | None = None,
    rules: object | None = None,
) -> list[Record]:
    """Load, preprocess, OCR, correct, split and extract one file."""
    from pipeline.assemble import build_records
    from pipeline.load import identify, iter_pages

    options = options or OcrOptions()
    source = identify(path, options, password=password)
    with _workdir(workdir) as wd:
        pages = ocr_pages(iter_pages(source, wd, options, password=password), options,
                          workers=workers, workdir=wd)
        records = build_records(source, pages, rules=rules)
    for record in records:
        record_dict(record)  # validate before anyone sees it
    return records


@contextlib.contextmanager
def _workdir(given: Path | None) -> Iterator[Path]:
    """A given directory as is, or a temporary one removed afterwards."""
    if given is not None:
        given.mkdir(parents=True, exist_ok=True)
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="daftar-") as tmp:
        yield Path(tmp)


def iter_records(paths: Iterable[str | Path], **kwargs: object) -> Iterator[Record]:
    """process_file over many paths (errors propagate; the flows quarantine instead)."""
    for path in paths:
        yield from process_file(path, **kwargs)  # type: ignore[arg-type]


__all__ = ["process_file", "iter_records", "validate_record", "schema_problem", "record_dict", "ocr_pages"]
