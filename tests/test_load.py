"""pipeline.load: identify and stream pages of every supported type; specific errors for bad input."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from pipeline.config import OcrOptions
from pipeline.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedPdfError,
    FileTooLargeError,
    InputFileError,
    TextEncodingError,
    UnsupportedTypeError,
)
from pipeline.load import identify, iter_pages, text_layer_quality
from pipeline.models import RasterPage, TextPage
import imagegen


@pytest.fixture(scope="module")
def page150() -> Image.Image:
    return imagegen.render_page(imagegen.CIRCULAR_LINES, dpi=150)


def _save(img: Image.Image, path: Path, fmt: str, **kw) -> Path:
    img.save(path, format=fmt, **kw)
    return path


def _pages(path: Path, tmp_path: Path, **kw):
    source = identify(path)
    return source, list(iter_pages(source, tmp_path / "work", **kw))


# ----------------------------------------------------------------------------- good input


@pytest.mark.parametrize("fmt,suffix,media", [
    ("PNG", ".png", "image/png"),
    ("JPEG", ".jpg", "image/jpeg"),
    ("TIFF", ".tif", "image/tiff"),
])
def test_each_image_type_loads_as_one_grayscale_raster_page(page150, tmp_path, fmt, suffix, media):
    path = _save(page150.convert("RGB"), tmp_path / f"scan{suffix}", fmt, dpi=(150, 150))
    before = path.read_bytes()
    source, pages = _pages(path, tmp_path)
    assert source.media_type == media
    assert source.sha256 == hashlib.sha256(before).hexdigest()
    assert source.size_bytes == len(before) and source.page_count == 1
    [page] = pages
    assert isinstance(page, RasterPage)
    assert page.dpi == 150 and "from file metadata" in page.decision
    with Image.open(page.image_path) as written:
        assert written.mode == "L" and written.size == page150.size == (page.width, page.height)
    assert path.read_bytes() == before  # the input is never modified


def test_multipage_tiff_yields_each_page_in_order(page150, tmp_path):
    second = imagegen.render_page(imagegen.UNIVERSITY_LINES, dpi=150)
    third = imagegen.render_page(["third page"], dpi=150)
    path = tmp_path / "bundle.tiff"
    page150.save(path, format="TIFF", save_all=True, append_images=[second, third],
                 compression="tiff_deflate", dpi=(150, 150))
    source, pages = _pages(path, tmp_path)
    assert source.page_count == 3
    assert [p.number for p in pages] == [1, 2, 3]
    assert len({p.image_path for p in pages}) == 3
    assert "page 2 of 3" in pages[1].decision


def test_missing_dpi_is_estimated_from_a4_size(tmp_path):
    img = imagegen.render_page(["estimate me"], dpi=200)
    path = _save(img, tmp_path / "nodpi.png", "PNG")
    _, [page] = _pages(path, tmp_path)
    assert abs(page.dpi - 200) <= 2 and "estimated" in page.decision


def test_implausible_metadata_dpi_is_replaced_by_estimate(tmp_path):
    img = imagegen.render_page(["wrong dpi"], dpi=300)
    path = _save(img, tmp_path / "72.jpg", "JPEG", dpi=(72, 72))
    _, [page] = _pages(path, tmp_path)
    assert abs(page.dpi - 300) <= 3 and "metadata said 72" in page.decision


def test_png_named_jpg_and_pdf_named_png_are_read_by_content(page150, tmp_path):
    png_as_jpg = _save(page150, tmp_path / "really-png.jpg", "PNG")
    assert identify(png_as_jpg).media_type == "image/png"
    pdf_as_png = imagegen.write_image_pdf(tmp_path / "really-pdf.png", [page150], dpi=150)
    source = identify(pdf_as_png)
    assert source.media_type == "application/pdf" and source.page_count == 1


def test_rgba_png_is_composited_on_white(tmp_path):
    img = Image.new("RGBA", (800, 1100), (0, 0, 0, 0))  # fully transparent black
    path = _save(img, tmp_path / "alpha.png", "PNG")
    _, [page] = _pages(path, tmp_path)
    with Image.open(page.image_path) as written:
        assert written.getextrema() == (255, 255)


def test_text_file_splits_on_form_feed_and_keeps_text_exactly(tmp_path):
    path = tmp_path / "ocr.txt"
    path.write_bytes(b"No. F.1/2021\r\nSubject:  odd   spacing kept\r\n\x0cPage two\r\n\x0c")
    source, pages = _pages(path, tmp_path)
    assert source.media_type == "text/plain" and source.page_count == 2
    assert all(isinstance(p, TextPage) and p.source == "text-file" for p in pages)
    assert pages[0].text == "No. F.1/2021\nSubject:  odd   spacing kept\n"
    assert pages[1].text == "Page two\n"


@pytest.mark.parametrize("encoded", [
    "Karachi – ١٢ مارچ".encode("utf-8"),
    "\ufeffKarachi – ١٢ مارچ".encode("utf-8"),
    "\ufeffKarachi – ١٢ مارچ".encode("utf-16-le"),
    "\ufeffKarachi – ١٢ مارچ".encode("utf-16-be"),
])
def test_text_file_encodings_with_and_without_bom(tmp_path, encoded):
    path = tmp_path / "t.text"
    path.write_bytes(encoded)
    _, [page] = _pages(path, tmp_path)
    assert page.text == "Karachi – ١٢ مارچ"


def test_pdf_with_real_text_layer_takes_text_path_with_word_boxes(tmp_path):
    lines = list(imagegen.CIRCULAR_LINES[:8])
    path = imagegen.write_text_pdf(tmp_path / "digital.pdf", [lines, ["Second page of the memo",
                                                                       "is also born digital text."]])
    source, pages = _pages(path, tmp_path)
    assert source.page_count == 2
    first = pages[0]
    assert isinstance(first, TextPage) and first.source == "pdf-text"
    assert "dictionary words" in first.decision and "taken from the PDF" in first.decision
    assert first.text.splitlines()[3] == lines[3]
    assert first.words and all(first.text[w.span[0]:w.span[1]] == w.text for w in first.words)
    # Boxes are at the stated dpi: "GOVERNMENT" starts 1 inch (72 pt) from the left edge.
    assert first.dpi == 300 and abs(first.words[0].box[0] - 300) <= 3
    assert first.width == round(595 * 300 / 72)


def test_scanned_pdf_takes_render_path_with_decision_recorded(page150, tmp_path):
    path = imagegen.write_image_pdf(tmp_path / "scan.pdf", [page150], dpi=150)
    _, [page] = _pages(path, tmp_path, options=OcrOptions(dpi=200))
    assert isinstance(page, RasterPage)
    assert page.decision == "no text layer: rendered at 200 dpi"
    assert page.dpi == 200 and abs(page.width - round(8.27 * 200)) <= 2


def test_pdf_with_garbage_text_layer_is_ocrd(tmp_path):
    junk = ["xq zvbn qpwk jjrt fwq zzxv kqpl", "vbnm qwrt zxcv plkj hgfd mnbv"] * 4
    path = imagegen.write_text_pdf(tmp_path / "junk.pdf", [junk])
    _, [page] = _pages(path, tmp_path)
    assert isinstance(page, RasterPage)
    assert "junk, OCR instead" in page.decision and "dictionary words" in page.decision


def test_scanned_page_with_a_text_stamp_on_top_is_ocrd(page150, tmp_path):
    writer = PdfWriter(clone_from=imagegen.write_image_pdf(tmp_path / "scan.pdf", [page150],
                                                           dpi=150))
    stamp = PdfReader(imagegen.write_text_pdf(
        tmp_path / "stamp.pdf", [["Received in the Records Branch on 14 March 2021 under diary"]]))
    writer.pages[0].merge_page(stamp.pages[0])
    path = tmp_path / "stamped.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    _, [result] = _pages(path, tmp_path)
    assert isinstance(result, RasterPage)
    assert "over a page image covering 100% of the page, OCR instead" in result.decision


@pytest.mark.parametrize("text,ok", [
    ("The undersigned is directed to refer to the Office Memorandum on the subject.", True),
    ("(cid:12)(cid:45)(cid:77)(cid:3)(cid:90)(cid:12)(cid:45)(cid:77)(cid:3)(cid:90)(cid:1)", False),
    ("\ufffd\ufffd\ufffd\ufffd \ufffd\ufffd\ufffd\ufffd\ufffd \ufffd\ufffd\ufffd\ufffd \ufffd\ufffd", False),
    ("1234 5678 9012 3456 7890 !@#$ %^&* ()_+ 1234 5678 9012 3456", False),
    ("Tne nndersigued ls dlrected tc rcfer tbe Ofiice Mernorandnm qn tbc subjcct vvhich", False),
    ("", False),
])
def test_text_layer_quality_table(text, ok):
    verdict, summary = text_layer_quality(text)
    assert verdict is ok, summary


def test_pdf_with_user_password_opens_with_password(tmp_path, page150):
    path = _encrypted_pdf(tmp_path, page150)
    source = identify(path, password="s3cret")
    assert source.page_count == 1
    [page] = list(iter_pages(source, tmp_path / "w", password="s3cret"))
    assert isinstance(page, RasterPage)


def _encrypted_pdf(tmp_path: Path, img: Image.Image) -> Path:
    plain = imagegen.write_image_pdf(tmp_path / "plain.pdf", [img], dpi=150)
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="s3cret", owner_password="owner", algorithm="RC4-128")
    out = tmp_path / "locked.pdf"
    with out.open("wb") as fh:
        writer.write(fh)
    return out


# ----------------------------------------------------------------------------- bad input


def test_zero_bytes_is_empty_file_error(tmp_path):
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    with pytest.raises(EmptyFileError, match="0 bytes"):
        identify(path)


def test_missing_file_and_directory_are_input_file_errors(tmp_path):
    with pytest.raises(InputFileError, match="does not exist"):
        identify(tmp_path / "nope.pdf")
    with pytest.raises(InputFileError, match="directory"):
        identify(tmp_path)


def test_truncated_png_is_corrupt_with_clear_message(page150, tmp_path):
    buf = io.BytesIO()
    page150.save(buf, format="PNG")
    data = buf.getvalue()
    path = tmp_path / "cut.png"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptFileError, match="PNG is truncated"):
        identify(path)


def test_truncated_jpeg_is_corrupt(page150, tmp_path):
    buf = io.BytesIO()
    page150.save(buf, format="JPEG", quality=90)
    data = buf.getvalue()
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(CorruptFileError, match="JPEG is truncated"):
        identify(path)


def test_corrupt_pdf_is_corrupt_file_error(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog garbage garbage\n" + bytes(range(256)) * 4)
    with pytest.raises(CorruptFileError, match="PDF"):
        identify(path)


def test_truncated_pdf_says_truncated(page150, tmp_path):
    data = imagegen.write_image_pdf(tmp_path / "whole.pdf", [page150] * 2, dpi=150).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(CorruptFileError, match="PDF is truncated"):
        identify(path)


def test_encrypted_pdf_without_or_with_wrong_password(tmp_path, page150):
    path = _encrypted_pdf(tmp_path, page150)
    with pytest.raises(EncryptedPdfError, match="password is needed"):
        identify(path)
    with pytest.raises(EncryptedPdfError, match="password is wrong"):
        identify(path, password="guess")


@pytest.mark.parametrize("data,name,detected", [
    (b"GIF89a" + b"\x00" * 40, "scan.gif", "GIF image"),
    (b"PK\x03\x04" + b"\x00" * 40, "letter.docx", "ZIP archive"),
    (b"\x00\x01\x02\x03\xfe\xfa\x99" * 20, "blob.bin", "unrecognised file type"),
    (b"plain words but a .csv name", "notes.csv", "plain text with extension '.csv'"),
])
def test_unsupported_types_say_what_was_detected(tmp_path, data, name, detected):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnsupportedTypeError, match=detected):
        identify(path)


@pytest.mark.parametrize("data,offset", [
    (b"Islamabad dated 12th\xe9 March", 20),  # Latin-1 byte
    (b"ok\x00\x00binary", 2),  # NUL: binary or UTF-16 without BOM
    (b"\xef\xbb\xbfabc\xff", 6),  # offset counts the BOM bytes too
])
def test_undecodable_text_names_byte_offset(tmp_path, data, offset):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(TextEncodingError, match=f"byte offset {offset}\\b"):
        identify(path)


def test_decompression_bomb_refused_before_decoding(tmp_path):
    path = tmp_path / "bomb.png"
    Image.new("1", (20_000, 20_000), 1).save(path, format="PNG")  # tiny file, 400 Mpx
    assert path.stat().st_size < 200_000
    with pytest.raises(FileTooLargeError, match="pixel"):
        identify(path, options=OcrOptions(max_pixels=100_000_000))


def test_too_many_pages_refused(page150, tmp_path):
    small = page150.resize((80, 110))
    path = tmp_path / "many.tif"
    small.save(path, format="TIFF", save_all=True, append_images=[small] * 5)
    with pytest.raises(FileTooLargeError, match="6 pages"):
        identify(path, options=OcrOptions(max_pages=5))


def test_pdf_pages_are_rendered_lazily_one_at_a_time(page150, tmp_path):
    path = imagegen.write_image_pdf(tmp_path / "three.pdf", [page150] * 3, dpi=150)
    work = tmp_path / "lazy"
    pages = iter_pages(identify(path), work, options=OcrOptions(dpi=100))
    first = next(pages)
    assert first.number == 1 and len(list(work.iterdir())) == 1
    assert [p.number for p in pages] == [2, 3] and len(list(work.iterdir())) == 3


def test_pdf_pages_loaded_on_parallel_threads_call_pdfium_one_at_a_time(page150, tmp_path,
                                                                         monkeypatch):
    """PDFium is not thread-safe, not even across documents; the flows load the pages of a
    PDF on several threads. Unserialised, sound PDFs came out "corrupt" (Data format error)."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    import pypdfium2 as pdfium

    from pipeline.load import load_page

    guard, inside, most = threading.Lock(), [0], [0]

    def counted(real):
        def call(*args, **kwargs):
            with guard:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            try:
                time.sleep(0.02)  # widen the window two unserialised threads would share
                return real(*args, **kwargs)
            finally:
                with guard:
                    inside[0] -= 1
        return call

    path = imagegen.write_image_pdf(tmp_path / "four.pdf", [page150] * 4, dpi=150)
    source = identify(path)
    monkeypatch.setattr(pdfium.PdfDocument, "__init__", counted(pdfium.PdfDocument.__init__))
    monkeypatch.setattr(pdfium.PdfPage, "render", counted(pdfium.PdfPage.render))
    options = OcrOptions(dpi=100)
    with ThreadPoolExecutor(4) as pool:
        pages = list(pool.map(lambda n: load_page(source, n, tmp_path / "w", options),
                              [1, 2, 3, 4]))
    assert [p.number for p in pages] == [1, 2, 3, 4]
    assert most[0] == 1, f"{most[0]} threads were inside PDFium at once"


