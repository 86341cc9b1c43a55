"""Span mapping between raw and corrected text, against brute-force reconstruction."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline import spans
from pipeline.models import Correction


def _apply(raw: str, edits: list[tuple[int, int, str]]) -> tuple[str, list[Correction]]:
    out, corrections, pos, shift = [], [], 0, 0
    for start, end, repl in edits:
        out.append(raw[pos:start])
        new_start = start + shift
        corrections.append(
            Correction(raw[start:end], repl, (start, end), (new_start, new_start + len(repl)), "t", 1.0)
        )
        out.append(repl)
        shift += len(repl) - (end - start)
        pos = end
    out.append(raw[pos:])
    return "".join(out), corrections


CASES = [
    # raw, edits, corrected span, expected raw span
    ("Kihdly refer", [(0, 6, "Kindly")], (0, 6), (0, 6)),
    ("Kihdly refer", [(0, 6, "Kindly")], (7, 12), (7, 12)),
    ("dated 18\" Sept", [(6, 9, "18th")], (6, 10), (6, 9)),
    ("dated 18\" Sept", [(6, 9, "18th")], (11, 15), (10, 14)),
    ("a t6 b", [(2, 4, "to")], (0, 6), (0, 6)),
    ("x dis'ciplinary y", [(2, 15, "disciplinary")], (2, 14), (2, 15)),
    ("x dis'ciplinary y", [(2, 15, "disciplinary")], (15, 16), (16, 17)),
    ("noise\n(]\nnext", [(6, 9, "")], (6, 10), (6, 13)),
]


def test_table_cases() -> None:
    for raw, edits, span, expected in CASES:
        text, corr = _apply(raw, edits)
        assert spans.to_raw(span, corr) == expected, (raw, span)


@st.composite
def _edited(draw):  # noqa: ANN202
    raw = draw(st.text(alphabet="abc de\n", min_size=1, max_size=40))
    cuts = sorted(draw(st.lists(st.integers(0, len(raw)), max_size=6, unique=True)))
    edits = []
    for a, b in zip(cuts[::2], cuts[1::2]):
        edits.append((a, b, draw(st.text(alphabet="XYZ", max_size=4))))
    return raw, edits


@given(_edited())
def test_unchanged_text_maps_exactly(case) -> None:  # noqa: ANN001
    raw, edits = case
    text, corr = _apply(raw, edits)
    # Every character outside corrections maps back to itself.
    for i in range(len(text)):
        if any(c.span[0] <= i < c.span[1] for c in corr):
            continue
        r = spans.to_raw((i, i + 1), corr)
        got = raw[r[0]:r[1]]
        # Exact, or widened over text a neighbouring correction deleted at this edge.
        assert text[i] in got
        back = spans.to_corrected(r, corr)
        assert back[0] <= i and back[1] >= i + 1


@given(_edited())
def test_mapped_spans_cover_the_correction(case) -> None:  # noqa: ANN001
    raw, edits = case
    text, corr = _apply(raw, edits)
    for c in corr:
        if c.span[1] > c.span[0]:
            assert spans.to_raw(c.span, corr) == c.raw_span
        lo, hi = spans.to_raw((0, len(text)), corr)
        assert (lo, hi) == (0, len(raw)) or not text
