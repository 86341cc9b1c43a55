"""Loading: identify an input file and stream its pages.

``identify`` looks at the bytes, never the extension (a ``.png`` that is really a PDF is read
as a PDF), validates the file far enough to fail early with a specific error, and returns a
``SourceFile``. ``iter_pages`` then yields one page at a time — a raster image written to the
work directory, or the text a born-digital PDF or a ``.txt`` file already holds — so a
500-page PDF is never held in memory.

The input file is only ever opened for reading.
"""

from __future__ import annotations

import hashlib
import re
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

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
from pipeline.models import RasterPage, SourceFile, TextPage, Word

TEXT_EXTENSIONS = frozenset({".txt", ".text"})
MEDIA_PNG = "image/png"
MEDIA_JPEG = "image/jpeg"
MEDIA_TIFF = "image/tiff"
MEDIA_PDF = "application/pdf"
MEDIA_TEXT = "text/plain"
IMAGE_TYPES = {MEDIA_PNG: "PNG", MEDIA_JPEG: "JPEG", MEDIA_TIFF: "TIFF"}

# (magic prefix, offset, description) of things people drop into scan folders that we do not
# read: named in the error so the user knows what the file really is.
_UNSUPPORTED_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"GIF87a", 0, "GIF image"),
    (b"GIF89a", 0, "GIF image"),
    (b"BM", 0, "BMP image"),
    (b"WEBP", 8, "WebP image"),
    (b"PK\x03\x04", 0, "ZIP archive (or DOCX/XLSX/ODT document)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "legacy Microsoft Office document (DOC/XLS)"),
    (b"{\\rtf", 0, "RTF document"),
    (b"\x00\x00\x00\x0cjP  ", 0, "JPEG 2000 image"),
    (b"ftypheic", 4, "HEIC image"),
    (b"\x1f\x8b", 0, "gzip archive"),
    (b"Rar!", 0, "RAR archive"),
    (b"7z\xbc\xaf", 0, "7-Zip archive"),
    (b"AT&TFORM", 0, "DjVu document"),
)

_CLAIMED_BY_EXTENSION = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".jpe": "JPEG",
                         ".tif": "TIFF", ".tiff": "TIFF", ".pdf": "PDF"}

_CHUNK = 1 << 20
_EXIF_ORIENTATION = 0x0112
A4_LONG_SIDE_IN = 11.69
# Page sizes (long side, inches) a scan plausibly has; outside this the stated dpi is wrong.
_PLAUSIBLE_LONG_SIDE_IN = (4.0, 20.0)


# ----------------------------------------------------------------------------- identify


def identify(
    path: str | Path, options: OcrOptions = OcrOptions(), password: str | None = None
) -> SourceFile:
    """Identify and validate an input file: content id, sniffed media type, size, page count.

    Raises the specific ``InputFileError`` subclass (empty, corrupt, undecodable text),
    ``UnsupportedTypeError``, ``EncryptedPdfError`` or ``FileTooLargeError``.
    """
    return _identify(Path(path), options, password, keep_single=False)[0]


def open_single_page(
    path: str | Path, workdir: Path, options: OcrOptions = OcrOptions(),
    password: str | None = None,
) -> tuple[SourceFile, RasterPage | TextPage | None, np.ndarray | None]:
    """``identify``, and for a one-page file also its page, with the page's grey pixels.

    The decode that validates a one-page image is the one OCR reads (``pixels``), so the
    most common input, a single scanned page, is decoded once instead of twice. Returns
    ``(source, None, None)`` for a file of several pages: load those with ``load_page``.
    """
    source, frame = _identify(Path(path), options, password, keep_single=True)
    if source.page_count != 1:
        return source, None, None
    Path(workdir).mkdir(parents=True, exist_ok=True)
    if frame is not None:
        page, gray = _single_image_page(source, frame, Path(workdir), options)
        return source, page, np.asarray(gray)
    if source.media_type == MEDIA_PDF:
        page, image = _load_pdf_page(source, 1, Path(workdir), options, password)
        return source, page, None if image is None else np.asarray(image)
    return source, load_page(source, 1, workdir, options, password), None


def _identify(p: Path, options: OcrOptions, password: str | None,
              keep_single: bool) -> tuple[SourceFile, "_DecodedFrame | None"]:
    if not p.exists():
        raise InputFileError("file does not exist", path=str(p))
    if p.is_dir():
        raise InputFileError("is a directory, not a file", path=str(p))
    if not p.is_file():
        raise InputFileError("is not a regular file", path=str(p))
    size = p.stat().st_size
    if size == 0:
        raise EmptyFileError("file is empty (0 bytes)", path=str(p))
    try:
        sha256, head = _hash_and_head(p)
    except OSError as exc:
        raise InputFileError(f"cannot read file: {exc.strerror or exc}", path=str(p)) from exc
    media_type = sniff_media_type(head, p)
    frame = None
    if media_type in IMAGE_TYPES:
        pages, frame = _validate_image(p, media_type, options, keep_single)
    elif media_type == MEDIA_PDF:
        pages = _validate_pdf(p, options, password)
    else:
        pages = len(_split_text_pages(_decode_text(p)))
    source = SourceFile(path=str(p), sha256=sha256, media_type=media_type, size_bytes=size,
                        page_count=pages)
    return source, frame


def _hash_and_head(p: Path) -> tuple[str, bytes]:
    digest = hashlib.sha256()
    head = b""
    with p.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            if not head:
                head = chunk[:4096]
            digest.update(chunk)
    return digest.hexdigest(), head


