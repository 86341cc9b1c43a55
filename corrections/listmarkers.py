"""List markers and section codes whose roman numerals OCR garbled.

Only in list position (line-initial, followed by ``.`` or ``)``): ``Vi.`` -> ``vi.``,
``viil.`` -> ``viii.``, ``xl1.`` -> ``xi.`` — the value is checked against the neighbouring
markers, so ``xl1.`` before ``xii.`` is ``xi.``. A lone ``i`` or ``2`` opening a line gets its
missing dot when the next marker of the same series (``ii.``, ``3.``) is printed.
Section codes: ``D-ll`` -> ``D-II`` (``l`` is never a digit); ``D-11`` -> ``D-II`` only in a
designation ("Section Officer D-11"), since ``G-11`` may be an Islamabad sector.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from rapidfuzz.distance import Levenshtein

from corrections.context import TextContext
from corrections.edits import Candidate, Edit
from corrections.knowledge import load_data_file

ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50}
MARKER_RE = re.compile(r"^([ \t]*)\(?([ivxlIVXL1|!]{1,6})([.)])(?=\s|$)", re.MULTILINE)
VALID_ROMAN_RE = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
BARE_MARKER_RE = re.compile(r"^([ \t]*)(i|\d{1,2})(?=[ \t]+[A-Z])", re.MULTILINE)
SECTION_RE = re.compile(r"(?<![A-Za-z])([A-Z]{1,4})-([Il1|]{1,3}|[Il1|]{0,3}[VX][Il1|]{0,3})(?![A-Za-z0-9])")
DIGIT_SECTION_RE = re.compile(r"(?<![A-Za-z])([A-Z]{1,4})-(1{1,3})(?![A-Za-z0-9/])")
DESIGNATION_BEFORE_RE = re.compile(r"(?:Officer|Section|Wing|Branch|Secretary|SO)\s*\(?$")


def roman(number: int) -> str:
    parts = []
    for value, letters in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while number >= value:
            parts.append(letters)
            number -= value
    return "".join(parts)


def roman_value(text: str) -> int | None:
    lowered = text.lower()
    if not lowered or not VALID_ROMAN_RE.match(lowered):
        return None
    for number in range(1, 40):
        if roman(number) == lowered:
            return number
    return None


@lru_cache(maxsize=1)
def _glyphs() -> dict[int, str]:
    return str.maketrans(load_data_file("listmarkers")["roman_glyphs"])


def clean_marker(raw: str) -> str:
    """A printed marker with OCR's stand-ins for roman letters (``data/listmarkers.json``) undone."""
    return raw.lower().translate(_glyphs())


def uppercase_series(printed: Sequence[str]) -> bool:
    """Whether a series is printed in capitals (I, II, III): most of its valid markers are."""
    valid_cases = [p for p in printed if roman_value(p) and (p.islower() or p.isupper())]
    return sum(p.isupper() for p in valid_cases) > len(valid_cases) / 2


def _kept_as_printed(text: str, upper: bool) -> bool:
    """A valid numeral in the series' case (or a lone V/X, whose case says nothing)."""
    is_valid = roman_value(text) is not None and (text.islower() or text.isupper())
    return is_valid and (text.isupper() == upper or len(text) == 1 and text in "vxVX")


def sequence_values(printed: Sequence[str]) -> list[int | None]:
    """The value of each roman marker of one series, garbled ones read from their neighbours.

    A marker printed validly in the series' case keeps its value; a garbled one (``viil``,
    ``xl1``, ``VL``) takes the value one after the previous marker or one before the next,
    whichever is within one edit of its cleaned form; None when neither is.
    """
    upper = uppercase_series(printed)
    values = [roman_value(clean_marker(p)) if any(c in "ivxIVX" for c in p) else None for p in printed]
    result: list[int | None] = []
    previous: int | None = None
    for position, text in enumerate(printed):
        if not any(c in "ivxIVX" for c in text):
            result.append(None)
            continue
        if _kept_as_printed(text, upper):
            previous = roman_value(text)
            result.append(previous)
            continue
        following = next((v for v in values[position + 1:] if v), None)
        guesses = [n for n in (previous + 1 if previous else None, following - 1 if following else None) if n]
        value = values[position]
        if value is None or (guesses and value not in guesses):
            near = [n for n in guesses if n > 0 and Levenshtein.distance(clean_marker(text), roman(n)) <= 1]
            value = near[0] if near else None
        result.append(value)
        if value is not None:
            previous = value
    return result


