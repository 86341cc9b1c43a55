"""Features of each line for the line labeller: shape, position, keywords, today's rules.

    feats = line_features(text, words)      # one dict per non-blank line, with its neighbours'

Only non-blank lines are labelled; a blank line before or after a line is a feature of it
(blocks are set apart by blank lines in typed text). Values are strings (one-hot, the CRF
learns a weight per value) or floats. OCR word boxes, when given, add the line's left and
right edge and its centre relative to the page's text width, and its mean confidence;
without them, indentation and centring are read from the spaces of the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.extract import dates as _dates
from pipeline.extract import gazetteer, refnum
from pipeline.extract._text import Line, is_garbage_line, is_to_label, is_underline, split_lines, upper_ratio
from pipeline.extract.distribution import LABEL as DISTRIBUTION_LABEL
from pipeline.extract.doctype import heading_of
from pipeline.extract.subject import LABEL as SUBJECT_LABEL
from pipeline.models import Word
from pipeline.structure.vocabulary import FURNITURE, KEYWORDS, LIST_MARKER

Features = dict[str, float | str]
# the features a line passes to its neighbours: enough to see a block's edges, few enough
# that the model stays small
_SHARED = ("kw", "marker", "caps", "len", "rule", "blank_before", "blank_after", "ends", "name", "short_run")
SHORT_LINE = 50  # characters: a block line (address, signature, copy list), not a prose line
# A name as printed under a signature or in a To block: 2-5 capitalised words or initials,
# an honorific first at most ('Dr. M. A. Khan', 'MUHAMMAD ALI SHAH', '(Abdul Rauf)').
NAME_SHAPE = re.compile(
    r"^\W{0,3}(?:(?:Dr|Mr|Mrs|Ms|Miss|Prof|Engr|Syed|Shri|Smt|Hon|Atty)\.?\s+)?"
    r"(?:(?:[A-Z]\.\s?){1,3}|[A-Z][A-Za-z'’-]+\.?\s+){1,4}[A-Z][A-Za-z'’-]+\W{0,3}$")


@dataclass(frozen=True)
class LineBox:
    """Where a line's words sit on the page (fractions of the text width) and how sure OCR was."""

    left: float
    right: float
    confidence: float  # 0-100, mean over the line's words


def content_lines(text: str) -> list[tuple[int, Line]]:
    """The non-blank lines of ``text`` with their index in ``split_lines(text)``."""
    return [(i, line) for i, line in enumerate(split_lines(text)) if not line.blank]


def line_features(text: str, words: Sequence[Word] = ()) -> list[Features]:
    """One feature dict per non-blank line of ``text`` (the order of ``content_lines``)."""
    all_lines = split_lines(text)
    kept = [(i, line) for i, line in enumerate(all_lines) if not line.blank]
    hits = _rule_hits(text)
    boxes = line_boxes(kept, words)
    width = max((len(line.text.rstrip()) for _, line in kept), default=1) or 1
    anchors = _anchors([line for _, line in kept])
    median_words = _median([len(line.stripped.split()) for _, line in kept])
    markers = _marker_sequence([line for _, line in kept])
    runs = _short_runs([line for _, line in kept])
    under = _under_headings([line for _, line in kept])
    own = []
    for n, (i, line) in enumerate(kept):
        f = _shape(line, width)
        f.update(_position(n, len(kept)))
        f.update(_relative(n, anchors))
        f.update(_gazetteer(line.stripped))
        f["from_end"] = _bucket(len(kept) - 1 - n, (0, 1, 2, 4, 7, 12, 20))
        f["short_run"] = _bucket(runs[n], (0, 1, 2, 4))
        f["words_ratio"] = _bucket(len(line.stripped.split()) / median_words, (0.25, 0.5, 0.8, 1.25, 2))
        f["marker_seq"] = markers[n]
        f["under"] = under[n]
        f.update(_keywords(line.text))
        f.update(_rules(line, hits))
        f.update(_box(boxes.get(i)))
        f["blank_before"] = str(i > 0 and all_lines[i - 1].blank)
        f["blank_after"] = str(i + 1 < len(all_lines) and all_lines[i + 1].blank)
        own.append(f)
    return [_with_neighbours(own, n) for n in range(len(own))]


