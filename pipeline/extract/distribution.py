"""Distribution: the 'Copy forwarded to:' / 'Copy to:' / 'c.c.' / 'cc:' recipients.

The block runs from its label to the signature that closes it (a bracketed name or a
designation set apart), the next document part or the end. A list with no label at the
foot of a circular ('All Deans/Heads of Departments ...') counts too when it follows the
last paragraph and opens with 'All ...' or list markers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from pipeline.extract import lists
from pipeline.extract._text import Line, is_garbage_line, is_to_label, squeeze
from pipeline.extract.signatures import _BRACKETED, designation_of
from pipeline.models import Word

# A label may open a bulleted field of a web circular's metadata ('  • Copies sent to:').
_BULLET = r"(?:[•▪·*]\s*)?"
LABEL = re.compile(
    r"^\s*" + _BULLET + r"(?:(?:A\s+)?cop(?:y|ies)\s+(?:is|are|of\s+the\s+above\s+is)\s+forwarded\b[^:\n]{0,70}?\bto\b|Cop(?:y|ies)\b[^:\n]{0,70}?\bto(?:\s+the(?=\s*[:\-–]))?\b|"
    r"Cop(?:y|ies)\s+for(?:warded)?\b[^:\n]{0,60}|Cop(?:y|ies)|c\s?\.\s?c\s?\.?(?:\s+to)?|cc(?:\s+to)?|"
    r"(?:Information\s+)?copy\s+(?:also\s+)?to|(?:Also|Forwarded)\s+to|Distribution(?:\s+list)?|Circulation(?:\s+list)?|Endst\.?)\s*(?:[:;]\s*[-–]?|[-–]+|(?=\s*$))\s*",
    re.I,
)


UNLABELLED = 0.65  # confidence of an item of a foot list printed without a copy label

# 'Endst: No. & date even.': the endorsement's own number (that of the document), not an item.
_EVEN_NUMBER = re.compile(r"(?i)\s*(?:No\.?\s*(?:&|and)\s*date\s+even|even\s+No\.?\s*(?:&|and)\s*date|"
                          r"of\s+even\s+(?:No\.?|number)\s*(?:&|and)\s*date)\s*\.?\s*")


@dataclass(frozen=True)
class Block:
    label_span: tuple[int, int] | None
    first: int  # first line index of the items
    last: int  # last line index (inclusive)


# A long label the body's words run into: 'A copy alongwith a copy of the Allotment Policy ...
# is forwarded for information to:-', 'A Copy is forwarded for information to the:-'.
# 'A copy is forwarded to the following for information:-' names no recipient itself either.
LONG_LABEL = re.compile(r"^\s*(?:A\s+)?copy\b[^\n]{0,250}?\bforwarded\b[^\n]{0,80}?\bto(?:\s+the)?"
                        r"(?:\s+following\b[^:;\n]{0,60})?\s*(?:[:;]\s*[-–]*|[-–]+)\s*$", re.I)
# One recipient in the sentence itself: 'A copy is forwarded to the Superintendent, Sindh
# Government Printing Press, Karachi, with a request to publish ...'.
# A copy label written as a sentence ending its line: 'A copy is forwarded for information ... to;'.
_SENTENCE_LABEL = re.compile(r"(?i)\s*A\s+copy\s+is\s+forwarded\b.*\bto\s*[:;]")
# 'Copy to Secretary to Govt of Khyber Pakhtunkhwa, ... with the request to ...' (no colon).
INLINE_LABEL = re.compile(r"^\s*(?:(?:A\s+)?copy\s+(?:of\s+the\s+above\s+)?is\s+(?:also\s+)?forwarded\s+to\s+(?=the\s+[A-Z])"
                          r"|(?-i:Copy|COPY)\s+(?:forwarded\s+)?to\s+(?=(?:the\s+|all\s+)?[A-Z]))", re.I)


# 'Endst. No. 5/65/09-5FP1/399 dated 18.08.2009': the endorsement's own number line opens the
# copy list printed under it (Indian and Pakistani offices), when no copy label follows.
_ENDORSEMENT = re.compile(r"^\s*(?:Endst|Endorsement)\.?\s*[:.]?\s*No\b[^\n]*$", re.I)


# The labels of a memorandum's head ('TO:', 'cc:', 'FROM:', 'DATE:', 'SUBJECT:'): a cc list
# printed among them ends at the next one, on its line or below it.
MEMO_LABEL = re.compile(r"(?:^|\s)(?:FROM|From|DATE|Date|SUBJECT|Subject|THRU|Thru|RE)\s*:")


def _label_at(line: Line, following: Line | None = None) -> re.Match[str] | None:
    m = LABEL.match(line.text)
    if m and (len(line.stripped) < 110 or MEMO_LABEL.search(line.text, m.end())) and _label_ok(line.text, m):
        return m
    e = _ENDORSEMENT.match(line.text)
    if e and len(line.stripped) < 110 and following is not None and not _label_at(following) \
            and not _ENDORSEMENT.match(following.text):
        return e
    return LONG_LABEL.match(line.text) or INLINE_LABEL.match(line.text)


def find_blocks(lines: Sequence[Line], tail_start: int, body_start: int | None = None) -> list[Block]:
    """Labelled blocks anywhere after the body starts, else an unlabelled foot list."""
    blocks = []
    # a copy label is never the body's first line, except in a flattened copy, where OCR order
    # and line breaks put back by ``reflow`` can make it so
    i = tail_start if body_start is None else min(tail_start, body_start + (0 if _sentence_copy(lines, body_start) else 1))
    i = min(i, _memo_cc_line(lines, i))
    while i < len(lines):
        nxt = next((k for k in range(i + 1, min(len(lines), i + 3)) if not lines[k].blank), None)
        m = _label_at(lines[i], lines[nxt] if nxt is not None else None)
        if m and not lines[i].text[m.end():].strip() and nxt is not None \
                and (LONG_LABEL.match(lines[nxt].text) or _SENTENCE_LABEL.match(lines[nxt].text)):
            i = nxt  # a label printed twice ('Copy Forwarded To:' over 'A copy is forwarded ... to;')
            continue
        if m:
            first = i if lines[i].text[m.end():].strip() else i + 1
            last = _block_end(lines, first)
            blocks.append(Block((lines[i].start + (len(lines[i].text) - len(lines[i].text.lstrip())), lines[i].start + m.end()), first, last))
            i = last + 1
            continue
        i += 1
    if blocks:
        return blocks
    for i in range(tail_start, len(lines)):
        text = lines[i].stripped
        if not text or is_garbage_line(text):
            continue
        before = _previous_filled(lines, i)
        if is_to_label(text) or (before is not None and is_to_label(before.text)):
            return []  # a 'To:' list at the foot names the addressees, not a distribution
        if (_BRACKETED.match(lines[i].text) and _looks_like_name(text)) or designation_of(text):
            continue
        if re.match(r"All\s+[A-Z]", text) or (_has_marker(lines[i]) and _has_marker(_next_filled(lines, i))):
            return [Block(None, i, _block_end(lines, i))]
    return []


def _has_marker(line: Line | None) -> bool:
    return line is not None and bool(lists.MARKER.match(line.text)) and not lists.MARKER_ONLY.match(line.text) \
        and not line.stripped.startswith("(")


def _previous_filled(lines: Sequence[Line], i: int) -> Line | None:
    return next((line for line in reversed(lines[:i]) if not line.blank), None)


def _next_filled(lines: Sequence[Line], i: int) -> Line | None:
    return next((line for line in lines[i + 1:] if not line.blank), None)


def _label_ok(text: str, m: re.Match[str]) -> bool:
    rest = text[m.end():].strip()
    head = text[: m.end()].strip()
    if head.lower().startswith("copy") and not re.search(r"(?i)\bto\b|[:\-–]$|^copy$", head):
        return False
    return not rest or bool(re.match(r"[A-Z(\[0-9ivx]", rest))


# '-// Forwarded / By Order //-', '/True Copy/': the attestation under a copy list ends it.
_ATTESTATION = re.compile(r"^[\s/\-–]*(?:Forwarded|By\s+Order|True\s+Copy)\b[\s/\-–A-Za-z]{0,24}$", re.I)


_CC = re.compile(r"^\s*c\.?\s?c\s*[:.]", re.I)


def _memo_cc_line(lines: Sequence[Line], before: int) -> int:
    """A memorandum's head ('TO: ... / cc: ... / FROM: ... / SUBJECT: ...') prints its copy list
    above the body: the index of such a 'cc:' line among the lines above ``before`` (else ``before``)."""
    for i in range(min(before, len(lines))):
        if _CC.match(lines[i].text) and any(MEMO_LABEL.search(x.text) for x in lines[i:i + 4]):
            return i
    return before


def _sentence_copy(lines: Sequence[Line], i: int) -> bool:
    """Is line ``i`` a copy endorsement written as a sentence ('Copy forwarded to ... for information')?"""
    return i < len(lines) and bool(INLINE_LABEL.match(lines[i].text))


# 'Sd/-', '-sd-', '(Sd.)': a signature mark under a copy list closes it
_SIGNED = re.compile(r"^\s*[-(]?\s*sd\s*[/.\-]*\s*[-)]?\s*$", re.I)
# 'File No: UGC/HR/6/5/01', 'No. 1234/A': a number line, not a recipient
_FILE_NUMBER = re.compile(r"^\s*(?:File\s+)?No\s*[.:]", re.I)
# '24/1/20 SECTION OFFICER (ACAD-I)': a signer's dated initials OCR'd into the list
_DATED_SCRIBBLE = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")
# '3. Copy to File No.99/Elec(G)/165/2': a copy label inside an item
_ITEM_LABEL = re.compile(r"^(?:Copy\s+to|Copy\s+for\s+information\s+to)\s+(?=[A-Z])", re.I)


_BULLET_LINE = re.compile(r"^\s*[•▪·*]\s*\S")


def _block_end(lines: Sequence[Line], first: int) -> int:
    last = first - 1
    # a label that is one bullet of a list of fields ('• Copies sent to:') ends at the next bullet
    bulleted = first > 0 and bool(_BULLET_LINE.match(lines[first - 1].text) and LABEL.match(lines[first - 1].text))
    for j in range(first, len(lines)):
        text = lines[j].text
        if bulleted and j > first and _BULLET_LINE.match(text):
            break
        if _ATTESTATION.match(text) or MEMO_LABEL.match(text) or _SIGNED.match(text):
            break
        if j > first and lines[j - 1].blank and _FILE_NUMBER.match(text):
            break  # the paper's own file number printed under the list, set apart
        if _BRACKETED.match(text) and text.strip().startswith("(") and len(text.strip()) < 50 and _looks_like_name(text):
            break
        if j > first and (LABEL.match(text) and len(text.strip()) < 110 or LONG_LABEL.match(text)):
            break
        if j > first and INLINE_LABEL.match(lines[first].text):
            break  # the sentence's one recipient
        if designation_of(text) and not text.rstrip().endswith((".", ",")) and _set_apart(lines, j):
            break
        if not lines[j].blank:
            last = j
    return max(last, first)


def _looks_like_name(text: str) -> bool:
    """'(Muhammad Ali)', and a name behind initials: '(A. H. M. Kamaruzzaman)', '(H. T. Imam )'."""
    inner = text.strip().strip("()[]{} ")
    words = re.findall(r"[A-Za-z]{2,}", inner)
    initials = re.findall(r"\b[A-Z]\.", inner)
    return (len(words) >= 2 or len(words) == 1 and len(initials) >= 1) and not re.search(r"\d", inner)


def _set_apart(lines: Sequence[Line], j: int) -> bool:
    prev = lines[j - 1] if j else None
    return prev is None or prev.blank or is_garbage_line(prev.text)


def _recipients_like(items: list[lists.Item]) -> bool:
    """Does a list printed without a copy label name recipients? Its items are short and
    most name a post or open 'All'/'The' ('All Deans/Heads of Departments', 'SSO to VC').
    On the real corpus's dev split every unlabelled list that failed this was a body's list
    of directions or a paragraph ('25% concession must be awarded ...')."""
    from pipeline.extract.addressees import names_a_recipient

    if not items or any(len(item.text) > 120 for item in items):
        return False
    return sum(names_a_recipient(item.text) for item in items) >= 0.5 * len(items)


# A full stop after a word of 3+ letters, then a capital: the sentence ends ('... Cuttack for
# information and necessary action. He is requested to publish ...').
_SENTENCE_END = re.compile(r"(?<=[a-z]{3})\.\s+(?=[A-Z])")


def split_run_on_posts(value: str) -> list[str]:
    from pipeline.extract.addressees import split_run_on_posts as split

    return [part for chunk in _named_list(value) for part in split(chunk)]


_NAMED_LIST_PARTS = 4  # fewer comma parts are one address ('The Secretary, Finance Department, Lahore')


def _named_list(value: str) -> list[str]:
    """'Chairman of Police Authorities, Lord Chief Justice of England, The Clerk to the Justices,
    The Court Administrator, ...': a comma list most of whose parts name a post or open with
    'The'/'All' lists recipients; an address names one post and then its office and town."""
    from pipeline.extract.addressees import names_a_recipient

    parts = [p.strip() for p in value.split(",")]
    if len(parts) < _NAMED_LIST_PARTS or not all(p[:1].isupper() for p in parts):
        return [value]
    named = sum(names_a_recipient(p) for p in parts)
    return parts if named >= 0.6 * len(parts) else [value]


def _sentence_last_line(lines: Sequence[Line], first: int, text: str, start: int) -> int:
    """The line where the copy sentence's recipients end: its own, or up to two lines more
    while neither a full stop nor a purpose phrase has closed them (a line break inside them)."""
    last = first
    while last + 1 < min(len(lines), first + 3) and not lines[last + 1].blank and not _label_at(lines[last + 1]):
        so_far = text[start:lines[last].end]
        if _SENTENCE_END.search(so_far) or lists.without_purpose(so_far) != so_far or so_far.rstrip().endswith("."):
            break
        last += 1
    return last


def _sentence_recipients(rest: str) -> list[str]:
    """The recipients of 'Copy forwarded to <rest>': the first sentence without its purpose
    phrase; when several addresses are joined by '/' ('all RDCs/all Collectors/ Registrar,
    Odisha Administrative Tribunal, Bhubaneswar/ ...'), one per part."""
    first = _SENTENCE_END.split(squeeze(rest.strip()), maxsplit=1)[0]
    value = lists.without_purpose(first.strip().rstrip("."))
    parts = [p.strip() for p in re.split(r"\s*/\s*(?=\S)", value)]
    if len(parts) >= 3 and any("," in p for p in parts):
        return [p for p in parts if p]
    return [value] if value else []


def find_distribution(
    lines: Sequence[Line], text: str, *, tail_start: int, wrap_at: int, words: Sequence[Word] = (),
    body_start: int | None = None,
) -> tuple[list[lists.Item], set[int]]:
    """Distribution items and the line indices they occupy (kept out of signatures)."""
    items: list[lists.Item] = []
    used: set[int] = set()
    for block in find_blocks(lines, tail_start, body_start):
        block_lines = list(lines[block.first : block.last + 1])
        if block.label_span and block.first < len(lines) and lines[block.first].start < block.label_span[1]:
            line = block_lines[0]
            if INLINE_LABEL.match(line.text):  # the rest of the sentence names the recipients
                last = _sentence_last_line(lines, block.first, text, block.label_span[1])
                value = _sentence_recipients(text[block.label_span[1]:lines[last].end])
                items.extend(lists.Item(part, (block.label_span[1], lines[last].end), 0.75) for part in value)
                used.update(range(block.first, max(block.last, last) + 1))
                continue
            memo = MEMO_LABEL.search(text, block.label_span[1], line.end)
            end = memo.start() if memo else line.end  # 'cc: HON. MINISTER OF STATE ... FROM: HON. MINISTER'
            block_lines[0] = Line(block.label_span[1], end, text[block.label_span[1]:end])
        cuts = lists.right_column_cuts(block_lines, words) if words else {}
        if not cuts:
            cuts = lists.right_column_cuts_from_text(block_lines)
        found = [replace(item, text=part) for item in lists.split_items(block_lines, text, cuts=cuts, wrap_at=wrap_at)
                 if not _EVEN_NUMBER.fullmatch(item.text) and not _DATED_SCRIBBLE.match(item.text) for chunk in lists.split_recipients(_ITEM_LABEL.sub("", item.text))
                 for part in split_run_on_posts(chunk)]
        if block.label_span is None:  # no copy label: a weaker reading (UNLABELLED)
            if not _recipients_like(found):
                continue
            found = [replace(item, confidence=UNLABELLED) for item in found]
        items.extend(found)
        used.update(range(block.first - (1 if block.label_span else 0), block.last + 1))
    return items, used
