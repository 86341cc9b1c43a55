"""Signatories: '(Dr. Muhammad Shoaib Akbar)' above 'Joint Secretary', or a designation alone.

A block is a name line (bracketed, or a short run of capitalised words) followed within a
few lines by a designation line; a designation line with no name above it gives name null.
Designations are matched against the gazetteer (spaCy PhraseMatcher for clean lines,
rapidfuzz for truncated or damaged ones: 'Joint Secreta' -> 'Joint Secretary'). A block
repeated under the copy list counts once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract import gazetteer, refnum
from pipeline.extract.issuer import is_government_name
from pipeline.extract._text import Line, is_garbage_line, squeeze

_BRACKETED = re.compile(r"^\s*[(\[{]\s*(?P<name>[A-Za-z][^()\[\]{}]{3,60}?)\s*[)\]}]?\s*$")
_HONORIFIC = r"(?:Dr|Mr|Mrs|Ms|Miss|Prof|Engr|Syed|Mian|Rana|Ch|Malik|Sardar|Shri|Smt|Kumari|Hafiz|Justice)\.?"
_PLAIN_NAME = re.compile(rf"^\s*(?:{_HONORIFIC}\s+)?[A-Z][A-Za-z.'’-]+(?:\s+[A-Z][A-Za-z.'’-]+){{1,4}}\s*$")
_NOT_NAME = re.compile(r"\b(Government|Ministry|Division|Department|Copy|Islamabad|Lahore|Karachi|Subject|Office|University|Secretariat|Services|Section|Officer|Secretary|Director|Registrar|Order|Governor|Authority|Behalf)\b", re.I)


@dataclass(frozen=True)
class Signatory:
    name: str | None
    designation: str | None
    span: tuple[int, int]
    confidence: float


def clean_name(raw: str) -> str:
    """'Dr. Muhammad/Shoaity’ Akbar' -> 'Dr. Muhammad Shoaity Akbar' (OCR strokes removed)."""
    name = re.sub(r"[/\\|_]+", " ", raw)
    name = re.sub(r"[’'`\"]+(?=\s|$)", "", name)
    name = re.sub(r"[^\w.\s'’-]", " ", name)
    return squeeze(name).strip(" .-")


def designation_of(line: str) -> tuple[str, float] | None:
    """The designation printed on ``line`` (gazetteer title + its qualifier), or None."""
    text = squeeze(line).strip(" .,;:")
    if not text or len(text) > 80 or text.endswith(",") or re.match(r"(?i)(all|the)\s", text):
        return None
    hit = gazetteer.match_designation(text)
    if not hit:
        return None
    title, rest, score = hit
    if score == 1.0:
        title = text[: len(title)]  # as printed ('DEPUTY SECRETARY'); only repairs use the gazetteer's
    rest = refnum.repair_roman(_qualifier(rest).strip(" ,"))
    code = refnum.section_code_from_designation(title + " " + rest) if rest else None
    if code and re.fullmatch(r"\(?[A-Za-z]{1,5}\s*[-–]\s*[IVXl|1\d]{1,4}\)?", rest):
        rest = f"({code})"
    if rest and len(rest.split()) > 6:
        return None
    joined = f"{title}{rest}" if rest.startswith(("-", "–")) else f"{title} {rest}"
    return (joined.strip(), score)


_QUALIFIER_WORDS = {"to", "the", "of", "and", "for", "in", "on", "&", "at", "with"}


def _qualifier(rest: str) -> str:
    """What follows a designation, up to the first token no qualifier holds: '(Admn)',
    'to the Government of India', 'General' stay; 'eerie 3 ee' (specks read as text) goes."""
    kept: list[str] = []
    depth = 0
    tokens = rest.split()
    for k, token in enumerate(tokens):
        if depth == 0 and not _qualifier_token(token):
            break
        if depth == 0 and kept and kept[-1].endswith(")") and _OFFICE_LINE.search(" ".join(tokens[k:])) \
                and not kept[-1].endswith((",", "/")):
            break  # '(Mines) Commerce & Industries Department': the office printed after the title is the issuer's
        depth = max(0, depth + token.count("(") + token.count("[") - token.count(")") - token.count("]"))
        kept.append(token)
    return " ".join(kept)


def _qualifier_token(token: str) -> bool:
    word = token.strip(",.;:")
    if re.fullmatch(r"(?i)tel|ph|phone|fax|e-?mail|cell|mob(?:ile)?|dated?", word):
        return False  # 'Joint Secretary (Admn) Tel: 9201234': the contact line is no qualifier
    if not word or word.startswith(("(", "[", "-", "–")):
        return True
    if word.lower() in _QUALIFIER_WORDS:
        return True
    return bool(re.fullmatch(r"[A-Z][A-Za-z'&./-]*|[IVX]+|[A-Z]{1,6}-?[IVX\d]*", word))


# What marks a line as the signer's own: a name in brackets alone on its line, a name after
# 'Sd/-' / '(Sgd.)' / '-sd-', or a name right under 'Yours faithfully'. Real documents of
# many offices print designations no gazetteer lists ('DCDA (Pensions)', 'Exec. Director
# Elec. Engg.(G)'), so a marked name takes the lines under it as its designation.
_SIGNED = re.compile(r"^\s*(?:[(\[]\s*)?(?:sd|sgd)\s*[./)\]-]*\s*[-/]?\s*[)\]]?\s*|^\s*-\s*sd\s*-\s*", re.I)
_CLOSING = re.compile(
    r"(?i)^\s*[(\[]?\s*(?:yours\s+(?:faithfully|sincerely|truly|obediently)|sincerely\s+yours|faithfully\s+yours|"
    r"by\s+order(?:\s+of\s+[^()\[\]]{3,60})?|by\s+order\s+(?:and\s+)?in\s+the\s+name\s+of\s+[^()\[\]]{3,60}|by\s+authority\s+of\s+[^()\[\]]{3,60}|for\s+and\s+on\s+behalf\s+of\s+[^()\[\]]{3,60})"
    r"\s*[)\]]?\s*[,.:]?\s*$")
# Initials run into a surname in capitals: 'T.UDHAYACHANDRAN', 'P.SHANMUGHASUNDARAM', 'R.K. SHARMA'.
_INITIALS_NAME = re.compile(r"^\s*(?:[A-Z]\.\s?){1,3}[A-Z][A-Za-z]{2,}(?:\s+[A-Z][A-Za-z]{2,})?\s*$")
_MARKED_NAME = re.compile(r"^(?P<name>(?:[A-Z][A-Za-z'’-]*\.?\s*){1,6}?)\s*$")
_BRACKET_BLOCK = re.compile(r"^\s*[(\[]\s*(?P<name>[A-Za-z][^()\[\]{}\d]{2,50}?)\s*[)\]]\s*(?P<rest>.*)$")
_STOP_LINE = re.compile(
    r"(?i)^\s*(?:to\b|copy|c\.?\s?c\b|cc\s*:|endst|encl|distribution|no\b|dated?\b|dt\b|tel|tele\b|phone|ph\b|"
    r"fax|e-?mail|mob|cell|website|web\b|www\.|subject|sub\b|ref\b|\d{1,2}\s*[.)]|[(\[]?[ivx]{1,4}[.)\]])"
)
_JOINING_END = re.compile(r"(?i)(?:\b(?:to|the|of|and|for|in)|[&,/-])\s*$")


def _marked_name(lines: list[Line], i: int) -> tuple[str, str] | None:
    """(name, rest of the line) when line ``i`` is a signer's name by its marks, else None."""
    text = lines[i].stripped
    signed = _SIGNED.match(text)
    body = text[signed.end():] if signed and signed.end() else text
    bracket = _BRACKET_BLOCK.match(body)
    if bracket:
        name, rest = clean_name(bracket.group("name")), bracket.group("rest").strip()
    elif signed and signed.end() or _after_closing(lines, i):
        name, rest = _name_then_title(body) or (clean_name(body), "")
    else:
        return None
    if not _MARKED_NAME.match(name) or _NOT_NAME.search(name) or not re.search(r"[A-Za-z]{3}", name) \
            or _TITLE_WORDS.match(name):
        return None
    return name, rest


