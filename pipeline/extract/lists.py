"""Recipient lists shared by addressees and distribution: markers, columns, item joining.

Markers (i./ii./1./(a)/-/•) are stripped even when OCR garbled them ('Vi.', 'VL.',
'viil.', 'xl1.'); marker-only lines (OCR read the marker column apart from the text) are
dropped. Items are joined across line breaks when a line wrapped (long, or ending in a
connector) or the next line starts in lower case. Two-column blocks ('All Regional Heads,
compliance.') are separated by word boxes when given, else by a text heuristic.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.extract._text import Line, is_garbage_line, squeeze, strip_junk
from pipeline.models import Word

MARKER = re.compile(
    r"^\s*(?:[(\[]?(?:[ivxlIVXL1|!jJ]{1,6}|[a-zA-Z]|\d{1,2})\s?[.)\]:,]|[(\[](?:[ivxlIVXL1|]{1,6}|[a-zA-Z]|\d{1,2})[)\]]|[-–•*·>»▪o]\s)\s*"
)
MARKER_ONLY = re.compile(r"^\s*[(\[]?(?:[ivxlIVXL1|!jJ]{1,6}|[a-zA-Z]|\d{1,2})\s?[.)\]:,]?\s*[-–]?\s*$")
_CONNECTOR_END = re.compile(r"(?:\b(?:of|and|the|to|for|in|&|with|on|at|by)|[&/(]|(?<=\w)[-–])\s*$", re.I)
_RIGHT_COLUMN_START = re.compile(
    r"\s(?=With\s+(?:the|a)\s+request\b|For\s+(?:information|necessary|compliance|kind)\b)"
)


# a capitalised left part, then 2+ lower-case words to the end: the right column's sentence
_LOWER_TAIL = re.compile(r"(?<=[A-Za-z)\].,])\s+((?:[a-z][\w'-]*[,;]?\s+)+[a-z][\w'-]*[.,]?)\s*$")


@dataclass(frozen=True)
class Item:
    text: str
    span: tuple[int, int]
    confidence: float


@dataclass(frozen=True)
class _Piece:
    """Part of a line kept as list text: span in the document text."""

    start: int
    end: int
    marker: bool  # the line opened with a list marker
    blank_before: bool


def ends_with_connector(text: str) -> bool:
    """Does ``text`` end with a word that needs the next line ('of', 'and', '&', '/')?"""
    return bool(_CONNECTOR_END.search(text))


def right_column_cuts(lines: Sequence[Line], words: Sequence[Word]) -> dict[int, int]:
    """line index -> text offset where the right column begins, from word boxes."""
    if not words:
        return {}
    by_line: dict[int, list[Word]] = {}
    for w in words:
        for idx, line in enumerate(lines):
            if line.start <= w.span[0] < line.end + 1:
                by_line.setdefault(idx, []).append(w)
                break
    heights = [w.box[3] for ws in by_line.values() for w in ws if w.box[3] > 0]
    if not heights:
        return {}
    unit = statistics.median(heights)
    starts: dict[int, int] = {}  # line index -> x of the first word after a wide gap
    whole: dict[int, int] = {}  # line index -> x of a line lying wholly to the right
    left_margin = min(min(w.box[0] for w in ws) for ws in by_line.values())
    for idx, ws in by_line.items():
        ws = sorted(ws, key=lambda w: w.box[0])
        for a, b in zip(ws, ws[1:]):
            if b.box[0] - (a.box[0] + a.box[2]) > 2.5 * unit:
                starts[idx] = b.box[0]
                break
        if ws[0].box[0] - left_margin > 12 * unit:
            whole[idx] = ws[0].box[0]
    if len(starts) < 2:
        return {}  # one wide gap is justified text or a stamp, not a column
    column_x = statistics.median(starts.values())
    tolerance = 4 * unit
    cuts: dict[int, int] = {}
    for idx, ws in by_line.items():
        if abs(starts.get(idx, -10**9) - column_x) <= tolerance:
            # this line's own gap opens the column: cut at the first word after it
            cuts[idx] = min(w.span[0] for w in ws if w.box[0] >= starts[idx])
        elif idx in whole and whole[idx] >= column_x - tolerance:
            cuts[idx] = min(w.span[0] for w in ws)
    return cuts if sum(1 for i in cuts if i in starts) >= 2 else {}


def right_column_cuts_from_text(lines: Sequence[Line]) -> dict[int, int]:
    """Text-only column guess: a layout gap shared by lines, else a request phrase mid-line."""
    return _gap_cuts(lines) or _phrase_cuts(lines)


def _gap_cuts(lines: Sequence[Line]) -> dict[int, int]:
    """Text that kept its layout: a run of 4+ spaces at the same column in 2+ lines."""
    gaps = {idx: gap for idx, line in enumerate(lines) if (gap := _column_gap(line.text)) is not None}
    if len(gaps) < 2:
        return {}
    column = statistics.median(gaps.values())
    cuts = {idx: lines[idx].start + col for idx, col in gaps.items() if abs(col - column) <= 4}
    if len(cuts) < 2:
        return {}
    for idx, line in enumerate(lines):
        lead = len(line.text) - len(line.text.lstrip())
        if idx not in cuts and not line.blank and lead >= column - 4:
            cuts[idx] = line.start  # the line holds only right-column text
    return cuts


_WIDE_GAP = re.compile(r"\S(\s{4,})\S")


def _column_gap(text: str) -> int | None:
    """Where text resumes after a run of 4+ spaces, not counting the padding after a marker.

    'v.    The Accountant General' is one item whose marker was padded to line up with
    'viii. PS to ...', not a left column holding 'v.'.
    """
    marker = MARKER.match(text)
    m = _WIDE_GAP.search(text, marker.end() if marker else 0)
    return m.end(1) if m else None


def _phrase_cuts(lines: Sequence[Line]) -> dict[int, int]:
    """A request phrase mid-line ('With the request to ...') opens the right column."""
    cuts: dict[int, int] = {}
    open_column = False
    for idx, line in enumerate(lines):
        text = line.text
        if line.blank:
            continue
        if not open_column:
            if re.match(r"\s*(?:With\s+(?:the|a)\s+request\b|For\s+(?:information|necessary|compliance)\b)", text):
                cuts[idx] = line.start  # the right column OCR'd as lines of its own
                open_column = not text.rstrip().endswith(".")
                continue
            m = _RIGHT_COLUMN_START.search(text)
            if m and text[: m.start()].strip() and text[: m.start()].strip()[0].isupper():
                cuts[idx] = line.start + m.end()
                open_column = not text.rstrip().endswith(".")
            continue
        stripped = text.strip()
        if stripped[0].islower():
            cuts[idx] = line.start
            open_column = not stripped.endswith(".")
            continue
        m = re.search(r",\s+([a-z][a-z\s]*[.]?)\s*$", text) or _LOWER_TAIL.search(text)
        if m:
            cuts[idx] = line.start + m.start(1)
            open_column = not m.group(1).strip().endswith(".")
            continue
        open_column = False
    return cuts


def split_items(lines: Sequence[Line], text: str, *, cuts: dict[int, int], wrap_at: int) -> list[Item]:
    """Items of a recipient block (``lines``), markers stripped, wrapped lines joined."""
    pieces: list[_Piece] = []
    blank = False
    for idx, line in enumerate(lines):
        end = cuts.get(idx, line.end)
        if end <= line.start or line.blank or not text[line.start:end].strip():
            blank = blank or line.blank
            continue
        segment = text[line.start:end]
        if MARKER_ONLY.match(segment) or is_garbage_line(segment) or is_scribble(segment):
            blank = True
            continue
        m = None if _ABBREVIATION_START.match(segment) else _JUNK_THEN_MARKER.match(segment) or MARKER.match(segment)
        has_marker = bool(m)
        start = line.start + (m.end() if has_marker else len(segment) - len(segment.lstrip()))
        pieces.append(_Piece(start, line.start + len(segment.rstrip()), has_marker, blank))
        blank = False
    with_markers = sum(p.marker for p in pieces) >= 2
    groups: list[list[_Piece]] = []
    for piece in pieces:
        if not groups:
            groups.append([piece])
            continue
        prev = groups[-1][-1]
        prev_text = text[prev.start:prev.end]
        this_text = text[piece.start:piece.end]
        if with_markers:
            # an abbreviation's full stop ('H.P.' / 'SHIMLA - 2.') does not end an item
            ends_item = prev_text.endswith(".") and not _ENDS_WITH_INITIAL.search(prev_text)
            joins = not piece.marker and not (ends_item and (piece.blank_before or this_text[:1].isupper()))
        else:
            wrapped = len(prev_text) >= wrap_at and not prev_text.endswith(".")
            joins = wrapped or bool(_CONNECTOR_END.search(prev_text)) or (this_text[:1].islower() and not prev_text.endswith("."))
        if joins:
            groups[-1].append(piece)
        else:
            groups.append([piece])
    groups = _drop_stray_ends(groups, text)
    items = []
    for group in groups:
        for start, end in _run_on_items(group, text) if group[0].marker else [(group[0].start, group[-1].end)]:
            value = without_purpose(_clean(_joined_text(group, text, start, end)))
            if len(re.findall(r"[A-Za-z]", value)) >= 3:
                items.append(Item(value, (start, end), 0.8 if with_markers else 0.7))
    return items


# '- . ,.. - ·, " · 4. PPS to all Hon'ble Ministers': a stamp or specks OCR'd before a number
# marker: symbols and stray letters (no run of three), then 'N. ' or a dash, and a capital.
_JUNK_THEN_MARKER = re.compile(r"^(?=[^A-Za-z]*[^\w\s])(?:(?![A-Za-z]{3})\S{1,12}\s+){1,8}?(?:\(?\d{1,2}\s?[.)]|[-–])\s+(?=[A-Z])")
# 'H.P. Public Sector Undertakings': a letter and its full stop opening an abbreviation, not a marker
_ABBREVIATION_START = re.compile(r"^\s*[A-Za-z]\.\s?[A-Za-z]\.")
_ENDS_WITH_INITIAL = re.compile(r"(?:^|[\s.(])[A-Z]\.$")


def _joined_text(group: list[_Piece], text: str, start: int, end: int) -> str:
    """The group's pieces clipped to [start, end), joined with spaces."""
    parts = [text[max(p.start, start):min(p.end, end)] for p in group if p.end > start and p.start < end]
    return " ".join(part for part in parts if part.strip())


