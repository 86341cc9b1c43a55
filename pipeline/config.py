"""Configuration: explicit options with environment defaults, nothing hidden in code.

Environment variables (all optional):
  DAFTAR_HOME          archive, originals and caches (default: ~/.local/share/daftar)
  DAFTAR_DATABASE_URL  postgresql://... to use PostgreSQL instead of SQLite
  DAFTAR_LANGUAGES     Tesseract languages, e.g. "eng" or "eng+urd" (default: eng)
  DAFTAR_WORKERS       OCR processes (default: number of cores)
  DAFTAR_PSM           Tesseract page segmentation mode (default: 4, see OcrOptions)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PIPELINE_VERSION = "0.1.0"


def default_home() -> Path:
    env = os.environ.get("DAFTAR_HOME")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "daftar"


def default_workers() -> int:
    env = os.environ.get("DAFTAR_WORKERS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


# Tesseract page segmentation modes that find words on a whole page (0 is OSD only, 7-10 read
# one line or one word, 13 a raw line).
PAGE_SEGMENTATION_MODES = (1, 3, 4, 5, 6, 11, 12)


def _page_segmentation_from_env() -> int:
    from pipeline.errors import BadArgsError

    value = os.environ.get("DAFTAR_PSM", "4").strip()
    if not value.isdigit() or int(value) not in PAGE_SEGMENTATION_MODES:
        raise BadArgsError(f"DAFTAR_PSM must be one of {PAGE_SEGMENTATION_MODES}, got {value!r}")
    return int(value)


@dataclass(frozen=True)
class OcrOptions:
    languages: str = field(default_factory=lambda: os.environ.get("DAFTAR_LANGUAGES", "eng"))
    dpi: int = 300  # PDF scans are rendered at this resolution
    preprocess: bool = True
    low_confidence: float = 60.0  # words under this Tesseract confidence count as low
    page_timeout_s: float = 180.0
    max_pixels: int = 200_000_000  # larger images are refused as decompression bombs
    # The page budget, applied before anything is allocated (pipeline.load): a page is read
    # at no more than page_pixels (a larger image is decoded smaller, a larger PDF page is
    # rendered at a lower dpi), and decoding it may take at most page_memory bytes, else it
    # is refused as too large. Measured on a skewed, noisy, unevenly lit A4 page at 20
    # megapixels (450 dpi): Daftar's process held 103 MiB for it (the page and preprocessing's
    # copies, 5.4 bytes a pixel), its resident Tesseract peaked at 128 MiB with the language
    # model: 231 MiB a page, so two such pages read at once keep the whole tree (Prefect's
    # server ~250 MiB, the CLI ~220 MiB) under 1 GiB.
    page_pixels: int = 20_000_000
    page_memory: int = 256 * 2**20
    max_pages: int = 5000
    min_text_layer_chars: int = 40  # a PDF text layer shorter than this is treated as a scan
    # Tesseract's page segmentation: 4 ("one column of text of variable sizes") rather than
    # its default 3 (automatic). Under 3, Tesseract's column finder reads a column of list
    # numerals as vertical text ("1. 2. 3." -> "IDWS YD") or drops it, and splits right-aligned
    # lines into blocks of their own; circulars are one column, and side-by-side blocks
    # (signature beside distribution) are split again by pipeline.layout.split_columns. On
    # the sample scans: level-0 CER 1.44% -> 0.86%, level 3 18.5% -> 15.4%
    # (bench/preprocess_quality.py --samples).
    page_segmentation: int = field(default_factory=lambda: _page_segmentation_from_env())

    def with_(self, **changes: object) -> "OcrOptions":
        return replace(self, **changes)  # type: ignore[arg-type]
