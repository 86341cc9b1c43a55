"""Words split or run together at hyphens and stray punctuation.

- ``govern-\\nment`` -> ``government`` when the joined word is known and the halves are not
  both words (``frame-\\nwork`` stays: "frame" and "work" are words, the hyphen may be meant).
- ``Gilgit- Baltistan`` -> ``Gilgit-Baltistan`` when the hyphenated form is in the lexicon or
  printed elsewhere in the same document.
- ``Additional: Secretaries`` -> ``Additional Secretaries`` when the two words form a lexicon
  phrase that punctuation cannot split.
Words broken by plain spaces are ``corrections.splits``' concern; specks read as punctuation
inside a sentence (``to: state: that.``) are ``corrections.specks``'.
"""

from __future__ import annotations

import re

from corrections.context import TextContext
from corrections.edits import Edit
from corrections.knowledge import in_lexicon, lexicon
from corrections.protect import is_known_word

LINE_END_RE = re.compile(r"([A-Za-z]{2,})-[ \t]*\n[ \t]*([a-z]{2,})\b")
SPACED_RE = re.compile(r"\b([A-Za-z]+(?:-[A-Za-z]+)*)-([ \t]+|[ \t]*\n[ \t]*)([A-Za-z]{2,})\b")
PHRASE_PUNCT_RE = re.compile(r"\b([A-Za-z]{3,})([:;])([ \t]+)([A-Za-z]{3,})\b")  # "," and "." may be meant


def propose(context: TextContext) -> list[Edit]:
    return _line_end_joins(context) + _spaced_hyphens(context) + _phrase_punctuation(context)


def _line_end_joins(context: TextContext) -> list[Edit]:
    edits = []
    for match in LINE_END_RE.finditer(context.raw):
        head, tail = match.group(1), match.group(2)
        joined = head + tail
        if is_known_word(joined) and not (is_known_word(head) and is_known_word(tail)):
            start = match.end(1)
            edits.append(Edit(start, match.start(2), "", "hyphen-join", 0.95,
                              f"{joined!r} is a word; {head!r}+{tail!r} are not both words"))
    return edits


def _spaced_hyphens(context: TextContext) -> list[Edit]:
    edits = []
    words = lexicon().words
    for match in SPACED_RE.finditer(context.raw):
        head, gap, tail = match.groups()
        hyphenated = f"{head}-{tail}"
        printed_elsewhere = hyphenated in context.raw
        if hyphenated.lower() in words or printed_elsewhere:
            where = "lexicon" if hyphenated.lower() in words else "this document"
            edits.append(Edit(match.start(2), match.end(2), "", "hyphen-space", 0.95,
                              f"{hyphenated!r} is known ({where})"))
    return edits


def _phrase_punctuation(context: TextContext) -> list[Edit]:
    edits = []
    phrases = lexicon().bigrams
    for match in PHRASE_PUNCT_RE.finditer(context.raw):
        first, mark, _gap, second = match.groups()
        if (first.lower(), second.lower()) in phrases and first[:1].isupper() and second[:1].isupper():
            edits.append(Edit(match.start(2), match.end(2), "", "stray-punct", 0.9,
                              f"{mark!r} inside the phrase '{first} {second}'"))
    return edits
