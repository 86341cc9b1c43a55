"""The corrector's public API: invariants, reverting, span mapping, OCR confidences, and
unit tests of each module."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corrections import CorrectionResult, apply_corrections, correct_text, map_span_to_raw, revert
from corrections.candidates import confusion_variants, propose
from corrections.context import TextContext
from corrections.edits import Edit, resolve, to_corrections
from corrections.listmarkers import roman, roman_value
from corrections.ordinals import suffix
from corrections.protect import is_known_word, protected_by
from corrections.tokenize import cores, strip_token, tokens
from pipeline.errors import BadArgsError
from pipeline.models import Correction, Word

EXAMPLE = Path("/work/shared/examples/ocr-output-two-circulars.txt")
DAMAGED = (
    'No.F.2-244/2023-Admn/3909 Dated: 18" September, 2023.\n'
    "Kihdly refer to this Division's Circular dated 23™ July, 2020\n"
    "will tantamount t6 misconduct and shall invite dis'ciplinary action.\n"
    "the '‘Administrators' or the \"Admin', if they are serving gllovernmcnt servants\n"
    "Khyber Pakhtunkhawa, Balochistan and Gilgit- Baltistan.\n"
)


def assert_invariants(raw: str, result: CorrectionResult) -> None:
    previous_end = -1
    for correction in result.corrections:
        start, end = correction.raw_span
        assert raw[start:end] == correction.original
        assert result.text[correction.span[0]:correction.span[1]] == correction.replacement
        assert start >= previous_end, "corrections overlap or are unsorted"
        previous_end = end
        assert 0.0 <= correction.score <= 1.0
        assert correction.rule
    assert apply_corrections(raw, result.corrections) == result.text


def test_damaged_text_is_corrected_with_reversible_records() -> None:
    result = correct_text(DAMAGED)
    assert "18th September" in result.text and "23rd July" in result.text
    assert "Kindly refer" in result.text and "tantamount to misconduct" in result.text
    assert "disciplinary action" in result.text and "government servants" in result.text
    assert "'Administrators' or the 'Admin'" in result.text
    assert "Khyber Pakhtunkhwa" in result.text and "Gilgit-Baltistan" in result.text
    assert "No.F.2-244/2023-Admn/3909" in result.text
    assert_invariants(DAMAGED, result)
    rules = {c.rule for c in result.corrections}
    assert {"ordinal", "confusion:h->n", "hyphen-space", "quote"} <= rules


def test_example_file_invariants_and_protected_tokens() -> None:
    raw = EXAMPLE.read_text()
    before = raw
    result = correct_text(raw)
    assert raw == before
    assert_invariants(raw, result)
    for kept in ("No.F.2-244/2023-Admn/3909", "1/20/1976-D-3", "25-A", "25-B", "Rule 18", "Rule 22",
                 "1964", "2020", "NAB", "DS (CP-V)", "SSO to VC", "Wafaqi Mohtasib"):
        assert kept in result.text
    assert "F.No.14/04/2021-D-II" in result.text
    assert "Section Officer D-II" in result.text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(list("abcdeilmnorstuvw1056|§'\"’“ -.,:/\n()™")
                         + ["rn", "Gov", "18\" May", "D-ll", "\nxl1. ", "govern-\nment", "Kihdly"]),
                max_size=40).map("".join))
def test_invariants_hold_on_random_text(raw: str) -> None:
    result = correct_text(raw)
    assert_invariants(raw, result)
    for index in range(len(result.corrections)):
        reverted = revert(raw, result, index)
        assert_invariants(raw, reverted)
        group = result.corrections[index].group
        together = sum(1 for c in result.corrections if group and c.group == group) or 1
        assert len(reverted.corrections) == len(result.corrections) - together


def test_revert_undoes_exactly_one_correction() -> None:
    result = correct_text(DAMAGED)
    index = next(i for i, c in enumerate(result.corrections) if c.original == "Kihdly")
    reverted = revert(DAMAGED, result, index)
    assert "Kihdly refer" in reverted.text
    assert "18th September" in reverted.text and "tantamount to misconduct" in reverted.text
    assert_invariants(DAMAGED, reverted)
    everything = result
    while everything.corrections:
        everything = revert(DAMAGED, everything, 0)
    assert everything.text == DAMAGED


def test_revert_rejects_a_missing_index() -> None:
    result = correct_text("Kihdly refer")
    with pytest.raises(BadArgsError):
        revert("Kihdly refer", result, 5)


def test_apply_corrections_rejects_corrections_of_other_text() -> None:
    result = correct_text("Kihdly refer")
    with pytest.raises(BadArgsError):
        apply_corrections("Kindly refer", result.corrections)


def test_correct_text_rejects_non_text() -> None:
    with pytest.raises(BadArgsError):
        correct_text(b"bytes")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "needle", "expected_raw"),
    [
        ('Dated: 18" September', "18th", '18"'),
        ('Dated: 18" September', "September", "September"),
        ("Kihdly refer to t6 the Rules", "Rules", "Rules"),
        ("Kihdly refer to t6 the Rules", "Kindly refer", "Kihdly refer"),
        ("Kihdly refer to t6 the Rules", "to the", "t6 the"),
        ("Gilgit- Baltistan and Sindh", "Gilgit-Baltistan", "Gilgit- Baltistan"),
        ("Gilgit- Baltistan and Sindh", "Sindh", "Sindh"),
    ],
)
def test_map_span_to_raw(raw: str, needle: str, expected_raw: str) -> None:
    result = correct_text(raw)
    start = result.text.index(needle)
    raw_start, raw_end = map_span_to_raw((start, start + len(needle)), result.corrections)
    assert raw[raw_start:raw_end] == expected_raw


def test_map_span_to_raw_rejects_reversed_span() -> None:
    with pytest.raises(BadArgsError):
        map_span_to_raw((5, 2), ())


def test_map_span_around_a_deletion() -> None:
    raw = "Secretaries/Additional: Secretaries (Incharge)"
    result = correct_text(raw)
    start = result.text.index("Secretaries (")
    span = map_span_to_raw((start, start + len("Secretaries")), result.corrections)
    assert raw[span[0]:span[1]] == "Secretaries"


def _words(text: str, confidence: float) -> tuple[Word, ...]:
    return tuple(Word(t.text, (0, 0, 1, 1), confidence, 1, 1, 1, i, t.span) for i, t in enumerate(tokens(text)))


def test_confident_ocr_words_are_never_changed() -> None:
    text = "the seniority list of Assistarits"
    assert correct_text(text).text == "the seniority list of Assistants"
    assert correct_text(text, _words(text, 70.0)).text == "the seniority list of Assistants"
    assert correct_text(text, _words(text, 97.0)).text == text  # Tesseract is sure: trust it
    confident_word = "The Secretary shall form the committee"
    assert correct_text(confident_word, _words(confident_word, 96.0)).text == confident_word


def test_low_confidence_real_words_need_strong_evidence() -> None:
    text = "The Secretary shall form the committee"
    assert correct_text(text, _words(text, 20.0)).text == text


def test_doubted_real_word_is_corrected_only_when_tesseract_doubted_it() -> None:
    text = "the use of modem technology in offices"
    assert correct_text(text).text == text
    assert correct_text(text, _words(text, 97.0)).text == text
    assert correct_text(text, _words(text, 30.0)).text == "the use of modern technology in offices"


def _words_at(text: str, doubted: dict[str, float], otherwise: float = 96.0) -> tuple[Word, ...]:
    """OCR words for ``text``: tokens named in ``doubted`` at their confidence, the rest sure."""
    return tuple(Word(t.text, (0, 0, 1, 1), doubted.get(t.text, otherwise), 1, 1, 1, i, t.span)
                 for i, t in enumerate(tokens(text)))


def test_ocr_doubt_tips_a_close_non_word_towards_its_correction() -> None:
    # two letters off: too close to call without OCR's confidence, kept when OCR was sure
    text = "the Khyber Pakhtunkhwa Government Sehvonts (Efficiency and Discipline) Rules"
    assert correct_text(text).text == text  # no confidence: reported only
    assert "Sehvonts" in correct_text(text, _words_at(text, {"Sehvonts": 90.0})).text
    fixed = correct_text(text, _words_at(text, {"Sehvonts": 40.0}))
    assert "Government Servants (Efficiency" in fixed.text


def test_a_confusion_real_scans_make_is_repaired_without_ocr_confidence() -> None:
    # 'Servatits': a confusion learned from the corpus's dev damage (data/ocrconfusions.json)
    text = "the Khyber Pakhtunkhwa Government Servatits (Efficiency and Discipline) Rules"
    assert "Government Servants (Efficiency" in correct_text(text).text


@pytest.mark.parametrize(("text", "doubted", "expected"), [
    # A stamp read across a line of text: a run of scraps OCR doubted goes.
    ("of each month. oe ie ae See cs Yours faithfully,",
     {"oe": 10, "ie": 0, "ae": 41, "See": 6, "cs": 40},
     "of each month. Yours faithfully,"),
    # The same letters read with confidence stay.
    ("of each month. oe ie ae See cs Yours faithfully,", {}, "of each month. oe ie ae See cs Yours faithfully,"),
    # An acronym breaks a run: "SNE" may be an office.
    ("month. oe ie SNE ae cs Yours", {"oe": 10, "ie": 0, "SNE": 0, "ae": 41, "cs": 40},
     "month. oe ie SNE ae cs Yours"),
    # Two scraps are no run.
    ("the matter oe ie was discussed", {"oe": 5, "ie": 5}, "the matter oe ie was discussed"),
    # A damaged name inside the run stops it: it is the word corrector's, not noise.
    ("Ae ore ee (Kamiran Ahmad Afridi)", {"Ae": 30, "ore": 10, "ee": 30, "(Kamiran": 31},
     "(Kamiran Ahmad Afridi)"),
    # Common short words need OCR to have all but given up on them.
    ("the order of by and the case", {"of": 36, "by": 42, "and": 31}, "the order of by and the case"),
    # A signature scrawl alone above the name block goes; read with confidence it stays.
    ("instructions.\n\nKROYXD\n\n(Dr. Muhammad Shoaib Akbar)", {"KROYXD": 0.0},
     "instructions.\n\n(Dr. Muhammad Shoaib Akbar)"),
    ("instructions.\n\nKROYXD\n\n(Dr. Muhammad Shoaib Akbar)", {},
     "instructions.\n\nKROYXD\n\n(Dr. Muhammad Shoaib Akbar)"),
    ("instructions.\n\nNAB\n\n(Dr. Muhammad Shoaib Akbar)", {"NAB": 0.0},
     "instructions.\n\nNAB\n\n(Dr. Muhammad Shoaib Akbar)"),
    # A number or a reference number OCR doubted is never noise.
    ("No. 5714 dated 11/01 ee", {"No.": 10, "5714": 5, "dated": 10, "11/01": 8, "ee": 5},
     "No. 5714 dated 11/01 ee"),
])
def test_noise_runs_and_scrawls_need_ocr_doubt(text: str, doubted: dict[str, float], expected: str) -> None:
    result = correct_text(text, _words_at(text, doubted))
    assert result.text == expected
    assert_invariants(text, result)


def test_uncertain_candidates_are_reported_not_applied() -> None:
    raw = "(Dr. Muhammad Shoaity Akbar)"
    result = correct_text(raw)
    assert result.text == raw
    assert any(c.original == "Shoaity" for c in result.uncertain)


# --- module units ---------------------------------------------------------------------------


@pytest.mark.parametrize(("number", "expected"), [(1, "st"), (2, "nd"), (3, "rd"), (4, "th"), (11, "th"),
                                                  (12, "th"), (13, "th"), (21, "st"), (22, "nd"), (23, "rd"),
                                                  (31, "st")])
def test_ordinal_suffix_follows_the_number(number: int, expected: str) -> None:
    assert suffix(number) == expected


@pytest.mark.parametrize("number", range(1, 40))
def test_roman_round_trip(number: int) -> None:
    assert roman_value(roman(number)) == number


def test_roman_value_rejects_garbage() -> None:
    assert roman_value("viil") is None and roman_value("iiii") is None and roman_value("") is None


def test_tokens_and_cores_keep_offsets() -> None:
    text = "(Roglstrar's Department)\nSecretaries/Additional: x"
    token_list = tokens(text)
    assert [t.text for t in token_list] == ["(Roglstrar's", "Department)", "Secretaries/Additional:", "x"]
    assert token_list[2].line_start and token_list[3].line_end
    for core in cores(token_list):
        assert text[core.span[0]:core.span[1]] == core.text
    assert [c.text for c in cores(token_list)] == ["Roglstrar", "Department", "Secretaries", "Additional", "x"]
    assert strip_token(token_list[0])[0] == "Roglstrar"


@pytest.mark.parametrize(("text", "pattern"), [("F.No.14/04/2021-D-II", "reference-number"),
                                               ("03.03.2022", "date"), ("BPS-17", "grade"),
                                               ("NAB", "acronym"), ("registrar@aiou.edu.pk", "email"),
                                               ("5th", "ordinal"), ("Secretary", None)])
def test_protected_by(text: str, pattern: str | None) -> None:
    assert protected_by(text) == pattern


@pytest.mark.parametrize(("word", "known"), [("government", True), ("Mohtasib", True), ("doesn't", True),
                                             ("Gilgit-Baltistan", True), ("tantamount", True),
                                             ("Kihdly", False), ("gllovernmcnt", False)])
def test_is_known_word(word: str, known: bool) -> None:
    assert is_known_word(word) is known


def test_confusion_variants_track_their_cost() -> None:
    variants = confusion_variants("kihdly")
    assert variants["kindly"][1] == ("h->n",)
    assert variants["kihdly"] == (0.0, ())


def test_propose_ranks_the_cheapest_first() -> None:
    proposals = propose("Govemment")
    assert proposals[0].word == "government"
    assert proposals[0].cost < 1.0


def test_resolve_keeps_the_earlier_of_overlapping_edits() -> None:
    first = Edit(0, 5, "A", "one", 0.9)
    clash = Edit(3, 8, "B", "two", 0.9)
    later = Edit(8, 9, "C", "three", 0.9)
    assert resolve([first, clash, later]) == [first, later]


def test_to_corrections_shifts_spans() -> None:
    raw = "ab cd ef"
    corrections = to_corrections(raw, [Edit(0, 2, "xyz", "r", 1.0), Edit(6, 8, "", "r", 1.0)])
    assert corrections == (
        Correction("ab", "xyz", (0, 2), (0, 3), "r", 1.0),
        Correction("ef", "", (6, 8), (7, 7), "r", 1.0),
    )


def test_context_confidence_uses_the_lowest_overlapping_word() -> None:
    text = "Kihdly refer"
    words = (Word("Kihdly", (0, 0, 1, 1), 40.0, 1, 1, 1, 1, (0, 6)), Word("refer", (0, 0, 1, 1), 95.0, 1, 1, 1, 2, (7, 12)))
    context = TextContext(text, words)
    assert context.confidence((0, 12)) == 40.0
    assert context.confidence((7, 9)) == 95.0
    assert TextContext(text).confidence((0, 3)) is None
    assert context.confidence((6, 7)) is None  # the space between them
    assert context.confidence((5, 8)) == 40.0


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 6), st.integers(1, 3), st.floats(0, 100)), max_size=12),
       st.integers(0, 60), st.integers(0, 12))
def test_context_confidence_equals_a_scan_of_every_word(layout, start, length) -> None:
    words, position = [], 0
    for i, (size, gap, confidence) in enumerate(layout):
        words.append(Word("x" * size, (0, 0, 1, 1), confidence, 1, 1, 1, i, (position, position + size)))
        position += size + gap
    context = TextContext(" " * (position + 20), tuple(reversed(words)))  # any order given
    span = (start, start + length)
    expected = [w.confidence for w in words if w.span[0] < span[1] and span[0] < w.span[1]]
    assert context.confidence(span) == (min(expected) if expected else None)


@pytest.mark.parametrize("word", ["govemment", "secrctary", "divisoin", "ofice", "registar", "pakhtunkhawa", "xq"])
@pytest.mark.parametrize("distance", [1, 2])
def test_neighbours_are_exactly_the_vocabulary_words_within_the_distance(word: str, distance: int) -> None:
    """The symspell-free search finds what a scan of the whole vocabulary finds."""
    from rapidfuzz.distance import OSA

    from corrections.knowledge import vocabulary
    from corrections.neighbours import neighbours

    expected = sorted((term, OSA.distance(word, term)) for term in vocabulary()
                      if 0 < OSA.distance(word, term) <= distance)
    assert list(neighbours(word, distance)) == expected


def test_neighbours_reject_an_unsupported_distance() -> None:
    from corrections.neighbours import neighbours

    with pytest.raises(ValueError, match="max_distance"):
        neighbours("word", 3)


def test_bigram_table_finds_pairs_not_prefixes() -> None:
    from corrections.knowledge import BigramTable

    table = BigramTable("of the 900\nzoo sex 5\nzoom lens 7\n")
    assert table.get("of the") == 900
    assert table.get("zoom lens") == 7
    assert table.get("zoo") == 0  # a single word must not match the line "zoo sex 5"
    assert table.get("the of", -1) == -1
    assert len(table) == 3


def test_symspell_bigram_counts_are_loaded() -> None:
    from corrections.knowledge import bigram_count, bigrams

    assert len(bigrams()) > 200_000
    assert bigram_count("In", "the") > bigram_count("the", "in") > 0  # case-insensitive, ordered


def test_ten_thousand_short_lines_are_corrected_in_one_pass() -> None:
    """Per-line look-ups are indexed: 10,000 lines of circulars come back unchanged."""
    block = "GOVERNMENT OF PAKISTAN\nOFFICE MEMORANDUM\nNo. F.{i}/2024\nSubject: Item {i}\nText of item {i}.\n"
    raw = "".join(block.format(i=i) for i in range(2_000))
    result = correct_text(raw)
    assert result.text == raw
    assert result.corrections == ()
