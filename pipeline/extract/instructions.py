"""Numbered instructions: the items of the enumerated sub-lists in the body (i./ii., (a)/(b), (1)/(2)).

Markers are read as a sequence, so OCR damage to a marker is tolerated when the sequence
expects it ('i The same ...' with its dot lost, 'il.' for 'ii.'): an item starts only where
the next expected marker (or a look-alike) opens a line. Paragraph numbers ('5. It is,
however, ...') end a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract._text import Line, is_to_label, squeeze

_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv",
          "xv", "xvi", "xvii", "xviii", "xix", "xx"]
_MARKER = re.compile(r"^\s*[(\[]?(?P<m>[ivxlIVXL1|!]{1,6}|[a-z]|\d{1,2})[.)\]:]?(?:\s+|$)(?=\S)")
_PARA = re.compile(r"^\s*\d{1,2}\s?[.)]\s+[A-Z]|^\s*\d{1,2}\s+[A-Z][a-z]")


@dataclass(frozen=True)
class Instruction:
    number: str
    text: str
    span: tuple[int, int]
    confidence: float


def _looks_like(marker: str, expected: str) -> bool:
    """OCR-tolerant: 'l.'/'1.' for 'i.', and a stroke lost or doubled in 'il.' for 'iii.'."""
    m = marker.lower().translate(str.maketrans({"1": "i", "l": "i", "|": "i", "!": "i"}))
    if m == expected:
        return True
    return set(m) == set(expected) == {"i"} and abs(len(m) - len(expected)) == 1 and len(expected) >= 2


def find_instructions(lines: list[Line], text: str) -> list[Instruction]:
    """Items of every sub-list in ``lines`` (the body zone), in order."""
    out: list[Instruction] = []
    i = 0
    while i < len(lines):
        run = _list_at(lines, i, text) or _detached_at(lines, i, text)
        if run:
            out.extend(run[0])
            i = run[1]
        else:
            i += 1
    return out


def _sequences(marker: str, lead_in: bool) -> list[tuple[list[str], str]]:
    """The sequences a first marker may open: roman, letters, and arabic after a lead-in.

    Arabic numbers are paragraph numbers unless a lead-in line ('the following
    transfers and postings ...:-') announces a list, and the list starts at 1.
    """
    seqs = []
    if _looks_like(marker, "i"):
        seqs.append((_ROMAN, "roman"))
    if marker == "a":
        seqs.append(([chr(c) for c in range(ord("a"), ord("z") + 1)], "alpha"))
    if marker == "1" and lead_in:
        seqs.append(([str(n) for n in range(1, 60)], "arabic"))
    return seqs


_LEAD_IN = re.compile(r"(?::\s*[-–]?|\bnamely\s*[:,-]*|\bfollowing\b.*[:,-])\s*$", re.I)


def _lead_in_before(lines: list[Line], i: int) -> bool:
    for k in range(i - 1, max(-1, i - 4), -1):
        if not lines[k].blank:
            return bool(_LEAD_IN.search(lines[k].text))
    return False


def _list_at(lines: list[Line], i: int, text: str) -> tuple[list[Instruction], int] | None:
    m = _MARKER.match(lines[i].text)
    if not m:
        return None
    marker = m.group("m")
    paren = lines[i].text.lstrip().startswith("(")
    dotted = bool(re.match(r"\s*[(\[]?\S+[.)\]:]", lines[i].text))
    if marker in {"1", "l", "|"} and not (paren or dotted) or marker == "I" and not dotted:
        return None
    for seq, name in _sequences(marker, _lead_in_before(lines, i)):
        items: list[Instruction] = []
        k = 0
        j = i
        current: list[Line] = []
        body_start = 0
        while j < len(lines):
            line = lines[j]
            mm = _MARKER.match(line.text)
            expected = seq[k] if k < len(seq) else None
            matches = bool(mm) and expected is not None and (
                mm.group("m") == expected if name == "arabic" else _looks_like(mm.group("m"), expected))
            if matches:
                if current:
                    items.append(_item(seq[k - 1], current, body_start, text))
                current, body_start, k = [line], line.start + mm.end(), k + 1
            elif current and (line.blank or not _PARA.match(line.text) or name == "arabic") and not _ends_list(line) \
                    and not (name == "arabic" and _PARA.match(line.text)) \
                    and not _new_paragraph(lines[j - 1], line, current[-1]):
                if not line.blank:
                    current.append(line)
            else:
                break
            j += 1
        if current:
            items.append(_item(seq[k - 1], current, body_start, text))
        if len(items) >= 2:
            return items, j
    return None


_MARKER_ALONE = re.compile(r"^\s*[(\[]?(?P<m>[ivxlIVXL1|!jJ]{1,6}|[a-zA-Z]|\d{1,2})[.)\]:]?\s*$")


def _marker_like(text: str) -> bool:
    """A marker alone on its line, possibly garbled ('Gj)' for '(j)', 'Q)')."""
    return bool(_MARKER_ALONE.match(text) or re.fullmatch(r"\s*[(\[]?\w{1,2}[)\]]\s*", text))


def _detached_at(lines: list[Line], i: int, text: str) -> tuple[list[Instruction], int] | None:
    """Markers OCR'd as a column of their own ('(a)', '(b)', ... then the item paragraphs)."""
    m = _MARKER_ALONE.match(lines[i].text)
    if not m or not re.search(r"[(.)\]]", lines[i].text):
        return None
    markers: list[str] = []
    j = i
    for seq, _name in _sequences(m.group("m"), True):
        markers, j = [], i
        while j < len(lines) and (lines[j].blank or _marker_like(lines[j].text)):
            if _marker_like(lines[j].text):
                if len(markers) >= len(seq):
                    break
                markers.append(seq[len(markers)])  # the column's order: OCR may garble one ('Q)' for '(j)')
            j += 1
        if len(markers) >= 2:
            break
    if len(markers) < 2:
        return None
    items: list[Instruction] = []
    group: list[Line] = []
    while j < len(lines) and len(items) < len(markers):
        line = lines[j]
        if not line.blank and (_PARA.match(line.text) or _ends_list(line)):
            break
        if line.blank:
            if group:
                items.append(_item(markers[len(items)], group, group[0].content_span[0], text))
                group = []
        else:
            group.append(line)
        j += 1
    if group and len(items) < len(markers):
        items.append(_item(markers[len(items)], group, group[0].content_span[0], text))
    return (items, j) if len(items) >= 2 else None


def _new_paragraph(before: Line, line: Line, last: Line) -> bool:
    """After a blank line, an unnumbered sentence following an item that ended its sentence
    is the body going on ('(iii) ... permission.' / '' / 'Violation of these ...')."""
    return before.blank and line.stripped[:1].isupper() and last.stripped.endswith(".")


def _ends_list(line: Line) -> bool:
    return bool(re.match(r"\s*(?:Copy\b|c\.c\.|cc:|Subject\b|Distribution\b)", line.text, re.I)
                or is_to_label(line.text))


def _item(number: str, lines: list[Line], body_start: int, text: str) -> Instruction:
    end = lines[-1].end
    body = squeeze(text[body_start:end])
    body = re.sub(r"\s*['‘’`]\s*$", "", body)
    return Instruction(number, body, (body_start, end), 0.85)
