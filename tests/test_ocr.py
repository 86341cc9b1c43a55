"""pipeline.ocr / pipeline.tesseract / pipeline.searchable_pdf with the real Tesseract."""

from __future__ import annotations

import os
from pathlib import Path

import jiwer
import numpy as np
import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

import imagegen
from pipeline import tesseract
from pipeline.config import OcrOptions
from pipeline.errors import (
    BadArgsError,
    CorruptFileError,
    InputFileError,
    MissingDependencyError,
    OcrEngineError,
    OcrTimeoutError,
)
from pipeline.load import identify, iter_pages
from pipeline.models import RasterPage, TextPage, Word
from pipeline.layout import words_to_text
from pipeline.ocr import ocr_page
from pipeline.searchable_pdf import merge_pages, page_with_text_layer

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

TRUTH = imagegen.page_text(imagegen.CIRCULAR_LINES)


def _cer(text: str, truth: str = TRUTH) -> float:
    # Paragraph breaks are layout, not content: compare line by line.
    lines = [line for line in text.splitlines() if line.strip()]
    return jiwer.cer(truth, "\n".join(lines))


def _raster(img: Image.Image, path: Path, dpi: int = 300) -> RasterPage:
    img.save(path)
    return RasterPage(number=1, image_path=str(path), dpi=dpi, width=img.width,
                      height=img.height, decision="test page")


@pytest.fixture(scope="module")
def clean() -> Image.Image:
    return imagegen.render_page(imagegen.CIRCULAR_LINES, dpi=300)


