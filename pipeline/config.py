"""Configuration: explicit options with environment defaults, nothing hidden in code.

Environment variables (all optional):
  DAFTAR_HOME          archive, originals and caches (default: ~/.local/share/daftar)
  DAFTAR_DATABASE_URL  postgresql://... to use PostgreSQL instead of SQLite
  DAFTAR_LANGUAGES     Tesseract languages, e.g. "eng" or "eng+urd" (default: eng)
  DAFTAR_WORKERS       OCR processes (default: number of cores)
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


@dataclass(frozen=True)
class OcrOptions:
    languages: str = field(default_factory=lambda: os.environ.get("DAFTAR_LANGUAGES", "eng"))
    dpi: int = 300  # PDF scans are rendered at this resolution
    preprocess: bool = True
    low_confidence: float = 60.0  # words under this Tesseract confidence count as low
    page_timeout_s: float = 180.0
    max_pixels: int = 200_000_000  # larger images are refused as decompression bombs
    max_pages: int = 5000
    min_text_layer_chars: int = 40  # a PDF text layer shorter than this is treated as a scan

    def with_(self, **changes: object) -> "OcrOptions":
        return replace(self, **changes)  # type: ignore[arg-type]