# Words that open a title, never a name: 'Joint Deputy Secretary' is no 'Joint Deputy' signing as 'Secretary'.
_TITLE_PREFIXES = frozenset({"additional", "addl", "assistant", "asstt", "asst", "deputy", "dy", "joint", "chief", "senior",
                             "principal", "special", "acting", "ag", "under", "section", "for", "by", "the"})
# A name's word: an initial ('G.A.', 'D.N.'), a capitalised word or one in capitals.
_NAME_WORD = re.compile(rf"^(?:{_HONORIFIC}|(?:[A-Z]\.\s?)+|[A-Z][a-z'’-]+|[A-Z][A-Z'’-]+)[,.]?$")


def _name_then_title(body: str) -> tuple[str, str] | None:
    """'IMTIKUMZUK Addl. Secretary to the Govt. of Nagaland', 'G.A. ADAGATTI Joint Secretary
    to Government (Mines)': a signer's name and title run onto one line (flattened pages, or
    offices that print them side by side) split where the title starts."""
    words = body.split()
    for k in range(1, min(5, len(words) - 1) + 1):
        rest = " ".join(words[k:])
        if not all(_NAME_WORD.match(w) and w.strip(",.").lower() not in _TITLE_PREFIXES for w in words[:k]) \
                or _TITLE_WORDS.match(" ".join(words[:k])) or _NOT_NAME.search(" ".join(words[:k])):
            return None
        known = gazetteer.match_designation(rest)
        if known and known[2] == 1.0 or _TITLE_WORDS.match(rest):
            name = clean_name(" ".join(words[:k]).rstrip(","))
            return (name, rest) if re.search(r"[A-Za-z]{3}", name) else None
    return None