def sniff_media_type(head: bytes, path: Path) -> str:
    """Media type from the first bytes of the file; the extension only decides plain text."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return MEDIA_PNG
    if head.startswith(b"\xff\xd8\xff"):
        return MEDIA_JPEG
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return MEDIA_TIFF
    if b"%PDF-" in head[:1024]:
        return MEDIA_PDF
    for magic, offset, what in _UNSUPPORTED_MAGIC:
        if head[offset:offset + len(magic)] == magic:
            raise UnsupportedTypeError(
                f"detected {what}; Daftar reads PNG, JPEG, TIFF, PDF and .txt files",
                path=str(path))
    if path.suffix.lower() in TEXT_EXTENSIONS:
        return MEDIA_TEXT
    claimed = _CLAIMED_BY_EXTENSION.get(path.suffix.lower())
    if claimed:
        raise CorruptFileError(
            f"named {path.suffix} but the content has no {claimed} signature "
            f"(first bytes {head[:8].hex(' ')}): damaged or not a {claimed} file",
            path=str(path))
    if _looks_like_text(head):
        raise UnsupportedTypeError(
            f"detected plain text with extension {path.suffix or '(none)'!r}; "
            "already-OCR'd text is read only from .txt/.text files", path=str(path))
    raise UnsupportedTypeError(
        f"unrecognised file type (first bytes {head[:8].hex(' ')}); "
        "Daftar reads PNG, JPEG, TIFF, PDF and .txt files", path=str(path))


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        return exc.start > len(head) - 4  # a multi-byte character cut by the 4 KiB head


# ----------------------------------------------------------------------------- images


def _set_pixel_guard(options: OcrOptions) -> None:
    # PIL raises DecompressionBombError above 2x this and warns above 1x; we check the exact
    # limit ourselves from the header, this keeps PIL from allocating anything bigger.
    Image.MAX_IMAGE_PIXELS = max(1, options.max_pixels)


def _open_image(p: Path, media_type: str, options: OcrOptions) -> Image.Image:
    _set_pixel_guard(options)
    kind = IMAGE_TYPES[media_type]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(p)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise FileTooLargeError(f"{kind} image exceeds the pixel limit "
                                f"({options.max_pixels:,} pixels): {exc}", path=str(p)) from exc
    except FileNotFoundError as exc:
        raise InputFileError("file does not exist (moved or deleted?)", path=str(p)) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise CorruptFileError(f"{kind} header is unreadable: {exc}", path=str(p)) from exc


def _check_frame_size(img: Image.Image, kind: str, p: Path, options: OcrOptions, n: int) -> None:
    w, h = img.size
    if w <= 0 or h <= 0:
        raise CorruptFileError(f"{kind} page {n} has zero size", path=str(p))
    if w * h > options.max_pixels:
        raise FileTooLargeError(
            f"{kind} page {n} is {w}x{h} = {w * h:,} pixels, over the limit of "
            f"{options.max_pixels:,} (possible decompression bomb)", path=str(p))


def _decode_frame(img: Image.Image, kind: str, p: Path, n: int) -> None:
    """Decode the pixel data so truncation and corruption surface now, with a clear message."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise FileTooLargeError(f"{kind} page {n}: {exc}", path=str(p)) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        text = str(exc)
        if "truncated" in text.lower() or isinstance(exc, EOFError):
            raise CorruptFileError(f"{kind} is truncated: image data ends early (page {n}: {text})",
                                   path=str(p)) from exc
        raise CorruptFileError(f"{kind} image data is corrupt (page {n}): {text}",
                               path=str(p)) from exc


def _frame_count(img: Image.Image) -> int:
    return int(getattr(img, "n_frames", 1) or 1)


# Bytes PIL holds per pixel of a decoded frame, by mode (RGB is stored in 4 bytes).
_PIL_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "I;16": 2, "I;16B": 2, "I;16L": 2}
_ALPHA_MODES = ("RGBA", "LA", "PA")


def _decode_bytes(img: Image.Image) -> int:
    """Bytes decoding the current frame and making it grey (``to_gray``) take at the peak.

    The frame itself, the extra copies its mode needs on the way to grey (alpha composited
    on white in RGBA: three 4-byte copies; 16-bit: one array copy), the grey page and its
    EXIF-turned copy. Known before a single pixel is decoded.
    """
    w, h = img.size
    per_pixel = _PIL_BYTES_PER_PIXEL.get(img.mode, 4)
    if img.mode in _ALPHA_MODES or (img.mode == "P" and "transparency" in img.info):
        extra = 12
    elif img.mode.startswith("I"):
        extra = per_pixel
    else:
        extra = 0
    return w * h * (per_pixel + extra + 2)


def _fit_decode_to_budget(img: Image.Image, kind: str, p: Path, options: OcrOptions,
                          n: int) -> tuple[int, int]:
    """Before a frame is decoded: size the decode to the page budget. Returns the frame's
    size as stored in the file.

    A JPEG larger than ``options.page_pixels`` is decoded at 1/2, 1/4 or 1/8 of its size
    by libjpeg itself (PIL's ``draft``), the smallest scale that still gives at least the
    page budget's pixels; other formats decode at full size. A frame whose decode would
    still take more than ``options.page_memory`` is refused, as a decompression bomb is.
    """
    stored = img.size
    if img.format == "JPEG" and stored[0] * stored[1] > options.page_pixels:
        img.draft(img.mode, _fit_size(stored, options.page_pixels))
    need = _decode_bytes(img)
    if need > options.page_memory:
        w, h = img.size
        raise FileTooLargeError(
            f"{kind} page {n} is {w}x{h} pixels ({img.mode}): reading it would take about "
            f"{need / 2**20:,.0f} MiB, over the page budget of "
            f"{options.page_memory / 2**20:,.0f} MiB", path=str(p))
    return stored


