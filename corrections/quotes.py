"""Quote marks and stray marks: typographic quotes to ASCII, doubled or mismatched quotes,
lone marks OCR leaves at a line end (``propriety. '``), a lone dot after a label colon."""

from __future__ import annotations

import re

from corrections.context import TextContext
from corrections.edits import Edit

ASCII_QUOTES = {"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"'}
DOUBLED_OPEN_RE = re.compile(r"(?<!\S)(['‘’]{2})(?=[A-Za-z][^\s'‘’]*['’](?:[\s,.;:)]|$))")
MISMATCHED_RE = re.compile(r"(?<!\S)([\"“”])([A-Za-z][A-Za-z .-]{0,40}?)(['’])(?=[\s,.;:)]|$)")
STRAY_END_RE = re.compile(r"(?<=[.,;:])([ \t]+)(['‘’\-_~|])[ \t]*$", re.MULTILINE)
STRAY_DOT_RE = re.compile(r"(?<=:)([ \t]+\.)(?=[ \t]+\S)")


OPENERS = "‘“"
CLOSER_RE = re.compile(r"[’”'\"](?![A-Za-z])")


def _unpaired_openers(raw: str) -> list[Edit]:
    """An opening mark glued to a word with no closing mark before the next opening mark or
    the paragraph's end is a speck, not a quotation (degraded scans are full of them)."""
    edits = []
    for paragraph in re.finditer(r"(?:[^\n]|\n(?!\s*\n))+", raw):
        text, offset = paragraph.group(), paragraph.start()
        openers = [m.start() for m in re.finditer(r"(?<!\S)[‘“](?=[A-Za-z0-9(])", text)]
        for index, position in enumerate(openers):
            limit = openers[index + 1] if index + 1 < len(openers) else len(text)
            if not CLOSER_RE.search(text, position + 1, limit):
                edits.append(Edit(offset + position, offset + position + 1, "", "stray-quote", 0.85,
                                  "opening quote never closed before the next one or the paragraph end"))
    return edits


def propose(context: TextContext) -> list[Edit]:
    raw = context.raw
    edits: list[Edit] = _unpaired_openers(raw)
    for match in DOUBLED_OPEN_RE.finditer(raw):
        edits.append(Edit(match.start(1), match.end(1), "'", "quote", 0.9,
                          "two opening quote marks before a word closed by one"))
    for match in MISMATCHED_RE.finditer(raw):
        edits.append(Edit(match.start(1), match.end(1), "'", "quote", 0.85,
                          f"opening {match.group(1)!r} closed by a single quote"))
        if match.group(3) != "'":
            edits.append(Edit(match.start(3), match.end(3), "'", "quote", 0.95, "typographic quote"))
    for match in STRAY_END_RE.finditer(raw):
        edits.append(Edit(match.start(1), match.end(2), "", "stray-mark", 0.9,
                          f"lone {match.group(2)!r} at the end of a line after punctuation"))
    for match in STRAY_DOT_RE.finditer(raw):
        edits.append(Edit(match.start(1), match.end(1), "", "stray-mark", 0.9, "lone dot after a label colon"))
    for index, char in enumerate(raw):
        if char in ASCII_QUOTES:
            edits.append(Edit(index, index + 1, ASCII_QUOTES[char], "quote", 0.95, "typographic quote"))
    return edits