def _after_closing(lines: list[Line], i: int) -> bool:
    """Is line ``i`` the first words under 'Yours faithfully,' (blank lines and 'Sd/-' between)?"""
    for j in range(i - 1, max(-1, i - 4), -1):
        text = lines[j].stripped
        if not text or _SIGNED.fullmatch(text):
            continue
        return bool(_CLOSING.match(text))
    return False


def _designation_lines(lines: list[Line], first: int, excluded: set[int]) -> tuple[str | None, int]:
    """The designation printed under a marked name: its title line (blank lines before it
    allowed), and the next line too when the title wraps onto it ('SECRETARY TO THE' /
    'CABINET'); a department or town printed under the title is the issuer's, not the
    title's. Stops at contact details, 'To', copy lists, numbers and dates."""
    parts: list[str] = []
    last = first - 1
    for j in range(first, min(len(lines), first + 6)):
        text = lines[j].stripped
        if not text:
            if not parts and j - first < 3:
                continue
            if parts and _JOINING_END.search(parts[-1]):
                continue
            break
        if j in excluded or _STOP_LINE.match(text) or len(text) > 70 or text.endswith(":") \
                or not re.search(r"[A-Za-z]{2}", text):
            break
        if _BRACKET_BLOCK.match(text) or (_SIGNED.match(text) and _SIGNED.match(text).end()):
            if not parts:
                continue  # the name printed twice ('(R.Magadevain)' over '(R.Magadevain)')
            break
        parts.append(text.rstrip(" ."))
        last = j
        if not _JOINING_END.search(text) or len(parts) == 2:
            break
    if not parts:
        return None, last
    title = " ".join(parts)
    known = designation_of(title)
    return (known[0] if known and len(known[0]) >= len(title) - 3 else title), last