def _fit_size(size: tuple[int, int], pixels: int) -> tuple[int, int]:
    """``size`` scaled down (aspect kept) to at most ``pixels`` pixels; as is when it fits."""
    w, h = size
    if w * h <= pixels:
        return w, h
    scale = (pixels / (w * h)) ** 0.5
    return max(1, int(w * scale)), max(1, int(h * scale))


@dataclass(frozen=True)
class _DecodedFrame:
    """The one frame of a single-page image, decoded while validating it."""

    gray: Image.Image  # 8-bit grey, EXIF rotation applied, within the page budget
    as_is: bool  # the file itself can serve as the page image (see _usable_as_is)
    dpi: int
    dpi_note: str  # where the dpi came from, and any reduction to the page budget


def _gray_frame(img: Image.Image, stored: tuple[int, int], media_type: str, frames: int,
                options: OcrOptions) -> _DecodedFrame:
    """The decoded frame as the grey page OCR reads, no larger than the page budget.

    ``stored`` is the frame's size in the file: the dpi is read against it, then scaled
    with any reduction (a JPEG decoded smaller, or a page resized to the budget), and the
    reduction is noted in the page's decision.
    """
    dpi, note = _dpi_of_size(stored, img.info)
    gray = to_gray(img)
    fitted = _fit_size(gray.size, options.page_pixels)
    if fitted != gray.size:
        gray = gray.resize(fitted, Image.Resampling.LANCZOS, reducing_gap=2.0)
    if max(gray.size) == max(stored):
        return _DecodedFrame(gray, _usable_as_is(img, media_type, frames), dpi, note)
    read_dpi = max(1, round(dpi * max(gray.size) / max(stored)))
    note += (f"; {stored[0]}x{stored[1]} pixels read as {gray.width}x{gray.height} "
             f"({read_dpi} dpi) to stay within the page budget of "
             f"{options.page_pixels:,} pixels")
    return _DecodedFrame(gray, False, read_dpi, note)


def _validate_image(p: Path, media_type: str, options: OcrOptions,
                    keep_single: bool = False) -> tuple[int, _DecodedFrame | None]:
    """Decode every frame (truncation and corruption surface here); returns the frame count
    and, with ``keep_single`` and one frame, that frame decoded."""
    kind = IMAGE_TYPES[media_type]
    kept = None
    with _open_image(p, media_type, options) as img:
        try:
            frames = _frame_count(img)
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise CorruptFileError(f"{kind} page directory is corrupt: {exc}", path=str(p)) from exc
        if frames > options.max_pages:
            raise FileTooLargeError(f"{kind} has {frames} pages, over the limit of "
                                    f"{options.max_pages}", path=str(p))
        for index in range(frames):
            _seek(img, index, kind, p)
            _check_frame_size(img, kind, p, options, index + 1)
            stored = _fit_decode_to_budget(img, kind, p, options, index + 1)
            _decode_frame(img, kind, p, index + 1)
        if keep_single and frames == 1:
            kept = _gray_frame(img, stored, media_type, frames, options)
    if media_type == MEDIA_JPEG and not _jpeg_has_end_marker(p):
        raise CorruptFileError("JPEG is truncated: end-of-image marker missing", path=str(p))
    if media_type == MEDIA_PNG:
        _check_png_chunks(p)
    return frames, kept


def _check_png_chunks(p: Path) -> None:
    """Walk the PNG chunk headers (seeking past the data): every chunk fits, IEND ends it."""
    size = p.stat().st_size
    with p.open("rb") as fh:
        pos = 8
        while pos + 8 <= size:
            fh.seek(pos)
            header = fh.read(8)
            length, kind = int.from_bytes(header[:4], "big"), header[4:8]
            end = pos + 12 + length
            if end > size:
                raise CorruptFileError(
                    f"PNG is truncated: {kind.decode('latin-1')} chunk ends at byte {end:,} "
                    f"but the file has {size:,} bytes", path=str(p))
            if kind == b"IEND":
                return
            pos = end
    raise CorruptFileError("PNG is truncated: image data ends early (no IEND chunk)",
                           path=str(p))


def _seek(img: Image.Image, index: int, kind: str, p: Path) -> None:
    try:
        img.seek(index)
    except (OSError, EOFError, ValueError) as exc:
        raise CorruptFileError(f"{kind} page {index + 1} cannot be read: {exc}",
                               path=str(p)) from exc


def _tail_bytes(p: Path, size: int) -> bytes:
    """The last ``size`` bytes of a file (all of it when shorter)."""
    with p.open("rb") as fh:
        fh.seek(0, 2)
        fh.seek(max(0, fh.tell() - size))
        return fh.read()


def _jpeg_has_end_marker(p: Path) -> bool:
    # Some cameras append padding or metadata after EOI; look near the end, not only at it.
    return b"\xff\xd9" in _tail_bytes(p, 4096)


