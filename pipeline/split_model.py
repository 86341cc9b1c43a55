"""Learned document boundaries: a small linear-chain CRF over a file's non-blank lines.

The rules of ``pipeline/split.py`` read a text once (``rule_trace``); what they saw becomes
features of every non-blank line -- the marks of a document's opening on the line and in
the look-ahead window (letterhead, number, date, heading, opening, preamble, series, a
letterhead in another script), the state of the document being read (prose read, heading
seen, closed by a signature or a copy list), top of a page, the shape of the line before
(designation, signatory's name, copy-list item, full stop, short line), blank lines before,
the line's length, capitals and indentation. The model (``pipeline/data/split.crfsuite``,
rebuilt by ``python -m pipeline.split_training``; docs/split-model.md) labels each line
``S`` (a document starts) or ``I``; a document starts where the marginal probability of
``S`` reaches ``THRESHOLD`` or the rules start one, and two hard guards hold: the current
document has a body, and the new one does not print the current one's own number again.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from pipeline.extract._text import Line
from pipeline.extract.refnum import find_reference_numbers
from pipeline.extract.signatures import designation_of
from pipeline.split import (
    _COPY_LABEL,
    _LIST_ITEM,
    _OWN_REF_LINE,
    MIN_BODY_CHARS,
    MIN_BODY_CLOSED,
    RuleTrace,
    _continues,
    _Doc,
    _is,
    _is_body,
    _kind,
    _marks,
    _window,
    rule_trace,
)

MODEL_PATH = Path(__file__).resolve().parent / "data" / "split.crfsuite"
THRESHOLD = 0.6  # chosen by grouped cross-validation on dev (docs/split-model.md)
NEIGHBOURS = (-2, -1, 1, 2)  # lines whose own features a line sees too

_CONTINUED = re.compile(r"\b(contd|continued|p\s*/\s*\d+)\b", re.I)
_local = threading.local()  # a pycrfsuite Tagger is not safe to share between threads


def _bucket(value: float, edges: tuple[float, ...]) -> str:
    """Index of the first edge ``value`` is below (a coarse, learnable scale)."""
    return str(next((n for n, edge in enumerate(edges) if value < edge), len(edges)))


def _shape(line: Line) -> dict[str, float]:
    """Features of one line by itself: what it is and how it is printed."""
    text = line.stripped
    letters = [c for c in text if c.isalpha()]
    caps = sum(c.isupper() for c in letters) / len(letters) if letters else 0.0
    feats = {f"m:{m}": 1.0 for m in sorted(_marks(line) if len(text) < 200 else ())}  # sorted: same bytes every run
    feats[f"kind:{_kind(line)}"] = 1.0
    feats[f"len:{_bucket(len(text), (4, 15, 40, 80, 150))}"] = 1.0
    feats[f"caps:{_bucket(caps, (0.2, 0.6, 0.9))}"] = 1.0
    feats[f"indent:{_bucket(len(line.text) - len(line.text.lstrip()), (1, 8, 25))}"] = 1.0
    short = len(text) <= 60
    for name, hit in (
        ("designation", short and bool(designation_of(text))),
        ("signature_name", _is("signature_name", line.text)),
        ("closing", _is("closing", line.text)),
        ("copy", bool(_COPY_LABEL.match(line.text))),
        ("list_item", bool(_LIST_ITEM.match(text))),
        ("body", _is_body(line)),
        ("full_stop", text.endswith(".")),
        ("comma", text.endswith(",")),
        ("lower_start", bool(re.match(r"^[a-z(,;]", text))),
        ("continuation", len(text) <= 40 and _is("continuation", text)),
    ):
        if hit:
            feats[name] = 1.0
    return feats


def _context(trace: RuleTrace, i: int, blanks: int) -> dict[str, float]:
    """Features of line ``i`` in its place: the document read so far, the page, the look-ahead.
    Whether the rules start a document here is no feature: the rules were written on dev, so
    on dev they look surer than they are on other offices' documents; the decoder adds their
    starts instead."""
    lines, tops = trace.lines, trace.tops
    body, heading, closed, keys = trace.states.get(i, (0, False, False, frozenset()))
    feats = {
        f"body:{_bucket(body, (1, 60, 150, 600))}": 1.0,
        f"blanks:{min(blanks, 3)}": 1.0,
    }
    if i == 0:
        feats["first_line"] = 1.0
    if heading:
        feats["doc_heading"] = 1.0
    if closed:
        feats["doc_closed"] = 1.0
    if i in tops:
        feats["top"] = 1.0
        if _continues(lines, i):
            feats["top_continues"] = 1.0
    if _kind(lines[i]) not in (None, "flat"):
        seen = _window(lines, i, tops)
        feats.update({f"w:{m}": 1.0 for m in sorted(seen["marks"])})
        feats[f"w_letterheads:{min(seen['letterheads'], 2)}"] = 1.0
        if seen["signed"]:
            feats["w_signed"] = 1.0
        refs = [r.key for w in seen["lines"] if _OWN_REF_LINE.match(w.text) for r in find_reference_numbers(w.text)]
        if refs and all(r in keys for r in refs):
            feats["w_same_number"] = 1.0
    return feats


def line_features(trace: RuleTrace) -> tuple[list[int], list[dict[str, float]]]:
    """The non-blank lines' indices and each one's features (its own, its neighbours')."""
    index = [i for i, line in enumerate(trace.lines) if not line.blank]
    own = [_shape(trace.lines[i]) for i in index]
    feats, prev = [], -1
    for n, i in enumerate(index):
        f = dict(own[n])
        f.update(_context(trace, i, i - prev - 1))
        prev = i
        for d in NEIGHBOURS:
            if 0 <= n + d < len(index):
                f.update({f"{d}:{k}": v for k, v in own[n + d].items()})
            else:
                f[f"{d}:none"] = 1.0
        feats.append(f)
    return index, feats


def _tagger(path: Path):  # -> pycrfsuite.Tagger | None
    import pycrfsuite

    cache = getattr(_local, "taggers", None)
    if cache is None:
        cache = _local.taggers = {}
    key = (str(path), path.stat().st_mtime_ns) if path.exists() else None
    if key is None:
        return None
    if key not in cache:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        cache.clear()
        cache[key] = tagger
    return cache[key]


def start_probabilities(trace: RuleTrace, model: Path | None = None) -> dict[int, float] | None:
    """Each non-blank line's probability of starting a document; None without a model."""
    tagger = _tagger(model or MODEL_PATH)
    if tagger is None:
        return None
    index, feats = line_features(trace)
    if not index:
        return {}
    tagger.set(feats)
    return {i: tagger.marginal("S", n) for n, i in enumerate(index)}


def decode(trace: RuleTrace, probs: dict[int, float], threshold: float = THRESHOLD, *, with_rules: bool = True) -> list[int]:
    """Start lines: where the rules start a document or the model's probability is at least
    ``threshold``, and the hard guards hold: the current document (as decoded here) has a
    body -- so a rule start a line or two from a model start is the same start -- and the
    line does not open with the current document's own number."""
    lines, starts, doc = trace.lines, [0], _Doc()
    by_rules = set(trace.starts) if with_rules else set()
    for i, line in enumerate(lines):
        if i and not line.blank and (i in by_rules or probs.get(i, 0.0) >= threshold and _may_open(trace, i)) \
                and doc.body >= _min_body(doc, i in trace.tops) and not _same_number(lines, i, doc):
            starts.append(i)
            doc = _Doc()
        doc.read(lines, i)
    return starts


def _min_body(doc: _Doc, top: bool) -> int:
    """Prose the current document must hold before another may start: less once it has closed
    (signed, copied) or a page ends, as the rules require."""
    return MIN_BODY_CLOSED if doc.closed or top else MIN_BODY_CHARS


def _under_signature(lines: list[Line], i: int) -> bool:
    """The line right under a signature, a designation or 'Sd/-': a signature's office lines
    ('DEPUTY SECRETARY (SERVICES)' / 'Delhi Administration : Delhi') look like a letterhead,
    and a page may break between them. Only the rules, which read on past the office lines
    to a document's opening, may start a document here."""
    above = next((line.stripped for line in reversed(lines[:i]) if not line.blank), "")
    return bool(len(above) <= 60 and designation_of(above) or _is("signature_name", above) or _is("closing", above)
                or re.search(r"\b[A-Z]{3,}(?:\s+[A-Z.]+){1,3}\s*$", above) and not above.endswith("."))


def _may_open(trace: RuleTrace, i: int) -> bool:
    """A continuation page never opens a document. Under a signature (a designation, a signatory's name, 'Sd/-', 'Encl.'), or on a line
    that is itself a designation, the lines that follow are the signature's office lines
    ('DEPUTY SECRETARY (SERVICES)' / 'Delhi Administration : Delhi' / 'Phone : 251 6763'),
    which look like a letterhead, and a page may break between them. There a document opens
    only if what follows shows more of an opening than a letterhead: a number, a date, a
    heading, an addressee or subject -- and no signature straight away."""
    lines = trace.lines
    above = next((line.stripped for line in reversed(lines[:i]) if not line.blank), "")
    text = lines[i].stripped
    if _CONTINUED.search(above) and len(above) <= 60 or len(text) <= 40 and _is("continuation", text):
        return False  # 'Contd... P/2' at the foot of the page before, '-2-' at the top of this one
    if _kind(lines[i]) == "date":  # a date over a signature, unless a number follows: 'Dated: 15/03/2024' / 'GOVERNOR'
        return "number" in _window(lines, i, trace.tops)["marks"]
    if text.endswith(("”", "’’")) and "“" not in text:
        return False  # the end of a quotation opened above ('GOVERNOR OF THE PUNJAB”'), inside a document
    signed_above = bool(len(above) <= 60 and designation_of(above) or _is("signature_name", above) or _is("closing", above))
    if not (signed_above or len(text) <= 60 and designation_of(text)):
        return True
    if len(text) >= 150:
        return True  # a whole document flattened onto one line
    seen = _window(lines, i, trace.tops)
    return bool(seen["marks"] & {"number", "date", "heading", "opening"}) and not seen["signed"]


def _same_number(lines: list[Line], i: int, doc: _Doc) -> bool:
    """The line opens with the current document's own number: a continuation or endorsement."""
    head = [line for line in lines[i : i + 4] if not line.blank][:2]
    refs = [r.key for line in head if _OWN_REF_LINE.match(line.text) for r in find_reference_numbers(line.text)]
    return bool(refs) and all(r in doc.keys for r in refs)


def learned_starts(text: str, model: Path | None = None, threshold: float = THRESHOLD) -> list[int] | None:
    """Character offsets where documents start by the model; None when no model is installed."""
    trace = rule_trace(text)
    probs = start_probabilities(trace, model)
    if probs is None:
        return None
    return [trace.lines[i].start for i in decode(trace, probs, threshold)]
