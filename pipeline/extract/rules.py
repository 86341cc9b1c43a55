"""Cited instruments (Acts, Rules, Regulations, Codes, Ordinances, Orders, Policies, Manuals,
the Constitution) and their provisions (corpus/README.md, convention 6).

Instrument mentions are capitalised titles ending in a keyword ('Government Servants
(Conduct) Rules, 1964', 'The Prevention of Electronic Crimes Act, 2016', 'Senior Services Pool
Order, 1979'), titles opening with it ('the Code of Civil Procedure', a quoted '"Regulations
for the ..."'), titles in capitals read from their 'THE' with their year ('THE WAGES ACT
1964'), acts cited by number alone ('Act No. XIII of 2018') or gazetteer short forms ('PECA',
'ESTACODE'); the gazetteer gives the canonical title only when jurisdiction and name agree,
otherwise the printed title is kept (cleaned, without 'The'). Fragments ('Acts, Rules'), code
numbers, papers ('Office Order No.'), schemes, programmes and Bills are not instruments.
Provisions ('Rule 18', 'Rules 21, 25 and 25-A', 'Sections 3 to 5', 'Section 5(1)', 'Article
54(3)', 'FR 17', 'Schedule-III', 'First Schedule, Part-III') attach to the instrument named
after them ('of the X Act', 'Section 5, X Code'), to the last one named ('the Rules ibid', 'the
said Rules', 'the Act'), or to the nearest earlier instrument of a compatible kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.extract import gazetteer

_KEYWORD = re.compile(
    r"(?<![-–])\b(Rules\s+and\s+Regulations|Rules|Act|Ordinance|Regulations|Code|Statutes|Policy|Manual|Order)\b"
    r"(?!,?\s+(?:Rules|Act|Ordinance|Regulations|Order)\b)")  # 'Export Policy Order' is one title
# A title in capitals ('THE WAGES ACT 1964', 'THE ADVOCATES ACT, CAP. 267') counts only with the
# year or chapter printed after it: a heading that merely contains 'RULES' names nothing.
_CAPS_KEYWORD = re.compile(
    r"\b(?:RULES|ACT|ORDINANCE|REGULATIONS|CODE)\b(?:[ \t]+OF[ \t]+(?:THE[ \t]+)?[A-Z]{3,}(?:[ \t]+[A-Z]{3,})?)?"
    r"(?=[ \t]*,?[ \t]*(?:(?:18|19|20)\d\d\b|CAP\.?[ \t]*\d))")
_CAPS_TITLE_WORD = re.compile(r"[A-Z][A-Z&'’.-]*,?|\([A-Z][A-Z ,&'’.-]*\)")
# The word that opens a title in capitals: its 'THE', or the word that introduces it.
_CAPS_STOP = frozenset({"THE", "IN", "UNDER", "TO", "BY", "PER", "AMENDMENTS", "AMENDMENT", "SUBJECT", "SUB", "RE", "VIDE",
                        "FOR", "REGARDING", "CONCERNING", "WITH", "AS", "FROM", "INTO", "THROUGH", "VIA", "UPON", "AGAINST"})
_CAPS_NOT_BEFORE_KEYWORD = frozenset({"OF", "AND", "&", "ON", "AT"})  # 'IMPLEMENTATION OF RULES 2019' names none
# 'Order' names an instrument only as a title ('Senior Services Pool Order, 1979', 'the Export
# Policy Order'), never as a paper ('Government Order No.', 'Office Order', 'By Order of').
_NOT_ORDER_WORDS = frozenset({
    "government", "office", "memorandum", "department", "departmental", "executive", "standing",
    "court", "transfer", "posting", "promotion", "sanction", "speaking", "final", "interim", "by",
    "secretariat", "division", "ministry", "commission's", "board", "committee", "authority's",
})
# A title that goes on after its keyword: 'Code of Conduct and Ethics', 'Rules of Business'.
_OF_TAIL = re.compile(r"\s+(?:of|on)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:and|&)\s+[A-Z][\w'’-]*|\s+[A-Z][\w'’-]*){0,4}")
# A number or volume that belongs to the title: 'Republic Act No. 7722', 'Postal Manual Vol. IV'.
_NUMBERED_TAIL = re.compile(r"\s+(?:No\.?\s?\d{1,5}(?![\d/-])|Vol(?:ume)?\.?\s?[-–]?\s?(?:[IVX]{1,4}|\d{1,2})\b)")
# 'Act No. 2 of 2016' after a title: the number is the year's act number, not part of the name.
_NUMBER_OF_YEAR = re.compile(r"\s+No\.?\s?\d{1,4}\s+of\s+(?P<year>(?:18|19|20)\d\d)\b")
# 'sub-section (1) of Section 25' is 'Section 25(1)'.
_SUB_OF = re.compile(r"(?i)\b(?:sub-?(section|rule|para(?:graph)?)|clause)\s*\(\s*(\w{1,4})\s*\)\s+of\s+(?:the\s+)?"
                     r"(section|rule|para(?:graph)?|article)\s*[-–]?\s*(\d{1,3}[A-Z]?(?:-[A-Z])?)(?![\dA-Z(-]|\s\()")
_CONSTITUTION = re.compile(
    r"\bConstitution(?:\s+of\s+(?P<printed>(?:the\s+)?(?:(?:Islamic|People[’']?s|Federal|Democratic|Socialist|United)\s+)*"
    r"(?:Republic\s+of\s+(?:the\s+)?)?(?P<country>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)))?"
    r"|\bCONSTITUTION[ \t]+OF[ \t]+(?P<caps>(?:THE[ \t]+)?(?:(?:ISLAMIC|PEOPLE[’']?S|FEDERAL|DEMOCRATIC|SOCIALIST|UNITED)[ \t]+)*"
    r"(?:REPUBLIC[ \t]+OF[ \t]+(?:THE[ \t]+)?)?(?P<ccountry>[A-Z]{3,}(?:[ \t]+[A-Z]{3,})?))")
# 'Constitution of Department Promotion Committee' is the forming of a body, not an instrument.
_BODY_AFTER = re.compile(r"\s+(?:Committee|Board|Council|Panel|Team|Cell|Commission|Group|Authority|Tribunal|Court|Bench)s?\b")
_GAZETTEER_COUNTRIES = {"pakistan": "PK", "india": "IN"}  # whose Constitutions the gazetteer knows
_YEAR_AFTER = re.compile(
    r"^\s*,?\s*(?:of\s+)?(?P<year>(?:18|19|20)\d\d)\b"
    # the year only in the act number or short form printed after the title:
    # '(XL of 1997)', '(ACT No. VI of 2015)', '(Central Act 67 of 1957)', '(CoCE, 2015)'
    r"|^\s*,?\s*\((?:[A-Za-z]+\s+)*?(?:No\.?\s*)?(?:[IVXLC]{1,7}|\d{1,4})\s+of\s+(?P<actyear>(?:18|19|20)\d\d)\s*\)"
    r"|^\s*\(\s*[A-Za-z]{2,8}\s*,\s*(?P<shortyear>(?:18|19|20)\d\d)\s*\)")
_CONNECT = {"of", "and", "&", "for", "on", "to", "in", "from"}  # Removal from Service ... Ordinance
_LEAD_STOP = {
    "the", "this", "these", "said", "above", "under", "in", "as", "with", "further", "furthermore",
    "besides", "vide", "per", "also", "see", "refer", "relevant", "applicable", "existing", "new",
    "all", "any", "same", "such", "of", "and", "&", "for", "on", "to", "accordance", "kindly",
    "attention", "however", "moreover", "violation", "rule", "rules", "section", "article",
    "through", "by", "via", "from", "amended", "made", "promulgated", "notified",
}
_NUM = r"(?:\d{1,3}(?:\.\d{1,2}(?!\d))?(?:[A-Z]{1,3}(?![A-Za-z]))?(?:\s?-\s?[A-Z](?![a-z])|\.[A-Z](?![\w.]))?|(?<=Chapter )[IVXL]{1,6}\b)(?:\s?\((?:[0-9]{1,3}|[a-z]{1,4}|[ivx]{1,5}|[A-Z])\))*"
_PROVISION = re.compile(
    rf"\b(?P<label>(?i:sub-?rules?|rules?|sub-?sections?|sections?|articles?|clauses?|regulations?)|"
    rf"F\.?\s?R\.?|S\.?\s?R\.?|(?i:para(?:graph)?s?)|Chapter)\s*(?:[-–]\s*)?(?P<nums>{_NUM}(?:\s*(?:,|and|&)\s*{_NUM}|\s+to\s+\d{{1,3}}\b)*)"
    rf"|\b(?P<sched>Schedules?)\s*[-–]?\s*(?P<snum>[IVX]{{1,5}}|\d{{1,2}})\b"
)
_IBID = re.compile(r"^\s*(?:respectively\s+)?(?:of|under|in)\s+(?:the\s+)?(?:said\s+)?(?:Rules?|Act|Ordinance|Regulations?)?\s*(?:ibid|ibidem|id\.)\b|^\s*(?:of|under|in)\s+the\s+said\s+(?:Rules|Act)", re.I)
_OF = re.compile(r"^\s*(?:respectively\s+)?(?:of|under|in|to)\s+(?:the\s+)?", re.I)
# Provisions printed together for one purpose share their instrument: 'Rules 8 and 9',
# 'Article 54, read with Article 61 of the Constitution'.
_CHAIN = re.compile(r"\s*(?:,|and|&|,?\s*read\s+with)\s*")


@dataclass
class CitedInstrument:
    title: str
    year: int | None
    gazetteer_id: str | None
    kind: str
    span: tuple[int, int]
    confidence: float
    provisions: list[str] = field(default_factory=list)
    as_printed: str | None = None  # the title as first printed, beside the gazetteer's


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    title: str
    year: int | None
    gid: str | None
    kind: str
    confidence: float
    printed: str = ""  # the title as the text prints it (OCR damage and all)


def find_cited_rules(text: str, *, jurisdiction: str | None = None) -> list[CitedInstrument]:
    """Instruments in order of first mention, each with its provisions (natural order)."""
    jurisdiction = jurisdiction.upper() if jurisdiction else None  # 'pk-kp' and 'PK-KP' are one code
    mentions = _mentions(text, jurisdiction)
    cited: dict[tuple, CitedInstrument] = {}
    order: list[tuple] = []
    owner_at: list[tuple[int, tuple]] = []
    for mention in mentions:
        key = _identity(mention, cited)
        if key not in cited:
            cited[key] = CitedInstrument(mention.title, mention.year, mention.gid, mention.kind,
                                         (mention.start, mention.end), mention.confidence,
                                         as_printed=mention.printed or mention.title)
            order.append(key)
        elif cited[key].year is None and mention.year:
            cited[key].year = mention.year
        printed = mention.printed or mention.title
        if (cited[key].as_printed or "").isupper() and not printed.isupper():
            # a heading in capitals named it first; the body prints how the title is written
            cited[key].as_printed = printed
            if cited[key].title.isupper():
                cited[key].title = mention.title
        owner_at.append((mention.start, key))
    compounds = [m.span() for m in _SECTION_OF_RULE.finditer(text)]
    provisions = [m for m in _PROVISION.finditer(text)
                  if not any(x.start <= m.start() < x.end for x in mentions) and not any(a <= m.start() < b for a, b in compounds)]
    targets: list = [None] * len(provisions)
    for k in range(len(provisions) - 1, -1, -1):
        m = provisions[k]
        label, numbers = _provision_parts(m)
        if not numbers:
            continue
        same_label = k + 1 < len(provisions) and _provision_parts(provisions[k + 1])[0] == label
        chained = same_label and _CHAIN.fullmatch(text[m.end():provisions[k + 1].start()])
        explicit = _OF.match(text[m.end():m.end() + 12]) or _IBID.match(text[m.end():m.end() + 60])
        if chained and not explicit and targets[k + 1] is not None:
            targets[k] = targets[k + 1]
        else:
            targets[k] = _attach(text, m, label, mentions, owner_at, cited, order, jurisdiction)
    for m, target in zip(provisions, targets):
        label, numbers = _provision_parts(m)
        if target is None or not numbers:
            continue
        for number in numbers:
            shown = "Rule" if label in ("FR", "SR") and cited[target].gazetteer_id is None else label
            provision = f"{label}-{number}" if label == "Schedule" else f"{shown} {number}"
            if provision not in cited[target].provisions:
                cited[target].provisions.append(provision)
    for provision, target in _compound_provisions(text, mentions, owner_at):
        if provision not in cited[target].provisions:
            cited[target].provisions.append(provision)
    out = sorted((cited[k] for k in order), key=lambda c: c.span[0])
    subs = _sub_provisions(text)
    for item in out:
        item.provisions = _with_subs(item.provisions, subs)
        item.provisions.sort(key=_natural)
    return out


def _sub_provisions(text: str) -> dict[str, str]:
    """'Section 25' -> 'Section 25(1)' for every 'sub-section (1) of Section 25' or 'section 25,
    sub-section (1)' in ``text``."""
    out = {}
    for m in _SUB_OF.finditer(text):
        label = _LABELS.get(re.sub(r"[^a-z]", "", m.group(3).lower()), m.group(3).title())
        out[f"{label} {m.group(4)}"] = f"{label} {m.group(4)}({m.group(2)})"
    for m in _THEN_SUB.finditer(text):
        label = _LABELS.get(re.sub(r"[^a-z]", "", m.group("label").lower()), m.group("label").title())
        out.setdefault(f"{label} {m.group('num')}", f"{label} {m.group('num')}({m.group('sub')})")
    return out


