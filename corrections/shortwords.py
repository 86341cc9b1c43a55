"""Short function words misread into non-words: ``tbe`` -> ``the``, ``oi`` -> ``of``.

The word corrector leaves words of three letters or fewer alone (too many real readings), so
the commonest misreadings are listed in ``data/shortwords.json``, each with the word it
stands for. ``any`` entries are replaced next to a word; ``between-words`` entries (``oi``,
``io``: also scanner specks) only between two words when English attests the corrected
bigram on either side; ``line-start`` entries (``A11``, which elsewhere may be a code such as
'Block A11') only as a line's first word, after a list marker, before another word.
Rule ``short-word``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from corrections.context import TextContext
from corrections.edits import Edit
from corrections.knowledge import bigram_count, load_data_file
from corrections.protect import is_known_word
from corrections.splits import FUNCTION_WORDS
from corrections.tokenize import strip_token

ATTESTED_BIGRAM = 100_000


@dataclass(frozen=True)
class ShortWord:
    ocr: str
    expected: str
    between_words_only: bool
    line_start_only: bool = False


@lru_cache(maxsize=1)
def short_words() -> dict[str, ShortWord]:
    return {e["ocr"]: ShortWord(e["ocr"], e["expected"], e["context"] == "between-words",
                                e["context"] == "line-start")
            for e in load_data_file("shortwords")["entries"]}


# What may stand before a line's first word: spaces and a list marker ('1.', 'iv)', '(a)').
_LINE_OPENING = re.compile(r"\s*(?:[(\[]?(?:\d{1,2}|[ivxIVX]{1,5}|[a-zA-Z])[.)\]]\s*)?")


def _opens_line(context: TextContext, start: int) -> bool:
    line_start = context.raw.rfind("\n", 0, start) + 1
    return bool(_LINE_OPENING.fullmatch(context.raw[line_start:start]))


def _neighbour_word(context: TextContext, index: int) -> str | None:
    if not 0 <= index < len(context.tokens):
        return None
    text, _ = strip_token(context.tokens[index])
    return text.lower() if len(text) >= 2 and text.isalpha() and is_known_word(text) else None


def _restore_case(printed: str, word: str) -> str:
    if printed.isupper() and sum(c.isalpha() for c in printed) > 1:  # 'A11' is 'All', not 'ALL'
        return word.upper()
    return word[:1].upper() + word[1:] if printed[:1].isupper() else word


def _fits_between(previous: str | None, word: str, following: str | None) -> bool:
    """Both bigrams attested, one of them well; "the in unit" fails: a function word does not
    follow another here."""
    if not (previous and following) or previous in FUNCTION_WORDS:
        return False
    before, after = bigram_count(previous, word), bigram_count(word, following)
    return min(before, after) > 0 and max(before, after) >= ATTESTED_BIGRAM


def propose(context: TextContext) -> list[Edit]:
    table = short_words()
    edits = []
    for core in context.cores:
        entry = table.get(core.text.lower())
        if entry is None or not (core.text.islower() or core.text.istitle() or core.text.isupper()):
            continue
        if core.text != context.tokens[core.index].text.rstrip(".,;:"):
            continue  # inside brackets, quotes or a slash: not running text
        previous = _neighbour_word(context, core.index - 1)
        following = _neighbour_word(context, core.index + 1)
        if entry.between_words_only and not _fits_between(previous, entry.expected, following):
            continue
        elif not (previous or following):
            continue
        if entry.line_start_only and not (following and _opens_line(context, core.span[0])):
            continue
        edits.append(Edit(core.span[0], core.span[1], _restore_case(core.text, entry.expected), "short-word",
                          0.9, f"{core.text!r} is a known misreading of {entry.expected!r}"))
    return edits
