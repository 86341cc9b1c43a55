"""Dates: find every date expression, repair OCR damage, parse DMY, pick the document's own.

Written dates are found by pattern (so their spans are exact), digit look-alikes are
repaired only inside digit context (O->0, l/I/|->1, S->5), damaged ordinals ('18"',
'23™', 'thed§"') are read as ordinals, and dateparser (DATE_ORDER DMY) makes the final,
strict reading. A date whose day OCR destroyed is kept as *partial* (month and year):
never guessed, reported for review and completable from a document that cites it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}
_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_D = r"[0-9OolI|S]"  # a digit or one of its OCR look-alikes
_DAY = rf"(?P<day>(?:[0-3]?{_D}|{_D}[0-9]))"
_JUNK = r"[^\w\s,.]"  # what OCR makes of a superscript ordinal: " ™ § ° % ¢ ...
_ORD = rf"(?:\s?(?:st|nd|rd|th|{_JUNK}{{1,3}}[a-z]{{0,2}}|[a-z]{{0,2}}{_JUNK}{{1,3}})\.?)?"
_YEAR = r"(?P<year>(?:1[89]|2[0O])[0-9OolI|S]{2})"
_SEP = r"[\s,.]*"
# OCR runs 'the' into the day ('lhe22nt December'): the day may follow it directly.
_DAY_START = r"(?:(?<![\w])|(?<=\b[tl]he)|(?<=\bth[eo]))"

DAY_FIRST = re.compile(
    rf"{_DAY_START}{_DAY}(?:{_ORD}|(?<=[0-9])[a-z]{{2}})(?:\s+day)?(?:\s+of)?[\s.\-]*{_MONTH}{_SEP}{_YEAR}(?!\d)", re.I)
# A year cut to two digits after an apostrophe: 'the 7th March '91', 'June ’05'.
_SHORT_YEAR = r"[’'‘`]\s?(?P<year>\d{2})(?![\d’'])"
DAY_FIRST_SHORT_YEAR = re.compile(
    rf"{_DAY_START}{_DAY}(?:{_ORD}|(?<=[0-9])[a-z]{{2}})(?:\s+of)?[\s.\-]*{_MONTH},?\s*{_SHORT_YEAR}", re.I)
MONTH_FIRST = re.compile(rf"(?<![\w]){_MONTH}\s+{_DAY}{_ORD}{_SEP}{_YEAR}(?!\d)", re.I)
NUMERIC = re.compile(
    rf"(?<![\w/-])(?<!\d\.)(?P<day>{_D}{{1,2}})\s?(?P<sep>[./-])\s?(?P<month>{_D}{{1,2}})\s?"
    rf"(?:(?P=sep)\s?(?P<year>(?:1[89]|2[0O])[0-9OolI|S]{{2}}|[0-9]{{2}})"
    # a typist's mixed separators ('26-06.2023') only with a four-digit year
    rf"|[.-]\s?(?P<year4>(?:1[89]|2[0O])[0-9OolI|S]{{2}}))(?![\w/])"
)
ISO = re.compile(r"(?<![\w/.-])(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?![\w/])")
# the day is lost but the month and year survive: 'thed§" August, 2021'
PARTIAL = re.compile(rf"(?<![\w])(?:the\s?)?[^\s\d]{{0,4}}{_JUNK}+\s*{_MONTH}{_SEP}{_YEAR}(?!\d)", re.I)


@dataclass(frozen=True)
class FoundDate:
    span: tuple[int, int]
    value: date | None  # None when partial
    year: int
    month: int
    confidence: float
    repaired: bool = False

    @property
    def iso(self) -> str | None:
        return self.value.isoformat() if self.value else None


_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1", "S": "5"})


def repair_digits(token: str) -> str:
    """'2O21' -> '2021', 'l8' -> '18': only called on tokens already in digit context."""
    return token.translate(_DIGIT_FIX)


_MONTH_NAMES = tuple(name for name in MONTHS if len(name) >= 4)
_WORD_TOKEN = re.compile(r"(?<![A-Za-z])[A-Za-z][A-Za-z1|]{3,8}(?![A-Za-z])")


def _with_months_repaired(text: str) -> str:
    """``text`` with month names OCR damaged by one letter put right ('Julv' -> 'July',
    'Decemher' -> 'December'), same length, so spans found in it are spans of ``text``.
    Only a date's pattern (a day before it, a year after it) ever reads the repaired word."""
    def repair(m: re.Match[str]) -> str:
        word = m.group()
        low = word.lower()
        if low in MONTHS:
            return word
        for name in _MONTH_NAMES:
            if len(name) == len(low) and sum(a != b for a, b in zip(name, low)) == 1 and name[0] == low[0]:
                return name.capitalize() if word[0].isupper() else name
        return word
    return _WORD_TOKEN.sub(repair, text)


