"""The line labeller's features and keywords, table-driven (pipeline/structure)."""

from __future__ import annotations

import pytest

from pipeline.models import Word
from pipeline.structure.features import content_lines, line_features
from pipeline.structure.vocabulary import FURNITURE, FURNITURE_EXAMPLES, KEYWORDS, LIST_MARKER, MARKER_EXAMPLES

LETTER = """GOVERNMENT OF THE PUNJAB
FINANCE DEPARTMENT
No. FD.SR-I/9-4/2023
Dated Lahore, the 12th April, 2023

To
      All Administrative Secretaries.

Subject:  GRANT OF LEAVE ENCASHMENT
Dear Sir,
I am directed to refer to the subject noted above and to state that the Governor is pleased to sanction it.
(i) the first direction to every office;
Yours faithfully,
Sd/-
(MUHAMMAD ZUBAIR)
Copy forwarded to:-
1. The Accountant General Punjab, Lahore.
:2:
"""


@pytest.mark.parametrize("keyword", KEYWORDS, ids=lambda k: k.name)
def test_every_keyword_matches_its_examples(keyword):
    for line in keyword.matches:
        assert keyword.pattern.search(line), (keyword.name, line)
    for line in keyword.not_matches:
        assert not keyword.pattern.search(line), (keyword.name, line)


@pytest.mark.parametrize(("line", "marker"), MARKER_EXAMPLES)
def test_list_markers(line, marker):
    m = LIST_MARKER.match(line)
    assert (m.group("marker") if m else None) == marker


@pytest.mark.parametrize(("line", "furniture"), FURNITURE_EXAMPLES)
def test_page_furniture(line, furniture):
    assert bool(FURNITURE.match(line)) is furniture


def _features_of(text: str, prefix: str, words=()) -> dict:
    lines = [line.stripped for _, line in content_lines(text)]
    n = next(i for i, line in enumerate(lines) if line.startswith(prefix))
    return line_features(text, words)[n]


@pytest.mark.parametrize(("prefix", "expected"), [
    ("GOVERNMENT OF", {"caps": "gt0.99", "first": "True", "kw:government": 1.0, "pos": "le0.05"}),
    ("No. FD", {"rule:refnum": 1.0, "kw:number": 1.0}),
    ("Dated Lahore", {"rule:date": 1.0, "kw:dated": 1.0, "blank_after": "True"}),
    ("To", {"rule:to_label": 1.0, "kw:to": 1.0, "blank_before": "True", "len": "le4"}),
    ("All Administrative", {"indent": "le9", "-1:rule": "to_label+garbage"}),
    ("Subject:", {"rule:subject_label": 1.0, "kw:subject": 1.0}),
    ("Dear Sir", {"kw:salutation": 1.0, "+1:kw": "enacting"}),
    ("I am directed", {"kw:enacting": 1.0, "len": "le200", "lower_words": "gt10"}),
    ("(i) the first", {"marker": "paren-roman", "starts": "other"}),
    ("Yours faithfully", {"kw:closing": 1.0}),
    ("Sd/-", {"kw:signed": 1.0, "rule:garbage": 1.0}),
    ("(MUHAMMAD ZUBAIR)", {"bracketed": "True", "caps": "gt0.99"}),
    ("Copy forwarded", {"kw:copy_to": 1.0, "rule:dist_label": 1.0}),
    ("1. The Accountant", {"marker": "num", "kw:all_the": 1.0}),
    (":2:", {"rule:furniture": 1.0, "last": "True", "+1:edge": 1.0}),
])
def test_line_features(prefix, expected):
    features = _features_of(LETTER, prefix)
    assert {k: features.get(k) for k in expected} == expected


def test_word_boxes_give_alignment_and_confidence():
    text = "GOVERNMENT OF SINDH\nNo. 5/2023"
    words = [
        Word("GOVERNMENT", (900, 100, 300, 40), 95.0, 1, 1, 1, 1, (0, 10)),
        Word("OF", (1210, 100, 60, 40), 93.0, 1, 1, 1, 2, (11, 13)),
        Word("SINDH", (1280, 100, 200, 40), 97.0, 1, 1, 1, 3, (14, 19)),
        Word("No.", (200, 200, 80, 40), 40.0, 1, 2, 1, 1, (20, 23)),
        Word("5/2023", (290, 200, 2000, 40), 35.0, 1, 2, 1, 2, (24, 30)),
    ]
    head, number = line_features(text, words)
    assert (head["box"], head["box_centred"], head["conf"]) == ("yes", "True", "gt90")
    assert (number["box_left"], number["conf"]) == ("le0.02", "le40")
    assert line_features(text)[0]["box"] == "none"
