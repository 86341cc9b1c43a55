"""Decide which tokens the corrector must leave exactly as printed.

Protected: token shapes from ``data/protected.json`` (reference numbers, dates, numbers,
grades, acronyms, e-mails, URLs ...), known words (general English, the domain lexicon) and
names the document itself supports (a capitalised word printed more than once).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import re

from corrections.knowledge import in_lexicon, protected_patterns, word_count
from corrections.wordlists import is_rare_real_word


CONTRACTION_RE = re.compile(r"^([a-z]+?)(?:n['’]t|['’](?:s|re|ll|ve|d|m))$")


def protected_by(text: str) -> str | None:
    """Name of the first protected pattern ``text`` matches, else None."""
    for pattern in protected_patterns():
        if pattern.regex.search(text):
            return pattern.name
    return None


@lru_cache(maxsize=65536)
def is_known_word(word: str) -> bool:
    """A word a corrector must not 'fix': in the English or domain dictionary.

    Rare real words missing from the 82k-word list (``unauthentic``, ``fora``) are recognised
    by their wordfreq frequency (``corrections.wordlists``), which OCR garbage almost never reaches at this length.
    """
    lowered = word.lower()
    if word_count(lowered) > 0 or in_lexicon(lowered):
        return True
    if "-" in lowered and all(part and is_known_word(part) for part in lowered.split("-")):
        return True
    contraction = CONTRACTION_RE.match(lowered)
    if contraction and is_known_word(contraction.group(1)):
        return True
    if len(lowered) >= 6 and lowered.endswith("s") and not lowered.endswith("ss") and lowered.isalpha() \
            and (word_count(lowered[:-1]) > 0 or in_lexicon(lowered[:-1])):
        return True  # a plural the list lacks ("eligibles", "issuances"): not a misreading
    return len(lowered) >= 5 and lowered.isalpha() and is_rare_real_word(lowered)


def document_support(words: list[str]) -> Counter[str]:
    """How often each capitalised word occurs in the document (case-sensitive)."""
    return Counter(w for w in words if w[:1].isupper() and w[1:].islower() and w.isalpha())
