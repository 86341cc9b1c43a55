"""Render realistic scans of government circulars from marked-up clean text.

One source file gives both the ground truth (``clean_text``) and the page images
(``render_document``), so every sample scan has an exact transcript beside it.

Markup
======
A source is plain UTF-8 text, one printed line per source line.  A line that starts with
``@word`` is a directive; every other line is body text.

==========================  ============================================================
``@emblem``                 draw a round emblem/logo above the letterhead (no text)
``@letterhead TEXT``        bold, larger, centred line (government / office name)
``@center TEXT``            centred line
``@right TEXT``             right-aligned line
``@left TEXT``              flush-left line, never justified ("To", "Copy forwarded to:")
``@indent TEXT``            left line indented by one tab (addresses under "To")
``@leftright A || B``       A flush left, B flush right on the same line (number / date)
``@heading TEXT``           centred, bold, underlined document type (CIRCULAR, ...)
``@subject LABEL: TEXT``    bold label, bold (often underlined) text with hanging indent
``@item LABEL TEXT``        list item: label ("i.", "(a)", "1.") then text with hanging
                            indent; following body lines continue the item
``@columns A || B``         one row of a two-column block (left list, right remark)
``@sig TEXT``               one line of a right-hand signature block; consecutive
                            ``@sig`` lines form one block
``@pagebreak``              start a new page
``%% comment``              ignored
==========================  ============================================================

Body text lines separated by a blank line form justified paragraphs; a paragraph that
starts with ``2.`` (any number) is a numbered paragraph.  Inside any text ``**bold**``
sets bold, and ordinals (``25th``, ``3rd``) get a raised, smaller suffix as printed
letterheads do (a frequent source of OCR damage).

Degradation levels (all deterministic by seed)
==============================================
0. clean print at 300 dpi.
1. slight skew (up to 1 degree), light noise, signature scribble.
2. skew up to 2.5 degrees, noise, blur, lower contrast, JPEG artefacts (q 40).
3. skew, heavy noise and speckle, blur, low contrast, uneven illumination, a coloured
   ink stamp over part of the text, dark scanner border, JPEG q 25; returned as RGB.

CLI
===
``python samples/render.py``                        rebuild the committed samples
``python samples/render.py --bulk N --out DIR --seed S``
                                                    write N varied pages (levels 0-2)
                                                    with ``.gt.txt`` transcripts
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import math
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from pipeline.errors import BadArgsError, InputFileError

SAMPLES_DIR = Path(__file__).resolve().parent
SOURCES_DIR = SAMPLES_DIR / "sources"
FONT_DIR = Path("/usr/share/fonts/truetype")

PAGE_W, PAGE_H, DPI = 2480, 3508, 300  # A4 at 300 dpi
FONT_FAMILIES = {
    "liberation": ("liberation/LiberationSerif-Regular.ttf", "liberation/LiberationSerif-Bold.ttf"),
    "dejavu": ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf"),
    "freeserif": ("freefont/FreeSerif.ttf", "freefont/FreeSerifBold.ttf"),
}
DIRECTIVES = {
    "emblem", "letterhead", "center", "right", "left", "indent", "leftright", "heading",
    "subject", "item", "columns", "sig", "pagebreak",
}
ORDINAL = re.compile(r"\b(\d{1,2})(st|nd|rd|th)\b")
CLEAN_WIDTH = 46  # text column where right-hand blocks start in the clean text


class MarkupError(InputFileError):
    """The source text breaks the markup rules (unknown directive, missing ``||`` ...)."""

    reason = "sample-markup"


# --------------------------------------------------------------------------- parsing


@dataclass
class Block:
    """One layout unit of the source: a directive line, a paragraph or a list item."""

    kind: str  # a directive name, "para" or "blank"
    text: str = ""
    lines: list[str] = field(default_factory=list)  # source lines (paragraphs, items)
    line_no: int = 0


def parse(source_text: str) -> list[Block]:
    """Split a source into blocks; body lines continue the preceding paragraph or item."""
    blocks: list[Block] = []
    for no, raw in enumerate(source_text.splitlines(), start=1):
        line = raw.rstrip()
        if line.startswith("%%"):
            continue
        if not line.strip():
            blocks.append(Block("blank", line_no=no))
            continue
        if line.startswith("@"):
            name, _, rest = line[1:].partition(" ")
            if name not in DIRECTIVES:
                raise MarkupError(f"line {no}: unknown directive @{name}")
            if name in {"leftright", "columns"} and "||" not in rest:
                raise MarkupError(f"line {no}: @{name} needs 'left || right'")
            if name == "item" and not rest.strip():
                raise MarkupError(f"line {no}: @item needs a label and text")
            blocks.append(Block(name, rest.strip(), [rest.strip()], no))
            continue
        previous = blocks[-1] if blocks else None
        if previous is not None and previous.kind in {"para", "item"}:
            previous.lines.append(line.strip())
            previous.text += " " + line.strip()
        else:
            blocks.append(Block("para", line.strip(), [line.strip()], no))
    return blocks


def _plain(text: str) -> str:
    return text.replace("**", "")


def _split2(text: str) -> tuple[str, str]:
    left, _, right = text.partition("||")
    return _plain(left.strip()), _plain(right.strip())


def reading_text(source_text: str) -> str:
    """The clean text in reading order: a two-column block (consecutive ``@columns`` rows,
    a distribution list beside a remark) read left column first, then right column, as a
    reader reads it and as ``pipeline.layout`` puts it, instead of row by row as laid out."""
    blocks = parse(source_text)
    ordered: list[Block] = []
    run: list[Block] = []
    for block in blocks + [Block("blank")]:  # the sentinel ends a run at the end
        if block.kind == "columns":
            run.append(block)
            continue
        if run:
            lefts, rights = zip(*(_split2(b.text) for b in run))
            ordered += [Block("para", lines=[x for x in lefts if x]), Block("blank"),
                        Block("para", lines=[x for x in rights if x])]
            run = []
        ordered.append(block)
    return clean_text(blocks=ordered[:-1])


def clean_text(source_text: str = "", *, blocks: list[Block] | None = None) -> str:
    """The ground-truth text of a source: what a perfect OCR of its render would read."""
    out: list[str] = []
    for block in parse(source_text) if blocks is None else blocks:
        kind = block.kind
        if kind in {"emblem", "pagebreak"}:
            continue
        if kind == "blank":
            out.append("")
        elif kind in {"leftright", "columns"}:
            left, right = _split2(block.text)
            width = 42 if kind == "columns" else 47
            out.append(left.ljust(width) + (" " if len(left) >= width else "") + right)
        elif kind in {"right", "sig"}:
            out.append(" " * CLEAN_WIDTH + _plain(block.text))
        elif kind == "indent":
            out.append("    " + _plain(block.text))
        elif kind == "item":
            label = block.lines[0].split(" ", 1)[0]
            out.append(_plain(block.lines[0]))
            out.extend(" " * (len(label) + 1) + _plain(x) for x in block.lines[1:])
        elif kind == "para":
            out.extend(_plain(x) for x in block.lines)
        else:
            out.append(_plain(block.text))
    return "\n".join(x.rstrip() for x in out).strip("\n") + "\n"


# --------------------------------------------------------------------------- typesetting

Run = tuple[str, str]  # (text, style) with style in regular | bold | sup | supbold
Word = list[Run]


def words_of(text: str, bold: bool = False) -> list[Word]:
    """Cut marked-up text into words of styled runs (bold spans, raised ordinal suffixes)."""
    words: list[Word] = []
    glue = False  # the previous ``**`` part ended inside a word
    for part_no, part in enumerate(text.split("**")):
        part_bold = bold != (part_no % 2 == 1)
        for k, token in enumerate(part.split(" ")):
            if not token:
                continue
            runs = _runs_of(token, part_bold)
            if k == 0 and glue and words:
                words[-1].extend(runs)
            else:
                words.append(runs)
        glue = bool(part) and not part.endswith(" ")
    return words


def _runs_of(token: str, bold: bool) -> Word:
    runs: Word = []
    pos = 0
    base, sup = ("bold", "supbold") if bold else ("regular", "sup")
    for match in ORDINAL.finditer(token):
        runs.append((token[pos:match.start(2)], base))
        runs.append((match.group(2), sup))
        pos = match.end()
    if pos < len(token):
        runs.append((token[pos:], base))
    return [r for r in runs if r[0]]


@dataclass
class Style:
    """Typographic choices drawn from the seed: one office's house style."""

    family: str
    size: int  # body size in pixels at 300 dpi
    leading: float
    margin_left: int
    margin_right: int
    margin_top: int
    para_indent: int
    underline_subject: bool
    ink: int

    @classmethod
    def from_seed(cls, seed: int) -> "Style":
        rng = np.random.default_rng([seed, 7])
        return cls(
            family=str(rng.choice(sorted(FONT_FAMILIES))),
            size=int(rng.integers(46, 53)),
            leading=float(rng.uniform(1.28, 1.5)),
            margin_left=int(rng.integers(230, 300)),
            margin_right=int(rng.integers(190, 250)),
            margin_top=int(rng.integers(170, 260)),
            para_indent=int(rng.choice([0, 0, 120])),
            underline_subject=bool(rng.random() < 0.6),
            ink=int(rng.integers(0, 30)),
        )


