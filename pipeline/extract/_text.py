"""Text helpers shared by the extractors: lines with offsets, normalisation, zones.

Every extractor works on the document's text and reports spans into it, so these helpers
never copy text without keeping its offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Line:
    """One line of the text: ``text`` is ``source[start:end]`` without the newline."""

    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def content_span(self) -> tuple[int, int]:
        """Span of the line without leading/trailing whitespace."""
        lead = len(self.text) - len(self.text.lstrip())
        trail = len(self.text.rstrip())
        return (self.start + lead, self.start + max(trail, lead))

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    """Lines of ``text`` with offsets; form feeds (page breaks) count as line breaks."""
    lines = []
    start = 0
    for m in re.finditer(r"[\n\f]", text):
        lines.append(Line(start, m.start(), text[start : m.start()]))
        start = m.end()
    lines.append(Line(start, len(text), text[start:]))
    return lines


def line_at(lines: list[Line], pos: int) -> Line:
    """The line of ``lines`` (from ``split_lines``) that holds offset ``pos``."""
    return lines[max(0, bisect_right([line.start for line in lines], pos) - 1)]


_TO_LABEL = re.compile(r"^\s*To\s*[,:]?\s*$")


def is_to_label(text: str) -> bool:
    """A line that is only the 'To' label of an addressee block ('To', 'To:')."""
    return bool(_TO_LABEL.match(text))


_UNDERLINE = re.compile(r"\s*[_\-=~]{3,}\s*")


def is_underline(text: str) -> bool:
    """A ruled line ('-----', '_____'): it separates header blocks and ends a subject."""
    return bool(_UNDERLINE.fullmatch(text))


_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s&]")


def squeeze(text: str) -> str:
    """Collapse runs of whitespace (line breaks included) into single spaces."""
    return _SPACE.sub(" ", text).strip()


def norm(text: str) -> str:
    """Case-, punctuation- and whitespace-insensitive form for comparisons."""
    text = text.lower().replace("&", " and ")
    return squeeze(_PUNCT.sub(" ", text))


def letters_upper(text: str) -> str:
    """Upper-case letters and single spaces only: the shape headings are compared in."""
    fixed = text.upper().translate(str.maketrans({"0": "O", "1": "I", "5": "S", "|": "I"}))
    return squeeze(re.sub(r"[^A-Z ]", " ", fixed))


CAPITALS = 0.8  # share of upper-case letters from which a text counts as printed in capitals


def upper_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(c.isupper() for c in letters) / len(letters)


_SMALL_WORDS = {"of", "the", "and", "for", "in", "on", "to", "at", "by", "&"}


def title_case(text: str) -> str:
    """'ESTABLISHMENT DIVISION' -> 'Establishment Division'; abbreviations kept as printed.

    Only all-capital text is re-cased: mixed-case text is already as the office printed it.
    """
    text = squeeze(text)
    if upper_ratio(text) < CAPITALS:
        return text
    words = []
    for i, word in enumerate(text.split(" ")):
        low = word.lower()
        if i and low in _SMALL_WORDS:
            words.append(low)
        elif re.fullmatch(r"\(?[A-Z&]{1,5}\)?[.,]?", word) and not re.search(r"[AEIOU]{1}[A-Z]{2,}", word) and len(word.strip("().,")) <= 4 and not _is_word(word):
            words.append(word)  # abbreviation such as (S&GAD), NAB, DoPT
        else:
            words.append(_cap(low))
    return " ".join(words)


def _cap(word: str) -> str:
    # capitalise after an opening bracket or inside a possessive: (registrar's) -> (Registrar's)
    return re.sub(r"(^|[(\-/])([a-z])", lambda m: m.group(1) + m.group(2).upper(), word)


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    return frozenset(
        "ALL THE AND OF FOR NEW OLD BOARD CELL WING HOUSE UNIT CITY LAND LAW LAWS ROAD POST "
        "CAMP HALL ART ARTS TOWN PARK FUND BANK LOAN TAX".split()
    )


def _is_word(word: str) -> bool:
    return word.strip("().,").upper() in _common_words()


def sentence_case(text: str) -> str:
    """'USE OF SOCIAL MEDIA' -> 'Use of social media' (only for all-capital text)."""
    text = squeeze(text)
    if upper_ratio(text) < CAPITALS:
        return text
    low = text.lower()
    return low[:1].upper() + low[1:]


TRAILING_JUNK = re.compile(r"[\s.,;:\-–—'\"‘’“”`_|~]+$")
LEADING_JUNK = re.compile(r"^[\s.,;:\-–—'\"‘’“”`_|~•*·]+")


_SPECK_TOKEN = re.compile(r"[^A-Za-z()]+|[a-z]{1,2}|[A-Za-z][^A-Za-z\s]+[A-Za-z]?")


def trim_trailing_specks(text: str) -> str:
    """'Federal Board of Revenue, 9' -> 'Federal Board of Revenue': tokens that cannot end a
    name (digits and symbols, one- or two-letter lower-case scraps) removed from the end."""
    words = text.split()
    while len(words) > 1 and _SPECK_TOKEN.fullmatch(words[-1]) and words[-1].lower() not in {"&"}:
        words.pop()
    return strip_junk(" ".join(words))


def strip_junk(text: str) -> str:
    """Trailing punctuation and stray OCR marks removed from both ends."""
    return LEADING_JUNK.sub("", TRAILING_JUNK.sub("", text))


def is_garbage_line(text: str) -> bool:
    """A line that carries no words: signatures, stamps and specks read as text."""
    words = re.findall(r"[A-Za-z]{3,}", text)
    return not words


def max_line_length(lines: list[Line]) -> int:
    lengths = sorted(len(line.stripped) for line in lines if not line.blank)
    if not lengths:
        return 0
    return lengths[int(len(lengths) * 0.9)] if len(lengths) > 4 else lengths[-1]
