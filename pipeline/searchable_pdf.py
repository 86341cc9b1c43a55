"""Join Tesseract's one-page searchable PDFs into the document's searchable PDF."""

from __future__ import annotations

import os
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from pipeline.errors import BadArgsError, CorruptFileError, InputFileError


def merge_pages(pdf_paths: list[str], out_path: Path) -> Path:
    """Concatenate one-page PDFs (in the given order) into ``out_path``, written atomically.

    Raises BadArgsError for an empty list, InputFileError for a missing page PDF and
    CorruptFileError for one pypdf cannot read.
    """
    if not pdf_paths:
        raise BadArgsError("no page PDFs to merge")
    out_path = Path(out_path)
    writer = PdfWriter()
    for path in pdf_paths:
        if not Path(path).is_file():
            raise InputFileError("page PDF does not exist", path=str(path))
        try:
            reader = PdfReader(path)
            for page in reader.pages:
                writer.add_page(page)
        except (PdfReadError, ValueError, KeyError, TypeError) as exc:
            raise CorruptFileError(f"page PDF is unreadable: {exc}", path=str(path)) from exc
    writer.add_metadata({"/Producer": "Daftar (Tesseract OCR text layer)"})
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        writer.write(fh)
    tmp.replace(out_path)
    return out_path


__all__ = ["merge_pages"]
