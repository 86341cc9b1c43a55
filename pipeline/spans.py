"""Map character offsets between the raw text and the corrected text.

Corrections are sorted, non-overlapping replacements, each knowing its span in both
texts. Outside a correction the two texts differ only by a constant shift; inside one,
a position maps to the edge of the other side's replacement (a start to its start, an
end to its end), so a mapped span always covers the text it came from.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from pipeline.models import Correction, Span


def _map_position(
    pos: int, corrections: Sequence[Correction], *, to_raw: bool, is_end: bool
) -> int:
    sources = [c.span if to_raw else c.raw_span for c in corrections]
    targets = [c.raw_span if to_raw else c.span for c in corrections]
    i = bisect_right([s[0] for s in sources], pos) - 1  # last correction starting <= pos
    if is_end and i >= 0 and sources[i][0] == pos and sources[i][1] > pos:
        i -= 1  # a span ending where a correction begins does not include it
    if i < 0:
        return pos
    src, dst = sources[i], targets[i]
    if is_end and pos <= src[1]:
        return dst[1]
    if not is_end and (pos < src[1] or pos == src[0]):
        return dst[0]
    return pos + (dst[1] - src[1])


def to_raw(span: Span, corrections: Sequence[Correction]) -> Span:
    """Offsets in the corrected text -> offsets in the raw text."""
    start = _map_position(span[0], corrections, to_raw=True, is_end=False)
    end = _map_position(span[1], corrections, to_raw=True, is_end=True) if span[1] > span[0] else start
    return (start, max(start, end))


def to_corrected(span: Span, corrections: Sequence[Correction]) -> Span:
    """Offsets in the raw text -> offsets in the corrected text."""
    start = _map_position(span[0], corrections, to_raw=False, is_end=False)
    end = _map_position(span[1], corrections, to_raw=False, is_end=True) if span[1] > span[0] else start
    return (start, max(start, end))
