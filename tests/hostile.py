"""Hostile input files, each with the quarantine reason Daftar must give it.

``generate(dest)`` writes a folder of bad files (zero bytes, truncations, bombs, loops,
encryption, lying extensions, hostile names, links out of the folder) plus a few good ones,
and returns one ``HostileCase`` per file. The loader tests (tests/test_hostile.py), the
batch test and bench scripts all read this one table, so a new kind of bad file is added
in one place.

Every file is built from first principles (hand-written PDF objects, hand-written PNG/TIFF
chunks) so each case is exactly the damage it names, and the whole folder is small (the
2,000-page PDF and the 40,000 x 40,000 PNG bomb are each under 300 KB).

Expected reasons are the ``reason`` of a ``pipeline.errors`` class (or of the flows' input
errors); ``None`` means the file must be read and ingested.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from PIL import Image, ImageDraw, ImageFont

OK = None  # the file must load (and, in a batch, be ingested)
ANY_SPECIFIC = "any-specific"  # ingested, or quarantined for a specific (non-internal) reason
NOT_INGESTED = "not-ingested"  # in a batch: must not be ingested; may be skipped silently

PASSWORD = "daftar-secret"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"

CIRCULAR_TEXT = (
    "GOVERNMENT OF PAKISTAN\n"
    "CABINET SECRETARIAT\n"
    "ESTABLISHMENT DIVISION\n"
    "No. 8/12/2021-E-{n}\n"
    "Islamabad, the 14th March, 2022\n"
    "OFFICE MEMORANDUM\n"
    "Subject: Attendance of officers during {topic}\n"
    "The undersigned is directed to say that all officers shall observe office hours.\n"
)


@dataclass(frozen=True)
class HostileCase:
    """One generated file and what Daftar must do with it.

    ``stage`` says who refuses it: ``"load"`` (``pipeline.load.identify``/``iter_pages``) or
    ``"inputs"`` (the flows' folder walk, before any loader runs: links out of the folder,
    dangling links). ``reason`` is the loader's expected outcome with ``password`` and
    ``options`` applied; ``flow_reason`` is the outcome in a default batch (no password, default
    limits) when it differs.
    """

    name: str
    path: Path
    reason: str | None
    what: str
    stage: Literal["load", "inputs"] = "load"
    password: str | None = None
    options: dict = field(default_factory=dict)
    flow_reason: str | None = "same"
    in_batch: bool = True  # False: too slow for a default batch (e.g. 2,000 blank pages to OCR)

    @property
    def batch_reason(self) -> str | None:
        return self.reason if self.flow_reason == "same" else self.flow_reason

    @property
    def good(self) -> bool:
        return self.batch_reason is OK


# ----------------------------------------------------------------------------- builders


def text_page_image(text: str, size: tuple[int, int] = (1100, 560), font_px: int = 26) -> Image.Image:
    """A small, clean grayscale page of text (fast to OCR)."""
    img = Image.new("L", size, 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, font_px)
    y = 30
    for line in text.splitlines():
        draw.text((40, y), line, font=font, fill=0)
        y += int(font_px * 1.6)
    return img


def image_bytes(img: Image.Image, fmt: str, **save: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **save)
    return buf.getvalue()


def pdf_bytes(objects: list[bytes], *, root: int = 1, xref: bool = True,
              xref_offsets: list[int] | None = None, trailer_extra: bytes = b"") -> bytes:
    """A PDF from numbered object bodies (object i+1 = objects[i]) with a correct xref.

    ``xref_offsets`` replaces the true offsets (a broken xref); ``xref=False`` leaves the
    xref table and trailer out entirely.
    """
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    if not xref:
        return bytes(out)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in xref_offsets or offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, trailer_extra, start)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def text_pdf_objects(lines: list[str]) -> list[bytes]:
    """A one-page born-digital PDF with a real (Helvetica) text layer."""
    ops = [b"BT /F1 11 Tf 14 TL 56 780 Td"]
    for line in lines:
        safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(b"(" + safe.encode("latin-1") + b") Tj T*")
    ops.append(b"ET")
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream(b"\n".join(ops)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def text_pdf(n: int = 1) -> bytes:
    return pdf_bytes(text_pdf_objects(CIRCULAR_TEXT.format(n=n, topic="Ramazan").splitlines()))


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of width x height white pixels: megapixels of nothing in a few KB.

    Rows are compressed one at a time so building it never holds the raw image either.
    """
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    comp = zlib.compressobj(9)
    parts = [comp.compress(row) for _ in range(height)]
    parts.append(comp.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", b"".join(parts))
            + png_chunk(b"IEND", b""))


