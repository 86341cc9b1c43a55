"""Issuer from the letterhead: the organization and the most specific named office.

The letterhead is the block of lines above the first reference number, heading or
subject. The organization is the top-level government or institution ('GOVERNMENT OF
PAKISTAN', 'ALLAMA IQBAL OPEN UNIVERSITY'); the department is the last letterhead line
naming a division, department, ministry or office ('ESTABLISHMENT DIVISION',
'(Registrar's Department)'). Gazetteer names win over the printed text when OCR damaged it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from pipeline.extract import gazetteer
from pipeline.extract._text import Line, letters_upper, squeeze, title_case, trim_trailing_specks, upper_ratio

_ORG_LINE = re.compile(
    r"^\W*(?:(GOVERNMENT|GOVT\.?)\s+OF\s+(THE\s+)?|(?:THE\s+)?(?:(?:UNITED|FEDERAL|DEMOCRATIC|SOCIALIST|PEOPLE[’']?S|ISLAMIC)\s+)*"
    r"REPUBLI(?:C|KA)\s+(?:OF\s+|NG\s+)(THE\s+)?)[A-Z][A-Z &’'\-]+\W*$", re.I)
# Parts of one letterhead line printed side by side: 'GOVERNMENT OF PAKISTAN - OFFICE OF THE
# CONTROLLER GENERAL OF ACCOUNTS', 'DELHI ADMINISTRATION : DELHI'.
_SIDE_BY_SIDE = re.compile(r"\s+[-–:|]\s+")
# 'Ministry of Labour & Employment, Government of India': an office, then its government.
_THEN_GOVERNMENT = re.compile(r",\s+(?=(?:the\s+)?Gov(?:ernmen)?t\.?\s+of\b)", re.I)
# What a gazette's masthead prints above the issuer: not an issuer's name.
_MASTHEAD = re.compile(r"(?i)\b(?:gazette|extraordinary|published\s+by\s+(?:the\s+)?authority|registered\s+no)\b")
# A list marker or OCR specks before a name ('74 ) Government of ...', 'I) Election Commission').
_MARKER = re.compile(r"^\W*(?:\d{1,3}|[IVXivxl|]{1,3}|[a-h])\s*[).\]]\s+")
# The head's own office under a department ('OFFICE OF THE SECRETARY'): not the department.
_HEADS_OFFICE = re.compile(r"(?i)^\W*office\s+of\s+the\s+(?:hon(?:ourable|\.)?\s+)?(?:secretary|minister|director|chairman|"
                           r"commissioner|superintendent|president|registrar|principal|vice[- ]chancellor)\W*$")
_SEAT = re.compile(r"(?i)^\W*(?:central|head|main|regional|camp)\s+office\W*$")
_OTHER_SCRIPT = re.compile(r"[^\x00-\x7F‘’“”–—]+")
_INSTITUTION = re.compile(r"\b(UNIVERSITY|COMMISSION|INSTITUTE|AUTHORITY|CORPORATION|COUNCIL|BOARD|BANK|COURT|ASSEMBLY|SENATE)\b")
# A territory's administration as its government: 'DELHI ADMINISTRATION', 'UT Administration of ...'.
_ADMINISTRATION = re.compile(r"^\W*(?:[A-Z][A-Za-z.]*\s+){1,3}ADMINISTRATION\W*$", re.I)
_UNIT = re.compile(
    r"\b(DIVISION|DEPARTMENT|DEPTT?|MINISTRY|DIRECTORATE|SECRETARIAT|WING|SECTION|BRANCH|OFFICE|"
    r"CELL|BUREAU|REGISTRAR|DIRECTOR|COMMISSIONERATE|BOARD|COMMISSION|AUTHORITY)\b",
    re.I,
)
_STRONG_UNIT = re.compile(r"\b(DIVISION|DEPARTMENT|DEPTT?|MINISTRY|DIRECTORATE|SECRETARIAT|OFFICE|REGISTRAR|BUREAU|COMMISSION|AUTHORITY)", re.I)
_WEAK_UNIT = re.compile(r"\b(WING|SECTION|BRANCH|CELL)\b", re.I)
# A numbered unit is a part of the office above it: '(Internal Security Division-IV)'.
# '(PE-I Section)', '(Recruitment-II Section)': the number before the unit word.
_NUMBERED_UNIT = re.compile(r"\b(?:DIVISION|SECTION|WING|BRANCH|CELL)\s*[-–]?\s*(?:[IVX]{1,4}|\d{1,2})\W*$"
                            r"|[-–](?:[IVX]{1,4}|\d{1,2})\s+(?:SECTION|WING|BRANCH|CELL)\W*$", re.I)
_ADDRESS = re.compile(r"\b(ROAD|BLOCK|AVENUE|STREET|SECTOR|PHONE|TEL|FAX|EMAIL|E-MAIL|WWW|HTTP|BHAWAN|BHAVAN|BUILDING|PH\.?|P\.O\.)\b|\d{4,}", re.I)


@dataclass(frozen=True)
class Issuer:
    organization: str | None
    organization_span: tuple[int, int] | None
    department: str | None
    department_span: tuple[int, int] | None
    confidence: float


def _merge_wrapped(header: list[Line]) -> list[Line]:
    """Join a capitals letterhead line the printer wrapped: '... COORDINATION' + 'DEPARTMENT'."""
    out: list[Line] = []
    for line in header:
        prev = out[-1] if out else None
        if prev is not None and not prev.blank and not line.blank and upper_ratio(prev.text) > 0.8 \
                and upper_ratio(line.text) > 0.8 and line.start == prev.end + 1 and _continues(prev.stripped, line.stripped):
            out[-1] = Line(prev.start, line.end, prev.text + " " + line.text)
            continue
        out.append(line)
    return out


def _continues(first: str, second: str) -> bool:
    if re.search(r"(\bOF|\bAND|&|,)$", first):
        return True
    return len(second.split()) <= 2 and bool(_UNIT.search(second)) and not _UNIT.search(first) and not _is_org_line(first)


def _latin_parts(header: list[Line]) -> list[Line]:
    """Letterhead lines with another script's words dropped ('रेल मंत्रालय MINISTRY OF RAILWAYS'
    -> 'MINISTRY OF RAILWAYS') and side-by-side parts split into lines of their own."""
    out: list[Line] = []
    for line in header:
        text = _OTHER_SCRIPT.sub(lambda m: " " * len(m.group()), line.text)
        if not text.strip() or not re.search(r"[A-Za-z]{2}", text):
            continue
        pos = 0
        parts = _SIDE_BY_SIDE.split(text)
        if not _is_org_line(parts[0].strip()):
            parts = _THEN_GOVERNMENT.split(text) if _THEN_GOVERNMENT.search(text) else [text]
        for part in parts:
            at = text.find(part, pos)
            out.append(Line(line.start + at, line.start + at + len(part), part))
            pos = at + len(part)
    return out


# Governments a letterhead line may run straight into its department:
# 'GOVERNMENT OF THE PUNJAB SCHOOL EDUCATION DEPARTMENT'.
_GOVERNMENTS = (
    "Pakistan", "the Punjab", "Punjab", "Sindh", "Khyber Pakhtunkhwa", "Balochistan", "Gilgit-Baltistan",
    "Azad Jammu and Kashmir", "Azad Jammu & Kashmir", "India", "Kerala", "Tamil Nadu", "Karnataka",
    "Maharashtra", "West Bengal", "Uttar Pradesh", "Rajasthan", "Andhra Pradesh", "Telangana", "Gujarat",
    "Odisha", "Bihar", "Assam", "Himachal Pradesh", "Haryana", "Madhya Pradesh", "National Capital Territory of Delhi",
    "Bangladesh", "Kenya", "Uganda", "Nigeria", "Ghana", "Zambia", "Sri Lanka", "Nepal",
    "Jammu and Kashmir", "Jammu & Kashmir", "Goa", "Tripura", "Manipur", "Meghalaya", "Mizoram", "Nagaland",
    "Sikkim", "Arunachal Pradesh", "Uttarakhand", "Jharkhand", "Chhattisgarh", "Puducherry", "Delhi",
    "Mauritius", "Malawi", "Tanzania", "Zimbabwe", "Botswana", "Namibia", "Sierra Leone",
)


def is_government_name(text: str) -> bool:
    """'Khyber Pakhtunkhwa', 'the Punjab': a territory whose government issues instructions."""
    return text.strip().lower() in {g.lower() for g in _GOVERNMENTS}


# A government's name opening a line that runs on ('So- GOVERNMENT OF ... DELHI DIRECTORATE OF
# EDUCATION: SCHOOL BRANCH ...', flattened pages): OCR specks before it allowed.
# 'GOVERNMENT OF' (or 'Govt. of') and a government's name, the longest name first.
_GOVERNMENT_OF = (r"(?:GOVERNMENT|GOVT\.?)\s+OF\s+(?:"
                  + "|".join(re.escape(g).replace("\\ ", "\\s+") for g in sorted(_GOVERNMENTS, key=len, reverse=True)) + ")")
_GOVERNMENT_START = re.compile(r"^\W*(?:\S{1,3}\s+)?(?P<org>" + _GOVERNMENT_OF + r")\b", re.I)
_HEADS = r"(?:DEPARTMENT|DEPTT?(?=\.)|DIVISION|DIRECTORATE|MINISTRY|SECRETARIAT)"
# The office the government's name runs into, in capitals or title case, up to its head word
# ('INDUSTRIES DEPARTMENT', 'DEPARTMENT OF FINANCE', 'DIRECTORATE OF EDUCATION'); what follows
# it on a flattened line (a town, 'Dated', a section in brackets) is not part of it.
_UNIT_AFTER = re.compile(
    r"[\s,:\-–]*(?P<unit>(?:(?:[A-Z][A-Za-z&'’.]*|&|and|AND)\s+){0,6}?(?i:" + _HEADS + r")\b"
    r"(?:(?:\s+|\.\s*)(?i:of|for)\s+(?:[A-Z][A-Za-z&'’.]*)(?:\s+(?:and|AND|&)\s+[A-Z][A-Za-z&'’.]*)?)?)")


def _government_and_unit(header: list[Line]) -> list[Line]:
    """A government's line that runs into its department is two lines; of two offices after
    it, joined by a comma ('Civil Secretariat, Finance Department'), the second is the unit."""
    out: list[Line] = []
    for line in header:
        m = _GOVERNMENT_START.match(line.text)
        unit = _unit_after(line.text, m.end("org")) if m else None
        if m and unit:
            out.append(Line(line.start + m.start("org"), line.start + m.end("org"), m.group("org")))
            out.append(Line(line.start + unit[0], line.start + unit[1], line.text[unit[0]:unit[1]]))
            rest = line.text[unit[1]:]
            lead = len(rest) - len(rest.lstrip(" ,:-–_"))
            if rest.strip(" ,:-–_"):  # 'Directorate of Agriculture' after 'Department of Agriculture'
                out.append(Line(line.start + unit[1] + lead, line.end, rest[lead:]))
        else:
            out.append(line)
    return out


def _from_government(header: list[Line]) -> list[Line]:
    """A letterhead line whose government's name follows the file number or OCR specks
    ('5/65/09-5FP1/397 GOVERNMENT OF PUNJAB DEPARTMENT OF FINANCE', a page reflowed from one
    line): the line from the government's name on; the number is read elsewhere."""
    out: list[Line] = []
    for line in header:
        at = government_in(line.text)
        prefix = line.text[:at] if at else ""
        if at and not re.search(r"\b[a-z]{3,}\b", prefix):
            out.append(Line(line.start + at, line.end, line.text[at:]))
        else:
            out.append(line)
    return out


