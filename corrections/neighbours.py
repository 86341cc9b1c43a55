"""Known words within a small edit distance of a string, without symspell's delete index.

symspellpy answers the same question, but building its index over 82k words costs 4-9 s per
process, and every ``daftar ocr`` call and every worker would pay it. Here:

- distance 1: every string one edit away (deletion, adjacent transposition, substitution,
  insertion) is generated and looked up in the vocabulary — a few hundred set look-ups;
- distance 2: rapidfuzz's C++ Damerau (OSA) distance over the vocabulary words of the
  possible lengths, indexed by length on first use (needed for a few dozen words a document).

The distance is the optimal string alignment distance, as in symspellpy, so the candidates
are the ones symspell's ``Verbosity.ALL`` would return.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from corrections.knowledge import lexicon, vocabulary

MAX_DISTANCE = 2


ENGLISH_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyz'")  # every character of symspell's list


@lru_cache(maxsize=1)
def _alphabet() -> str:
    """Characters a one-character insertion or substitution may bring in."""
    domain = {c for word in lexicon().words for c in word}
    return "".join(sorted(ENGLISH_ALPHABET | domain))


@lru_cache(maxsize=1)
def _by_length() -> dict[int, tuple[str, ...]]:
    buckets: dict[int, list[str]] = defaultdict(list)
    for word in vocabulary():
        buckets[len(word)].append(word)
    return {length: tuple(words) for length, words in buckets.items()}


def one_edit(word: str) -> set[str]:
    """Every string one deletion, adjacent transposition, substitution or insertion away."""
    alphabet = _alphabet()
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    found = {head + tail[1:] for head, tail in splits if tail}
    found.update(head + tail[1] + tail[0] + tail[2:] for head, tail in splits if len(tail) > 1)
    found.update(head + c + tail[1:] for head, tail in splits if tail for c in alphabet if c != tail[0])
    found.update(head + c + tail for head, tail in splits for c in alphabet)
    found.discard(word)
    return found


def _within_two(word: str) -> list[tuple[str, int]]:
    buckets = _by_length()
    found: list[tuple[str, int]] = []
    for length in range(len(word) - 2, len(word) + 3):
        choices = buckets.get(length)
        if choices:
            for term, distance, _ in process.extract(word, choices, scorer=OSA.distance,
                                                     score_cutoff=2, limit=None):
                found.append((term, int(distance)))
    return found


@lru_cache(maxsize=1)
def _longest() -> int:
    return max(_by_length())


@lru_cache(maxsize=8192)
def neighbours(word: str, max_distance: int) -> tuple[tuple[str, int], ...]:
    """Vocabulary words at edit distance 1..``max_distance`` from ``word``, with the distance."""
    if not 1 <= max_distance <= MAX_DISTANCE:
        raise ValueError(f"max_distance must be 1 or 2, not {max_distance}")
    if len(word) > _longest() + max_distance:
        return ()  # no word is that long: skip generating thousands of strings
    if max_distance == 1:
        known = vocabulary()
        return tuple(sorted((term, 1) for term in one_edit(word) if term in known))
    return tuple(sorted((term, distance) for term, distance in _within_two(word) if distance > 0))
