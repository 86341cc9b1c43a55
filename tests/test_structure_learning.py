"""Item 7: archivists teach the extractor. Fields an archivist fixes and approves in the archive
become labelled lines; retraining on them makes a fourth document of the same format come out
right where before it did not (on SQLite and PostgreSQL archives)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.samples import make_record
from daftar.train import approved_examples
from pipeline.extract import extract_fields
from pipeline.structure import document_type_from_structure, label_lines, using_model
from pipeline.structure.align import align_lines
from pipeline.structure.build import ModelRefusedError, build
from pipeline.structure.training import project_examples, train

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "tests" / "documents"
# Provincial finance/education letters: letterhead, number, 'Dated <place> the ...', a To
# block, 'Subject:' in capitals over two lines, 'Dear Sir,', 'Yours obediently', an
# 'Endst. No. & date even' copy list. The model below has never seen one.
FAMILY = ["punjab-finance-leave-encashment-letter-2023", "punjab-sed-winter-timings-letter-2024",
          "hec-undergraduate-policy-letter-2023"]
FOURTH = "kp-finance-relief-allowance-letter-2023"


def _approve_fixed(archive, name: str) -> None:
    """Ingest what the extractor read, then the archivist's fixes to it, then approval."""
    text = (DOCS / f"{name}.txt").read_text(encoding="utf-8")
    gold = json.loads((DOCS / f"{name}.json").read_text(encoding="utf-8"))
    machine = extract_fields(text).fields
    record = make_record(name, text=text, document_type=machine["document_type"],
                         extra_fields={k: machine[k] for k in ("signatories", "addressees", "instructions")})
    stored = archive.ingest(record).doc_id
    fixed = {k: gold[k] for k in ("document_type", "issuer", "reference_number", "date", "place", "subject",
                                  "signatories", "addressees", "distribution") if k in gold}
    edited = archive.save_edit(stored, base_version=archive.get(stored).version, fields=fixed, actor="ayesha")
    archive.approve(stored, base_version=edited.version, actor="ayesha")


def _wrong_lines(text: str, fields: dict) -> list[tuple[str, str, str]]:
    """(line, label it should have, label it got) for each line labelled wrong."""
    want = [label for label in align_lines(text, fields) if label]
    got = label_lines(text)
    return [(g.text, w, g.label) for w, g in zip(want, got) if w != g.label]


def test_approved_fixes_teach_the_fourth_document(archive, tmp_path):
    examples = project_examples(ROOT)
    unseen = set(FAMILY) | {FOURTH}
    dev = [e for e in examples if e.group == "tests-documents" and e.name.rsplit("/", 1)[-1] not in unseen]
    extra = [e for e in examples if e.group == "samples"]
    model = tmp_path / "structure.crfsuite"
    train(dev + extra, model)  # the installed model before any approval
    text = (DOCS / f"{FOURTH}.txt").read_text(encoding="utf-8")
    gold = json.loads((DOCS / f"{FOURTH}.json").read_text(encoding="utf-8"))
    with using_model(model):
        before = _wrong_lines(text, gold)
        kind_before = document_type_from_structure(label_lines(text))
    assert before, "the unseen format must start with lines the model reads wrong"

    for name in FAMILY:
        _approve_fixed(archive, name)
    approved = approved_examples(archive)
    assert len(approved) == 3 and all(e.group == "archive" for e in approved)
    report = build(dev, extra, approved=approved, model_path=model)
    assert report.installed and report.approved == 3
    assert report.after.line_micro_f1 >= report.before.line_micro_f1

    with using_model(model):
        after = _wrong_lines(text, gold)
        kind, confidence, reason = document_type_from_structure(label_lines(text))
    assert after == [], after
    assert (kind, "salutation" in reason) == ("letter", True), (kind, confidence, reason)
    assert len(after) < len(before) and confidence >= kind_before[1]


def test_a_model_that_scores_lower_is_refused(tmp_path):
    """Approved records whose fields contradict their text make dev worse: nothing installed."""
    examples = project_examples(ROOT)
    dev = [e for e in examples if e.group == "tests-documents"]
    extra = [e for e in examples if e.group == "samples"]
    model = tmp_path / "structure.crfsuite"
    model.write_bytes(b"the installed model")
    from dataclasses import replace

    # every line of every dev text labelled 'noise': what a careless approval would teach
    bad = [replace(e, name=f"archive/{e.name}", group="archive", labels=("noise",) * len(e.labels)) for e in dev]
    with pytest.raises(ModelRefusedError) as raised:
        build(dev, extra, approved=bad, model_path=model)
    assert raised.value.reason == "model-scores-lower" and "worse" in str(raised.value)
    assert model.read_bytes() == b"the installed model"