class Fonts:
    def __init__(self, style: Style) -> None:
        regular, bold = FONT_FAMILIES[style.family]
        self.paths = {"regular": FONT_DIR / regular, "bold": FONT_DIR / bold}
        self.base = style.size
        self._cache: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}

    def get(self, style: str, scale: float = 1.0) -> ImageFont.FreeTypeFont:
        weight = "bold" if "bold" in style else "regular"
        size = round(self.base * scale * (0.62 if style.startswith("sup") else 1.0))
        key = (weight, size)
        if key not in self._cache:
            self._cache[key] = ImageFont.truetype(str(self.paths[weight]), size)
        return self._cache[key]


@dataclass
class RenderedPage:
    """One rendered page and the exact text drawn on it, line by line."""

    image: Image.Image
    text: str


class Typesetter:
    """Lays blocks out on A4 pages, breaking pages when the bottom margin is reached."""

    def __init__(self, style: Style, level: int, seed: int) -> None:
        self.style = style
        self.fonts = Fonts(style)
        self.level = level
        self.rng = np.random.default_rng([seed, 11])
        self.pages: list[RenderedPage] = []
        self.lines: list[str] = []
        self.line_h = round(style.size * style.leading)
        self.left = style.margin_left
        self.right = PAGE_W - style.margin_right
        self._new_page()

    # page handling
    def _new_page(self) -> None:
        if self.pages or self.lines:
            self.pages[-1].text = "\n".join(self.lines).strip("\n") + "\n"
        self.image = Image.new("L", (PAGE_W, PAGE_H), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.pages.append(RenderedPage(self.image, ""))
        self.lines = []
        self.y = self.style.margin_top

    def _room(self, height: int) -> None:
        if self.y + height > PAGE_H - 200:
            self._new_page()

    def finish(self) -> list[RenderedPage]:
        self.pages[-1].text = "\n".join(self.lines).strip("\n") + "\n"
        return self.pages

    # measuring and drawing words
    def width(self, word: Word, scale: float = 1.0) -> float:
        return sum(self.fonts.get(s, scale).getlength(t) for t, s in word)

    def space(self, scale: float = 1.0) -> float:
        return self.fonts.get("regular", scale).getlength(" ")

    def draw_word(self, x: float, word: Word, scale: float = 1.0, underline: bool = False) -> float:
        baseline = self.y + round(self.style.size * scale)
        start = x
        for text, style in word:
            font = self.fonts.get(style, scale)
            lift = round(self.style.size * scale * 0.38) if style.startswith("sup") else 0
            self.draw.text((x, baseline - lift), text, font=font, fill=self.style.ink, anchor="ls")
            x += font.getlength(text)
        if underline:
            self.underline(start, x, scale)
        return x

    def underline(self, x0: float, x1: float, scale: float) -> None:
        thick = max(2, round(self.style.size * scale / 18))
        uy = self.y + round(self.style.size * scale) + round(self.style.size * scale * 0.12)
        self.draw.rectangle([x0, uy, x1, uy + thick], fill=self.style.ink)

    def draw_line(self, x: float, words: list[Word], scale: float = 1.0, gap: float | None = None,
                  underline: bool = False) -> float:
        gap = self.space(scale) if gap is None else gap
        for i, word in enumerate(words):
            end = self.draw_word(x, word, scale, underline)
            if underline and i < len(words) - 1:
                self.underline(end, end + gap, scale)
            x = end + gap
        return x

    def line_width(self, words: list[Word], scale: float = 1.0) -> float:
        return sum(self.width(w, scale) for w in words) + self.space(scale) * max(0, len(words) - 1)

    def wrap(self, words: list[Word], first_width: float, width: float, scale: float = 1.0) -> list[list[Word]]:
        lines: list[list[Word]] = [[]]
        limit = first_width
        for word in words:
            trial = lines[-1] + [word]
            if lines[-1] and self.line_width(trial, scale) > limit:
                lines.append([word])
                limit = width
            else:
                lines[-1] = trial
        return lines

    def label_hang(self, label: str) -> float:
        """Text indent after a list label: the widest label of its kind plus a short gap.

        A tab-wide gap after short labels ("1.") makes OCR read the labels as a column of
        their own; typists align on the widest label instead.
        """
        widest = "viii." if re.fullmatch(r"[ivxlc]+\.", label) else (
            "(viii)" if re.fullmatch(r"\([ivxlc]+\)", label) else (
                "(m)" if re.fullmatch(r"\([a-z]\)", label) else "10."))
        return max(self.width(words_of(label)[0]), self.width(words_of(widest)[0])) + self.style.size * 0.5

    def advance(self, text: str, factor: float = 1.0) -> None:
        self.lines.append(text)
        self.y += round(self.line_h * factor)

    # block layouts
    def centered(self, text: str, scale: float = 1.0, bold: bool = False, underline: bool = False) -> None:
        words = words_of(text, bold)
        for line in self.wrap(words, self.right - self.left, self.right - self.left, scale):
            self._room(self.line_h * scale)
            x = (self.left + self.right - self.line_width(line, scale)) / 2
            self.draw_line(x, line, scale, underline=underline)
            self.advance(_text(line), scale)

    def flush(self, text: str, x: float, align: str = "left") -> None:
        words = words_of(text)
        self._room(self.line_h)
        if align == "right":
            x = self.right - self.line_width(words)
        self.draw_line(x, words)
        self.advance(_text(words))

    def leftright(self, text: str, row_gap: float = 1.0, split_at: float | None = None) -> None:
        left_src, _, right_src = text.partition("||")
        left, right = words_of(left_src.strip()), words_of(right_src.strip())
        self._room(self.line_h)
        self.draw_line(self.left, left)
        x = split_at if split_at is not None else self.right - self.line_width(right)
        self.draw_line(x, right)
        self.advance(f"{_text(left)}    {_text(right)}".strip(), row_gap)

    def paragraph(self, text: str, label: str | None = None, hang: float = 0.0, x0: float | None = None) -> None:
        """Justified paragraph; with ``label`` the label sits left of a hanging indent."""
        x0 = self.left if x0 is None else x0
        words = words_of(text)
        numbered = label is None and words and re.fullmatch(r"\d+\.", _text([words[0]]))
        first_x = x0 + (self.style.para_indent if label is None else hang)
        if numbered:
            label, words = _text([words[0]]), words[1:]
            first_x = x0 + self.style.para_indent + self.style.size * 2
        body_x = x0 + (hang if hang else 0)
        lines = self.wrap(words, self.right - first_x, self.right - body_x)
        for i, line in enumerate(lines):
            self._room(self.line_h)
            x = first_x if i == 0 else body_x
            if i == 0 and label:
                lx = x0 + (self.style.para_indent if numbered else 0)
                self.draw_line(lx, words_of(label))
            gap = None
            if i < len(lines) - 1 and len(line) > 1:
                gap = self.space() + (self.right - x - self.line_width(line)) / (len(line) - 1)
            self.draw_line(x, line, gap=gap)
            prefix = f"{label} " if i == 0 and label else ""
            self.advance(prefix + _text(line))

    def subject(self, text: str) -> None:
        label, _, rest = text.partition(":")
        label_words = words_of(label + ":", bold=True)
        body = words_of(rest.strip(), bold=True)
        hang = self.line_width(label_words) + 60
        lines = self.wrap(body, self.right - self.left - hang, self.right - self.left - hang)
        for i, line in enumerate(lines):
            self._room(self.line_h)
            if i == 0:
                self.draw_line(self.left, label_words)
            self.draw_line(self.left + hang, line, underline=self.style.underline_subject)
            self.advance(((label + ": ") if i == 0 else "") + _text(line))

    def signature(self, lines: list[str]) -> None:
        """Right-hand block; the pen signature goes under a valediction, above the name."""
        centre = self.left + (self.right - self.left) * 0.74
        self._room(self.line_h * (len(lines) + 2))
        lead = 1 if lines[0].lower().startswith("yours") else 0
        for k, text in enumerate(lines):
            if k == lead:
                if self.level >= 1:
                    self._scribble(centre, self.y)
                self.y += round(self.line_h * 1.6)
            words = words_of(text)
            self.draw_line(centre - self.line_width(words) / 2, words)
            self.advance(_text(words))

    def _scribble(self, cx: float, y: float) -> None:
        """A pen signature: a looping stroke of random height and pace."""
        steps = 90
        width = self.rng.uniform(260, 420)
        loops = self.rng.uniform(3.5, 6.5)
        height = self.line_h * self.rng.uniform(0.45, 0.7)
        phase = self.rng.uniform(0, math.pi)
        pts = []
        for k in range(steps):
            t = k / (steps - 1)
            x = cx - width / 2 + width * t + 28 * math.sin(2 * math.pi * loops * t + phase)
            yy = y + self.line_h * 0.75 - height * math.sin(2 * math.pi * loops * t) * (1 - 0.5 * t)
            pts.append((x, yy))
        self.draw.line(pts, fill=40, width=5, joint="curve")

    def emblem(self) -> None:
        r = 110
        cx, cy = PAGE_W / 2, self.y + r
        d = self.draw
        d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=self.style.ink, width=7)
        d.ellipse([cx - r + 22, cy - r + 22, cx + r - 22, cy + r - 22], outline=self.style.ink, width=3)
        d.ellipse([cx - 55, cy - 55, cx + 45, cy + 45], fill=self.style.ink)
        d.ellipse([cx - 35, cy - 62, cx + 58, cy + 31], fill=255)  # crescent
        star = [(cx + 30 + (26 if k % 2 == 0 else 11) * math.cos(math.pi / 2 + k * math.pi / 5),
                 cy - 10 - (26 if k % 2 == 0 else 11) * math.sin(math.pi / 2 + k * math.pi / 5))
                for k in range(10)]
        d.polygon(star, fill=self.style.ink)
        self.y += 2 * r + 40


