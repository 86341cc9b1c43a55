"""Split raw OCR text into tokens and word cores, keeping offsets into the raw text.

A *token* is a whitespace-delimited run. Its *cores* are the word-like parts inside it: outer
brackets, quotes and trailing punctuation stripped, split at ``/``, a possessive ``'s`` left
outside. Every span indexes the raw text, so an edit on a core maps straight back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.models import Span

LEADING = "([{<\"'‘“«"
TRAILING = ")]}>\"'’”».,;:!?-"
POSSESSIVE_RE = re.compile(r"['’]s$")
TOKEN_RE = re.compile(r"\S+")


@dataclass(frozen=True)
class Token:
    text: str
    span: Span
    line: int  # 0-based line number
    line_start: bool  # first token on its line
    line_end: bool  # last token on its line


@dataclass(frozen=True)
class Core:
    """A word-like part of a token: the unit the word corrector looks at."""

    text: str
    span: Span
    token: Token
    index: int  # position of the token in the token list


def tokens(text: str) -> list[Token]:
    result: list[Token] = []
    for line_number, (line_offset, line) in enumerate(_lines(text)):
        matches = list(TOKEN_RE.finditer(line))
        for position, match in enumerate(matches):
            start, end = line_offset + match.start(), line_offset + match.end()
            result.append(
                Token(match.group(), (start, end), line_number, position == 0, position == len(matches) - 1)
            )
    return result


def _lines(text: str) -> list[tuple[int, str]]:
    offset = 0
    lines = []
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    return lines


def strip_token(token: Token) -> tuple[str, Span]:
    """The token without outer brackets, quotes and trailing punctuation (and its span)."""
    text = token.text
    start, end = 0, len(text)
    while start < end and text[start] in LEADING:
        start += 1
    while end > start and text[end - 1] in TRAILING:
        end -= 1
    possessive = POSSESSIVE_RE.search(text[start:end])
    if possessive and end - start > 3:
        end -= 2
    return text[start:end], (token.span[0] + start, token.span[0] + end)


def cores(token_list: list[Token]) -> list[Core]:
    result: list[Core] = []
    for index, token in enumerate(token_list):
        stripped, (start, _end) = strip_token(token)
        offset = 0
        for part in stripped.split("/"):
            if part:
                part_start = start + offset
                result.append(Core(part, (part_start, part_start + len(part)), token, index))
            offset += len(part) + 1
    return result


def is_blank_line(text: str, line_number: int) -> bool:
    lines = text.split("\n")
    return 0 <= line_number < len(lines) and not lines[line_number].strip()
