"""Subject line: 'Subject:' / 'Sub:' / 'SUBJECT:-' (OCR-tolerant label), joined across lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract._text import Line, is_underline, sentence_case, squeeze, strip_junk, upper_ratio

LABEL = re.compile(r"^\s*(?:(?:S\s?u\s?[bh](?:[ji1l]\s?[eco]\s?[ceo]\s?[ti1l])?|SUBJECT|Re)\s*[:;.\-–—]+|(?-i:SUBJECT|SUB)(?=\s+[A-Z0-9]))\s*", re.I)
_STOP = re.compile(
    r"^\s*(?:\d{1,2}[.)]\s|[ivx]+[.)]\s|Kindly|Dear|Sir|Madam|I am|The undersigned|Reference|Ref\b|Please|"
    r"In exercise|With reference|It has been|This is|Respected|Date\s*:|From\s*:|FROM\b|Thru\b|Encl|Enclosure)",
    re.I,
)


@dataclass(frozen=True)
class Subject:
    text: str
    span: tuple[int, int]
    confidence: float


def find_subject(lines: list[Line], limit: int) -> Subject | None:
    """The first labelled subject among the first ``limit`` lines; null when unlabelled."""
    for i, line in enumerate(lines[:limit]):
        m = LABEL.match(line.text)
        if not m or (m.group().strip().lower().startswith("re") and not re.match(r"(?i)\s*Re\s*:", line.text)):
            continue
        start = line.start + m.end()
        end = line.end
        parts = [line.text[m.end():]]
        following = lines[i + 1 : i + 5]
        if not parts[0].strip():  # 'Subject:' alone on its line, the words under it after a blank
            skip = next((k for k, nxt in enumerate(following) if not nxt.blank), None)
            if skip is None or _STOP.match(following[skip].text):
                continue
            start, parts, following = following[skip].start, [], lines[i + 1 + skip : i + 6 + skip]
        for k, nxt in enumerate(following):
            ahead = next((x for x in following[k + 1:k + 3] if not x.blank), None)
            if nxt.blank and parts and upper_ratio(" ".join(parts)) > 0.8 and ahead is not None \
                    and upper_ratio(ahead.text) > 0.8 and not _STOP.match(ahead.text) \
                    and not re.search(r"[.:]\s*$", parts[-1]):
                continue  # OCR put blank lines inside a subject printed in capitals
            if nxt.blank and k + 1 < len(following) and following[k + 1].stripped[:1].islower() \
                    and not re.search(r"[.:]\s*$", parts[-1]):
                continue  # a blank line OCR put inside a subject that goes on in lower case
            if nxt.blank or _STOP.match(nxt.text) or is_underline(nxt.text):
                break
            if upper_ratio(" ".join(parts)) > 0.8 and upper_ratio(nxt.text) < 0.5 and len(nxt.stripped) > 30:
                break  # a subject in capitals does not go on into the body's sentence
            if len(squeeze(" ".join(parts))) > 60 and parts[-1].rstrip().endswith("."):
                break
            parts.append(nxt.text)
            end = nxt.end
        raw = strip_junk(squeeze(" ".join(parts)))
        raw = re.sub(r"^[^\w(\"'‘“]+", "", raw)
        if len(raw) < 4:
            continue
        lead = line.text[m.end():]
        start += len(lead) - len(lead.lstrip(" .:-–_"))
        return Subject(sentence_case(raw), (start, end), 0.9)
    return None


def unlabelled_subject(lines: list[Line], first: int, stop: int) -> Subject | None:
    """A subject printed without a label: the first lines after the header's number, date and
    recipients (``first``), set in capitals, before the body ('GRANTING OF SPECIAL LEAVE
    DURING THE RAMALAN (RAMAZAN) SEASON 2007'). Only capitals: a line in sentence case there
    is as often an addressee or a heading's tail."""
    k = next((k for k in range(first, min(stop, len(lines))) if not lines[k].blank), None)
    if k is None:
        return None
    group: list[Line] = []
    while k < min(stop + 1, len(lines)) and not lines[k].blank and len(group) < 4:
        text = lines[k].stripped
        if upper_ratio(text) < 0.8 or len(re.findall(r"[A-Za-z]{2,}", text)) < 2 and not group:
            break
        group.append(lines[k])
        k += 1
    raw = strip_junk(squeeze(" ".join(line.text for line in group)))
    if not group or len(raw.split()) < 3 or _STOP.match(raw):
        return None
    return Subject(sentence_case(raw), (group[0].content_span[0], group[-1].end), 0.6)


_ABSTRACT = re.compile(r"^\s*ABSTRACT\s*[:.\-–]*\s*$")


def abstract_lines(lines: list[Line], limit: int = 12) -> range:
    """The lines of a Government Order's ABSTRACT (its subject, above the number), if any.

    Indian state G.O.s open with 'ABSTRACT' and a paragraph ('Public Services - ... -
    Orders - Issued.') that ends at a blank or a ruled line: the heading line and that
    paragraph, else an empty range.
    """
    for i, line in enumerate(lines[:limit]):
        if not _ABSTRACT.match(line.text):
            continue
        first = next((k for k in range(i + 1, min(len(lines), i + 3)) if not lines[k].blank), None)
        if first is None:
            return range(0)
        last = first
        while last + 1 < min(len(lines), first + 6) and not lines[last + 1].blank \
                and not is_underline(lines[last + 1].text):
            last += 1
        return range(i, last + 1)
    return range(0)


def abstract_subject(lines: list[Line], block: range) -> Subject | None:
    """The ABSTRACT's paragraph (``block``, from ``abstract_lines``) as the subject, as printed."""
    if len(block) < 2:
        return None
    body = [lines[k] for k in block[1:] if not lines[k].blank]
    raw = strip_junk(squeeze(" ".join(line.text for line in body)))
    return Subject(raw, (body[0].content_span[0], body[-1].end), 0.8) if len(raw) >= 4 else None
