"""Training the value verifier (``pipeline.extract.verify``) on the corpus ``dev`` split.

    python -m pipeline.extract.verify_training --card docs/verifier-model.md

Every ``dev`` document's clean text and (when it differs) its raw text go through the
library's whole path for a text file with the verifier off; each value it would judge is
labelled right or wrong by the benchmark's own rule (``corpus.score.value_is_right``). A
maximum-entropy classifier (python-crfsuite, one-item sequences) is cross-validated in five
folds grouped by issuing office, and the threshold kept is the highest at which the
cross-validated micro-F1 of the judged fields does not fall below the F1 without the
verifier: values are withheld only where that costs nothing in F1 and buys precision.
The same examples give the same model bytes. ``test`` is never read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pycrfsuite

from pipeline.extract import verify

FOLDS = 5
PARAMS: dict[str, object] = {"c1": 0.0, "c2": 1.0, "max_iterations": 200}
THRESHOLDS = tuple(round(0.05 * k, 2) for k in range(0, 15))  # 0.00 .. 0.70
F1_SLACK = 0.002  # a threshold may cost this much cross-validated F1 (rounding noise), no more


@dataclass(frozen=True)
class Example:
    office: str
    field: str
    right: bool
    features: dict[str, float]


@contextmanager
def _verifier_off() -> Iterator[None]:
    before = os.environ.get(verify.VERIFIER_ENV)
    os.environ[verify.VERIFIER_ENV] = "off"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(verify.VERIFIER_ENV, None)
        else:
            os.environ[verify.VERIFIER_ENV] = before


def _first_record(text: str):  # noqa: ANN202 - pipeline.record.Record
    from pipeline.api import process_file

    with tempfile.TemporaryDirectory(prefix="daftar-verifier-") as tmp:
        path = Path(tmp) / "document.txt"
        path.write_text(text, encoding="utf-8")
        records = process_file(path)
    return records[0] if records else None


def document_examples(office: str, text: str, gold: dict) -> list[Example]:
    """The judged values read from ``text`` (verifier off), labelled by ``gold``."""
    from corpus.score import value_is_right

    with _verifier_off():
        record = _first_record(text)
    if record is None:
        return []
    fields = record.fields.model_dump(mode="json")
    evidence = {p: (tuple(e.span), e.confidence) for p, e in record.evidence.items()}
    labels = verify.line_labels_of(record.text)
    out = []
    for judged in verify.judged_values(fields, evidence):
        right = value_is_right(judged.field, judged.value, gold)
        if right is not None:
            out.append(Example(office, judged.field, right, verify.value_features(judged, record.text, labels)))
    return out


def dev_examples() -> tuple[list[Example], int]:
    """The examples of every ``dev`` text, and how many gold values of the judged fields
    those texts hold (what recall is measured against)."""
    from corpus import documents

    out: list[Example] = []
    gold_values = 0
    for doc in documents(split="dev"):
        for text in dict.fromkeys((doc.clean, doc.raw)):  # the raw text only when it differs
            out.extend(document_examples(doc.office, text, doc.gold))
            gold_values += _gold_values(doc.gold)
    return out, gold_values


def project_examples(root: Path) -> list[Example]:
    """Values read from the project's rendered samples and written test documents (text +
    expected JSON, as the structure model trains on them): extra training data for every
    fold, never scored. They keep the verifier from learning that a form the corpus shows
    once (an unlabelled copy list at a foot) is always wrong."""
    from pipeline.structure.training import project_documents

    out: list[Example] = []
    for text_path, json_path in project_documents(root):
        gold = json.loads(json_path.read_text(encoding="utf-8"))
        out.extend(document_examples(PROJECT, text_path.read_text(encoding="utf-8"), gold))
    return out


PROJECT = "project"  # the office of the project's own documents: trained on in every fold, never scored


def _gold_values(gold: dict) -> int:
    count = sum(gold.get(name) is not None for name in verify.SCALARS if name in gold)
    if "issuer" in gold:
        count += sum((gold["issuer"] or {}).get(part) is not None for part in verify.ISSUER_PARTS)
    return count + sum(len(gold.get(name) or []) for name in verify.LISTS if name in gold)


def train(examples: list[Example], path: Path) -> None:
    """A model from ``examples``, written atomically to ``path`` (same examples, same bytes)."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for ex in examples:
        trainer.append(pycrfsuite.ItemSequence([ex.features]), ["right" if ex.right else "wrong"])
    trainer.set_params(PARAMS)
    tmp = path.with_suffix(".tmp")
    trainer.train(str(tmp))
    tmp.replace(path)


def _fold(office: str) -> int:
    return int(hashlib.sha256(office.encode()).hexdigest(), 16) % FOLDS


