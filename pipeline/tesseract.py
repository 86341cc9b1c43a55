"""The one wrapper around the ``tesseract`` program.

Every Tesseract call in Daftar goes through this module (the OCRmyPDF model: one wrapper per
external program), so failures map to one exception (``OcrEngineError``) carrying the stderr
tail, and a missing binary or language pack maps to ``MissingDependencyError`` naming the
Debian package to install.

One page costs ONE Tesseract run: the TSV (word boxes, confidences, layout ids) and, when
asked, a one-page searchable PDF come out of the same run. Page OCR runs in a resident
Tesseract process (``pipeline.tesseract_resident``: libtesseract's C API with the model kept
loaded between pages, the same output as the program) when the library can be loaded, and
in the ``tesseract`` program otherwise; orientation detection, which is rare, runs the program.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Tesseract's OpenMP threads fight each other when several pages run in parallel processes
# (about 9x slower on a 2-core box); set it before pytesseract snapshots os.environ.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import pytesseract  # noqa: E402
from pytesseract import pytesseract as _pytesseract_core  # noqa: E402  (run_tesseract lives here)

from pipeline.deathsig import die_with_parent  # noqa: E402

from pipeline import tesseract_resident  # noqa: E402
from pipeline.errors import (  # noqa: E402
    MissingDependencyError,
    OcrCrashError,
    OcrEngineError,
    OcrTimeoutError,
)

STDERR_TAIL_CHARS = 600

# Tesseract language code -> Debian package that ships its traineddata.
_PACKAGE_SUFFIX = {"chi_sim": "chi-sim", "chi_tra": "chi-tra", "osd": "osd"}


@dataclass(frozen=True)
class TsvWord:
    """One row of Tesseract's TSV at level 5 (a word)."""

    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float
    block: int
    paragraph: int
    line: int
    word: int


@dataclass(frozen=True)
class TesseractResult:
    """What one Tesseract run produced for one page image."""

    words: tuple[TsvWord, ...]
    pdf_path: str | None  # one-page searchable PDF, if asked for
    languages: str


def debian_package(language: str) -> str:
    """The Debian package that provides a Tesseract language (``urd`` -> tesseract-ocr-urd)."""
    return "tesseract-ocr-" + _PACKAGE_SUFFIX.get(language, language.replace("_", "-"))


@lru_cache(maxsize=1)
def _installed_languages() -> frozenset[str]:
    try:
        return frozenset(pytesseract.get_languages())
    except (pytesseract.TesseractNotFoundError, FileNotFoundError) as exc:
        raise MissingDependencyError(
            "the tesseract program is not installed or not on PATH "
            "(Debian/Ubuntu: apt-get install tesseract-ocr)"
        ) from exc


def check_installed(languages: str) -> None:
    """Raise MissingDependencyError unless tesseract and every language in ``a+b`` exist."""
    installed = _installed_languages()
    missing = [lang for lang in languages.split("+") if lang and lang not in installed]
    if missing:
        packages = " ".join(debian_package(lang) for lang in missing)
        raise MissingDependencyError(
            f"Tesseract language(s) {', '.join(missing)} not installed "
            f"(installed: {', '.join(sorted(installed)) or 'none'}); "
            f"Debian/Ubuntu: apt-get install {packages}"
        )


def _tail(text: str) -> str:
    text = " ".join(text.split())
    return text[-STDERR_TAIL_CHARS:]


def _subprocess_args_dying_with_us(include_stdout: bool = True) -> dict:
    """pytesseract's arguments for its ``Popen`` plus the parent-death signal: a ``tesseract``
    program run (orientation detection, the program fallback) ends when Daftar is killed
    outright. Safe for these runs: the thread that starts one waits for it to end."""
    kwargs = _original_subprocess_args(include_stdout)
    preexec = die_with_parent()
    if preexec is not None:
        kwargs["preexec_fn"] = preexec
    return kwargs


_original_subprocess_args = _pytesseract_core.subprocess_args
_pytesseract_core.subprocess_args = _subprocess_args_dying_with_us


