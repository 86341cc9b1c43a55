"""Addressees: the 'To' recipients, or, in a memorandum without a 'To' block, the officers
its closing paragraph asks to act ('All Federal Secretaries / ... are requested to ...')."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from pipeline.extract import lists
from pipeline.extract._text import Line, squeeze, strip_junk

# 'To:', 'TO', 'To,' and a memorandum's 'TO i ...' (its colon OCR'd as a letter)
# and a web circular's bulleted field '• Addressed to:'
_TO = re.compile(r"^\s*(?:[•▪·*]\s*)?(?:(?:Addressed|ADDRESSED)\s+[Tt][Oo](?=\s*[:\-–]|\s*$)|T[Oo])(?!\s+BE\b)(?:\s*[,:.\-–]+\s*|(?<=TO)\s+[i|!;]\s+(?=[A-Z])|\s+(?=[A-Z])|\s*$)(?P<rest>.*)$")
# The next label of a memorandum's head on the To line ('To: ALL STAFF ce: HON. MINISTER ...')
_NEXT_MEMO_LABEL = re.compile(r"\s(?:c\.?\s?[ce]\.?|FROM|From|DATE|Date|SUBJECT|Subject|THRU|Thru)\s*:")
# A To block ends at the subject, salutation, reference, 'From', a copy label or a date line
# ('Dated Shimla - 171 002, the' printed under the list).
_END = re.compile(r"^\s*(?:Subject|Sub\b(?![-–]\w)|SUBJECT|Dear|Sir|Madam|Respected|Reference|Ref\b|RE\s*:|FROM\b|THRU\b|"
                  r"c\.?\s?c\s*:|Dated\b)", re.I)
# A head in capitals run into the letterhead's line ('... 2009 REF: BOD/DIR/... CIRCULAR TO ALL DEPOSIT
# MONEY BANKS AND DISCOUNT HOUSES NEED TO PROVIDE ...', 'March 3, 2017 TO ALL AUTHORISED DEALERS
# UPDATE TO ...'): the recipients end at the first plural not joined on by 'AND'/'OF'/'&'/'IN'.
_INLINE_TO_ALL = re.compile(
    r"(?:^|(?<=CIRCULAR )|(?<=LETTER )|(?<=[a-z0-9.,)] ))TO\s+(?P<who>ALL\s+(?:[A-Z][A-Z'&-]*\s+){0,6}?[A-Z]{2,}[^S\s]S)"
    r"(?=[\s.,:;]|$)(?!\s*(?:AND|OF|&|IN|FOR|THE)\b)", re.M)
# A letter's head run onto one line: '... Dated: Chandigarh the: 18th August, 2009 To All Heads of
# Departments, Commissioners of Divisions, ... Sir/Madam, I am directed ...': 'To' after the date's
# year, the recipients up to the salutation or the subject's label.
_TO_AFTER_DATE = re.compile(r"(?<=\d{4}\s)T[Oo][\s,:\-]+(?P<who>(?:All|ALL|The|THE)\s+[A-Z][^\n]{3,300}?)"
                            r"\s*(?=\b(?:Sir|SIR|Madam|Dear|Subject|SUBJECT|Sub|SUB)\b)")
_INLINE_TO_SEARCH = 1500  # characters from the top where a letter's head is printed
_PROSE = re.compile(r"^(?=.{50,})(?:.*\b[a-z]{2,}\b){6}")
_REQUESTED = re.compile(
    r"(?:^|\n|\.\s+|\d\.\s+)\s*(?P<who>(?:All|The)\s+[A-Z][^.;:]{3,250}?)\s+(?:are|is)\s+"
    r"(?:hereby\s+)?(?:requested|directed|advised|required)\s+to\b"
)


# A line naming a post opens an addressee; a line without one ('ICF & RCF', 'All Scheduled
# banks in Bangladesh' under 'Chief Executives') or after a line ending in a comma goes on
# with the one above. Seen in letters of Indian, Kenyan, Philippine and Pakistani offices.
_POST = re.compile(
    r"(?i)\b(?:secretar(?:y|ies)|undersecretar(?:y|ies)|directors?|managers?|officers?|executives?|heads?|"
    r"chairm[ae]n|chairpersons?|commissioners?|registrars?|principals?|superintendents?|controllers?|"
    r"accountants?|ministers?|governors?|presidents?|chiefs?|inspectors?|engineers?|administrators?|"
    r"collectors?|advis[eo]rs?|vice-chancellors?|rectors?|deans?|clerks?|attorney|auditors?|members?|"
    r"judges?|staff|counsel|prosecutors?|in-?charge|DGs?|CEOs?|DCs?|DEOs?|CVOs?|PAOs?|heads)\b")
_ITEM_START = re.compile(r"^\s*(?:All|The)\s+[A-Z]")
_SEMICOLON = lists.SEMICOLON
# The head noun of an office's name: 'Cabinet Secretariat', 'Prime Minister's Office'.
_OFFICE_NOUN = re.compile(
    r"(?i)\b(?:secretariat|office|commission|division|department|ministry|directorate|court|board|bureau|"
    r"authority|council|assembly|tribunal|corporation|agency|institute|university|bank)s?(?:\s*\([^)]*\))?$")


def names_a_recipient(text: str) -> bool:
    """Does ``text`` name a post or a body of recipients ('All Regional Heads', 'The Secretary')?"""
    return bool(_POST.search(text) or _ITEM_START.match(text))


def find_addressees(lines: Sequence[Line], text: str, *, header_end: int, wrap_at: int,
                    unlabelled: Sequence[int] = ()) -> tuple[list[lists.Item], set[int]]:
    """'To' block items (one item per marker or blank-line group), else the 'requested' officers.

    The second value is the lines of the 'To' block: empty when the items come from the
    'are requested to' sentence (a weaker reading the caller may replace).
    """
    for i, line in enumerate(lines):
        m = _TO.match(line.text)
        if not m or (i > header_end + 12 and m.group("rest").strip()):
            continue
        cut = _NEXT_MEMO_LABEL.search(line.text, m.start("rest"))
        head = line.text[:cut.start()] if cut else line.text
        if len(head.strip()) > 80 and len(_split_posts(head[m.start("rest"):])) < 3:
            continue  # a sentence, not 'To: The Chief of Staff ..., All Honourable Ministers, ...'
        rest = m.group("rest").strip()
        if rest and not rest[0].isupper():
            continue
        first = i if rest else i + 1
        j = first
        block: list[Line] = []
        if rest:
            offset = line.start + m.start("rest")
            cut = _NEXT_MEMO_LABEL.search(text, offset, line.end)
            block.append(Line(offset, cut.start() if cut else line.end, text[offset:cut.start() if cut else line.end]))
            j += 1
            if cut:  # the head's next label follows on the same line: the To list is done
                items = _group(block, text)
                if items:
                    return items, {i}
                continue
        while j < len(lines) and not _END.match(lines[j].text) and not _is_copy_label(lines[j].text) \
                and not _is_prose(lines[j].text):
            if lines[j].blank and block and j + 1 < len(lines) and _END.match(lines[j + 1].text):
                break
            if rest and not _goes_on(block[-1], lines[j], m.start("rest")):
                break
            block.append(lines[j])
            j += 1
        items = _group(block, text)
        if items:
            return items, set(range(i, j))
    if unlabelled:  # lines of recipients printed without 'To' (``unlabelled_block``)
        items = _group([lines[k] for k in unlabelled], text)
        if items:
            return items, set(unlabelled)
    after_date = _TO_AFTER_DATE.search(text, 0, _INLINE_TO_SEARCH)
    if after_date:
        start = after_date.start("who")
        return [lists.Item(part, (start, after_date.end("who")), 0.6)
                for part in _split_posts(squeeze(after_date.group("who")).rstrip(" ,."))], set()
    inline = _INLINE_TO_ALL.search(text, 0, _INLINE_TO_SEARCH)
    if inline:
        value = inline.group("who")
        return [lists.Item(value, inline.span("who"), 0.6)], set()
    m = None
    for m in _REQUESTED.finditer(text):
        pass
    if m:
        who = m.group("who")
        start = m.start("who")
        value = strip_junk(squeeze(who))
        return [lists.Item(value, (start, start + len(who)), 0.6)], set()
    return [], set()


def _is_prose(text: str) -> bool:
    """A body line; a recipient opening 'All'/'The' may run long ('All Permanent Secretaries
    (with sufficient copies for all Heads of Department).'), and so may a list of recipients
    run on one line with commas ('Chief Officers of Police (England and Wales), Chief Officer
    the Royal Navy Regulating Branch, ...')."""
    return bool(_PROSE.match(text)) and not _is_comma_list(text) and not (_ITEM_START.match(text) and len(text.strip()) < 110
                                             and not _PROSE.match(re.sub(r"\([^)]*\)", "", text)))


def _is_comma_list(text: str) -> bool:
    """Three or more comma-separated parts, each short and opening with a capital: names, not a sentence."""
    parts = [p.strip() for p in text.strip().rstrip(".").split(",")]
    return len(parts) >= 3 and all(p[:1].isupper() and len(p) <= _LIST_PART and len(p.split()) <= 12 for p in parts)


_LIST_PART = 80  # characters of one recipient in a comma list


def _goes_on(previous: Line, line: Line, column: int) -> bool:
    """After 'To: <first recipient>' on the label's line, does ``line`` go on with the list?
    Only a line naming a recipient, one under the first recipient's column, or one after a
    line ending in a comma or connector; a plain line after it ('To: Supervising Officers' /
    'Establishment Proposals - Recurrent Budget 2006/2007') is the memorandum's subject."""
    if line.blank:
        return False
    indent = len(line.text) - len(line.text.lstrip())
    before = previous.text.rstrip()
    return names_a_recipient(line.text) or indent >= column - 2 > 0 or before.endswith((",", "&", "/")) \
        or lists.ends_with_connector(before)


def find_foot_addressees(lines: Sequence[Line], text: str, *, first: int, stop: int, taken: set[int]) -> list[lists.Item]:
    """'All Principal Accounting Officers (...)' printed between the signature and the copy list."""
    group: list[Line] = []
    for i in range(first, min(stop, len(lines))):
        line = lines[i]
        if i in taken or _is_copy_label(line.text):
            break
        if line.blank:
            if group and not _address_goes_on(lines, i, group[-1]):
                break
            continue
        if not group and not re.match(r"\s*(?:All|The)\s+[A-Z]", line.text):
            continue
        group.append(line)
    if not group:
        return []
    value = strip_junk(squeeze(" ".join(text[g.start:g.end] for g in group)))
    start = group[0].start + len(group[0].text) - len(group[0].text.lstrip())
    return [lists.Item(value, (start, group[-1].end), 0.6)] if len(value) >= 5 else []


def _address_goes_on(lines: Sequence[Line], blank: int, last: Line) -> bool:
    """An address printed double-spaced ('The Manager,' / '' / 'Printing Corporation' / '' /
    'of Pakistan Press,'): across one blank line, after a comma or into a lower-case line."""
    nxt = lines[blank + 1] if blank + 1 < len(lines) else None
    if nxt is None or nxt.blank or _PROSE.match(nxt.text) or _is_copy_label(nxt.text):
        return False
    return last.text.rstrip().endswith(",") or nxt.stripped[:1].islower()


def _is_copy_label(text: str) -> bool:
    from pipeline.extract.distribution import LABEL

    return bool(LABEL.match(text)) and len(text.strip()) < 110


def opens_to_block(text: str) -> bool:
    """A 'To' label, alone or with the first recipient after it ('TO: All County Directors')."""
    m = _TO.match(text)
    return bool(m) and len(text.strip()) <= 80 and (not m.group("rest").strip() or m.group("rest").strip()[0].isupper())


def unlabelled_block(lines: Sequence[Line], header_end: int, anchors: Sequence[tuple[int, int]]) -> list[int]:
    """A letter's recipients printed without 'To': the short lines between its number/date
    line and its subject line ('General Manager,' / 'All Indian Railway' / 'Sub: ...')."""
    from pipeline.extract.subject import LABEL as SUBJECT

    # the header ends at its subject or salutation, wherever the body's first prose line fell
    # (a letterhead's contact line can read as prose and put ``header_end`` at 0)
    limit = min(len(lines), max(header_end, _HEADER_SEARCH) + 1)
    stop = next((i for i in range(limit) if SUBJECT.match(lines[i].text) or _SALUTATION.match(lines[i].text)), None)
    end = stop if stop is not None else min(header_end, len(lines))
    marked = [i for i in range(end) if any(lines[i].start <= a < lines[i].end + 1 for a, _ in anchors)]
    if not marked:
        return []
    if stop is None:  # the block ends at a subject printed without a label, a salutation or the body
        end = next((k for k in range(marked[-1] + 1, end) if _END.match(lines[k].text) or _unlabelled_subject(lines[k].text)), end)
    stretch = [k for k in range(marked[-1] + 1, end) if not lines[k].blank]
    block = _recipient_run(list(range(marked[-1] + 1, end)), lines)
    if not block or len(block) > 12 or not all(_header_recipient_line(lines[k]) for k in stretch if k <= block[-1]):
        return []
    return block


_HEADER_SEARCH = 30  # lines from the top in which a letter's subject or salutation is looked for
_SALUTATION = re.compile(r"^\s*(?:Dear\b|Sir\s*[,/]|Madam\s*[,/]|Respected\b)", re.I)


_FROM = re.compile(r"^\s*(?:From|FROM)\b\s*[:\-–]?")


def _recipient_run(indices: list[int], lines: Sequence[Line]) -> list[int]:
    """The non-blank lines of ``indices`` from the first naming a recipient ('Ashadha 10, 1935
    (Saka)' above 'All Scheduled Commercial Banks' is a second date line) up to a blank line
    followed by a line naming none (the subject printed plainly below the recipients)."""
    run: list[int] = []
    gap = sender = False
    for k in indices:
        line = lines[k]
        if line.blank:
            gap, sender = bool(run), False
            continue
        # 'From: Arnab Roy,' / 'Secretary to the Government ...': the sender's lines, up to a
        # blank line or a numbered recipient, are no addressee
        if _FROM.match(line.text) and not run:
            sender = True
        if sender and not lists.MARKER.match(line.text):
            continue
        sender = False
        if not run and not names_a_recipient(line.text):
            continue
        if gap and not names_a_recipient(line.text) and len(line.text.split()) >= 4:
            break  # a short line ('ICF & RCF') is the office of the post above it
        run.append(k)
        gap = False
    return run


def _header_recipient_line(line: Line) -> bool:
    """A short line, not a heading, a government line, a date line or a label."""
    from pipeline.extract.doctype import heading_of

    t = line.stripped
    marked = bool(lists.MARKER.match(line.text))
    # a numbered recipient may run long (two OCR'd together) or end in a misread ':'
    label = t.endswith(":") and not (marked and names_a_recipient(t))
    return not (len(t) > (160 if marked else 90) or label or heading_of(line)
                or re.match(r"(?i)\W*(government|govt)\b", t) or re.match(r"(?i)\W*(dated?|dt)\b", t))


def _unlabelled_subject(text: str) -> bool:
    """A subject in capitals without a label ('GRANTING OF SPECIAL LEAVE DURING ...'): no post named."""
    letters = re.sub(r"[^A-Za-z]", "", text)
    return len(text.split()) >= 4 and bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8 \
        and not _POST.search(text)


# A post named by the first words of a part, only capitalised words before it ('District and
# Sessions Judges', 'Deputy Commissioners'), not inside an office's name ('Office of the Chief Secretary')
_POST_FIRST = re.compile(r"(?:(?:[A-Z][\w.'()/-]*|and|&)\s+){0,3}?" + _POST.pattern.removeprefix("(?i)").replace(r"\b(?:", r"(?i:", 1))


def _last_and(parts: Iterable[str]) -> list[str]:
    """'A, B, C and Deputy Commissioners in the State': in a list of three or more parts, an 'and'
    in the last part before a post opens the last recipient."""
    out = list(parts)
    if len(out) < 3:
        return out
    for m in re.finditer(r"\s+and\s+(?=(?:All\s+|the\s+)?[A-Z])", out[-1]):
        before, after = out[-1][:m.start()], out[-1][m.end():]
        if _POST_FIRST.match(re.sub(r"^(?:All|the)\s+", "", after)) and _POST.search(before):
            return out[:-1] + [before, after]
    return out


def _split_posts(value: str) -> list[str]:
    """'DG/RDSO, DG/NAIR', 'ALL DEPARTMENT SECRETARIES, HEADS OF AGENCIES, BUREAUS AND OFFICES':
    a comma before a part that opens with a post starts another addressee; a part that
    names no post ('All Indian Railways', 'Board of Management') stays with the one before."""
    parts = _office_list(value)
    if len(parts) >= 2:
        return parts
    parts = _last_and(p.strip() for p in value.split(","))
    out = [parts[0]]
    for part in parts[1:]:
        head = re.sub(r"^(?:All|ALL|The|THE)\s+", "", part)
        opens = _POST_FIRST.match(head) or (head != part and _POST.search(part))
        parallel = lists.opens_like_recipient(part) and lists.opens_like_recipient(out[-1])
        if opens and _POST.search(out[-1]) or parallel:
            out.append(part)
        else:
            out[-1] = f"{out[-1]}, {part}"
    return [p for p in out if p]


# The head noun closing a post's name ('Deputy Chief Executive Officer' closes at 'Officer' only)
_HEAD_POST = re.compile(
    r"(?i)secretar(?:y|ies)|directors?|ministers?|officers?|commissioners?|managers?|controllers?|registrars?|"
    r"superintendents?|engineers?|inspectors?|collectors?|accountants?|supervisors?")
_HONORIFIC = re.compile(r"(?i)hon\.?|hon'ble")  # 'HON. DEPUTY MINISTERS' opens a recipient
# Words that carry a post's name on ('MINISTER OF STATE', 'Executive Officer'), so no cut after them
_CARRIES_ON = re.compile(r"(?i)^(?:of|for|to|and|in|&|general|incharge|in-charge|\(|/)")


def split_run_on_posts(value: str) -> list[str]:
    """Posts printed side by side with no separator ('TSC Regional Directors TSC County Directors',
    'HON. DEPUTY MINISTERS CHIEF DIRECTOR COORDINATING DIRECTOR'): in a run without commas or
    body words, a post word followed by a name of two or more words that names a post again
    closes one recipient. [value] when the run is not such a list."""
    if "," in value or re.search(r"\b(?!(?:of|and|the|to|for|in|i/c)\b)[a-z]{2,}\b", value):
        return [value]
    words = value.split()
    out, start = [], 0
    for k, word in enumerate(words[:-2]):
        rest = words[k + 1:]
        # a post word after the cut must begin a post of two ('CHIEF DIRECTOR'), not carry one on ('Staff to ...')
        carried = _CARRIES_ON.match(rest[0]) or _POST.fullmatch(rest[0].strip(".")) and not _POST.fullmatch(rest[1].strip("."))
        if (_HEAD_POST.fullmatch(word.strip(".")) and not carried or _HONORIFIC.fullmatch(rest[0])) and len(rest) >= 2 \
                and _POST.search(" ".join(rest)) and k + 1 - start >= 2:
            out.append(" ".join(words[start:k + 1]))
            start = k + 1
    out.append(" ".join(words[start:]))
    return out if all(_POST.search(part) for part in out) else [value]


def _office_list(value: str) -> list[str]:
    """'Cabinet Secretariat, President's Secretariat, Prime Minister's Office': every part the
    name of an office and none a post, so each part is a recipient ([value] otherwise)."""
    parts = [p.strip() for p in value.split(",")]
    # a post in the possessive names the office's holder, not the recipient ('President's Secretariat')
    if len(parts) >= 2 and all(_OFFICE_NOUN.search(p) and not _POST.search(re.sub(r"\S+[’']s\b", "", p)) for p in parts):
        return parts
    return [value]


def _group(block: list[Line], text: str) -> list[lists.Item]:
    """Marker items when the block has markers; otherwise one item per post named: a line
    naming a post (or opening 'All'/'The') starts an item, other lines and lines after a
    trailing comma or connector go on with it; blank lines and full stops end an item."""
    if sum(1 for line in block if lists.MARKER.match(line.text) and not lists.MARKER_ONLY.match(line.text)) >= 2:
        return [replace(item, text=part) for item in lists.split_items(block, text, cuts={}, wrap_at=10_000)
                for chunk in lists.split_recipients(item.text) for part in _office_list(chunk) if part]
    items: list[lists.Item] = []
    group: list[Line] = []
    padded = block + [Line(len(text), len(text), "")]
    for k, line in enumerate(padded):
        if line.blank:
            if not _continues_after_blank(group, padded[k + 1:], text):
                group = _flush(group, items, text)
            continue
        if group:
            before = text[group[-1].start:group[-1].end].rstrip()
            joined = before.endswith(("&", "/", "-", "(")) or lists.ends_with_connector(before)
            # a trailing comma carries an address on ('General Manager,' / 'All Indian Railway'),
            # not into another post ('Vice-Chancellors of Universities,' / 'Rectors of Campuses,')
            comma = before.endswith(",") and not (_POST.search(line.text) and _POST.search(" ".join(g.text for g in group)))
            joined = joined or _names_where(group, line)
            if before.endswith(".") and not re.search(r"\b[A-Z][a-z]{0,4}\.$|\betc\.$", before) \
                    or not (joined or comma) and (_POST.search(line.text) or _ITEM_START.match(line.text)):
                group = _flush(group, items, text)
        group.append(line)
    return items


# 'All Concerned', 'All Others Concerned': a recipient of its own, never an address
_ALL_CONCERNED = re.compile(r"(?i)^\s*all\s+(?:others?\s+|those\s+)?concerned\b")


def _names_where(group: list[Line], line: Line) -> bool:
    """'Chief Executives' / 'All Scheduled banks in Bangladesh': a bare short post, then an
    'All ...' line naming no post, which says where the post is held (the Bangladesh Bank's
    circulars, the Railway Board's 'General Manager,' / 'All Indian Railway')."""
    if len(group) != 1:
        return False
    post = group[0].stripped.rstrip(",")
    return len(post.split()) <= 3 and bool(_POST.search(post)) and not _ITEM_START.match(post) \
        and bool(re.match(r"\s*All\s+[A-Z]", line.text)) and not _POST.search(line.text) \
        and not _ALL_CONCERNED.match(line.text)


def _continues_after_blank(group: list[Line], after: list[Line], text: str) -> bool:
    """A double-spaced address ('The Director General,' / '' / 'Pakistan Post,' / '' /
    'Islamabad.'): after a line ending in a comma, the next line goes on with it unless it
    names another post or opens 'All'/'The'."""
    nxt = next((x for x in after if not x.blank), None)
    if not group or nxt is None:
        return False
    before = text[group[-1].start:group[-1].end].rstrip()
    if _POST.search(nxt.text) or _ITEM_START.match(nxt.text) or lists.MARKER.match(nxt.text):
        return False
    # double-spaced without the comma: 'The Heads of all recognized Secondary' / '' / 'Institution
    # in West Bengal', a short line going on with a name (a lower-case 'in'/'of' inside it)
    wraps = not before.endswith((".", ":")) and nxt.stripped[:1].isupper() and len(nxt.stripped.split()) <= 6 \
        and bool(re.search(r"\s(?:in|of|for|and)\s", nxt.stripped))
    return before.endswith(",") or wraps


def _joined(group: list[Line], text: str) -> str:
    """The group's lines as one string: a short post line and the office under it are two
    parts of an address ('General Manager' / 'ICF & RCF' -> 'General Manager, ICF & RCF');
    a line that wraps goes on with a space."""
    out = ""
    for g in group:
        part = text[g.start:g.end].strip()
        prev = out.rstrip()
        short_post = prev and len(prev.split()) <= 3 and _POST.search(prev) and not re.search(r"[,&/(-]$", prev) \
            and not lists.ends_with_connector(prev) and not _POST.search(part)
        out = f"{prev}, {part}" if short_post else f"{out} {part}"
    return out


def _flush(group: list[Line], items: list[lists.Item], text: str) -> list[Line]:
    if group:
        raw = _joined(group, text)
        value = strip_junk(squeeze(re.sub(r"\s*,\s*", ", ", raw)))
        value = re.sub(r",\s*,", ",", value)
        span = (group[0].start + len(text[group[0].start:group[0].end]) - len(text[group[0].start:group[0].end].lstrip()), group[-1].end)
        parts = [q for chunk in _SEMICOLON.split(value) for p in _split_posts(chunk) for q in split_run_on_posts(p)]
        for part in parts:  # ',' separates recipients only before another post
            if len(part) >= 3:
                items.append(lists.Item(part, span, 0.75))
    return []
