"""Subject line: 'Subject:' / 'Sub:' / 'SUBJECT:-' (OCR-tolerant label), joined across lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract._text import Line, is_underline, sentence_case, squeeze, strip_junk, upper_ratio

# 'Sub-County Directors' is a compound word, not the label 'Sub-' (hence the look-ahead)
LABEL = re.compile(r"^\s*(?:(?:S\s?u\s?[bh](?:[ji1l]\s?[eco]\s?[ceo]\s?[ti1l])?|SUBJECT|Re)(?!-[A-Za-z])\s*[:;.\-–—]+|(?-i:SUBJECT|SUB)(?=\s+[A-Z0-9]))\s*", re.I)
_STOP = re.compile(
    # (words a wrapped subject's next line may open with in lower case - 'from the date of',
    # 'reference to', 'Sirmaur' - stop it only as printed to open a part: 'FROM', 'Ref:', 'Sir,')
    r"^\s*(?:\d{1,2}[.)]\s|[ivx]+[.)]\s|Kindly|Dear\b|Sir\b|Madam\b|I am|The undersigned|(?-i:Reference|Ref)\b|Please|"
    r"In exercise|With reference|It has been|This is|Respected|Date\s*:|(?-i:DATE)\b|(?-i:From)\s*:|(?-i:FROM)\b|Thru\b|"
    r"Encl|Enclosure|(?-i:[A-Z][a-z]+\s*:\s*$))",  # a lone label word ('Details:') opens the next part
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
_FLAT_END = re.compile(r"(?:(?<=[A-Za-z]{5})|(?<=[\d)]))\.\s+(?=[A-Z\d]|[a-z]{1,2}\s+[a-z]{2,}\s+[a-z]{2,})"
                       r"|\s(?=(?:Dear\s+(?:Sir|Madam)|Sir\s*[,:]|Madam\s*[,:]|Ref(?:erence)?\s*[:;.]|Respected|Reference\b))")
def _sentence_end(text: str) -> re.Match[str] | None:
    """The first ``_FLAT_END`` that is no abbreviation's stop: a word without a vowel after its
    first letter is abbreviated ('Asstt.', 'Deptt.', 'Govt.'), its full stop ends nothing."""
    for m in _FLAT_END.finditer(text):
        word = re.search(r"([A-Za-z]+)$", text[:m.start()])
        if word and not re.search(r"[aeiouyAEIOUY]", word.group(1)[1:]) and text[m.start()] == ".":
            continue
        return m
    return None


# The body's first words after a subject in capitals ('... GRADUATE PROGRAMS 'n accordance with
# the'): a token with a lower-case letter, then two lower-case words.
_BODY_AFTER_CAPITALS = re.compile(r"\s\S*[a-z]\S*\s+[a-z]{2,}\s+[a-z]{2,}\b")
FLAT_HEADER_CHARS = 1500  # a flattened page's header (letterhead, number, recipients) fits in this
FLAT_SUBJECT_MAX = 400  # no end within this many characters: not a subject line


def _flat_subject(line: Line) -> Subject | None:
    """The labelled subject inside a flattened line, cut where its sentence ends."""
    m = _MID_LABEL.search(line.text)
    if not m:
        return None
    rest = line.text[m.end():]
    end = _sentence_end(rest[:FLAT_SUBJECT_MAX + 1])
    if not end:
        return None
    raw = _end_of_capitals(strip_junk(squeeze(rest[:end.start() + 1])))
    if len(raw) < 4:
        return None
    start = line.start + m.end()
    return Subject(sentence_case(raw), (start, start + end.start() + 1), 0.7)


def _end_of_capitals(raw: str) -> str:
    """A subject in capitals ends where the sentence-case body begins (OCR lost the line break)."""
    if upper_ratio(raw[:40]) < 0.8:
        return raw
    body = _BODY_AFTER_CAPITALS.search(raw)
    return strip_junk(raw[:body.start()]) if body else raw


def _cut_at_body(raw: str, after: str) -> str:
    """In a flattened page, a subject that runs on into what follows it ('... 2021-2022. Vide
    Circular No. ... were to be observed from ...', '... Committee. Government Order No. 251-F')
    ends at its own full stop: ``after`` is the text that follows, the sentence's rest."""
    end = _sentence_end(raw)
    if end and len(re.findall(r"\b[a-z]{2,}\b", (raw[end.end():] + " " + after)[:200])) >= 5:
        return strip_junk(raw[:end.start() + 1])
    return raw


# A second column on the label's line: 'Subject: TRAINING FOR MIDDLE MANAGERS      Date:20.08.13',
# '... COACHES        Ref: ...': a wide gap, then a label of the header's other parts.
_SECOND_COLUMN = re.compile(r"\s{4,}(?=(?:Date|Dated|Dt|Ref|Reference|No|File|F\.?\s?No|Our\s+ref|Your\s+ref)\b\.?\s*[:.\-])", re.I)


def _first_column(text: str) -> str:
    cut = _SECOND_COLUMN.search(text)
    return text[:cut.start()] if cut else text


# A date printed alone on a line (a second column read between label and subject)
_DATE_ONLY = re.compile(r"^\s*(?:\d{1,2}\s?(?:st|nd|rd|th)?\s+[A-Z][a-z]+,?\s+\d{4}|[\d]{1,2}[./-]\d{1,2}[./-]\d{2,4})\s*\.?\s*$")


def find_subject(lines: list[Line], limit: int) -> Subject | None:
    """The first labelled subject among the first ``limit`` lines; null when unlabelled."""
    flattened = any(len(line.text) > FLAT_LINE for line in lines)
    header_limit = limit
    if flattened:  # a flattened header's parts are one line each only after reflow: read further
        limit = max(limit, sum(1 for line in lines if line.start < FLAT_HEADER_CHARS))
    for i, line in enumerate(lines[:limit]):
        if len(line.text) > FLAT_LINE:
            flat = _flat_subject(line)
            if flat:
                return flat
        m = LABEL.match(line.text)
        if not m or (m.group().strip().lower().startswith("re") and not re.match(r"(?i)\s*Re\s*:", line.text)):
            continue
        if i >= header_limit and not re.search(r"[:\-–—]", m.group()):
            continue  # read further only for a plain label: '... the above Subject. The' is prose
        start = line.start + m.end()
        end = line.end
        parts = [_first_column(line.text[m.end():])]
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
            goes_on = next((x for x in following[k + 1:k + 4] if not x.blank), None)
            if nxt.blank and goes_on is not None and goes_on.stripped[:1].islower() \
                    and not re.search(r"[.:]\s*$", parts[-1]):
                continue  # blank lines OCR put inside a subject that goes on in lower case
            if nxt.blank or _STOP.match(nxt.text) or is_underline(nxt.text) or len(nxt.text) > FLAT_LINE \
                    or len(re.findall(r"[A-Za-z0-9]", nxt.text)) < 2:
                break  # (a flattened page's line is the body, not the subject going on; a lone 'I' is a speck)
            if upper_ratio(" ".join(parts)) > 0.8 and upper_ratio(nxt.text) < 0.5 and len(nxt.stripped) > 30:
                break  # a subject in capitals does not go on into the body's sentence
            if len(squeeze(" ".join(parts))) > 60 and parts[-1].rstrip().endswith("."):
                break
            parts.append(nxt.text)
            end = nxt.end
        raw = _end_of_capitals(strip_junk(squeeze(" ".join(parts))))
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


# The enabling instrument a gazette notice prints above its title: 'THE WAGES ACT 1964 (Act
# No. 16 of 1964)', 'THE CONSTITUTION OF KENYA, 2010', 'Medical Registration Act', '(Chapter 174)'.
_INSTRUMENT_LINE = re.compile(
    r"^\W*(?:(?:THE\s+)?[A-Z][\w'’&,.\s()-]*?\b(?i:act|constitution|ordinance|decree)\b(?:\s+(?i:of)\s+[A-Za-z]+(?:\s[A-Za-z]+)?)?(?:[\s,]+\d{4})?"
    r"(?:[\s,.]*(?:\(?(?i:cap|chapter|act\s+no)\.?[^)]*\)?))?|\(?(?i:cap|chapter)\.?\s*[\d:.]+\)?)\W*$")
_TITLE_SMALL = {"of", "the", "and", "for", "in", "on", "to", "at", "by", "a", "an", "with", "under", "from", "as", "or"}


def _title_cased(text: str) -> bool:
    """'Medical Registration (Amendment) Regulations 2003', 'Establishment Proposals – Recurrent
    Budget 2006/2007': every word but the small ones capitalised, and no sentence's full stop."""
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", text)
    big = [w for w in words if w.lower() not in _TITLE_SMALL]
    return len(words) >= 2 and len(big) >= 2 and all(w[0].isupper() for w in big) and not text.rstrip().endswith(".")


def _subject_line(text: str, *, title_case_ok: bool) -> bool:
    if upper_ratio(text) >= 0.8:
        return len(re.findall(r"[A-Za-z]{2,}", text)) >= 2
    return title_case_ok and _title_cased(text) and len(text.split()) <= 16


def unlabelled_subject(lines: list[Line], first: int, stop: int, *, title_case_ok: bool = False) -> Subject | None:
    """A subject printed without a label: the first lines after the header's number, date and
    recipients (``first``), before the body, set in capitals ('GRANTING OF SPECIAL LEAVE
    DURING THE RAMALAN (RAMAZAN) SEASON 2007'). A line in title case only when it stands
    alone between the header and the body (``title_case_ok``) or under a gazette notice's
    enabling Act ('BOTSWANA HONOURS ACT (Cap. 03:06)' / 'Presidential Awards'): a line in
    sentence case there is as often an addressee or a heading's tail."""
    from pipeline.extract.doctype import heading_of  # (doctype does not import this module)

    end = min(stop + 1, len(lines))
    k = next((k for k in range(first, min(stop, len(lines))) if not lines[k].blank), None)
    if k is None:
        return None
    under_instrument = False
    while k < end and (lines[k].blank or _INSTRUMENT_LINE.match(lines[k].stripped)):
        under_instrument |= not lines[k].blank
        k += 1
    titled = title_case_ok or under_instrument
    group: list[Line] = []
    while k < end and not lines[k].blank and len(group) < 4:
        text = lines[k].stripped
        if group and heading_of(lines[k]):
            break  # 'APPOINTMENT OF CABINET SECRETARIES' / 'CORRIGENDUM'
        if not _subject_line(text, title_case_ok=titled and not group) or upper_ratio(text) < 0.8 and group:
            break
        group.append(lines[k])
        k += 1
    raw = strip_junk(squeeze(" ".join(line.text for line in group)))
    if not group or len(raw.split()) < (2 if under_instrument else 3) or _STOP.match(raw):
        return None
    if upper_ratio(raw) < 0.8 and not _alone(lines, k):
        return None  # a title-case line must stand apart from what follows it
    return Subject(sentence_case(raw), (group[0].content_span[0], group[-1].end), 0.6)


def gazette_title(lines: list[Line], stop: int) -> Subject | None:
    """A gazette notice's title: the line under the enabling instrument that the notice prints
    under its number ('GENERAL NOTICE NO. 22 OF 1994' / 'THE WAGES ACT 1964 (Act No. 16 of
    1964)' / 'NOTICE OF INTENTION TO SUBMIT WAGES REGULATION PROPOSALS')."""
    top = [k for k in range(min(stop, len(lines))) if not lines[k].blank][:4]
    k = next((k for k in top if _INSTRUMENT_LINE.match(lines[k].stripped)), None)
    return unlabelled_subject(lines, k, stop) if k is not None else None


_SALUTATION_LINE = re.compile(r"^\s*Dear\s+[A-Z][\w./ ]{1,30}[,:]?\s*$")


def after_salutation(lines: list[Line], stop: int) -> Subject | None:
    """A title set under the salutation, as banks' circulars print it ('Dear Sir / Madam' /
    'Master Circular- Loans and Advances Statutory and Other Restrictions' / the body): a line
    in title case or capitals, no sentence, followed by the body or a blank line."""
    k = next((k for k in range(min(stop + 1, len(lines))) if _SALUTATION_LINE.match(lines[k].text)), None)
    if k is None:
        return None
    nxt = next((j for j in range(k + 1, min(k + 3, len(lines))) if not lines[j].blank), None)
    if nxt is None:
        return None
    text = lines[nxt].stripped
    if len(text.split()) < 3 or len(text.split()) > 20 or not _subject_line(text, title_case_ok=True) \
            or _STOP.match(text) or not _alone(lines, nxt + 1):
        return None
    return Subject(sentence_case(strip_junk(squeeze(text))), lines[nxt].content_span, 0.6)


def _alone(lines: list[Line], after: int) -> bool:
    """Is the line before ``after`` followed by a blank line, or by the body's first sentence?
    The body's first line may open with a title it cites ('The Black Money (Undisclosed
    Foreign Income and Assets) and Imposition of Tax' / 'Act, 2015 (hereinafter ...'): read
    it with the line it runs on into."""
    if after >= len(lines) or lines[after].blank or _lower_words(lines[after].text) >= 5:
        return True
    runs_on = after + 1 < len(lines) and not lines[after + 1].blank and not re.search(r"[.:;,]\s*$", lines[after].text)
    return runs_on and _lower_words(lines[after + 1].text) >= BODY_LINE_LOWER_WORDS


BODY_LINE_LOWER_WORDS = 6  # a wrapped line of a paragraph, not a heading or an address line


def _lower_words(text: str) -> int:
    return len(re.findall(r"\b[a-z]{2,}\b", text))


_ABSTRACT = re.compile(r"^\s*ABSTRACT\s*[:.\-–]*\s*$")


# The ABSTRACT ends with its closing words ('Orders - Issued.', 'Sanctioned.'), with a full stop.
def _ends_abstract(text: str) -> bool:
    return text.rstrip().endswith(".")


# What follows an ABSTRACT: the department line, the G.O.'s number, 'Read:', the date.
_ABSTRACT_NOT_MORE = re.compile(r"^\s*(?:(?i:G\.?\s?O\b|Read\b|Dated?\b|No\b)|[A-Z&(),.\s]*DEPARTMENT\b|ORDER)")


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
        while True:
            while last + 1 < min(len(lines), first + 8) and not lines[last + 1].blank \
                    and not is_underline(lines[last + 1].text) and not _ends_abstract(lines[last].text):
                last += 1
            if _ends_abstract(lines[last].text):
                break
            # the paragraph goes on past blank lines OCR put inside it: no full stop yet
            nxt = next((k for k in range(last + 1, min(len(lines), last + 4)) if not lines[k].blank), None)
            if nxt is None or nxt >= first + 8 or is_underline(lines[nxt].text) or _ABSTRACT_NOT_MORE.match(lines[nxt].text):
                break
            last = nxt
        return range(i, last + 1)
    return range(0)


def abstract_subject(lines: list[Line], block: range) -> Subject | None:
    """The ABSTRACT's paragraph (``block``, from ``abstract_lines``) as the subject, as printed."""
    if len(block) < 2:
        return None
    body = [lines[k] for k in block[1:] if not lines[k].blank]
    raw = strip_junk(squeeze(" ".join(line.text for line in body)))
    return Subject(raw, (body[0].content_span[0], body[-1].end), 0.8) if len(raw) >= 4 else None
