"""Place of issue: the town printed with the document's own date ('Islamabad, the 25th ...')."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract import gazetteer
from pipeline.extract._text import Line, title_case


@dataclass(frozen=True)
class Place:
    name: str
    span: tuple[int, int]
    confidence: float


_BEFORE_DATE = re.compile(r"([A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)\s*[,.]?\s*(?:the|dated|dt\.?)?\s*$")


# The date line names the town between 'Dated' and 'the': 'Dated Lahore, the 24th Nov, 2022',
# 'Dated: Chandigarh the: 18th August', 'Dated, Chandigarh, the 16th', 'Dated Shimla – 171 002, the'.
_DATED_TOWN = re.compile(
    r"(?<![A-Za-z])(?:Dated|DATED)[\s,:.\-]*(?P<town>[A-Z][A-Za-z]+(?:[ -][A-Z][A-Za-z]+)?)"
    r"(?:\s*[-–]\s*\d{3}\s?\d{3})?\s*[,:]?\s*(?:the|The|THE)\b")
# Words that stand there without being a town: 'Dated Monday, the 5th', 'Dated this day, the'.
_NOT_TOWN = re.compile(
    r"(?i)^(?:the|this|on|at|dated?|day|of|from|with|as|since|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday|january|february|march|april|may|june|july|august|september|october|november|december)$")
HEADER_CHARS = 2500  # the date line of issue is printed in the header


def find_place(lines: list[Line], date_span: tuple[int, int] | None, text: str) -> Place | None:
    """The town between 'Dated' and 'the' in the header; else a known town on the date line or
    the lines above it; an unknown one only as 'X, the <date>'; else the letterhead's address."""
    names = gazetteer.place_names()
    dated = _dated_town(text)
    if dated:
        return dated
    if date_span is None:  # no date of issue read: the letterhead's town, if it prints one
        found = _letterhead_place(_letterhead(lines), names) or _postal_town(text, names)
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
                if key in names and not _in_name(segment, window[0].start()):
                    printed = _as_printed(segment[window[0].start():window[-1].end()], names[key])
                    return Place(printed, (line.start + window[0].start(), line.start + window[-1].end()), 0.9)
    before = text[lines[index].start:date_span[0]]
    m = _BEFORE_DATE.search(before)
    if m and not re.search(r"(?i)dated|no\b", m.group(1)) and re.search(r",\s*(the)?\s*$", before):
        start = lines[index].start + m.start(1)
        return Place(m.group(1), (start, start + len(m.group(1))), 0.6)
    # the letterhead above the date; when the number and date head the page, the one under them;
    # else an address's town where the page prints it (a flattened letterhead, a foot address)
    return _letterhead_place(lines[:index], names) or _letterhead_place(_letterhead(lines), names) \
        or _postal_town(text, names)


def _as_printed(printed: str, known: str) -> str:
    """The town as printed (convention 5: 'Delhi' stays 'Delhi', not the gazetteer's 'New
    Delhi'), in the gazetteer's spelling when only the letter case differs ('MULTAN')."""
    if printed.lower() == known.lower() or not printed.strip():
        return known
    return title_case(printed)


def _dated_town(text: str) -> Place | None:
    for m in _DATED_TOWN.finditer(text[:HEADER_CHARS]):
        town = m.group("town")
        if not any(_NOT_TOWN.match(word) for word in town.split()):
            return Place(town, m.span("town"), 0.85)
    return None


def _in_name(segment: str, start: int) -> bool:
    """'STATE OF JAMMU & KASHMIR', 'University of Peshawar': a town after 'of' names
    something; it is not the address of issue (convention 5)."""
    return bool(re.search(r"(?i)\bof\s+$", segment[:start]))


# The letterhead ends where the recipients or the subject begin: 'To: The Accountant General,
# Sindh, Karachi.' is the addressee's town, never the place of issue.
_LETTERHEAD_END = re.compile(r"(?i)^\s*(?:To\b\s*[,:]?|Sub(?:ject)?\b\s*[:.\-]|Dear\b|Sir\b)")


def _letterhead(lines: list[Line]) -> list[Line]:
    """The page's top lines down to the recipients, the subject or the body's first sentence
    (a town in the body, 'in the Provincial Assembly Chambers, Lahore.', is no address)."""
    top = lines[:LETTERHEAD_LINES + 4]
    end = next((k for k, line in enumerate(top) if _LETTERHEAD_END.match(line.text)
                or len(re.findall(r"\b[a-z]{2,}\b", line.text)) >= 6), len(top))
    return top[:end]


LETTERHEAD_LINES = 8

# What follows a town in a postal address: a postcode ('Edinburgh, EH6 6QQ', 'Cardiff CF10
# 3NQ', 'New Delhi-110001', 'Dhaka-1000') or the country ('Garki, Abuja, Nigeria').
COUNTRY_NAMES = ("Nigeria", "Kenya", "Uganda", "Ghana", "Tanzania", "Zambia", "Malawi", "Zimbabwe", "Botswana",
                 "Namibia", "South Africa", "Sierra Leone", "Eswatini", "Mauritius", "Fiji", "Jamaica", "Sri Lanka",
                 "Bangladesh", "Pakistan", "India", "Nepal", "Philippines", "Singapore", "Australia",
                 "United Kingdom", "Scotland", "Wales", "Trinidad and Tobago")
_POSTAL_AFTER = re.compile(
    r"[ \t]*(?:,[ \t]*|[ \t]*[-–][ \t]*)?(?:(?-i:[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2})\b|\d{3}[ \t]?\d{3}\b|\d{4}\b(?![./-]\d)"
    r"|(?:" + "|".join(COUNTRY_NAMES) + r")\b)", re.I)
# Where the recipients begin: 'To' opening a line, 'To:' / 'TO:' anywhere (a flattened page).
_RECIPIENTS_OPEN = re.compile(r"(?m)^[ \t]*(?:To|TO)\b|\b(?:To|TO)[ \t]*:")
POSTAL_CHARS = 2000  # a letterhead's or a first page's foot address


def _postal_town(text: str, names: dict[str, str]) -> Place | None:
    """The first known town printed as part of a postal address (``_POSTAL_AFTER`` follows it):
    'Victoria Quay, Edinburgh, EH6 6QQ', '1 Horse Guards Road London SW1A 2HQ'."""
    head = text[:POSTAL_CHARS]
    to = _RECIPIENTS_OPEN.search(head)
    head = head[:to.start()] if to else head  # an addressee's address is not the place of issue
    words = list(re.finditer(r"(?<![A-Za-z])[A-Z][A-Za-z]+", head))
    for k, first in enumerate(words):
        for last in words[k:k + 3]:  # a town of up to three words: 'Dar es Salaam' is looked up whole
            key = " ".join(head[first.start():last.end()].split()).lower()
            if key in names and _POSTAL_AFTER.match(head, last.end()) and not _in_name(head, first.start()):
                return Place(_as_printed(head[first.start():last.end()], names[key]), (first.start(), last.end()), 0.6)
    return None


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
        if key in names and not _in_name(line.text, len(line.text) - len(part) + part.lower().find(key.split()[0])):
            offset = line.start + len(line.text) - len(part) + part.lower().find(key.split()[0])
            found = Place(_as_printed(line.text[offset - line.start:offset - line.start + len(key)], names[key]),
                          (offset, offset + len(key)), 0.7)
    return found