def jpeg_with_size(jpeg: bytes, width: int, height: int) -> bytes:
    """The same JPEG with its frame header (SOF0) declaring another size."""
    at = jpeg.index(b"\xff\xc0")
    head = jpeg[:at + 5]  # marker, length, precision
    return head + struct.pack(">HH", height, width) + jpeg[at + 9:]


def tiff_bytes(width: int, height: int, pixels: bytes | None = None) -> bytes:
    """A minimal little-endian 8-bit grayscale single-strip TIFF (any declared size)."""
    pixels = pixels if pixels is not None else b"\xff" * (width * height)
    entries = [
        (256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 1),
        (262, 3, 1, 1), (273, 4, 1, 0), (277, 3, 1, 1), (278, 4, 1, max(height, 1)),
        (279, 4, 1, len(pixels)),
    ]
    ifd_at = 8
    data_at = ifd_at + 2 + 12 * len(entries) + 4
    out = bytearray(b"II*\x00" + struct.pack("<I", ifd_at) + struct.pack("<H", len(entries)))
    for tag, kind, count, value in entries:
        value = data_at if tag == 273 else value
        fmt = "<HHIHH" if kind == 3 else "<HHII"
        out += struct.pack(fmt, tag, kind, count, value, 0) if kind == 3 else struct.pack(
            fmt, tag, kind, count, value)
    out += struct.pack("<I", 0) + pixels
    return bytes(out)