def dpi_of(img: Image.Image) -> tuple[int, str]:
    """The image's resolution and where it came from (metadata, or estimated from A4)."""
    return _dpi_of_size(img.size, img.info)


def _dpi_of_size(size: tuple[int, int], info: dict) -> tuple[int, str]:
    long_px = max(size)
    estimate = max(72, round(long_px / A4_LONG_SIDE_IN))
    raw = info.get("dpi")
    stated = None
    if raw:
        try:
            stated = round(float(raw[0] if isinstance(raw, tuple) else raw))
        except (TypeError, ValueError):
            stated = None
    if stated and stated > 0:
        long_in = long_px / stated
        lo, hi = _PLAUSIBLE_LONG_SIDE_IN
        if lo <= long_in <= hi:
            return stated, f"{stated} dpi from file metadata"
        return estimate, (f"{estimate} dpi estimated from A4 page size "
                          f"(metadata said {stated} dpi, a {long_in:.1f}-inch page)")
    return estimate, f"{estimate} dpi estimated from A4 page size (no resolution in file)"


# EXIF orientation -> the transposition that makes the image upright (as ImageOps.exif_transpose)
_EXIF_TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
                   4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
                   6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
                   8: Image.Transpose.ROTATE_90}
_STRIP_ROWS = 1024  # rows of a 16-bit image scaled to 8 bits at a time


def to_gray(img: Image.Image) -> Image.Image:
    """8-bit grayscale, transparent areas composited on white, EXIF rotation applied.

    Made grey first and turned after, so the turn copies one byte a pixel, not the four of
    a colour frame (the pixels are the same either way: both steps act pixel by pixel).
    """
    gray = _grey_pixels(img)
    turn = _EXIF_TRANSPOSE.get(img.getexif().get(_EXIF_ORIENTATION, 1))
    return gray.transpose(turn) if turn is not None else gray


def _grey_pixels(img: Image.Image) -> Image.Image:
    if img.mode in _ALPHA_MODES or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, rgba)
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(img)
        top = float(arr.max()) or 1.0
        out = np.empty(arr.shape, dtype=np.uint8)
        for row in range(0, arr.shape[0], _STRIP_ROWS):  # float64 a strip at a time
            out[row:row + _STRIP_ROWS] = (arr[row:row + _STRIP_ROWS].astype(np.float64)
                                          * (255.0 / top)).astype("uint8")
        return Image.fromarray(out, mode="L")
    return img.convert("L")


def _page_image_path(workdir: Path, source: SourceFile, number: int) -> Path:
    return workdir / f"{source.sha256[:16]}-p{number:04d}.png"


def _write_png(img: Image.Image, out: Path) -> None:
    tmp = out.with_suffix(".tmp.png")
    img.save(tmp, format="PNG", compress_level=1)
    tmp.replace(out)


def _usable_as_is(img: Image.Image, media_type: str, frames: int) -> bool:
    """Is the file itself the page image: one 8-bit grey PNG/JPEG frame, upright.

    Then nothing is decoded or written again (``identify`` already decoded and checked every
    pixel): OCR reads the user's file, only ever for reading, and the archive's page image
    is the original itself.
    """
    if frames != 1 or media_type not in (MEDIA_PNG, MEDIA_JPEG) or img.mode != "L":
        return False
    orientation = img.getexif().get(_EXIF_ORIENTATION, 1)
    return orientation in (None, 1)


def _iter_image_pages(source: SourceFile, workdir: Path, options: OcrOptions) -> Iterator[RasterPage]:
    for number in range(1, source.page_count + 1):
        yield _image_page(source, number, workdir, options)


def _image_page(source: SourceFile, number: int, workdir: Path, options: OcrOptions) -> RasterPage:
    """Page ``number`` of an image file: the file itself when usable as is, else a grey PNG."""
    p = Path(source.path)
    kind = IMAGE_TYPES[source.media_type]
    with _open_image(p, source.media_type, options) as img:
        frames = _frame_count(img)
        if not 1 <= number <= frames:
            raise CorruptFileError(f"{kind} has {frames} pages, not {number} (changed since "
                                   "it was identified?)", path=str(p))
        if (_usable_as_is(img, source.media_type, frames)
                and img.width * img.height <= options.page_pixels):
            _check_frame_size(img, kind, p, options, 1)
            dpi, dpi_note = dpi_of(img)
            return _as_is_page(p, kind, img.width, img.height, dpi, dpi_note)
        _seek(img, number - 1, kind, p)
        _check_frame_size(img, kind, p, options, number)
        stored = _fit_decode_to_budget(img, kind, p, options, number)
        _decode_frame(img, kind, p, number)
        frame = _gray_frame(img, stored, source.media_type, frames, options)
    where = f"{kind} page {number} of {frames}" if frames > 1 else f"{kind} image"
    return _written_page(source, number, frame, where, workdir)


def _single_image_page(source: SourceFile, frame: _DecodedFrame, workdir: Path,
                       options: OcrOptions) -> tuple[RasterPage, Image.Image]:
    kind = IMAGE_TYPES[source.media_type]
    if frame.as_is:
        return _as_is_page(Path(source.path), kind, frame.gray.width, frame.gray.height,
                           frame.dpi, frame.dpi_note), frame.gray
    return _written_page(source, 1, frame, f"{kind} image", workdir), frame.gray