# A government's name inside a flattened page line, after its file number:
# '...-17152/Gen. GOVERNMENT OF ODISHA GENERAL ADMINISTRATION ...', '... 56; Govt. of Tripura Dept.of ...'.
_GOVERNMENT_INSIDE = re.compile(r"(?<![A-Za-z])" + _GOVERNMENT_OF + r"\b", re.I)


def government_in(text: str) -> int | None:
    """Where the first government's name in ``text`` starts, or None."""
    m = _GOVERNMENT_INSIDE.search(text)
    return m.start() if m else None


def _unit_after(text: str, pos: int) -> tuple[int, int] | None:
    u = _UNIT_AFTER.match(text, pos)
    if not u:
        return None
    span = u.span("unit")
    nxt = _UNIT_AFTER.match(text, span[1]) if text[span[1]:span[1] + 2].startswith(",") else None
    return nxt.span("unit") if nxt else span


_WORD = re.compile(r"\S+")
_HEAD_WORD = re.compile(r"(?i)^(?:DEPARTMENT|DIRECTORATE|MINISTRY|DIVISION|COMMISSION|SECRETARIAT|OFFICE|BUREAU|BOARD|AUTHORITY)$")


def _shape(word: str) -> str | None:
    """'upper' for 'GOA', 'title' for 'Agriculture', None for minor words, marks and numbers."""
    letters = re.sub(r"[^A-Za-z]", "", word)
    if len(letters) < 2 or letters.lower() in _MINOR_WORDS or letters.lower() == "ng":
        return None
    if letters.isupper():
        return "upper"
    return "title" if letters[0].isupper() else None