# The sub-division printed after its provision: 'section 34, sub-section (4) of the ...'.
_SUB_AFTER = re.compile(r"^\s*,\s*(?i:sub-?(?:section|rule|para(?:graph)?)|clause)\s*\(\s*\w{1,4}\s*\)")
_THEN_SUB = re.compile(r"(?i)\b(?P<label>section|rule|para(?:graph)?|article)\s*[-–]?\s*(?P<num>\d{1,3}[A-Z]?)"
                       r"\s*,\s*(?:sub-?(?:section|rule|para(?:graph)?)|clause)\s*\(\s*(?P<sub>\w{1,4})\s*\)")


def _with_subs(provisions: list[str], subs: dict[str, str]) -> list[str]:
    if not subs:
        return provisions
    kept = [subs.get(p, p) for p in provisions if not re.match(r"Sub-(?:section|rule)\s", p)]
    return list(dict.fromkeys(kept))


def _identity(mention: _Mention, cited: dict) -> tuple:
    if mention.gid:
        return ("id", mention.gid)
    title = mention.title.lower()
    for key, item in cited.items():
        if item.title.lower() == title and (mention.year is None or item.year in (None, mention.year)):
            return key
    for key, item in cited.items():
        if mention.year and item.year == mention.year and _loose(item.title) == _loose(mention.title):
            return key  # one title printed two ways: 'Courts and Law Code, 1949', 'Courts and Laws Code, 1949'
        if mention.year and item.year == mention.year and _abbreviates(mention.title, item.title):
            return key
    if mention.year is None and not mention.gid:
        # a shortened back-reference to a title named before: 'Assam Ministerial Dist. Esstt.
        # Service Rules, 1967' ... 'to amend the Service Rules accordingly'
        for key, item in cited.items():
            if item.title.lower().endswith(" " + title) and len(item.title) > len(title):
                return key
    return ("title", title, mention.year)


