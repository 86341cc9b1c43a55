"""Shared fixtures: a Prefect test server (only flow tests ask for it) and input-file makers.

The makers write real files — a rendered text page for real Tesseract, a really encrypted
PDF, a really truncated PNG — so tests exercise what users hit, not stand-ins.
"""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import psycopg
import pytest
from PIL import Image, ImageDraw, ImageFont

os.environ["OMP_THREAD_LIMIT"] = "1"  # every tesseract a test starts (~9x faster on 2 cores)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no network in tests

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"

CIRCULAR_LINES: tuple[str, ...] = (
    "GOVERNMENT OF PAKISTAN",
    "CABINET DIVISION",
    "No. F.4-2/2024-Admin        Islamabad, the 5th March, 2024",
    "CIRCULAR",
    "Subject: Office timings during Ramazan",
    "All offices will observe timings from 0900 to 1500 hours.",
    "(Ahmed Khan)",
    "Section Officer (Admin)",
)

CIRCULAR_TEXT = """GOVERNMENT OF PAKISTAN
MINISTRY OF EDUCATION
No. F.7-1/2023-Estt              Islamabad, the 12th January, 2023

OFFICE MEMORANDUM

Subject: Attendance of officers

The undersigned is directed to say that all officers shall mark attendance by 0900 hours.

(Sana Ali)
Section Officer (Estt)
"""


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """A throw-away Prefect server and database for the whole session (flow tests only)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def daftar_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty DAFTAR_HOME, so tests never touch the user's archive."""
    home = tmp_path / "daftar-home"
    home.mkdir()
    monkeypatch.setenv("DAFTAR_HOME", str(home))
    return home


def png_bytes(lines: Sequence[str] = CIRCULAR_LINES, *, size: tuple[int, int] = (1400, 520),
              font_px: int = 30) -> bytes:
    """A clean black-on-white text page as PNG bytes (300 dpi, small so OCR is quick)."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), font_px)
    y = 30
    for line in lines:
        draw.text((40, y), line, font=font, fill=0)
        y += int(font_px * 1.6)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(300, 300))
    return buffer.getvalue()


def write_text_png(path: Path, lines: Sequence[str] = CIRCULAR_LINES) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png_bytes(lines))
    return path


def write_encrypted_pdf(path: Path, password: str = "secret") -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(password)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def write_bad_files(folder: Path) -> dict[str, str]:
    """One file of each kind a batch must refuse; returns file name -> expected reason."""
    folder.mkdir(parents=True, exist_ok=True)
    good = png_bytes(("A page that will be cut short",))
    (folder / "zero-bytes.png").write_bytes(b"")
    (folder / "corrupt.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"not really a png " * 20)
    (folder / "truncated.png").write_bytes(good[: len(good) // 2])
    write_encrypted_pdf(folder / "encrypted.pdf")
    (folder / "animation.gif").write_bytes(b"GIF89a" + bytes(64))
    return {
        "zero-bytes.png": "empty-file",
        "corrupt.png": "corrupt",
        "truncated.png": "corrupt",
        "encrypted.pdf": "encrypted-pdf",
        "animation.gif": "unsupported-type",
    }


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def archive(request, tmp_path):  # noqa: ANN001, ANN201 - a pytest fixture
    """An empty archive on each backend (PostgreSQL: a schema of its own, dropped after)."""
    from archive import open_archive

    if request.param == "sqlite":
        store = open_archive(str(tmp_path / "archive.sqlite"))
        yield store
        store.close()
        return
    schema_name = "daftar_test_" + uuid.uuid4().hex[:12]
    store = open_archive(f"{PG_URL}?schema={schema_name}", objects_dir=tmp_path / "objects")
    store.location = f"{PG_URL}?schema={schema_name}"
    yield store
    store.close()
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema_name} CASCADE")
