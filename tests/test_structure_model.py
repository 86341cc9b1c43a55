"""The structure model: deterministic training, the committed model, document type and starts."""

from __future__ import annotations

from pathlib import Path

from pipeline.structure import (
    MODEL_PATH, LabelledLine, document_starts, document_type_from_structure, label_lines,
)
from pipeline.structure.training import cross_validate, folds_by_group, project_examples, train

ROOT = Path(__file__).resolve().parent.parent
KNOWN = ROOT / "tests" / "documents" / "kp-finance-relief-allowance-letter-2023.txt"


def test_training_is_deterministic(tmp_path):
    small = project_examples(ROOT)[:6]
    first, second = tmp_path / "a.crfsuite", tmp_path / "b.crfsuite"
    train(small, first)
    train(list(reversed(small)), second)  # input order does not matter either
    assert first.read_bytes() == second.read_bytes()


def test_committed_model_is_small_and_labels_a_known_document():
    assert MODEL_PATH.stat().st_size < 2 * 1024 * 1024
    text = KNOWN.read_text(encoding="utf-8")
    labelled = {line.text: line.label for line in label_lines(text)}
    assert labelled["No. FD(SOSR-II)8-1/2023"] == "number_line"
    assert labelled["Dated Peshawar the 12/04/2023"] == "date_line"
    assert labelled["GOVERNMENT OF KHYBER PAKHTUNKHWA"] == "letterhead"
    assert labelled["(MUHAMMAD ZUBAIR)"] == "signature"
    assert labelled["1. Accountant General Khyber Pakhtunkhwa, Peshawar."] == "distribution"
    line = label_lines(text)[0]
    assert text[line.span[0]:line.span[1]] == line.text and 0 < line.probability <= 1


def _lines(*labels: str) -> list[LabelledLine]:
    return [LabelledLine(i, (0, 0), text, label, 0.95) for i, (label, text) in
            enumerate(label.split("|", 1) if "|" in label else (label, "x") for label in labels)]


def test_document_type_from_structure():
    assert document_type_from_structure(_lines("letterhead|GOVERNMENT OF SINDH", "heading|OFFICE MEMORANDUM"))[0] \
        == "office_memorandum"
    assert document_type_from_structure(_lines("number_line|CIRCULAR MEMO.NO.265/2023  DATED:20.03.2023"))[0] == "circular"
    kind, confidence, reason = document_type_from_structure(_lines(
        "number_line|No. 5/2023", "addressee|To", "addressee|The Secretary", "salutation|Dear Sir,",
        "body|I am directed to say.", "signature|Yours faithfully,"))
    assert (kind, "salutation" in reason, "Yours faithfully" in reason) == ("letter", True, True)
    kind, confidence, reason = document_type_from_structure(_lines(
        "number_line|No. 5/2023", "body|In exercise of the powers conferred by section 3, the Governor is pleased to"))
    assert kind == "notification" and reason.startswith("unsure") and confidence < 0.8
    assert document_type_from_structure(_lines("body|Some text."))[0] is None


def test_document_starts_after_a_signature_or_copy_list():
    lines = _lines("letterhead", "number_line", "body", "signature", "distribution",
                   "letterhead", "heading", "body", "signature", "number_line", "body")
    assert document_starts(lines) == [0, 5, 9]
    assert document_starts([]) == []


def test_folds_keep_an_office_together():
    examples = project_examples(ROOT)
    folds = folds_by_group(examples)
    for group in {e.group for e in examples}:
        assert sum(any(e.group == group for e in fold) for fold in folds) == 1


def test_cross_validation_scores_every_held_out_line():
    from dataclasses import replace

    # every sample its own group, so both folds get some
    examples = [replace(e, group=e.name) for e in project_examples(ROOT) if e.group == "samples"]
    scores = cross_validate(examples, k=2)
    assert scores.lines == sum(len(e.labels) for e in examples) and 0 < scores.micro_f1 <= 1
