"""Scanner noise read as text: stamps, signature scrawls, specks.

- Noise lines (rule ``noise-line``): ``. (]``, ``_ 1an``, ``Fwkhk``, ``3508 2041``. A line is
  removed only when it stands alone (blank lines or the document edge on both sides), is
  short, and every token on it is noise, or (a signature above the name) every token on it
  is a non-word OCR read with confidence under SCRAWL_MAX_CONFIDENCE (``KROYXD``).
- Noise runs (rule ``noise-run``): a stamp or a signature across a line of text reads as a
  run of short scraps Tesseract itself doubted, ``oe ie ae See SNE cs``. With OCR words only:
  at least RUN_MIN_TOKENS consecutive tokens of one line, each read with confidence under
  RUN_MAX_CONFIDENCE and none a word of four letters or more (which may be a damaged word
  or a name), a number or a reference, are removed.

Each removal is a correction and can be reverted."""

from __future__ import annotations

import re

from corrections.context import TextContext
from corrections.edits import Edit
from corrections.knowledge import in_lexicon
from corrections.protect import is_known_word, protected_by
from corrections.tokenize import Token
from corrections.wordlists import is_common_short_word

MAX_NOISE_LINE = 16
RUN_MIN_TOKENS = 3
RUN_MAX_CONFIDENCE = 45.0
SCRAWL_MAX_CONFIDENCE = 30.0
SCRAWL_MIN_CAPITALS = 5
COMMON_SCRAP_MAX_CONFIDENCE = 20.0  # "of", "by", "see": scraps only when OCR all but gave up
VOWELS = set("aeiouyAEIOUY")
PUNCT_ONLY_RE = re.compile(r"^[^\w]+$")


SEPARATOR_RE = re.compile(r"^([*=~#_-])\1{2,}$")
YEAR_RE = re.compile(r"^(?:19|20)\d\d$")


def is_noise_token(token: str, alone: bool) -> bool:
    if SEPARATOR_RE.match(token):
        return False  # "*********", "-----": a rule printed across the page
    if any(c.isalpha() and not c.isascii() and not "\u00c0" <= c <= "\u024f" for c in token):
        return False  # another script (an Urdu heading): text Daftar does not read, not noise
    if PUNCT_ONLY_RE.match(token) or token == "_":
        return True
    if token.isdigit():
        return len(token) <= 4 and not (alone and YEAR_RE.match(token))  # a year alone on its line
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
        if all(is_noise_token(part, len(parts) == 1) for part in parts) or _scrawl(context, number):
            found.append(number)
    return found


def _scrawl(context: TextContext, number: int) -> bool:
    """A signature or a stamp read as letters (``KROYXD``, ``WQQVAAQ``): every token of the
    line read with confidence under SCRAWL_MAX_CONFIDENCE, none a known word or a number."""
    start = context.line_offsets[number]
    line = context.lines[number]
    for match in re.finditer(r"\S+", line):
        confidence = context.confidence((start + match.start(), start + match.end()))
        core = match.group().strip(".,;:!?'\"‘’“”()[]{}")
        protected = protected_by(match.group())
        # A long run of capitals OCR all but gave up on is a scrawl, not an acronym ("NAB" is).
        scrawled_capitals = protected == "acronym" and len(core) >= SCRAWL_MIN_CAPITALS
        if (confidence is None or confidence >= SCRAWL_MAX_CONFIDENCE
                or (protected and not scrawled_capitals) or (core.isalpha() and is_known_word(core))):
            return False
    return True


def _scrap(context: TextContext, token: Token) -> bool:
    """A token Tesseract doubted that is no word worth keeping (see the module docstring)."""
    confidence = context.confidence(token.span)
    if confidence is None or confidence >= RUN_MAX_CONFIDENCE:
        return False
    core = token.text.strip(".,;:!?'\"‘’“”()[]{}*-—_~|")
    if protected_by(token.text) is not None or (core.isdigit() and len(core) > 1):
        return False
    if core.isalpha() and is_common_short_word(core.lower()) and confidence >= COMMON_SCRAP_MAX_CONFIDENCE:
        return False
    # Four letters or more may be a damaged word or a name ("Kamiran"): the corrector's, not noise.
    return not (len(core) >= 4 and core.isalpha() and VOWELS & set(core))


def noise_runs(context: TextContext) -> list[tuple[int, int]]:
    """Raw spans of the runs of scraps (see the module docstring)."""
    runs: list[tuple[int, int]] = []
    run: list[Token] = []
    for token in [*context.tokens, None]:
        scrap = token is not None and _scrap(context, token)
        if scrap and (not run or run[-1].line == token.line):
            run.append(token)
            continue
        if len(run) >= RUN_MIN_TOKENS:
            start, end = run[0].span[0], run[-1].span[1]
            # One space beside the run goes too, so no double space is left.
            if start > 0 and context.raw[start - 1] == " ":
                start -= 1
            elif context.raw[end:end + 1] == " ":
                end += 1
            runs.append((start, end))
        run = [token] if scrap else []
    return runs


def propose(context: TextContext) -> list[Edit]:
    edits = [Edit(start, end, "", "noise-run", 0.8,
                  f"{context.raw[start:end].strip()!r}: a run of scraps OCR doubted (a stamp or a scrawl)")
             for start, end in noise_runs(context)]
    for number in noise_lines(context):
        line = context.lines[number]
        start = context.line_offsets[number]
        end = start + len(line) + (1 if number + 1 < len(context.lines) else 0)
        if number + 1 < len(context.lines) - 1 and context.lines[number + 1] == "":
            end += 1  # take one of the blank lines around it along
        edits.append(Edit(start, end, "", "noise-line", 0.85,
                          f"isolated line {line.strip()!r} holds no word, number or marker"))
    return edits
