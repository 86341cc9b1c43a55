"""List markers OCR read as a column of their own, re-attached to their items.

Tesseract often reads the narrow column of list markers of a distribution list as a block
apart: ``Copy forwarded to:`` / ``Vi.`` / ``VL.`` / ``viil.`` ... and only then the items.
A run of lines holding nothing but markers (blank or noise lines between them) is moved onto
the run of item paragraphs right after it, but only when the counts agree
(``data/listmarkers.json``):

- the markers run without gaps (``i ii iii``, ``2 3 4``) and exactly that many items follow:
  the n-th marker goes to the n-th item;
- or the last marker's value equals the number of items and enough of the markers were read
  (``vi vii viii xi xii xiii xiv`` over fourteen items): each marker goes to the item its
  value names and the missing ones (``i``-``v``, ``ix``, ``x``) are restored.

Items are paragraphs (blank-line separated) or, when that count disagrees, single lines. The
item run ends at the first paragraph that cannot be an item: a marker, a bracketed line (the
signatory's name), a line that does not open with a capital, or one without a known word.
Each marker deleted from the column and each marker inserted at an item is its own
correction; the edits of one column stand or fall together (``Edit.group``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from corrections.context import TextContext
from corrections.edits import Edit
from corrections.knowledge import load_data_file
from corrections.listmarkers import clean_marker, roman, uppercase_series
from corrections.noise import noise_lines
from corrections.protect import is_known_word

COLUMN_LINE_RE = re.compile(r"^[ \t]*(\(?)([ivxlIVXL1|!]{1,6}|\d{1,2}|[a-zA-Z])([.)])[ \t]*$")
INLINE_MARKER_RE = re.compile(r"^\(?(?:[ivxlIVXL1|!]{1,6}|\d{1,2}|[a-zA-Z])[.)]\s+\S")
WORD_RE = re.compile(r"[A-Za-z]{3,}")
ROMANISH = set("ivxlIVXL1|!")


@lru_cache(maxsize=1)
def _settings() -> dict[str, float]:
    return load_data_file("listmarkers")["column"]


@dataclass(frozen=True)
class Marker:
    line: int
    opening: str  # "(" or ""
    body: str  # as printed: "Vi", "xl1", "3", "b"
    closing: str  # "." or ")"


def series_values(markers: list[Marker]) -> tuple[str, list[int]] | None:
    """(kind, values) of one series of markers, values strictly increasing from 1 up; else None."""
    bodies = [m.body for m in markers]
    if all(b.isdigit() for b in bodies):
        kind, values = "arabic", [int(b) for b in bodies]
    elif all(set(b) <= ROMANISH for b in bodies) and any(set(b) & set("ivxIVX") for b in bodies):
        kind, resolved = "roman", roman_sequence(bodies)
        if resolved is None:
            return None
        values = resolved
    elif all(len(b) == 1 and b.isalpha() for b in bodies) and (all(b.islower() for b in bodies)
                                                               or all(b.isupper() for b in bodies)):
        kind, values = "alpha", [ord(b.lower()) - ord("a") + 1 for b in bodies]
    else:
        return None
    if values[0] < 1 or any(b <= a for a, b in zip(values, values[1:])):
        return None
    return kind, values


MAX_VALUE = 60


def roman_sequence(bodies: list[str]) -> list[int] | None:
    """Strictly increasing values for a column of roman markers, each within one edit of its
    cleaned form (``viil`` -> 8, ``xl1`` -> 11 or 12): the assignment with the fewest edits,
    then the fewest gaps; None when no such assignment exists."""
    cleaned = [clean_marker(b) for b in bodies]
    numerals = [roman(n) for n in range(MAX_VALUE + 1)]
    options = []
    for c in cleaned:  # one edit at most, and never all of a marker ("x" is no garbled "i")
        distances = {n: Levenshtein.distance(c, numerals[n]) for n in range(1, MAX_VALUE + 1)}
        options.append({n: d for n, d in distances.items() if d == 0 or d == 1 < len(c)})
    best: dict[int, tuple[tuple[int, int], list[int]]] = {n: ((cost, 0), [n]) for n, cost in options[0].items()}
    for choices in options[1:]:
        step: dict[int, tuple[tuple[int, int], list[int]]] = {}
        for n, cost in choices.items():
            before = [(score[0] + cost, score[1] + n - m - 1, path) for m, (score, path) in best.items() if m < n]
            if before:
                edits, gaps, path = min(before, key=lambda item: item[:2])
                step[n] = ((edits, gaps), path + [n])
        best = step
    if not best:
        return None
    return min(best.values(), key=lambda item: item[0])[1]


def _label(kind: str, value: int, markers: list[Marker]) -> str:
    bodies = [m.body for m in markers]
    if kind == "arabic":
        body = str(value)
    elif kind == "roman":
        body = roman(value).upper() if uppercase_series(bodies) else roman(value)
    else:
        body = chr(ord("a") + value - 1)
        body = body.upper() if all(b.isupper() for b in bodies) else body
    opening = "(" if sum(m.opening == "(" for m in markers) * 2 > len(markers) else ""
    closing = ")" if opening or sum(m.closing == ")" for m in markers) * 2 > len(markers) else "."
    return f"{opening}{body}{closing}"


def _item_like(line: str) -> bool:
    stripped = line.strip()
    if not stripped or COLUMN_LINE_RE.match(stripped) or INLINE_MARKER_RE.match(stripped):
        return False
    if not stripped[0].isupper():
        return False  # a bracket (the signatory's name), a quote, a digit or a continuation
    return any(is_known_word(word) for word in WORD_RE.findall(" ".join(stripped.split()[:4])))


def _columns(context: TextContext, noise: set[int]) -> list[list[Marker]]:
    """Runs of marker-only lines with only blank or noise lines between them."""
    columns: list[list[Marker]] = []
    current: list[Marker] = []
    for number, line in enumerate(context.lines):
        if not line.strip() or number in noise:
            continue
        match = COLUMN_LINE_RE.match(line)
        if match:
            current.append(Marker(number, match.group(1), match.group(2), match.group(3)))
            continue
        if len(current) >= _settings()["min_markers"]:
            columns.append(current)
        current = []
    if len(current) >= _settings()["min_markers"]:
        columns.append(current)
    return columns


def _item_run(context: TextContext, first_line: int, noise: set[int]) -> list[list[int]]:
    """The paragraphs (lists of line numbers) of item-like text after ``first_line``."""
    paragraphs: list[list[int]] = []
    current: list[int] = []
    for number in range(first_line, len(context.lines)):
        if not context.lines[number].strip() or number in noise:
            if current:
                paragraphs.append(current)
                current = []
            continue
        if not current and not _item_like(context.lines[number]):
            break
        current.append(number)
    if current:
        paragraphs.append(current)
    return paragraphs


def _counts_agree(values: list[int], items: int) -> bool:
    consecutive = all(b == a + 1 for a, b in zip(values, values[1:]))
    if consecutive and items == len(values):
        return True
    return values[-1] == items and len(values) >= _settings()["restore_min_share"] * items


def propose(context: TextContext) -> list[Edit]:
    noise = set(noise_lines(context))
    edits: list[Edit] = []
    for column in _columns(context, noise):
        found = series_values(column)
        if found is None:
            continue
        kind, values = found
        paragraphs = _item_run(context, column[-1].line + 1, noise)
        units = [p[0] for p in paragraphs]
        if not _counts_agree(values, len(units)):  # one item a line?
            units = [n for p in paragraphs for n in p]
            if not all(_item_like(context.lines[n]) for n in units) or not _counts_agree(values, len(units)):
                continue
        offset = values[0] - 1 if len(units) == len(values) else 0
        edits += _move(context, column, kind, values, units, offset, noise)
    return edits


def _move(context: TextContext, column: list[Marker], kind: str, values: list[int],
          units: list[int], offset: int, noise: set[int]) -> list[Edit]:
    group = f"list-column@{context.line_offsets[column[0].line]}"
    edits: list[Edit] = []
    previous_end = _end_of_text_before(context, column[0].line, noise)
    printed_at = {}
    for marker, value in zip(column, values):
        line_start = context.line_offsets[marker.line]
        line_end = line_start + len(context.lines[marker.line])
        item_number = value - offset
        printed_at[item_number] = (marker, value)
        first_item = context.lines[units[item_number - 1]].strip()
        edits.append(Edit(previous_end, line_end, "", "list-column", 0.9,
                          f"marker {marker.opening + marker.body + marker.closing!r} read as a column of "
                          f"its own; it belongs to item {item_number} ({first_item[:40]!r})", group))
        previous_end = line_end
    for index, line_number in enumerate(units, start=1):
        line = context.lines[line_number]
        at = context.line_offsets[line_number] + len(line) - len(line.lstrip())
        if index in printed_at:
            marker, value = printed_at[index]
            label = _label(kind, value, column)
            printed = marker.opening + marker.body + marker.closing
            edits.append(Edit(at, at, label + " ", "list-marker-moved", 0.9,
                              f"marker {printed!r} (read as {label!r}) from the marker column "
                              f"{len(column)} markers over {len(units)} items", group))
        else:
            label = _label(kind, index + offset, column)
            edits.append(Edit(at, at, label + " ", "list-marker-restored", 0.8,
                              f"marker {label!r} missing from the column; its neighbours "
                              f"number the {len(units)} items 1-{len(units)}", group))
    return edits


def _end_of_text_before(context: TextContext, line: int, noise: set[int]) -> int:
    """Offset just after the last character of the text that precedes the column (noise
    lines right above it go with the column)."""
    for number in range(line - 1, -1, -1):
        if context.lines[number].strip() and number not in noise:
            return context.line_offsets[number] + len(context.lines[number])
    return context.line_offsets[line]