def _name_segments(header: list[Line]) -> list[Line]:
    """A letterhead line that names several offices in a row is one line per name:
    'GOVERNMENT OF GOA Department of Agriculture Directorate of Agriculture' ->
    'GOVERNMENT OF GOA' / 'Department of Agriculture' / 'Directorate of Agriculture'.
    A name ends where the printing changes case (capitals to title case or back) or where a
    second office's head word ('Directorate of') starts; never after 'of', 'the' or '&'."""
    out: list[Line] = []
    for line in header:
        words = list(_WORD.finditer(line.text))
        starts = [0]  # word index where each name starts
        for k in range(1, len(words)):
            prev, word = words[k - 1].group(), words[k].group()
            if prev.lower().strip(",") in _MINOR_WORDS or k - starts[-1] < 2 or len(words) - k < 2:
                continue  # a name is two words at least: 'FINANCE [Pension] DEPARTMENT' is one
            since = [w.group() for w in words[starts[-1]:k]]
            follows = words[k + 1].group() if k + 1 < len(words) else ""
            if prev.lower() == "ng" and k >= 2:  # Filipino 'of': 'KAGAWARAN NG' beside 'Department of Justice'
                prev = words[k - 2].group()
            changes_case = _shape(prev) and _shape(word) and _shape(prev) != _shape(word) \
                and _shape(follows) in (_shape(word), None)
            if changes_case:
                starts.append(k)
            elif _HEAD_WORD.match(word.strip("(),")) and follows.lower() in ("of", "for", "on") \
                    and any(_UNIT.search(w) for w in since):
                # 'FEDERATION FEDERAL MINISTRY OF': the adjective belongs to the second name
                starts.append(k - 1 if _OFFICE_ADJECTIVE.match(prev) and k - 1 - starts[-1] >= 2 else k)
        if len(starts) == 1:
            out.append(line)
            continue
        cuts = [words[k].start() for k in starts[1:]]
        for a, b in zip([0] + cuts, cuts + [len(line.text)]):
            part = _TRAILING_HEADING.sub("", line.text[a:b]).rstrip(" _-–,:")
            out.append(Line(line.start + a, line.start + a + len(part), part))
    return out