def test_bilevel_group4_tiff_loads_as_grayscale(page150, tmp_path):
    path = tmp_path / "fax.tif"
    page150.convert("1").save(path, format="TIFF", compression="group4", dpi=(150, 150))
    source, [page] = _pages(path, tmp_path)
    assert source.media_type == "image/tiff" and page.dpi == 150
    with Image.open(page.image_path) as written:
        assert written.mode == "L" and written.getextrema() == (0, 255)


def test_jpeg_exif_orientation_is_applied(tmp_path):
    img = imagegen.render_page(["upright"], dpi=100)
    exif = Image.Exif()
    exif[0x0112] = 6  # stored rotated: viewers turn it 90° clockwise
    path = tmp_path / "phone.jpg"
    img.rotate(90, expand=True).save(path, format="JPEG", exif=exif, dpi=(100, 100))
    _, [page] = _pages(path, tmp_path)
    assert (page.width, page.height) == img.size


def test_random_bytes_with_an_image_or_pdf_name_are_corrupt(tmp_path):
    for name in ("scan.png", "scan.jpeg", "scan.tif", "memo.pdf"):
        path = tmp_path / name
        path.write_bytes(bytes((i * 37 + 11) % 256 for i in range(3000)))
        with pytest.raises(CorruptFileError, match=f"named {path.suffix} but the content has no"):
            identify(path)