def _loose(title: str) -> str:
    return " ".join(re.sub(r"s$", "", w) for w in re.findall(r"[a-z]+", title.lower()))


def _abbreviates(short: str, full: str) -> bool:
    """'HCS (RP) Rules' for 'Haryana Civil Services (Revised ) Rules' (same keyword and year):
    the short form's initials are the initials of the full title's first words."""
    head, *rest = short.split()
    if not re.fullmatch(r"[A-Z]{2,6}", head) or not rest or rest[-1] != full.split()[-1]:
        return False
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", full))
    return initials.upper().startswith(head)


def _mentions(text: str, jurisdiction: str | None) -> list[_Mention]:
    found: list[_Mention] = []
    for m in _KEYWORD.finditer(text):
        title, start = _title_before(text, m.start())
        if not title:
            continue
        title, start = _without_provision_head(title, start, text)
        if not _names_an_instrument(title) or _only_a_government(title) and _BARE_NUMBERED.match(text, start):
            continue
        keyword_end = m.end()
        tail = _OF_TAIL.match(text, m.end()) if m.group(1) in ("Code", "Rules", "Regulations") else None
        if tail and not re.search(r"\d", tail.group()):
            keyword_end = tail.end()
        numbered = _NUMBERED_TAIL.match(text, keyword_end)
        act_number = _NUMBER_OF_YEAR.match(text, keyword_end)
        if numbered and not act_number:  # 'Republic Act No. 7722', 'Postal Manual Vol. IV'
            keyword_end = numbered.end()
        if m.group(1) == "Order" and not _names_an_order(title, text, start, keyword_end):
            continue
        if m.group(1) == "Code" and not _names_a_code(title, text, keyword_end):
            continue
        goes_on = _NAME_GOES_ON.match(text, m.end())
        if goes_on and goes_on.group().strip().lower() not in gazetteer.JURISDICTION_WORDS:
            continue  # the Commission's Employment Policy Adviceline only contains the word Policy
        if _is_alias(text, start, keyword_end):
            continue
        title = f"{title} {' '.join(text[m.start():keyword_end].split())}"
        year, end = _year_after(text, keyword_end)
        if act_number and year is None:
            year, end = int(act_number.group("year")), act_number.end()
        if re.match(r"^\s*(?:ibid|ibidem)\b", text[m.end():m.end() + 8], re.I):
            continue
        found.append(_resolve(title, year, start, end, jurisdiction, text))
    found += _numbered_mentions(text, found)
    found += _keyword_first_mentions(text, jurisdiction, found)
    found += _caps_mentions(text, jurisdiction, found)
    for m in _CONSTITUTION.finditer(text):
        inside = any(x.start <= m.start() < x.end for x in found)
        if not inside and not _BODY_AFTER.match(text, m.end()):
            found.append(_constitution(text, m, jurisdiction))
    for pattern, alias in _short_forms():
        for m in pattern.finditer(text):
            if any(x.start <= m.start() < x.end for x in found):
                continue
            year, end = _year_after(text, m.end())
            hit = gazetteer.match_instrument(alias, year, jurisdiction=jurisdiction)
            if hit and not jurisdiction and len(_instrument_aliases_of(alias)) > 1:
                hit = None  # a short form several countries use, in a text of no known country
            if hit:
                inst, score = hit
                found.append(_Mention(m.start(), end, inst.title,
                                      year or _printed_year(text, inst.year), inst.id, inst.kind, score * 0.9, m.group()))
    found.sort(key=lambda x: x.start)
    return found