def _as_is_page(p: Path, kind: str, width: int, height: int, dpi: int, dpi_note: str) -> RasterPage:
    return RasterPage(number=1, image_path=str(p), dpi=dpi, width=width, height=height,
                      decision=f"{kind} image: OCR; {dpi_note}; grey, read as it is")


def _written_page(source: SourceFile, number: int, frame: _DecodedFrame, where: str,
                  workdir: Path) -> RasterPage:
    out = _page_image_path(workdir, source, number)
    _write_png(frame.gray, out)
    return RasterPage(number=number, image_path=str(out), dpi=frame.dpi,
                      width=frame.gray.width, height=frame.gray.height,
                      decision=f"{where}: OCR; {frame.dpi_note}")


# ----------------------------------------------------------------------------- text files


def _decode_text(p: Path) -> str:
    try:
        data = p.read_bytes()
    except FileNotFoundError as exc:
        raise InputFileError("file does not exist (moved or deleted?)", path=str(p)) from exc
    except OSError as exc:
        raise InputFileError(f"cannot read file: {exc.strerror or exc}", path=str(p)) from exc
    if data.startswith(b"\xef\xbb\xbf"):
        encoding, body, offset = "utf-8", data[3:], 3
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding, body, offset = "utf-16", data, 0
    else:
        encoding, body, offset = "utf-8", data, 0
    if encoding == "utf-8" and b"\x00" in body:
        at = body.index(b"\x00") + offset
        raise TextEncodingError(
            f"text file contains a NUL byte at byte offset {at} (binary data, or UTF-16 "
            "without a byte-order mark); save it as UTF-8", path=str(p))
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        at = exc.start + offset
        bad = body[exc.start:exc.start + 4].hex(" ")
        raise TextEncodingError(
            f"text is not valid {encoding.upper()}: undecodable byte(s) {bad} at byte offset "
            f"{at}; save it as UTF-8", path=str(p)) from exc
    if encoding == "utf-16":
        text = text.lstrip("\ufeff")
        if "\x00" in text:
            raise TextEncodingError("UTF-16 text contains NUL characters", path=str(p))
    return text


def _split_text_pages(text: str) -> list[str]:
    pages = text.replace("\r\n", "\n").split("\f")
    while len(pages) > 1 and not pages[-1].strip():
        pages.pop()  # a trailing form feed does not start a new page
    return pages


def _iter_text_pages(source: SourceFile) -> Iterator[TextPage]:
    pages = _split_text_pages(_decode_text(Path(source.path)))
    for number, text in enumerate(pages, start=1):
        yield _text_page(number, text, len(pages))


def _text_page(number: int, text: str, count: int) -> TextPage:
    return TextPage(number=number, text=text, source="text-file",
                    decision=f"text file: page {number} of {count}, "
                             f"{len(text):,} chars taken as given")


def _load_text_page(source: SourceFile, number: int) -> TextPage:
    pages = _split_text_pages(_decode_text(Path(source.path)))
    if not 1 <= number <= len(pages):
        raise InputFileError(f"text file has {len(pages)} pages, not {number} (changed since "
                             "it was identified?)", path=source.path)
    return _text_page(number, pages[number - 1], len(pages))


# ----------------------------------------------------------------------------- PDF

# PDFium is not thread-safe, not even across documents: two threads calling it at once
# corrupt its state (pypdfium2's documentation), which showed as sound PDFs quarantined as
# "corrupt" once the flows rendered several pages of a file on parallel threads. Every
# PDFium call in this module runs under this lock (re-entrant: the helpers nest).
_PDFIUM = threading.RLock()


def _open_pdf(p: Path, password: str | None):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(p), password=password)
    except FileNotFoundError as exc:
        raise InputFileError("file does not exist (moved or deleted?)", path=str(p)) from exc
    except pdfium.PdfiumError as exc:
        text = str(exc)
        if "password" in text.lower():
            if password:
                raise EncryptedPdfError("PDF is encrypted and the given password is wrong",
                                        path=str(p)) from exc
            raise EncryptedPdfError("PDF is encrypted; a password is needed to open it",
                                    path=str(p)) from exc
        if "security" in text.lower():
            raise EncryptedPdfError(f"PDF uses an unsupported security handler: {text}",
                                    path=str(p)) from exc
        what = "truncated (no %%EOF at the end)" if not _pdf_has_eof(p) else "corrupt"
        raise CorruptFileError(f"PDF is {what} and cannot be repaired: {text}",
                               path=str(p)) from exc


def _pdf_has_eof(p: Path) -> bool:
    return b"%%EOF" in _tail_bytes(p, 2048)


def _validate_pdf(p: Path, options: OcrOptions, password: str | None) -> int:
    with _PDFIUM:
        pdf = _open_pdf(p, password)
        try:
            count = len(pdf)
        finally:
            pdf.close()
    if count == 0:
        raise CorruptFileError("PDF has no pages (damaged page tree?)", path=str(p))
    if count > options.max_pages:
        raise FileTooLargeError(f"PDF has {count} pages, over the limit of "
                                f"{options.max_pages}", path=str(p))
    return count


_CID = re.compile(r"\(cid:\d+\)")
_TOKEN = re.compile(r"[^\W\d_]{2,}")
_LANG_TO_WORDFREQ = {"eng": "en", "urd": "ur", "hin": "hi", "ara": "ar", "fas": "fa"}