def test_png_missing_its_end_chunk_is_truncated(page150, tmp_path):
    buf = io.BytesIO()
    page150.save(buf, format="PNG")
    path = tmp_path / "no-iend.png"
    path.write_bytes(buf.getvalue()[:-12])  # pixels complete, IEND gone
    with pytest.raises(CorruptFileError, match="PNG is truncated"):
        identify(path)


def test_file_deleted_after_identify_is_an_input_error_not_corrupt(page150, tmp_path):
    path = _save(page150, tmp_path / "moving.png", "PNG")
    source = identify(path)
    path.unlink()
    with pytest.raises(InputFileError, match="no longer exists") as caught:
        list(iter_pages(source, tmp_path / "w"))
    assert type(caught.value) is InputFileError


@pytest.mark.parametrize("max_pixels,outcome", [(200_000_000, "reduced"), (2_000_000, "refused")])
def test_poster_sized_pdf_page_is_rendered_under_the_pixel_limit_or_refused(
        tmp_path, max_pixels, outcome):
    path = tmp_path / "poster.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=100 * 72, height=100 * 72)  # 100 x 100 inches
    with path.open("wb") as fh:
        writer.write(fh)
    options = OcrOptions(max_pixels=max_pixels)
    source = identify(path, options=options)
    if outcome == "refused":
        with pytest.raises(FileTooLargeError, match="could only be rendered at 14 dpi"):
            list(iter_pages(source, tmp_path / "w", options))
        return
    [page] = list(iter_pages(source, tmp_path / "w", options))
    # the page budget (20 megapixels), well under max_pixels, decides: 44 dpi, recorded
    assert page.width * page.height <= options.page_pixels and page.dpi == 44
    assert "page budget" in page.decision
    assert "reduced to stay under" in page.decision