@pytest.fixture(scope="module")
def clean_ocr(clean, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("clean")
    return ocr_page(_raster(clean, tmp / "clean.png"), OcrOptions(), workdir=tmp / "work")


# ----------------------------------------------------------------------------- accuracy


def test_clean_page_ocrs_with_cer_at_most_one_percent(clean_ocr):
    assert clean_ocr.source == "ocr" and clean_ocr.language == "eng"
    assert _cer(clean_ocr.text) <= 0.01, clean_ocr.text
    assert clean_ocr.mean_confidence > 85
    assert clean_ocr.low_confidence_words <= 3


def test_dejavu_serif_page_ocrs_with_cer_at_most_one_percent(tmp_path):
    img = imagegen.render_page(imagegen.UNIVERSITY_LINES, dpi=300, font_name="dejavu-serif",
                               size_pt=11)
    page = ocr_page(_raster(img, tmp_path / "dv.png"))
    assert _cer(page.text, imagegen.page_text(imagegen.UNIVERSITY_LINES)) <= 0.01, page.text


def test_word_spans_and_boxes_are_consistent_with_page_text(clean_ocr):
    text, words = clean_ocr.text, clean_ocr.words
    assert len(words) == len(text.split())
    for w in words:
        assert text[w.span[0]:w.span[1]] == w.text
        left, top, width, height = w.box
        assert 0 <= left and 0 <= top and left + width <= clean_ocr.width
        assert top + height <= clean_ocr.height
    # Spans are in order and do not overlap.
    assert all(a.span[1] < b.span[0] for a, b in zip(words, words[1:]))
    first = next(w for w in words if w.text == "GOVERNMENT")
    assert abs(first.box[0] - 300) <= 6  # drawn 1 inch (300 px) from the left edge


def test_preprocessing_does_not_lower_accuracy_on_a_clean_page(clean, clean_ocr, tmp_path):
    raw = ocr_page(_raster(clean, tmp_path / "raw.png"), OcrOptions(preprocess=False))
    assert _cer(clean_ocr.text) <= _cer(raw.text)
    # Nothing changed the pixels; Tesseract only skipped the blank margins.
    assert not any(s.applied for s in clean_ocr.preprocessing if s.name != "ocr-region")
    [region] = [s for s in clean_ocr.preprocessing if s.name == "ocr-region"]
    assert region.applied and region.params["pixels_saved"] > 0.1


@pytest.mark.parametrize("degrees,expected_turns", [(90, 90), (180, 180)])
def test_rotated_page_is_detected_and_read(clean, tmp_path, degrees, expected_turns):
    turned = imagegen.rotate_quarter(clean, degrees)
    page = ocr_page(_raster(turned, tmp_path / f"r{degrees}.png"))
    check = next(s for s in page.preprocessing if s.name == "orientation-check")
    assert check.applied and check.params["osd_rotate"] == expected_turns
    assert check.params["osd_confidence"] >= 2
    assert _cer(page.text) <= 0.02, page.text
    assert (page.width, page.height) == clean.size  # upright again


def test_skewed_low_resolution_page_is_straightened_upscaled_and_read(clean, tmp_path):
    degraded = imagegen.downsample(imagegen.skew(clean, 2.5), 300, 200)
    page = ocr_page(_raster(degraded, tmp_path / "skew.png", dpi=200))
    applied = {s.name for s in page.preprocessing if s.applied}
    assert {"deskew", "upscale"} <= applied
    assert page.dpi == 300 and page.width == round(degraded.width * 1.5)
    assert _cer(page.text) <= 0.02, page.text


def test_two_column_block_comes_out_as_separate_paragraphs(tmp_path):
    img = Image.new("L", (2480, 1400), 255)
    draw = ImageDraw.Draw(img)
    f = imagegen.font("serif", 50)
    left = ["Distribution:", "1. Chief Secretary Punjab", "2. All Commissioners",
            "3. Office File"]
    right = ["(Muhammad Aslam Khan)", "Deputy Secretary (Admin)", "Tel: 051-9103456"]
    for i, line in enumerate(left):
        draw.text((250, 300 + i * 80), line, font=f, fill=0)
    for i, line in enumerate(right):
        draw.text((1500, 300 + i * 80), line, font=f, fill=0)
    page = ocr_page(_raster(img, tmp_path / "cols.png"))
    paragraphs = [p for p in page.text.split("\n\n") if p.strip()]
    as_lines = [p.splitlines() for p in paragraphs]
    assert ["Distribution:", "1. Chief Secretary Punjab", "2. All Commissioners",
            "3. Office File"] in as_lines, page.text
    assert ["(Muhammad Aslam Khan)", "Deputy Secretary (Admin)", "Tel: 051-9103456"] in as_lines


def test_blank_page_gives_empty_text_without_orientation_retry(tmp_path):
    page = ocr_page(_raster(Image.new("L", (1240, 1754), 255), tmp_path / "blank.png", dpi=150))
    assert page.text == "" and page.words == () and page.mean_confidence is None
    assert not any(s.name == "orientation-check" for s in page.preprocessing)


# ----------------------------------------------------------------------------- outputs


def test_searchable_pdf_per_page_and_merged(clean, tmp_path):
    work = tmp_path / "work"
    second = imagegen.render_page(imagegen.UNIVERSITY_LINES, dpi=150)
    pages = [ocr_page(_raster(img, tmp_path / f"p{i}.png", dpi=d), workdir=work)
             for i, (img, d) in enumerate([(clean, 300), (second, 150)])]
    assert all(p.pdf_path and Path(p.pdf_path).parent == work for p in pages)
    out = merge_pages([p.pdf_path for p in pages], tmp_path / "doc" / "searchable.pdf")
    reader = PdfReader(out)
    assert len(reader.pages) == 2
    assert "ESTABLISHMENT DIVISION" in reader.pages[0].extract_text()
    assert "Vice Chancellor" in reader.pages[1].extract_text()
    # A4 at the stated dpi: the PDF page is A4 in points.
    assert float(reader.pages[1].mediabox.width) == pytest.approx(595, abs=3)


def _pdf_words(path) -> list[dict]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return pdf.pages[0].extract_words()


def test_page_pdf_is_a_jpeg_of_the_page_with_words_over_their_ocr_boxes(clean_ocr):
    """The page PDF holds the image Tesseract read and an invisible text layer placed on it."""
    reader = PdfReader(clean_ocr.pdf_path)
    [page] = reader.pages
    [image] = page.images
    assert image.data[:3] == b"\xff\xd8\xff"  # JPEG embedded as is
    assert (image.image.width, image.image.height) == (clean_ocr.width, clean_ocr.height)
    assert "ESTABLISHMENT DIVISION" in page.extract_text()
    scale = clean_ocr.dpi / 72.0
    placed = _pdf_words(clean_ocr.pdf_path)
    assert len(placed) >= 0.9 * len(clean_ocr.words)
    boxes: dict[str, list[tuple[int, int, int, int]]] = {}
    for w in clean_ocr.words:
        boxes.setdefault(w.text, []).append(w.box)
    matched = 0
    for pw in placed:
        if pw["text"] not in boxes:
            continue
        matched += 1
        # The nearest same-text OCR box is within a few pixels: the layer lies over the word.
        miss = min(abs(pw["x0"] * scale - b[0]) + abs(pw["bottom"] * scale - (b[1] + b[3]))
                   for b in boxes[pw["text"]])
        assert miss <= 15, (pw, boxes[pw["text"]])
    assert matched >= 0.8 * len(placed)


def test_page_pdf_stays_small(clean_ocr):
    # A JPEG of a 300 dpi A4 page and a text layer: well under a lossless page image.
    assert 5_000 < Path(clean_ocr.pdf_path).stat().st_size < 1_500_000


def test_text_layer_over_a_rotated_page_matches_the_upright_image(clean, tmp_path):
    turned = imagegen.rotate_quarter(clean, 90)
    page = ocr_page(_raster(turned, tmp_path / "r.png"), workdir=tmp_path / "w")
    reader = PdfReader(page.pdf_path)
    [image] = reader.pages[0].images
    assert (image.image.width, image.image.height) == clean.size  # the upright image
    mediabox = reader.pages[0].mediabox
    assert float(mediabox.width) < float(mediabox.height)  # portrait again
    assert "ESTABLISHMENT DIVISION" in reader.pages[0].extract_text()


@pytest.mark.parametrize("image,error", [
    (np.zeros((10, 10), dtype=np.float32), BadArgsError),
    (np.zeros((0, 10), dtype=np.uint8), BadArgsError),
    (np.zeros((10, 10, 3, 2), dtype=np.uint8), BadArgsError),
])
def test_page_with_text_layer_refuses_bad_images(clean_ocr, tmp_path, image, error):
    with pytest.raises(error):
        page_with_text_layer(clean_ocr.pdf_path, image, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_page_with_text_layer_reports_missing_and_corrupt_text_pdfs(tmp_path):
    grey = np.full((100, 80), 255, dtype=np.uint8)
    with pytest.raises(InputFileError, match="does not exist"):
        page_with_text_layer(tmp_path / "missing.pdf", grey, tmp_path / "x.pdf")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.5 nothing else")
    with pytest.raises(CorruptFileError):
        page_with_text_layer(bad, grey, tmp_path / "x.pdf")
    assert bad.read_bytes() == b"%PDF-1.5 nothing else" and not (tmp_path / "x.pdf").exists()


def test_colour_page_image_is_embedded_as_rgb(clean, tmp_path):
    small = tmp_path / "s.png"
    clean.crop((0, 0, 2480, 900)).save(small)
    text_pdf = tesseract.ocr_image(str(small), want_pdf=True, text_only_pdf=True, dpi=300).pdf_path
    colour = np.zeros((900, 2480, 3), dtype=np.uint8)
    colour[:, :, 2] = 200  # red in BGR
    out = page_with_text_layer(text_pdf, colour, tmp_path / "c.pdf")
    assert "GOVERNMENT" in PdfReader(out).pages[0].extract_text()
    [image] = PdfReader(out).pages[0].images
    r, g, b = image.image.convert("RGB").getpixel((10, 10))
    assert r > 150 and g < 60 and b < 60


def test_text_only_pdf_from_tesseract_has_no_image(clean, tmp_path):
    path = tmp_path / "p.png"
    clean.save(path)
    result = tesseract.ocr_image(str(path), want_pdf=True, text_only_pdf=True, dpi=300)
    page = PdfReader(result.pdf_path).pages[0]
    assert not page.images and "ESTABLISHMENT" in page.extract_text()
    assert len(result.words) > 50


def test_ocr_without_workdir_leaves_no_pdf(clean_ocr, clean, tmp_path):
    small = clean.crop((0, 0, 2480, 900))
    page = ocr_page(_raster(small, tmp_path / "s.png"))
    assert page.pdf_path is None and "GOVERNMENT" in page.text
    assert clean_ocr.pdf_path and Path(clean_ocr.pdf_path).is_file()


def test_merge_pages_errors(tmp_path):
    with pytest.raises(BadArgsError):
        merge_pages([], tmp_path / "x.pdf")
    with pytest.raises(InputFileError, match="does not exist"):
        merge_pages([str(tmp_path / "missing.pdf")], tmp_path / "x.pdf")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all")
    with pytest.raises(CorruptFileError):
        merge_pages([str(bad)], tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_merge_pages_holds_one_page_at_a_time(tmp_path):
    """Merging 40 pages needs the memory of a few, not of 40 (a 500-page scan's PDF is 200 MB)."""
    import tracemalloc

    noise = np.random.default_rng(7).integers(0, 256, (700, 700), dtype=np.uint8)
    one = tmp_path / "page.pdf"
    Image.fromarray(noise).save(one, "PDF", resolution=100)  # incompressible: ~0.5 MB a page
    size = one.stat().st_size
    paths = []
    for i in range(40):
        paths.append(tmp_path / f"p{i:02d}.pdf")
        paths[-1].write_bytes(one.read_bytes())
    tracemalloc.start()
    try:
        out = merge_pages([str(p) for p in paths], tmp_path / "merged.pdf")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * size, f"merging 40 pages of {size} bytes peaked at {peak} bytes"
    reader = PdfReader(out)
    assert len(reader.pages) == 40 and reader.metadata["/Producer"].startswith("Daftar")
    assert all(len(page.images) == 1 for page in reader.pages)
    assert reader.pages[39].images[0].data == PdfReader(one).pages[0].images[0].data
    assert out.stat().st_size == pytest.approx(40 * size, rel=0.05)


def test_text_pages_pass_through_unchanged(tmp_path):
    path = imagegen.write_text_pdf(tmp_path / "d.pdf", [list(imagegen.CIRCULAR_LINES[:9])])
    [text_page] = list(iter_pages(identify(path), tmp_path / "w"))
    assert isinstance(text_page, TextPage)
    page = ocr_page(text_page)
    assert page.text == text_page.text and page.words == text_page.words
    assert page.source == "pdf-text" and page.mean_confidence == 100.0
    plain = ocr_page(TextPage(number=2, text="raw  text\n", source="text-file", decision="d"))
    assert plain.text == "raw  text\n" and plain.source == "text-file" and plain.words == ()


def test_end_to_end_scanned_pdf_is_ocrd(clean, tmp_path):
    path = imagegen.write_image_pdf(tmp_path / "scan.pdf", [clean], dpi=300)
    [raster] = list(iter_pages(identify(path), tmp_path / "w"))
    page = ocr_page(raster)
    assert page.decision.startswith("no text layer") and _cer(page.text) <= 0.01


# ----------------------------------------------------------------------------- tesseract wrapper


def test_missing_language_names_debian_package():
    with pytest.raises(MissingDependencyError, match="tesseract-ocr-xyz"):
        tesseract.check_installed("eng+xyz")
    tesseract.check_installed("eng+osd")


ENGINES = ("resident", "program")  # pipeline.tesseract_resident, or a tesseract run per page


@pytest.mark.parametrize("engine", ENGINES)
def test_corrupt_image_maps_to_ocr_engine_error_with_stderr(tmp_path, monkeypatch, engine):
    monkeypatch.setenv("DAFTAR_TESSERACT", engine)
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    with pytest.raises(OcrEngineError, match="pixRead") as caught:
        tesseract.ocr_image(str(bad), "eng", 30, False)
    assert type(caught.value) is OcrEngineError  # a refusal, not a crash or a timeout


@pytest.mark.parametrize("engine", ENGINES)
def test_timeout_maps_to_ocr_timeout_error(clean, tmp_path, monkeypatch, engine):
    monkeypatch.setenv("DAFTAR_TESSERACT", engine)
    path = tmp_path / "t.png"
    clean.save(path)
    with pytest.raises(OcrTimeoutError, match="timed out"):
        tesseract.ocr_image(str(path), "eng", 0.05, False)


def test_missing_page_image_is_input_error(tmp_path):
    with pytest.raises(InputFileError):
        ocr_page(RasterPage(1, str(tmp_path / "gone.png"), 300, 10, 10, "d"))


def test_osd_on_blank_page_says_no_rotation(tmp_path):
    path = tmp_path / "blank.png"
    Image.new("L", (600, 800), 255).save(path)
    assert tesseract.detect_orientation(str(path)) == (0, 0.0)


def test_parse_tsv_keeps_word_rows_only():
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight"
           "\tconf\ttext\n"
           "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n"
           "5\t1\t1\t1\t1\t1\t10\t20\t30\t40\t91.5\tNo.\n"
           "5\t1\t1\t1\t1\t2\t50\t20\t30\t40\t95\t \n"
           '5\t1\t2\t1\t1\t1\t10\t80\t30\t40\t88\t"quoted\n')
    words = tesseract.parse_tsv(tsv)
    assert [(w.text, w.block, w.confidence) for w in words] == [("No.", 1, 91.5),
                                                                ('"quoted', 2, 88.0)]
    assert tesseract.parse_tsv("") == ()


def _tw(text, block, par, line, word=1):
    return tesseract.TsvWord(text, 0, 0, 1, 1, 90.0, block, par, line, word)


@pytest.mark.parametrize("words,expected", [
    ([], ""),
    ([_tw("One", 1, 1, 1)], "One"),
    ([_tw("a", 1, 1, 1), _tw("b", 1, 1, 1, 2), _tw("c", 1, 1, 2)], "a b\nc"),
    ([_tw("a", 1, 1, 1), _tw("b", 1, 2, 1)], "a\n\nb"),
    ([_tw("a", 1, 1, 1), _tw("b", 2, 1, 1), _tw("c", 2, 1, 2)], "a\n\nb\nc"),
])
def test_words_to_text_layout_table(words, expected):
    text, out = words_to_text(words)
    assert text == expected
    assert all(isinstance(w, Word) and text[w.span[0]:w.span[1]] == w.text for w in out)


def _box(text, left, top, block=1, par=1, line=1, width=None, height=40):
    return tesseract.TsvWord(text, left, top, width or 25 * len(text), height, 90.0,
                             block, par, line, 1)


@pytest.mark.parametrize("rows,expected", [
    # Interleaved two columns: split into left column then right column.
    ([[("Distribution:", 100), ("(Aslam", 1500)], [("1.", 100), ("Chief", 160), ("Deputy", 1500)],
      [("2.", 100), ("Office", 160), ("Tel:", 1500)]],
     "Distribution:\n1. Chief\n2. Office\n\n(Aslam\nDeputy\nTel:"),
    # Ordinary justified prose: gaps are small, nothing moves.
    ([[("The", 100), ("officers", 210), ("shall", 450)], [("observe", 100), ("the", 320)]],
     "The officers shall\nobserve the"),
    # A three-column table has two wide gutters: kept row by row.
    ([[("S.No", 100), ("Name", 700), ("Post", 1400)], [("1.", 100), ("Aslam", 700), ("SO", 1400)]],
     "S.No Name Post\n1. Aslam SO"),
    # Only one line reaches across the gap (a date at the right margin): no split.
    ([[("No.", 100), ("Dated", 1500)], [("Subject:", 100), ("timings", 330)]],
     "No. Dated\nSubject: timings"),
])
def test_split_columns_table(rows, expected):
    words = [_box(t, x, 100 + 60 * i, line=i + 1) for i, row in enumerate(rows) for t, x in row]
    text, out = words_to_text(words)
    assert text == expected
    assert sorted(w.text for w in out) == sorted(w.text for w in words)


def test_word_boxes_map_back_to_the_loaded_page(clean, tmp_path):
    from pipeline.preprocess import box_to_source

    turned = imagegen.rotate_quarter(imagegen.downsample(clean, 300, 200), 270)
    page = ocr_page(_raster(turned, tmp_path / "t.png", dpi=200))
    word = next(w for w in page.words if w.text == "GOVERNMENT")
    left, top, width, height = box_to_source(word.box, page.preprocessing)
    # Drawn 1 inch (200 px) from the top-left; turned 270° counter-clockwise, the page's
    # top edge is the scan's right edge, so the word runs downwards 200 px from the top.
    assert width < height
    assert abs(top - 200) <= 8 and abs(turned.width - (left + width) - 200) <= 25
    crop = turned.crop((left, top, left + width, top + height))
    assert crop.getextrema()[0] < 80  # the box holds ink on the original scan


def _block(text, block, top, left=100, height=40):
    return [tesseract.TsvWord(t, left + 200 * i, top, 150, height, 90.0, block, 1, 1, i + 1)
            for i, t in enumerate(text.split())]


@pytest.mark.parametrize("blocks,expected", [
    # A heading emitted after the body beneath it moves above the body.
    ([_block("UNIVERSITY", 1, 100), _block("body text", 2, 600), _block("OFFICE ORDER", 3, 300)],
     "UNIVERSITY\n\nOFFICE ORDER\n\nbody text"),
    # A date on the same band as the number (overlapping vertically) keeps Tesseract's order.
    ([_block("No. 12", 1, 300), _block("Dated: 1.2.2023", 2, 305, left=1500)],
     "No. 12\n\nDated: 1.2.2023"),
    # A stamp overlapping the list keeps its place.
    ([_block("1. Secretary", 1, 500), _block("Received", 2, 520, left=900, height=200),
      _block("2. Office File", 3, 600)],
     "1. Secretary\n\nReceived\n\n2. Office File"),
    # Already in order: unchanged.
    ([_block("a", 1, 100), _block("b", 2, 200), _block("c", 3, 300)], "a\n\nb\n\nc"),
])
def test_order_blocks_table(blocks, expected):
    words = [w for block in blocks for w in block]
    text, out = words_to_text(words)
    assert text == expected
    assert all(text[w.span[0]:w.span[1]] == w.text for w in out)