def _run_on_items(group: list[_Piece], text: str) -> list[tuple[int, int]]:
    """A numbered item that runs on into the next ('... Department 3. PA to Deputy Secretary'):
    OCR or a flattened copy joined the lines, but the next number in sequence, followed by a
    capital, still opens the next item. Spans of the item and of each run-on item."""
    first = group[0]
    number = _marker_number(text, first.start)
    if number is None:
        return [(first.start, group[-1].end)]
    spans, start = [], first.start
    body = text[first.start:group[-1].end]
    for m in re.finditer(r"\s\(?(\d{1,2})\s?[.)]\s*(?=[A-Z])", body):
        if int(m.group(1)) == number + 1:
            spans.append((start, first.start + m.start()))
            start, number = first.start + m.end(), number + 1
    spans.append((start, group[-1].end))
    return spans


def _marker_number(text: str, item_start: int) -> int | None:
    """The arabic number of the marker printed just before ``item_start`` ('3. ', '(3)')."""
    line_start = text.rfind("\n", 0, item_start) + 1
    m = re.search(r"(?:^|[\s\-–:])[(\[]?(\d{1,2})\s?[.)\]]\s*$", text[line_start:item_start])
    return int(m.group(1)) if m else None


# A closing purpose phrase is the sender's request, not part of the recipient: 'Director
# PDUNASS for information please', 'Govt. of Tripura for favour of kind information',
# 'Bhubaneswar for information and necessary action'. Printed after a space (not set off by
# a comma), in lower case, naming 'information' or ending in 'please'.
_PURPOSE = re.compile(r"(?:(?<![,\s])\s+|(?<=[a-z])\.\s*)\(?for\s+(?=[a-z])(?P<phrase>[a-z ,&]*?\b(?:information|info)\b|[^()\n]*?\bplease\b)")