def _marked_blocks(lines: list[Line], excluded: set[int]) -> tuple[list[Signatory], set[int]]:
    out: list[Signatory] = []
    used: set[int] = set()
    for i, line in enumerate(lines):
        if i in excluded or i in used or line.blank:
            continue
        found = _marked_name(lines, i)
        if not found:
            continue
        name, rest = found
        designation, last = _designation_lines(lines, i + 1, excluded)
        if rest and not _STOP_LINE.match(rest):  # '(MUHAMMAD AKMAL) ESTATE OFFICER'
            known = designation_of(rest)
            designation = known[0] if known else rest.rstrip(" .")
        end = lines[max(i, last)].content_span[1]
        out.append(Signatory(name, designation, (line.content_span[0], end), 0.8))
        used.update(range(i, max(i, last) + 1))
    return out, used


# Letters after a name: 'Dr. Belio R. Kipsang, CBS', 'Amb. Francis K. Muthaura, E.G.H.'.
_POST_NOMINALS = re.compile(r",\s*(?:[A-Z]\.?){2,6}\.?\s*$")
_NAME_TOKEN = re.compile(rf"(?:{_HONORIFIC}|Amb\.?|Hon\.?|[A-Z][a-z'’-]+|[A-Z]{{2,}}|[A-Z]\.?|\.)$")
_NOT_A_SIGNER = re.compile(r"(?i)^(?:all|the|encl|enclosure|copy|yours|sir|madam|dear|thanks|regards|for|by|with|from)\b")


def _foot_name(lines: list[Line], i: int, excluded: set[int]) -> str | None:
    """A personal name alone on the first short line after the last paragraph, unmarked
    ('Raman Dhanasekar' over 'RPFC-I (WSU)'; 'Abdulkadir B . Abba' ending the page): the
    signer, as offices that print no 'Sd/-' or brackets sign."""
    text = lines[i].stripped
    bare = _POST_NOMINALS.sub("", text).strip()
    tokens = bare.split()
    if not 2 <= len(tokens) <= 6 or _NOT_A_SIGNER.match(bare) or _NOT_NAME.search(bare) or _PLACE_WORD.search(bare) \
            or re.search(r"\d", bare) or _TITLE_WORDS.match(bare):
        return None
    if not all(_NAME_TOKEN.match(t) for t in tokens) or sum(len(t) >= 3 for t in tokens) < 2:
        return None
    if gazetteer.match_designation(bare) or bare.lower() in gazetteer.place_names() or is_government_name(bare):
        return None
    if not _under_paragraph(lines, i, excluded):
        return None  # under a paragraph or an enclosure line, not inside a list or a letterhead
    return clean_name(text) if _POST_NOMINALS.search(text) is None else text.strip().rstrip(" .") + ("." if text.rstrip().endswith(".") else "")


def _under_paragraph(lines: list[Line], i: int, excluded: set[int]) -> bool:
    """Is line ``i`` the first under a paragraph, an enclosure line or a list?"""
    prev = next((k for k in range(i - 1, -1, -1) if not lines[k].blank), None)
    before = lines[prev].stripped if prev is not None else ""
    sentence = before.endswith(".") or len(re.findall(r"\b[a-z]{2,}\b", before)) >= 4
    return prev is not None and (prev in excluded or sentence or bool(_ENCLOSURE.match(before)))


def _foot_name_and_title(lines: list[Line], i: int, excluded: set[int]) -> tuple[str, str] | None:
    """'A.S.F. Afoloye Ag. Director, Banking Operations Department' alone under the last
    paragraph: a signer's name and title printed on one line."""
    text = lines[i].stripped
    if len(text) > 90 or not _under_paragraph(lines, i, excluded) or _NOT_A_SIGNER.match(text):
        return None
    found = _name_then_title(text)
    if not found or len(found[0].split()) < 2 and "." not in found[0] or _NOT_NAME.search(found[0]) \
            or _SENTENCE_WORD.search(found[1]):
        return None  # 'As County Director of Education you are required ...' is a sentence
    known = designation_of(found[1])
    return found[0], (known[0] if known else found[1].rstrip(" ."))