def propose(context: TextContext) -> tuple[list[Edit], list[Candidate]]:
    edits, uncertain = _roman_markers(context)
    return edits + _bare_markers(context) + _letter_gaps(context) + _section_codes(context), uncertain


LETTER_MARKER_RE = re.compile(r"^[ \t]*(\(?)([A-Za-z0-9|!])(\))(?=[ \t])", re.MULTILINE)


def _letter_gaps(context: TextContext) -> list[Edit]:
    """``(h)`` ``(4)`` ``(j)``: the one marker between two letters a letter apart is the letter
    between them, whatever OCR made of it (``(i)`` read as ``(4)``, ``(j)`` as ``Q)``)."""
    markers = list(LETTER_MARKER_RE.finditer(context.raw))
    edits = []
    for before, middle, after in zip(markers, markers[1:], markers[2:]):
        first, printed, last = before.group(2), middle.group(2), after.group(2)
        if not (first.isalpha() and last.isalpha() and first.islower() == last.islower()):
            continue
        if ord(last) - ord(first) != 2 or before.group(1) != after.group(1):
            continue
        letter = chr(ord(first) + 1)
        if printed != letter:
            edits.append(Edit(middle.start(2), middle.end(2), letter, "list-marker", 0.9,
                              f"the marker between ({first}) and ({last}) is ({letter})"))
    return edits


def _roman_markers(context: TextContext) -> tuple[list[Edit], list[Candidate]]:
    markers = list(MARKER_RE.finditer(context.raw))
    printed = [m.group(2) for m in markers]
    upper = uppercase_series(printed)
    edits, uncertain = [], []
    for match, text, value in zip(markers, printed, sequence_values(printed)):
        if not any(c in "ivxIVX" for c in text):
            continue  # "1." and "l." are numeric markers, not garbled roman ones
        if value is None:
            uncertain.append(Candidate(text, "", match.span(2), "list-marker", 0.3,
                                       "garbled list marker, value unclear from its neighbours"))
            continue
        replacement = roman(value).upper() if upper else roman(value)
        if replacement != text and not _kept_as_printed(text, upper):
            edits.append(Edit(match.start(2), match.end(2), replacement, "list-marker", 0.95,
                              f"roman list marker {replacement!r} between its neighbours"))
    return edits, uncertain


def _bare_markers(context: TextContext) -> list[Edit]:
    edits = []
    raw = context.raw
    for match in BARE_MARKER_RE.finditer(raw):
        marker = match.group(2)
        if marker == "i":
            expected_next = "ii."
        else:
            expected_next = f"{int(marker) + 1}."
        pattern = re.compile(rf"^[ \t]*\(?{re.escape(expected_next)}", re.MULTILINE)
        if pattern.search(raw, match.end()):
            edits.append(Edit(match.end(2), match.end(2), ".", "list-marker", 0.9,
                              f"marker {marker!r} opens a line; {expected_next!r} follows"))
    return edits


def _section_codes(context: TextContext) -> list[Edit]:
    edits = []
    raw = context.raw
    for match in SECTION_RE.finditer(raw):
        code = match.group(2)
        if not any(c in "l|" for c in code):
            continue
        fixed = code.translate(str.maketrans({"l": "I", "1": "I", "|": "I"}))
        if roman_value(fixed):
            edits.append(Edit(match.start(2), match.end(2), fixed, "section-code", 0.95,
                              f"section code {match.group(1)}-{fixed}: 'l' is never a digit"))
    for match in DIGIT_SECTION_RE.finditer(raw):
        if re.match(r"\)?[\w/]", raw[match.end():match.end() + 2]):
            continue  # "SO (A-1)3-4/2015": part of a file number, printed as it is
        before = raw[max(0, match.start() - 30):match.start()]
        if DESIGNATION_BEFORE_RE.search(before.rstrip()):
            fixed = "I" * len(match.group(2))
            edits.append(Edit(match.start(2), match.end(2), fixed, "section-code", 0.85,
                              f"section code after a designation: {match.group(1)}-{fixed}"))
    return edits