def _shape(line: Line, width: int) -> Features:
    text = line.text
    stripped = line.stripped
    letters = [c for c in stripped if c.isalpha()]
    digits = sum(c.isdigit() for c in stripped)
    indent = len(text) - len(text.lstrip())
    centre = (indent + len(text.rstrip())) / 2 / width
    m = LIST_MARKER.match(text)
    first = re.match(r"\W*([A-Za-z]+)", stripped)
    return {
        "len": _bucket(len(stripped), (4, 12, 30, 60, 100, 200)),
        "words": _bucket(len(stripped.split()), (1, 2, 4, 8, 16)),
        "caps": _bucket(upper_ratio(stripped), (0.2, 0.5, 0.8, 0.99)) if letters else "none",
        "digits": _bucket(digits / max(1, len(stripped)), (0.0, 0.1, 0.3, 0.6)),
        "indent": _bucket(indent, (0, 3, 9, 20)),
        "centred": str(indent > 3 and abs(centre - 0.5) < 0.1),
        "right": str(indent > 0.4 * width),
        "marker": _marker_kind(m.group("marker")) if m else "none",
        "starts": "lower" if stripped[:1].islower() else "upper" if stripped[:1].isupper() else
                  "digit" if stripped[:1].isdigit() else "other",
        "ends": stripped[-1:] if stripped[-1:] in ".,:;-)" else "other",
        "w0": first.group(1).lower()[:12] if first else "none",
        "bracketed": str(bool(re.fullmatch(r"[(\[].{3,60}[)\]]\.?", stripped))),
        "lower_words": _bucket(len(re.findall(r"\b[a-z]{2,}\b", stripped)), (0, 2, 5, 10)),
        "name": str(bool(NAME_SHAPE.match(stripped)) and not gazetteer.proper_names_in(stripped)),
        "end2": stripped[-2:] if stripped[-2:] in ("/-", ":-", ".-", ",-", "-)", ".)") else "none",
    }


def _is_prose(line: Line) -> bool:
    """A running-text line: long, with many lower-case words (what the body is made of)."""
    return len(line.stripped) >= 60 and len(re.findall(r"\b[a-z]{2,}\b", line.text)) >= 5


@dataclass(frozen=True)
class _Anchors:
    subject: int | None  # first 'Subject:' line
    to: int | None  # first 'To' line
    first_prose: int | None
    last_prose: int | None


def _anchors(lines: Sequence[Line]) -> _Anchors:
    """Where the landmarks every government document prints are: the subject and To labels,
    and the first and last line of running text (the body). Head, To block, signature and
    copy list are placed by them."""
    prose = [n for n, line in enumerate(lines) if _is_prose(line)]
    subject = next((n for n, line in enumerate(lines) if SUBJECT_LABEL.match(line.text)), None)
    to = next((n for n, line in enumerate(lines) if is_to_label(line.text)), None)
    return _Anchors(subject, to, prose[0] if prose else None, prose[-1] if prose else None)


def _relative(n: int, a: _Anchors) -> Features:
    def side(at: int | None) -> str:
        if at is None:
            return "none"
        return "at" if n == at else "before" if n < at else "after" + ("1" if n == at + 1 else "")

    body = "none" if a.first_prose is None else "head" if n < a.first_prose else \
        "foot" if n > a.last_prose else "in"
    out: Features = {"vs_subject": side(a.subject), "vs_to": side(a.to), "vs_body": body}
    if body == "foot":
        out["after_body"] = _bucket(n - a.last_prose, (1, 2, 4, 7, 12))
    if body == "head":
        out["before_body"] = _bucket(a.first_prose - n, (1, 2, 4, 7, 12))
    return out


