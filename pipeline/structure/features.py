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
from pipeline.extract import refnum
from pipeline.extract._text import Line, is_garbage_line, is_to_label, is_underline, split_lines, upper_ratio
from pipeline.extract.distribution import LABEL as DISTRIBUTION_LABEL
from pipeline.extract.doctype import heading_of
from pipeline.extract.subject import LABEL as SUBJECT_LABEL
from pipeline.models import Word
from pipeline.structure.vocabulary import FURNITURE, KEYWORDS, LIST_MARKER

Features = dict[str, float | str]
# the features a line passes to its neighbours: enough to see a block's edges, few enough
# that the model stays small
_SHARED = ("kw", "marker", "caps", "len", "rule", "blank_before", "blank_after", "ends")


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
    own = []
    for n, (i, line) in enumerate(kept):
        f = _shape(line, width)
        f.update(_position(n, len(kept)))
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
    }


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