def cross_validated_probabilities(examples: list[Example], extra: list[Example] = ()) -> list[float]:
    """Each example's probability of being right, from a model trained without its office
    (and with ``extra``, in every fold)."""
    probs = [0.0] * len(examples)
    with tempfile.TemporaryDirectory(prefix="daftar-verifier-cv-") as tmp:
        for k in range(FOLDS):
            model = Path(tmp) / f"fold{k}.crfsuite"
            train([ex for ex in examples if _fold(ex.office) != k] + list(extra), model)
            tagger = pycrfsuite.Tagger()
            tagger.open(str(model))
            for i, ex in enumerate(examples):
                if _fold(ex.office) == k:
                    tagger.set(pycrfsuite.ItemSequence([ex.features]))
                    tagger.tag()
                    probs[i] = tagger.marginal("right", 0)
    return probs


def threshold_table(examples: list[Example], probs: list[float], missed: int) -> list[dict]:
    """P, R and F1 of the judged fields at every threshold; ``missed``: gold values no
    value was read for (they count against recall whatever the verifier does)."""
    right_total = sum(ex.right for ex in examples)
    rows = []
    for t in THRESHOLDS:
        kept = [ex for ex, p in zip(examples, probs) if p >= t]
        tp = sum(ex.right for ex in kept)
        fp = len(kept) - tp
        fn = missed + (right_total - tp)
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append({"threshold": t, "kept": len(kept), "withheld_right": right_total - tp,
                     "withheld_wrong": sum(1 for ex, p in zip(examples, probs) if p < t and not ex.right),
                     "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)})
    return rows


def choose_threshold(rows: list[dict]) -> float:
    base = rows[0]["f1"]
    return max(r["threshold"] for r in rows if r["f1"] >= base - F1_SLACK)


def build(model: Path = verify.MODEL_PATH, card: Path | None = None) -> dict:
    """Examples, cross-validation, threshold, model and its meta (and card): the whole build."""
    examples, gold_values = dev_examples()
    extra = project_examples(Path(__file__).resolve().parent.parent.parent)
    probs = cross_validated_probabilities(examples, extra)
    missed = max(0, gold_values - sum(ex.right for ex in examples))
    rows = threshold_table(examples, probs, missed)
    threshold = choose_threshold(rows)
    train(examples + extra, model)
    meta = {"threshold": threshold, "params": PARAMS, "examples": len(examples), "project_examples": len(extra),
            "wrong": sum(not ex.right for ex in examples), "cv": rows}
    model.with_suffix(".json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    if card:
        card.write_text(model_card(meta), encoding="utf-8")
    return meta


def model_card(meta: dict) -> str:
    lines = [
        "# The value verifier (`pipeline/extract/data/verifier.crfsuite`)", "",
        "Generated by `make train` (`python -m pipeline.extract.verify_training`); do not edit by hand.", "",
        "A maximum-entropy classifier (python-crfsuite over one-item sequences, "
        f"`c1={PARAMS['c1']}`, `c2={PARAMS['c2']}`) that gives each value the extractor reads of the judged fields (reference "
        "number, subject, department, each addressee and earlier reference: `pipeline/extract/verify.py` says why "
        "these) a probability of being right. Values under the threshold leave the record's fields "
        "and become `withheld` review reasons with the value proposed (`pipeline/extract/verify.py`).", "",
        "## Data", "",
        f"Corpus `dev`, clean text and (when it differs) raw text, read by the whole path with the verifier off: "
        f"{meta['examples']} values, {meta['wrong']} of them wrong by the benchmark's rule (`corpus/score.py`); "
        f"and {meta['project_examples']} values read from the project's rendered samples and written test documents "
        "(`samples/`, `tests/documents/`), trained on in every fold and never scored. `test` is never read.", "",
        "## Features", "",
        "The field; the evidence confidence the rules gave (as a number and in bands); the value's length, word "
        "count, share of capitals and digits; where it stands in the text; the structure model's label of its "
        "line and that label's probability; whether the text came flattened onto page-wide lines.", "",
        "## Threshold: 5-fold cross-validation on `dev`, folds grouped by office", "",
        f"Chosen: **{meta['threshold']}**, the highest threshold whose cross-validated F1 is within "
        f"{F1_SLACK} of the F1 without the verifier (threshold 0).", "",
        "| threshold | values kept | right withheld | wrong withheld | P | R | F1 |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in meta["cv"]:
        lines.append(f"| {r['threshold']:.2f} | {r['kept']} | {r['withheld_right']} | {r['withheld_wrong']} | "
                     f"{r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=verify.MODEL_PATH)
    parser.add_argument("--card", type=Path, default=None)
    args = parser.parse_args(argv)
    meta = build(args.model, args.card)
    chosen = next(r for r in meta["cv"] if r["threshold"] == meta["threshold"])
    print(f"verifier: {meta['examples']} dev values ({meta['wrong']} wrong); threshold {meta['threshold']}: "
          f"cross-validated P {meta['cv'][0]['precision']:.3f} -> {chosen['precision']:.3f}, "
          f"F1 {meta['cv'][0]['f1']:.3f} -> {chosen['f1']:.3f}")
    print(f"installed {args.model}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
