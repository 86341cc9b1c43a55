"""Choose between keeping a non-word and replacing it: a small log-linear model.

score = -COST_WEIGHT * cost + FREQ_WEIGHT * log10(frequency) + lexicon bonus + context,
where context is the bigram evidence with the neighbouring words. The word is kept as a
candidate too (its score depends on how name-like it is), so a correction is applied only
when it beats keeping by a clear margin: precision first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from corrections.candidates import Proposal
from corrections.knowledge import bigram_count, in_lexicon, word_count

COST_WEIGHT = 2.5
FREQ_WEIGHT = 0.4
LEXICON_BONUS = 0.9
CONFUSION_BONUS = 0.6  # reached by undoing known OCR confusions only, no plain edit
RIVAL_COST_GAP = 0.75  # a runner-up this much costlier than the best is no real rival
CONTEXT_WEIGHT = 0.2
LEXICON_FREQUENCY = 10_000_000  # domain words count as common words
NAME_KEEP = 1.1  # keep-score of a capitalised word mid-sentence (may be a name)
APPLY_MARGIN = 0.9  # log-score lead over keeping and over the runner-up
DOCUMENT_BONUS = 1.0  # the candidate is printed elsewhere in the same document
MAX_COST = 2.0
SHORT_WORD = 5
REAL_WORD_CONTEXT = 2.0  # between two real words, the neighbours are the main evidence
SHORT_WORD_MAX_COST = 0.35
# How much less plausible a non-word is as printed when Tesseract itself doubted it: at
# confidence 0 the keep-score drops by this much, falling linearly to nothing at
# LOW_CONFIDENCE (corrections.context). Plain text (no OCR words) gives no doubt.
OCR_DOUBT_WEIGHT = 1.0


@dataclass(frozen=True)
class Choice:
    word: str  # lower-case
    rule: str
    cost: float
    probability: float  # share of the softmax mass over keep + candidates
    runner_up: str | None
    evidence: str
    margin: float  # lead over the better of keeping and the runner-up

    @property
    def confident(self) -> bool:
        return self.margin >= APPLY_MARGIN


def frequency(word: str) -> int:
    return max(word_count(word), LEXICON_FREQUENCY if in_lexicon(word) else 0)


def context_score(word: str, previous: str | None, following: str | None) -> float:
    score = 0.0
    if previous:
        score += math.log10(1 + bigram_count(previous, word)) / 8
    if following:
        score += math.log10(1 + bigram_count(word, following)) / 8
    return CONTEXT_WEIGHT * score * 4


def keep_score(original: str, name_like: bool) -> float:
    """How plausible the token is as printed: name-like words are likelier real."""
    if any(not (c.isalpha() or c in "'-") for c in original):  # digits/symbols inside: rarely real
        return -0.5
    if name_like and original[:1].isupper() and original[1:].islower():
        return NAME_KEEP
    return 1.0


def choose(
    original: str,
    proposals: list[Proposal],
    previous: str | None,
    following: str | None,
    *,
    name_like: bool = False,
    document_words: frozenset[str] = frozenset(),
    real_word: bool = False,
    ocr_doubt: float = 0.0,
) -> Choice | None:
    """The best proposal with its probability, or None when there is nothing to weigh.

    ``ocr_doubt`` (0..1) is how much Tesseract doubted the printed word (see
    ``OCR_DOUBT_WEIGHT``); it lowers the score of keeping a non-word.
    """
    scored: list[tuple[float, Proposal]] = []
    for proposal in proposals:
        if proposal.cost > MAX_COST:
            continue
        if "edit" in proposal.rule and len(original) <= SHORT_WORD:
            continue  # a plain edit of a short word finds too many real words
        if len(original) <= 4 and original.isalpha() and proposal.cost > SHORT_WORD_MAX_COST:
            continue  # "rele" could be role, rely, refer ...: only the commonest confusions
        score = -COST_WEIGHT * proposal.cost + FREQ_WEIGHT * math.log10(1 + frequency(proposal.word))
        if in_lexicon(proposal.word):
            score += LEXICON_BONUS
        if "edit" not in proposal.rule:
            score += CONFUSION_BONUS
        score += context_score(proposal.word, previous, following) * (REAL_WORD_CONTEXT if real_word else 1.0)
        if proposal.word in document_words:
            score += DOCUMENT_BONUS
        scored.append((score, proposal))
    if not scored:
        return None
    scored.sort(key=lambda item: -item[0])
    keep = keep_score(original, name_like) - OCR_DOUBT_WEIGHT * ocr_doubt
    if real_word:  # the printed word competes as a free, frequent candidate
        keep = (FREQ_WEIGHT * math.log10(1 + frequency(original.lower())) + CONFUSION_BONUS
                + context_score(original.lower(), previous, following) * REAL_WORD_CONTEXT)
    scores = [keep] + [s for s, _ in scored]
    top = max(scores)
    mass = sum(math.exp(s - top) for s in scores)
    best_score, best = scored[0]
    probability = math.exp(best_score - top) / mass
    runner_up = scored[1][1].word if len(scored) > 1 else None
    evidence = (
        f"cost {best.cost}, freq {frequency(best.word)}, score {best_score:.2f} vs keep {keep:.2f}"
        + (f", runner-up {runner_up!r} {scored[1][0]:.2f}" if runner_up else "")
    )
    rivals = [s for s, p in scored[1:] if p.cost < best.cost + RIVAL_COST_GAP]
    second = rivals[0] if rivals else float("-inf")
    margin = min(best_score - keep, best_score - second)
    return Choice(best.word, best.rule, best.cost, probability, runner_up, evidence, margin)