_TRAILING_HEADING = re.compile(r"(?i)[\s_\-–]+(?:ORDER|CIRCULAR|NOTIFICATION|MEMORANDUM)\W*$")
_OFFICE_ADJECTIVE = re.compile(r"(?i)^(?:FEDERAL|STATE|CENTRAL|NATIONAL|PROVINCIAL|UNION|REGIONAL|DISTRICT)$")


def find_issuer(header: list[Line]) -> Issuer:
    """Organization and department from the letterhead lines (``header``)."""
    header = _merge_wrapped(_name_segments(_government_and_unit(_from_government(_latin_parts(header)))))
    government = next((line for line in header if _ORG_LINE.match(line.stripped.strip("()[]").strip())), None)
    org = org_span = dept = dept_span = None
    conf = 0.0
    for line in header:
        text = _name_of(line)
        if text is None:
            continue
        if _is_part_unit(text, under_office=dept is not None or government is not None):
            continue  # '(Wage Board Section)' under its ministry or government: a part of an office above it
        known = gazetteer.match_office(text)
        if government is not None and line is not government and _is_org_line(text) and not known:
            # 'National Electric Power Regulatory Authority' over 'Islamic Republic of Pakistan':
            # the government is the organization, the institution its office
            dept, dept_span = _clean_unit(text), line.content_span
            continue
        if org is None and (known and known[0]["kind"] == "organization" or _is_org_line(text)) \
                and (government is None or line is government):
            org = _known_or_printed(known[0], text, title_case) if known and known[0]["kind"] == "organization" \
                and _same_length(known[0]["matched"], text) else title_case(text)
            org = _with_printed_town(org, text)
            org_span, conf = line.content_span, (known[1] if known else 0.8)
            continue
        if _SEAT.match(text):
            continue  # 'Central Office', 'Head Office': where the office sits, not which office it is
        if dept is not None and _HEADS_OFFICE.match(text):
            continue  # the head's own office under the department
        if known and known[0]["kind"] == "department":
            dept, dept_span = _known_or_printed(known[0], text), line.content_span
        elif _UNIT.search(text) and (upper_ratio(text) > 0.5 or line.stripped.startswith("(") or _titled(text)) \
                and len(text.split()) <= 10:
            dept, dept_span = _clean_unit(text), line.content_span
    if org is None and dept is None:
        return Issuer(None, None, None, None, 0.0)
    if org is None:
        return _institution_as_organization(header, dept, dept_span)
    return Issuer(org, org_span, dept, dept_span, conf or 0.7)


