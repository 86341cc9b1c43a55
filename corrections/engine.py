"""The corrector: run every pass over the raw text, keep non-overlapping edits, record them.

Passes, in priority order (an earlier pass wins an overlap): learned rules from archivists,
list markers read as a column of their own, noise lines, ordinals, dates broken by a space,
list markers and section codes, hyphens and phrase punctuation, split and run-together
words, document-internal consistency of names, short function words, accents on English
words, word-level correction, specks read as punctuation, then quotes. All of them index
the raw text, which is never changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from pipeline.errors import BadArgsError
from pipeline.models import Correction, Word

from corrections import (accents, consistency, dates, hyphens, listcolumn, listmarkers, noise, ordinals, quotes,
                         shortwords, specks, splits)
from corrections import words as word_pass
from corrections.context import TextContext
from corrections.edits import Candidate, Edit, apply_corrections, resolve, respan, to_corrections

if TYPE_CHECKING:
    from corrections.learning import LearnedRules


@dataclass(frozen=True)
class CorrectionResult:
    text: str
    corrections: tuple[Correction, ...]
    uncertain: tuple[Candidate, ...] = ()


def correct_text(
    raw_text: str, words: Sequence[Word] = (), *, rules: "LearnedRules | None" = None
) -> CorrectionResult:
    """Correct OCR damage in ``raw_text``; every change is a reversible ``Correction``."""
    if not isinstance(raw_text, str):
        raise BadArgsError(f"raw_text must be str, not {type(raw_text).__name__}")
    context = TextContext(raw_text, tuple(words))
    proposed: list[Edit] = []
    uncertain: list[Candidate] = []
    if rules is not None:
        proposed += rules.propose(raw_text)
    proposed += listcolumn.propose(context)
    proposed += noise.propose(context)
    proposed += ordinals.propose(context)
    proposed += dates.propose(context)
    marker_edits, marker_doubts = listmarkers.propose(context)
    proposed += marker_edits
    proposed += hyphens.propose(context)
    proposed += splits.propose(context)
    proposed += consistency.propose(context)
    proposed += shortwords.propose(context)
    proposed += accents.propose(context)
    word_edits, word_doubts = word_pass.propose(context, proposed)
    proposed += word_edits
    proposed += specks.propose(context)
    proposed += quotes.propose(context)  # after words: "instruc’tions" is one word edit
    uncertain += marker_doubts + word_doubts
    corrections = to_corrections(raw_text, resolve(proposed))
    return CorrectionResult(apply_corrections(raw_text, corrections), corrections, _unresolved(uncertain, corrections))


def _unresolved(uncertain: list[Candidate], corrections: tuple[Correction, ...]) -> tuple[Candidate, ...]:
    """Doubts about text another pass already corrected are moot."""
    def touched(candidate: Candidate) -> bool:
        start, end = candidate.raw_span
        return any(c.raw_span[0] < end and start < c.raw_span[1] for c in corrections)
    return tuple(sorted((c for c in uncertain if not touched(c)), key=lambda c: c.raw_span))


def revert(raw_text: str, result: CorrectionResult, index: int) -> CorrectionResult:
    """Undo correction ``index`` (with the rest of its group, if it has one); the others keep
    their raw spans and get new text spans."""
    if not 0 <= index < len(result.corrections):
        raise BadArgsError(f"no correction {index}: the result has {len(result.corrections)}")
    group = result.corrections[index].group
    remaining = tuple(c for i, c in enumerate(result.corrections)
                      if i != index and not (group and c.group == group))
    corrections = respan(raw_text, remaining)
    return CorrectionResult(apply_corrections(raw_text, corrections), corrections, result.uncertain)
