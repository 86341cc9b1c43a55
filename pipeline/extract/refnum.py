"""Reference numbers ("No.", "F.No.", "Circular No." ...): find, print, canonical key.

``canonical_key`` is what links a document to the documents that cite it, so it forgives
what OCR and typists vary and keeps what tells numbers apart:

* designators are dropped: ``F.``, ``C.``, ``No.``, ``File No.``, ``Circular No.``, ``O.M. No.``,
  and a leading ``F.`` of the number itself (``No.F.2-244`` = ``F.No.2-244``);
* case is folded and every run of separators (space . / - ( ) , :) becomes one ``/``;
* leading zeros of numeric parts are dropped (``14/04/2021`` = ``14/4/2021``);
* section-code numerals are collapsed: in a part that follows letters (``D-II``, ``D1``,
  ``D-ll``, ``D-11``, ``A-III``) any run of the OCR-confusable strokes I l 1 | becomes a
  single ``i``. ``D-I``, ``D-II`` and ``D-III`` therefore share a key (documented
  collision; the archive breaks the tie with the date), while ``D-IV``/``D-V``/``D-3`` and
  every numeric part (``14/04/2021`` vs ``14/05/2021``) stay distinct.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DESIGNATOR = (
    r"(?P<designator>"
    r"(?:(?P<kind>(?i:Circular\s+Letter|Memorandum\s+Circular|Circular\s+Note|Circular|Notification|(?:Gazette\s+|General\s+|Government\s+|Legal\s+)?Notice|Corrigendum|Office\s+Order|Order|Letter|Memorandum|Proclamation|Resolution|Endst\.?|Endorsement|"
    r"O\s*\.?\s*M\s*\.?|Office\s+Memorandum|D\s*\.?\s*O\s*\.?(?:\s*Letter)?|Memo|Ref(?:erence)?|File))(?P<gap>\s+)"
    # A Government Order of an Indian state and its series: 'G.O.(Ms) No.45', 'G.O.Rt.No.1021'
    r"|(?P<go>G\s*\.\s*O\s*\.\s*(?:\(\s*(?P<series>[A-Za-z0-9]{1,3})\s*\)|(?P<series2>Ms|MS|Rt|RT|P|D)\s*\.)?)\s*)?"
    r"(?P<no>(?:F\s*\.?\s*|C\s*\.\s*)?N[Oo0]\s*[.:]?\s*(?:[.:]\s*)?"  # C.No.: FBR, Customs
    r"|(?P<gazette>S\s*\.\s*R\s*\.\s*O\s*\.|G\s*\.\s*S\s*\.\s*R\s*\.)\s*(?:N[Oo0]\s*\.?\s*)?)"  # S.R.O. 987(I)/2023
    r")"
)
# Karnataka and other Indian secretariats space the parts: 'No. DPAR 12 SSR 2023'.
_SPACED = r"[A-Z]{2,8}(?:[ \t][A-Z]{2,8}|[ \t]\d{1,5}){1,4}[ \t](?:19|20)\d\d(?![\w/-])"
_BODY = (
    rf"(?P<body>{_SPACED}|(?:F\s*\.\s*)?[A-Za-z0-9(][A-Za-z0-9().&/\-–|_']*"
    r"(?:\s?[/\-–]\s?[A-Za-z0-9(][A-Za-z0-9().&/\-–|_']*|\s\([A-Za-z0-9]{1,5}\)(?=[/\-–])[A-Za-z0-9().&/\-–|_']*"
    r"|(?<=[/\-–])[ \t][0-9][A-Za-z0-9().&/\-–|_']*)*"  # '2021-22/ 238', '2019- 0225': a space after a separator
    r"(?:,\s*s\.\s*(?:19|20)\d\d|\s\([A-Z0-9]{1,4}\)(?=[ \t]*(?:$|\n|[Dd]ated|[Dd]t\b)))?)"  # 'F.2 (49)/88-S.II',
    # 'Memorandum No. 91, s. 2022' (a Philippine series year), 'No.916 /CGA/A.A/RP-2018 (LC)' ending its line
)
REF_PATTERN = re.compile(r"(?<![A-Za-z])" + _DESIGNATOR + _BODY)
# A reference label with no 'No.': 'Ref: BTRC/SS/Tariff/2002/4', 'REF: BOD/DIR/GEN/CIR/03/027',
# 'Ref:PSC 7/7/1', 'Our Ref: ...' (letters of Commonwealth offices and banks print their file
# reference so). 'Your Ref:' is the addressee's number, and 'Ref: No. ...' is matched above.
_REF_LABEL = r"(?P<designator>(?<![Yy]our\s)(?<![Yy]our\s\s)(?i:Our\s+)?(?i:Ref(?:erence)?)\s*[.:]\s*(?:[-–]\s*)?)(?![Nn][Oo0º]\W)"
LABELLED_PATTERN = re.compile(r"(?<![A-Za-z])(?i:(?=our\s|ref))" + _REF_LABEL + _BODY)


@dataclass(frozen=True)
class RefMatch:
    """One reference number in the text."""

    span: tuple[int, int]  # designator through number
    number_span: tuple[int, int]  # the number alone
    designator: str  # as printed
    kind: str | None  # kind word before "No." (circular, letter, ...), normalised
    printed: str  # gold convention: designator + number, spaces removed, OCR repaired
    key: str


_KINDS = {
    "circular": "circular", "circular letter": "circular", "memorandum circular": "circular",
    "notification": "notification", "office order": "office_order",
    "order": "order", "letter": "letter", "om": "office_memorandum",
    "office memorandum": "office_memorandum", "do": "letter", "do letter": "letter",
    "memo": "office_memorandum", "memorandum": "office_memorandum", "proclamation": "other",
    "resolution": "other", "endst": "endorsement", "endorsement": "endorsement",
    "circular note": "circular", "notice": "notification", "gazette notice": "notification",
    "general notice": "notification", "government notice": "notification", "legal notice": "notification",
    "corrigendum": "other",
}


def kind_of(word: str | None) -> str | None:
    if not word:
        return None
    key = re.sub(r"[^a-z ]", "", re.sub(r"\s+", " ", word.lower())).strip()
    key = key.replace("o m", "om").replace("d o", "do")
    return _KINDS.get(key)


def find_reference_numbers(text: str, *, labelled: bool = False) -> list[RefMatch]:
    """Every designator + number in ``text``, in order; with ``labelled`` also the numbers
    after a bare 'Ref:' label (the extractor's reading; the splitter keeps its own)."""
    found = _numbered(text)
    return with_labelled(text, found) if labelled else found


def with_labelled(text: str, refs: list[RefMatch]) -> list[RefMatch]:
    """``refs`` (found in ``text``) and the numbers after a bare 'Ref:' label, in order."""
    taken = [r.span for r in refs]
    more = [r for r in _labelled(text) if not any(s < r.span[1] and r.span[0] < e for s, e in taken)]
    return sorted([*refs, *more], key=lambda r: r.span[0]) if more else refs


def _labelled(text: str) -> list[RefMatch]:
    found = []
    for m in LABELLED_PATTERN.finditer(text):
        body, b_start = _trim_body(m.group("body"), m.start("body"))
        body = _extend_body(text, b_start, body)
        if not _plausible_labelled(body):
            continue
        designator = m.group("designator")
        found.append(RefMatch(span=(m.start(), b_start + len(body)), number_span=(b_start, b_start + len(body)),
                              designator=designator, kind=None, printed=printed_form(designator, body),
                              key=canonical_key(body)))
    return found


def _plausible_labelled(body: str) -> bool:
    """A file reference has digits and parts ('BTRC/SS/Tariff/2002/4'); a label before a
    word ('Ref: Your memo No. ...') or a bare serial ('Ref: 12') is no number."""
    return bool(re.search(r"\d", body) and re.search(r"[A-Za-z0-9][/\-–][A-Za-z0-9]", body)) and len(body) >= 5 \
        and not re.fullmatch(r"[\d\s./-]+", body)


def _numbered(text: str) -> list[RefMatch]:
    found = []
    for m in REF_PATTERN.finditer(text):
        body, b_start = _trim_body(m.group("body"), m.start("body"))
        body = _extend_body(text, b_start, body)
        session = _OF_YEAR.match(text, b_start + len(body))
        if session and m.group("kind") and re.fullmatch(r"\d{1,4}", body):  # 'Circular No. 07 of 2023-24'
            body = text[b_start:session.end()]
        if not _plausible(body, m.group("designator")):
            continue
        designator, start, kind = m.group("designator"), m.start(), m.group("kind")
        if kind and "\n" in (m.group("gap") or ""):
            designator, start, kind = m.group("no"), m.start("no"), None  # 'NOTIFICATION' heading, number below
        series = _government_order_series(m)
        found.append(
            RefMatch(
                span=(start, b_start + len(body)),
                number_span=(b_start, b_start + len(body)),
                designator=designator,
                kind="order" if series is not None else kind_of(kind),
                printed=printed_form(designator, body),
                # the series tells 'G.O.(Ms) No.45' from 'G.O.(Rt) No.45' and from any 'No.45'
                key=canonical_key(body) if series is None else f"go/{series}/{canonical_key(body)}",
            )
        )
    return found


# A part of a number printed after a space or a colon: '(A-1)3-4/2015(P-III)' after 'No. SO',
# '(FR)' and 'II-2/89(P)' after 'No. FD', '(A.III)' after '11013/9/2014-Est', ':327:MMM:2010'.
_MORE_PART = re.compile(
    r"(?:[ \t]{1,2}|:[ \t]?)(?P<part>\([A-Za-z0-9&.\-/]{1,8}\)(?:[A-Za-z0-9().&/\-–:]*)"
    r"|[A-Za-z0-9().&\-–]*[/\-–:][A-Za-z0-9().&/\-–:]*[A-Za-z0-9)]"
    r"|[IVX]{1,4}(?=[ \t]\())"
)
_NOT_A_PART = re.compile(r"(?i)^(?:dated|dt|date|of|and|the|to|from|sub|subject|w\.?e\.?f)\b")


def _extend_body(text: str, start: int, body: str) -> str:
    """``body`` with the parts an office prints after a space ('No. SO (A-1)3-4/2015(P-III)')."""
    end = start + len(body)
    while True:
        m = _MORE_PART.match(text, end)
        if not m or _NOT_A_PART.match(m.group("part")) or re.fullmatch(r"[\d\s.:/-]*(?:19|20)\d\d", m.group("part")) \
                and re.search(r"\d[./-]\d", m.group("part")):
            break  # a date after the number is its date, not a part of it
        part_end = m.end()
        piece = text[start:part_end]
        if piece.count("(") < piece.count(")"):
            break
        end = part_end
    extended = text[start:end]
    return _trim_body(extended, start)[0] if extended != body else body


def _government_order_series(m: re.Match[str]) -> str | None:
    """'ms' for 'G.O.(Ms) No.', '' for a plain 'G.O. No.', None for other designators."""
    if not m.group("go"):
        return None
    return (m.group("series") or m.group("series2") or "").lower()


# The year or financial year a serial number belongs to: 'No. 07 of 2023-24', 'No. 3 of 2021'.
_OF_YEAR = re.compile(r"[ \t]+of[ \t]+(?:19|20)\d\d(?:[ \t]*[-–][ \t]*\d{2,4})?(?![\d/])", re.I)


def _trim_body(body: str, start: int) -> tuple[str, int]:
    body = body.rstrip(".,;:-–'_ ")
    while body.endswith(")") and body.count(")") > body.count("("):
        body = body[:-1].rstrip(".,;:-– ")
    return body, start


def _plausible(body: str, designator: str) -> bool:
    if not re.search(r"\d", body):
        return False
    if re.fullmatch(r"\d{1,3}", body):  # "No. 5" is a count as often as a number
        return bool(_SERIES_WORD.search(designator))
    if re.fullmatch(r"\d+(st|nd|rd|th)?", body, re.I):  # a bare serial needs its series named
        return bool(_SERIES_WORD.search(designator) or re.search(r"Letter", designator, re.I))
    return True


# The words naming a numbered series of papers: a bare serial after them is a paper's number.
_SERIES_WORD = re.compile(r"(Circular|Notification|Notice|Corrigendum|Order|Office|Memorandum|Proclamation|"
                          r"Resolution|G\s*\.\s*O\b)", re.I)


def printed_form(designator: str, body: str, *, keep_kind: bool = False) -> str:
    """'F. No. ' + '14/04/2021-D-ll' -> 'F.No.14/04/2021-D-II' (gold convention)."""
    if is_label(designator):  # 'Ref:PSC 7/7/1': as printed, spaces squeezed
        return " ".join((designator + repair_number(body)).split())
    gazette = re.search(r"([SG])\s*\.\s*([RS])\s*\.\s*([OR])\s*\.", designator)
    if gazette:  # 'S.R.O. 987(I)/2023', 'G.S.R. 456(E)'
        return ".".join(gazette.groups()) + ". " + re.sub(r"\s+", "", body)
    order = re.match(r"\s*(G\s*\.\s*O\s*\.[^N]*?)\s*(?=N[Oo0])", designator)
    if order:  # the series is part of the number: 'G.O.(Ms) No.45'
        return re.sub(r"\s+", "", order.group(1)) + " " + _printed_no(designator) + _printed_body(body)
    if re.fullmatch(_SPACED, body):
        return _printed_no(designator, keep_kind=keep_kind) + " ".join(body.split())
    return _printed_no(designator, keep_kind=keep_kind) + _printed_body(body)


def is_label(designator: str) -> bool:
    """A bare reference label ('Ref:', 'Our Ref.'), no 'No.'."""
    return re.fullmatch(r"(?i)\s*(?:our\s+)?ref(?:erence)?\s*[.:]\s*(?:[-–]\s*)?", designator) is not None


def _printed_no(designator: str, *, keep_kind: bool = False) -> str:
    no = re.search(r"(?:F\s*\.?\s*|C\s*\.\s*)?N[Oo0]\s*[.:]?\s*[.:]?\s*$", designator)
    printed_no = re.sub(r"\s+", "", no.group() if no else "No.")
    printed_no = re.sub(r"N0", "No", re.sub(r"[.:]*$", ".", printed_no, count=1))
    printed_no = re.sub(r"^F(?=N)", "F.", printed_no)  # 'F No.' -> 'F.No.'
    prefix = printed_no
    if re.match(r"\s*File\s", designator, re.I):
        prefix = "File " + printed_no
    if keep_kind:
        kind = re.match(r"\s*((?:(?:Gazette|General|Legal|Government)\s+)?Notice|Circular|Notification|Office\s+Order|Order|Letter)[ \t]", designator, re.I)
        if kind:
            prefix = " ".join(kind.group(1).split()) + " " + prefix
        elif re.match(r"\s*D\s*\.\s*O\s*\.", designator):
            prefix = "D.O." + prefix  # a D.O. letter's own number, printed like 'F.No.'
    return prefix


def _printed_body(body: str) -> str:
    serial = re.fullmatch(r"(\d+)\s+of\s+(.+)", body.strip(), re.I)
    if serial:  # 'No.07 of 2023-24': the words stay apart
        year = re.sub(r"\s+", "", serial.group(2))
        return f"{serial.group(1)} of {year}"
    return repair_number(re.sub(r"\s+", "", body))


def repair_roman(text: str) -> str:
    """'Reg-V1' -> 'Reg-VI', 'Exp-lV' -> 'Exp-IV': a numeral mixing roman letters with 1/l/|."""
    return re.sub(
        r"(?<=[A-Za-z][-–])([IVX1l|]{2,5})(?![A-Za-z0-9])",
        lambda m: re.sub(r"[1l|]", "I", m.group(1)) if re.search(r"[VX]|I", m.group(1)) and re.search(r"[1l|]", m.group(1)) else m.group(1),
        text,
    )


def repair_number(number: str) -> str:
    """OCR repairs the number itself supports: 'D-ll' -> 'D-II', '2O21' -> '2021'."""
    number = repair_roman(number)
    number = re.sub(
        r"(?<=[A-Za-z][-–])([Il|1]{1,3})(?![A-Za-z0-9])",
        lambda m: "I" * len(m.group(1)) if re.search(r"[l|]", m.group(1)) else m.group(1),
        number,
    )
    number = re.sub(r"(?<=\d)[Oo](?=[\d/\-])|(?<=[/\-])[Oo](?=\d)", "0", number)
    number = re.sub(r"(?<=[A-Z]{2})l(?=[A-Z]{2})", "/", number)  # a slash read as 'l': 'DIRlCIRlGEN'
    number = re.sub(r"\)[J\]|}](?=[A-Z&])", ")", number)  # ')' read twice: ')J'
    if number.count("(") > number.count(")"):
        # the closing bracket read as J ] } |: 'SO(Reg-VIJE&AD' -> 'SO(Reg-VI)E&AD'
        number = re.sub(r"\(([A-Za-z]{1,8}-?[IVX0-9]{1,4})[J\]}|](?=[A-Z&/0-9])", r"(\1)", number, count=1)
    if number.count("(") > number.count(")"):
        # 'I)' read as one 'D': 'SO(R-DS&GAD' -> 'SO(R-I)S&GAD'
        number = re.sub(r"\(([A-Za-z]{1,8})-D(?=[A-Z&])", r"(\1-I)", number, count=1)
    return number.replace("–", "-")


_DROP = re.compile(
    r"^\s*(?:(?:circular|notification|office\s+order|order|letter|o\s*\.?\s*m\s*\.?|office\s+memorandum|"
    r"d\s*\.?\s*o\s*\.?|memo|ref(?:erence)?|file|endst\.?)\s*)?(?:f\s*\.?\s*(?=n[o0]))?(?:n[o0]\s*[.:]?\s*)?"
    r"(?:f\s*[.\s]\s*(?=[\dA-Za-z(])|f(?=\d))?",
    re.I,
)
# Words naming the series before 'No.' ('DOS Circular Letter No. 23', 'CSC MEMORANDUM
# CIRCULAR NO. 19', 'Resolution No. 371/20/99'): the series name varies between the document
# and its citations ('Circular No. 555' vs 'this Office Circular No. 555'), the number does not.
# A Government Order's series is part of its number and stays ('G.O.(Ms) No.45').
_WORDS_BEFORE_NO = re.compile(r"^\s*(?!G\s*\.\s*O\b)(?:[A-Za-z][A-Za-z&]*(?:[.:]\s*|\s+)){1,4}?(?=N[Oo0](?![A-Za-z])\s*[.:]?\s*[\dA-Za-z(])")
_ROMAN_STROKES = re.compile(r"^[il1|]+$")


def canonical_key(ref: str) -> str:
    """The match key of a reference number (see the module docstring for the rules)."""
    body = _DROP.sub("", _WORDS_BEFORE_NO.sub("", ref.strip(), count=1), count=1)
    body = repair_number(re.sub(r"\s+", " ", body))
    body = body.lower().replace("–", "-")
    parts: list[str] = []
    for token in re.split(r"[\s./\-_,:()']+", body):
        if not token:
            continue
        for sub in re.findall(r"[a-z&|]+|\d+", token):
            parts.append(sub)
    out: list[str] = []
    for i, part in enumerate(parts):
        prev = out[-1] if out else ""
        after_letters = bool(prev) and bool(re.search(r"[a-z]$", prev)) and prev != "i"
        last = i == len(parts) - 1
        if _ROMAN_STROKES.match(part) and re.search(r"[a-z|]", part):
            out.append("i" if after_letters or re.search(r"[l|]", part) else part)
        elif part.isdigit() and set(part) == {"1"} and len(part) <= 3 and after_letters and len(prev) <= 4 and (
            last or re.match(r"[a-z]", parts[i + 1])
        ):
            out.append("i")  # 'D-11' / 'D1' at the end: OCR of the section code 'D-II'
        elif part.isdigit():
            out.append(part.lstrip("0") or "0")
        else:
            out.append(re.sub(r"[il1|]+(?=(v|x)?$)", lambda m: "i", part) if _roman_tail(part) else part)
    return "/".join(out)


def _roman_tail(part: str) -> bool:
    # letters-only parts stay as they are unless they are pure roman strokes
    return bool(re.fullmatch(r"[ivxl|]+", part)) and bool(re.search(r"[il|]", part))


def section_code_from_designation(designation: str) -> str | None:
    """'Section Officer D-11' / 'Section Officer (D-II)' -> 'D-II' (the office's code)."""
    m = re.search(r"\(?\b([A-Z]{1,5})\s*[-–]\s*([IVXl|1]{1,4}|\d{1,2})\)?\s*$", designation)
    if not m:
        return None
    letters, numeral = m.group(1), m.group(2)
    if re.fullmatch(r"[Il|1]+", numeral):
        numeral = "I" * len(numeral)
    return f"{letters}-{numeral}"


def repair_with_section_code(printed: str, code: str | None) -> str:
    """Repair the number's trailing section code from the office's own code when they agree.

    'F.No.14/04/2021-D1' + 'D-II' -> 'F.No.14/04/2021-D-II': only when both share a key.
    """
    if not code:
        return printed
    m = re.search(r"[-–]([A-Z]{1,5}[-–]?[IVXl|1]{1,4})$", printed)
    if not m or m.group(1) == code:
        return printed
    if canonical_key(m.group(1)) == canonical_key(code) and m.group(1).replace("-", "") != code.replace("-", ""):
        return printed[: m.start(1)] + code
    return printed