_SENTENCE_WORD = re.compile(r"\b(?!of\b|to\b|the\b|and\b|for\b|in\b|on\b)[a-z]{2,}\b")
_ENCLOSURE = re.compile(r"(?i)^\s*encl")
# A posting's place, not a person: 'THQ Hospital Jehangira', 'Government High School ...'.
_PLACE_WORD = re.compile(r"(?i)\b(?:hospital|school|college|cent(?:re|er)|bank|court|commission|board|council|institute|"
                         r"police|district|tehsil|agency|unit|zone|region|station|headquarters|hq)\b")


def _foot_name_blocks(lines: list[Line], excluded: set[int], used: set[int]) -> list[Signatory]:
    out: list[Signatory] = []
    for i, line in enumerate(lines):
        if i in excluded or i in used or line.blank:
            continue
        name = _foot_name(lines, i, excluded)
        if name is None:
            both = _foot_name_and_title(lines, i, excluded)
            if both:
                out.append(Signatory(both[0], both[1], line.content_span, 0.6))
                used.add(i)
            continue
        designation, last = _designation_lines(lines, i + 1, excluded)
        if designation and (_foot_name(lines, last, excluded | {i}) or _NOT_A_SIGNER.match(designation) and not designation.lower().startswith("for")):
            designation, last = None, i
        end = lines[max(i, last)].content_span[1]
        out.append(Signatory(name, designation, (line.content_span[0], end), 0.6))
        used.update(range(i, max(i, last) + 1))
    return out


def find_signatories(lines: list[Line], excluded: set[int]) -> list[Signatory]:
    """Signature blocks among ``lines`` (indices in ``excluded`` belong to lists)."""
    out, used = _marked_blocks(lines, excluded)
    for i, line in enumerate(lines):
        if i in excluded or i in used or line.blank:
            continue
        name = _name_on(line)
        if name is None:
            continue
        for j in range(i + 1, min(len(lines), i + 5)):
            if j in excluded:
                break
            if lines[j].blank or is_garbage_line(lines[j].text):
                continue
            found = designation_of(lines[j].text) or _title_alone(lines[j].text)
            if found:
                out.append(Signatory(name, found[0], (line.content_span[0], lines[j].content_span[1]), 0.85 * found[1]))
                used.update({i, j})
            break
    out += _foot_name_blocks(lines, excluded, used)
    for i, line in enumerate(lines):
        if i in excluded or i in used or line.blank:
            continue
        found = designation_of(line.text)
        whole = _whole_designation(lines, i, found)
        if found is None and whole:
            found = (line.stripped.rstrip(" ."), 0.8)  # a title no gazetteer lists, alone at the foot
        if found and (whole or _stands_alone(lines, i)):
            out.append(Signatory(None, found[0], line.content_span, 0.7 * found[1]))
            used.add(i)
    out.sort(key=lambda s: s.span[0])
    return _dedupe(out)


def _name_on(line: Line) -> str | None:
    m = _BRACKETED.match(line.text)
    if m and line.text.strip().startswith(("(", "[", "{")):
        name = clean_name(m.group("name"))
        words = re.findall(r"[A-Za-z]+", name)
        if len(words) >= 2 and any(len(w) >= 3 for w in words) and not _NOT_NAME.search(name) and not re.search(r"\d", name):
            return name
    text = line.stripped
    if _TITLE_WORDS.match(text):
        return None  # 'ACTING PRESIDENT' under 'Sd/.': a title printed without a name
    if _INITIALS_NAME.match(text) and not _NOT_NAME.search(text):
        return clean_name(text)
    if _PLAIN_NAME.match(text) and not _NOT_NAME.search(text) and gazetteer.match_designation(text) is None:
        if len(text.split()) >= 2 and not text.endswith((".", ",")) or re.match(_HONORIFIC, text):
            return clean_name(text)
    if _CAPITALS_NAME_COMMA.match(text) and not _NOT_NAME.search(text) and not is_government_name(text.rstrip(" ,")) \
            and text.rstrip(" ,").lower() not in gazetteer.place_names():
        return clean_name(text)  # 'UHURU KENYATTA,' over 'President.': a gazette notice's signer
    return None