def _constitution(text: str, m: re.Match[str], jurisdiction: str | None) -> _Mention:
    """The Constitution a document cites: the gazetteer's only for the country the text
    prints ('Constitution of India') or, when it prints none, the document's own country as
    its letterhead says; otherwise the title as printed ('Constitution of Zambia'). A
    Bangladeshi or Zambian text is never given Pakistan's Constitution."""
    country = (m.group("country") or m.group("ccountry") or "").lower()
    jur = _GAZETTEER_COUNTRIES.get(country) if country else (jurisdiction or "").split("-")[0] or None
    hit = gazetteer.match_instrument("Constitution", None, jurisdiction=jur) if jur in _GAZETTEER_COUNTRIES.values() else None
    year, end = _year_after(text, m.end())
    if hit:
        inst, _ = hit
        return _Mention(m.start(), end, inst.title, year or _printed_year(text, inst.year), inst.id, inst.kind, 0.9,
                        text[m.start():m.end()])
    if m.group("caps"):
        title = " ".join(m.group().split())
    else:
        title = "Constitution" + (f" of {' '.join(m.group('printed').split())}" if m.group("printed") else "")
    return _Mention(m.start(), end, title, year, None, "constitution", 0.7, title)


def _year_after(text: str, pos: int) -> tuple[int | None, int]:
    """The year printed right after a title at ``pos`` and where the title's mention ends."""
    ym = _YEAR_AFTER.match(text[pos:pos + 40])
    if not ym:
        return None, pos
    return int(ym.group("year") or ym.group("actyear") or ym.group("shortyear")), pos + ym.end()


def _names_an_order(title: str, text: str, start: int, end: int) -> bool:
    """'Senior Services Pool Order, 1979', 'read with the Provincial Consultation Order': a titled
    Order of two or more words, printed with its year or cited as law, and not a numbered paper."""
    words = [w.strip(",.()").lower() for w in re.sub(r"^(?:The|THE)\s+", "", title).split()]
    # a paper's qualifier just before 'Order' ('Government Order', 'Transfer Order'); inside a
    # title the word names the subject ('Local Government Finance (Scotland) Order 2013')
    if len(words) < 2 or words[-1] in _NOT_ORDER_WORDS or "by" in words \
            or re.match(r"\s*(?:No\b|Nos\b|#|(?!(?:18|19|20)\d\d\b(?![/-]\d))\d)", text[end:end + 7]):  # 'Order 2013' is its year
        return False
    year, _ = _year_after(text, end)
    return year is not None or bool(_ORDER_CITED.search(text[max(0, start - 20):start]))


# Without its year an Order is an instrument only where one is cited: 'read with the Provincial
# Consultation Order', 'under the X Order' (not 'issue the Pension Payment Order').
_ORDER_CITED = re.compile(r"\b(?:of|under|with|called|per)\s+the\s+$", re.I)


# A capitalised word right after the keyword, on its line, carries the name on: 'Policy
# Adviceline', 'Act Implementation Unit' (a provision, a number or a volume does not).
_NAME_GOES_ON = re.compile(
    r"[ \t]+(?!(?:No|Nos|Vol|Volume|Part|Chapter|Section|Sections|Rule|Rules|Article|Articles|Schedule|Para|"
    r"Regulation|Regulations|Order|Act|Ordinance|Code|Cap|The|This|In|And|Of|For|On|To|Under|As|By)\b)[A-Z][a-z]{2,}")
# 'Republic Act No 7722, otherwise known as the "Higher Education Act of 1994"': a second name
# of the instrument just cited; '(Sindh Ordinance X of 1973)': the number of the one before it. 'known a8' is OCR's 'known as'.
_ALIAS_BEFORE = re.compile(r"(?:otherwise\s+known\s+a\w|also\s+called|hereinafter\s+(?:referred\s+to\s+as|called))\s+(?:the\s+)?[\"“‘']?\s*$", re.I)
_NUMBER_AFTER = re.compile(r"\s+(?:No\.?\s*)?(?:[IVXLC]{1,7}|\d{1,4})\s+of\s+(?:18|19|20)\d\d\s*\)")


def _is_alias(text: str, start: int, keyword_end: int) -> bool:
    if _ALIAS_BEFORE.search(text[max(0, start - 40):start]):
        return True
    return text[max(0, start - 2):start].strip() == "(" and bool(_NUMBER_AFTER.match(text, keyword_end))


# An act cited by its number alone: 'Act No. XIII of 2018', 'Punjab Act No. XIII of 2018'.
_BARE_NUMBERED = re.compile(
    r"(?:[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+)?(?P<kw>Act|Ordinance)\s+No\.?\s*(?:[IVXLC]{1,7}|\d{1,4})\s+of\s+(?P<year>(?:18|19|20)\d\d)\b")
# ... unless the title follows: 'Act No. 8 of 1984 entitled "The Ports (Amendment) Act, 1984"'.
_TITLE_FOLLOWS = re.compile(r"\s*,?\s*(?:entitled|titled|called|namely|i\.\s?e\.|otherwise|\(|[“\"])", re.I)


def _only_a_government(title: str) -> bool:
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", title)]
    return bool(words) and all(w in gazetteer.JURISDICTION_WORDS for w in words)


def _in_brackets(text: str, pos: int) -> bool:
    """Inside an open bracket on its line: '(Laws, Act No. 2 of 2016)' cites by number what is named outside."""
    before = text[max(text.rfind("\n", 0, pos) + 1, pos - 60):pos]
    return before.count("(") > before.count(")")


