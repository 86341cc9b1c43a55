"""Ordinal suffixes lost to superscript OCR: ``18"`` -> ``18th``, ``23™`` -> ``23rd``.

A superscript suffix is read as a quote mark, a trademark sign or garbage letters. The
printed suffix is irrelevant: the suffix follows the number (1st, 2nd, 3rd, 4th, 11th-13th).
A quote mark is taken for a suffix only where a date is plainly meant (a month or "of"/"day"
follows, or "dated"/"the"/"on" precedes), so a quoted number stays quoted.
"""

from __future__ import annotations

import re

from corrections.context import TextContext
from corrections.edits import Edit

MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
DATE_AFTER = re.compile(rf"\s*(?:(?:{MONTHS})\b\.?|of\b|day\b)", re.IGNORECASE)
DATE_BEFORE = re.compile(r"(?:dated|the|on|from|till|until|upto|by)\s*$", re.IGNORECASE)
SUPERSCRIPT_RE = re.compile(r"(?<![\w/.-])(\d{1,2})(™|®|[\"”“]|['’]{1,2}|\s?(?:st|nd|rd|th|ST|ND|RD|TH)\b|[a-z]{2}\b)")
VALID = {"st", "nd", "rd", "th"}


def suffix(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def propose(context: TextContext) -> list[Edit]:
    edits = []
    for match in SUPERSCRIPT_RE.finditer(context.raw):
        digits, mark = match.group(1), match.group(2)
        number = int(digits)
        if not 1 <= number <= 31:
            continue
        after = context.raw[match.end():match.end() + 16]
        before = context.raw[max(0, match.start() - 12):match.start()]
        dated = bool(DATE_AFTER.match(after)) or bool(DATE_BEFORE.search(before))
        stripped = mark.strip().lower()
        if stripped in VALID:
            if mark[0] != " ":
                continue  # "23rd", or "23th": a valid suffix may be the author's own
            if not DATE_AFTER.match(after):
                continue
        elif mark.isalpha():  # garbled letters ("23ed"): one letter off the right suffix
            if not DATE_AFTER.match(after) or sum(a != b for a, b in zip(stripped, suffix(number))) != 1:
                continue
        elif mark not in "™®" and not dated:
            continue
        replacement = digits + suffix(number)
        evidence = f"superscript {mark.strip()!r} after day {number}" + (" before a month" if dated else "")
        edits.append(Edit(match.start(), match.end(), replacement, "ordinal", 0.97, evidence))
    return edits
