"""Word-level correction of non-words: which words are candidates, and what replaces them.

A core is a candidate only when it is not protected, not a known word and — when OCR
confidences are given — not a confident dictionary-looking read. The scorer must then prefer
a replacement over keeping the word by a clear margin; otherwise the best guess is reported
as uncertain and the text is left alone. Truncated words at the right margin (``Joint
Secreta``) are completed only when one lexicon phrase fits.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from corrections.candidates import Proposal, propose as propose_candidates
from corrections.context import HIGH_CONFIDENCE, LOW_CONFIDENCE, TextContext
from corrections.edits import Candidate, Edit
from corrections.knowledge import in_lexicon, lexicon, word_count
from corrections.neighbours import neighbours
from corrections.protect import is_known_word, protected_by
from corrections.score import SHORT_WORD, Choice, choose
from corrections.tokenize import Core, strip_token

REAL_WORD_MAX_COST = 0.5
CONFUSABLE_DIGITS = set("0156|!§$@8")
WORDISH_RE = re.compile(r"^[A-Za-z0-9|!§$@'’.,]+$")
SENTENCE_END = (".", ":", "?", "!")
HONORIFICS = frozenset("mr ms mrs miss dr prof engr shri smt sh kumari syed mian begum hafiz".split())


def _neighbour(context: TextContext, index: int, step: int) -> str | None:
    position = index + step
    if not 0 <= position < len(context.tokens):
        return None
    text, _ = strip_token(context.tokens[position])
    text = text.split("/")[-1 if step < 0 else 0]
    return text.lower() if text.isalpha() and is_known_word(text) else None


def _is_candidate(context: TextContext, core: Core) -> bool:
    word = core.text
    letters = sum(c.isalpha() for c in word)
    if letters < 1 or not WORDISH_RE.match(word):
        return False
    if protected_by(core.token.text) or protected_by(word):
        return False
    inner_punctuation = sum(word.count(mark) for mark in "'’,.")
    others = len(word) - letters - inner_punctuation
    if others and (others > 2 or not set(word) & CONFUSABLE_DIGITS or letters < others):
        return False
    if inner_punctuation > 1 or ("." in word and min(len(p) for p in word.split(".")) <= 2):
        return False  # abbreviations: "a.m.", "i.e.", "Govt.of"
    if len(word) <= 3 and word.isalpha():
        return False  # short words: too many real readings to choose from
    if word.isupper() and len(word) <= 5:
        return False  # acronyms
    if any(c.isupper() for c in word[1:]) and not word.isupper() and word[:1].isalpha():
        return False  # mixed case is deliberate: "DoPT", "WhatsApp", "eOffice"
    plain = word.replace("'", "").replace("’", "")
    if plain.isalpha() and is_known_word(word):
        return _doubtful_real_word(context, core)
    confidence = context.confidence(core.span)
    if confidence is not None and confidence >= HIGH_CONFIDENCE and word.isalpha():
        return False
    return True


def _doubtful_real_word(context: TextContext, core: Core) -> bool:
    """A real word is a candidate only when Tesseract itself doubted it (``modem`` read for
    ``modern`` at low confidence); plain text gives no such doubt."""
    confidence = context.confidence(core.span)
    return confidence is not None and confidence < LOW_CONFIDENCE and len(core.text) >= 4 and core.text.islower()


def _ocr_doubt(context: TextContext, core: Core) -> float:
    """0 (Tesseract was sure, or no OCR words) .. 1 (confidence 0) below LOW_CONFIDENCE."""
    confidence = context.confidence(core.span)
    if confidence is None or confidence >= LOW_CONFIDENCE:
        return 0.0
    return (LOW_CONFIDENCE - max(0.0, confidence)) / LOW_CONFIDENCE


def _name_like(context: TextContext, core: Core) -> bool:
    """Capitalised mid-sentence or after an honorific, or printed again in this document."""
    if context.support.get(core.text, 0) >= 2:
        return True
    if core.index == 0:
        return False
    previous = context.tokens[core.index - 1].text
    if previous.strip("(").rstrip(".").lower() in HONORIFICS:
        return True
    return not previous.endswith(SENTENCE_END) and not core.token.line_start


def _restore_case(original: str, word: str, title_context: bool = False) -> str:
    printed = lexicon().words.get(word)
    letters = [c for c in original if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    if printed and printed[:1].isupper() and not original[:1].isupper():
        lost_capital = original[:1].lower() != word[:1] and title_context
        if original[:1] in "l1|![§$5" or lost_capital:
            return printed  # "lndia" -> "India", "abinet Secretariat" -> "Cabinet ...": capital misread
    return word


def propose(context: TextContext, claimed: Sequence[Edit] = ()) -> tuple[list[Edit], list[Candidate]]:
    """Word edits; cores touching an edit another pass ``claimed`` are left to that pass."""
    edits: list[Edit] = []
    uncertain: list[Candidate] = []
    document_words = context.lowered_words
    for core in context.cores:
        if any(e.start <= core.span[1] and core.span[0] <= e.end for e in claimed):
            continue
        cut = _margin_completion(context, core)
        if cut:
            edits.append(cut)
            continue
        if not _is_candidate(context, core):
            continue
        if context.support.get(core.text, 0) >= 2 and not _near_lexicon(core.text):
            continue
        real_word = is_known_word(core.text)
        # choose() drops plain edits of short words, and real words take confusions only
        proposals = propose_candidates(core.text, with_edits=not real_word and len(core.text) > SHORT_WORD)
        if real_word:  # only the cheapest confusions may turn one real word into another
            proposals = [p for p in proposals if "edit" not in p.rule and p.cost <= REAL_WORD_MAX_COST]
        name_like = _name_like(context, core)
        choice = choose(
            core.text, proposals,
            _neighbour(context, core.index, -1), _neighbour(context, core.index, +1),
            name_like=name_like, document_words=document_words, real_word=real_word,
            ocr_doubt=_ocr_doubt(context, core),
        )
        if choice is None:
            continue
        replacement = _restore_case(core.text, choice.word, _next_is_title(context, core))
        score = min(0.99, 0.5 + choice.margin / 4)
        name_doubt = name_like and core.text[:1].isupper() and not _fits_a_name(core.text, choice)
        if choice.confident and not name_doubt and not _short_and_ambiguous(core.text, choice.word):
            start = _unmatched_bracket_start(context, core)
            edits.append(Edit(start, core.span[1], replacement, choice.rule, score, choice.evidence))
        else:
            uncertain.append(Candidate(core.text, replacement, core.span, choice.rule,
                                       round(choice.probability, 3), choice.evidence))
    return edits, uncertain


@lru_cache(maxsize=1)
def _name_words() -> frozenset[str]:
    """Words of the lexicon's personal names: one name is no evidence against another."""
    names = (term for term, category in lexicon().categories.items() if category == "name")
    return frozenset(word for term in names for word in re.findall(r"[a-z]+", term))


