"""The corrector's knowledge, loaded once from data files and validated against their schemas.

Knowledge lives in ``corrections/data/*.json`` (reporters-db style: each entry carries its
own examples, each file has a JSON Schema next to it). General English frequencies come from
symspellpy's bundled unigram and bigram dictionaries, read through importlib.resources.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import jsonschema
from symspellpy import SymSpell

from pipeline.errors import InvalidOutputError

DATA_FILES = ("confusions", "lexicon", "protected")


def data_text(name: str) -> str:
    return resources.files("corrections").joinpath("data", name).read_text(encoding="utf-8")


def load_data_file(stem: str) -> dict[str, Any]:
    """Load ``data/<stem>.json`` and validate it against ``data/<stem>.schema.json``."""
    document = json.loads(data_text(f"{stem}.json"))
    schema = json.loads(data_text(f"{stem}.schema.json"))
    try:
        jsonschema.validate(document, schema)
    except jsonschema.ValidationError as exc:  # a packaging bug, not a user error
        raise InvalidOutputError(f"corrections data file {stem}.json is invalid: {exc.message}") from exc
    return document


@dataclass(frozen=True)
class Confusion:
    ocr: str
    expected: str
    cost: float

    @property
    def name(self) -> str:
        return f"{self.ocr}->{self.expected}"


@dataclass(frozen=True)
class ProtectedPattern:
    name: str
    regex: re.Pattern[str]


@lru_cache(maxsize=1)
def confusions() -> tuple[Confusion, ...]:
    entries = load_data_file("confusions")["entries"]
    return tuple(Confusion(e["ocr"].lower(), e["expected"].lower(), float(e["cost"])) for e in entries)


@lru_cache(maxsize=1)
def protected_patterns() -> tuple[ProtectedPattern, ...]:
    entries = load_data_file("protected")["patterns"]
    return tuple(ProtectedPattern(e["name"], re.compile(e["regex"])) for e in entries)


@dataclass(frozen=True)
class Lexicon:
    """Domain words (lower-cased, with their printed forms) and phrase bigrams."""

    words: dict[str, str]  # lower-case word -> printed form (first seen)
    categories: dict[str, str]  # lower-case term -> category
    bigrams: frozenset[tuple[str, str]]
    phrases: frozenset[str]  # lower-case multiword terms


WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    words: dict[str, str] = {}
    categories: dict[str, str] = {}
    bigrams: set[tuple[str, str]] = set()
    phrases: set[str] = set()
    for entry in load_data_file("lexicon")["entries"]:
        term = entry["term"]
        categories.setdefault(term.lower(), entry["category"])
        tokens = WORD_RE.findall(term)
        for token in tokens:
            words.setdefault(token.lower(), token)
            for part in token.split("-"):
                if part:
                    words.setdefault(part.lower(), part)
        lowered = [re.sub(r"['’]s$", "", t.lower()) for t in tokens]
        if len(lowered) > 1:
            phrases.add(" ".join(lowered))
        bigrams.update(zip(lowered, lowered[1:]))
    return Lexicon(words, categories, frozenset(bigrams), frozenset(phrases))


@lru_cache(maxsize=1)
def english() -> SymSpell:
    """symspellpy's bundled English unigram + bigram frequencies (max edit distance 2)."""
    speller = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    package = resources.files("symspellpy")
    with resources.as_file(package / "frequency_dictionary_en_82_765.txt") as path:
        speller.load_dictionary(str(path), term_index=0, count_index=1)
    with resources.as_file(package / "frequency_bigramdictionary_en_243_342.txt") as path:
        speller.load_bigram_dictionary(str(path), term_index=0, count_index=2)
    return speller


@lru_cache(maxsize=1)
def domain_speller() -> SymSpell:
    """A SymSpell index over the domain lexicon, so lexicon words are found as candidates."""
    speller = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    for word in lexicon().words:
        if len(word) >= 3:
            speller.create_dictionary_entry(word, 1_000_000)
    return speller


def word_count(word: str) -> int:
    return english().words.get(word.lower(), 0)


def bigram_count(first: str, second: str) -> int:
    first, second = first.lower(), second.lower()
    count = english().bigrams.get(f"{first} {second}", 0)
    if (first, second) in lexicon().bigrams:
        count = max(count, 50_000_000)
    return count


def in_lexicon(word: str) -> bool:
    return word.lower() in lexicon().words