def pages_pdf(count: int, size_pt: float = 72.0) -> bytes:
    """A PDF of ``count`` blank pages (text-free; a few bytes per page)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=size_pt, height=size_pt)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def encrypted_pdf(user_password: str, owner_password: str, algorithm: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(7))))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm=algorithm)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def random_bytes(n: int, seed: int) -> bytes:
    import random

    return random.Random(seed).randbytes(n)


# ----------------------------------------------------------------------------- the table


def _page_tree_loop() -> bytes:
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",  # its own kid: a cycle
    ])


def _page_tree_loop_deep() -> bytes:
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 2 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 4 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 200 200] >>",
    ])


def _empty_pdf() -> bytes:
    return pdf_bytes([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def _broken_xref_recoverable() -> bytes:
    # Every offset wrong, objects intact: readers rebuild the xref by scanning (mature
    # behaviour: repair and carry on).
    objects = text_pdf_objects(CIRCULAR_TEXT.format(n=3, topic="winter").splitlines())
    return pdf_bytes(objects, xref_offsets=[9999 + i for i in range(len(objects))])


def _broken_xref_unrecoverable() -> bytes:
    # The xref points into nothing and the objects themselves are gone: nothing to repair.
    return b"%PDF-1.7\nxref\n0 3\n0000000000 65535 f \n0000009999 00000 n \n0000019999 00000 n \n" \
           b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"


def _huge_image_pdf() -> bytes:
    # An image XObject declaring 200,000 x 200,000 pixels (40 gigapixels) on an ordinary page,
    # with a few bytes of data: a renderer that trusts the header allocates 40 GB.
    data = zlib.compress(b"\xff" * 1000)
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
        stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
        stream(data, b"/Type /XObject /Subtype /Image /Width 200000 /Height 200000 "
                     b"/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode "),
    ])


def _poster_pdf() -> bytes:
    # A 200 x 200 inch page (the PDF maximum): 3.6 gigapixels at 300 dpi if rendered naively.
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] >>",
    ])


def _truncations(name: str, data: bytes, cuts: dict[str, int]) -> list[tuple[str, bytes]]:
    return [(f"truncated-{name}-{label}.{name}", data[:cut]) for label, cut in cuts.items()]


def generate(dest: Path) -> list[HostileCase]:
    """Write every hostile (and good) file into ``dest`` and return the expectations."""
    dest.mkdir(parents=True, exist_ok=True)
    cases: list[HostileCase] = []

    def add(name: str, data: bytes | None, reason: str | None, what: str, **kw: object) -> None:
        path = dest / name
        if data is not None:
            path.write_bytes(data)
        cases.append(HostileCase(name, path, reason, what, **kw))  # type: ignore[arg-type]

    page = text_page_image(CIRCULAR_TEXT.format(n=1, topic="Ramazan"))
    png = image_bytes(page, "PNG")
    jpeg = image_bytes(page.convert("RGB"), "JPEG", quality=80)
    tiff = image_bytes(page, "TIFF", compression="tiff_deflate")
    pdf = text_pdf(1)

    # --- good files (must be ingested)
    add("good-page.png", png, OK, "clean rendered text page (PNG)")
    add("good-page.jpg", image_bytes(text_page_image(CIRCULAR_TEXT.format(n=2, topic="Eid")).convert("RGB"),
                                     "JPEG", quality=85), OK, "clean rendered text page (JPEG)")
    add("good-text.txt", CIRCULAR_TEXT.format(n=4, topic="monsoon").encode(), OK, "UTF-8 OCR text")
    add("good-textlayer.pdf", text_pdf(5), OK, "born-digital PDF with a text layer")
    add("good-utf8-bom.txt", b"\xef\xbb\xbf" + CIRCULAR_TEXT.format(n=6, topic="elections").encode(),
        OK, "UTF-8 text with a byte-order mark")
    add("good-urdu.txt", "حکومت پاکستان\nدفتری یادداشت\nنمبر 8/12/2021\n".encode(), OK, "Urdu UTF-8 text")

    # --- zero bytes, several extensions
    for ext in ("png", "jpg", "tif", "pdf", "txt", "bin"):
        add(f"zero.{ext}", b"", "empty-file", f"zero-byte .{ext}")
    add("noextension", b"", "empty-file", "zero bytes, no extension")

    # --- truncations at several cut points
    for name, data in (("png", png), ("jpg", jpeg), ("tif", tiff)):
        cuts = {"head16": 16, "q1": len(data) // 4, "half": len(data) // 2, "q3": 3 * len(data) // 4,
                "minus16": len(data) - 16}
        for fname, cut_data in _truncations(name, data, cuts):
            add(fname, cut_data, "corrupt", f"{name.upper()} cut to {len(cut_data)} of {len(data)} bytes")
    add("truncated-pdf-half.pdf", pdf[: len(pdf) // 2], "corrupt", "PDF cut in half (no xref, no trailer)")
    add("truncated-pdf-header.pdf", pdf[:9], "corrupt", "PDF header only")

    # --- lying extensions
    add("really-a-pdf.png", text_pdf(8), OK, "PDF named .png (content decides)")
    add("really-a-png.jpg", image_bytes(text_page_image(CIRCULAR_TEXT.format(n=9, topic="floods")), "PNG"),
        OK, "PNG named .jpg")
    add("really-a-jpeg.tif", image_bytes(text_page_image(CIRCULAR_TEXT.format(n=10, topic="polio")).convert("RGB"),
                                         "JPEG", quality=85), OK, "JPEG named .tif")
    add("garbage.pdf", random_bytes(3000, 1), "corrupt", "random bytes named .pdf (no PDF header)")
    add("garbage-with-header.pdf", b"%PDF-1.4\n" + random_bytes(3000, 2), "corrupt",
        "PDF header followed by random bytes")
    for i, ext in enumerate(("png", "jpg", "jpeg", "tif", "tiff")):
        add(f"random.{ext}", random_bytes(2048 + i, 10 + i), "corrupt", f"random bytes named .{ext}")
    add("png-magic-then-garbage.png", b"\x89PNG\r\n\x1a\n" + random_bytes(4000, 20), "corrupt",
        "PNG signature followed by random bytes")
    add("jpeg-magic-then-garbage.jpg", b"\xff\xd8\xff\xe0" + random_bytes(4000, 21), "corrupt",
        "JPEG SOI marker followed by random bytes")
    add("tiff-magic-then-garbage.tif", b"II*\x00" + random_bytes(4000, 22), "corrupt",
        "TIFF header followed by random bytes")
    add("archive.zip.pdf", b"PK\x03\x04" + random_bytes(500, 23), "unsupported-type", "ZIP named .pdf")
    add("animation.gif", b"GIF89a" + random_bytes(200, 24), "unsupported-type", "GIF image")
    add("notes.html", b"<html><body>Circular</body></html>", "unsupported-type", "HTML file")
    add("program.exe", b"\x7fELF" + random_bytes(500, 25), "unsupported-type", "ELF binary")

    # --- PDF structure
    add("broken-xref.pdf", _broken_xref_recoverable(), OK, "every xref offset wrong, objects intact")
    add("broken-xref-empty.pdf", _broken_xref_unrecoverable(), "corrupt", "xref points at nothing")
    add("no-xref.pdf", pdf_bytes(text_pdf_objects(["Office Order No. 12 regarding leave of officers"]),
                                 xref=False), ANY_SPECIFIC, "no xref table or trailer, objects intact")
    add("page-tree-loop.pdf", _page_tree_loop(), "corrupt", "/Pages node whose /Kids is itself")
    add("page-tree-loop-deep.pdf", _page_tree_loop_deep(), ANY_SPECIFIC,
        "two /Pages nodes pointing at each other, one real page")
    add("empty-0-pages.pdf", _empty_pdf(), "corrupt", "valid PDF with zero pages")
    add("huge-image.pdf", _huge_image_pdf(), OK,
        "image XObject declaring 200,000 x 200,000 pixels with 1 KB of data")
    # In the batch since pages are read within the page budget (20 megapixels): it used to
    # be read at 200 megapixels, which took Tesseract minutes and 950 MiB.
    add("poster-page.pdf", _poster_pdf(), OK, "200 x 200 inch blank page (rendered at reduced dpi)",
        flow_reason=ANY_SPECIFIC)
    add("2000-pages.pdf", pages_pdf(2000), "too-large", "2,000 blank pages with max_pages=1000",
        options={"max_pages": 1000}, flow_reason=OK, in_batch=False)

    # --- encryption
    add("encrypted-rc4.pdf", encrypted_pdf("user-pw", "owner-pw", "RC4-128"), "encrypted-pdf",
        "RC4 encrypted, no password given")
    add("encrypted-aes256.pdf", encrypted_pdf("user-pw", "owner-pw", "AES-256"), "encrypted-pdf",
        "AES-256 encrypted, no password given")
    add("encrypted-wrong-password.pdf", encrypted_pdf("user-pw", "owner-pw", "AES-128"), "encrypted-pdf",
        "AES-128 encrypted, wrong password given", password="not-the-password")
    add("encrypted-known-password.pdf", encrypted_pdf(PASSWORD, "owner-pw", "AES-256"), OK,
        "AES-256 encrypted, right password given", password=PASSWORD, flow_reason="encrypted-pdf")
    add("encrypted-owner-only.pdf", encrypted_pdf("", "owner-pw", "RC4-128"), OK,
        "encrypted with an empty user password (opens without one)")

    # --- bombs and absurd sizes
    add("bomb-40000x40000.png", png_bomb(40000, 40000), "too-large", "1-bit PNG declaring 1.6 gigapixels")
    add("bomb-header-only.png", png_bomb(40000, 40000)[:33] + png_chunk(b"IEND", b""), "too-large",
        "PNG header declaring 40,000 x 40,000 with no pixel data")
    add("bomb-65000x65000.jpg", jpeg_with_size(jpeg, 65000, 65000), "too-large",
        "JPEG frame header declaring 65,000 x 65,000")
    add("bomb-tiff.tif", tiff_bytes(60000, 60000, pixels=b"\xff" * 64), "too-large",
        "TIFF declaring 60,000 x 60,000 with 64 bytes of strip")
    add("one-pixel.png", image_bytes(Image.new("L", (1, 1), 255), "PNG"), OK, "1 x 1 image",
        flow_reason=ANY_SPECIFIC)
    add("one-pixel.jpg", image_bytes(Image.new("RGB", (1, 1), (255, 255, 255)), "JPEG"), OK,
        "1 x 1 JPEG", flow_reason=ANY_SPECIFIC)
    add("zero-size.tif", tiff_bytes(0, 0, pixels=b""), "corrupt", "TIFF frame of 0 x 0 pixels")
    add("zero-width.tif", tiff_bytes(0, 100, pixels=b""), "corrupt", "TIFF frame of 0 x 100 pixels")

    # --- text encodings
    add("latin1.txt", "Notification No. 5 — café résumé".encode("cp1252"), "text-encoding",
        "cp1252 text (not UTF-8)")
    add("utf16-no-bom.txt", "Office Memorandum".encode("utf-16-le"), "text-encoding",
        "UTF-16 without a byte-order mark (NUL bytes)")
    add("binary.txt", random_bytes(1000, 30), "text-encoding", "random bytes named .txt")
    add("invalid-utf8-late.txt", b"Circular No. 1\n" * 400 + b"\xc3\x28 end\n", "text-encoding",
        "valid UTF-8 for 6 KB, then an invalid sequence")

    # --- hostile names (good content: must be ingested, names must not be interpreted)
    add("$(rm -rf x);'\"..\\..good.txt", CIRCULAR_TEXT.format(n=11, topic="shell names").encode(), OK,
        "shell metacharacters and path traversal in the name")
    add("-rf --out=x.txt", CIRCULAR_TEXT.format(n=12, topic="dash names").encode(), OK,
        "name that looks like command-line options")
    add("نوٹیفکیشن ٢٠٢٢.txt", CIRCULAR_TEXT.format(n=13, topic="Urdu names").encode(), OK, "Urdu file name")
    add("newline\nin name.txt", CIRCULAR_TEXT.format(n=14, topic="newlines").encode(), OK,
        "newline inside the file name")
    add("x" * 200 + ".txt", CIRCULAR_TEXT.format(n=15, topic="long names").encode(), OK, "200-char name")

    # --- links, special files (refused by the folder walk, before any loader)
    outside = dest.parent / f"{dest.name}-outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_bytes(b"private file outside the input folder\n")
    link = dest / "link-out.txt"
    link.unlink(missing_ok=True)
    link.symlink_to(outside / "secret.txt")
    cases.append(HostileCase("link-out.txt", link, "symlink-outside-input",
                             "symlink to a file outside the input folder", stage="inputs"))
    dir_link = dest / "link-out-dir"
    dir_link.unlink(missing_ok=True)
    dir_link.symlink_to(outside, target_is_directory=True)
    cases.append(HostileCase("link-out-dir", dir_link, "symlink-outside-input",
                             "symlink to a folder outside the input folder", stage="inputs"))
    dangling = dest / "vanished.png"
    dangling.unlink(missing_ok=True)
    dangling.symlink_to(dest / "does-not-exist.png")
    cases.append(HostileCase("vanished.png", dangling, "missing-file",
                             "dangling symlink (a file removed after listing)", stage="inputs"))
    fifo = dest / "pipe.txt"
    if not fifo.exists():
        os.mkfifo(fifo)
    cases.append(HostileCase("pipe.txt", fifo, "unreadable", "named pipe (reading would block)",
                             flow_reason=NOT_INGESTED))
    return cases


def hostile_only(cases: list[HostileCase]) -> list[HostileCase]:
    return [c for c in cases if not c.good]