def _run(image_path: str, out_base: str, languages: str, config: str, timeout_s: float) -> None:
    try:
        _pytesseract_core.run_tesseract(
            image_path, out_base, extension="", lang=languages, config=config,
            timeout=timeout_s,
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise MissingDependencyError(
            "the tesseract program is not installed or not on PATH "
            "(Debian/Ubuntu: apt-get install tesseract-ocr)"
        ) from exc
    except pytesseract.TesseractError as exc:
        # A negative status is death by signal (a crash); a positive one is a refusal.
        kind = OcrCrashError if isinstance(exc.status, int) and exc.status < 0 else OcrEngineError
        raise kind(
            f"tesseract exited with status {exc.status}: {_tail(str(exc.message))}",
            path=image_path,
        ) from exc
    except RuntimeError as exc:  # pytesseract's timeout
        raise OcrTimeoutError(f"tesseract timed out after {timeout_s:g} s", path=image_path) from exc


def parse_tsv(tsv: str) -> tuple[TsvWord, ...]:
    """Word rows (level 5, non-blank text) of Tesseract TSV output."""
    rows = csv.reader(tsv.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(rows, None)
    if not header or header[:1] != ["level"]:
        return ()
    col = {name: i for i, name in enumerate(header)}
    words: list[TsvWord] = []
    for row in rows:
        if len(row) < len(header) or row[col["level"]] != "5":
            continue
        text = row[col["text"]].strip()
        if not text:
            continue
        words.append(TsvWord(
            text=text,
            left=int(row[col["left"]]), top=int(row[col["top"]]),
            width=int(row[col["width"]]), height=int(row[col["height"]]),
            confidence=float(row[col["conf"]]),
            block=int(row[col["block_num"]]), paragraph=int(row[col["par_num"]]),
            line=int(row[col["line_num"]]), word=int(row[col["word_num"]]),
        ))
    return tuple(words)


def ocr_image(
    image_path: str,
    languages: str = "eng",
    timeout_s: float = 180.0,
    want_pdf: bool = False,
    *,
    dpi: int | None = None,
    psm: int = 3,
    out_dir: str | None = None,
    text_only_pdf: bool = False,
) -> TesseractResult:
    """OCR one page image in a single Tesseract run: TSV words and, if asked, a searchable PDF.

    The PDF is written next to the image (or into ``out_dir``) as ``<stem>.pdf``; the TSV is
    read and deleted. ``text_only_pdf`` makes it the invisible text layer alone (Tesseract's
    ``textonly_pdf=1``): it costs next to nothing, where the full PDF makes Tesseract
    re-encode the page image (about 45% more time per page); ``pipeline.searchable_pdf``
    then lays it over a JPEG of the page.
    """
    check_installed(languages)
    if not Path(image_path).is_file():
        raise OcrEngineError("page image does not exist", path=image_path)
    if out_dir is None and not want_pdf:
        # Nothing to keep: never write beside the image, which may be the user's own file.
        with tempfile.TemporaryDirectory(prefix="daftar-tsv-") as tmp:
            return ocr_image(image_path, languages, timeout_s, False, dpi=dpi, psm=psm,
                             out_dir=tmp)
    out_dir = out_dir or str(Path(image_path).parent)
    out_base = str(Path(out_dir) / Path(image_path).stem)
    if not tesseract_resident.recognise(image_path, out_base, languages, psm, dpi, want_pdf,
                                        want_pdf and text_only_pdf, timeout_s):
        _run(image_path, out_base, languages, _program_config(psm, dpi, want_pdf, text_only_pdf),
             timeout_s)
    tsv_path = Path(out_base + ".tsv")
    try:
        words = parse_tsv(tsv_path.read_text(encoding="utf-8", errors="replace"))
    except FileNotFoundError as exc:
        raise OcrEngineError("tesseract wrote no TSV output", path=image_path) from exc
    finally:
        tsv_path.unlink(missing_ok=True)
    pdf_path = out_base + ".pdf" if want_pdf else None
    if pdf_path and not Path(pdf_path).is_file():
        raise OcrEngineError("tesseract wrote no PDF output", path=image_path)
    return TesseractResult(words=words, pdf_path=pdf_path, languages=languages)


def _program_config(psm: int, dpi: int | None, want_pdf: bool, text_only_pdf: bool) -> str:
    """The ``tesseract`` program's options for what ``ocr_image`` asks of a resident one."""
    config = f"--psm {psm}"
    if dpi:
        config += f" --dpi {int(dpi)}"
    if want_pdf and text_only_pdf:
        config += " -c textonly_pdf=1"
    return config + " tsv" + (" pdf" if want_pdf else "")


_OSD_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_OSD_CONF = re.compile(r"Orientation confidence:\s*([\d.]+)")


def detect_orientation(image_path: str, timeout_s: float = 60.0) -> tuple[int, float]:
    """Tesseract OSD: degrees to rotate the image clockwise to make it upright, and confidence.

    Returns (0, 0.0) when OSD finds too little text to decide (Tesseract reports that as an
    error, but for a mostly blank page "no rotation" is the right answer).
    """
    check_installed("osd")
    with tempfile.TemporaryDirectory(prefix="daftar-osd-") as tmp:
        out_base = str(Path(tmp) / "osd")
        try:
            _run(image_path, out_base, "osd", "--psm 0", timeout_s)
        except OcrEngineError as exc:
            if "Too few characters" in str(exc) or "too few" in str(exc).lower():
                return 0, 0.0
            raise
        osd_file = Path(out_base + ".osd")
        text = osd_file.read_text(encoding="utf-8", errors="replace") if osd_file.exists() else ""
    rotate = _OSD_ROTATE.search(text)
    conf = _OSD_CONF.search(text)
    if not rotate:
        return 0, 0.0
    return int(rotate.group(1)) % 360, float(conf.group(1)) if conf else 0.0


def tesseract_version() -> str:
    """The tesseract program's version string (for provenance in records)."""
    try:
        return str(pytesseract.get_tesseract_version())
    except pytesseract.TesseractNotFoundError as exc:
        raise MissingDependencyError("the tesseract program is not installed") from exc


__all__ = [
    "TesseractResult", "TsvWord", "check_installed", "debian_package", "detect_orientation",
    "ocr_image", "parse_tsv", "tesseract_version",
]