def _known_or_printed(known: dict, printed: str, shape=None) -> str:  # noqa: ANN001 - a text function
    """The printed name when it is one of the gazetteer's spellings, abbreviations and '&'
    aside ('SERVICES AND GENERAL ADMINISTRATION DEPARTMENT' keeps 'AND', 'Azad Govt. of ...'
    its 'Govt.'); the gazetteer's name only repairs a name OCR damaged."""
    if _words(printed) == _words(known["matched"]):
        return known["matched"]  # the same words: the gazetteer's casing ('Quaid-i-Azam')
    spellings = {_spelling(a) for a in [known["name"], *known.get("aliases", [])]}
    if _spelling(printed) in spellings:
        return (shape or _clean_unit)(printed.strip(" |_-–:,;"))
    return known["matched"]


def _words(name: str) -> list[str]:
    return re.findall(r"[a-z]+|&", name.lower())


# Abbreviations offices print for the words of their names.
_NAME_ABBREVIATIONS = {"govt": "government", "deptt": "department", "dept": "department", "&": "and"}


def _spelling(name: str) -> str:
    return " ".join(_NAME_ABBREVIATIONS.get(w, w) for w in _words(name))


def _is_part_unit(text: str, *, under_office: bool) -> bool:
    """A numbered unit ('(Recruitment-II Section)', 'Internal Security Division-IV'), or a
    section, wing, branch or cell printed under a named office: a part of the office, not the
    department (corpus convention 3). Under an institution alone ('FEDERAL PUBLIC SERVICE
    COMMISSION' / '(EXAMINATION WING)') a wing is the most specific office named."""
    weak = bool(_WEAK_UNIT.search(text)) and not _STRONG_UNIT.search(text)
    return weak and under_office or bool(_NUMBERED_UNIT.search(text))


def _name_of(line: Line) -> str | None:
    """The name a letterhead line prints, or None for an address, a masthead, a list item
    ('3. The Senior Member, Board of Revenue'), a lone word ('Office')."""
    text = _TRAILING_HEADING.sub("", line.stripped).strip("()[]").strip(" _-–")
    marker = _MARKER.match(text)
    if marker:
        rest = text[marker.end():].strip()
        if not (_ORG_LINE.match(rest) or _is_org_line(rest)) or re.match(r"(?i)(?:the|all)\s", rest):
            return None  # an item of a list, not a letterhead
        text = rest  # OCR specks before a government's or an institution's name
    address = _ADDRESS.search(text)
    if address:
        text = _institution_before_address(text[:address.start()])
    if text is None or len(text) < 4 or _MASTHEAD.search(text) or len(text.split()) < 2:
        return None
    if re.search(r"(?i)\b(?:of|the|and)\W*$|&\W*$", text):
        return None  # 'GOVERNMENT OF' with its name lost: a name cut off is no name
    return text


def _institution_before_address(text: str) -> str | None:
    """'EMPLOYEES' STATE INSURANCE CORPORATION PANCHDEEP BHAWAN : ...': an institution's name
    printed on one line with its address ends at its institution word; any other line with an
    address is no name."""
    last = None
    for last in _INSTITUTION.finditer(text.upper()):
        pass
    if last is None or upper_ratio(text) <= 0.8:
        return None
    name = text[:last.end()].strip()
    return name if _is_org_line(name) else None


