"""Document type from the heading line ('CIRCULAR', 'OFFICE MEMORANDUM' ...), OCR-tolerant.

Headings are matched with a spaCy PhraseMatcher on clean lines and with rapidfuzz on lines
OCR damaged ('0FFICE MEM0RANDUM', 'CIRCULAF'). Without a heading, the designator before
the number ('Circular No.', 'O.M. No.') or a letter's salutation decide; else None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from pipeline.extract._text import Line, letters_upper, upper_ratio

HEADINGS: dict[str, str] = {
    "OFFICE MEMORANDUM": "office_memorandum",
    "MEMORANDUM": "office_memorandum",
    "O M": "office_memorandum",
    "CIRCULAR": "circular",
    "NOTIFICATION": "notification",
    "CORRIGENDUM": "other",  # a correction slip is its own kind of paper (convention 8)
    "ADDENDUM": "other",
    "ADVISORY": "other",
    "RESOLUTION": "other",  # an Indian state's Government Resolution (G.R.)
    "GOVERNMENT RESOLUTION": "other",
    "GOVERNMENT NOTICE": "notification",
    "OFFICE ORDER": "office_order",
    "ORDER": "order",
    "ORDERS": "order",
    "LETTER": "letter",
    "D O LETTER": "letter",
    "DEMI OFFICIAL LETTER": "letter",
    "DEPARTMENT ORDER": "order",
    "MEMORANDUM ORDER": "order",
    "EXECUTIVE ORDER": "order",
    "ADMINISTRATIVE ORDER": "order",
    "GENERAL ORDER": "order",
    "STANDING ORDER": "order",
    "GOVERNMENT ORDER": "order",
    "MEMORANDUM CIRCULAR": "circular",
    "CIRCULAR MEMORANDUM": "circular",  # the same paper, its words the other way round (convention 8)
    "CIRCULAR LETTER": "circular",
    "OFFICE CIRCULAR": "circular",
    "TREASURY CIRCULAR": "circular",
    "GENERAL NOTICE": "notification",
    "GAZETTE NOTICE": "notification",
    "GAZETTE NOTIFICATION": "notification",
    "PRESS RELEASE": "other",
    "NOTICE": "other",
    "MINUTES": "other",
}


# One-word headings that count in title case too ('Circular', 'Notification').
TITLE_CASE_SINGLE = {"CIRCULAR", "NOTIFICATION", "MEMORANDUM", "ORDER", "CORRIGENDUM"}


@dataclass(frozen=True)
class Heading:
    kind: str
    span: tuple[int, int]
    confidence: float


# A numbered title line in any case: 'Circular No. 03 /04/23', 'TSC CIRCULAR NO:20/2024',
# 'DOS Circular Letter No. 23', 'Office Order No. 12 of 2024' (a series acronym may lead).
_NUMBERED_TITLE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z&.]{1,8}\s+){0,2}?(?P<kind>circular(?:\s+letter)?|office\s+memorandum|memorandum\s+circular|"
    r"notification|office\s+order|order|memorandum|o\.\s?m\.)\s*N[oO0º]\s*[.:º]?\s*\S", re.I)
# The kind each word names, in a numbered title or where the document names itself.
_KIND_WORDS = {"circular": "circular", "circular letter": "circular", "office memorandum": "office_memorandum",
               "memorandum circular": "circular", "notification": "notification", "office order": "office_order",
               "order": "order", "memorandum": "office_memorandum", "o.m.": "office_memorandum",
               "o. m.": "office_memorandum", "letter": "letter", "advisory": "other", "press release": "other",
               "government order": "order", "gazette notice": "notification", "general notice": "notification",
               "government notice": "notification", "resolution": "other", "corrigendum": "other"}


def heading_of(line: Line) -> Heading | None:
    """The document type if ``line`` is a heading line (short, set apart, capitals)."""
    text = line.stripped
    numbered = _NUMBERED_TITLE.match(text) if len(text) <= 80 else None
    if numbered and len(re.findall(r"\b[a-z]{2,}\b", text[numbered.end():])) < 3:
        # a title line, not a sentence citing one ('Circular No. 555 dated 04.02.2016 is ...')
        return Heading(_KIND_WORDS[" ".join(numbered.group("kind").lower().split())], line.content_span, 0.85)
    if not text or len(text) > 48:
        return None
    shape = _join_spaced_letters(letters_upper(text))
    words = shape.split()
    # 'CIRCULAR NO. 07 OF 2023-24 (INCOME TAX)' is a heading too: the words before 'NO' count
    if "NO" in words[1:]:
        words = words[: words.index("NO", 1)]
    while len(words) > 1 and len(words[-1]) <= 2 and " ".join(words) not in HEADINGS:
        words = words[:-1]  # specks read after the heading: 'ORDER i 8'
    if not words or len(words) > 5:
        return None
    candidate = " ".join(words)
    if upper_ratio(text) < 0.7:
        # a heading in title case ('Office Order', 'Department Order', 'Press Release'): only
        # a heading phrase exactly, every word capitalised, nothing else on the line; of one
        # word only the paper kinds ('Letter', 'Notice' alone are a list's or a form's words)
        if candidate in HEADINGS and _title_case_heading(text) and (" " in candidate or candidate in TITLE_CASE_SINGLE):
            return Heading(HEADINGS[candidate], line.content_span, 0.95)
        return None
    if candidate in HEADINGS:
        return Heading(HEADINGS[candidate], line.content_span, 0.95)
    best, score = None, 0.0
    for name, kind in HEADINGS.items():
        if len(name) < 6:
            continue
        s = fuzz.ratio(candidate, name)
        if s > score:
            best, score = kind, s
    if best and score >= 82 and len(candidate) >= 5:
        return Heading(best, line.content_span, round(score / 100 * 0.9, 2))
    return None


def _title_case_heading(text: str) -> bool:
    """'Office Order', 'Office-Order', 'D.O. Letter', '- Circular -': words capitalised, no other words."""
    words = re.findall(r"[A-Za-z]+", text)
    return bool(words) and all(w[0].isupper() for w in words) and not re.search(r"\d", text)


def _join_spaced_letters(shape: str) -> str:
    """A heading printed letter-spaced ('C I R C U L A R', 'O F F I C E   O R D E R' read as
    one space): runs of four or more single letters are one word. (Two or three single
    letters stay apart: 'O M', 'D O LETTER'.)"""
    return re.sub(r"\b(?:[A-Z] ){3,}[A-Z]\b", lambda m: m.group().replace(" ", ""), shape)


# A Statutory Rules and Orders number opening a line: 'S.R.O. 344(I)/2016.—In exercise ...',
# 'No.S.R.O.533-L/85.—'. An S.R.O. is a notification whatever heading the gazette prints
# over it ('ORDER': the instrument it makes).
_SRO_LINE = re.compile(r"^\s*(?:No\.?\s?)?S\.\s?R\.\s?O\.\s?\d")


def find_heading(lines: list[Line], limit: int | None = None) -> Heading | None:
    """The first heading line among the document's first ``limit`` lines; an S.R.O.'s number
    line makes a notification."""
    sro = next((line for line in lines[:limit] if _SRO_LINE.match(line.text)), None)
    if sro:
        return Heading("notification", sro.content_span, 0.85)
    for line in lines[:limit]:
        found = heading_of(line)
        if found:
            return found
    return None


_SALUTATION = re.compile(r"^\s*(?:Dear\s+(?:Sir|Madam|Mr|Ms|Dr)|Sir\s*[,/]|Madam\s*,|Respected\s+Sir)", re.M)


# The document naming itself: 'This order is also available', 'the purpose of this circular',
# 'This circular letter will come into force'. Not 'this office Circular No. 555' (a citation).
_SELF_NAMED = re.compile(
    r"\b[Tt]his\s+(?P<kind>circular(?:\s+letter)?|office\s+memorandum|memorandum|notification|office\s+order|order|letter"
    r"|advisory|press\s+release)\b"
    r"(?!\s*(?:N[oO0]\b|of\s+even|dated|under\s+reference|referred|cited|mentioned|ibid))")
# A notification enacts: 'In exercise of the powers conferred by section 26 ...', 'is pleased to'.
# A gazette publishes: 'is hereby published for general information', 'It is hereby notified'.
_ENACTING = re.compile(r"(?i)\bin\s+exercise\s+of\s+the\s+powers\s+conferred\b|\bis\s+pleased\s+to\s+(?:notify|declare|appoint|direct)"
                       r"|\bis\s+hereby\s+(?:notified|published\s+for\s+general\s+information)\b")
# A letter shows itself by its form: a 'To' block, 'I am directed to', 'Yours faithfully'.
_LETTER_FORM = re.compile(
    r"(?im)^\s*To\s*[,:]?\s*$|^\s*I\s+am\s+directed\s+to\b|^\s*Yours\s+(?:faithfully|sincerely)|^\s*(?:Dear\s+)?(?:Sir|Madam)\s*[,/]"
    r"|\brefer\s+to\s+your\s+(?:letter|office\s+letter|d\.\s?o\.)")
# A text flattened onto one line (a web page's copy of a scan) still prints its heading word.
_FLAT_HEADING = re.compile(r"(?<![A-Za-z])(?P<kind>OFFICE\s+MEMORANDUM|MEMORANDUM|CIRCULAR|NOTIFICATION|OFFICE\s+ORDER)(?![A-Za-z])")


# A numbered series title anywhere in the header, across a line break a flattened page's
# reflow put in it: 'Government Order\nNo. 251-F of 2006', '__ Order No. 1/21/RTI/...', 'General
# Notice No. 577 of 2011.' Not a citation: no lower-case word or citing word just before it
# ('vide Order No.', 'In Gazette Notice No. 6466 of 2013, amend').
_SERIES_TITLE = re.compile(
    r"(?<![A-Za-z0-9,])(?P<kind>(?:Government|GOVERNMENT|Office|OFFICE)\s+(?:Order|ORDER)|Order|ORDER|Circular|CIRCULAR"
    r"|Notification|NOTIFICATION|Resolution|RESOLUTION|Corrigendum|CORRIGENDUM|(?:Gazette|General|Government|GAZETTE|GENERAL|GOVERNMENT)\s+(?:Notice|NOTICE))\s+N[Oo]\s*[.:]\s*\S")
_CITING_BEFORE = re.compile(r"(?i)\b(?:in|vide|under|per|of|to|see|with|by|and|the|this|that|said|above|ref|reference|dated|its)\W*$")
SERIES_TITLE_CHARS = 1200  # the header of a page: a title further down is cited, not the paper's own


def series_title(text: str) -> tuple[str, tuple[int, int]] | None:
    """The kind a numbered series title in the header names, and its span."""
    for m in _SERIES_TITLE.finditer(text[:SERIES_TITLE_CHARS]):
        before = text[max(0, m.start() - 20):m.start()]
        if _CITING_BEFORE.search(before) or re.search(r"\b[a-z]+[ \t]*$", before):
            continue
        line_before = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
        sentence_before = re.split(r"[.;:]\s", line_before)[-1]
        if len(re.findall(r"\b[a-z]{2,}\b", sentence_before)) >= 6:
            continue  # inside a body sentence: a paper the text cites
        return _KIND_WORDS[" ".join(m.group("kind").lower().split())], (m.start(), m.start() + len(m.group("kind")))
    return None


# A paper's own title line in the header naming its kind: 'Tariff Directives Order', 'Master
# Circular- Loans and Advances ...', 'Circular - Electronic publication ...': a few capitalised
# words ending in the kind word, alone on the line or before a dash and the title. Not a
# citing line ('The Order', 'This Circular'): those open with an article or demonstrative.
_TITLE_NAMES_KIND = re.compile(
    r"^[ \t]*(?!(?:The|This|That|Said|Such|Above|Vide|Under|Per)\b)(?P<words>(?:[A-Z][A-Za-z'’&]*[ \t]+){0,3})"
    r"(?P<kind>Circular|CIRCULAR|Order|ORDER|Notification|NOTIFICATION|Office[ \t]+Memorandum|OFFICE[ \t]+MEMORANDUM)"
    r"(?:[ \t]*$|[ \t]*[-–—:][ \t]*[A-Z])", re.M)


def titled_kind(text: str) -> tuple[str, tuple[int, int]] | None:
    """The kind the paper's own title line in the header names (``_TITLE_NAMES_KIND``)."""
    for m in _TITLE_NAMES_KIND.finditer(text[:SERIES_TITLE_CHARS]):
        if not m.group("words") and m.group().rstrip() == m.group("kind"):
            continue  # a bare heading word: heading_of's to judge, where it stands
        return _KIND_WORDS[" ".join(m.group("kind").lower().split())], m.span("kind")
    return None


