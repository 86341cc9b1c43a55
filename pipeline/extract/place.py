"""Place of issue: the town printed with the document's own date ('Islamabad, the 25th ...')."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract import gazetteer
from pipeline.extract._text import Line


@dataclass(frozen=True)
class Place:
    name: str
    span: tuple[int, int]
    confidence: float


_BEFORE_DATE = re.compile(r"([A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)\s*[,.]?\s*(?:the|dated|dt\.?)?\s*$")


def find_place(lines: list[Line], date_span: tuple[int, int] | None, text: str) -> Place | None:
    """A known town on the date line or the line above it; an unknown one only as 'X, the <date>'."""
    names = gazetteer.place_names()
    if date_span is None:  # no date of issue read: the letterhead's town, if it prints one
        found = _letterhead_place(lines[:LETTERHEAD_LINES + 4], names)
        return Place(found.name, found.span, 0.6) if found else None
    index = next((i for i, l in enumerate(lines) if l.start <= date_span[0] <= l.end), None)
    if index is None:
        return None
    for line in (lines[index], *(lines[index - k] for k in (1, 2) if index - k >= 0)):
        limit = date_span[0] if line is lines[index] else line.end
        segment = text[line.start:limit]
        tokens = list(re.finditer(r"[A-Za-z]+", segment))
        for k, tok in enumerate(tokens):
            for length in (2, 1):
                window = tokens[k : k + length]
                if len(window) < length or (length == 2 and segment[window[0].end():window[1].start()] != " "):
                    continue
                key = " ".join(t.group() for t in window).lower()
                if key in names:
                    return Place(names[key], (line.start + window[0].start(), line.start + window[-1].end()), 0.9)
    before = text[lines[index].start:date_span[0]]
    m = _BEFORE_DATE.search(before)
    if m and not re.search(r"(?i)dated|no\b", m.group(1)) and re.search(r",\s*(the)?\s*$", before):
        start = lines[index].start + m.start(1)
        return Place(m.group(1), (start, start + len(m.group(1))), 0.6)
    return _letterhead_place(lines[:index], names)


LETTERHEAD_LINES = 8


def _letterhead_place(above: list[Line], names: dict[str, str]) -> Place | None:
    """A known town the letterhead prints as a line of its own or an address's last part.

    'BAHAUDDIN ZAKARIYA UNIVERSITY / MULTAN', 'Block "A", Civil Secretariat, Peshawar': the
    last such line above the date wins (the address comes under the office's name). A town
    inside a name ('Islamabad Model College') is not the place of issue.
    """
    found = None
    for line in [line for line in above if not line.blank][:LETTERHEAD_LINES]:
        part = line.text.rsplit(",", 1)[-1]
        key = " ".join(re.sub(r"[^A-Za-z ]", " ", part).split()).lower()
        if key in names:
            offset = line.start + len(line.text) - len(part) + part.lower().find(key.split()[0])
            found = Place(names[key], (offset, offset + len(key)), 0.7)
    return found
