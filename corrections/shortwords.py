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


MIXED_CASE_FUNCTION_WORDS = frozenset("is of in to on at by it as an or be the and for".split())


def _mixed_case_function_word(context: TextContext, core) -> Edit | None:
    """``iS``, ``oF``: a function word printed lower-case with a capital OCR read into it
    (rule ``short-word-case``), between two lower-case words."""
    text = core.text
    if not (2 <= len(text) <= 3 and text[:1].islower() and not text.islower()
            and text.lower() in MIXED_CASE_FUNCTION_WORDS):
        return None
    if text != context.tokens[core.index].text.rstrip(".,;:"):
        return None
    if not (_neighbour_word(context, core.index - 1) or _neighbour_word(context, core.index + 1)):
        return None
    return Edit(core.span[0], core.span[1], text.lower(), "short-word-case", 0.9,
                f"{text!r}: the function word {text.lower()!r} with a capital read into it")


PRONOUN_FOLLOWERS = frozenset(
    "am have wish shall will would hereby was also do should may request write enclose hope trust "
    "further remain regret".split())
PRONOUN_READINGS = ("|", "l")


def _pronoun(context: TextContext) -> list[Edit]:
    """``| am directed``, ``l have the honour``: the pronoun I read as a bar or an ell, before
    a word that follows "I" (rule ``short-word``)."""
    edits = []
    for index, token in enumerate(context.tokens[:-1]):
        following = context.tokens[index + 1].text
        if token.text in PRONOUN_READINGS and following in PRONOUN_FOLLOWERS:
            edits.append(Edit(token.span[0], token.span[1], "I", "short-word", 0.9,
                              f"{token.text!r} before {following!r} is the pronoun I"))
    return edits


def propose(context: TextContext) -> list[Edit]:
    table = short_words()
    edits = _pronoun(context)
    for core in context.cores:
        mixed = _mixed_case_function_word(context, core)
        if mixed:
            edits.append(mixed)
            continue
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
