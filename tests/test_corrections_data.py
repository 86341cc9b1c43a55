"""The knowledge files: each validates against its schema, each entry's examples hold."""

from __future__ import annotations

import json
import re
from importlib import resources

import jsonschema
import pytest

from corrections import correct_text, knowledge
from corrections.candidates import confusion_variants
from corrections.knowledge import DATA_FILES, data_text, lexicon, load_data_file, word_count
from corrections.protect import is_known_word
from corrections.wordlists import build as build_wordlists
from corrections.wordlists import is_common_short_word, is_rare_real_word
from pipeline.errors import InvalidOutputError

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


SHORT_WORDS = load_data_file("shortwords")["entries"]


@pytest.mark.parametrize("entry", SHORT_WORDS, ids=[e["ocr"] for e in SHORT_WORDS])
def test_short_word_misreadings_are_no_words_and_their_examples_hold(entry: dict) -> None:
    assert not is_known_word(entry["ocr"]), "a real word must not be listed as a misreading"
    assert is_known_word(entry["expected"])
    for example in entry["examples"]:
        assert correct_text(example["ocr"]).text == example["expected"]


def test_load_data_file_reports_a_missing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(knowledge, "data_text", lambda name: '{"version": 1}')
    with pytest.raises(InvalidOutputError, match="lacks entries"):
        knowledge.load_data_file("confusions")


def test_validate_data_file_rejects_a_file_against_its_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    real = knowledge.data_text
    monkeypatch.setattr(knowledge, "data_text",
                        lambda name: '{"version": 1, "entries": []}' if name == "lexicon.json" else real(name))
    with pytest.raises(InvalidOutputError, match="lexicon.json is invalid"):
        knowledge.validate_data_file("lexicon")


def test_shipped_wordfreq_lists_equal_a_fresh_build() -> None:
    """data/wordfreq.json is generated; a stale file would silently change what is a word."""
    assert load_data_file("wordfreq") == build_wordlists()


@pytest.mark.parametrize("word", ["unauthentic", "microblogging", "fora", "the", "would"])
def test_wordfreq_lists_agree_with_wordfreq(word: str) -> None:
    from wordfreq import zipf_frequency

    zipf = zipf_frequency(word, "en")
    if len(word) >= 5:
        assert is_rare_real_word(word) == (zipf >= 2.5 and word_count(word) == 0)
    else:
        assert is_common_short_word(word) == (zipf >= 4.0)


LIST_MARKER_EXAMPLES = load_data_file("listmarkers")["examples"]


@pytest.mark.parametrize("example", LIST_MARKER_EXAMPLES, ids=lambda e: e["note"])
def test_list_marker_column_examples_hold_and_revert(example: dict) -> None:
    """Each example is reproduced exactly, and undoing every correction gives the OCR back."""
    from corrections import revert

    result = correct_text(example["ocr"])
    assert result.text == example["expected"]
    while result.corrections:
        result = revert(example["ocr"], result, 0)
    assert result.text == example["ocr"]


def test_reverting_half_of_a_marker_move_reverts_the_whole_move() -> None:
    """A marker inserted at its item and deleted from its column are one repair: undoing
    either undoes both, so the marker is never lost nor doubled."""
    from corrections import revert

    example = LIST_MARKER_EXAMPLES[0]
    result = correct_text(example["ocr"])
    moves = [i for i, c in enumerate(result.corrections) if c.rule == "list-marker-moved"]
    assert moves and all(result.corrections[i].group for i in moves)
    reverted = revert(example["ocr"], result, moves[0])
    assert reverted.text == example["ocr"]


SPECK_EXAMPLES = load_data_file("specks")["examples"]


def _words_for(text: str, unsure: list[str]) -> tuple:
    """OCR words for ``text``: the tokens in ``unsure`` at confidence 10, the others at 96."""
    from pipeline.models import Word

    return tuple(Word(m.group(), (0, 0, 1, 1), 10.0 if m.group() in unsure else 96.0, 1, 1, 1, k,
                      m.span()) for k, m in enumerate(re.finditer(r"\S+", text), start=1))


@pytest.mark.parametrize("example", SPECK_EXAMPLES, ids=lambda e: e.get("note") or e["ocr"][:40])
def test_speck_examples_hold_and_revert(example: dict) -> None:
    from corrections import revert

    words = () if example["unsure"] is None else _words_for(example["ocr"], example["unsure"])
    result = correct_text(example["ocr"], words)
    assert result.text == example["expected"]
    while result.corrections:
        result = revert(example["ocr"], result, 0)
    assert result.text == example["ocr"]


OCR_CONFUSIONS = load_data_file("ocrconfusions")
REPAIRED = [(e["kind"], x) for e in OCR_CONFUSIONS["entries"] for x in e["examples"] if x["repaired"]]


@pytest.mark.parametrize(("kind", "example"), REPAIRED,
                         ids=[f'{kind}:{x["document"]}:{x["ocr"][:30]}' for kind, x in REPAIRED])
def test_learned_confusion_example_is_repaired_in_its_dev_context(kind: str, example: dict) -> None:
    """Every dev example marked repaired is restored by the engine in its own raw context."""
    from corrections.learnconfusions import repaired

    assert repaired(example["context"], example["ocr"], example["expected"]), example


def test_learned_confusions_come_from_dev_only() -> None:
    from corpus import split_of

    offices = {d.id: d.office for d in __import__("corpus").documents()}
    assert OCR_CONFUSIONS["split"] == "dev"
    for entry in OCR_CONFUSIONS["entries"]:
        for example in entry["examples"]:
            assert split_of(offices[example["document"]]) == "dev", example["document"]


def test_learned_confusions_equal_a_fresh_build_from_dev() -> None:
    """The shipped counts and repaired flags are what the dev corpus and today's engine give:
    rebuild with ``python -m corrections.learnconfusions --write`` after changing either."""
    from corrections.learnconfusions import build

    assert build() == OCR_CONFUSIONS


def test_learned_letter_confusions_feed_candidates_and_never_touch_codes() -> None:
    from corrections.knowledge import confusions, learned_confusions

    learned = learned_confusions()
    assert learned and all(c.ocr.isalpha() and c.expected.isalpha() for c in learned)
    names = {c.name for c in confusions()}
    assert {"t->i", "q->a"} <= names
    assert [p.word for p in __import__("corrections.candidates").candidates.propose("basts")][0] == "basis"
