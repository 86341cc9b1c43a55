"""Accents OCR put on plain English words: ``thé`` -> ``the``, ``Governmènt`` -> ``Government``.

A word is folded to ASCII only when the printed form is no known word and the folded form is
a very frequent English word or a domain word (capitalised words: a domain word only), so
``café``, ``résumé``, ``naïve`` and names such as ``José`` stay.
Rule ``accent``.
"""

from __future__ import annotations

import re
import unicodedata

from corrections.context import TextContext
from corrections.edits import Edit
from corrections.knowledge import in_lexicon, word_count
from corrections.protect import is_known_word

VERY_FREQUENT = 50_000_000

ACCENTED_WORD_RE = re.compile(r"(?<![\w'’])([A-Za-z]*[À-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ]*)(?![\w'’])")


def fold(word: str) -> str:
    """``thé`` -> ``the``: drop combining marks after canonical decomposition."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _plain(folded: str) -> bool:
    """A word OCR could only have decorated: a domain word, or a very frequent lower-case one."""
    if in_lexicon(folded):
        return True
    return folded.islower() and word_count(folded) >= VERY_FREQUENT


def propose(context: TextContext) -> list[Edit]:
    edits = []
    for match in ACCENTED_WORD_RE.finditer(context.raw):
        word = match.group(1)
        folded = fold(word)
        if folded == word or not folded.isascii() or not folded.isalpha():
            continue
        if is_known_word(word) or len(folded) < 2 or not _plain(folded):
            continue
        edits.append(Edit(match.start(1), match.end(1), folded, "accent", 0.9,
                          f"{word!r} is no word; {folded!r} is a frequent one"))
    return edits
