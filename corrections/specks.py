"""Specks: dust, salt noise and stamp fragments read as punctuation in running text.

A noisy scan puts marks where typed text never has them: alone between two words
(``state : that``, ``media ; the``), glued to a word's start or end (``~All``, ``_been``,
``Pakhtunkhwa_``), doubled (``faithfully,,``), or stuck to a word before a lower-case one
(``to: state: that. a``). Which marks, and how sure OCR must have been for one to stay, is data
(``data/specks.json``, with examples a test reproduces). OCR's word confidence decides the
doubtful cases; text without OCR words (a text file) gets only the unconditional repairs.
Each removal is one correction (rule ``speck``) and can be reverted.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from corrections.context import TextContext
from corrections.edits import Edit
from corrections.knowledge import in_lexicon, load_data_file
from corrections.protect import is_known_word
from corrections.tokenize import Token

WORD_RE = re.compile(r"[A-Za-z]+")
LEADERS_RE = re.compile(r"\.{3,}|…")


@lru_cache(maxsize=1)
def settings() -> dict[str, Any]:
    data = load_data_file("specks")
    data["abbreviation_set"] = frozenset(data["abbreviations"])
    data["function_set"] = frozenset(data["function_words"])
    data["opener_set"] = frozenset(data.get("sentence_openers", ()))
    return data


def propose(context: TextContext) -> list[Edit]:
    data = settings()
    edits: list[Edit] = []
    by_line: dict[int, list[Token]] = {}
    for token in context.tokens:
        by_line.setdefault(token.line, []).append(token)
    for line in by_line.values():
        if not any(WORD_RE.search(t.text) for t in line):
            continue  # a line of marks alone is the noise-line pass's business
        if _unreadable(line):
            continue  # a script OCR could not read: its marks are no specks on words
        table = sum(t.text == "|" for t in line) >= 2
        for position, token in enumerate(line):
            following = line[position + 1] if position + 1 < len(line) else None
            edits += _token_edits(context, token, following, data, table)
    return edits


def _unreadable(line: list[Token]) -> bool:
    """Are most words of the line no words ('~ ~l ll fcl ti', 'm~ e?R, ~ "0fm ft-rg')?"""
    words = [m.group() for t in line for m in WORD_RE.finditer(t.text) if len(m.group()) >= 2]
    return len(words) >= 3 and sum(is_known_word(w) for w in words) < 0.5 * len(words)


def _token_edits(context: TextContext, token: Token, following: Token | None,
                 data: dict[str, Any], table: bool) -> list[Edit]:
    text = token.text
    if not any(c.isalnum() for c in text):
        edit = _lone(context, token, data, table)
        return [edit] if edit else []
    edits = _glued(token, data)
    trailing = _before_lower_case(context, token, following, data)
    return edits + ([trailing] if trailing else []) + _doubled(token, data)


def _lone(context: TextContext, token: Token, data: dict[str, Any], table: bool) -> Edit | None:
    """A token of marks alone between words."""
    text = token.text
    if LEADERS_RE.fullmatch(text) or (token.line_start and (len(text) == 1 or set(text) == {"_"})):
        return None  # leader dots of a form; a bullet; a form's rule opening the line
    if all(c in data["always"] for c in text):
        if table and text == "|":
            return None
        return _lone_removal(context, token, "a mark typed text never sets between words")
    confidence = context.confidence(token.span)
    if confidence is None:
        if all(c in data["lone_without_words"] for c in text) and not token.line_start:
            return _lone_removal(context, token, "a mark alone between words")
        return None
    marks = data["always"] + data["lone_when_unsure"]
    if all(c in marks for c in text) and confidence < data["max_confidence_lone"]:
        return _lone_removal(context, token, f"a mark alone between words, OCR confidence {confidence:.0f}")
    return None


def _glued(token: Token, data: dict[str, Any]) -> list[Edit]:
    """Marks of ``always`` stuck to the start or the end of a word."""
    text, start = token.text, token.span[0]
    edits = []
    lead = len(text) - len(text.lstrip(data["always"]))
    if token.line_start and set(text[:lead]) == {"_"}:
        lead = 0  # '__M - 302': a form's rule opening the line
    if lead and lead < len(text):
        edits.append(_removal((start, start + lead), text[:lead], f"mark glued to the start of {text!r}"))
    tail = len(text) - len(text.rstrip(data["always"]))
    if tail and tail < len(text) - lead:
        end = token.span[1]
        edits.append(_removal((end - tail, end), text[-tail:], f"mark glued to the end of {text!r}"))
    return edits


def _before_lower_case(context: TextContext, token: Token, following: Token | None,
                       data: dict[str, Any]) -> Edit | None:
    """``to: state: that. a``: a sentence never ends, nor a label closes, before a lower-case
    word. Sure cases go whatever OCR's confidence: a ``.`` after a lower-case word, a ``:`` or
    ``;`` after a function word; any other ``word:`` only when OCR was unsure of it."""
    word, mark = token.text[:-1], token.text[-1:]
    if mark not in ".:;" or following is None or not following.text[:1].islower():
        return None
    next_word = WORD_RE.match(following.text)
    if not (word.isalpha() and len(word) >= 2 and next_word and is_known_word(next_word.group())):
        return None
    lowered = word.lower()
    if lowered in data["abbreviation_set"] or not is_known_word(word):
        return None
    if mark == "." and next_word.group().lower() in data["opener_set"]:
        return None  # 'teachers. rather these': a sentence a typist began in lower case
    if word.islower() and (mark == "." and not (in_lexicon(word) and lowered not in data["function_set"])
                           or mark in ":;" and lowered in data["function_set"]):
        return _trailing(token, mark, f"{mark!r} after {word!r} inside a lower-case sentence run")
    confidence = context.confidence(token.span)
    limit = data["trailing_when_unsure"].get(mark)
    if confidence is None or limit is None or confidence >= limit:
        return None
    return _trailing(token, mark, f"{mark!r} after {word!r} before a lower-case word, "
                                  f"OCR confidence {confidence:.0f}")


def _trailing(token: Token, mark: str, why: str) -> Edit:
    end = token.span[1]
    return _removal((end - 1, end), mark, why)


def _doubled(token: Token, data: dict[str, Any]) -> list[Edit]:
    """``faithfully,,`` -> ``faithfully,``; an ellipsis is left."""
    text = token.text
    if len(text) < 3 or text[-1] not in data["doubled"] or text[-2] != text[-1] or not text[-3].isalnum():
        return []
    if text.endswith("..."):
        return []
    end = token.span[1]
    return [_removal((end - 1, end), text[-1], f"{text[-1]!r} read twice after a word")]


def _removal(span: tuple[int, int], original: str, why: str) -> Edit:
    return Edit(span[0], span[1], "", "speck", 0.85, f"{why}: {original!r} removed")


def _lone_removal(context: TextContext, token: Token, why: str) -> Edit:
    """A lone token goes with the space before it, so no double space is left."""
    start = token.span[0] - 1 if token.span[0] > 0 and context.raw[token.span[0] - 1] == " " else token.span[0]
    return _removal((start, token.span[1]), token.text, why)