def _text(words: list[Word]) -> str:
    return " ".join("".join(t for t, _ in w) for w in words)


def render_pages(source_text: str, level: int = 0, seed: int = 0) -> list[RenderedPage]:
    """Typeset and degrade a source; each page carries the exact text drawn on it."""
    if level not in (0, 1, 2, 3):
        raise BadArgsError(f"degradation level must be 0-3, not {level!r}")
    style = Style.from_seed(seed)
    ts = Typesetter(style, level, seed)
    blocks = parse(source_text)
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if block.kind == "sig":
            group = []
            while i < len(blocks) and blocks[i].kind == "sig":
                group.append(blocks[i].text)
                i += 1
            ts.signature(group)
            continue
        _layout(ts, block)
        i += 1
    pages = ts.finish()
    for number, page in enumerate(pages):
        page.image = degrade(page.image, level, seed * 1000 + number)
    return pages


def _layout(ts: Typesetter, block: Block) -> None:
    kind, text = block.kind, block.text
    if kind == "blank":
        ts.advance("", 0.55)
    elif kind == "pagebreak":
        ts._new_page()
    elif kind == "emblem":
        ts.emblem()
    elif kind == "letterhead":
        ts.centered(text, 1.22, bold=True)
    elif kind == "center":
        ts.centered(text)
    elif kind == "heading":
        ts.y += ts.line_h // 3
        ts.centered(text, 1.12, bold=True, underline=True)
    elif kind == "right":
        ts.flush(text, 0, "right")
    elif kind == "left":
        ts.flush(text, ts.left)
    elif kind == "indent":
        ts.flush(text, ts.left + 120)
    elif kind == "leftright":
        ts.leftright(text)
    elif kind == "columns":
        ts.leftright(text, split_at=ts.left + (ts.right - ts.left) * 0.52)
    elif kind == "subject":
        ts.subject(text)
    elif kind == "item":
        label, _, rest = text.partition(" ")
        indent = 60 if re.fullmatch(r"[ivxlc]+\.|\([a-z]{1,5}\)|\d+\.", label) else 0
        ts.paragraph(rest, label=label, hang=ts.label_hang(label), x0=ts.left + indent)
    elif kind == "para":
        ts.paragraph(text)


