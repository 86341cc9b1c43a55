"""Preprocessing of a page image before OCR: measure first, act only when it helps.

Each step measures something on a small copy of the page (cheap) and changes the full
image only when the measurement says the page needs it; every step is logged as a
``PreprocessStep`` with what it measured and, when applied, what it did. On a clean page
nearly every step records ``applied=False``: preprocessing must never make a clean page worse.

Order: orientation (quarter turns the caller asks for), border, deskew, upscale (never past
``options.page_pixels`` or ``options.max_pixels``), background, denoise, contrast. Binarisation is left to Tesseract
(its Otsu on a cleaned page equals ours; the measured threshold is recorded by "contrast").

Coordinates: borders are whitened rather than cropped and deskewing rotates in place, so
the output has the input's size except for upscaling (``params["factor"]``) and quarter turns.
Word boxes from OCR refer to the output image; ``box_to_source`` maps them back onto the page
image as loaded, using the logged steps.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from pipeline.config import OcrOptions
from pipeline.models import Box, PreprocessStep

MEASURE_LONG_SIDE = 1000  # px: measurements run on a copy this size
BACKGROUND_LONG_SIDE = 400
SKEW_POINTS = 60_000  # ink pixels sampled for the skew search
TARGET_DPI = 300
UPSCALE_BELOW_DPI = 250
MIN_SKEW_DEG = 0.3
MAX_SKEW_DEG = 10.0
MIN_SKEW_GAIN = 1.03  # below this the profile barely prefers the angle: noise, not skew
MAX_BORDER_FRACTION = 0.15
UNEVEN_BACKGROUND_RANGE = 40  # gray levels of paper brightness variation across the page
LOW_CONTRAST = 110  # paper - ink below this is stretched
NOISE_WINDOW = 800  # px square at full resolution where noise is measured
SPECK_AREA = 6  # px: dark components this small are noise, not type
SPECKS_PER_MPX = 150.0  # more specks than this per megapixel: denoise
NOISE_SIGMA = 9.0  # paper noise (sigma estimate, gray levels) above this is denoised


def preprocess(
    gray: np.ndarray, dpi: int, options: OcrOptions = OcrOptions(), *, quarter_turns: int = 0
) -> tuple[np.ndarray, int, tuple[PreprocessStep, ...]]:
    """Clean one grayscale page for OCR. Returns (image, effective dpi, steps).

    ``quarter_turns`` (0-3) rotates the page clockwise by that many 90° turns first — the
    caller decides orientation (OSD is expensive; see ``pipeline.ocr``). When no step acts,
    the input array itself is returned (callers may test ``out is gray`` to skip a rewrite).
    """
    if gray.ndim != 2 or gray.dtype != np.uint8:
        raise ValueError("preprocess expects an 8-bit single-channel image")
    steps: list[PreprocessStep] = []
    if quarter_turns % 4:
        steps.append(orientation_step(gray, quarter_turns))
        gray = rotate_quarter(gray, quarter_turns)
    if not options.preprocess:
        steps.append(PreprocessStep("preprocess", False, {"reason": "disabled by options"}))
        return gray, dpi, tuple(steps)
    page = _Page(gray)
    for step in (_clean_border, _deskew):
        steps.append(step(page))
    # Never past the page budget: upscaling a page the loader rendered small to stay within
    # it would undo the budget (a 200-inch poster at 22 dpi, upscaled to 300 dpi, is 3.6
    # gigapixels).
    gray, dpi, made = _upscale(page.gray, dpi, min(options.max_pixels, options.page_pixels))
    steps.append(made)
    page = _Page(gray, page._small)
    for step in (_normalise_background, _denoise, _stretch_contrast):
        steps.append(step(page))
    return page.gray, dpi, tuple(steps)


class _Page:
    """The full image plus cached measurement copies, refreshed whenever a step changes it."""

    def __init__(self, gray: np.ndarray, small: np.ndarray | None = None) -> None:
        self.gray = gray
        self._small = small  # long-side-limited copy; upscaling leaves it valid

    def replace(self, gray: np.ndarray) -> None:
        self.gray, self._small = gray, None

    @property
    def small(self) -> tuple[np.ndarray, float]:
        if self._small is None:
            self._small = small_copy(self.gray)[0]
        return self._small, self._small.shape[0] / self.gray.shape[0]


def orientation_step(gray: np.ndarray, quarter_turns: int) -> PreprocessStep:
    """The log entry for turning ``gray`` clockwise by ``quarter_turns`` × 90°."""
    h, w = gray.shape[:2]
    return PreprocessStep("orientation", True, {"rotated_clockwise": 90 * (quarter_turns % 4),
                                                "input_size": [w, h]})


# ----------------------------------------------------------------------------- coordinates


def box_to_source(box: Box, steps: tuple[PreprocessStep, ...] | list[PreprocessStep]) -> Box:
    """Map a box on the OCR'd (preprocessed) image back onto the page image as loaded.

    Undoes, in reverse order, every applied step that moved pixels: upscaling, deskew
    rotation and quarter turns (border whitening, denoising and contrast keep coordinates).
    The result is the bounding box of the mapped corners, in source pixels.
    """
    left, top, width, height = box
    pts = np.array([[left, top], [left + width, top], [left, top + height],
                    [left + width, top + height]], dtype=np.float64)
    for step in reversed(list(steps)):
        if not step.applied:
            continue
        if step.name == "upscale":
            pts /= float(step.params["factor"])
        elif step.name == "deskew":
            w, h = step.params["input_size"]
            forward = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), step.params["rotated_by"], 1.0)
            inverse = cv2.invertAffineTransform(forward)
            pts = pts @ inverse[:, :2].T + inverse[:, 2]
        elif step.name == "orientation":
            pts = _unturn(pts, int(step.params["rotated_clockwise"]), *step.params["input_size"])
    x0, y0 = np.floor(pts.min(axis=0))
    x1, y1 = np.ceil(pts.max(axis=0))
    return int(x0), int(y0), int(x1 - x0), int(y1 - y0)


def _unturn(pts: np.ndarray, degrees: int, w: int, h: int) -> np.ndarray:
    """Points on an image turned clockwise by ``degrees`` back onto the w x h original."""
    x, y = pts[:, 0], pts[:, 1]
    if degrees % 360 == 90:
        return np.stack([y, h - x], axis=1)
    if degrees % 360 == 180:
        return np.stack([w - x, h - y], axis=1)
    if degrees % 360 == 270:
        return np.stack([w - y, x], axis=1)
    return pts


# ----------------------------------------------------------------------------- helpers


def rotate_quarter(gray: np.ndarray, quarter_turns: int) -> np.ndarray:
    """Rotate clockwise by ``quarter_turns`` × 90°."""
    codes = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}
    turns = quarter_turns % 4
    return cv2.rotate(gray, codes[turns]) if turns else gray


def small_copy(gray: np.ndarray, long_side: int = MEASURE_LONG_SIDE) -> tuple[np.ndarray, float]:
    """A copy at most ``long_side`` px on its long side, and its scale factor.

    Shrinks by an integer factor (OpenCV's fast path for area averaging).
    """
    factor = math.ceil(max(gray.shape) / long_side)
    if factor <= 1:
        return gray, 1.0
    small = cv2.resize(gray, None, fx=1.0 / factor, fy=1.0 / factor, interpolation=cv2.INTER_AREA)
    return small, small.shape[0] / gray.shape[0]


def ink_mask(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """Binary mask of ink (Otsu) and the threshold used."""
    threshold, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return mask, float(threshold)


def local_ink_mask(small: np.ndarray) -> np.ndarray:
    """Ink mask by local mean threshold: a shaded corner is not ink, faint type still is."""
    block = max(15, (min(small.shape) // 40) | 1)
    return cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                 block, 12)


def _histogram(values: np.ndarray) -> np.ndarray:
    return cv2.calcHist([np.ascontiguousarray(values)], [0], None, [256], [0, 256]).ravel()


def _hist_percentile(hist: np.ndarray, q: float) -> float:
    total = hist.sum()
    if total == 0:
        return 0.0
    return float(np.searchsorted(np.cumsum(hist), total * q / 100.0))


def paper_and_ink(gray: np.ndarray) -> tuple[float, float]:
    """Typical paper and ink gray levels (median of the light class, quartile of the dark)."""
    paper, ink, _ = _levels(gray)
    return paper, ink


def _levels(gray: np.ndarray) -> tuple[float, float, float]:
    """(paper, ink, Otsu threshold), sampled with a stride, not a resize: averaging would grey
    thin strokes and understate the contrast of type."""
    step = max(1, round(max(gray.shape) / 1200))
    sample = np.ascontiguousarray(gray[::step, ::step])
    threshold, _ = cv2.threshold(sample, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    hist = _histogram(sample)
    cut = int(threshold) + 1
    paper_hist, ink_hist = hist.copy(), hist.copy()
    paper_hist[:cut], ink_hist[cut:] = 0, 0
    if paper_hist.sum() == 0:
        return 255.0, 255.0, float(threshold)
    paper = _hist_percentile(paper_hist, 50)
    ink = _hist_percentile(ink_hist, 25) if ink_hist.sum() else paper
    return paper, ink, float(threshold)


# ----------------------------------------------------------------------------- border


def _dark_band(fraction_dark: np.ndarray, limit: int) -> int:
    """How many leading rows/columns are mostly dark (a scanner border)."""
    n = 0
    while n < limit and fraction_dark[n] > 0.6:
        n += 1
    return n


def _clean_border(page: _Page) -> PreprocessStep:
    small, scale = page.small
    paper = _hist_percentile(_histogram(small), 90)
    dark = small < paper * 0.5
    rows, cols = dark.mean(axis=1), dark.mean(axis=0)
    h, w = small.shape
    lim_h, lim_w = int(h * MAX_BORDER_FRACTION), int(w * MAX_BORDER_FRACTION)
    top, bottom = _dark_band(rows, lim_h), _dark_band(rows[::-1], lim_h)
    left, right = _dark_band(cols, lim_w), _dark_band(cols[::-1], lim_w)
    if not (top or bottom or left or right):
        return PreprocessStep("border", False, {"dark_border_px": 0})
    pad = 2  # small-image px of grey fringe at the edge of a dark band
    H, W = page.gray.shape

    def full(n: int, size: int) -> int:
        return min(size, math.ceil((n + pad) / scale)) if n else 0

    t, b, lft, r = full(top, H), full(bottom, H), full(left, W), full(right, W)
    out = page.gray.copy()
    fill = int(round(paper))
    if t:
        out[:t, :] = fill
    if b:
        out[H - b:, :] = fill
    if lft:
        out[:, :lft] = fill
    if r:
        out[:, W - r:] = fill
    page.replace(out)
    content_box = [lft, t, W - r, H - b]  # left, top, right, bottom kept as page content
    return PreprocessStep("border", True, {"content_box": content_box,
                                           "whitened_px": {"top": t, "bottom": b,
                                                           "left": lft, "right": r}})


# ----------------------------------------------------------------------------- deskew


def measure_skew(gray: np.ndarray) -> tuple[float | None, float]:
    """Skew of the text lines in degrees (counter-clockwise positive) and the profile gain.

    Projection-profile search on a small binary copy: the angle at which rows of ink pixels
    line up best (sharpest horizontal profile). Returns (None, 0) on a nearly blank page.
    """
    return _measure_skew_small(small_copy(gray)[0])


def _measure_skew_small(small: np.ndarray) -> tuple[float | None, float]:
    mask = local_ink_mask(small)
    ys, xs = np.nonzero(mask)
    if len(ys) < 500 or len(ys) > 0.5 * mask.size:
        return None, 0.0
    if len(ys) > SKEW_POINTS:
        pick = np.random.default_rng(0).choice(len(ys), SKEW_POINTS, replace=False)
        ys, xs = ys[pick], xs[pick]
    ys = ys.astype(np.float32) - ys.mean()
    xs = xs.astype(np.float32) - xs.mean()

    def score(deg: float) -> float:
        a = math.radians(deg)
        rows = np.rint(ys * math.cos(a) + xs * math.sin(a)).astype(np.int32)
        hist = np.bincount(rows - rows.min()).astype(np.float64)
        return float(np.dot(hist, hist))

    coarse = np.arange(-MAX_SKEW_DEG, MAX_SKEW_DEG + 1e-9, 0.25)
    scores = [score(a) for a in coarse]
    best = float(coarse[int(np.argmax(scores))])
    fine = np.arange(best - 0.3, best + 0.3 + 1e-9, 0.05)
    fine_scores = [score(a) for a in fine]
    angle = float(fine[int(np.argmax(fine_scores))])
    gain = max(fine_scores) / max(score(0.0), 1.0)
    return round(angle, 2) + 0.0, round(gain, 3)


def _deskew(page: _Page) -> PreprocessStep:
    small, _ = page.small
    angle, gain = _measure_skew_small(small)
    if angle is None:
        return PreprocessStep("deskew", False, {"reason": "too little ink to measure"})
    params = {"angle": angle, "profile_gain": gain}
    if abs(angle) <= MIN_SKEW_DEG or abs(angle) >= MAX_SKEW_DEG or gain < MIN_SKEW_GAIN:
        return PreprocessStep("deskew", False, params)
    h, w = page.gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), -angle, 1.0)
    paper = _hist_percentile(_histogram(small), 90)
    page.replace(cv2.warpAffine(page.gray, matrix, (w, h), flags=cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_CONSTANT, borderValue=int(round(paper))))
    params["rotated_by"] = -angle
    params["input_size"] = [w, h]
    return PreprocessStep("deskew", True, params)


# ----------------------------------------------------------------------------- upscale


def _upscale(gray: np.ndarray, dpi: int, max_pixels: int) -> tuple[np.ndarray, int, PreprocessStep]:
    if dpi >= UPSCALE_BELOW_DPI:
        return gray, dpi, PreprocessStep("upscale", False, {"dpi": dpi})
    # Never past the pixel limit: that would undo the decompression-bomb guard of the loader.
    fits = math.sqrt(max_pixels / max(gray.size, 1))
    factor = min(TARGET_DPI / max(dpi, 1), fits * 0.999)
    if factor <= 1.05:
        return gray, dpi, PreprocessStep("upscale", False, {"dpi": dpi, "reason":
                                                            "would exceed max_pixels"})
    if factor < TARGET_DPI / max(dpi, 1):
        target = int(dpi * factor)
        size = (int(gray.shape[1] * factor), int(gray.shape[0] * factor))
        out = cv2.resize(gray, size, interpolation=cv2.INTER_CUBIC)
        return out, target, PreprocessStep("upscale", True, {
            "from_dpi": dpi, "to_dpi": target, "factor": round(size[1] / gray.shape[0], 4),
            "limited_by": "max_pixels"})
    size = (round(gray.shape[1] * factor), round(gray.shape[0] * factor))
    out = cv2.resize(gray, size, interpolation=cv2.INTER_CUBIC)
    return out, TARGET_DPI, PreprocessStep("upscale", True, {"from_dpi": dpi, "to_dpi": TARGET_DPI,
                                                            "factor": round(factor, 4)})


# ----------------------------------------------------------------------------- denoise


def measure_noise(gray: np.ndarray) -> tuple[float, float]:
    """(specks per megapixel, paper noise sigma) on the middle of the page at full resolution.

    Specks: dark connected components of at most SPECK_AREA pixels — type has none (even a
    full stop at 8 pt and 300 dpi is ~16 px), salt-and-pepper and dust give thousands.
    Paper sigma: std of the paper (away from glyph edges) around its median-filtered self.
    """
    h, w = gray.shape
    half = NOISE_WINDOW // 2  # a central window: noise is page-wide, type is near the middle
    cy, cx = h // 2, w // 2
    crop = np.ascontiguousarray(gray[max(0, cy - half): cy + half, max(0, cx - half): cx + half])
    mask, threshold = ink_mask(crop)
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    specks = int(np.count_nonzero(stats[1:, cv2.CC_STAT_AREA] <= SPECK_AREA))
    per_mpx = specks * 1e6 / max(crop.size, 1)
    paper = cv2.erode((crop > threshold + 10).astype(np.uint8), np.ones((7, 7), np.uint8))
    if cv2.countNonZero(paper) < 100:
        return round(per_mpx, 1), 0.0
    # Mean absolute deviation x 1.25 estimates sigma for Gaussian noise, in uint8 (fast).
    deviation = cv2.absdiff(crop, cv2.medianBlur(crop, 5))
    sigma = 1.25 * float(cv2.mean(deviation, mask=paper)[0])
    return round(per_mpx, 1), round(sigma, 2)


def _denoise(page: _Page) -> PreprocessStep:
    specks, sigma = measure_noise(page.gray)
    params = {"specks_per_megapixel": specks, "paper_sigma": sigma}
    if specks <= SPECKS_PER_MPX and sigma <= NOISE_SIGMA:
        return PreprocessStep("denoise", False, params)
    params["filter"] = "median 3x3"
    page.replace(cv2.medianBlur(page.gray, 3))
    return PreprocessStep("denoise", True, params)


# ----------------------------------------------------------------------------- light


def _background(tiny: np.ndarray) -> np.ndarray:
    """Paper brightness map: ink removed by a grey-level closing larger than any glyph line."""
    k = max(5, (min(tiny.shape) // 25) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    closed = cv2.morphologyEx(tiny, cv2.MORPH_CLOSE, kernel)
    return cv2.GaussianBlur(closed, (0, 0), k / 2)


def _normalise_background(page: _Page) -> PreprocessStep:
    # Paper light varies slowly: a 400-px copy is plenty to map it.
    tiny, _ = small_copy(page.small[0], BACKGROUND_LONG_SIDE)
    bg = _background(tiny)
    hist = _histogram(bg)
    lo, hi = _hist_percentile(hist, 2), _hist_percentile(hist, 98)
    params = {"background_range": round(hi - lo, 1)}
    if hi - lo <= UNEVEN_BACKGROUND_RANGE:
        return PreprocessStep("normalise-background", False, params)
    gray = page.gray
    full_bg = cv2.resize(bg, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    page.replace(cv2.divide(gray, np.maximum(full_bg, 1), scale=255))
    return PreprocessStep("normalise-background", True, params)


def _stretch_contrast(page: _Page) -> PreprocessStep:
    paper, ink, threshold = _levels(page.gray)
    params = {"paper": round(paper, 1), "ink": round(ink, 1), "otsu_threshold": threshold}
    if paper - ink >= LOW_CONTRAST or paper - ink < 10:
        return PreprocessStep("contrast", False, params)
    lut = np.clip((np.arange(256, dtype=np.float32) - ink) * 255.0 / (paper - ink), 0, 255)
    page.replace(cv2.LUT(page.gray, lut.astype(np.uint8)))
    return PreprocessStep("contrast", True, params)


# ----------------------------------------------------------------------------- OCR region

REGION_PAD_IN = 0.15  # inches of paper kept around the ink: Tesseract needs a quiet margin
REGION_MIN_SAVING = 0.10  # crop only when it removes at least this share of the pixels
REGION_SPECK_PX = 4  # small-copy components this small (area) are dust, not print


def ocr_region(gray: np.ndarray, dpi: int) -> tuple[PreprocessStep, tuple[int, int, int, int] | None]:
    """The part of the page Tesseract needs to read: the ink's bounding box plus a margin.

    Tesseract's page layout analysis scales with pixels, and blank margins are a third or
    more of a typical A4 scan: reading only the inked region costs about 13% less CPU per
    page with the same words (bench/throughput.py). The page itself is not cropped; the
    caller OCRs the region and shifts the word boxes back by its offset. Returns the log
    step and the region ``(left, top, width, height)``, or None to read the whole page.
    """
    small, scale = small_copy(gray)
    mask = local_ink_mask(small)
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    keep = stats[1:][stats[1:, cv2.CC_STAT_AREA] > REGION_SPECK_PX]
    if count <= 1 or len(keep) == 0:
        return PreprocessStep("ocr-region", False, {"reason": "no ink found"}), None
    H, W = gray.shape
    pad = REGION_PAD_IN * dpi
    left = max(0, math.floor(keep[:, cv2.CC_STAT_LEFT].min() / scale - pad))
    top = max(0, math.floor(keep[:, cv2.CC_STAT_TOP].min() / scale - pad))
    right = min(W, math.ceil((keep[:, cv2.CC_STAT_LEFT] + keep[:, cv2.CC_STAT_WIDTH]).max() / scale + pad))
    bottom = min(H, math.ceil((keep[:, cv2.CC_STAT_TOP] + keep[:, cv2.CC_STAT_HEIGHT]).max() / scale + pad))
    region = (left, top, right - left, bottom - top)
    saving = 1.0 - (region[2] * region[3]) / float(W * H)
    params = {"region": list(region), "pixels_saved": round(saving, 3)}
    if saving < REGION_MIN_SAVING:
        return PreprocessStep("ocr-region", False, params), None
    return PreprocessStep("ocr-region", True, params), region


# ----------------------------------------------------------------------------- orientation


def sideways_score(gray: np.ndarray) -> float:
    """Cheap check for a page turned 90°/270°: column-profile vs row-profile sharpness.

    Horizontal text makes the row profile of ink peaky (lines and gaps); turned sideways the
    column profile is. Above ~1 the page is likely sideways; OSD then decides the direction.
    """
    small, _ = small_copy(gray, 700)
    mask = local_ink_mask(small)
    # Scanner borders are solid dark bands, not text: leave them out of the profiles.
    mask[mask.mean(axis=1) > 0.6 * 255, :] = 0
    mask[:, mask.mean(axis=0) > 0.6 * 255] = 0
    if np.count_nonzero(mask) < 500:
        return 0.0
    rows = mask.sum(axis=1, dtype=np.float64)
    cols = mask.sum(axis=0, dtype=np.float64)

    def peakiness(profile: np.ndarray) -> float:
        m = profile.mean()
        return float(profile.var() / (m * m)) if m else 0.0

    return round(peakiness(cols) / max(peakiness(rows), 1e-9), 3)


__all__ = ["box_to_source", "measure_noise", "measure_skew", "ocr_region", "orientation_step",
           "preprocess", "rotate_quarter", "sideways_score"]
