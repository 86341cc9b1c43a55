"""The corrector's knowledge, loaded once from data files and validated against their schemas.

Knowledge lives in ``corrections/data/*.json`` (reporters-db style: each entry carries its
own examples, each file has a JSON Schema next to it). General English frequencies come from
symspellpy's bundled unigram and bigram dictionaries, read through importlib.resources as
plain dictionaries: building symspell's delete index costs seconds per process, and the
candidate generator (``corrections.neighbours``) does without it.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from pipeline.errors import InvalidOutputError

DATA_FILES = ("confusions", "lexicon", "listmarkers", "ocrconfusions", "protected", "shortwords", "specks", "wordfreq")


def data_text(name: str) -> str:
    return resources.files("corrections").joinpath("data", name).read_text(encoding="utf-8")


REQUIRED_KEYS = {"confusions": ("entries",), "lexicon": ("entries",), "protected": ("patterns",),
                 "shortwords": ("entries",), "listmarkers": ("roman_glyphs", "column", "examples"),
                 "specks": ("always", "lone_when_unsure", "lone_without_words", "max_confidence_lone",
                            "trailing_when_unsure", "doubled", "abbreviations", "function_words"),
                 "wordfreq": ("rare_words", "common_short_words"),
                 "ocrconfusions": ("split", "min_count", "entries")}


def load_data_file(stem: str) -> dict[str, Any]:
    """Load ``data/<stem>.json`` (checked for its top-level keys only, see validate_data_file)."""
    document = json.loads(data_text(f"{stem}.json"))
    missing = [key for key in REQUIRED_KEYS.get(stem, ()) if key not in document]
    if missing:  # a packaging bug, not a user error
        raise InvalidOutputError(f"corrections data file {stem}.json lacks {', '.join(missing)}")
    return document


def validate_data_file(stem: str) -> dict[str, Any]:
    """Load ``data/<stem>.json`` and validate it against ``data/<stem>.schema.json``.

    Full validation costs ~0.5 s, so the corrector's loaders skip it at run time; the tests
    validate every shipped file (tests/test_corrections_data.py).
    """
    import jsonschema  # ~0.1 s to import: only when asked

    document = load_data_file(stem)
    schema = json.loads(data_text(f"{stem}.schema.json"))
    try:
        jsonschema.validate(document, schema)
    except jsonschema.ValidationError as exc:
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
    """The curated table (``confusions.json``) and the letter confusions real scans showed in
    the corpus's dev split (``ocrconfusions.json``) often enough, priced by how often."""
    entries = load_data_file("confusions")["entries"]
    table = [Confusion(e["ocr"].lower(), e["expected"].lower(), float(e["cost"])) for e in entries]
    known = {(c.ocr, c.expected) for c in table}
    return tuple(table) + tuple(c for c in learned_confusions() if (c.ocr, c.expected) not in known)


def learned_cost(count: int) -> float:
    """Seen twice in dev: 0.6; three times: 0.5; four or more: 0.4 (the curated table's
    commonest confusions cost 0.2-0.3, a plain edit 1.0)."""
    return round(max(0.4, 0.8 - 0.1 * count), 2)


@lru_cache(maxsize=1)
def learned_confusions() -> tuple[Confusion, ...]:
    """Letter-for-letter confusions from ``ocrconfusions.json`` (kind ``char``) seen at least
    ``min_count`` times: letters on both sides only, so no digit or mark is ever proposed
    inside a reference number."""
    document = load_data_file("ocrconfusions")
    return tuple(
        Confusion(e["ocr"], e["expected"], learned_cost(e["count"]))
        for e in document["entries"]
        if e["kind"] == "char" and e["count"] >= document["min_count"]
        and e["ocr"].isalpha() and e["expected"].isalpha() and e["ocr"].isascii() and e["expected"].isascii()
    )


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


SYMSPELL_UNIGRAMS = "frequency_dictionary_en_82_765.txt"
SYMSPELL_BIGRAMS = "frequency_bigramdictionary_en_243_342.txt"


def _symspell_text(name: str) -> str:
    return resources.files("symspellpy").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def unigrams() -> dict[str, int]:
    """symspellpy's English word frequencies (82,765 words), word -> count."""
    fields = _symspell_text(SYMSPELL_UNIGRAMS).split()
    return dict(zip(fields[0::2], map(int, fields[1::2])))


class BigramTable:
    """symspellpy's 242k English bigram counts, looked up by binary search in the sorted lines.

    Sorting the file's lines takes ~20 ms where building a dict of them takes ~300 ms, and a
    document asks for a few hundred bigrams at most.
    """

    def __init__(self, text: str) -> None:
        self._lines = text.splitlines()
        self._lines.sort()

    def __len__(self) -> int:
        return len(self._lines)

    def get(self, pair: str, default: int = 0) -> int:
        """Count of ``pair`` ("first second", lower case), else ``default``."""
        prefix = pair + " "
        position = bisect.bisect_left(self._lines, prefix)
        if position < len(self._lines) and self._lines[position].startswith(prefix):
            count = self._lines[position][len(prefix):]
            if count.isdigit():  # "zoo" alone must not find "zoo sex 58065024"
                return int(count)
        return default


@lru_cache(maxsize=1)
def bigrams() -> BigramTable:
    """symspellpy's English bigram frequencies, "first second" -> count."""
    return BigramTable(_symspell_text(SYMSPELL_BIGRAMS))


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Every word a candidate may be: English words and domain words of three letters or more."""
    return frozenset(unigrams()).union(word for word in lexicon().words if len(word) >= 3)


def word_count(word: str) -> int:
    return unigrams().get(word.lower(), 0)


def bigram_count(first: str, second: str) -> int:
    first, second = first.lower(), second.lower()
    count = bigrams().get(f"{first} {second}", 0)
    if (first, second) in lexicon().bigrams:
        count = max(count, 50_000_000)
    return count


def in_lexicon(word: str) -> bool:
    return word.lower() in lexicon().words
