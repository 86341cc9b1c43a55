"""Lines that are scanner noise, not text: stamps, signature scrawls, specks read as
``. (]``, ``_ 1an``, ``Fwkhk``, ``3508 2041``. A line is removed only when it stands alone
(blank lines or the document edge on both sides), is short, and every token on it is noise;
each removal is a correction (rule ``noise-line``) and can be reverted."""

from __future__ import annotations

import re

from corrections.context import TextContext
from corrections.edits import Edit
from corrections.knowledge import in_lexicon
from corrections.protect import is_known_word, protected_by
from corrections.wordlists import is_common_short_word

MAX_NOISE_LINE = 16
VOWELS = set("aeiouyAEIOUY")
PUNCT_ONLY_RE = re.compile(r"^[^\w]+$")


def is_noise_token(token: str, alone: bool) -> bool:
    if PUNCT_ONLY_RE.match(token) or token == "_":
        return True
    if token.isdigit():
        return len(token) <= 4
    letters = sum(c.isalpha() for c in token)
    digits = sum(c.isdigit() for c in token)
    if letters and digits:
        return len(token) <= 4 and protected_by(token) is None
    if not token.isalpha():
        return False
    if len(token) == 1:
        return True  # a lone letter without a dot is no list marker
    if in_lexicon(token) or protected_by(token) == "acronym":
        return False
    if not VOWELS & set(token) and not is_known_word(token):
        return True
    common = is_common_short_word(token.lower())
    return alone and token.islower() and len(token) <= 4 and not common


def noise_lines(context: TextContext) -> list[int]:
    """Numbers of the lines that are scanner noise (see the module docstring)."""
    found = []
    for number, line in enumerate(context.lines):
        stripped = line.strip()
        if not stripped or len(stripped) > MAX_NOISE_LINE:
            continue
        single = len(stripped) == 1 and stripped.isalnum()
        if not context.line_is_blank(number - 1) or not (single or context.line_is_blank(number + 1)):
            continue  # a lone character needs a blank line only above it (a stamp over a name)
        parts = stripped.split()
        if all(is_noise_token(part, len(parts) == 1) for part in parts):
            found.append(number)
    return found


def propose(context: TextContext) -> list[Edit]:
    edits = []
    for number in noise_lines(context):
        line = context.lines[number]
        start = context.line_offsets[number]
        end = start + len(line) + (1 if number + 1 < len(context.lines) else 0)
        if number + 1 < len(context.lines) - 1 and context.lines[number + 1] == "":
            end += 1  # take one of the blank lines around it along
        edits.append(Edit(start, end, "", "noise-line", 0.85,
                          f"isolated line {line.strip()!r} holds no word, number or marker"))
    return edits
