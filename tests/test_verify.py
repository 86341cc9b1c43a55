"""The value verifier: doubted values leave the record's fields for review, with the value proposed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.api import process_file
from pipeline.extract import verify
from pipeline.extract.verify_training import Example, choose_threshold, threshold_table, train

LETTER = """GOVERNMENT OF PAKISTAN
CABINET SECRETARIAT
ESTABLISHMENT DIVISION
No. 1/2/2024-E.5
Islamabad, the 3rd May, 2024
To
The Secretary, Finance Division, Islamabad
The Secretary, Interior Division, Islamabad
Subject: Leave of officers on deputation
I am directed to refer to this Division's O.M. No. 1/1/2023-E.5 dated 12th March, 2023 on the
subject noted above and to say that the leave of officers on deputation shall be sanctioned by
the borrowing organisation in accordance with the rules.
(Muhammad Aslam)
Section Officer (E-5)
"""


def _model_doubting(tmp_path: Path, doubted: set[str]) -> Path:
    """A real (tiny) verifier that has learnt the fields in ``doubted`` are always wrong."""
    examples = [
        Example(f"office-{i}", f, f not in doubted, {f"f={f}": 1.0})
        for i in range(20) for f in ("subject", "addressees", "references", "date", "reference_number")
    ]
    model = tmp_path / "verifier.crfsuite"
    train(examples, model)
    model.with_suffix(".json").write_text(json.dumps({"threshold": 0.5}), encoding="utf-8")
    return model


def _record(tmp_path: Path, text: str = LETTER):
    path = tmp_path / "letter.txt"
    path.write_text(text, encoding="utf-8")
    (record,) = process_file(path)
    return record


def test_a_doubted_scalar_leaves_the_fields_and_is_proposed_for_review(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(verify.VERIFIER_ENV, str(_model_doubting(tmp_path, {"subject"})))
    record = _record(tmp_path)
    assert record.fields.subject is None
    assert "/subject" not in record.evidence
    (reason,) = [r for r in record.review_reasons if r.code == "withheld"]
    assert (reason.field, reason.proposed) == ("/subject", "Leave of officers on deputation")
    assert record.needs_review
    assert record.fields.reference_number == "No.1/2/2024-E.5"  # trusted values stay


def test_doubted_list_items_leave_with_their_evidence_and_keys(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(verify.VERIFIER_ENV, "off")
    before = _record(tmp_path)
    assert len(before.fields.addressees) == 2 and len(before.fields.references) == 1
    monkeypatch.setenv(verify.VERIFIER_ENV, str(_model_doubting(tmp_path, {"references", "addressees"})))
    after = _record(tmp_path)
    assert after.fields.addressees == [] and after.fields.references == [] and after.keys.references == []
    assert not [p for p in after.evidence if p.startswith(("/addressees/", "/references/"))]
    proposed = {r.field: r.proposed for r in after.review_reasons if r.code == "withheld"}
    assert proposed["/addressees/0"] == before.fields.addressees[0]
    assert proposed["/references/0"]["reference_number"] == before.fields.references[0].reference_number


def test_off_keeps_every_value(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(verify.VERIFIER_ENV, "off")
    record = _record(tmp_path)
    assert record.fields.subject == "Leave of officers on deputation"
    assert not [r for r in record.review_reasons if r.code == "withheld"]


def test_training_is_deterministic(tmp_path: Path) -> None:
    examples = [Example("o", "date", i % 3 == 0, {"f=date": 1.0, "confidence": i / 10}) for i in range(10)]
    train(examples, tmp_path / "a.crfsuite")
    train(examples, tmp_path / "b.crfsuite")
    assert (tmp_path / "a.crfsuite").read_bytes() == (tmp_path / "b.crfsuite").read_bytes()


@pytest.mark.parametrize(("f1s", "chosen"), [
    ([0.70, 0.71, 0.70, 0.69], 0.1),  # the highest threshold that costs no F1
    ([0.70, 0.69, 0.68, 0.60], 0.0),  # every threshold costs F1: withhold nothing
])
def test_the_threshold_never_costs_f1(f1s: list[float], chosen: float) -> None:
    rows = [{"threshold": round(0.05 * i, 2), "f1": f} for i, f in enumerate(f1s)]
    assert choose_threshold(rows) == chosen


def test_threshold_table_counts_what_is_withheld() -> None:
    examples = [Example("o", "date", right, {}) for right in (True, True, False, False)]
    rows = threshold_table(examples, [0.9, 0.2, 0.1, 0.8], missed=2)
    at_half = next(r for r in rows if r["threshold"] == 0.5)
    assert (at_half["kept"], at_half["withheld_right"], at_half["withheld_wrong"]) == (2, 1, 1)
    assert at_half["precision"] == 0.5 and at_half["recall"] == 0.25  # 1 right kept of 4 gold values


def test_the_installed_verifier_matches_its_card() -> None:
    meta = json.loads(verify.META_PATH.read_text(encoding="utf-8"))
    assert meta["threshold"] == choose_threshold(meta["cv"])
    card = (Path(__file__).resolve().parent.parent / "docs" / "verifier-model.md").read_text(encoding="utf-8")
    assert f"Chosen: **{meta['threshold']}**" in card
