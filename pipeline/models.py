"""Small frozen models passed between pipeline stages.

Stages exchange these dataclasses; only ``pipeline.record`` turns them into the published
JSON record (whose contract is ``schemas/document.schema.json``). Boxes are
``(left, top, width, height)`` in pixels of the page image the OCR ran on; spans are
``(start, end)`` character offsets, end exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Box = tuple[int, int, int, int]
Span = tuple[int, int]

TextSource = Literal["ocr", "pdf-text", "text-file"]


@dataclass(frozen=True)
class SourceFile:
    """The input file as given: never modified, identified by its content."""

    path: str
    sha256: str
    media_type: str
    size_bytes: int
    page_count: int


@dataclass(frozen=True)
class RasterPage:
    """A page to OCR: its image lives on disk so batches never hold many pages in memory."""

    number: int  # 1-based page number within the source file
    image_path: str  # PNG/TIFF written by the loader (a temp or cache dir)
    dpi: int
    width: int
    height: int
    decision: str  # why this page is OCR'd (e.g. "image file", "pdf page has no text layer")


@dataclass(frozen=True)
class TextPage:
    """A page whose text is already known (born-digital PDF text layer, .txt OCR output)."""

    number: int
    text: str
    source: TextSource
    decision: str
    width: int | None = None
    height: int | None = None
    dpi: int | None = None
    words: tuple["Word", ...] = ()


@dataclass(frozen=True)
class PreprocessStep:
    """One preprocessing step and what it measured or did (angle, threshold, crop box)."""

    name: str
    applied: bool
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Word:
    """One OCR word with its box, confidence (0-100) and layout ids from Tesseract."""

    text: str
    box: Box
    confidence: float
    block: int
    paragraph: int
    line: int
    word: int
    span: Span  # offsets of this word in its page's text


@dataclass(frozen=True)
class OcrPage:
    """A page after OCR (or text-layer extraction): text, words and how it was made."""

    number: int
    text: str
    source: TextSource
    decision: str
    words: tuple[Word, ...] = ()
    preprocessing: tuple[PreprocessStep, ...] = ()
    width: int | None = None
    height: int | None = None
    dpi: int | None = None
    language: str | None = None
    mean_confidence: float | None = None
    low_confidence_words: int = 0
    pdf_path: str | None = None  # one-page searchable PDF (image + invisible text) from Tesseract


@dataclass(frozen=True)
class Correction:
    """One change the corrector made: reversible, with its evidence.

    ``raw_span`` indexes the uncorrected text, ``span`` the corrected text.
    """

    original: str
    replacement: str
    raw_span: Span
    span: Span
    rule: str  # e.g. "confusion:rn->m", "lexicon", "ordinal", "learned:12", "hyphen-join"
    score: float  # 0..1 confidence in the correction
    evidence: str = ""  # human-readable why (neighbours, frequency, lexicon entry)
    # Corrections of one repair share a group and are reverted together: a list marker moved
    # from its column to its item is a deletion there and an insertion here.
    group: str = ""


@dataclass(frozen=True)
class Evidence:
    """Where a field value came from. ``span`` indexes the document's corrected text."""

    span: Span
    confidence: float
    page: int | None = None
    box: Box | None = None
    raw_span: Span | None = None
