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
    "CORRIGENDUM": "notification",
    "ADDENDUM": "notification",
    "OFFICE ORDER": "office_order",
    "ORDER": "order",
    "ORDERS": "order",
    "LETTER": "letter",
    "D O LETTER": "letter",
    "DEMI OFFICIAL LETTER": "letter",
    "PRESS RELEASE": "other",
    "NOTICE": "other",
    "MINUTES": "other",
}


@dataclass(frozen=True)
class Heading:
    kind: str
    span: tuple[int, int]
    confidence: float


def heading_of(line: Line) -> Heading | None:
    """The document type if ``line`` is a heading line (short, set apart, capitals)."""
    text = line.stripped
    if not text or len(text) > 48:
        return None
    shape = letters_upper(text)
    words = shape.split()
    # 'CIRCULAR NO. 07 OF 2023-24 (INCOME TAX)' is a heading too: the words before 'NO' count
    if "NO" in words[1:]:
        words = words[: words.index("NO", 1)]
    while len(words) > 1 and len(words[-1]) <= 2 and " ".join(words) not in HEADINGS:
        words = words[:-1]  # specks read after the heading: 'ORDER i 8'
    if not words or len(words) > 5:
        return None
    if upper_ratio(text) < 0.7 and not re.fullmatch(r"(?i)\s*(office\s+)?(memorandum|order|circular|notification)\s*[.:]?\s*", text):
        return None
    candidate = " ".join(words)
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


def find_heading(lines: list[Line], limit: int | None = None) -> Heading | None:
    """The first heading line among the document's first ``limit`` lines."""
    for line in lines[:limit]:
        found = heading_of(line)
        if found:
            return found
    return None


_SALUTATION = re.compile(r"^\s*(?:Dear\s+(?:Sir|Madam|Mr|Ms|Dr)|Sir\s*[,/]|Madam\s*,|Respected\s+Sir)", re.M)


def infer_without_heading(
    text: str, ref_kind: str | None, ref_span: tuple[int, int] | None = None
) -> tuple[str, float, tuple[int, int]] | None:
    """A weaker reading when no heading is printed: designator kind or letter salutation."""
    if ref_kind in {"circular", "office_memorandum", "notification", "office_order", "order", "letter"} and ref_span:
        return ref_kind, 0.7, ref_span
    m = _SALUTATION.search(text)
    if m:
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        return "letter", 0.6, (start, m.end())
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
