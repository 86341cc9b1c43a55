"""Edits on the raw text and the reversible bookkeeping around them.

Every pass proposes ``Edit``s that index the *raw* text; the engine keeps the non-overlapping
ones (earlier passes win) and turns them into ``pipeline.models.Correction``s whose ``span``
indexes the corrected text. Because all edits refer to the raw text, undoing one is just
rebuilding without it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from pipeline.errors import BadArgsError
from pipeline.models import Correction, Span


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    replacement: str
    rule: str
    score: float
    evidence: str = ""
    group: str = ""  # edits of one repair (a marker moved: deleted here, inserted there) stand or fall together


@dataclass(frozen=True)
class Candidate:
    """A correction the engine considered but did not apply (for the review app)."""

    original: str
    suggestion: str
    raw_span: Span
    rule: str
    score: float
    reason: str


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end or b.start == b.end:  # insertions clash at the same point
        insertion, other = (a, b) if a.start == a.end else (b, a)
        if other.start < other.end and other.replacement == "" and insertion.start in (other.start, other.end):
            return False  # text removed next to an insertion point leaves it where it was
        return a.start <= b.end and b.start <= a.end
    return a.start < b.end and b.start < a.end


def resolve(edits: Iterable[Edit]) -> list[Edit]:
    """Keep edits in priority order, dropping any that overlap one already kept.

    Consecutive edits sharing a ``group`` are kept or dropped together: half a move (a marker
    deleted from its column but never inserted at its item) would lose text.
    """
    kept: list[Edit] = []
    batch: list[Edit] = []

    def settle() -> None:
        if batch and not any(_overlaps(edit, other) for edit in batch for other in kept):
            kept.extend(batch)
        batch.clear()

    for edit in edits:
        if batch and (not edit.group or edit.group != batch[0].group):
            settle()
        batch.append(edit)
        if not edit.group:
            settle()
    settle()
    return sorted(kept, key=lambda e: (e.start, e.end))


def to_corrections(raw_text: str, edits: Sequence[Edit]) -> tuple[Correction, ...]:
    corrections = []
    delta = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        original = raw_text[edit.start:edit.end]
        if original == edit.replacement:
            continue
        start = edit.start + delta
        corrections.append(
            Correction(
                original=original,
                replacement=edit.replacement,
                raw_span=(edit.start, edit.end),
                span=(start, start + len(edit.replacement)),
                rule=edit.rule,
                score=round(min(1.0, max(0.0, edit.score)), 3),
                evidence=edit.evidence,
                group=edit.group,
            )
        )
        delta += len(edit.replacement) - (edit.end - edit.start)
    return tuple(corrections)


def apply_corrections(raw_text: str, corrections: Sequence[Correction]) -> str:
    """The corrected text: ``raw_text`` with each correction's replacement applied."""
    pieces: list[str] = []
    position = 0
    for correction in sorted(corrections, key=lambda c: c.raw_span):
        start, end = correction.raw_span
        if start < position or raw_text[start:end] != correction.original:
            raise BadArgsError(
                f"correction {correction.original!r}->{correction.replacement!r} at {start}:{end} "
                "does not match the raw text or overlaps another"
            )
        pieces.append(raw_text[position:start])
        pieces.append(correction.replacement)
        position = end
    pieces.append(raw_text[position:])
    return "".join(pieces)


def respan(raw_text: str, corrections: Sequence[Correction]) -> tuple[Correction, ...]:
    """Recompute corrected-text spans after some corrections were removed."""
    edits = [Edit(c.raw_span[0], c.raw_span[1], c.replacement, c.rule, c.score, c.evidence)
             for c in corrections]
    rebuilt = to_corrections(raw_text, edits)
    by_span = {c.raw_span: c for c in corrections}
    return tuple(replace(by_span[c.raw_span], span=c.span) for c in rebuilt)


def map_offset_to_raw(offset: int, corrections: Sequence[Correction], *, end: bool = False) -> int:
    """One corrected-text offset -> raw offset; inside a replacement it snaps to its edge."""
    delta = 0
    for correction in sorted(corrections, key=lambda c: c.span):
        start, stop = correction.span
        if (offset <= start) if end else (offset < start):
            break
        if end and offset <= stop:
            return correction.raw_span[1]
        if not end and offset < stop:
            return correction.raw_span[0]
        delta = correction.raw_span[1] - stop
    return offset + delta


def map_span_to_raw(span: Span, corrections: Sequence[Correction]) -> Span:
    """Corrected-text offsets -> raw-text offsets (a span inside a replacement widens to it)."""
    start, end = span
    if start > end:
        raise BadArgsError(f"span {span} has start after end")
    return (map_offset_to_raw(start, corrections), map_offset_to_raw(end, corrections, end=True))
