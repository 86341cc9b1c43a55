"""OCR of one page: preprocess, Tesseract, page text built from words with exact spans.

Page text layout (what later stages rely on): words of a line joined by one space, lines by
``"\\n"``, paragraphs and Tesseract blocks by a blank line ``"\\n\\n"``. Side-by-side regions (a
signature block on the right, a distribution list on the left) come out as separate
paragraphs, never interleaved lines: Tesseract usually makes them separate blocks, and
``split_columns`` splits the blocks where it did not. ``order_blocks`` fixes blocks emitted
after the text below them. Every ``Word.span`` indexes the text: ``text[a:b] == word.text``.

Orientation: Tesseract OSD costs about as much as a small OCR run, so it runs only when a
cheap profile check says the page may be sideways, or when the first OCR pass is poor (low
mean confidence, or no words despite ink — what an upside-down page gives). Then the page is
rotated and OCR'd again, and the better pass is kept.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

from pipeline import tesseract
from pipeline.config import OcrOptions
from pipeline.errors import CorruptFileError, InputFileError
from pipeline.models import OcrPage, PreprocessStep, RasterPage, TextPage, Word
from pipeline.preprocess import orientation_step, preprocess, rotate_quarter, sideways_score
from pipeline.searchable_pdf import page_with_text_layer

SIDEWAYS_SCORE = 1.5  # column/row profile ratio above which OSD is asked before OCR
OSD_MIN_CONFIDENCE = 2.0  # Tesseract's orientation confidence; below this keep the page as is
POOR_MEAN_CONFIDENCE = 55.0
BLANK_INK_FRACTION = 0.002


def ocr_page(
    page: RasterPage | TextPage, options: OcrOptions = OcrOptions(), workdir: Path | None = None
) -> OcrPage:
    """OCR a raster page (or pass a text page through) into an ``OcrPage``.

    With ``workdir``, the preprocessed image and the one-page searchable PDF are kept there
    (``pdf_path``: a JPEG of the image Tesseract read, its invisible text layer on top);
    without, temporary files are removed and ``pdf_path`` is None.
    """
    if isinstance(page, TextPage):
        return text_page_to_ocr_page(page, options)
    tesseract.check_installed(options.languages)
    gray = _read_gray(page.image_path)
    with _work_dir(workdir) as wd:
        return _ocr_raster(page, gray, options, wd, keep_pdf=workdir is not None)


def text_page_to_ocr_page(page: TextPage, options: OcrOptions = OcrOptions()) -> OcrPage:
    """A page whose text is already known: text and words pass through unchanged."""
    confs = [w.confidence for w in page.words if w.confidence >= 0]
    return OcrPage(
        number=page.number, text=page.text, source=page.source, decision=page.decision,
        words=page.words, width=page.width, height=page.height, dpi=page.dpi,
        language=None if page.source == "text-file" else options.languages,
        mean_confidence=round(sum(confs) / len(confs), 2) if confs else None,
        low_confidence_words=sum(1 for c in confs if c < options.low_confidence),
    )


# ----------------------------------------------------------------------------- raster path


@contextmanager
def _work_dir(workdir: Path | None):
    if workdir is not None:
        Path(workdir).mkdir(parents=True, exist_ok=True)
        yield Path(workdir)
        return
    with tempfile.TemporaryDirectory(prefix="daftar-ocr-") as tmp:
        yield Path(tmp)


def _read_gray(image_path: str) -> np.ndarray:
    if not Path(image_path).is_file():
        raise InputFileError("page image does not exist", path=image_path)
    gray = cv2.imread(image_path, cv2.IMREAD_GRAYSCALE)
    if gray is None or gray.size == 0:
        raise CorruptFileError("page image cannot be decoded", path=image_path)
    return gray


def _write_image(image: np.ndarray, path: Path) -> str:
    # Uncompressed BMP: written in ~3 ms, and Tesseract reads it ~0.1 s faster than it
    # decodes a PNG (measured on A4 at 300 dpi); it lives only until Tesseract has read it.
    if not cv2.imwrite(str(path), image):
        raise InputFileError("cannot write the preprocessed page image", path=str(path))
    return str(path)


def _ocr_raster(page: RasterPage, gray: np.ndarray, options: OcrOptions, wd: Path,
                keep_pdf: bool) -> OcrPage:
    stem = Path(page.image_path).stem
    turns, orientation = _orientation_before_ocr(gray, page, options)
    image, dpi, steps = preprocess(gray, page.dpi, options, quarter_turns=turns)
    # Even an unchanged image is rewritten: a BMP costs less than Tesseract decoding a PNG.
    image_path = _write_image(image, wd / f"{stem}-ocr.bmp")
    try:
        result = tesseract.ocr_image(image_path, options.languages, options.page_timeout_s,
                                     want_pdf=keep_pdf, dpi=dpi, out_dir=str(wd),
                                     text_only_pdf=True)
        if orientation is None and _is_poor(result.words, image):
            turned, result, orientation = _retry_rotated(image, image_path, result, dpi, options,
                                                         wd, keep_pdf)
            if turned is not image:  # turned after preprocessing: logged last, undone first
                steps = (*steps, orientation_step(image, int(orientation.params["osd_rotate"]) // 90))
            image = turned
    finally:
        Path(image_path).unlink(missing_ok=True)  # ~9 MB a page: never pile up in the work dir
    if orientation is not None:
        steps = (orientation, *steps)
    if result.pdf_path:  # Tesseract's text layer over a JPEG of the image it read
        page_with_text_layer(result.pdf_path, image, result.pdf_path)
    text, words = words_to_text(result.words)
    confs = [w.confidence for w in words if w.confidence >= 0]
    return OcrPage(
        number=page.number, text=text, source="ocr", decision=page.decision, words=words,
        preprocessing=tuple(steps), width=int(image.shape[1]), height=int(image.shape[0]),
        dpi=dpi, language=options.languages,
        mean_confidence=round(sum(confs) / len(confs), 2) if confs else None,
        low_confidence_words=sum(1 for c in confs if c < options.low_confidence),
        pdf_path=result.pdf_path,
    )


def _orientation_before_ocr(gray: np.ndarray, page: RasterPage,
                            options: OcrOptions) -> tuple[int, PreprocessStep | None]:
    """Quarter turns to apply before OCR: OSD only when the page looks sideways."""
    score = sideways_score(gray)
    if score <= SIDEWAYS_SCORE:
        return 0, None
    rotate, confidence = tesseract.detect_orientation(page.image_path,
                                                      timeout_s=options.page_timeout_s)
    applied = rotate != 0 and confidence >= OSD_MIN_CONFIDENCE
    step = PreprocessStep("orientation-check", applied, {
        "trigger": "sideways profile", "sideways_score": score,
        "osd_rotate": rotate, "osd_confidence": confidence,
    })
    return (rotate // 90 if applied else 0), step


def _is_poor(words: Iterable[tesseract.TsvWord], image: np.ndarray) -> bool:
    """A pass worth an orientation check: low mean confidence, or no words despite ink.

    A short page read with confidence (a cover sheet saying "ANNEX-A") is not poor, and a
    blank page is not worth an OSD run.
    """
    confs = [w.confidence for w in words if w.confidence >= 0]
    if confs:
        return sum(confs) / len(confs) < POOR_MEAN_CONFIDENCE
    return _ink_fraction(image) > BLANK_INK_FRACTION


def _ink_fraction(image: np.ndarray) -> float:
    sample = np.ascontiguousarray(image[::4, ::4])
    threshold, _ = cv2.threshold(sample, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    if float(sample.max()) - float(sample.min()) < 40:
        return 0.0  # flat page: Otsu would split paper grain into "ink"
    return float(np.count_nonzero(sample < threshold)) / sample.size


def _score(words: tuple[tesseract.TsvWord, ...]) -> float:
    """Total confidence of words: rewards both more words and surer ones."""
    return sum(max(w.confidence, 0.0) for w in words)


def _retry_rotated(image: np.ndarray, image_path: str, first: tesseract.TesseractResult,
                   dpi: int, options: OcrOptions, wd: Path, keep_pdf: bool):
    """After a poor pass: ask OSD, rotate, OCR again, keep whichever pass is better."""
    rotate, confidence = tesseract.detect_orientation(image_path, timeout_s=options.page_timeout_s)
    params = {"trigger": "poor first pass", "first_pass_words": len(first.words),
              "osd_rotate": rotate, "osd_confidence": confidence}
    if rotate == 0 or confidence < OSD_MIN_CONFIDENCE:
        return image, first, PreprocessStep("orientation-check", False, params)
    rotated = rotate_quarter(image, rotate // 90)
    rotated_path = _write_image(rotated, wd / (Path(image_path).stem + f"-r{rotate}.bmp"))
    try:
        second = tesseract.ocr_image(rotated_path, options.languages, options.page_timeout_s,
                                     want_pdf=keep_pdf, dpi=dpi, out_dir=str(wd),
                                     text_only_pdf=True)
    finally:
        Path(rotated_path).unlink(missing_ok=True)
    better = _score(second.words) > _score(first.words)
    params["kept"] = "rotated" if better else "original"
    _remove_outputs(first if better else second)
    if better:
        return rotated, second, PreprocessStep("orientation-check", True, params)
    return image, first, PreprocessStep("orientation-check", False, params)


def _remove_outputs(result: tesseract.TesseractResult) -> None:
    if result.pdf_path:
        Path(result.pdf_path).unlink(missing_ok=True)


# ----------------------------------------------------------------------------- text


def words_to_text(tsv_words: Iterable[tesseract.TsvWord]) -> tuple[str, tuple[Word, ...]]:
    """Page text from Tesseract words in reading order, and the words with their spans.

    Blocks whose lines run across a wide empty gutter (two columns Tesseract read as one) are
    split into a left and a right column first; see ``split_columns``.
    """
    parts: list[str] = []
    words: list[Word] = []
    pos = 0
    prev: tuple[int, int, int] | None = None
    for w in order_blocks(split_columns(list(tsv_words))):
        key = (w.block, w.paragraph, w.line)
        if prev is not None:
            if key[:2] != prev[:2]:
                sep = "\n\n"
            elif key != prev:
                sep = "\n"
            else:
                sep = " "
            parts.append(sep)
            pos += len(sep)
        prev = key
        parts.append(w.text)
        words.append(Word(text=w.text, box=(w.left, w.top, w.width, w.height),
                          confidence=w.confidence, block=w.block, paragraph=w.paragraph,
                          line=w.line, word=w.word, span=(pos, pos + len(w.text))))
        pos += len(w.text)
    return "".join(parts), tuple(words)


# ----------------------------------------------------------------------------- reading order


def order_blocks(words: list[tesseract.TsvWord]) -> list[tesseract.TsvWord]:
    """Move a block up when Tesseract emitted it after a block lying wholly below it.

    Tesseract sometimes emits a small centred heading ("OFFICE ORDER") or a right-aligned
    date after the body paragraphs beneath it. Each block is placed before the first earlier
    block that starts below its bottom edge; blocks that overlap vertically (side-by-side
    blocks, a stamp over the text) keep Tesseract's order. On the sample scans this halves the
    reading-order error (bench/preprocess_quality.py --samples).
    """
    blocks = _group(words, key=lambda w: w.block)
    if len(blocks) < 2:
        return words
    placed: list[tuple[tuple[int, int, int, int], list[tesseract.TsvWord]]] = []
    for block in blocks:
        box = _bbox(block)
        at = next((i for i, (other, _) in enumerate(placed) if _above(box, other)), len(placed))
        placed.insert(at, (box, block))
    return [w for _, block in placed for w in block]


def _above(box: tuple[int, int, int, int], other: tuple[int, int, int, int]) -> bool:
    """``box`` ends above where ``other`` starts."""
    return box[3] <= other[1]


def _bbox(words: list[tesseract.TsvWord]) -> tuple[int, int, int, int]:
    return (min(w.left for w in words), min(w.top for w in words),
            max(w.left + w.width for w in words), max(w.top + w.height for w in words))


# ----------------------------------------------------------------------------- columns

GUTTER_HEIGHTS = 5.0  # an empty vertical strip this many word heights wide separates columns
MIN_SHARED_LINES = 2  # lines with words on both sides needed to call it interleaving


def split_columns(words: list[tesseract.TsvWord]) -> list[tesseract.TsvWord]:
    """Undo Tesseract reading two side-by-side columns as one block of interleaved lines.

    A signature block on the right beside a distribution list on the left often lands in one
    block whose lines are "Distribution: (Muhammad Aslam)". When a block has exactly one
    empty vertical gutter wider than GUTTER_HEIGHTS word heights, and at least two lines have
    words on both sides of it, the block is emitted as its left column, then its right column;
    paragraphs inside each column are renumbered from vertical gaps. Several wide gutters
    mean a table, which is left row-wise.
    """
    out: list[tesseract.TsvWord] = []
    for block in _group(words, key=lambda w: w.block):
        gutter = _single_gutter(block)
        if gutter is None:
            out.extend(block)
            continue
        left = [w for w in block if w.left + w.width <= gutter]
        right = [w for w in block if w.left >= gutter]
        out.extend(_renumber(left, first_par=1))
        out.extend(_renumber(right, first_par=(out[-1].paragraph + 1) if out else 1))
    return out


def _group(words: list[tesseract.TsvWord], key) -> list[list[tesseract.TsvWord]]:
    groups: list[list[tesseract.TsvWord]] = []
    for w in words:
        if groups and key(groups[-1][-1]) == key(w):
            groups[-1].append(w)
        else:
            groups.append([w])
    return groups


def _single_gutter(block: list[tesseract.TsvWord]) -> int | None:
    """x of the one wide empty gutter splitting interleaved lines, or None."""
    lines = _group(block, key=lambda w: (w.paragraph, w.line))
    if len(lines) < MIN_SHARED_LINES:
        return None
    heights = sorted(w.height for w in block)
    min_gap = GUTTER_HEIGHTS * heights[len(heights) // 2]
    spans = sorted((w.left, w.left + w.width) for w in block)
    gaps: list[tuple[int, int]] = []
    reach = spans[0][1]
    for start, end in spans[1:]:
        if start - reach >= min_gap:
            gaps.append((reach, start))
        reach = max(reach, end)
    if len(gaps) != 1:
        return None
    lo, hi = gaps[0]
    shared = sum(1 for line in lines
                 if any(w.left + w.width <= lo for w in line) and any(w.left >= hi for w in line))
    return (lo + hi) // 2 if shared >= MIN_SHARED_LINES else None


def _renumber(column: list[tesseract.TsvWord], first_par: int) -> list[tesseract.TsvWord]:
    """Fresh paragraph/line numbers for one column: a new paragraph at a wide vertical gap."""
    lines = _group(column, key=lambda w: (w.paragraph, w.line))
    lines.sort(key=lambda line: min(w.top for w in line))
    heights = sorted(w.height for w in column)
    median_h = heights[len(heights) // 2] if heights else 1
    out: list[tesseract.TsvWord] = []
    par, prev_bottom = first_par, None
    for number, line in enumerate(lines, start=1):
        top = min(w.top for w in line)
        if prev_bottom is not None and top - prev_bottom > 1.5 * median_h:
            par += 1
        prev_bottom = max(w.top + w.height for w in line)
        out.extend(replace(w, paragraph=par, line=number) for w in line)
    return out


__all__ = ["ocr_page", "order_blocks", "split_columns", "text_page_to_ocr_page", "words_to_text"]