def without_purpose(value: str) -> str:
    """``value`` without a closing 'for information ...' phrase (and anything OCR read after it)."""
    m = _PURPOSE.search(value)
    if not m or len(re.findall(r"[A-Za-z]", value[:m.start()])) < 3:
        return value
    return strip_junk(value[:m.start()])


def _drop_stray_ends(groups: list[list[_Piece]], text: str) -> list[list[_Piece]]:
    """Drop a first or last 'item' unlike the rest: a stamp or signature read as letters.

    Only in lists whose items (4+) end consistently with '.' or ',': a short end item
    without that punctuation and without any word of 4+ letters ('IDWS YD', 'Ou RWN PS')
    is not a recipient.
    """
    if len(groups) < 4:
        return groups
    ends = [text[g[-1].start:g[-1].end].rstrip() for g in groups]
    if sum(e.endswith((".", ",")) for e in ends) < 0.75 * len(groups):
        return groups

    def stray(g: list[_Piece]) -> bool:
        raw = " ".join(text[p.start:p.end] for p in g).strip()
        words = re.findall(r"[A-Za-z]+", raw)
        return not raw.endswith((".", ",")) and len(words) <= 3 and not any(
            len(w) >= 4 and (w.islower() or w.istitle()) for w in words)
    def garbled(g: list[_Piece]) -> bool:  # markers read as letters: 'Sn nurFYWwWN SE'
        raw = " ".join(text[p.start:p.end] for p in g)
        return stray(g) and bool(re.search(r"[a-z]{2}[A-Z]{2}", raw))
    out = [g for g in groups if not garbled(g)]
    if out and stray(out[-1]):
        out.pop()
    if out and stray(out[0]):
        out.pop(0)
    return out


