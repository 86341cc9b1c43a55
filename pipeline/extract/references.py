"""Earlier documents the document refers to: number, date, issuer, kind.

A reference is a number ('letter F.No.14/04/2021-D-II dated 25th August 2021'), an
'O.M. of even No. dated ...' (number null) or a kind with a date ('letter dated ...').
The issuer is the possessive or capitalised phrase before the kind word ('this
Division's' -> the document's own department; 'Cabinet Secretariat (Establishment
Division) letter'). Blanket mentions ('all previous circulars') have neither number nor
date and are never listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract import refnum
from pipeline.extract.dates import FoundDate

_KIND_WORD = (
    r"(?P<kind>D\.?\s?O\.?\s+letter|letter|circular|O\.\s?M\.?|OM|office\s+memorandum|memorandum|"
    r"notification|office\s+order|order|memo)"
)
_KIND_BEFORE = re.compile(_KIND_WORD + r"(?:\s+(?:bearing|under|vide|of|issued\s+vide))?\s*$", re.I)
_EVEN = re.compile(_KIND_WORD + r"\s+of\s+even\s+(?:No\.?|number)\s*,?\s*(?:dated|dt\.?|of)?\s*(?:the\s*)?$", re.I)
_KIND_DATED = re.compile(_KIND_WORD + r"\s*,?\s*(?:dated|dt\.?|of)\s*(?:the\s*)?$", re.I)
_OWN = re.compile(
    r"\b(?:this|our|the\s+same|the)\s+(Division|Department|Deptt?\.?|Ministry|Office|Secretariat|Directorate|University|"
    r"Wing|Section|Commission|Authority|Board)(?:'s|’s)?(?:\s+(?:earlier|previous|above|aforesaid))?\s*$",
    re.I,
)
_CONNECT = {"of", "and", "&", "for", "the"}
# The issuer printed between a number and its date, as G.O.s cite each other:
# 'G.O.(Ms) No.112, Personnel and Administrative Reforms (A) Department, dated 14.08.2019'.
_ISSUER_AFTER = re.compile(
    r",\s*(?P<issuer>(?-i:[A-Z])[\w&'’.()-]*(?:\s+(?:[A-Z(][\w&'’.()-]*|and|of|&)){0,10}?\s+"
    r"(?:Department|Division|Ministry|Secretariat|Directorate|Commission|Board))(?=\s*,?\s*dated\b)",
    re.I,
)
# Between two references the second of which shares the first's issuer.
_JOINED = re.compile(r"\s*(?:,|and|&|as\s+well\s+as|read\s+with|,\s*and)\s*(?:its|the)?\s*", re.I)
_LEAD_STOP = {"the", "this", "under", "vide", "in", "as", "see", "refer", "attention", "kindly", "per", "with", "also", "a"}


def _same_number(a: str, b: str) -> bool:
    """Two keys of one number: one a truncation of the other ('112960/sd/1/82/gad' and
    '112960/sd/1/82'), or a year printed in two digits once ('8/8/2020' and '8/8/20')."""
    if a.startswith(b) or b.startswith(a):
        return True
    pa, pb = a.split("/"), b.split("/")
    return len(pa) == len(pb) and pa[:-1] == pb[:-1] and pa[-1][-2:] == pb[-1][-2:] and pa[-1].isdigit() and pb[-1].isdigit()


@dataclass(frozen=True)
class Reference:
    reference_number: str | None
    date: str | None
    issuer: str | None
    kind: str | None
    key: str | None
    span: tuple[int, int]
    confidence: float


def find_references(
    text: str,
    refs: list[refnum.RefMatch],
    dates: list[FoundDate],
    *,
    own_key: str | None,
    own_date_span: tuple[int, int] | None,
    own_issuer: str | None,
    own_date: str | None = None,
) -> list[Reference]:
    """References in order of first mention, duplicates (same key and date) dropped.
    'O.M. No. X dated A and B' cites two papers of number X; 'O.M. of even No. dated ...'
    (a paper of the document's own number) has number null, as the gold conventions say.

    The document's own number is a reference only with another date: offices number every
    paper of a file alike, so 'Notification No.SO(REG-I)1-12/2019 dated 24th September,
    2019' in a notification of that number dated 2021 is the earlier one it modifies.
    """
    found: list[Reference] = []
    used_dates: set[tuple[int, int]] = set()
    for ref in refs:
        after_issuer = _ISSUER_AFTER.match(text, ref.span[1])
        date = _date_after(text, after_issuer.end("issuer") if after_issuer else ref.span[1], dates)
        if own_key and ref.key == own_key and not _earlier_paper(date, own_date):
            continue
        if own_date and date and date.iso == own_date and _kind_before(text, ref)[0] is None:
            continue  # the document's own file or endorsement number, with its own date
        if _own_endorsement(text, ref, own_key, date, own_date):
            continue
        kind, kind_start = _kind_before(text, ref)
        issuer = _issuer_before(text, kind_start, own_issuer) if kind_start is not None else None
        if issuer is None and after_issuer and date:
            issuer = " ".join(after_issuer.group("issuer").split())
        if date:
            used_dates.add(date.span)
        if kind is None and date is None:
            continue  # a bare number with nothing around it is not clearly a document
        start = kind_start if kind_start is not None else ref.span[0]
        if issuer is None and found and _JOINED.fullmatch(text[found[-1].span[1]:start]):
            issuer = found[-1].issuer  # "this Department's O.M. No. A dated D and O.M. No. B ..."
        end = date.span[1] if date else ref.span[1]
        found.append(Reference(ref.printed, date.iso if date else None, issuer, kind, ref.key, (start, end),
                               0.9 if date and date.value else 0.7))
        second = _second_date(text, date, dates)
        if second:
            used_dates.add(second.span)
            found.append(Reference(ref.printed, second.iso, issuer, kind, ref.key, (start, second.span[1]), 0.8))
    for d in dates:
        if d.span in used_dates or d.span == own_date_span or d.value is None:
            continue
        before = text[max(0, d.span[0] - 60) : d.span[0]]
        m = _EVEN.search(before) or _KIND_DATED.search(before)
        if not m:
            continue
        start = d.span[0] - len(before) + m.start()
        issuer = _issuer_before(text, start, own_issuer)
        if m.re is _EVEN and issuer is None:
            issuer = own_issuer
        found.append(Reference(None, d.iso, issuer, _kind(m.group("kind")), None, (start, d.span[1]), 0.75))
    found.sort(key=lambda r: r.span[0])
    out: list[Reference] = []
    seen: set[tuple[str | None, str | None]] = set()
    for r in found:
        ident = (r.key, r.date)
        if ident in seen or (r.key and any(r.key == o.key and (o.date is None or r.date is None) for o in out)):
            continue
        if r.key and any(o.key and r.date == o.date and _same_number(r.key, o.key) for o in out):
            continue  # 'Office Order No. 08/08/2020' cited again as 'No. 08/08/20', or cut short by OCR
        seen.add(ident)
        out.append(r)
    return out


# A copy list opening after a number: the number is the document's own endorsement
# ('Memo No. 17154 /Gen., Bhubaneswar, dated the 22nd June, 2019 Copy forwarded to ...').
_COPY_LIST_AFTER = re.compile(r"[^\n]{0,80}?(?:\n[ \t]*)?\bcop(?:y|ies)\s*(?:is\s+|are\s+)?(?:forwarded|to\b|for\s+information)", re.I)
_CITING_BEFORE = re.compile(r"(?i)\b(?:vide|refer\w*|letter|under|of|in|with|see|by)\s*$")


def _own_endorsement(text: str, ref: refnum.RefMatch, own_key: str | None, date: FoundDate | None,
                     own_date: str | None) -> bool:
    """The document's own endorsement at its foot, not an earlier paper: a number that
    extends the own number ('No: 160/Admin/14' endorsed as 'Memo No: 160/Admin/14/1(10)') or
    one a copy list follows, dated (if at all) as the document is."""
    if date is not None and date.value and own_date and date.iso != own_date:
        return False
    if _CITING_BEFORE.search(text[max(0, ref.span[0] - 30):ref.span[0]]):
        return False
    if own_key and ref.key.startswith(own_key + "/"):
        return True
    gap = _COPY_LIST_AFTER.match(text, ref.span[1])
    return bool(gap) and not re.search(r"(?i)\b(?:vide|letter|refer|No\b)", gap.group())


def _earlier_paper(date: FoundDate | None, own_date: str | None) -> bool:
    return bool(date and date.value and own_date and date.iso < own_date)


def _kind(word: str) -> str | None:
    low = re.sub(r"[^a-z ]", "", word.lower())
    if low.startswith("do") or low.endswith("letter"):
        return "letter"
    if low in {"om", "o m", "office memorandum", "memorandum", "memo"} or low.replace(" ", "") == "om":
        return "office_memorandum"
    return refnum.kind_of(low) or {"circular": "circular", "notification": "notification"}.get(low)


def _kind_before(text: str, ref: refnum.RefMatch) -> tuple[str | None, int | None]:
    if ref.kind and ref.kind != "endorsement":
        return ref.kind, ref.span[0]
    before = text[max(0, ref.span[0] - 40) : ref.span[0]]
    m = _KIND_BEFORE.search(before)
    if not m:
        return None, None
    return _kind(m.group("kind")), ref.span[0] - len(before) + m.start()


def _issuer_before(text: str, pos: int, own_issuer: str | None) -> str | None:
    before = text[max(0, pos - 120) : pos]
    if _OWN.search(before):
        return own_issuer
    # 'notified by the Establishment Division vide its Notification No. ...'
    before = re.sub(r"(?i)\b(?:vide|through|under)?\s*(?:its|their)\s*$", " ", before)
    tokens = list(re.finditer(r"\([^()]{1,60}\)|[A-Za-z][\w&.’'-]*|&", before))
    picked: list[re.Match[str]] = []
    for tok in reversed(tokens):
        word = tok.group()
        if not picked and not re.fullmatch(r"(?:'s|’s)?[\s,]*", before[tok.end():]):
            break  # 'Read:\n1. G.O. ...': a label and a list marker are no issuer's name
        gap = before[tok.end():picked[-1].start()] if picked else ""
        if re.search(r"[^\s,]", gap):
            break
        if word.startswith("(") or word[0].isupper() or word == "&" or (picked and word.lower() in _CONNECT - {"the"}):
            picked.append(tok)
            continue
        break
    while picked and (picked[-1].group().lower() in _LEAD_STOP | _CONNECT or picked[-1].group().startswith("(")):
        picked.pop()
    picked.reverse()
    while picked and picked[-1].group().lower() in _CONNECT:
        picked.pop()
    if not picked:
        return None
    # as printed between the first and last word: 'Services, General Administration & ...'
    name = " ".join(before[picked[0].start():picked[-1].end()].split())
    name = re.sub(r"(?:'s|’s)$", "", name)
    if len(name) < 3 or name.lower() in {"government", "govt"}:
        return None
    return name


def _second_date(text: str, first: FoundDate | None, dates: list[FoundDate]) -> FoundDate | None:
    """'dated 30-11-1988 and 24-10-1990': the date joined to the first by 'and'."""
    if first is None or first.value is None:
        return None
    for d in dates:
        if d.span[0] >= first.span[1]:
            joined = re.fullmatch(r"\s*(?:,\s*)?(?:and|&)\s*(?:dated\s*)?(?:the\s*)?", text[first.span[1]:d.span[0]], re.I)
            return d if joined and d.value else None
    return None


def _date_after(text: str, pos: int, dates: list[FoundDate]) -> FoundDate | None:
    for d in dates:
        if pos <= d.span[0] <= pos + 30:
            gap = text[pos : d.span[0]]
            if re.fullmatch(r"[\s,]*(?:(?:dated|dt\.?|of|on)\s*[:.]?)?[\s,]*(?:the\s*)?", gap, re.I):
                return d
        if pos <= d.span[0] <= pos + 40 and _LABELLED_GAP.fullmatch(text[pos:d.span[0]]):
            return d  # 'No. 25014/14/2001-AIS(II) DoPT, GOI, dated: 08.09.2009'
    return None


# Between a number and its date: the issuer's short names or a number's stray tail, then 'dated'.
_LABELLED_GAP = re.compile(r"[\s,]*(?:(?:[A-Z0-9][\w&.()/-]*|[-–])[\s,]+){1,4}(?:dated|dt\.?)\s*[:.]?\s*(?:the\s*)?")
