"""What every correction pass may look at: the raw text, its tokens, cores and confidences."""

from __future__ import annotations

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

    def confidence(self, span: Span) -> float | None:
        """Lowest OCR confidence of the words overlapping ``span`` (None without words)."""
        found = [w.confidence for w in self.words if w.span[0] < span[1] and span[0] < w.span[1]]
        return min(found) if found else None

    def line_is_blank(self, number: int) -> bool:
        return not (0 <= number < len(self.lines)) or not self.lines[number].strip()