# A gazette notice signs with the name in capitals and a comma, its title on the next line.
_CAPITALS_NAME_COMMA = re.compile(r"^\s*(?:[A-Z]\.\s?)*[A-Z][A-Z'’-]+(?:\s+(?:[A-Z]\.\s?)*[A-Z][A-Z'’-]+){1,3}\s*,\s*$")


def _title_alone(text: str) -> tuple[str, float] | None:
    """A short title line no gazetteer lists, by its words: 'President.', 'Ag. Governor'."""
    bare = text.strip().rstrip(" .,")
    if len(bare.split()) > 4 or re.search(r"\d", bare) or not _TITLE_WORDS.fullmatch(bare):
        return None
    return bare, 0.8


def _stands_alone(lines: list[Line], i: int) -> bool:
    """A designation line set apart: the line before it is blank, garbage or a name/stamp."""
    text = lines[i].stripped
    if text.endswith((".", ",")) and not re.search(r"\)\.?$", text):
        return False
    prev = lines[i - 1] if i else None
    nxt = lines[i + 1] if i + 1 < len(lines) else None
    before_ok = prev is None or prev.blank or is_garbage_line(prev.text) or len(prev.stripped) < 25
    after_ok = nxt is None or nxt.blank or len(nxt.stripped) < 60
    return before_ok and after_ok


# 'Memo No. .../Cab. Dated ...': an endorsement under the signature (Indian and Bangladeshi offices).
_FOOT_AFTER = re.compile(r"(?i)^\s*(?:no\b|n[o0]\.|memo\s+no|copy|a\s+copy|c\.?\s?c\b|endst|dated?\b|to\b|\(?[a-z]{0,3}\d|encl)")


# An office line printed under a title: 'Directorate of Elementary & Secondary Education'.
_OFFICE_LINE = re.compile(r"(?i)\b(?:directorate|department|division|ministry|secretariat|commission|government|govt|"
                          r"office|board|authority|bureau|council)\b")
# A title no gazetteer lists, by its words: 'Assistant Controller General (Accounts)'.
_TITLE_WORDS = re.compile(
    r"^(?:(?:Additional|Addl\.?|Assistant|Asstt?\.?|Deputy|Joint|Chief|Senior|Principal|Special|Acting|Ag\.?)\s+)*"
    r"(?:Secretary|Director|Controller|Officer|Registrar|Commissioner|Manager|Superintendent|Accountant|Chairman|"
    r"Administrator|Engineer|Inspector|Collector|Minister|President|Governor|Chairperson)\b", re.I)


def _whole_designation(lines: list[Line], i: int, found: tuple[str, float] | None) -> bool:
    """Is line ``i`` a designation and nothing else (``found``: its ``designation_of``), with
    nothing, a foot part or its office's lines after it ('Section Officer (I&C)' under the last
    paragraph; 'CHIEF SECRETARY SINDH' over 'No. ...')? Such a line stands alone whatever
    is printed above it."""
    text = lines[i].stripped.rstrip(" .")
    if len(text.split()) > 8:
        return False
    known = bool(found) and found[1] >= 0.9 and len(found[0]) >= len(text) - 2
    titled = bool(_TITLE_WORDS.match(text)) and not re.search(r"\b(?!of\b|to\b|the\b|and\b|for\b)[a-z]{2,}\b", text)
    if not (known or titled):
        return False
    nxt = next((line for line in lines[i + 1:] if not line.blank), None)
    return nxt is None or bool(_FOOT_AFTER.match(nxt.text)) or designation_of(nxt.stripped) is not None \
        or (len(nxt.stripped) < 70 and bool(_OFFICE_LINE.search(nxt.text)) and not nxt.stripped.endswith("."))


def _dedupe(items: list[Signatory]) -> list[Signatory]:
    out: list[Signatory] = []
    for s in items:
        same = [o for o in out if (s.name and o.name and s.name.lower() == o.name.lower())
                or (s.name is None and o.designation and s.designation and o.designation.lower() == s.designation.lower())]
        if not same:
            out.append(s)
    return out