def is_scribble(text: str) -> bool:
    """A signature or stamp OCR'd as short letter runs ('apa GiN val eat ate ie', 'Se eee ee').

    Real items have a word of 4+ letters or an acronym in capitals ('SSO to VC').
    """
    words = re.findall(r"[A-Za-z]+", text)
    if not words:
        return True
    return not any(len(w) >= 4 or (w.isupper() and len(set(w)) >= 2) for w in words)


def _clean(raw: str) -> str:
    value = re.sub(r"(\w)-\s*\n?\s+([a-z])", r"\1\2", raw)
    value = re.sub(r"(\w)-\s+([A-Z])", r"\1-\2", value)
    value = squeeze(value)
    value = re.sub(r"\s+([,.;:])", r"\1", value)
    value = re.sub(r"\s*[-–]\s*$", "", value)
    return strip_junk(_without_speck_tail(value))


def _without_speck_tail(value: str) -> str:
    """'Personal file. eS Si 3 a8 ibe' -> 'Personal file.': after an item's full stop, a tail of
    scraps (no acronym, no word of four letters) is a stamp or specks read as text."""
    m = re.match(r"(.*[.!])\s+(\S+(?:\s+\S+)*)$", value)  # '!': a full stop misread
    if not m:
        return value
    tail = m.group(2).split()
    # an acronym or an initial ('in H. P.') is text, not a speck
    if all(len(t) <= 3 and not re.fullmatch(r"[A-Z]{1,3}\.?", t) for t in tail):
        return m.group(1).rstrip("!")
    return value


# 'The Auditor-General for the Federation, The Surveyor-General of the Federation', 'All ACCs
# Head Office, All RPFCs Head Office': parts opening alike with 'All'/'The' are parallel
# recipients; a part opening so after one that does not ('General Managers, All Indian
# Railways', 'Chief Executives, All scheduled banks') is the first one's address.
_OPENS_LIKE_RECIPIENT = re.compile(r"(?:All|ALL|The|THE)\s+(?:the\s+)?[A-Z]")
# A semicolon always separates recipients ('All Financial Advisers (By Name); and Chief ...').
SEMICOLON = re.compile(r"\s*;\s*(?:and\s+)?")


def opens_like_recipient(part: str) -> bool:
    """Does ``part`` open as a recipient does ('All ...', 'The ...')?"""
    return bool(_OPENS_LIKE_RECIPIENT.match(part))


def split_parallel(value: str) -> list[str]:
    """``value`` cut at each ', ' between two parts that both open with 'All'/'The'."""
    out: list[str] = []
    for part in (p.strip() for p in value.split(",")):
        if out and not (opens_like_recipient(part) and opens_like_recipient(out[-1])):
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return [p for p in out if p]


# '... in Khyber Pakhtunkhwa. All the District Coordination Officers ...': two lines OCR ran
# together; a full stop after a word, then 'All'/'The', opens the next recipient.
_SENTENCE_THEN_RECIPIENT = re.compile(r"(?<=[a-z]{3})\.\s+(?=(?:All|The)\s+(?:the\s+)?[A-Z])")


# A sentence of six or more lower-case words ('The Prime Minister has desired that the ...'):
# a remark going on from the item, not a recipient of its own
_REMARK = re.compile(r"(?:.*?\b[a-z]{2,}\b){6}")


def _sentences_naming_recipients(chunk: str) -> list[str]:
    """``chunk`` cut at each full stop before 'All'/'The', unless what follows is a remark."""
    out: list[str] = []
    for part in _SENTENCE_THEN_RECIPIENT.split(chunk):
        if out and _REMARK.match(part):
            out[-1] = f"{out[-1]}. {part}"
        else:
            out.append(part)
    return out


def split_recipients(value: str) -> list[str]:
    """One printed item that names several recipients: at semicolons and at a full stop
    before 'All'/'The', then parallel parts."""
    chunks = [c for chunk in SEMICOLON.split(value) for c in _sentences_naming_recipients(chunk)]
    return [part for chunk in chunks if chunk for part in split_parallel(chunk)]
