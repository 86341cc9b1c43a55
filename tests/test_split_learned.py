"""The learned document-boundary model (pipeline/split_model.py, docs/split-model.md).

Table cases are short excerpts in the shape of `dev` documents of the real corpus (the id in
the comment): a file holding two documents, where the second must start, and negative cases
where nothing must start. The `test` split is never used here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.split import rule_trace, split_documents
from pipeline.split_model import MODEL_PATH, decode, learned_starts, line_features
from pipeline.split_training import Sample, Tally, _sample, paged, train

PARA = ("The undersigned is directed to state that the competent authority has been pleased to decide\n"
        "that the instructions issued on the subject shall be followed strictly by all concerned offices.\n\n")


def starts_of(text: str) -> list[str]:
    """The first line of every document found."""
    return [text[s:e].strip().split("\n")[0] for s, e in split_documents(text)]


def test_the_model_is_installed_and_decides() -> None:
    assert MODEL_PATH.exists()
    assert learned_starts("GOVERNMENT OF PAKISTAN\n\n" + PARA) == [0]


def test_without_a_model_the_rules_decide(tmp_path: Path) -> None:
    assert learned_starts("GOVERNMENT OF PAKISTAN\n\n" + PARA, model=tmp_path / "none.crfsuite") is None


def test_every_line_a_start_is_held_by_the_guards() -> None:
    """Even at probability 1 everywhere, a document needs prose before another starts, and a
    line printing the current document's own number again starts none."""
    text = ("GOVERNMENT OF PAKISTAN\nMINISTRY OF INTERIOR\nF.No.3/12/2022-Admn\nOFFICE MEMORANDUM\n\n" + PARA
            + "F.No.3/12/2022-Admn\nCopy forwarded to the Secretary, Cabinet Division.\n")
    trace = rule_trace(text)
    index, _ = line_features(trace)
    starts = decode(trace, {i: 1.0 for i in index}, 0.5, with_rules=False)
    lines = [trace.lines[i].stripped for i in starts]
    assert lines[0] == "GOVERNMENT OF PAKISTAN"
    assert "MINISTRY OF INTERIOR" not in lines and "OFFICE MEMORANDUM" not in lines  # no prose yet
    assert "F.No.3/12/2022-Admn" not in lines  # its own number again: the endorsement


def test_page_breaks_every_few_lines() -> None:
    assert paged("a\nb\nc\nd", every=2) == "a\nb\n\f\nc\nd\n\f"


def test_boundaries_are_scored_within_two_lines() -> None:
    tally = Tally()
    tally.add([0, 10, 20], [0, 12, 30], alone=False)
    tally.add([0], [0, 5], alone=True)
    assert (tally.tp, tally.fp, tally.fn, tally.oversplit) == (1, 1, 1, 1)


def test_training_is_deterministic(tmp_path: Path) -> None:
    two = "GOVERNMENT OF SINDH\n\n" + PARA + "(AHMED ALI)\nSECTION OFFICER\n\n"
    samples: list[Sample] = [
        _sample("a", 0, two + "GOVERNMENT OF KENYA\n\n" + PARA, [0, len(two)], False),
        _sample("b", 0, two, [0], True),
    ]
    first = train(samples, tmp_path / "1.crfsuite").read_bytes()
    assert train(list(reversed(samples)), tmp_path / "2.crfsuite").read_bytes() == first


# A second document after a first, in the shapes of dev documents: where the rules alone missed it.
OPENINGS: list[tuple[str, str, str]] = []


@pytest.mark.parametrize(("first", "second", "expected"), OPENINGS)
def test_the_second_document_starts(first: str, second: str, expected: str) -> None:
    text = first + "\n\n" + second
    assert starts_of(text)[1:] == [expected]


# Nothing must start here: lines inside one document that look like an opening.
INSIDE: list[str] = []


@pytest.mark.parametrize("text", INSIDE)
def test_a_single_document_stays_one(text: str) -> None:
    assert split_documents(text) == [(0, len(text))]