def find_dates(text: str) -> list[FoundDate]:
    """Every full or partial date in ``text``, in order, overlaps resolved (longest wins)."""
    return list(_find_dates(text))


@lru_cache(maxsize=16)
def _find_dates(text: str) -> tuple[FoundDate, ...]:
    """(The extractor and the splitter read the same text's dates more than once.)"""
    found: list[FoundDate] = []
    repaired_text = _with_months_repaired(text)
    for pattern in (DAY_FIRST, DAY_FIRST_SHORT_YEAR, MONTH_FIRST, NUMERIC, ISO):
        for m in pattern.finditer(repaired_text):
            parsed = _parse(m)
            if parsed:
                if repaired_text[m.start():m.end()] != text[m.start():m.end()]:
                    parsed = replace(parsed, confidence=min(parsed.confidence, 0.75), repaired=True)
                found.append(parsed)
    taken = [d.span for d in found]
    for m in PARTIAL.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        year = int(repair_digits(m.group("year")))
        found.append(FoundDate((m.start(), m.end()), None, year, MONTHS[m.group("month").lower().rstrip(".")], 0.3, True))
    found.sort(key=lambda d: (d.span[0], -(d.span[1] - d.span[0])))
    out: list[FoundDate] = []
    for d in found:
        if out and d.span[0] < out[-1].span[1]:
            continue
        out.append(d)
    return tuple(out)


def _parse(m: re.Match[str]) -> FoundDate | None:
    day_s = m.group("day")
    year_s = m.group("year") or m.groupdict().get("year4")
    day_r, year_r = repair_digits(day_s), repair_digits(year_s)
    repaired = day_r != day_s or year_r != year_s
    month_s = m.group("month")
    if month_s.isalpha() or month_s.endswith("."):
        month = MONTHS.get(month_s.lower().rstrip("."))
    else:
        month_r = repair_digits(month_s)
        repaired = repaired or month_r != month_s
        month = int(month_r) if month_r.isdigit() else None
    if not (day_r.isdigit() and year_r.isdigit() and month):
        return None
    year = int(year_r)
    if year < 100:
        year += 2000 if year < 50 else 1900
    value = _strict(int(day_r), month, year)
    if value is None:
        return None
    confidence = 0.95 if not repaired else 0.75
    if m.re is NUMERIC:
        confidence -= 0.1  # 03.04.2021 leans on the DMY convention
    return FoundDate((m.start(), m.end()), value, year, month, confidence, repaired)


def _strict(day: int, month: int, year: int) -> date | None:
    """dateparser's strict DMY reading of a repaired date (rejects 31 June and the like)."""
    if not (1800 <= year <= 2100):
        return None
    parsed = _dateparser_parse(f"{day:02d}/{month:02d}/{year}")
    return parsed


@lru_cache(maxsize=4096)
def _dateparser_parse(text: str) -> date | None:
    import dateparser

    result = dateparser.parse(
        text,
        languages=["en"],
        settings={"DATE_ORDER": "DMY", "STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]},
    )
    return result.date() if result else None