def render_document(source_text: str, level: int, seed: int) -> list[Image.Image]:
    """Page images of a source at degradation ``level`` (0-3), identical for equal seeds."""
    return [page.image for page in render_pages(source_text, level, seed)]


# --------------------------------------------------------------------------- degradation

LEVELS = {
    # skew°, noise σ, blur σ, jpeg q, ink, paper
    0: dict(skew=0.0, noise=0.0, blur=0.0, jpeg=None, ink=0, paper=255),
    1: dict(skew=1.0, noise=2.5, blur=0.5, jpeg=None, ink=15, paper=248),
    2: dict(skew=2.5, noise=6.0, blur=0.9, jpeg=40, ink=45, paper=228),
    3: dict(skew=3.0, noise=11.0, blur=1.2, jpeg=25, ink=70, paper=205),
}


def degrade(image: Image.Image, level: int, seed: int) -> Image.Image:
    """Age a clean page like a scanner would; level 0 returns the page unchanged."""
    if level == 0:
        return image
    p = LEVELS[level]
    rng = np.random.default_rng([seed, level])
    page = np.asarray(image, dtype=np.float32)
    page = p["ink"] + (p["paper"] - p["ink"]) * page / 255.0
    if level == 3:  # colour only where there is colour to show: the stamp, yellowed paper
        page = np.repeat(page[:, :, None], 3, axis=2) * np.array([1.0, 0.98, 0.92], np.float32)
        page = _stamp(page, rng)
        page *= _illumination(page.shape[:2], rng)[:, :, None]
    angle = float(rng.uniform(-p["skew"], p["skew"]))
    border = (25, 25, 25) if level == 3 else p["paper"]
    page = _rotate(page, angle, border)
    if level == 3:
        page = _scanner_border(page, rng)
    if p["blur"]:
        page = cv2.GaussianBlur(page, (0, 0), p["blur"])
    grain = _grain(page.shape[:2], p["noise"], rng)
    page += grain[:, :, None] if page.ndim == 3 else grain
    if level == 3:
        page = _speckle(page, rng)
    out = Image.fromarray(np.clip(page, 0, 255).astype(np.uint8), "RGB" if page.ndim == 3 else "L")
    if p["jpeg"]:
        buf = io.BytesIO()
        out.save(buf, "JPEG", quality=p["jpeg"])
        out = Image.open(io.BytesIO(buf.getvalue()))
        out.load()
    return out