def _gazetteer(stripped: str) -> Features:
    """The gazetteers' designations (at the line's start), offices and places (anywhere)."""
    out: Features = {}
    text = LIST_MARKER.sub(lambda m: m.group()[-1], stripped).strip(" ,.;:()")
    text = re.sub(r"(?<=\w)[(/]", " ", text)  # 'Joint Secretary(Budget)', 'Secretary/Railway Board'

    if text and gazetteer._designation_at_start(text):
        out["gaz:designation"] = 1.0
    for name in gazetteer.proper_names_in(stripped):
        kind = "place" if name.lower() in gazetteer.place_names() else "office"
        out[f"gaz:{kind}"] = 1.0
    return out


def _heading_kind(line: Line) -> str | None:
    """What kind of block a line opens: a To list, a copy list, the subject, the letter's
    text (salutation or a prose line), the signature (close or 'Sd/-')."""
    text = line.text
    if is_to_label(text):
        return "to"
    if _keyword("copy_to").match(text) or (DISTRIBUTION_LABEL.match(text) and len(line.stripped) < 110):
        return "copy"
    if SUBJECT_LABEL.match(text):
        return "subject"
    if _keyword("salutation").match(text) or _is_prose(line):
        return "body"
    if _keyword("closing").search(text) or _keyword("signed").search(text):
        return "signed"
    return None


def _under_headings(lines: Sequence[Line]) -> list[str]:
    """For each line, the last block-opening line above it: a list under 'To' is addressees,
    the same list under 'Copy to' is distribution, wherever on the page either stands."""
    out, last = [], "none"
    for line in lines:
        out.append(last)
        last = _heading_kind(line) or last
    return out


def _keyword(name: str) -> re.Pattern[str]:
    return next(k.pattern for k in KEYWORDS if k.name == name)


