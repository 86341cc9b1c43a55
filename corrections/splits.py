"""Words broken by spaces, letter-spaced words, and words run together.

- ``split-join``: ``Govern ment``, ``C ivil``, ``Offic e``, ``OPE N``, ``framew\\nork`` ->
  one word, when the joined form is a known word and the parts are not both good words
  (``frame work`` and ``a bout`` stay). Across a line break (or one blank line, where
  Tesseract put the rest of a word in the next block) both parts must be non-words.
- ``split-join+confusion:…``: ``Diy ision`` -> ``Division``, when neither part is a word and
  undoing cheap OCR confusions in the joined form gives one clear known word.
- ``letter-spaced``: ``N O T I F I C A T I O N`` -> ``NOTIFICATION`` (a run of four or more
  single letters that joins to a known word).
- ``run-split``: ``ofthe``, ``Governmentof`` -> ``of the``, ``Government of``, when the token
  is no word, one part is a function word, the other a frequent word, and the pair is
  attested as an English bigram.

Protected tokens are never touched: every part must be purely alphabetic, so reference
numbers, dates and codes never match.
"""

from __future__ import annotations

import re

from corrections.candidates import propose as propose_candidates
from corrections.context import TextContext
from corrections.edits import Edit
from corrections.knowledge import bigram_count, in_lexicon, word_count
from corrections.protect import is_known_word, protected_by

GOOD_COUNT = 1_000_000  # a known word this frequent is a word in its own right, not a fragment
SINGLE_LETTER_WORDS = frozenset("aAI")
JOIN_FIX_MAX_COST = 0.5
JOIN_FIX_RIVAL_GAP = 0.3
FUNCTION_WORDS = frozenset(
    "of the to and in on for by with from at is are be as or this that has have was which "
    "shall will may all an".split()
)
RUN_SPLIT_MIN_BIGRAM = 100_000
# Word endings Tesseract splits off ("act ion", "Commis sion"); some are "words" in
# symspell's list, but after a word stem they are a fragment unless English attests the pair.
SUFFIX_FRAGMENTS = frozenset(
    "ion ions tion tions sion sions ment ments ness able ible ance ence ity ities ing ings "
    "ation ations ative ive ively ally ful less ship ments ency ancy ure ures".split()
)
ATTESTED_PAIR = 1_000

PAIR_RE = re.compile(
    r"(?<![\w'’])([A-Za-z]+)(?:([:;.,]?[ \t]+)|([ \t]*\n(?:[ \t]*\n)?[ \t]*))(?=([A-Za-z]+)(?![\w'’@/-]))"
)
LETTER_RUN_RE = re.compile(r"(?<![\w'’.@/-])((?:[A-Za-z] ){3,}[A-Za-z])(?![\w'’@/-])")
RUN_TOGETHER_RE = re.compile(r"(?<![\w'’.@/-])([A-Za-z]{4,})(?![\w'’@/-])")


def propose(context: TextContext) -> list[Edit]:
    joins = letter_spaced(context) + split_joins(context)
    return joins + run_splits(context, joins) + glued_capitals(context)


GLUED_CAPITAL_RE = re.compile(
    r"(?<![\w'’.@/-])(of|by|to|in|on|for|from|and|the|with|at)([A-Z][a-z]{2,}(?:['’][a-z]+)?)(?![\w@/-])")


def glued_capitals(context: TextContext) -> list[Edit]:
    """``ofZambia``, ``byAuthority``, ``ofHon'ble`` -> ``of Zambia`` ...: a lower-case function
    word run into a capitalised word (rule ``run-split``). The capital marks the seam, so the
    seam is sure; the capitalised part must be a known word."""
    edits = []
    for match in GLUED_CAPITAL_RE.finditer(context.raw):
        word = match.group(2)
        if is_known_word(word.replace("’", "'")) or is_known_word(re.sub(r"['’][a-z]+$", "", word)):
            position = match.start(2)
            edits.append(Edit(position, position, " ", "run-split", 0.9,
                              f"{match.group(1)!r} run into the capitalised word {word!r}"))
    return edits


def is_good_word(word: str) -> bool:
    """A word in its own right: a single-letter word, a domain word or a frequent word."""
    if len(word) == 1:
        return word in SINGLE_LETTER_WORDS
    return in_lexicon(word) or word_count(word) >= GOOD_COUNT


def _is_suffix_fragment(head: str, tail: str) -> bool:
    """``ion`` after ``act``: a word ending split off, not the word ``ion``."""
    return tail.lower() in SUFFIX_FRAGMENTS and bigram_count(head, tail) < ATTESTED_PAIR


def _same_case_shape(head: str, tail: str) -> bool:
    """``Govern ment``, ``OPE N``, ``C ivil``: the tail continues the head's case."""
    if tail.islower():
        return not (head.isupper() and len(head) > 1)
    return head.isupper() and tail.isupper()


def split_joins(context: TextContext) -> list[Edit]:
    edits = []
    for match in PAIR_RE.finditer(context.raw):
        head, space_gap, line_gap, tail = match.groups()
        edit = _join(head, tail, match.start(1), match.end(1), match.end(), line_break=line_gap is not None)
        if edit:
            edits.append(edit)
    return edits


