"""Reading order: Tesseract's words into page text with exact spans.

Page text layout (what later stages rely on): words of a line joined by one space, lines by
``"\\n"``, paragraphs and Tesseract blocks by a blank line ``"\\n\\n"``. Side-by-side regions (a
signature block on the right, a distribution list on the left) come out as separate
paragraphs, never interleaved lines: Tesseract usually makes them separate blocks, and
``split_columns`` splits the blocks where it did not. ``order_blocks`` fixes blocks emitted
after the text below them. Every ``Word.span`` indexes the text: ``text[a:b] == word.text``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from pipeline import tesseract
from pipeline.models import Word

# ----------------------------------------------------------------------------- text


def words_to_text(tsv_words: Iterable[tesseract.TsvWord]) -> tuple[str, tuple[Word, ...]]:
    """Page text from Tesseract words in reading order, and the words with their spans.

    Blocks whose lines run across a wide empty gutter (two columns Tesseract read as one) are
    split into a left and a right column first; see ``split_columns``.
    """
    parts: list[str] = []
    words: list[Word] = []
    pos = 0
    prev: tuple[int, int, int] | None = None
    for w in order_blocks(split_columns(list(tsv_words))):
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


# ----------------------------------------------------------------------------- reading order


def order_blocks(words: list[tesseract.TsvWord]) -> list[tesseract.TsvWord]:
    """Move a block up when Tesseract emitted it after a block lying wholly below it.

    Tesseract sometimes emits a small centred heading ("OFFICE ORDER") or a right-aligned
    date after the body paragraphs beneath it. Each block is placed before the first earlier
    block that starts below its bottom edge; blocks that overlap vertically (side-by-side
    blocks, a stamp over the text) keep Tesseract's order. On the sample scans this halves the
    reading-order error (bench/preprocess_quality.py --samples).
    """
    blocks = _group(words, key=lambda w: w.block)
    if len(blocks) < 2:
        return words
    placed: list[tuple[tuple[int, int, int, int], list[tesseract.TsvWord]]] = []
    for block in blocks:
        box = _bbox(block)
        at = next((i for i, (other, _) in enumerate(placed) if _above(box, other)), len(placed))
        placed.insert(at, (box, block))
    return [w for _, block in placed for w in block]


def _above(box: tuple[int, int, int, int], other: tuple[int, int, int, int]) -> bool:
    """``box`` ends above where ``other`` starts."""
    return box[3] <= other[1]


def _bbox(words: list[tesseract.TsvWord]) -> tuple[int, int, int, int]:
    return (min(w.left for w in words), min(w.top for w in words),
            max(w.left + w.width for w in words), max(w.top + w.height for w in words))


# ----------------------------------------------------------------------------- columns

GUTTER_HEIGHTS = 5.0  # an empty vertical strip this many word heights wide separates columns
MIN_SHARED_LINES = 2  # lines with words on both sides needed to call it interleaving


def split_columns(words: list[tesseract.TsvWord]) -> list[tesseract.TsvWord]:
    """Undo Tesseract reading two side-by-side columns as one block of interleaved lines.

    A signature block on the right beside a distribution list on the left often lands in one
    block whose lines are "Distribution: (Muhammad Aslam)". When a block has exactly one
    empty vertical gutter wider than GUTTER_HEIGHTS word heights, and at least two lines have
    words on both sides of it, the block is emitted as its left column, then its right column;
    paragraphs inside each column are renumbered from vertical gaps. Several wide gutters
    mean a table, which is left row-wise.
    """
    out: list[tesseract.TsvWord] = []
    for block in _group(words, key=lambda w: w.block):
        gutter = _single_gutter(block)
        if gutter is None:
            out.extend(block)
            continue
        left = [w for w in block if w.left + w.width <= gutter]
        right = [w for w in block if w.left >= gutter]
        out.extend(_renumber(left, first_par=1))
        out.extend(_renumber(right, first_par=(out[-1].paragraph + 1) if out else 1))
    return out


def _group(words: list[tesseract.TsvWord], key) -> list[list[tesseract.TsvWord]]:
    groups: list[list[tesseract.TsvWord]] = []
    for w in words:
        if groups and key(groups[-1][-1]) == key(w):
            groups[-1].append(w)
        else:
            groups.append([w])
    return groups


def _single_gutter(block: list[tesseract.TsvWord]) -> int | None:
    """x of the one wide empty gutter splitting interleaved lines, or None."""
    lines = _group(block, key=lambda w: (w.paragraph, w.line))
    if len(lines) < MIN_SHARED_LINES:
        return None
    heights = sorted(w.height for w in block)
    min_gap = GUTTER_HEIGHTS * heights[len(heights) // 2]
    spans = sorted((w.left, w.left + w.width) for w in block)
    gaps: list[tuple[int, int]] = []
    reach = spans[0][1]
    for start, end in spans[1:]:
        if start - reach >= min_gap:
            gaps.append((reach, start))
        reach = max(reach, end)
    if len(gaps) != 1:
        return None
    lo, hi = gaps[0]
    shared = sum(1 for line in lines
                 if any(w.left + w.width <= lo for w in line) and any(w.left >= hi for w in line))
    return (lo + hi) // 2 if shared >= MIN_SHARED_LINES else None


def _renumber(column: list[tesseract.TsvWord], first_par: int) -> list[tesseract.TsvWord]:
    """Fresh paragraph/line numbers for one column: a new paragraph at a wide vertical gap."""
    lines = _group(column, key=lambda w: (w.paragraph, w.line))
    lines.sort(key=lambda line: min(w.top for w in line))
    heights = sorted(w.height for w in column)
    median_h = heights[len(heights) // 2] if heights else 1
    out: list[tesseract.TsvWord] = []
    par, prev_bottom = first_par, None
    for number, line in enumerate(lines, start=1):
        top = min(w.top for w in line)
        if prev_bottom is not None and top - prev_bottom > 1.5 * median_h:
            par += 1
        prev_bottom = max(w.top + w.height for w in line)
        out.extend(replace(w, paragraph=par, line=number) for w in line)
    return out


__all__ = ["order_blocks", "split_columns", "words_to_text"]