# ----------------------------------------------------------------------------- read as it is


@pytest.mark.parametrize("fmt,suffix,mode,as_is", [
    ("PNG", ".png", "L", True),
    ("JPEG", ".jpg", "L", True),
    ("PNG", ".png", "RGB", False),  # colour: the grey page image is written
    ("JPEG", ".jpg", "RGB", False),
    ("TIFF", ".tif", "L", False),  # Tesseract and browsers differ on TIFF: always written
    ("PNG", ".png", "LA", False),  # transparency is composited on white first
])
def test_grey_png_and_jpeg_pages_are_read_as_they_are(page150, tmp_path, fmt, suffix, mode, as_is):
    path = _save(page150.convert(mode), tmp_path / f"scan{suffix}", fmt, dpi=(150, 150))
    before = path.read_bytes()
    _, [page] = _pages(path, tmp_path)
    assert (page.image_path == str(path)) is as_is
    assert ("read as it is" in page.decision) is as_is
    assert (page.width, page.height, page.dpi) == (*page150.size, 150)
    with Image.open(page.image_path) as img:
        assert img.mode == "L" and img.size == page150.size
    assert path.read_bytes() == before
    written = list((tmp_path / "work").iterdir())
    assert (written == []) is as_is


def test_grey_jpeg_with_exif_rotation_is_turned_and_written(page150, tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: rotate 90 degrees clockwise to view
    sideways = page150.rotate(90, expand=True).convert("L")
    path = tmp_path / "phone.jpg"
    sideways.save(path, format="JPEG", exif=exif.tobytes(), dpi=(150, 150))
    _, [page] = _pages(path, tmp_path)
    assert page.image_path != str(path)
    assert (page.width, page.height) == page150.size  # upright again