def _join(head: str, tail: str, start: int, gap_start: int, gap_end: int, *, line_break: bool) -> Edit | None:
    joined = head + tail
    if len(joined) < 4 or not _same_case_shape(head, tail):
        return None
    if len(joined) == 4 and min(len(head), len(tail)) > 1:
        return None  # "ab cd": too short to tell a broken word from two fragments
    if is_good_word(head) and is_good_word(tail) and not _is_suffix_fragment(head, tail):
        return None
    if len(head) == 1 and head.islower():
        return None  # "e mail", "x ray", "a bout": a lower-case letter before a word is meant
    if min(len(head), len(tail)) == 1 and (is_good_word(head) or is_good_word(tail)):
        return None  # "the e", "Grade D": a lone letter next to a real word is a label or noise
    if line_break and (is_known_word(head) or is_known_word(tail)):
        return None  # a line break between words is normal; only join two non-words
    if is_known_word(joined):
        if head == "A" and is_known_word(tail):
            return None  # "A part" is an article and a word
        return Edit(gap_start, gap_end, "", "split-join", 0.9,
                    f"{joined!r} is a word; {head!r} and {tail!r} are not both words")
    return None if line_break else _join_and_fix(head, tail, start, gap_end)


def _join_and_fix(head: str, tail: str, start: int, gap_end: int) -> Edit | None:
    """``Diy ision`` -> ``Division``: neither part is a word, one cheap confusion fixes the join."""
    if is_known_word(head) and len(head) > 1 or len(head + tail) < 6:
        return None
    if is_known_word(tail) and not _is_suffix_fragment(head, tail):
        return None
    proposals = [p for p in propose_candidates(head + tail, with_edits=False) if p.cost <= JOIN_FIX_MAX_COST]
    if not proposals:
        return None
    best = proposals[0]
    if len(proposals) > 1 and proposals[1].cost < best.cost + JOIN_FIX_RIVAL_GAP:
        return None
    word = best.word.upper() if head.isupper() and tail.isupper() else (
        best.word[:1].upper() + best.word[1:] if head[:1].isupper() else best.word)
    end = gap_end + len(tail)
    return Edit(start, end, word, "split-join+" + best.rule, 0.85,
                f"{head!r}+{tail!r} is no word; {best.rule} gives {best.word!r} (cost {best.cost})")


def letter_spaced(context: TextContext) -> list[Edit]:
    edits = []
    for match in LETTER_RUN_RE.finditer(context.raw):
        letters = match.group(1).replace(" ", "")
        if not (letters.isupper() or letters.islower()):
            continue
        if is_known_word(letters) and is_good_word(letters.lower()):
            edits.append(Edit(match.start(1), match.end(1), letters, "letter-spaced", 0.9,
                              f"the spaced letters spell the word {letters!r}"))
    return edits


def run_splits(context: TextContext, joins: list[Edit] = ()) -> list[Edit]:
    """Split run-together tokens; a token next to a join (``Examin ations``) is a fragment."""
    edits = []
    for match in RUN_TOGETHER_RE.finditer(context.raw):
        token = match.group(1)
        if any(j.start <= match.end(1) and match.start(1) <= j.end for j in joins):
            continue
        # symspell's list or the lexicon only: wordfreq's web text knows typos such as "ofthe"
        if word_count(token) or in_lexicon(token) or protected_by(token) or not _plain_case(token):
            continue
        split = _best_split(token)
        if split:
            position, first, second, count = split
            edits.append(Edit(match.start(1) + position, match.start(1) + position, " ", "run-split", 0.85,
                              f"{token!r} is no word; '{first} {second}' is (bigram count {count})"))
    return edits


def _plain_case(token: str) -> bool:
    return token.islower() or token.isupper() or (token[0].isupper() and token[1:].islower())


def _best_split(token: str) -> tuple[int, str, str, int] | None:
    """The split into a function word and a frequent word (or two function words) that English
    attests as a bigram; None when no split or more than one qualifies."""
    found = []
    lowered = token.lower()
    for position in range(2, len(token) - 1):
        first, second = lowered[:position], lowered[position:]
        if not _split_parts_ok(first, second, titlecase=token[:1].isupper() and not token.isupper()):
            continue
        count = bigram_count(first, second)
        if count >= RUN_SPLIT_MIN_BIGRAM:
            found.append((position, token[:position], token[position:], count))
    if len(found) != 1:
        return None
    return found[0]


def _split_parts_ok(first: str, second: str, *, titlecase: bool) -> bool:
    functions = (first in FUNCTION_WORDS) + (second in FUNCTION_WORDS)
    if functions == 0:
        return False
    content = [w for w in (first, second) if w not in FUNCTION_WORDS]
    if any(len(w) < 3 or not is_good_word(w) for w in content):
        return False
    if titlecase and content and first not in content:
        return False  # "Asif", "Isnt": a capitalised name is not a function word + a word
    return True
