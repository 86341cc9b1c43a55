"""Subject line: 'Subject:' / 'Sub:' / 'SUBJECT:-' (OCR-tolerant label), joined across lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract._text import Line, is_underline, sentence_case, squeeze, strip_junk, upper_ratio

# 'Sub-County Directors' is a compound word, not the label 'Sub-' (hence the look-ahead)
LABEL = re.compile(r"^\s*(?:(?:S\s?u\s?[bh](?:[ji1l]\s?[eco]\s?[ceo]\s?[ti1l])?|SUBJECT|Re)(?!-[A-Za-z])\s*[:;.\-–—]+|(?-i:SUBJECT|SUB)(?=\s+[A-Z0-9]))\s*", re.I)
_STOP = re.compile(
    r"^\s*(?:\d{1,2}[.)]\s|[ivx]+[.)]\s|Kindly|Dear|Sir|Madam|I am|The undersigned|Reference|Ref\b|Please|"
    r"In exercise|With reference|It has been|This is|Respected|Date\s*:|From\s*:|FROM\b|Thru\b|Encl|Enclosure|"
    r"[A-Z][a-z]+\s*:\s*$)",  # a lone label word ('Details:') opens the next part of the page
    re.I,
)


@dataclass(frozen=True)
class Subject:
    text: str
    span: tuple[int, int]
    confidence: float


FLAT_LINE = 250  # a line this long is a page flattened onto one line (a web copy of a scan)
# The label inside a flattened line: 'Districts Subject:- Creation of ...', 'Sub;- Information',
# 'Subject - TRANSFER OF FUNDS'. A punctuation mark must follow ('Sub-County' is a word).
_MID_LABEL = re.compile(r"(?:(?<=\s)|^)(?-i:Subject|SUBJECT|Sub|SUB)\s?(?:[:;][-–—]?|\.[-–—]|[-–—](?=\s))\s*")
# Where a flattened subject ends: a sentence's end (a word of 5+ letters, a figure or a
# bracket before the stop: 'Ch. Das', 'Dist. Sepahijala' are abbreviations), or the
# salutation / reference label that follows a subject.
_FLAT_END = re.compile(r"(?:(?<=[A-Za-z]{5})|(?<=[\d)]))\.\s+(?=[A-Z\d])"
                       r"|\s(?=(?:Dear\s+(?:Sir|Madam)|Sir\s*[,:]|Madam\s*[,:]|Ref(?:erence)?\s*[:;.]|Respected|Reference\b))")
FLAT_SUBJECT_MAX = 400  # no end within this many characters: not a subject line


def _flat_subject(line: Line) -> Subject | None:
    """The labelled subject inside a flattened line, cut where its sentence ends."""
    m = _MID_LABEL.search(line.text)
    if not m:
        return None
    rest = line.text[m.end():]
    end = _FLAT_END.search(rest[:FLAT_SUBJECT_MAX + 1])
    if not end:
        return None
    raw = strip_junk(squeeze(rest[:end.start() + 1]))
    if len(raw) < 4:
        return None
    start = line.start + m.end()
    return Subject(sentence_case(raw), (start, start + end.start() + 1), 0.7)


def _cut_at_body(raw: str, after: str) -> str:
    """In a flattened page, a subject that runs on into what follows it ('... 2021-2022. Vide
    Circular No. ... were to be observed from ...', '... Committee. Government Order No. 251-F')
    ends at its own full stop: ``after`` is the text that follows, the sentence's rest."""
    end = _FLAT_END.search(raw)
    if end and len(re.findall(r"\b[a-z]{2,}\b", (raw[end.end():] + " " + after)[:200])) >= 5:
        return strip_junk(raw[:end.start() + 1])
    return raw


# A date printed alone on a line (a second column read between label and subject)
_DATE_ONLY = re.compile(r"^\s*(?:\d{1,2}\s?(?:st|nd|rd|th)?\s+[A-Z][a-z]+,?\s+\d{4}|[\d]{1,2}[./-]\d{1,2}[./-]\d{2,4})\s*\.?\s*$")


def find_subject(lines: list[Line], limit: int) -> Subject | None:
    """The first labelled subject among the first ``limit`` lines; null when unlabelled."""
    flattened = any(len(line.text) > FLAT_LINE for line in lines)
    for i, line in enumerate(lines[:limit]):
        if len(line.text) > FLAT_LINE:
            flat = _flat_subject(line)
            if flat:
                return flat
        m = LABEL.match(line.text)
        if not m or (m.group().strip().lower().startswith("re") and not re.match(r"(?i)\s*Re\s*:", line.text)):
            continue
        start = line.start + m.end()
        end = line.end
        parts = [line.text[m.end():]]
        following = lines[i + 1 : i + 5]
        if not parts[0].strip():  # 'Subject:' alone on its line, the words under it after a blank
            skip = next((k for k, nxt in enumerate(following) if not nxt.blank and not _DATE_ONLY.match(nxt.text)), None)
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
            if nxt.blank or _STOP.match(nxt.text) or is_underline(nxt.text) or len(nxt.text) > FLAT_LINE:
                break  # (a flattened page's line is the body, not the subject going on)
            if upper_ratio(" ".join(parts)) > 0.8 and upper_ratio(nxt.text) < 0.5 and len(nxt.stripped) > 30:
                break  # a subject in capitals does not go on into the body's sentence
            if len(squeeze(" ".join(parts))) > 60 and parts[-1].rstrip().endswith("."):
                break
            parts.append(nxt.text)
            end = nxt.end
        raw = strip_junk(squeeze(" ".join(parts)))
        if flattened:
            after = " ".join(x.text for x in lines[i + len(parts):i + len(parts) + 3])
            raw = _cut_at_body(raw, after)
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