def _numbered_mentions(text: str, found: list[_Mention]) -> list[_Mention]:
    """Acts cited only by number and year, as printed, with that year."""
    out = []
    for m in re.finditer(r"\b(?:Act|Ordinance)\s+No\b", text):
        start = m.start()
        gov = re.search(r"([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+$", text[max(0, start - 40):start])
        if gov and _only_a_government(gov.group(1)):
            start -= len(gov.group())
        elif gov:
            continue  # a titled act: its number is read with the title
        hit = _BARE_NUMBERED.match(text, start)
        if (not hit or any(x.start <= m.start() < x.end for x in found)
                or _in_brackets(text, start) or _TITLE_FOLLOWS.match(text, hit.end())):
            continue
        out.append(_Mention(start, hit.end(), " ".join(hit.group().split()), int(hit.group("year")), None,
                            "ordinance" if hit.group("kw") == "Ordinance" else "act", 0.6))
    return out


# Titles that open with their keyword: 'the Code of Civil Procedure, 1908', 'the Rules of
# Business', and quoted ones: '"Regulations for the ... Examination ..." 2006'.
_KEYWORD_FIRST = re.compile(r"\bthe\s+(?P<kw>Code|Rules|Regulations|Manual)\b")
_QUOTED_TITLE = re.compile(r"[“\"](?P<title>(?:Rules|Regulations|Code)\s+(?:for|of|on|governing)\s[^”\"\n]{0,200}(?:\n[^”\"\n]{1,200}){0,2})[”\"]")


def _title_tail(text: str, m: re.Match[str]) -> re.Match[str] | None:
    """The words that carry a keyword-first title on ('of Civil Procedure'); a 'Manual on'
    is a guide, not a title."""
    tail = _OF_TAIL.match(text, m.end())
    if not tail or re.search(r"\d", tail.group()) or m.group("kw") == "Manual" and tail.group().split()[0] == "on":
        return None
    return tail


def _keyword_first_mentions(text: str, jurisdiction: str | None, found: list[_Mention]) -> list[_Mention]:
    out = []
    for m in _KEYWORD_FIRST.finditer(text):
        tail = _title_tail(text, m)
        if not tail or any(x.start <= m.end() < x.end for x in found):
            continue
        year, end = _year_after(text, tail.end())
        if year is None and len([w for w in tail.group().split() if w not in ("of", "on", "the")]) < 2:
            continue  # 'the Code of Conduct' alone may be any code; with two words or a year it is a title
        title = " ".join(text[m.start("kw"):tail.end()].split())
        out.append(_resolve(title, year, m.start("kw"), end, jurisdiction, text))
    for m in _QUOTED_TITLE.finditer(text):
        if any(x.start <= m.start("title") < x.end for x in found + out):
            continue
        year, end = _year_after(text, m.end())
        out.append(_resolve(" ".join(m.group("title").split()), year, m.start("title"), end, jurisdiction, text))
    return out


def _caps_mentions(text: str, jurisdiction: str | None, found: list[_Mention]) -> list[_Mention]:
    """Titles printed in capitals with their year or chapter: 'THE WAGES ACT 1964',
    'IN KHYBER PAKHTUNKHWA UNIVERSITIES ACT 2012' (the title starts after 'THE' or 'IN')."""
    out = []
    for m in _CAPS_KEYWORD.finditer(text):
        if any(x.start <= m.start() < x.end for x in found):
            continue
        words: list[re.Match[str]] = []
        pos, opened = m.start(), False
        for tok in reversed(list(_CAPS_TITLE_WORD.finditer(text, max(0, pos - 160), pos))):
            gap = text[tok.end():words[-1].start() if words else pos]
            if not re.fullmatch(r"[ \t]*\n?[ \t]*", gap):
                break
            if tok.group().rstrip(",") in _CAPS_STOP:
                opened = True
                break
            words.append(tok)
        if not opened or not words or words[0].group().rstrip(",") in _CAPS_NOT_BEFORE_KEYWORD:
            continue  # a title in capitals is read from the word that opens it, never from a cut line
        start = words[-1].start()
        title = " ".join(text[start:m.end()].split())
        if not _names_an_instrument(" ".join(text[start:words[0].end()].split())) or _is_alias(text, start, m.end()):
            continue
        year, end = _year_after(text, m.end())
        out.append(_resolve(title, year, start, end, jurisdiction, text))
    return out


def _instrument_aliases_of(alias: str) -> list[dict]:
    return [e for e in gazetteer.load("instruments") if alias in e["aliases"]]


def _printed_year(text: str, year: int | None) -> int | None:
    """The gazetteer's year of an instrument only when the document prints it: the record
    says what the document says, and a year it does not print may be another edition's."""
    return year if year and re.search(rf"(?<!\d){year}(?!\d)", text) else None


@lru_cache(maxsize=1)
def _short_forms() -> list[tuple[re.Pattern[str], str]]:
    """Gazetteer aliases that carry no keyword ('PECA', 'ESTACODE', 'Esta Code')."""
    out = []
    for entry in gazetteer.load("instruments"):
        for alias in entry["aliases"]:
            if not _KEYWORD.search(alias) and (len(alias) >= 4 or alias.isupper() and len(alias) == 3) and "Constitution" not in alias and "." not in alias and alias not in {"FR", "SR"}:
                out.append((re.compile(rf"\b{re.escape(alias)}\b"), alias))
    return out