def _fits_a_name(original: str, proposal: Proposal | Choice) -> bool:
    """A capitalised word mid-sentence may be a name missing from every list (``Rashida``,
    ``Tahira``): a plain edit to a dictionary word is no evidence of misreading it; a known
    OCR confusion or a domain term (``Pakhtunkhawa`` -> ``Pakhtunkhwa``) is."""
    if "edit" not in proposal.rule or (in_lexicon(proposal.word) and proposal.word not in _name_words()):
        return True
    return any(not c.isalpha() for c in original)  # "Secti0n": digits inside are damage


def _short_and_ambiguous(original: str, word: str) -> bool:
    """A short non-word a commoner word lies one plain edit from (``fied``: field, filed,
    fixed, find) is no clear misreading of the rarer confusion candidate (``fled``)."""
    if len(original) > 4 or not original.isalpha():
        return False
    count = word_count(word)
    return any(term != word and word_count(term) > count for term, _ in neighbours(original.lower(), 1))


def _next_is_title(context: TextContext, core: Core) -> bool:
    following = context.tokens[core.index + 1].text if core.index + 1 < len(context.tokens) else ""
    following = following.lstrip("([{\"'‘“")
    return following[:1].isupper() and following[1:2].islower()


def _unmatched_bracket_start(context: TextContext, core: Core) -> int:
    """Include a ``[`` glued to a misread word when nothing closes it: it was part of a letter."""
    start = core.span[0]
    if start > 0 and context.raw[start - 1] == "[" and start - 1 >= core.token.span[0]:
        line_end = context.raw.find("\n", start)
        if "]" not in context.raw[start: line_end if line_end != -1 else len(context.raw)]:
            return start - 1
    return start


def _near_lexicon(word: str) -> bool:
    """A repeated long word one edit from a gazetteer entry is a repeated misspelling."""
    if len(word) < 7:
        return False
    return any(p.cost <= 1.0 and p.word in lexicon().words for p in propose_candidates(word))


def _margin_completion(context: TextContext, core: Core) -> Edit | None:
    """``Joint Secreta`` at a line end -> ``Joint Secretary`` when one lexicon phrase fits."""
    if not (core.token.line_end and core.text.isalpha() and len(core.text) >= 4 and core.index > 0):
        return None
    if protected_by(core.text) or not core.text[:1].isupper() or core.token.text.endswith("."):
        return None  # "Serv." is an abbreviation, not a word cut at the margin
    if not context.raw[core.token.span[1]:].strip() and context.tokens_on_line[core.token.line] > 3:
        return None  # running text stops mid-word at the end: an excerpt cut off, not the margin
    if is_known_word(core.text):  # "Under Secret": only on a bare two-word designation line
        if context.tokens_on_line[core.token.line] != 2:
            return None
    previous = strip_token(context.tokens[core.index - 1])[0].lower()
    prefix = core.text.lower()
    if (previous, prefix) in lexicon().bigrams:
        return None  # "Section Officer" is whole, though "Section Officers" is a phrase too
    completions = {second for first, second in lexicon().bigrams
                   if first == previous and second.startswith(prefix) and second != prefix}
    if not completions:
        return None
    ranked = sorted(completions, key=lambda w: -max(word_count(w), 1))
    if len(ranked) > 1 and max(word_count(ranked[1]), 1) * 3 > max(word_count(ranked[0]), 1):
        return None
    replacement = _restore_case(core.text, ranked[0])
    return Edit(core.span[0], core.span[1], replacement, "margin-cut", 0.85,
                f"'{previous} {ranked[0]}' is a lexicon phrase; the word was cut at the margin")