def text_layer_quality(text: str, languages: str = "eng") -> tuple[bool, str]:
    """Is this PDF text layer real text? Returns the verdict and the measurement behind it.

    Junk layers: too short, ``(cid:NN)``/replacement glyphs from fonts without a Unicode map,
    mostly non-letters, or mostly non-words (a bad invisible OCR layer).
    """
    from wordfreq import zipf_frequency

    chars = [c for c in text if not c.isspace()]
    n = len(chars)
    if n == 0:
        return False, "no text layer"
    bad_glyphs = len(_CID.findall(text)) + text.count("\ufffd") + sum(
        1 for c in chars if ord(c) < 32 or 0xE000 <= ord(c) <= 0xF8FF)
    letters = sum(1 for c in chars if c.isalpha())
    tokens = _TOKEN.findall(_CID.sub(" ", text))
    langs = [_LANG_TO_WORDFREQ.get(code, code) for code in languages.split("+") if code]
    known = sum(1 for t in tokens if any(zipf_frequency(t, lang) > 0 for lang in langs))
    word_ratio = known / len(tokens) if tokens else 0.0
    letter_ratio = letters / n
    summary = (f"text layer: {n:,} chars, {word_ratio:.0%} dictionary words, "
               f"{letter_ratio:.0%} letters, {bad_glyphs} unmapped glyphs")
    ok = bad_glyphs <= 0.05 * n and letter_ratio >= 0.5 and word_ratio >= 0.6
    return ok, summary


# A page that fits the page budget only below this is refused. The budget brings pages over
# ~90 inches (posters, drawings, a scan whose page size lies) under 50 dpi, where their print
# is as large as the page; PDF's largest page (200 inches) still fits at 22 dpi.
MIN_RENDER_DPI = 20
# Bytes a render holds per pixel of the page: PDFium's grey bitmap, its copy as the page
# image, the array OCR reads (bitmap freed by then). A page with images costs more while
# PDFium draws them, beside the decoded images: up to 8 bytes a page pixel (its scaling
# buffers; OCRmyPDF's hugemono.pdf measured 7.7 at 30 dpi, 4.4 at 72 dpi).
RENDER_BYTES_PER_PIXEL = 3
IMAGE_RENDER_BYTES_PER_PIXEL = 8
# What PDFium allocates to decode an image XObject, per byte of its raw pixels
# (width x height x bits per pixel / 8), measured rendering 144-megapixel images at 20 dpi:
# 8-bit grey and RGB Flate 1.05, 1-bit Flate 2.15, 1-bit CCITT 1.22 to 1.29 (hugemono.pdf,
# 10 to 72 dpi). JPEG is decoded scaled down by libjpeg (to 1/2, 1/4, 1/8 a side) to about
# the size it is drawn at, 1.3 MiB per drawn megapixel in the same measurement.
_PDFIUM_DECODE_FACTOR = {"1-bit": 2.2, "fax": 1.4, "other": 1.1}
_FAX_FILTERS = frozenset({"CCITTFaxDecode", "JBIG2Decode"})
_SCALED_FILTERS = frozenset({"DCTDecode"})
SCAN_IMAGE_COVERAGE = 0.5  # images covering this much of a page make it a scan
SCAN_TEXT_CHARS = 400  # ... unless its text layer is at least this long (an OCR layer)


def _image_coverage(page) -> float:
    """Fraction of the page area covered by image objects (bounding boxes, capped at 1)."""
    import pypdfium2.raw as pdfium_raw

    w, h = page.get_size()
    if w <= 0 or h <= 0:
        return 0.0
    area = 0.0
    for obj in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        area += max(0.0, min(right, w) - max(left, 0.0)) * max(0.0, min(top, h) - max(bottom, 0.0))
    return min(1.0, area / (w * h))


def _pdf_page_text(page) -> str:
    textpage = page.get_textpage()
    try:
        return textpage.get_text_bounded()
    finally:
        textpage.close()


def _render_pdf_page(page, dpi: int, options: OcrOptions) -> tuple[Image.Image, int, str]:
    dpi, note = _render_dpi(page, dpi, options)
    bitmap = page.render(scale=dpi / 72.0, grayscale=True)
    try:
        img = bitmap.to_pil().convert("L")
    finally:
        bitmap.close()
    return img, dpi, note


def _render_dpi(page, dpi: int, options: OcrOptions) -> tuple[int, str]:
    """The dpi to render ``page`` at within the page budget, and the decision to record.

    Sized before PDFium allocates anything: the bitmap at most ``options.page_pixels``
    (and ``max_pixels``), and the bitmap's bytes plus what PDFium takes to decode the
    page's images at most ``options.page_memory``. A poster-sized page is rendered at a
    lower dpi rather than refused, unless that would be under MIN_RENDER_DPI or its images
    alone would take the whole budget.
    """
    w_pt, h_pt = page.get_size()
    images = _image_decode_bytes(page, dpi)
    if images > options.page_memory:
        raise FileTooLargeError(
            f"PDF page holds images that would take about {images / 2**20:,.0f} MiB to "
            f"decode, over the page budget of {options.page_memory / 2**20:,.0f} MiB",
            path=None)
    per_pixel = IMAGE_RENDER_BYTES_PER_PIXEL if images else RENDER_BYTES_PER_PIXEL
    budget = min(options.max_pixels, options.page_pixels,
                 (options.page_memory - images) / per_pixel)
    pixels = (w_pt * dpi / 72.0) * (h_pt * dpi / 72.0)
    if pixels <= budget:
        return dpi, f"rendered at {dpi} dpi"
    fitted = int(dpi * (budget / pixels) ** 0.5)
    if fitted < MIN_RENDER_DPI:
        raise FileTooLargeError(
            f"PDF page is {w_pt / 72:.0f}x{h_pt / 72:.0f} in: under the limit of "
            f"{int(budget):,} pixels it could only be rendered at {fitted} dpi", path=None)
    return fitted, (f"rendered at {fitted} dpi (page is {w_pt / 72:.0f}x{h_pt / 72:.0f} in, "
                    f"reduced to stay under {int(budget):,} pixels, the page budget)")


