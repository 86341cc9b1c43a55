"""The searchable PDF of a scan: page images with Tesseract's invisible text layer over them.

Tesseract writes the text layer alone (``textonly_pdf=1``, almost free in the same run as the
TSV); ``page_with_text_layer`` puts a JPEG of the very image Tesseract read beneath it, so
the words sit over their pixels. That is far cheaper than Tesseract's own image PDF, which
re-encodes the page inside the OCR process (about 45% more OCR time per page).
``merge_pages`` joins the one-page PDFs of a document, one page in memory at a time.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from pipeline.errors import BadArgsError, CorruptFileError, InputFileError

_IMAGE_NAME = "DaftarPageImage"  # no clash with the names Tesseract gives its resources
JPEG_QUALITY = 80  # grey scans of typed text: small files, no visible ringing at 300 dpi
_PDF_ERRORS = (PdfReadError, ValueError, KeyError, TypeError, IndexError)


def page_with_text_layer(text_pdf: str | Path, image: np.ndarray, out_path: str | Path,
                         jpeg_quality: int = JPEG_QUALITY,
                         region: tuple[int, int, int, int] | None = None) -> Path:
    """Write a one-page PDF: ``image`` as a JPEG filling the page, ``text_pdf``'s page on top.

    ``image`` (8-bit grey, or BGR) must be the image Tesseract read, so its invisible words
    lie over the printed ones; it is stretched to the text page's MediaBox, which Tesseract
    sized from the same image and dpi. When Tesseract read only ``region`` (left, top,
    width, height in image pixels) of the image, the page grows to the whole image and the
    text layer is moved onto the region. ``out_path`` may be ``text_pdf`` itself (replaced
    atomically). Raises InputFileError for a missing text PDF, CorruptFileError for an
    unreadable one and BadArgsError for an image that is not 8-bit grey or BGR.
    """
    text_pdf, out_path = Path(text_pdf), Path(out_path)
    if image.dtype != np.uint8 or image.ndim not in (2, 3) or image.size == 0:
        raise BadArgsError(f"page image must be 8-bit grey or BGR, got {image.dtype} "
                           f"{image.shape}")
    try:
        data = text_pdf.read_bytes()
    except FileNotFoundError as exc:
        raise InputFileError("text-layer PDF does not exist", path=str(text_pdf)) from exc
    try:
        text_page = PdfReader(io.BytesIO(data)).pages[0]
        width, height = float(text_page.mediabox.width), float(text_page.mediabox.height)
    except _PDF_ERRORS as exc:
        raise CorruptFileError(f"text-layer PDF is unreadable: {exc}", path=str(text_pdf)) from exc
    writer = PdfWriter()
    page = writer.add_page(text_page)
    if region is not None:
        width, height = _place_text_layer(writer, page, region, image.shape[1], image.shape[0],
                                          width, height)
    image_ref = writer._add_object(_jpeg_xobject(image, jpeg_quality))  # noqa: SLF001
    draw = DecodedStreamObject()
    draw.set_data(f"q {width:.4f} 0 0 {height:.4f} 0 0 cm /{_IMAGE_NAME} Do Q\n".encode("ascii"))
    _paint_first(page, writer._add_object(draw), image_ref)  # noqa: SLF001
    _write_atomic(writer, out_path)
    return out_path


def _place_text_layer(writer: PdfWriter, page: Any, region: tuple[int, int, int, int],
                      image_w: int, image_h: int, text_w: float, text_h: float) -> tuple[float, float]:
    """Grow the page from ``region`` to the whole image and shift the text onto the region.

    Returns the new page size in points. The text's content runs inside its own q/Q with a
    translation; PDF's origin is bottom-left, image rows run from the top.
    """
    left, top, region_w, region_h = region
    if region_w <= 0 or region_h <= 0:
        raise BadArgsError(f"OCR region {region} is empty")
    points_per_px = text_w / region_w
    width, height = image_w * points_per_px, image_h * points_per_px
    dx, dy = left * points_per_px, (image_h - top - region_h) * points_per_px
    begin, end = DecodedStreamObject(), DecodedStreamObject()
    begin.set_data(f"q 1 0 0 1 {dx:.4f} {dy:.4f} cm\n".encode("ascii"))
    end.set_data(b"Q\n")
    contents = page.get("/Contents")
    existing = contents.get_object() if contents is not None else ArrayObject()
    parts = list(existing) if isinstance(existing, ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject([
        writer._add_object(begin), *parts, writer._add_object(end)])  # noqa: SLF001
    box = ArrayObject([NumberObject(0), NumberObject(0), FloatObject(round(width, 4)),
                       FloatObject(round(height, 4))])
    page[NameObject("/MediaBox")] = box
    for name in ("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
        if name in page:
            del page[NameObject(name)]
    return width, height


def _paint_first(page: Any, draw_ref: Any, image_ref: Any) -> None:
    """Put the image beneath the page's text: its drawing runs first, in its own q/Q.

    Done on the page dictionary, never by parsing the text layer's content stream (pypdf's
    ``merge_page`` does that, which costs more than encoding the JPEG).
    """
    if "/Resources" not in page:
        page[NameObject("/Resources")] = DictionaryObject()
    resources = page[NameObject("/Resources")].get_object()
    xobjects = resources.get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else DictionaryObject()
    xobjects[NameObject("/" + _IMAGE_NAME)] = image_ref
    resources[NameObject("/XObject")] = xobjects
    contents = page.get("/Contents")
    existing = contents.get_object() if contents is not None else ArrayObject()
    parts = list(existing) if isinstance(existing, ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject([draw_ref, *parts])


def _jpeg_xobject(image: np.ndarray, quality: int) -> StreamObject:
    """An image XObject holding JPEG bytes as they are (DCTDecode: no second encoding)."""
    grey = image.ndim == 2 or image.shape[2] == 1
    image = np.ascontiguousarray(image[:, :, 0] if image.ndim == 3 and grey else
                                 image if grey else image[:, :, :3])
    ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise BadArgsError("the page image cannot be encoded as JPEG")
    xobject = StreamObject()
    xobject.set_data(jpeg.tobytes())
    xobject.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Image"),
        NameObject("/Width"): NumberObject(int(image.shape[1])),
        NameObject("/Height"): NumberObject(int(image.shape[0])),
        NameObject("/ColorSpace"): NameObject("/DeviceGray" if grey else "/DeviceRGB"),
        NameObject("/BitsPerComponent"): NumberObject(8),
        NameObject("/Filter"): NameObject("/DCTDecode"),
    })
    return xobject


def merge_pages(pdf_paths: list[str], out_path: Path) -> Path:
    """Concatenate one-page PDFs (in the given order) into ``out_path``, written atomically.

    Streamed: each page PDF is read, its pages' objects are written out renumbered, and it
    is let go before the next is read, so a 500-page scan is merged with one page PDF in
    memory (pypdf's ``PdfWriter`` would hold every page, its JPEG included, until the end).
    Raises BadArgsError for an empty list, InputFileError for a missing page PDF and
    CorruptFileError for one pypdf cannot read.
    """
    if not pdf_paths:
        raise BadArgsError("no page PDFs to merge")
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            _StreamingMerge(fh).run(pdf_paths)
        tmp.replace(out_path)
    finally:
        tmp.unlink(missing_ok=True)
    return out_path


class _StreamingMerge:
    """Writes a PDF page by page: objects 1-3 are the catalog, the page tree and the info,
    written last with the cross-reference table; every page's objects go out as it is read."""

    CATALOG, PAGES, INFO = 1, 2, 3

    def __init__(self, fh: Any) -> None:
        self.fh = fh
        self.offsets: dict[int, int] = {}
        self.next_number = self.INFO + 1
        self.kids: list[IndirectObject] = []

    def run(self, pdf_paths: list[str]) -> None:
        self.fh.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        for path in pdf_paths:
            if not Path(path).is_file():
                raise InputFileError("page PDF does not exist", path=str(path))
            try:
                with PdfReader(path) as reader:  # closing it frees the file and its objects
                    self._copy_pages(reader)
            except _PDF_ERRORS as exc:
                raise CorruptFileError(f"page PDF is unreadable: {exc}", path=str(path)) from exc
        self._object(self.PAGES, DictionaryObject({
            NameObject("/Type"): NameObject("/Pages"),
            NameObject("/Kids"): ArrayObject(self.kids),
            NameObject("/Count"): NumberObject(len(self.kids)),
        }))
        self._object(self.CATALOG, DictionaryObject({
            NameObject("/Type"): NameObject("/Catalog"),
            NameObject("/Pages"): self._ref(self.PAGES),
        }))
        self._object(self.INFO, DictionaryObject({
            NameObject("/Producer"): TextStringObject("Daftar (Tesseract OCR text layer)"),
        }))
        self._trailer()

    def _copy_pages(self, reader: PdfReader) -> None:
        """Write the reader's pages (inherited attributes are on them) and all they use."""
        numbers: dict[int, int] = {}  # the page PDF's object number -> ours
        todo: list[tuple[int, IndirectObject]] = []

        def renumber(obj: Any) -> Any:  # in place: the reader is closed after this file
            if isinstance(obj, IndirectObject):
                if obj.idnum not in numbers:
                    numbers[obj.idnum] = self._new_number()
                    todo.append((numbers[obj.idnum], obj))
                return self._ref(numbers[obj.idnum])
            if isinstance(obj, DictionaryObject):  # stream objects too
                for key, value in list(obj.items()):
                    obj[key] = renumber(value)
            elif isinstance(obj, ArrayObject):
                for i, value in enumerate(obj):
                    obj[i] = renumber(value)
            return obj

        tree = reader.trailer["/Root"].raw_get("/Pages")
        if isinstance(tree, IndirectObject):
            numbers[tree.idnum] = self.PAGES  # a reference to the old page tree: ours
        for page in reader.pages:
            number = self._new_number()
            if page.indirect_reference is not None:
                numbers[page.indirect_reference.idnum] = number
            copy = renumber(DictionaryObject({k: v for k, v in page.items() if k != "/Parent"}))
            copy[NameObject("/Parent")] = self._ref(self.PAGES)
            self._object(number, copy)
            self.kids.append(self._ref(number))
            while todo:
                ours, indirect = todo.pop()
                self._object(ours, renumber(indirect.get_object()))

    def _new_number(self) -> int:
        self.next_number += 1
        return self.next_number - 1

    @staticmethod
    def _ref(number: int) -> IndirectObject:
        return IndirectObject(number, 0, None)  # type: ignore[arg-type]

    def _object(self, number: int, obj: Any) -> None:
        self.offsets[number] = self.fh.tell()
        self.fh.write(f"{number} 0 obj\n".encode("ascii"))
        (NullObject() if obj is None else obj).write_to_stream(self.fh)
        self.fh.write(b"\nendobj\n")

    def _trailer(self) -> None:
        size = self.next_number
        start = self.fh.tell()
        lines = [f"xref\n0 {size}\n", "0000000000 65535 f \n"]
        lines += [f"{self.offsets[n]:010d} 00000 n \n" for n in range(1, size)]
        lines.append(f"trailer\n<< /Size {size} /Root {self.CATALOG} 0 R /Info {self.INFO} 0 R >>\n"
                     f"startxref\n{start}\n%%EOF\n")
        self.fh.write("".join(lines).encode("ascii"))


def _write_atomic(writer: PdfWriter, out_path: Path) -> None:
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as fh:
        writer.write(fh)
    tmp.replace(out_path)


__all__ = ["JPEG_QUALITY", "merge_pages", "page_with_text_layer"]
