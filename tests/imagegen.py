"""Test helper: draw real text pages with PIL, degrade them like scans, write PDFs.

Pages are drawn at a stated dpi with real serif fonts so Tesseract sees what it sees in a
scanner's output; degradations (skew, noise, uneven light, low resolution, dark borders,
rotation) are applied with known parameters so tests can check what preprocessing measured.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS = {
    "serif": "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "serif-bold": "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf",
    "dejavu-serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "sans": "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
}

A4_IN = (8.27, 11.69)

CIRCULAR_LINES = (
    "GOVERNMENT OF PAKISTAN",
    "CABINET SECRETARIAT",
    "ESTABLISHMENT DIVISION",
    "No. 1/14/2021-E-2 Islamabad, the 12th March, 2021",
    "OFFICE MEMORANDUM",
    "Subject: Observance of office timings in the Federal Ministries",
    "The undersigned is directed to refer to this Division's Office Memorandum",
    "of even number dated 4th January, 2021 on the subject noted above and",
    "to state that all officers and officials shall observe the office timings",
    "strictly. Heads of departments are requested to ensure compliance and to",
    "report cases of habitual late attendance to this Division within fifteen days.",
    "2. This issues with the approval of the competent authority.",
    "Section Officer (E-2)",
    "All Secretaries / Additional Secretaries Incharge",
)

UNIVERSITY_LINES = (
    "ALLAMA IQBAL OPEN UNIVERSITY",
    "Office of the Registrar",
    "Ref: Admin-II/2023/417 Dated: 21-08-2023",
    "NOTIFICATION",
    "The Vice Chancellor has been pleased to approve the constitution of a",
    "committee to review the examination schedule for the Autumn semester.",
    "The committee shall submit its recommendations within two weeks.",
    "Deputy Registrar (Admin)",
    "Copy to: Director Examinations, Controller Accounts, Office File",
)


def font(name: str = "serif", size_px: int = 50) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONTS[name], size_px)


def render_page(
    lines: tuple[str, ...] | list[str] = CIRCULAR_LINES,
    *,
    dpi: int = 300,
    font_name: str = "serif",
    size_pt: float = 12.0,
    margin_in: float = 1.0,
    line_spacing: float = 1.6,
    page_in: tuple[float, float] = A4_IN,
) -> Image.Image:
    """A white A4 page with ``lines`` drawn in black, grayscale ("L"), at ``dpi``."""
    w, h = round(page_in[0] * dpi), round(page_in[1] * dpi)
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    size_px = max(8, round(size_pt / 72 * dpi))
    f = font(font_name, size_px)
    x, y = round(margin_in * dpi), round(margin_in * dpi)
    step = round(size_px * line_spacing)
    for line in lines:
        draw.text((x, y), line, font=f, fill=0)
        y += step
    return img


def page_text(lines: tuple[str, ...] | list[str] = CIRCULAR_LINES) -> str:
    return "\n".join(lines)


# ----------------------------------------------------------------------------- degradations


def skew(img: Image.Image, degrees: float) -> Image.Image:
    """Rotate by ``degrees`` counter-clockwise (like a page fed crooked), white fill."""
    return img.rotate(degrees, resample=Image.BICUBIC, expand=False, fillcolor=255)


def rotate_quarter(img: Image.Image, degrees: int) -> Image.Image:
    """Rotate by 90/180/270 degrees counter-clockwise (a page scanned sideways)."""
    return img.rotate(degrees, expand=True)


def add_noise(img: Image.Image, salt_pepper: float = 0.01, sigma: float = 0.0,
              seed: int = 7) -> Image.Image:
    rng = np.random.default_rng(seed)
    arr = np.asarray(img, dtype=np.float32).copy()
    if sigma:
        arr += rng.normal(0.0, sigma, arr.shape)
    if salt_pepper:
        mask = rng.random(arr.shape)
        arr[mask < salt_pepper / 2] = 0
        arr[mask > 1 - salt_pepper / 2] = 255
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), mode="L")


def uneven_light(img: Image.Image, darkest: int = 90) -> Image.Image:
    """Paper darkening towards one corner (a curled page or a bad scanner lamp)."""
    arr = np.asarray(img, dtype=np.float32)
    h, w = arr.shape
    yy, xx = np.mgrid[0:h, 0:w]
    shade = 1.0 - (darkest / 255.0) * ((xx / w + yy / h) / 2.0) ** 1.5
    return Image.fromarray(np.clip(arr * shade, 0, 255).astype(np.uint8), mode="L")


def low_contrast(img: Image.Image, ink: int = 140, paper: int = 215) -> Image.Image:
    arr = np.asarray(img, dtype=np.float32) / 255.0
    return Image.fromarray((ink + arr * (paper - ink)).astype(np.uint8), mode="L")


def dark_border(img: Image.Image, px: int = 60, value: int = 20) -> Image.Image:
    arr = np.asarray(img).copy()
    arr[:, :px] = value
    arr[:px // 2, :] = value
    arr[:, -px // 2:] = value
    return Image.fromarray(arr, mode="L")


def downsample(img: Image.Image, from_dpi: int, to_dpi: int) -> Image.Image:
    f = to_dpi / from_dpi
    return img.resize((round(img.width * f), round(img.height * f)), Image.LANCZOS)


def blur(img: Image.Image, radius: float = 1.0) -> Image.Image:
    return img.filter(ImageFilter.GaussianBlur(radius))


# ----------------------------------------------------------------------------- PDFs


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def write_text_pdf(path: Path, pages: list[list[str]], font_size: float = 11.0) -> Path:
    """A born-digital PDF (Times-Roman text objects, A4) with one page per list of lines."""
    objects: list[bytes] = []
    page_ids: list[int] = []
    # 1: catalog, 2: pages, 3: font; then (content, page) pairs.
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"")  # pages, filled in below
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman "
                   b"/Encoding /WinAnsiEncoding >>")
    for lines in pages:
        ops = [f"BT /F1 {font_size:g} Tf {1.4 * font_size:g} TL 72 770 Td"]
        for line in lines:
            ops.append(f"({_pdf_escape(line)}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("cp1252")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content_id = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content_id)
        page_ids.append(len(objects))
    kids = " ".join(f"{i} 0 R" for i in page_ids).encode()
    objects[1] = b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(page_ids)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    Path(path).write_bytes(bytes(out))
    return Path(path)


def write_image_pdf(path: Path, images: list[Image.Image], dpi: int = 300) -> Path:
    """A scanned PDF: page images only, no text layer."""
    first, *rest = [im.convert("L") for im in images]
    first.save(path, format="PDF", resolution=dpi, save_all=True, append_images=rest)
    return Path(path)


def png_bytes_crc_ok(data: bytes) -> bool:
    """True if every PNG chunk's CRC matches (used to check truncation tests cut real data)."""
    pos = 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        chunk = data[pos + 4:pos + 8 + length]
        crc = data[pos + 8 + length:pos + 12 + length]
        if len(crc) < 4 or zlib.crc32(chunk).to_bytes(4, "big") != crc:
            return False
        pos += 12 + length
    return True