def _image_decode_bytes(page, dpi: int) -> int:
    """Bytes PDFium would allocate to decode the page's images when rendering it at ``dpi``
    (see _PDFIUM_DECODE_FACTOR), from their dictionaries alone: nothing is decoded here.

    An image too large for PDFium to decode at all (4 GiB of raw pixels or more: its sizes
    overflow) costs nothing: it is drawn as nothing (measured: a 190,000 x 190,000 1-bit
    image with all its data, and the hostile batch's 40-gigapixel XObject, grow a render by
    13 MiB or less).
    """
    import pypdfium2.raw as pdfium_raw

    total = 0.0
    for obj in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        width, height = obj.get_px_size()
        bits = obj.get_metadata().bits_per_pixel or 24
        raw = width * height * bits / 8
        if raw >= 2**32:
            continue
        filters = set(obj.get_filters())
        if filters & _SCALED_FILTERS:
            left, bottom, right, top = obj.get_bounds()
            drawn = (right - left) * (top - bottom) * (dpi / 72.0) ** 2
            # libjpeg's scales go in halves: up to 2x a side (4x the pixels) of what is drawn
            total += min(raw, drawn * 4 * bits / 8)
        elif filters & _FAX_FILTERS:
            total += raw * _PDFIUM_DECODE_FACTOR["fax"]
        else:
            total += raw * _PDFIUM_DECODE_FACTOR["1-bit" if bits == 1 else "other"]
    return int(total)


def _pdf_text_words(p: Path, number: int, dpi: int, password: str | None) -> tuple[str, tuple[Word, ...], int, int]:
    """Words of a born-digital page from pdfplumber, boxes scaled from 72 dpi to ``dpi``."""
    import pdfplumber

    scale = dpi / 72.0
    with pdfplumber.open(str(p), password=password or "", pages=[number]) as pdf:
        page = pdf.pages[0]
        raw = page.extract_words(keep_blank_chars=False, use_text_flow=False)
        width, height = round(float(page.width) * scale), round(float(page.height) * scale)
    return (*assemble_words(raw, scale), width, height)


