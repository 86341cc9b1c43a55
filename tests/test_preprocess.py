"""pipeline.preprocess: each step measures, acts only when needed, and records what it did."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image

import imagegen
from pipeline.config import OcrOptions
from pipeline.preprocess import (
    box_to_source,
    measure_skew,
    preprocess,
    rotate_quarter,
    sideways_score,
)


@pytest.fixture(scope="module")
def clean() -> Image.Image:
    return imagegen.render_page(imagegen.CIRCULAR_LINES, dpi=300)


def _arr(img: Image.Image) -> np.ndarray:
    return np.asarray(img, dtype=np.uint8)


def _steps(steps) -> dict:
    return {s.name: s for s in steps}


def test_clean_page_is_left_untouched(clean):
    gray = _arr(clean)
    out, dpi, steps = preprocess(gray, 300, OcrOptions())
    assert dpi == 300
    assert np.array_equal(out, gray)
    assert [s.name for s in steps] == ["border", "deskew", "upscale", "normalise-background",
                                       "denoise", "contrast"]
    assert _steps(steps)["denoise"].params["specks_per_megapixel"] < 20
    assert not any(s.applied for s in steps)
    # Measurements are recorded even when nothing is done.
    by = _steps(steps)
    assert by["deskew"].params["angle"] == pytest.approx(0.0, abs=0.1)
    assert 100 < by["contrast"].params["otsu_threshold"] < 220


@pytest.mark.parametrize("angle", [-6.0, -2.5, -0.9, 0.7, 1.6, 4.0])
def test_deskew_measures_known_angle_and_straightens(clean, angle):
    skewed = _arr(imagegen.skew(clean, angle))
    measured, gain = measure_skew(skewed)
    assert measured == pytest.approx(angle, abs=0.5)
    out, _, steps = preprocess(skewed, 300, OcrOptions())
    step = _steps(steps)["deskew"]
    assert step.applied and step.params["angle"] == measured and gain > 1.03
    residual, _ = measure_skew(out)
    assert abs(residual) <= 0.3
    assert out.shape == skewed.shape  # rotated in place: coordinates stay comparable


def test_tiny_skew_is_measured_but_not_corrected(clean):
    skewed = _arr(imagegen.skew(clean, 0.15))
    out, _, steps = preprocess(skewed, 300, OcrOptions())
    step = _steps(steps)["deskew"]
    assert not step.applied and abs(step.params["angle"]) <= 0.3
    assert np.array_equal(out, skewed)


def test_blank_page_skips_deskew_with_reason():
    blank = np.full((1200, 850), 250, np.uint8)
    out, _, steps = preprocess(blank, 100, OcrOptions())
    assert _steps(steps)["deskew"].params["reason"] == "too little ink to measure"
    assert out.shape == (3600, 2550)  # upscaled 100 -> 300 dpi


def test_salt_and_pepper_noise_is_measured_and_removed(clean):
    noisy = _arr(imagegen.add_noise(clean, salt_pepper=0.03))
    out, _, steps = preprocess(noisy, 300, OcrOptions())
    step = _steps(steps)["denoise"]
    assert step.applied and step.params["specks_per_megapixel"] > 1000
    isolated_before = _isolated_dark_pixels(noisy)
    assert _isolated_dark_pixels(out) < isolated_before * 0.1


def _isolated_dark_pixels(gray: np.ndarray) -> int:
    dark = gray < 128
    neighbours = sum(np.roll(np.roll(dark, dy, 0), dx, 1)
                     for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx)
    return int(np.count_nonzero(dark & (neighbours == 0)))


def test_gaussian_paper_noise_triggers_denoise(clean):
    noisy = _arr(imagegen.add_noise(clean, salt_pepper=0.0, sigma=25))
    _, _, steps = preprocess(noisy, 300, OcrOptions())
    step = _steps(steps)["denoise"]
    assert step.applied and step.params["paper_sigma"] > 9


def test_uneven_lighting_is_flattened(clean):
    shaded = _arr(imagegen.uneven_light(clean, darkest=110))
    out, _, steps = preprocess(shaded, 300, OcrOptions())
    step = _steps(steps)["normalise-background"]
    assert step.applied and step.params["background_range"] > 40
    # Paper in the dark corner comes back close to the paper in the light corner.
    h, w = out.shape
    assert abs(int(np.median(out[-200:, -200:])) - int(np.median(out[:200, :200]))) < 15


def test_low_contrast_is_stretched(clean):
    faded = _arr(imagegen.low_contrast(clean, ink=150, paper=210))
    out, _, steps = preprocess(faded, 300, OcrOptions())
    step = _steps(steps)["contrast"]
    assert step.applied and step.params["paper"] - step.params["ink"] < 110
    assert np.percentile(out, 90) - np.percentile(out, 0.5) > 150


def test_dark_scanner_border_is_whitened_and_box_recorded(clean):
    bordered = _arr(imagegen.dark_border(clean, px=80))
    out, _, steps = preprocess(bordered, 300, OcrOptions())
    step = _steps(steps)["border"]
    assert step.applied
    left, top, right, bottom = step.params["content_box"]
    assert 80 <= left <= 100 and 40 <= top <= 60 and bottom == out.shape[0]
    assert out[:, :left].min() > 200 and out[:top, :].min() > 200
    # Text inside the content box is untouched.
    inner = (slice(400, 1200), slice(300, 2000))
    assert np.array_equal(out[inner], bordered[inner])


def test_low_resolution_scan_is_upscaled_to_300_dpi(clean):
    low = _arr(imagegen.downsample(clean, 300, 150))
    out, dpi, steps = preprocess(low, 150, OcrOptions())
    step = _steps(steps)["upscale"]
    assert step.applied and step.params == {"from_dpi": 150, "to_dpi": 300, "factor": 2.0}
    assert dpi == 300 and out.shape == (low.shape[0] * 2, low.shape[1] * 2)


def test_preprocessing_disabled_returns_input(clean):
    gray = _arr(imagegen.skew(clean, 3))
    out, dpi, steps = preprocess(gray, 200, OcrOptions(preprocess=False))
    assert out is gray and dpi == 200
    assert [(s.name, s.applied) for s in steps] == [("preprocess", False)]


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_quarter_turns_rotate_clockwise_and_are_recorded(clean, turns):
    gray = _arr(clean)
    out, _, steps = preprocess(gray, 300, OcrOptions(), quarter_turns=turns)
    assert steps[0].name == "orientation" and steps[0].params["rotated_clockwise"] == 90 * turns
    assert np.array_equal(out, np.rot90(gray, -turns))


@pytest.mark.parametrize("make,sideways", [
    (lambda im: im, False),
    (lambda im: imagegen.dark_border(im, px=100), False),
    (lambda im: imagegen.skew(im, 4), False),
    (lambda im: imagegen.rotate_quarter(im, 90), True),
    (lambda im: imagegen.rotate_quarter(im, 270), True),
])
def test_sideways_score_flags_quarter_turned_pages_only(clean, make, sideways):
    assert (sideways_score(_arr(make(clean))) > 1.5) is sideways


def test_rotate_quarter_zero_is_identity(clean):
    gray = _arr(clean)
    assert rotate_quarter(gray, 0) is gray and rotate_quarter(gray, 4) is gray


def test_colour_input_is_refused():
    with pytest.raises(ValueError, match="8-bit single-channel"):
        preprocess(np.zeros((10, 10, 3), np.uint8), 300, OcrOptions())


@pytest.mark.parametrize("turns,skew_deg,dpi", [
    (0, 0.0, 300), (0, 3.0, 300), (0, 0.0, 150), (1, 0.0, 300), (2, 2.0, 200), (3, -4.0, 150),
])
def test_box_to_source_undoes_turns_deskew_and_upscale(clean, turns, skew_deg, dpi):
    # A page of text (so deskew has lines to measure) plus one solid marker block.
    page = imagegen.skew(clean, skew_deg) if skew_deg else clean.copy()
    page = imagegen.downsample(page, 300, dpi) if dpi != 300 else page
    gray = np.asarray(page, dtype=np.uint8).copy()
    h, w = gray.shape
    marker = (int(w * 0.6), int(h * 0.8), int(w * 0.1), int(h * 0.04))
    x, y, mw, mh = marker
    gray[y:y + mh, x:x + mw] = 0
    out, _, steps = preprocess(gray, dpi, OcrOptions(), quarter_turns=turns)
    # Find the marker on the output: the largest solid dark region.
    _, _, stats, _ = cv2.connectedComponentsWithStats((out < 100).astype(np.uint8))
    biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    bx, by, bw, bh = (int(v) for v in stats[biggest, :4])
    mapped = box_to_source((bx, by, bw, bh), steps)
    tolerance = 0.012 * max(w, h) + (abs(skew_deg) / 57.3) * max(mw, mh)
    for got, want in zip(mapped, marker):
        assert abs(got - want) <= tolerance, (mapped, marker, [s.name for s in steps if s.applied])


@pytest.mark.parametrize("max_pixels,expect_dpi", [(10_000_000, 300), (2_000_000, 143), (900_000, 100)])
def test_upscaling_never_exceeds_the_pixel_limit(max_pixels, expect_dpi):
    gray = np.full((1169, 827), 255, np.uint8)  # A4 at 100 dpi
    gray[500:520, 100:700] = 0
    out, dpi, steps = preprocess(gray, 100, OcrOptions(max_pixels=max_pixels))
    assert out.size <= max(max_pixels, gray.size) and dpi == expect_dpi
    step = next(s for s in steps if s.name == "upscale")
    assert step.applied is (expect_dpi > 100)