def _grain(shape: tuple[int, int], sigma: float, rng: np.random.Generator) -> np.ndarray:
    """Paper grain and sensor noise: noise at half resolution, so blobs span ~2 pixels."""
    h, w = shape
    half = rng.normal(0, sigma, ((h + 1) // 2, (w + 1) // 2)).astype(np.float32)
    return cv2.resize(half, (w, h), interpolation=cv2.INTER_LINEAR)


def _rotate(rgb: np.ndarray, angle: float, border: tuple[int, int, int] | float) -> np.ndarray:
    h, w = rgb.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(rgb, matrix, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=border)


def _illumination(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """Smooth light fall-off: one side of the page darker, as under a tilted lid."""
    h, w = shape
    yy, xx = np.mgrid[0:h:64, 0:w:64].astype(np.float32)
    cx, cy = rng.uniform(0, w), rng.uniform(0, h)
    dist = np.hypot(xx - cx, yy - cy) / math.hypot(w, h)
    small = 1.05 - 0.38 * dist
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def _stamp(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Multiply a rotated, coloured office stamp over part of the lower text."""
    h, w = rgb.shape[:2]
    layer = Image.new("L", (760, 420), 0)
    d = ImageDraw.Draw(layer)
    d.rounded_rectangle([8, 8, 752, 412], radius=40, outline=255, width=9)
    d.rounded_rectangle([28, 28, 732, 392], radius=30, outline=255, width=3)
    font = ImageFont.truetype(str(FONT_DIR / "liberation/LiberationSans-Bold.ttf"), 58)
    small = ImageFont.truetype(str(FONT_DIR / "liberation/LiberationSans-Bold.ttf"), 44)
    d.text((380, 110), "RECEIVED", font=font, fill=255, anchor="mm")
    d.text((380, 210), f"Diary No. {int(rng.integers(100, 9999))}", font=small, fill=255, anchor="mm")
    d.text((380, 300), f"Dated {int(rng.integers(1, 28)):02d}/{int(rng.integers(1, 12)):02d}", font=small,
           fill=255, anchor="mm")
    layer = layer.rotate(float(rng.uniform(-25, 25)), expand=True, resample=Image.BILINEAR)
    alpha = np.asarray(layer, dtype=np.float32) / 255.0 * float(rng.uniform(0.7, 0.9))
    colour = [np.array(c, np.float32) for c in ((60, 70, 190), (120, 50, 160), (190, 40, 50))]
    ink = colour[int(rng.integers(0, 3))] / 255.0
    sh, sw = alpha.shape
    top = int(rng.uniform(0.35, 0.75) * h)
    left = int(rng.uniform(0.35, 0.95) * w - sw)
    region = rgb[top:top + sh, left:left + sw]
    a = alpha[: region.shape[0], : region.shape[1], None]
    region *= 1 - a * (1 - ink)
    return rgb


def _scanner_border(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Dark bands where the scanner lid did not cover the glass."""
    h, w = rgb.shape[:2]
    left, top = int(rng.integers(25, 90)), int(rng.integers(15, 70))
    rgb[:, :left] = rng.uniform(15, 45)
    rgb[:top, :] = rng.uniform(15, 45)
    return rgb


def _speckle(rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Dust and toner specks: small dark dots and a few white drop-outs."""
    h, w = rgb.shape[:2]
    mask = np.zeros((h, w), np.uint8)
    for _ in range(2500):
        r = int(rng.integers(1, 4))
        cv2.circle(mask, (int(rng.integers(0, w)), int(rng.integers(0, h))), r, 255, -1)
    rgb[mask > 0] *= 0.25
    drop = rng.random((h, w)) < 0.002
    rgb[drop] = 235
    return rgb


def rotate_page(image: Image.Image, degrees: int) -> Image.Image:
    """A page fed into the scanner sideways or upside down (90, 180 or 270 degrees)."""
    ops = {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_270}
    if degrees not in ops:
        raise BadArgsError(f"rotation must be 90, 180 or 270, not {degrees!r}")
    return image.transpose(ops[degrees])


def image_digest(images: list[Image.Image]) -> str:
    """sha256 over the pixels (mode, size and bytes) of a page list."""
    h = hashlib.sha256()
    for im in images:
        h.update(f"{im.mode}{im.size}".encode())
        h.update(im.tobytes())
    return h.hexdigest()


# --------------------------------------------------------------------------- writing files


def save_pages(images: list[Image.Image], path: Path, dpi: int = DPI, jpeg_quality: int = 60) -> None:
    """Write pages in the format the suffix names: png, jpg, tif (multi-page) or pdf."""
    suffix = path.suffix.lower()
    res = (dpi, dpi)
    if suffix == ".png":
        # zlib's default level: level 9 or optimize take a minute on a grainy page
        _single(images, path).save(path, "PNG", compress_level=6, dpi=res)
    elif suffix in {".jpg", ".jpeg"}:
        _single(images, path).save(path, "JPEG", quality=jpeg_quality, dpi=res)
    elif suffix in {".tif", ".tiff"}:
        # office scanners in black-and-white mode: a plain threshold, no dithering
        pages = [im.point(lambda v: 255 if v > 150 else 0, "1") if im.mode == "L" else im
                 for im in images]
        kind = "group4" if all(p.mode == "1" for p in pages) else "tiff_adobe_deflate"
        pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:], compression=kind, dpi=res)
    elif suffix == ".pdf":
        pages = [im.convert("RGB") if im.mode not in {"L", "RGB"} else im for im in images]
        pages[0].save(path, "PDF", save_all=True, append_images=pages[1:], resolution=float(dpi),
                      quality=jpeg_quality)
    else:
        raise BadArgsError(f"cannot write {path.name}: use .png, .jpg, .tif or .pdf")


def _single(images: list[Image.Image], path: Path) -> Image.Image:
    if len(images) != 1:
        raise BadArgsError(f"{path.name}: {len(images)} pages do not fit a single-image format")
    return images[0]


def _scale(image: Image.Image, dpi: int) -> Image.Image:
    if dpi == DPI:
        return image
    size = (round(image.width * dpi / DPI), round(image.height * dpi / DPI))
    return image.resize(size, Image.LANCZOS)


@dataclass(frozen=True)
class ScanPlan:
    """One committed scan file: which sources, at what level and seed, in what form."""

    file: str
    sources: tuple[str, ...]
    level: int
    seed: int
    rotate: int = 0
    dpi: int = DPI
    note: str = ""


COMMITTED = [
    ScanPlan("aiou-circular-2023.l0.png", ("aiou-circular-2023",), 0, 11),
    ScanPlan("aiou-circular-2023.l2.jpg", ("aiou-circular-2023",), 2, 12, dpi=200),
    ScanPlan("aiou-circular-2023.l3.jpg", ("aiou-circular-2023",), 3, 13, dpi=200),
    ScanPlan("estab-om-2021.l0.tif", ("estab-om-2021",), 0, 21, note="multi-page TIFF, group4"),
    ScanPlan("punjab-sgad-notification-2022.l0.png", ("punjab-sgad-notification-2022",), 0, 31),
    ScanPlan("punjab-sgad-notification-2022.l2.jpg", ("punjab-sgad-notification-2022",), 2, 32,
             dpi=200),
    ScanPlan("dopt-om-2023.l0.tif", ("dopt-om-2023",), 0, 41, note="multi-page TIFF, group4"),
    ScanPlan("dopt-om-2023.l1.pdf", ("dopt-om-2023",), 1, 42, dpi=200, note="image-only PDF"),
    ScanPlan("pu-office-order-2023.l0.png", ("pu-office-order-2023",), 0, 51),
    ScanPlan("pu-office-order-2023.l1.tif", ("pu-office-order-2023",), 1, 52,
             note="single-page TIFF, black-and-white scan"),
    ScanPlan("kp-estab-letter-2022.l0.png", ("kp-estab-letter-2022",), 0, 61),
    ScanPlan("kp-estab-letter-2022.l1.rot90.jpg", ("kp-estab-letter-2022",), 1, 62, rotate=90, dpi=200,
             note="fed into the scanner sideways"),
    ScanPlan("kp-estab-letter-2022.l3.jpg", ("kp-estab-letter-2022",), 3, 63, dpi=200),
    ScanPlan("finance-austerity-om-2023.l0.tif", ("finance-austerity-om-2023",), 0, 71,
             note="multi-page TIFF, group4"),
    ScanPlan("finance-austerity-om-2023.l2.pdf", ("finance-austerity-om-2023",), 2, 72, dpi=200,
             note="the two-page memo as a 2-page image-only PDF"),
    ScanPlan("sindh-transfer-notification-2023.l0.png", ("sindh-transfer-notification-2023",), 0, 83),
    ScanPlan("sindh-transfer-notification-2023.l2.rot180.jpg", ("sindh-transfer-notification-2023",),
             2, 84, rotate=180, dpi=200, note="upside down"),
    ScanPlan("two-circulars.l1.pdf", ("aiou-circular-2023", "estab-om-2021"), 1, 91, dpi=150,
             note="two documents one after the other in one file, as users bring them"),
]
TEXT_FILES = [
    ("ocr-output-two-circulars.txt", Path("/work/shared/examples/ocr-output-two-circulars.txt"),
     ("aiou-circular-2023", "estab-om-2021")),
]


def read_source(name: str) -> str:
    path = SOURCES_DIR / f"{name}.txt"
    if not path.is_file():
        raise MarkupError(f"no sample source {path}", path=str(path))
    return path.read_text(encoding="utf-8")


def _document_entry(name: str, pages: list[int], seed: int | None = None) -> dict:
    return {
        "source": f"sources/{name}.txt",
        "seed": seed,
        "clean_text": f"clean/{name}.txt",
        "expected": f"expected/{name}.json",
        "pages": pages,
    }


def build_scan(plan: ScanPlan, out_dir: Path) -> dict:
    """Render one planned scan file and return its manifest entry."""
    images: list[Image.Image] = []
    documents = []
    for k, name in enumerate(plan.sources):
        seed = plan.seed + 100 * k
        pages = render_document(read_source(name), plan.level, seed)
        first = len(images) + 1
        images += [_scale(rotate_page(im, plan.rotate) if plan.rotate else im, plan.dpi) for im in pages]
        documents.append(_document_entry(name, list(range(first, len(images) + 1)), seed))
    quality = 40 if plan.level >= 2 else 50
    save_pages(images, out_dir / plan.file, plan.dpi, quality)
    return {
        "file": f"scans/{plan.file}",
        "format": (out_dir / plan.file).suffix.lstrip(".").replace("jpg", "jpeg").replace("tif", "tiff"),
        "level": plan.level,
        "seed": plan.seed,
        "pages": len(images),
        "dpi": plan.dpi,
        "rotation": plan.rotate,
        "note": plan.note,
        "documents": documents,
    }


def build_committed(samples_dir: Path = SAMPLES_DIR) -> dict:
    """(Re)write samples/clean, samples/scans, samples/text and the manifest."""
    names = sorted(p.stem for p in SOURCES_DIR.glob("*.txt"))
    clean_dir, scans_dir, text_dir = (samples_dir / d for d in ("clean", "scans", "text"))
    for d in (clean_dir, scans_dir, text_dir):
        d.mkdir(parents=True, exist_ok=True)
    for name in names:
        (clean_dir / f"{name}.txt").write_text(clean_text(read_source(name)), encoding="utf-8")
    entries = []
    for plan in COMMITTED:
        entries.append(build_scan(plan, scans_dir))
        print(f"wrote scans/{plan.file} ({entries[-1]['pages']} pages)")
    for file_name, origin, docs in TEXT_FILES:
        shutil.copyfile(origin, text_dir / file_name)
        entries.append({
            "file": f"text/{file_name}", "format": "text", "level": None, "seed": None,
            "pages": None, "dpi": None, "rotation": 0,
            "note": "real OCR output of two scanned documents in one file",
            "documents": [_document_entry(name, []) for name in docs],
        })
    manifest = {
        "about": "Sample scans; paths are relative to samples/. Rebuild: python samples/render.py",
        "sources": names,
        "scans": entries,
    }
    (scans_dir.parent / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def build_bulk(count: int, out_dir: Path, seed: int) -> list[Path]:
    """Write ``count`` varied single pages (levels 0-2) with ``.gt.txt`` transcripts."""
    rng = np.random.default_rng(seed)
    names = sorted(p.stem for p in SOURCES_DIR.glob("*.txt"))
    sources = {name: read_source(name) for name in names}
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for n in range(count):
        name = names[int(rng.integers(0, len(names)))]
        level, page_seed = int(rng.integers(0, 3)), int(rng.integers(0, 2**31))
        pages = render_pages(sources[name], level, page_seed)
        page = pages[int(rng.integers(0, len(pages)))]
        stem = out_dir / f"page-{n + 1:05d}-{name}-l{level}"
        path = stem.with_suffix(".png" if level == 0 else ".jpg")
        save_pages([page.image], path, DPI, 85)
        path.with_suffix(".gt.txt").write_text(page.text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bulk", type=int, metavar="N", help="write N varied pages instead")
    parser.add_argument("--out", type=Path, help="output folder for --bulk")
    parser.add_argument("--seed", type=int, default=0, help="seed for --bulk (default 0)")
    args = parser.parse_args(argv)
    if args.bulk is None:
        build_committed()
        return 0
    if args.bulk < 1 or args.out is None:
        parser.error("--bulk needs N >= 1 and --out DIR")
    written = build_bulk(args.bulk, args.out, args.seed)
    print(f"wrote {len(written)} pages to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