def _title_before(text: str, pos: int) -> tuple[str | None, int]:
    before = text[max(0, pos - 160) : pos]
    tokens = list(re.finditer(r"\([^()]{1,70}\)|[A-Za-z][\w’'&.-]*,?|&", before))
    picked: list[re.Match[str]] = []
    for tok in reversed(tokens):
        word = tok.group()
        gap = before[tok.end() : (picked[-1].start() if picked else len(before))]
        bracket_comma = picked == [] and word.startswith("(") and re.fullmatch(r",\s*", gap)  # '(Provident Fund), Rules'
        if re.search(r"[^\s,]", gap) or (picked == [] and "," in gap and not bracket_comma) or gap.count("\n") >= 2:
            break  # a title does not run across a blank line (a subject printed above it)
        if re.search(r"\d[ \t]?[-–]?[ \t]?\Z", before[: tok.start()]) or re.search(r"^\(.*\d", word):
            break  # the 'A' of 'Rule 17-A of the ...', the 'BAC' of 'section 115BAC' end a provision
        if word.endswith(",") and picked and not picked[-1].group().startswith("("):
            # 'Efficiency, Discipline and Accountability Act' keeps its comma; '1964, X Rules' does not
            if not re.match(r"[A-Z]", picked[-1].group()) or word[:-1].lower() in _LEAD_STOP:
                break
            if not any(t.group() in ("and", "&") for t in picked):
                break  # a list comma: 'the Road Map, FEC Handbook' are two papers
        after_word = before[tok.end():tok.end() + 6]
        if (re.match(r"(?i)(?:schedule|section|rule|article|clause|para|regulation|chapter|part|volume|annexure|appendix)s?\b|sub-", word)
                and (re.match(r"\s*[-–]?\s*(?:\d|[IVX]+\b|\()", after_word) or re.search(r"[-–]\w", word))
                or re.match(r"[FS]\.?R\.?[-–]\d", word)) and not picked == []:
            break
        internal_the = word == "the" and picked and _left_word(tokens, tok) == "of"
        if word in ("The", "THE") and picked:
            picked.append(tok)
            break  # a title starts at its 'The': 'Assets The Black Money ... Act' is two things
        if word.rstrip(",") in _TITLE_CASE_OPENERS and picked:
            break  # a subject in title case: 'Amendment In Punjab Civil Servants Rules'
        if word[0].isupper() or word.startswith("(") or word == "&" or internal_the or (picked and word.lower() in _CONNECT):
            picked.append(tok)
            continue
        break
    while picked and (picked[-1].group().rstrip(",").lower() in _LEAD_STOP or picked[-1].group().startswith("(")):
        if picked[-1].group() == "All" and len(picked) > 1 and picked[-2].group() == "India":
            break  # 'All India Services (Conduct) Rules': a name, not a quantifier
        picked.pop()
    if not picked or picked[0].group().rstrip(",").lower() in _NOT_BEFORE_KEYWORD:
        return None, pos  # 'Admission Under Rules', 'Approval Of Rules': no title ends in a preposition
    picked.reverse()
    start = max(0, pos - 160) + picked[0].start()
    title = " ".join(" ".join(t.group() for t in picked).split())
    if re.search(r"\d", title) and not re.search(r"[A-Za-z]{3}", title):
        return None, pos
    return title, start


# Capitalised words that introduce a title in a title-case line, never part of one.
_TITLE_CASE_OPENERS = frozenset({"In", "Under", "Regarding", "Through", "Vide", "Per", "Concerning", "Pursuant", "Against"})
_NOT_BEFORE_KEYWORD = frozenset({"under", "in", "of", "for", "to", "the", "and", "with", "by", "on", "as", "per", "from",
                                 "regarding", "at", "&"})


def _left_word(tokens: list[re.Match[str]], tok: re.Match[str]) -> str:
    index = tokens.index(tok)
    return tokens[index - 1].group().lower() if index else ""


# Words that make no title: 'any Central Act', 'WHEREAS, Ordinance', 'Laws, Act',
# 'Prescribing Rules and Regulations' (a subject line's verb).
_NOT_TITLE_WORDS = frozenset({
    "central", "state", "federal", "provincial", "principal", "parent", "whereas", "now", "therefore",
    "hereby", "laws", "law", "prescribing", "governing", "regarding", "relating", "concerning",
    "amending", "following", "other", "various", "respective", "concerned", "government", "no", "nos",
})


# Words that only name kinds of law: a title of these alone ('Acts, Rules and Regulations') is a fragment.
_KINDS_OF_LAW = frozenset({
    "act", "acts", "rules", "rule", "regulations", "regulation", "policies", "policy", "laws", "codes",
    "orders", "ordinances", "instructions", "guidelines", "notifications", "statutes", "bye-laws", "by-laws",
})
# A 'Code' that is a number a form asks for ('DDO Code', 'Postal Code'), not a code of law.
_CODE_NUMBER_WORDS = frozenset({
    "ddo", "postal", "bank", "zip", "pin", "area", "budget", "account", "accounts", "object", "cost",
    "dress", "employee", "vendor", "tax", "personal", "sort", "swift", "ifsc", "branch", "district",
    "station", "office", "post", "school", "emis", "country", "city", "dialling", "access", "qr", "bar",
})


def _names_a_code(title: str, text: str, end: int) -> bool:
    """'Code of Conduct', 'Code of Civil Procedure' yes; 'DDO Code', 'Postal Code 44000' no."""
    last = title.split()[-1].strip(",.()").lower() if title.split() else ""
    return last not in _CODE_NUMBER_WORDS and not re.match(r"\s*(?:No\b|Nos\b|#|:|\d)", text[end:end + 6])


def _names_an_instrument(title: str) -> bool:
    """Does ``title`` (the words before 'Act'/'Rules'...) name an instrument? A file number
    ('No. EO (S&GAD) Policy') or a generic word ('Central Act') does not."""
    words = [w.strip(",.()").lower() for w in title.split()]
    content = [w for w in words if w and w not in _NOT_TITLE_WORDS and w not in _CONNECT and w != "the"]
    if not content or re.search(r"(?i)\bNo\s*\.|\bNo\b\s*\d|/", title):
        return False
    if all(w in _KINDS_OF_LAW for w in content):
        return False  # a fragment ('Acts, Rules and Regulations') names no instrument
    return not re.fullmatch(r"[A-Z]|[IVXivx]{1,4}|\d+", title.split()[0].strip(",.()"))


_ORDINAL = r"(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth)"
_SCHEDULE_HEAD = re.compile(rf"^{_ORDINAL}\s+Schedule\s+(?:of|to)\s+(?:the\s+)?")
_PART_ID = r"[-\s]?(?:[IVX]{1,5}|[A-Z]|\d{1,3})\b"
# 'Part-III of First Schedule to the X Rules', 'Part-B Section-II of the First Schedule of ...'
_PART_OF_SCHEDULE = re.compile(
    rf"\b(?P<part>Part{_PART_ID}(?:\s+Section{_PART_ID})?)\s+of\s+(?:the\s+)?(?P<ord>{_ORDINAL})\s+Schedule\s+(?:to|of)\s+(?:the\s+)?")
