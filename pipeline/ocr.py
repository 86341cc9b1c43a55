"""OCR of one page: preprocess, Tesseract, page text built from words with exact spans.

The page text and its reading order are built in ``pipeline.layout``.

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
from pipeline.errors import BadArgsError, CorruptFileError, InputFileError
from pipeline.layout import words_to_text
from pipeline.models import OcrPage, PreprocessStep, RasterPage, TextPage
from pipeline.preprocess import (
    ocr_region,
    orientation_step,
    preprocess,
    rotate_quarter,
    sideways_score,
)
from pipeline.searchable_pdf import page_with_text_layer

SIDEWAYS_SCORE = 1.5  # column/row profile ratio above which OSD is asked before OCR
OSD_MIN_CONFIDENCE = 2.0  # Tesseract's orientation confidence; below this keep the page as is
POOR_MEAN_CONFIDENCE = 55.0
BLANK_INK_FRACTION = 0.002


def ocr_page(
    page: RasterPage | TextPage, options: OcrOptions = OcrOptions(), workdir: Path | None = None,
    *, pixels: np.ndarray | None = None,
) -> OcrPage:
    """OCR a raster page (or pass a text page through) into an ``OcrPage``.

    With ``workdir``, the preprocessed image and the one-page searchable PDF are kept there
    (``pdf_path``: a JPEG of the image Tesseract read, its invisible text layer on top);
    without, temporary files are removed and ``pdf_path`` is None. ``pixels``, the page's
    8-bit grey image already decoded by the loader (``load.open_single_page``), saves
    reading ``page.image_path`` again.
    """
    if isinstance(page, TextPage):
        return text_page_to_ocr_page(page, options)
    tesseract.check_installed(options.languages)
    gray = _read_gray(page.image_path) if pixels is None else _checked_pixels(pixels, page)
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


def _checked_pixels(pixels: np.ndarray, page: RasterPage) -> np.ndarray:
    if pixels.dtype != np.uint8 or pixels.ndim != 2 or pixels.shape != (page.height, page.width):
        raise BadArgsError(f"page pixels must be 8-bit grey {page.width}x{page.height}, got "
                           f"{pixels.dtype} {pixels.shape}")
    return pixels


def _write_image(image: np.ndarray, path: Path) -> str:
    # Uncompressed BMP: written in ~3 ms, and Tesseract reads it ~0.1 s faster than it
    # decodes a PNG (measured on A4 at 300 dpi); it lives only until Tesseract has read it.
    if not cv2.imwrite(str(path), image):
        raise InputFileError("cannot write the preprocessed page image", path=str(path))
    return str(path)


def _read_region(image: np.ndarray, region: tuple[int, int, int, int] | None, bmp: Path,
                 dpi: int, options: OcrOptions, keep_pdf: bool) -> tesseract.TesseractResult:
    """OCR ``region`` of ``image`` (all of it when None); word boxes in page coordinates."""
    # Even an unchanged image is rewritten: a BMP costs less than Tesseract decoding a PNG.
    image_path = _write_image(_crop(image, region), bmp)
    try:
        result = tesseract.ocr_image(image_path, options.languages, options.page_timeout_s,
                                     want_pdf=keep_pdf, dpi=dpi, psm=options.page_segmentation,
                                     out_dir=str(bmp.parent), text_only_pdf=True)
    finally:
        Path(image_path).unlink(missing_ok=True)  # ~9 MB a page: never pile up in the work dir
    return _shifted(result, region)


def _ocr_raster(page: RasterPage, gray: np.ndarray, options: OcrOptions, wd: Path,
                keep_pdf: bool) -> OcrPage:
    stem = Path(page.image_path).stem
    turns, orientation = _orientation_before_ocr(gray, page, options)
    image, dpi, steps = preprocess(gray, page.dpi, options, quarter_turns=turns)
    region_step, region = (ocr_region(image, dpi) if options.preprocess else
                           (PreprocessStep("ocr-region", False, {"reason": "preprocessing off"}), None))
    result = _read_region(image, region, wd / f"{stem}-ocr.bmp", dpi, options, keep_pdf)
    if orientation is None and _is_poor(result.words, image):
        turned, result, orientation = _retry_rotated(image, result, dpi, options, wd / stem,
                                                     keep_pdf)
        if turned is not image:  # turned after preprocessing: logged last, undone first
            steps = (*steps, orientation_step(image, int(orientation.params["osd_rotate"]) // 90))
            region = None  # the rotated pass read the whole page
            region_step = PreprocessStep("ocr-region", False, {
                **region_step.params, "reason": "rotated page read whole"})
        image = turned
    if orientation is not None:
        steps = (orientation, *steps)
    steps = (*steps, region_step)
    if result.pdf_path:  # Tesseract's text layer over a JPEG of the image it read
        page_with_text_layer(result.pdf_path, image, result.pdf_path, region=region)
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


def _crop(image: np.ndarray, region: tuple[int, int, int, int] | None) -> np.ndarray:
    if region is None:
        return image
    left, top, width, height = region
    return image[top:top + height, left:left + width]


def _shifted(result: tesseract.TesseractResult,
             region: tuple[int, int, int, int] | None) -> tesseract.TesseractResult:
    """Word boxes of a region's OCR moved back into whole-page coordinates."""
    if region is None or (region[0] == 0 and region[1] == 0):
        return result
    dx, dy = region[0], region[1]
    words = tuple(replace(w, left=w.left + dx, top=w.top + dy) for w in result.words)
    return replace(result, words=words)


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


def _retry_rotated(image: np.ndarray, first: tesseract.TesseractResult, dpi: int,
                   options: OcrOptions, base: Path, keep_pdf: bool):
    """After a poor pass: ask OSD, rotate, OCR again, keep whichever pass is better."""
    osd_path = _write_image(image, base.with_name(base.name + "-osd.bmp"))
    try:
        rotate, confidence = tesseract.detect_orientation(osd_path,
                                                          timeout_s=options.page_timeout_s)
    finally:
        Path(osd_path).unlink(missing_ok=True)
    params = {"trigger": "poor first pass", "first_pass_words": len(first.words),
              "osd_rotate": rotate, "osd_confidence": confidence}
    if rotate == 0 or confidence < OSD_MIN_CONFIDENCE:
        return image, first, PreprocessStep("orientation-check", False, params)
    rotated = rotate_quarter(image, rotate // 90)
    second = _read_region(rotated, None, base.with_name(base.name + f"-ocr-r{rotate}.bmp"), dpi,
                          options, keep_pdf)
    better = _score(second.words) > _score(first.words)
    params["kept"] = "rotated" if better else "original"
    _remove_outputs(first if better else second)
    if better:
        return rotated, second, PreprocessStep("orientation-check", True, params)
    return image, first, PreprocessStep("orientation-check", False, params)


def _remove_outputs(result: tesseract.TesseractResult) -> None:
    if result.pdf_path:
        Path(result.pdf_path).unlink(missing_ok=True)


__all__ = ["ocr_page", "text_page_to_ocr_page"]
