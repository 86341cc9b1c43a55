"""Split a file's text into its documents: ``split_documents(text) -> [(start, end), ...]``.

A new document starts at a letterhead ('GOVERNMENT OF PAKISTAN', 'GOVERNMENT OF INDIA', a
university name in capitals), a reference-number block or a document-type heading, but
only when the current document already has a body and the candidate is followed, within a
few lines, by what opens a document (a reference line, a heading, a subject). A document
has one heading and one number: a page-2 header repeating the same number, a signature
block in capitals or a 'Copy forwarded to' list naming governments never splits it.
Headings are matched OCR-tolerantly (rapidfuzz), like the extractors do.
"""

from __future__ import annotations

import re

from pipeline.extract._text import Line, split_lines
from pipeline.extract.doctype import heading_of
from pipeline.extract.issuer import is_letterhead_line
from pipeline.extract.refnum import find_reference_numbers

MIN_BODY_CHARS = 150  # prose a document must hold before another may start
LOOKAHEAD = 8  # non-blank lines after a candidate in which a document opening must appear

_SUBJECT = re.compile(r"^\s*(?:Sub(?:ject)?|SUBJECT)\s*[:;.\-–]", re.I)
_COPY_LABEL = re.compile(r"^\s*(?:(?:A\s+)?copy\b|c\.\s?c\b|cc\s*:|distribution\s*:)", re.I)
_OWN_REF_LINE = re.compile(r"^\s*(?:(?:F\s*\.\s*)?N[Oo0]\s*[.:]|F\s*\.\s*No|File\s+No|Circular\s+No|Notification\s+No|O\.?\s?M\.?\s+No)", re.I)


def split_documents(text: str) -> list[tuple[int, int]]:
    """Spans covering ``text`` in order, one per document; a single document gives one span."""
    if not text:
        return [(0, 0)]
    lines = split_lines(text)
    starts = [0]
    body_chars = 0
    current_keys: dict[str, int] = {}  # key -> line where this document first printed it
    current_heading = False
    for i, line in enumerate(lines):
        kind = _candidate(line)
        if kind and body_chars >= MIN_BODY_CHARS and _opens_document(lines, i, kind, set(current_keys), current_heading):
            start = _number_above(lines, i, current_keys)
            starts.append(lines[start].start)
            current_keys = {k: v for k, v in current_keys.items() if v >= start}
            body_chars, current_heading = 0, False
        if heading_of(line):
            current_heading = True
        if _OWN_REF_LINE.match(line.text):
            for r in find_reference_numbers(line.text):
                current_keys.setdefault(r.key, i)
        if _is_body(line):
            body_chars += len(line.stripped)
    spans = [(s, e) for s, e in zip(starts, starts[1:] + [len(text)])]
    return spans


def _number_above(lines: list[Line], i: int, keys: dict[str, int]) -> int:
    """The new document starts at its number when that is printed above the letterhead."""
    above = [j for j in range(max(0, i - 4), i) if not lines[j].blank][-2:]
    for j in above:
        found = find_reference_numbers(lines[j].text) if _OWN_REF_LINE.match(lines[j].text) else []
        if found and all(keys.get(r.key) == j for r in found):
            return j
    return i


def _candidate(line: Line) -> str | None:
    if line.blank:
        return None
    if is_letterhead_line(line.text):
        return "letterhead"
    if heading_of(line):
        return "heading"
    if _OWN_REF_LINE.match(line.text) and find_reference_numbers(line.text):
        return "reference"
    return None


def _opens_document(lines: list[Line], i: int, kind: str, keys: set[str], has_heading: bool) -> bool:
    """What follows the candidate line opens a new document (not a page header or a copy list)."""
    window = []
    for k, line in enumerate(lines[i : i + 40]):
        if k and (is_letterhead_line(line.text) or _COPY_LABEL.match(line.text)):
            break  # the next document's letterhead or this one's copy list: look no further
        if not line.blank:
            window.append(line)
    window = window[: LOOKAHEAD + 1]
    refs = [r for line in window if _OWN_REF_LINE.match(line.text) for r in find_reference_numbers(line.text)]
    if refs and all(r.key in keys for r in refs):
        return False  # the same number again: a continuation page or the endorsement at the foot
    has_ref = bool(refs)
    heading = any(heading_of(line) for line in window)
    subject = any(_SUBJECT.match(line.text) for line in window)
    if kind == "letterhead":
        return has_ref or heading
    if kind == "heading":
        return has_heading and (has_ref or subject)
    return heading or (subject and has_heading)


def _is_body(line: Line) -> bool:
    text = line.stripped
    return len(text) >= 30 and len(re.findall(r"\b[a-z]{2,}\b", text)) >= 4