def _institution_as_organization(header: list[Line], dept: str, dept_span: tuple[int, int]) -> Issuer:
    """No government line: the first office the letterhead names is the organization
    ('Central Vigilance Commission', 'MINISTRY OF EDUCATION', 'OFFICE OF THE PR. CONTROLLER
    OF DEFENCE ACCOUNTS'), and a later, more specific one its department."""
    for line in header:
        text = line.stripped.strip("()[]").strip()
        if len(text) < 4 or _ADDRESS.search(text) or not _UNIT.search(text) or len(text.split()) > 10 \
                or _is_part_unit(text, under_office=False):
            continue
        if not (upper_ratio(text) > 0.5 or _titled(text)):
            continue
        if line.content_span == dept_span:
            return Issuer(_clean_unit(text), line.content_span, None, None, 0.6)
        return Issuer(_clean_unit(text), line.content_span, dept, dept_span, 0.6)
    return Issuer(dept, dept_span, None, None, 0.6)


_MINOR_WORDS = frozenset({"of", "and", "the", "for", "in", "on", "&"})


def _titled(text: str) -> bool:
    """A name printed in title case: 'Department of Higher Education', not a sentence."""
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", text)
    return len(words) >= 2 and all(w[0].isupper() for w in words if w.lower() not in _MINOR_WORDS)


def _same_length(known: str, printed: str) -> bool:
    """The gazetteer's name repairs OCR damage in the printed one, word for word; a name with
    more words ('Government of Azad Jammu & Kashmir' for 'Government of Jammu and Kashmir')
    is another body, never put in its place."""
    def words(t: str) -> list[str]:
        return re.findall(r"[A-Za-z]+", t.replace("&", " and "))
    return len(words(known)) == len(words(printed))


def _with_printed_town(name: str, printed: str) -> str:
    """'University of Engineering and Technology, Lahore', 'Government College University
    Faisalabad': a town ending the printed name is part of it (the Lahore, Peshawar and
    Taxila universities are different institutions), as printed, with or without a comma."""
    m = re.search(r"(,?)\s+([A-Za-z]+)\W*$", printed)
    town = gazetteer.place_names().get(m.group(2).lower()) if m else None
    if town and town.lower() not in name.lower() and m.group(2).lower() not in name.lower():
        return f"{name}{m.group(1)} {town}"
    return name


def _is_org_line(text: str, *, titled: bool = True) -> bool:
    """An organization's line: a government, a republic, or an institution's name in capitals
    ('ALLAMA IQBAL OPEN UNIVERSITY') or, with ``titled``, in title case ('Central Vigilance
    Commission'). Splitting documents asks without ``titled``: a signature's 'Provincial
    Assembly of Sindh' above an endorsement does not open another document."""
    if _ORG_LINE.match(text) or _ADMINISTRATION.match(text) and not re.search(r"(?i)general\s+administration", text):
        return True
    named = upper_ratio(text) > 0.8 or titled and _titled(text) and not re.match(r"(?i)\W*(office|department|ministry)\b", text)
    return named and bool(_INSTITUTION.search(letters_upper(text))) and len(text.split()) <= 8


def _clean_unit(text: str) -> str:
    text = trim_trailing_specks(squeeze(text.strip("()[]-–:,. ")))
    return title_case(text.strip("()[]-–:,. "))


def is_letterhead_line(text: str) -> bool:
    """A line that opens a document: 'GOVERNMENT OF PAKISTAN', a university name in capitals."""
    text = text.strip().strip("()[]").strip()
    if len(text) < 8 or len(text) > 70:
        return False
    if _is_org_line(text, titled=False):
        return True
    if re.search(r",\s*[A-Z][a-z]+\.?$", text) and _is_org_line(text):
        return True  # an institution with its town: 'University of Engineering and Technology, Lahore'
    heading = re.search(r"\s+(?:NOTIFICATION|CIRCULAR|OFFICE\s+ORDER|ORDER|OFFICE\s+MEMORANDUM)\W*$", text)
    if heading and _is_org_line(text[:heading.start()].strip(" ,")):
        return True  # 'Peshawar High Court, Peshawar NOTIFICATION': the name with its heading
    shape = letters_upper(text)
    if upper_ratio(text) > 0.8 and shape.startswith(("GOVERNMENT OF", "GOVT OF")):
        return True
    for prefix in ("GOVERNMENT OF PAKISTAN", "GOVERNMENT OF INDIA", "GOVERNMENT OF THE PUNJAB", "GOVERNMENT OF SINDH",
                   "GOVERNMENT OF KHYBER PAKHTUNKHWA", "GOVERNMENT OF BALOCHISTAN"):
        if upper_ratio(text) > 0.8 and fuzz.ratio(shape, prefix) >= 85:
            return True
    return False