# An amending text's chain of places: 'In Volume-I, in Chapter-XV, in Annexure-D', 'in the Second Schedule, in Part-I'
# Rules divided into Rules of Sections (the Philippine Civil Service Rules): 'Section 2, Rule IV
# (Certification) of the X Rules' is one provision, 'Section 2, Rule IV'.
_SECTION_OF_RULE = re.compile(
    r"\bSection\s+(?P<section>\d{1,3}[a-z]?),\s+Rule\s+(?P<rule>[IVXLC]{1,6})\b(?:\s*\([^()\n]{1,40}\))?\s+of\s+(?:the\s+)?")
_SAID = re.compile(r"\s*(?:said\s+(?:Rules|Act|Ordinance|Code|Regulations)\b|(?:Rules|Act|Ordinance|Code|Regulations)\s+(?:ibid|ibidem)\b)", re.I)
_UNIT = rf"(?:(?:Part|Volume|Chapter|Annexure|Appendix){_PART_ID}|{_ORDINAL}\s+Schedule\b)"
_UNIT_CHAIN = re.compile(rf"\b[Ii]n\s+(?:the\s+)?(?P<chain>{_UNIT}(?:,\s*in\s+(?:the\s+)?{_UNIT})+)")


def _compound_provisions(text: str, mentions: list[_Mention], owner_at: list[tuple[int, tuple]]) -> list[tuple[str, tuple]]:
    """Provisions named by their place in an instrument ('First Schedule, Part-III',
    'Volume-I, Chapter-XV, Annexure-D'), each with the instrument it belongs to: the one named
    right after it ('of the X Rules'), else ('the Rules ibid', an amending chain) the last one named."""
    out = []
    for m in _PART_OF_SCHEDULE.finditer(text):
        name = f"{m.group('ord')} Schedule, {' '.join(m.group('part').split())}"
        after = [k for s, k in owner_at if m.end() - 1 <= s <= m.end() + 2]
        before = [k for s, k in owner_at if s < m.start()]
        if after:
            out.append((name, after[0]))
        elif before and _SAID.match(text, m.end()):
            out.append((name, before[-1]))
    for m in _SECTION_OF_RULE.finditer(text):
        after = [k for s, k in owner_at if m.end() - 1 <= s <= m.end() + 2]
        if after:
            out.append((f"Section {m.group('section')}, Rule {m.group('rule')}", after[0]))
    for m in _UNIT_CHAIN.finditer(text):
        units = [" ".join(u.split()) for u in re.split(r",\s*in\s+(?:the\s+)?", m.group("chain"))]
        before = [k for s, k in owner_at if s < m.start()]
        if before:
            out.append((", ".join(units), before[-1]))
    return out


def _without_provision_head(title: str, start: int, text: str) -> tuple[str, int]:
    """'D of the Punjab ... Ordinance', 'IV (Certification) of the Civil Service Rules': the
    tail of a provision ('section 12-D', 'Rule IV') read as a title's head is cut at 'of'."""
    first = title.split()[0].strip(",.()") if title.split() else ""
    schedule = _SCHEDULE_HEAD.match(title)
    if schedule:  # 'First Schedule of HCS (RP) Rules'
        return title[schedule.end():], start + schedule.end()
    m = re.search(r"\bof\s+(?:the\s+)?", title)
    if m and re.fullmatch(r"[A-Z]|[IVX]{1,4}|\d+[A-Z]?", first):
        cut = m.end()
        return title[cut:], start + cut
    return title, start


def _resolve(title: str, year: int | None, start: int, end: int, jurisdiction: str | None, text: str = "") -> _Mention:
    title = re.sub(r"^(?:The|THE)\s+", "", title)
    hit = gazetteer.match_instrument(title, year, jurisdiction=jurisdiction)
    if hit:
        inst, score = hit
        return _Mention(start, end, inst.title, year or _printed_year(text, inst.year), inst.id, inst.kind,
                        score * 0.95, title)
    kind = {"Rules": "rules", "Act": "act", "Ordinance": "ordinance", "Regulations": "regulations",
            "Code": "code", "Policy": "policy", "Manual": "code"}.get(title.split()[-1], "other")
    return _Mention(start, end, title, year, None, kind, 0.7, title)


_LABELS = {"rule": "Rule", "rules": "Rule", "subrule": "Sub-rule", "subrules": "Sub-rule",
           "section": "Section", "sections": "Section", "subsection": "Sub-section",
           "subsections": "Sub-section", "article": "Article", "articles": "Article",
           "clause": "Clause", "clauses": "Clause", "regulation": "Regulation",
           "regulations": "Regulation", "fr": "FR", "sr": "SR", "para": "Para", "paras": "Para",
           "paragraph": "Paragraph", "paragraphs": "Paragraph", "chapter": "Chapter", "schedule": "Schedule", "schedules": "Schedule"}
_COMPATIBLE = {"Rule": {"rules", "fr", "sr", "code", "other"}, "Sub-rule": {"rules"},
               "Section": {"act", "ordinance", "code", "other"}, "Sub-section": {"act", "ordinance"},
               "Article": {"constitution", "order", "other"}, "Clause": {"constitution", "act", "rules", "other"},
               "Regulation": {"regulations"}, "Schedule": {"act", "rules", "ordinance", "constitution", "other"},
               "Para": {"code", "policy"}, "Paragraph": {"code", "policy"}}


# Labels too common in a document's own structure ('para 4 above', 'Chapter 174') to attach
# without an 'of' naming their instrument.
_ONLY_WITH_OF = frozenset({"Para", "Paragraph", "Chapter", "Schedule"})
# 'Amendment of regulation 2', 'New regulation 7A': an amending text's heading names the
# provision its body then cites with its instrument.
_AMENDING_HEAD = re.compile(r"(?i)\b(?:amendment|insertion|substitution|omission|deletion|repeal)\s+of\s+$|\bNew\s+$")


def _expand_range(part: str) -> list[str]:
    """'3 to 5' is 3, 4 and 5 (a short run of whole numbers); anything else as printed."""
    run = re.fullmatch(r"(\d{1,3})\s+to\s+(\d{1,3})", part.strip())
    if run and 0 < int(run.group(2)) - int(run.group(1)) <= 30:
        return [str(n) for n in range(int(run.group(1)), int(run.group(2)) + 1)]
    return [re.sub(r"\s+", "", x) for x in re.split(r"\s+to\s+", part)]