# A memorandum's form: labelled 'TO:' then 'FROM:' lines and a 'SUBJECT:' / 'RE:' line in the
# header (convention 8: a TO/FROM/SUBJECT memorandum is an office memorandum). A letter in the
# South Asian form prints 'From:' (the signer) above 'To:', so the order decides.
_MEMO_TO = re.compile(r"(?im)^[ \t]*TO[ \t]*:")
_MEMO_FROM = re.compile(r"(?im)^[ \t]*FROM[ \t]*:")
_MEMO_SUBJECT = re.compile(r"(?im)^[ \t]*(?:SUBJECT|SUBJ|SUB|RE)[ \t]*:")


def memorandum_form(text: str) -> tuple[int, int] | None:
    """The span of the 'TO:' label when the header is a TO/FROM/SUBJECT memorandum block."""
    header = text[:SERIES_TITLE_CHARS]
    to, sender = _MEMO_TO.search(header), _MEMO_FROM.search(header)
    if not to or not sender or sender.start() < to.start() or not _MEMO_SUBJECT.search(header, to.end()):
        return None
    return to.start() + len(to.group()) - len(to.group().lstrip()), to.end()


def infer_without_heading(
    text: str, ref_kind: str | None, ref_span: tuple[int, int] | None = None
) -> tuple[str, float, tuple[int, int]] | None:
    """A weaker reading when no heading is printed, strongest cue first: the designator
    before the number ('Circular No.'), the letter's salutation, a numbered series title in the
    header ('Government Order No. 251-F of 2006'), the document naming itself
    ('this circular'), a notification's enacting words, a letter's form ('To', 'I am
    directed to', 'Yours faithfully')."""
    if ref_kind in {"circular", "office_memorandum", "notification", "office_order", "order", "letter"} and ref_span:
        return ref_kind, 0.7, ref_span
    titled = titled_kind(text)  # (before the salutation: 'Dear Sir' opens a circular as well)
    if titled:
        return titled[0], 0.6, titled[1]
    memo = memorandum_form(text)
    if memo:
        return "office_memorandum", 0.6, memo
    m = _SALUTATION.search(text)
    if m:
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        return "letter", 0.6, (start, m.end())
    titled = series_title(text)  # (after the salutation: a letter's body cites numbered titles)
    if titled:
        return titled[0], 0.6, titled[1]
    named = [(_KIND_WORDS[" ".join(m.group("kind").lower().split())], m.span()) for m in _SELF_NAMED.finditer(text)]
    if named:
        kinds = [k for k, _ in named]
        kind = max(kinds, key=kinds.count)
        return kind, 0.6, next(span for k, span in named if k == kind)
    m = _ENACTING.search(text)
    if m:
        return "notification", 0.55, m.span()
    forms = list(_LETTER_FORM.finditer(text))
    if forms:
        return "letter", 0.5, (forms[0].start() + len(forms[0].group()) - len(forms[0].group().lstrip()), forms[0].end())
    first_line = text.split("\n", 1)[0]
    flat = _FLAT_HEADING.search(first_line[:600]) if len(first_line) > 300 else None
    if flat:
        return HEADINGS[" ".join(flat.group("kind").split())], 0.45, flat.span()
    return None


@lru_cache(maxsize=1)
def _matcher():  # noqa: ANN202 - spaCy types
    """PhraseMatcher over lower-cased heading phrases (used for headings inside a line)."""
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("en")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for name, kind in HEADINGS.items():
        matcher.add(kind, [nlp.make_doc(name.lower())])
    return nlp, matcher


def headings_in(text: str) -> list[tuple[str, tuple[int, int]]]:
    """(kind, span) of every heading phrase in ``text`` (token-exact, case-insensitive)."""
    nlp, matcher = _matcher()
    doc = nlp.make_doc(text)
    from spacy.util import filter_spans

    spans = filter_spans([doc.char_span(doc[s:e].start_char, doc[s:e].end_char, label=m) for m, s, e in matcher(doc)])
    return [(span.label_, (span.start_char, span.end_char)) for span in spans]
