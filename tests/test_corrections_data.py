"""The knowledge files: each validates against its schema, each entry's examples hold."""

from __future__ import annotations

import json
import re
from importlib import resources

import jsonschema
import pytest

from corrections import correct_text
from corrections.candidates import confusion_variants
from corrections.knowledge import DATA_FILES, data_text, lexicon, load_data_file

CONFUSIONS = load_data_file("confusions")["entries"]
PATTERNS = load_data_file("protected")["patterns"]
LEXICON = load_data_file("lexicon")["entries"]


@pytest.mark.parametrize("stem", DATA_FILES)
def test_data_file_validates_against_its_schema(stem: str) -> None:
    document = json.loads(data_text(f"{stem}.json"))
    schema = json.loads(data_text(f"{stem}.schema.json"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema)


def test_every_data_file_has_a_schema() -> None:
    names = {p.name for p in resources.files("corrections").joinpath("data").iterdir()}
    for name in names:
        if name.endswith(".json") and not name.endswith(".schema.json"):
            assert name.replace(".json", ".schema.json") in names


def test_schema_rejects_a_bad_entry() -> None:
    schema = json.loads(data_text("confusions.schema.json"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"version": 1, "entries": [{"ocr": "rn", "expected": "m", "cost": 3}]}, schema)


@pytest.mark.parametrize(
    ("ocr", "expected", "name"),
    [(ex["ocr"], ex["expected"], f'{e["ocr"]}->{e["expected"]}') for e in CONFUSIONS for ex in e["examples"]],
)
def test_confusion_example_is_repaired(ocr: str, expected: str, name: str) -> None:
    """The confusion reaches the expected word, and the corrector restores it in a sentence."""
    variants = confusion_variants(ocr.lower())
    assert any(name in ops for _cost, ops in variants.values()) or name.endswith("->")
    sentence = f"It was noted that {ocr} was mentioned in the letter."
    assert correct_text(sentence).text == f"It was noted that {expected} was mentioned in the letter."


@pytest.mark.parametrize("entry", PATTERNS, ids=[p["name"] for p in PATTERNS])
def test_protected_pattern_examples(entry: dict) -> None:
    regex = re.compile(entry["regex"])
    for example in entry["examples"]["match"]:
        assert regex.search(example), example
    for example in entry["examples"]["no_match"]:
        assert not regex.search(example), example


@pytest.mark.parametrize("entry", PATTERNS, ids=[p["name"] for p in PATTERNS])
def test_protected_examples_survive_the_corrector(entry: dict) -> None:
    for example in entry["examples"]["match"]:
        text = f"Reference {example} refers"
        assert correct_text(text).text == text


@pytest.mark.parametrize("entry", [e for e in LEXICON if "examples" in e], ids=lambda e: e["term"])
def test_lexicon_examples_contain_the_term_and_stay_unchanged(entry: dict) -> None:
    for example in entry["examples"]:
        assert entry["term"].lower() in example.lower()
        assert correct_text(example).text == example


def test_lexicon_terms_are_unique_per_category() -> None:
    keys = [(e["term"], e["category"]) for e in LEXICON]
    assert len(keys) == len(set(keys))


def test_lexicon_builds_phrase_bigrams() -> None:
    assert ("joint", "secretary") in lexicon().bigrams
    assert ("registrar", "department") in lexicon().bigrams
    assert "gilgit-baltistan" in lexicon().words