def assemble_words(raw: list[dict], scale: float) -> tuple[str, tuple[Word, ...]]:
    """Page text from positioned words: lines by vertical position, a blank line at wide gaps."""
    if not raw:
        return "", ()
    ordered = sorted(raw, key=lambda w: (float(w["top"]), float(w["x0"])))
    lines: list[list[dict]] = []
    for w in ordered:
        if lines:
            last = lines[-1]
            ref = last[0]
            tol = max(2.0, 0.5 * (float(ref["bottom"]) - float(ref["top"])))
            if abs(float(w["top"]) - float(ref["top"])) <= tol:
                last.append(w)
                continue
        lines.append([w])
    heights = sorted(float(line[0]["bottom"]) - float(line[0]["top"]) for line in lines)
    median_h = heights[len(heights) // 2] or 10.0
    parts: list[str] = []
    words: list[Word] = []
    pos, block, par = 0, 1, 1
    prev_bottom = None
    for line_no, line in enumerate(lines, start=1):
        line.sort(key=lambda w: float(w["x0"]))
        top = min(float(w["top"]) for w in line)
        if prev_bottom is not None:
            sep = "\n\n" if top - prev_bottom > 1.0 * median_h else "\n"
            if sep == "\n\n":
                par += 1
            parts.append(sep)
            pos += len(sep)
        for i, w in enumerate(line):
            if i:
                parts.append(" ")
                pos += 1
            text = str(w["text"])
            box = (round(float(w["x0"]) * scale), round(float(w["top"]) * scale),
                   max(1, round((float(w["x1"]) - float(w["x0"])) * scale)),
                   max(1, round((float(w["bottom"]) - float(w["top"])) * scale)))
            words.append(Word(text=text, box=box, confidence=100.0, block=block, paragraph=par,
                              line=line_no, word=i + 1, span=(pos, pos + len(text))))
            parts.append(text)
            pos += len(text)
        prev_bottom = max(float(w["bottom"]) for w in line)
    return "".join(parts), tuple(words)


def _iter_pdf_pages(source: SourceFile, workdir: Path, options: OcrOptions,
                    password: str | None) -> Iterator[RasterPage | TextPage]:
    with _PDFIUM:
        pdf = _open_pdf(Path(source.path), password)
    try:
        with _PDFIUM:
            count = len(pdf)
        for index in range(count):
            with _PDFIUM:  # never held across the yield
                page = _pdf_page_of(pdf, index + 1, count, source, workdir, options, password)[0]
            yield page
    finally:
        with _PDFIUM:
            pdf.close()


def _load_pdf_page(source: SourceFile, number: int, workdir: Path, options: OcrOptions,
                   password: str | None) -> tuple[RasterPage | TextPage, Image.Image | None]:
    with _PDFIUM:
        pdf = _open_pdf(Path(source.path), password)
        try:
            count = len(pdf)
            if not 1 <= number <= count:
                raise CorruptFileError(f"PDF has {count} pages, not {number} (changed since "
                                       "it was identified?)", path=source.path)
            return _pdf_page_of(pdf, number, count, source, workdir, options, password)
        finally:
            pdf.close()


def _pdf_page_of(pdf, number: int, count: int, source: SourceFile, workdir: Path,
                 options: OcrOptions, password: str | None
                 ) -> tuple[RasterPage | TextPage, Image.Image | None]:
    try:
        page = pdf[number - 1]
    except Exception as exc:  # PdfiumError: broken page tree (loops, missing objects)
        raise CorruptFileError(f"PDF page {number} of {count} cannot be loaded "
                               f"(damaged page tree?): {exc}", path=source.path) from exc
    try:
        return _pdf_page(page, number, source, workdir, options, password)
    finally:
        page.close()


def _pdf_page(page, number: int, source: SourceFile, workdir: Path, options: OcrOptions,
              password: str | None) -> tuple[RasterPage | TextPage, Image.Image | None]:
    """The page as text (a real text layer) or as a rendered image written to ``workdir``."""
    p = Path(source.path)
    layer = _pdf_page_text(page)
    stripped = len("".join(layer.split()))
    coverage = _image_coverage(page)
    if stripped and coverage >= SCAN_IMAGE_COVERAGE and stripped < SCAN_TEXT_CHARS:
        # A scanned page with a few text objects on top (a stamp, a Bates number, a header
        # added by a portal): the body is in the image, so the page must be OCR'd.
        reason = (f"text layer: only {stripped} chars over a page image covering "
                  f"{coverage:.0%} of the page, OCR instead")
    elif stripped >= options.min_text_layer_chars:
        ok, summary = text_layer_quality(layer, options.languages)
        if ok:
            try:
                text, words, width, height = _pdf_text_words(p, number, options.dpi, password)
                how = ": text taken from the PDF"
            except Exception:  # pdfminer cannot parse what PDFium repaired: keep PDFium's text
                text, words = layer.replace("\r\n", "\n").replace("\r", "\n"), ()
                w_pt, h_pt = page.get_size()
                width, height = round(w_pt * options.dpi / 72), round(h_pt * options.dpi / 72)
                how = ": text taken from the PDF (no word boxes: pdfplumber could not parse it)"
            if len("".join(text.split())) >= options.min_text_layer_chars:
                return TextPage(number=number, text=text, source="pdf-text",
                                decision=summary + how, width=width, height=height,
                                dpi=options.dpi, words=words), None
        reason = summary + ": junk, OCR instead"
    elif stripped:
        reason = f"text layer: only {stripped} chars (< {options.min_text_layer_chars}), OCR instead"
    else:
        reason = "no text layer"
    try:
        img, dpi, note = _render_pdf_page(page, options.dpi, options)
    except FileTooLargeError as exc:
        raise FileTooLargeError(f"page {number}: {exc.message}", path=source.path) from exc
    except Exception as exc:  # pdfium raises PdfiumError or ValueError on broken content
        raise CorruptFileError(f"PDF page {number} cannot be rendered: {exc}",
                               path=source.path) from exc
    out = _page_image_path(workdir, source, number)
    _write_png(img, out)
    return RasterPage(number=number, image_path=str(out), dpi=dpi, width=img.width,
                      height=img.height, decision=f"{reason}: {note}"), img


# ----------------------------------------------------------------------------- pages


def iter_pages(
    source: SourceFile,
    workdir: Path,
    options: OcrOptions = OcrOptions(),
    password: str | None = None,
) -> Iterator[RasterPage | TextPage]:
    """Yield the pages of ``source`` one at a time, rendering/writing images into ``workdir``."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    if not Path(source.path).is_file():
        raise InputFileError("file no longer exists (moved or deleted after it was identified)",
                             path=source.path)
    if source.media_type in IMAGE_TYPES:
        yield from _iter_image_pages(source, workdir, options)
    elif source.media_type == MEDIA_PDF:
        yield from _iter_pdf_pages(source, workdir, options, password)
    elif source.media_type == MEDIA_TEXT:
        yield from _iter_text_pages(source)
    else:
        raise UnsupportedTypeError(f"cannot load media type {source.media_type}",
                                   path=source.path)


def load_page(
    source: SourceFile,
    number: int,
    workdir: Path,
    options: OcrOptions = OcrOptions(),
    password: str | None = None,
) -> RasterPage | TextPage:
    """Page ``number`` (1-based) of an identified file, as ``iter_pages`` would yield it.

    Lets every page of a long PDF be rendered by the task that reads it, so pages are
    loaded in parallel and never all at once.
    """
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    if not Path(source.path).is_file():
        raise InputFileError("file no longer exists (moved or deleted after it was identified)",
                             path=source.path)
    if source.media_type in IMAGE_TYPES:
        return _image_page(source, number, workdir, options)
    if source.media_type == MEDIA_PDF:
        return _load_pdf_page(source, number, workdir, options, password)[0]
    if source.media_type == MEDIA_TEXT:
        return _load_text_page(source, number)
    raise UnsupportedTypeError(f"cannot load media type {source.media_type}", path=source.path)


__all__ = [
    "assemble_words", "dpi_of", "identify", "iter_pages", "load_page", "open_single_page",
    "sniff_media_type", "text_layer_quality", "to_gray",
]
