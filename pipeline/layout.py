"""Reading order: Tesseract's words into page text with exact spans.

Page text layout (what later stages rely on): words of a line joined by one space, lines by
``"\\n"``, paragraphs and Tesseract blocks by a blank line ``"\\n\\n"``. Side-by-side regions (a
signature block on the right, a distribution list on the left) come out as separate
paragraphs, never interleaved lines: Tesseract usually makes them separate blocks, and
``split_columns`` splits the blocks (or the run of lines inside a block) where it did not.
``attach_markers`` puts a list marker ("2.", "(iv)") that Tesseract read as a block of its own
back at the start of the line it sits beside. ``order_blocks`` fixes blocks emitted after the
text below them. Every ``Word.span`` indexes the text: ``text[a:b] == word.text``.

Everything here is geometry on the word boxes of the one Tesseract run: no second OCR pass.
Boxes may be in any coordinate frame (a margin crop shifted back, a whole page); only
distances between words and their heights are used, never the page size.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from pipeline import tesseract
from pipeline.models import Word

TsvWord = tesseract.TsvWord
Line = list[TsvWord]

# ----------------------------------------------------------------------------- text


def words_to_text(tsv_words: Iterable[TsvWord]) -> tuple[str, tuple[Word, ...]]:
    """Page text from Tesseract words in reading order, and the words with their spans.

    First lone list markers are attached to their lines (``attach_markers``), then blocks
    whose lines run across an empty gutter are split into columns (``split_columns``), then
    blocks are put in top-to-bottom order (``order_blocks``).
    """
    parts: list[str] = []
    words: list[Word] = []
    pos = 0
    prev: tuple[int, int, int] | None = None
    for w in order_blocks(split_columns(attach_markers(list(tsv_words)))):
        key = (w.block, w.paragraph, w.line)
        if prev is not None:
            if key[:2] != prev[:2]:
                sep = "\n\n"
            elif key != prev:
                sep = "\n"
            else:
                sep = " "
            parts.append(sep)
            pos += len(sep)
        prev = key
        parts.append(w.text)
        words.append(Word(text=w.text, box=(w.left, w.top, w.width, w.height),
                          confidence=w.confidence, block=w.block, paragraph=w.paragraph,
                          line=w.line, word=w.word, span=(pos, pos + len(w.text))))
        pos += len(w.text)
    return "".join(parts), tuple(words)


# ----------------------------------------------------------------------------- list markers

# "1." "12)" "(3)" "4," (a comma is how OCR often reads the dot), "(a)" "b." "iv." "(xii)"
# "2.1" "3.2.1." and bullets; roman ones as OCR garbles them too ("Vi." "VL." "viil.": any
# run of i, v, x, l). A bare letter or numeral without a dot or bracket is not a marker: that
# is more often a stray speck read as "a" or "1".
_ROMAN = r"[ivxl]{1,6}"
MARKER_RE = re.compile(
    r"^(?:"
    rf"\(?(?:\d{{1,3}}|[A-Za-z]|(?i:{_ROMAN}))[.)]"   # 1. 1) (1) a. a) (a) iv. (iv) IV)
    r"|\d{1,3}[,;]"                                  # 4, 4; (OCR of "4.")
    rf"|\((?:\d{{1,3}}|[A-Za-z]|(?i:{_ROMAN}))\)"    # (1) (a) (iv)
    r"|\d{1,2}(?:\.\d{1,2}){1,2}\.?"                 # 2.1 3.2.1.
    r"|[•●▪■□○◦➢►▸*·\-–—]"                          # bullets
    r")$"
)
MARKER_GAP_HEIGHTS = 4.0  # a marker this many word heights left of its line, at most


def is_marker(text: str) -> bool:
    """A list marker as printed (or as OCR reads it): "2.", "(iv)", "b)", "•"."""
    return bool(MARKER_RE.match(text))


def attach_markers(words: list[TsvWord]) -> list[TsvWord]:
    """Put each lone list marker back at the start of the line it sits beside.

    Tesseract's column finder often reads the narrow column of list markers ("1." "2." ...
    or "vi." "vii." ...) as a block of its own, so the text reads "1.\\n2.\\n3.\\n\\nThe
    Secretary ...\\nThe Chairman ...". A line holding nothing but one marker is moved onto the
    line to its right whose first word's box holds the marker's vertical middle, when the
    empty gap between them is at most MARKER_GAP_HEIGHTS word heights and no other word lies
    in that gap. The marker becomes that line's first word (its block, paragraph and line
    ids); a marker with no such line stays where it is. A serial-number column of a table
    (its entries far from the next column) is not moved.
    """
    if len(words) < 2:
        return words
    lines = _group(words, key=_line_key)
    max_gap = MARKER_GAP_HEIGHTS * _median([w.height for w in words])
    onto: dict[int, list[int]] = {}  # target line index -> indexes of its marker lines
    for m, line in enumerate(lines):
        if len(line) == 1 and is_marker(line[0].text):
            target = _marker_target(lines, m, max_gap)
            if target is not None:
                onto.setdefault(target, []).append(m)
    if not onto:
        return words
    moved = {m for markers in onto.values() for m in markers}
    out: list[TsvWord] = []
    for i, line in enumerate(lines):
        if i in moved:
            continue
        if i in onto:
            markers = sorted((lines[m][0] for m in onto[i]), key=lambda w: w.left)
            head = line[0]
            line = [replace(w, block=head.block, paragraph=head.paragraph, line=head.line,
                            word=k) for k, w in enumerate(markers, start=1)] + [
                replace(w, word=w.word + len(markers)) for w in line]
        out.extend(line)
    return out


def _marker_target(lines: list[Line], m: int, max_gap: float) -> int | None:
    """Index of the line the lone marker ``lines[m]`` belongs to, or None."""
    marker = lines[m][0]
    middle = marker.top + marker.height / 2
    right = marker.left + marker.width
    best: tuple[float, int] | None = None
    for i, line in enumerate(lines):
        if i == m or (len(line) == 1 and is_marker(line[0].text)):
            continue  # a marker beside a marker ("1." "(a)"): neither is a line
        first = min(line, key=lambda w: w.left)
        gap = first.left - right
        if not (-0.5 * marker.width <= gap <= max_gap):
            continue
        if first.top <= middle <= first.top + first.height and (best is None or gap < best[0]):
            best = (gap, i)
    if best is None:
        return None
    gap, target = best
    first = min(lines[target], key=lambda w: w.left)
    lo, hi = right, first.left
    for i, line in enumerate(lines):
        if i in (m, target):
            continue
        for w in line:  # another word in the gap, on the marker's band: not adjacent
            if (w.left < hi and w.left + w.width > lo and w.top < marker.top + marker.height
                    and w.top + w.height > marker.top):
                return None
    return target


# ----------------------------------------------------------------------------- reading order


def order_blocks(words: list[TsvWord]) -> list[TsvWord]:
    """Move a block up when Tesseract emitted it after a block lying wholly below it.

    Tesseract sometimes emits a small centred heading ("OFFICE ORDER") or a right-aligned
    date after the body paragraphs beneath it. Each block is placed before the first earlier
    block that starts below its bottom edge; blocks that overlap vertically (side-by-side
    blocks, a stamp over the text) keep Tesseract's order.
    """
    blocks = _group(words, key=lambda w: w.block)
    if len(blocks) < 2:
        return words
    placed: list[tuple[tuple[int, int, int, int], list[TsvWord]]] = []
    for block in blocks:
        box = _bbox(block)
        at = next((i for i, (other, _) in enumerate(placed) if _above(box, other)), len(placed))
        placed.insert(at, (box, block))
    return [w for _, block in placed for w in block]


def _above(box: tuple[int, int, int, int], other: tuple[int, int, int, int]) -> bool:
    """``box`` ends above where ``other`` starts."""
    return box[3] <= other[1]


def _bbox(words: list[TsvWord]) -> tuple[int, int, int, int]:
    return (min(w.left for w in words), min(w.top for w in words),
            max(w.left + w.width for w in words), max(w.top + w.height for w in words))


# ----------------------------------------------------------------------------- columns

GUTTER_HEIGHTS = 5.0  # an empty vertical strip this many word heights wide separates columns
NARROW_GUTTER_HEIGHTS = 3.0  # ... or this wide when at least MANY_SHARED_LINES lines cross it
MIN_SHARED_LINES = 2  # lines with words on both sides needed to call it interleaving
MANY_SHARED_LINES = 3
LINE_GAP_HEIGHTS = 1.5  # a vertical gap wider than this many word heights ends a paragraph


def split_columns(words: list[TsvWord]) -> list[TsvWord]:
    """Undo Tesseract reading two side-by-side columns as one block of interleaved lines.

    A signature block on the right beside a distribution list on the left often lands in one
    block whose lines are "Distribution: (Muhammad Aslam)". Inside each block, a run of
    consecutive lines (no paragraph gap between them) that all leave one vertical strip
    empty, with words on both sides of it in at least MIN_SHARED_LINES of them, is emitted as
    its left column, then its right column, as separate paragraphs (renumbered from vertical
    gaps). The strip must be GUTTER_HEIGHTS word heights wide, or NARROW_GUTTER_HEIGHTS when
    MANY_SHARED_LINES lines have words on both sides. Lines above and below the run (a body
    paragraph in the same block) keep their places. Left as rows: two or more such strips (a
    table), a column of list markers on the left (a numbered list or table), and
    "label: value" rows (a form).
    """
    out: list[TsvWord] = []
    for block in _group(words, key=lambda w: w.block):
        out.extend(_split_block(block))
    return out


def _split_block(block: list[TsvWord]) -> list[TsvWord]:
    lines = _group(block, key=_line_key)
    if len(lines) < MIN_SHARED_LINES:
        return block
    height = _median([w.height for w in block])
    units: list[tuple[object, Line]] = []  # (paragraph unit, line) in emission order
    i, runs = 0, 0
    while i < len(lines):
        run = _column_run(lines, i, height)
        if run is None:
            units.append((("tesseract", lines[i][0].paragraph), lines[i]))
            i += 1
            continue
        end, (lo, hi) = run
        gutter = (lo + hi) / 2
        chunk = [w for line in lines[i:end] for w in line]
        for side, column in enumerate(([w for w in chunk if w.left + w.width <= gutter],
                                       [w for w in chunk if w.left >= gutter])):
            for par, line in _column_paragraphs(column, height):
                units.append((("column", runs, side, par), line))
        runs += 1
        i = end
    if not runs:
        return block
    out: list[TsvWord] = []
    par = line_no = 0
    prev: object = None
    for unit, line in units:
        if unit != prev:
            par, line_no, prev = par + 1, 0, unit
        line_no += 1
        out.extend(replace(w, paragraph=par, line=line_no) for w in line)
    return out


Strip = tuple[float, float]
_INF = float("inf")


def _column_run(lines: list[Line], start: int, height: float) -> tuple[int, Strip] | None:
    """(end, gutter) of the longest run ``lines[start:end]`` sharing one gutter, or None."""
    min_gap = NARROW_GUTTER_HEIGHTS * height
    free = _free_strips(lines[start], min_gap)
    best: tuple[int, Strip] | None = None
    end = start + 1
    while True:
        gutter = _one_gutter(lines[start:end], free, height)
        if gutter is not None:
            best = (end, gutter)
        if end == len(lines) or _vertical_gap(lines[end - 1], lines[end]) > LINE_GAP_HEIGHTS * height:
            break
        free = _intersect(free, _free_strips(lines[end], min_gap), min_gap)
        if not any(lo > -_INF and hi < _INF for lo, hi in free):
            break  # a line crossed every gap (or neither line had one): no gutter from here
        end += 1
    return best


def _one_gutter(run: list[Line], free: list[Strip], height: float) -> Strip | None:
    """The single gutter of a run of lines, or None (no gutter, a table, a list, a form)."""
    strips = [(lo, hi) for lo, hi in free if lo > -_INF and hi < _INF
              and sum(1 for line in run if _two_sided(line, (lo, hi))) >= MIN_SHARED_LINES]
    if len(strips) != 1:
        return None  # none, or several columns of gaps: a table, read row by row
    gutter = strips[0]
    both = [line for line in run if _two_sided(line, gutter)]
    wide = gutter[1] - gutter[0] >= GUTTER_HEIGHTS * height
    if not wide and len(both) < MANY_SHARED_LINES:
        return None
    lefts = [[w for w in line if w.left + w.width <= gutter[0]] for line in both]
    if all(len(left) == 1 and is_marker(left[0].text) for left in lefts):
        return None  # serial numbers beside their entries: a numbered list or table
    if all(left[-1].text.endswith((":", ":-")) for left in lefts):
        return None  # "Name: ... / Designation: ...": a form, read row by row
    return gutter


def _free_strips(line: Line, min_gap: float) -> list[Strip]:
    """Empty x-intervals of a line at least ``min_gap`` wide, the two beyond its ends included."""
    spans = sorted((w.left, w.left + w.width) for w in line)
    strips: list[Strip] = [(-_INF, spans[0][0])]
    reach = spans[0][1]
    for start, end in spans[1:]:
        if start - reach >= min_gap:
            strips.append((reach, start))
        reach = max(reach, end)
    strips.append((reach, _INF))
    return strips


def _intersect(a: list[Strip], b: list[Strip], min_gap: float) -> list[Strip]:
    out = []
    for lo1, hi1 in a:
        for lo2, hi2 in b:
            lo, hi = max(lo1, lo2), min(hi1, hi2)
            if hi - lo >= min_gap:
                out.append((lo, hi))
    return out


def _two_sided(line: Line, strip: Strip) -> bool:
    lo, hi = strip
    return any(w.left + w.width <= lo for w in line) and any(w.left >= hi for w in line)


def _vertical_gap(upper: Line, lower: Line) -> float:
    return min(w.top for w in lower) - max(w.top + w.height for w in upper)


def _column_paragraphs(column: list[TsvWord], height: float) -> list[tuple[int, Line]]:
    """A column's lines top to bottom, each with its paragraph number (new at a wide gap)."""
    lines = _group(column, key=_line_key)
    lines.sort(key=lambda line: min(w.top for w in line))
    out: list[tuple[int, Line]] = []
    par, prev_bottom = 0, None
    for line in lines:
        top = min(w.top for w in line)
        if prev_bottom is not None and top - prev_bottom > LINE_GAP_HEIGHTS * height:
            par += 1
        prev_bottom = max(w.top + w.height for w in line)
        out.append((par, line))
    return out


# ----------------------------------------------------------------------------- helpers


def _line_key(w: TsvWord) -> tuple[int, int, int]:
    return (w.block, w.paragraph, w.line)


def _group(words: list[TsvWord], key) -> list[list[TsvWord]]:
    groups: list[list[TsvWord]] = []
    for w in words:
        if groups and key(groups[-1][-1]) == key(w):
            groups[-1].append(w)
        else:
            groups.append([w])
    return groups


def _median(values: list[float]) -> float:
    values = sorted(values)
    return float(values[len(values) // 2]) if values else 1.0


__all__ = ["attach_markers", "is_marker", "order_blocks", "split_columns", "words_to_text"]
