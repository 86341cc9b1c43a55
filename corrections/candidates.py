"""Generate correction candidates for one non-word: OCR confusions, then edit distance.

Each candidate carries a *cost*: the summed weights of the confusions undone (from
``data/confusions.json``) plus 1.0 per plain edit found by symspellpy. Only known words
(English or domain lexicon, ``knowledge.vocabulary``) are candidates; the scorer decides
between them. The results are cached per word: a document repeats its misreadings.
"""

from __future__ import annotations

from dataclasses import dataclass

from functools import lru_cache

from corrections.knowledge import confusions
from corrections.neighbours import neighbours
from corrections.protect import is_known_word

MAX_CONFUSION_OPS = 3
MAX_CONFUSION_COST = 1.6
MAX_VARIANTS = 4000
MAX_SEARCHED_VARIANTS = 200  # cheapest variants searched for plain edits ("lllll…" has thousands)


@dataclass(frozen=True)
class Proposal:
    word: str  # lower-case candidate
    cost: float
    rule: str  # "confusion:h->n", "edit", "confusion:l->i+edit" ...


def confusion_variants(word: str) -> dict[str, tuple[float, tuple[str, ...]]]:
    """Strings reachable from ``word`` by undoing up to three confusions (cheapest path)."""
    best: dict[str, tuple[float, tuple[str, ...]]] = {word: (0.0, ())}
    frontier = [word]
    for _ in range(MAX_CONFUSION_OPS):
        next_frontier: list[str] = []
        for current in frontier:
            cost, ops = best[current]
            for confusion in confusions():
                start = current.find(confusion.ocr)
                while start != -1:
                    variant = current[:start] + confusion.expected + current[start + len(confusion.ocr):]
                    total = cost + confusion.cost
                    if variant and total <= MAX_CONFUSION_COST and (
                        variant not in best or best[variant][0] > total
                    ):
                        best[variant] = (total, ops + (confusion.name,))
                        next_frontier.append(variant)
                    start = current.find(confusion.ocr, start + 1)
            if len(best) > MAX_VARIANTS:
                return best
        frontier = next_frontier
    return best


def edit_weight(length: int) -> float:
    """A plain edit is cheaper in long words: few real words lie one edit from a long one."""
    if length >= 10:
        return 0.7
    if length >= 7:
        return 0.85
    return 1.0


def propose(word: str, *, with_edits: bool = True) -> list[Proposal]:
    """Known words ``word`` may be an OCR misreading of, cheapest path to each.

    ``with_edits=False`` skips plain-edit candidates (the costly search), for callers that
    would discard them anyway: real words and short words.
    """
    return list(_propose(word.lower(), with_edits))


@lru_cache(maxsize=4096)
def _propose(lowered: str, with_edits: bool) -> tuple[Proposal, ...]:
    found: dict[str, Proposal] = {}

    def offer(candidate: str, cost: float, rule: str) -> None:
        if candidate != lowered and (candidate not in found or found[candidate].cost > cost):
            found[candidate] = Proposal(candidate, round(cost, 3), rule)

    variants = confusion_variants(lowered)
    searched = 0
    for variant, (cost, ops) in sorted(variants.items(), key=lambda item: item[1][0]):
        rule = "confusion:" + "+".join(ops) if ops else "edit"
        if ops and variant.isalpha() and is_known_word(variant):
            offer(variant, cost, rule)
        if not with_edits or cost > 0.8 or len(variant) < 3 or searched >= MAX_SEARCHED_VARIANTS:
            continue
        distance = 2 if not ops and len(variant) >= 5 else 1
        if not variant.replace("'", "").isalpha():
            continue
        searched += 1
        for term, edits in neighbours(variant, distance):
            offer(term, cost + edits * edit_weight(len(variant)), rule + ("+edit" if ops else ""))
    return tuple(sorted(found.values(), key=lambda p: (p.cost, p.word)))