def _provision_parts(m: re.Match[str]) -> tuple[str, list[str]]:
    if m.group("sched"):
        return "Schedule", [m.group("snum")]
    label = _LABELS.get(re.sub(r"[^a-z]", "", m.group("label").lower()), m.group("label"))
    nums = [x for n in re.split(r"\s*(?:,|\band\b|&)\s*", m.group("nums")) if n.strip() for x in _expand_range(n)]
    nums = [re.sub(r"(?<=\d)\.(?=[A-Z]$)", "-", n) for n in nums if not re.fullmatch(r"(18|19|20)\d\d", n)]  # '12.D' is '12-D'
    return label, nums


# 'of the Act' with no title after it: the Act last named ('hereinafter referred to as the Act'),
# as is an amending text's 'the principal Regulations'.
_OF_BARE = re.compile(r"^\s*(?:of|under)\s+the\s+(?:(?i:principal|said)\s+)?(?P<kind>(?i:act|rules|ordinance|code|regulations|order))\b(?![ \t]*,?[ \t]*(?:\d|[A-Z]))")
_BARE_KIND = {"Act": "act", "Rules": "rules", "Ordinance": "ordinance", "Code": "code", "Regulations": "regulations", "Order": "order"}
# 'para-6, 7 of GFR Vol-I': an instrument cited by its initials; the last letter says its kind.
_OF_ACRONYM = re.compile(r"^\s*of\s+(?:the\s+)?(?P<title>[A-Z]{1,5}[RACO](?:\s+Vol(?:ume)?\.?\s?[-–]?\s?(?:[IVXl]{1,4}|\d{1,2}))?)\b(?![-/(])")
_ACRONYM_KIND = {"R": "rules", "A": "act", "C": "code", "O": "ordinance"}
# 'of' naming a whole that is no instrument found in the text ('of the Agreement', 'of this Act').
_OF_SOMETHING_ELSE = re.compile(r"^\s*(?:respectively\s+)?of\s+(?:the\s+|this\s+|these\s+|that\s+)?[A-Za-z]")
# A Schedule of the document itself ('Schedule 1 hereto') is no instrument's provision.
_OWN_PART = re.compile(r"^\s*(?:hereto|to\s+this|of\s+this|annexed|appended|below|attached)\b", re.I)


def _attach(text, m, label, mentions, owner_at, cited, order, jurisdiction):  # noqa: ANN001, ANN202
    after = text[m.end() : m.end() + 60]
    if _OWN_PART.match(after) or _in_quotes(text, m.start()):
        return None  # the document's own schedule; words quoted for substitution
    explicit_only = label in _ONLY_WITH_OF or _AMENDING_HEAD.search(text[max(0, m.start() - 30):m.start()])
    if label in {"FR", "SR"}:
        hit = gazetteer.match_instrument("Fundamental Rules" if label == "FR" else "Supplementary Rules",
                                         jurisdiction=jurisdiction or "IN")
        return _ensure(hit, m, cited, order, text) if hit else _ensure_printed(label, label.lower(), m, cited, order)
    if _IBID.match(after):
        earlier = [k for s, k in owner_at if s < m.start()]
        return earlier[-1] if earlier else None
    sub = _SUB_AFTER.match(after)  # 'section 34, sub-section (4) of the X Ordinance': X's
    base = m.end() + (sub.end() if sub else 0)
    after_sub = text[base:base + 60]
    of = _OF.match(after_sub) or re.match(r"^\s*,\s*(?=[A-Z])", after_sub)  # 'Section 5, Azad Kashmir Courts and Law Code'
    if of:
        for x in mentions:
            if base + of.end() - 1 <= x.start <= base + of.end() + 2:
                return next(k for s, k in owner_at if s == x.start)
    bare = _OF_BARE.match(after)
    if bare:
        earlier = [k for s, k in owner_at if s < m.start() and cited[k].kind == _BARE_KIND[bare.group("kind").title()]]
        return earlier[-1] if earlier else None
    acronym = _OF_ACRONYM.match(after)
    if acronym:
        title = re.sub(r"(?<=[-\s.])l\b", "I", " ".join(acronym.group("title").split()))  # OCR 'Vol-l' is 'Vol-I'
        return _ensure_printed(title, _ACRONYM_KIND[title.split()[0][-1]], m, cited, order)
    if explicit_only or _OF_SOMETHING_ELSE.match(after):
        return None  # 'Article 12 of the Agreement', 'Section 4 of this Act': not an instrument named here
    if label == "Article" and not any(cited[k].kind == "constitution" for k in order):
        country = (jurisdiction or "").split("-")[0]
        hit = gazetteer.match_instrument("Constitution", jurisdiction=country) if country in _GAZETTEER_COUNTRIES.values() else None
        return _ensure(hit, m, cited, order, text) if hit else None
    earlier = [k for s, k in owner_at if s < m.start() and cited[k].kind in _COMPATIBLE.get(label, set())]
    return earlier[-1] if earlier else None


def _ensure_printed(title, kind, m, cited, order):  # noqa: ANN001, ANN202
    """An instrument the gazetteer does not know, cited only by its printed short form ('SR', 'GFR Vol-I')."""
    key = next((k for k in order if cited[k].title == title), ("title", title.lower(), None))
    if key not in cited:
        cited[key] = CitedInstrument(title, None, None, kind, (m.start(), m.end()), 0.6, as_printed=title)
        order.append(key)
    return key


def _in_quotes(text: str, pos: int) -> bool:
    """Is ``pos`` inside quotes opened on its own line ('the words “section 43”')?"""
    line = text[text.rfind("\n", 0, pos) + 1:pos]
    return line.count("“") > line.count("”") or line.count('"') % 2 == 1


def _ensure(hit, m, cited, order, text):  # noqa: ANN001, ANN202
    inst, score = hit
    key = ("id", inst.id)
    if key not in cited:
        cited[key] = CitedInstrument(inst.title, _printed_year(text, inst.year), inst.id, inst.kind,
                                     (m.start(), m.end()), score * 0.8, as_printed=m.group().strip())
        order.append(key)
    return key


def _natural(provision: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.findall(r"\d+|[A-Za-z]+", provision))