def _median(values: Sequence[int]) -> float:
    ordered = sorted(values)
    return max(1.0, float(ordered[len(ordered) // 2])) if ordered else 1.0


def _short_runs(lines: Sequence[Line]) -> list[int]:
    """For each line, how many short lines stand next to it in an unbroken run (0: not short)."""
    short = [len(line.stripped) < SHORT_LINE for line in lines]
    out = [0] * len(lines)
    n = 0
    while n < len(lines):
        if not short[n]:
            n += 1
            continue
        end = n
        while end + 1 < len(lines) and short[end + 1]:
            end += 1
        for k in range(n, end + 1):
            out[k] = end - n + 1
        n = end + 1
    return out


def _marker_ordinal(marker: str) -> tuple[str, int] | None:
    core = marker.strip("()[].) ")
    bracket = "(" if marker.lstrip().startswith(("(", "[")) else ""
    if core.isdigit():
        return bracket + "1", int(core)
    if re.fullmatch(r"[ivxl]+", core.lower()) and core.lower() in _ROMAN:
        return bracket + "i", _ROMAN.index(core.lower()) + 1
    if len(core) == 1 and core.isalpha():
        return bracket + "a", ord(core.lower()) - 96
    return None


_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv")


def _marker_sequence(lines: Sequence[Line]) -> list[str]:
    """'cont' when a line's list marker follows the last marker of its style by one ('2.'
    after '1.'), 'first' for a list's first item, 'odd' otherwise: a list continues, a
    stray number does not."""
    last: dict[str, int] = {}
    out = []
    for line in lines:
        m = LIST_MARKER.match(line.text)
        found = _marker_ordinal(m.group("marker")) if m else None
        if not found:
            out.append("none")
            continue
        style, ordinal = found
        out.append("cont" if last.get(style) == ordinal - 1 else "first" if ordinal == 1 else "odd")
        last[style] = ordinal
    return out


def _marker_kind(marker: str) -> str:
    core = marker.strip("()[].) ")
    kind = "num" if core.isdigit() else "roman" if re.fullmatch(r"(?i)[ivxl]+", core) else "alpha"
    return ("paren-" if marker.startswith("(") else "") + kind


def _position(n: int, total: int) -> Features:
    rel = n / max(1, total - 1)
    return {"pos": _bucket(rel, (0.05, 0.15, 0.3, 0.5, 0.7, 0.85, 0.95)), "pos_f": round(rel, 3),
            "first": str(n == 0), "last": str(n == total - 1)}


def _keywords(text: str) -> Features:
    return {f"kw:{k.name}": 1.0 for k in KEYWORDS if k.pattern.search(text)} | {"kw": _main_keyword(text)}


def _main_keyword(text: str) -> str:
    """The first keyword that matches (a neighbour sees this one value)."""
    return next((k.name for k in KEYWORDS if k.pattern.search(text)), "none")


@dataclass(frozen=True)
class _Hits:
    refs: tuple[int, ...]  # start offsets of reference numbers
    dates: tuple[int, ...]  # start offsets of dates


def _rule_hits(text: str) -> _Hits:
    return _Hits(tuple(r.span[0] for r in refnum.find_reference_numbers(text)),
                 tuple(d.span[0] for d in _dates.find_dates(text)))


def _rules(line: Line, hits: _Hits) -> Features:
    """Today's rules on the line: a reference number, a date, a heading, a label."""
    found = {
        "refnum": any(line.start <= s < line.end for s in hits.refs),
        "date": any(line.start <= s < line.end for s in hits.dates),
        "heading": heading_of(line) is not None,
        "to_label": is_to_label(line.text),
        "underline": is_underline(line.text),
        "garbage": is_garbage_line(line.text),
        "dist_label": bool(DISTRIBUTION_LABEL.match(line.text)) and len(line.stripped) < 110,
        "subject_label": bool(SUBJECT_LABEL.match(line.text)),
        "furniture": bool(FURNITURE.match(line.text)),
    }
    out: Features = {f"rule:{name}": 1.0 for name, hit in found.items() if hit}
    out["rule"] = "+".join(name for name, hit in found.items() if hit) or "none"
    return out


def line_boxes(kept: Sequence[tuple[int, Line]], words: Sequence[Word]) -> dict[int, LineBox]:
    """Each line's extent and confidence from the OCR words whose spans fall in it."""
    if not words:
        return {}
    starts = [line.start for _, line in kept]
    groups: dict[int, list[Word]] = {}
    for word in words:
        n = _line_index(starts, word.span[0])
        if n is not None and word.span[0] < kept[n][1].end:
            groups.setdefault(kept[n][0], []).append(word)
    if not groups:
        return {}
    lefts = [w.box[0] for ws in groups.values() for w in ws]
    rights = [w.box[0] + w.box[2] for ws in groups.values() for w in ws]
    x0, x1 = min(lefts), max(rights)
    width = max(1, x1 - x0)
    return {i: LineBox((min(w.box[0] for w in ws) - x0) / width, (max(w.box[0] + w.box[2] for w in ws) - x0) / width,
                       sum(w.confidence for w in ws) / len(ws)) for i, ws in groups.items()}


def _line_index(starts: list[int], pos: int) -> int | None:
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= pos:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1 if lo else None


def _box(box: LineBox | None) -> Features:
    if box is None:
        return {"box": "none"}
    centre = (box.left + box.right) / 2
    return {
        "box": "yes",
        "box_left": _bucket(box.left, (0.02, 0.1, 0.3, 0.5)),
        "box_right": _bucket(box.right, (0.5, 0.7, 0.9, 0.98)),
        "box_centred": str(box.left > 0.1 and abs(centre - 0.5) < 0.08),
        "conf": _bucket(box.confidence, (40, 60, 80, 90)),
    }


def _with_neighbours(own: list[Features], n: int) -> Features:
    f = dict(own[n])
    for offset in (-2, -1, 1, 2):
        k = n + offset
        if 0 <= k < len(own):
            for name in _SHARED:
                f[f"{offset:+d}:{name}"] = own[k][name]
        else:
            f[f"{offset:+d}:edge"] = 1.0
    return f


def _bucket(value: float, edges: tuple[float, ...]) -> str:
    """The bucket of ``value``: 'le<edge>' of the first edge it does not pass, else 'gt<last>'."""
    for edge in edges:
        if value <= edge:
            return f"le{edge:g}"
    return f"gt{edges[-1]:g}"
