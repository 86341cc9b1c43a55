"""Quote marks and stray marks: typographic quotes to ASCII, doubled or mismatched quotes,
lone marks OCR leaves at a line end (``propriety. '``), a lone dot after a label colon."""

from __future__ import annotations

import re

from corrections.context import TextContext
from corrections.edits import Edit
from corrections.protect import is_known_word

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


CLOSING_SPECK_RE = re.compile(r"(?<=[A-Za-z])([’”])(?=[\s,.;:)]|$)")
OPENING_MARK_RE = re.compile(r"(?<!\S)[\"'‘“(]*[‘“'\"]")
PARAGRAPH_RE = re.compile(r"(?:[^\n]|\n(?!\s*\n))+")


def _unpaired_closers(raw: str) -> tuple[list[Edit], set[int]]:
    """A closing mark glued to a word's end with no opening mark before it in the paragraph:
    removed when the word is a known word not ending in ``s`` (``the’ proceedings``,
    ``Government’``), else left exactly as printed (``employees’`` may be a possessive,
    ``Shoaity’`` a name OCR damaged anyway). Returns the edits and the offsets of the marks
    the typographic normalisation must leave alone."""
    edits, unclear = [], set()
    for paragraph in PARAGRAPH_RE.finditer(raw):
        text, offset = paragraph.group(), paragraph.start()
        for match in CLOSING_SPECK_RE.finditer(text):
            if OPENING_MARK_RE.search(text, 0, match.start()):
                continue  # it may close that quotation
            word = re.search(r"[A-Za-z]+$", text[:match.start()]).group()
            position = offset + match.start(1)
            unclear.add(position)
            if word[-1:] not in "sS" and is_known_word(word) and len(word) > 1:
                edits.append(Edit(position, position + 1, "", "stray-quote", 0.85,
                                  f"closing mark after {word!r} with no opening mark in its paragraph"))
    return edits, unclear


def _glued_opener(raw: str, index: int) -> bool:
    """An opening mark between two letters (``their‘score``) is a speck of unclear meaning,
    not an apostrophe (printed ’): left as printed."""
    return raw[index] in OPENERS and 0 < index < len(raw) - 1 and raw[index - 1].isalpha() and raw[index + 1].isalpha()


def propose(context: TextContext) -> list[Edit]:
    raw = context.raw
    closer_edits, unclear = _unpaired_closers(raw)
    edits: list[Edit] = _unpaired_openers(raw) + closer_edits
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
        if char in ASCII_QUOTES and index not in unclear and not _glued_opener(raw, index):
            edits.append(Edit(index, index + 1, ASCII_QUOTES[char], "quote", 0.95, "typographic quote"))
    return edits
