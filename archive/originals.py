"""Stored files served over HTTP without letting them run as part of the site.

One helper, ``file_response``, serves every stored file — originals, searchable PDFs, page
images — for both the JSON API and the review app.  An uploaded original is hostile input:
a tester ingested ``memo.html`` (an HTML preamble, then ``%PDF-`` at byte 90; Daftar reads
it as the PDF it also is) and ``memo.js`` (JavaScript with a PDF inside), and the API,
which took the Content-Type from the file name, served them as ``text/html`` and
``text/javascript``: opened by a signed-in archivist, the page loaded the script from the
same origin (which ``script-src 'self'`` allows) and read the CSRF token from ``/queue``.

So the type comes from the bytes, by the detector ingest uses
(``pipeline.load.sniff_media_type``), never from the name; only images and PDFs are shown
in the browser, everything else is a download; browsers are told not to guess
(``nosniff``); and the response carries a CSP ``sandbox``, under which a document has an
opaque origin and runs no script (Chromium then declines to show a PDF inline too, and
offers it as a download).
"""

from __future__ import annotations

from pathlib import Path

from fastapi.responses import FileResponse

from pipeline.errors import DaftarError
from pipeline.load import IMAGE_TYPES, MEDIA_PDF, MEDIA_TEXT, sniff_media_type

UNKNOWN = "application/octet-stream"
INLINE_TYPES = frozenset({*IMAGE_TYPES, MEDIA_PDF})
# sandbox: an opaque origin, no script, no forms, no plugins; default-src 'none': the file
# loads nothing else.  Applies to whatever a browser makes of the bytes.
FILE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"
_SNIFF_BYTES = 4096  # what ingest's detector reads (pipeline.load._hash_and_head)


def sniffed_type(path: Path) -> str:
    """The media type ingest would give ``path``'s bytes; octet-stream for anything it
    does not read (HTML, SVG, script, damaged files)."""
    with Path(path).open("rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    try:
        media = sniff_media_type(head, Path(path))
    except DaftarError:
        return UNKNOWN
    return "text/plain; charset=utf-8" if media == MEDIA_TEXT else media


def file_response(path: Path, *, cache: str = "private, max-age=3600") -> FileResponse:
    """``path`` as a response a browser shows (images, PDF) or downloads (the rest), and
    never runs.  Stored files never change (their name is their SHA-256), hence ``cache``."""
    media = sniffed_type(path)
    return FileResponse(path, media_type=media, headers={
        "Content-Disposition": "inline" if media in INLINE_TYPES else "attachment",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": FILE_CSP,
        "Cache-Control": cache,
    })
