"""What every correction pass may look at: the raw text, its tokens, cores and confidences."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Sequence

from pipeline.models import Span, Word

from corrections.protect import document_support
from corrections.tokenize import Core, Token, cores, tokens

HIGH_CONFIDENCE = 95.0  # Tesseract confidence above which a dictionary-looking word is trusted
LOW_CONFIDENCE = 60.0


@dataclass
class TextContext:
    raw: str
    words: Sequence[Word] = ()
    tokens: list[Token] = field(init=False)
    cores: list[Core] = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = tokens(self.raw)
        self.cores = cores(self.tokens)

    @cached_property
    def lines(self) -> list[str]:
        return self.raw.split("\n")

    @cached_property
    def line_offsets(self) -> list[int]:
        offsets, position = [], 0
        for line in self.lines:
            offsets.append(position)
            position += len(line) + 1
        return offsets

    @cached_property
    def tokens_on_line(self) -> Counter[int]:
        """How many tokens each line holds (asked per token: a scan would be quadratic)."""
        return Counter(token.line for token in self.tokens)

    @cached_property
    def support(self) -> dict[str, int]:
        return dict(document_support([core.text for core in self.cores]))

    @cached_property
    def lowered_words(self) -> frozenset[str]:
        return frozenset(core.text.lower() for core in self.cores if core.text.isalpha())

    @cached_property
    def _word_starts(self) -> tuple[list[int], list[Word]]:
        ordered = sorted(self.words, key=lambda w: w.span)
        return [w.span[0] for w in ordered], ordered

    def confidence(self, span: Span) -> float | None:
        """Lowest OCR confidence of the words overlapping ``span`` (None without words).

        Asked for nearly every token, so the words are searched by their sorted starts
        (OCR words never overlap one another).
        """
        starts, ordered = self._word_starts
        index = max(0, bisect_right(starts, span[0]) - 1)
        found = []
        while index < len(ordered) and ordered[index].span[0] < span[1]:
            word = ordered[index]
            if span[0] < word.span[1]:
                found.append(word.confidence)
            index += 1
        return min(found) if found else None

    def line_is_blank(self, number: int) -> bool:
        return not (0 <= number < len(self.lines)) or not self.lines[number].strip()
