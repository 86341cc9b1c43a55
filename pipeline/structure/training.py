"""Training the line labeller: examples, a deterministic build, scores grouped by office.

    examples = corpus_examples(docs_dir) + project_examples(root)
    train(examples, Path("structure.crfsuite"))          # same examples -> same bytes
    scores = cross_validate(dev, extra=project)           # 5 folds, no office in two folds

An ``Example`` is one text with one label per non-blank line (from ``align.align_lines``):
a corpus document's clean and raw text aligned to its gold, a rendered sample or a written
test document aligned to its expected JSON, an archivist-approved record aligned to its
approved fields. Only corpus ``dev`` documents are read for training (the split is decided
by office, ``corpus.split_of``); ``test`` is labelled once to report, never to tune.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pycrfsuite

from pipeline.errors import BadArgsError

from pipeline.structure import LABELS
from pipeline.structure.align import align_lines
from pipeline.structure.features import Features, line_features

FOLDS = 5
# L1 keeps the model small (most of the ~20k candidate features get weight 0); L2 keeps
# weights on rare keyword features from running away. Grouped 5-fold CV on dev (c1 0.01-0.2,
# c2 0.01-0.1) put every setting within 0.774-0.791 line accuracy; stronger penalties flatten
# the marginals that the extractor's document-type and zone thresholds read, so these stay.
# Never tuned on test.
PARAMS: dict[str, object] = {"c1": 0.05, "c2": 0.02, "max_iterations": 200, "feature.possible_transitions": True}


@dataclass(frozen=True)
class Example:
    """One labelled text: ``group`` is what cross-validation keeps together (the office)."""

    name: str
    group: str
    text: str
    labels: tuple[str, ...]  # one per non-blank line

    def features(self) -> list[Features]:
        return line_features(self.text)


def example(name: str, group: str, text: str, fields: dict) -> Example | None:
    """``text`` labelled from ``fields``; None when it has no non-blank line."""
    labels = tuple(label for label in align_lines(text, fields) if label is not None)
    return Example(name, group, text, labels) if labels else None


def corpus_examples(docs_dir: Path, split: str = "dev") -> list[Example]:
    """Clean and (when different) raw text of each corpus document of ``split``."""
    _importable_root()
    from corpus import documents

    out = []
    for doc in documents(split=split, docs_dir=docs_dir):
        versions = [("clean", doc.clean)] + ([("raw", doc.raw)] if doc.raw != doc.clean else [])
        for kind, text in versions:
            ex = example(f"{doc.id}/{kind}", doc.office, text, doc.gold)
            if ex:
                out.append(ex)
    return out


def project_documents(root: Path) -> list[tuple[Path, Path]]:
    """(text, expected JSON) of the project's rendered samples and written test documents,
    those whose JSON exists: extra training data for the learned models, never the measure."""
    pairs = [(p, root / "samples" / "expected" / f"{p.stem}.json") for p in sorted((root / "samples" / "clean").glob("*.txt"))]
    pairs += [(p, p.with_suffix(".json")) for p in sorted((root / "samples" / "gold").glob("*.txt"))]
    pairs += [(p, p.with_suffix(".json")) for p in sorted((root / "tests" / "documents").glob("*.txt"))]
    return [(text, expected) for text, expected in pairs if expected.exists()]


def project_examples(root: Path) -> list[Example]:
    """The project's rendered samples (clean text + expected JSON) and the written test
    documents (tests/documents/*.txt + .json): extra training data, never the measure."""
    out = []
    for text_path, json_path in project_documents(root):
        group = "samples" if "samples" in text_path.parts else "tests-documents"
        ex = example(f"{group}/{text_path.parent.name}/{text_path.stem}", group,
                     text_path.read_text(encoding="utf-8"), json.loads(json_path.read_text(encoding="utf-8")))
        if ex:
            out.append(ex)
    return out


def train(examples: Sequence[Example], path: Path, params: dict[str, object] | None = None) -> Path:
    """Train on ``examples`` (sorted by name first: input order never changes the model)."""
    if not any(ex.labels for ex in examples):
        raise BadArgsError("no labelled lines to train the structure model on")
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params(dict(PARAMS, **(params or {})))
    for ex in sorted(examples, key=lambda e: (e.name, e.text)):
        trainer.append(ex.features(), list(ex.labels))
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="daftar-train-") as tmp:
        staged = Path(tmp) / "model.crfsuite"
        trainer.train(str(staged))
        path.write_bytes(staged.read_bytes())
    return path


def predict(model: Path, examples: Iterable[Example]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(gold labels, predicted labels) for each example."""
    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    return [(ex.labels, tuple(tagger.tag(ex.features()))) for ex in examples]


@dataclass
class Scores:
    """Per-label counts over lines."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    lines: int = 0
    documents: int = 0

    def add(self, gold: Sequence[str], pred: Sequence[str]) -> None:
        self.documents += 1
        for g, p in zip(gold, pred):
            self.lines += 1
            if g == p:
                self.tp[g] += 1
            else:
                self.fp[p] += 1
                self.fn[g] += 1

    def prf(self, label: str) -> tuple[float, float, float, int]:
        tp, fp, fn = self.tp[label], self.fp[label], self.fn[label]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0), tp + fn

    @property
    def micro_f1(self) -> float:
        """Every line has one gold and one predicted label, so micro-F1 is line accuracy."""
        return sum(self.tp.values()) / self.lines if self.lines else 0.0

    @property
    def macro_f1(self) -> float:
        present = [label for label in LABELS if self.tp[label] + self.fn[label]]
        return sum(self.prf(label)[2] for label in present) / len(present) if present else 0.0


def score(model: Path, examples: Iterable[Example]) -> Scores:
    out = Scores()
    for gold, pred in predict(model, examples):
        out.add(gold, pred)
    return out


def folds_by_group(examples: Sequence[Example], k: int = FOLDS) -> list[list[Example]]:
    """``k`` folds; every example of a group (office) in the same fold. Groups are dealt to
    folds by a hash of their name, so a new office never moves the others."""
    folds: list[list[Example]] = [[] for _ in range(k)]
    for ex in sorted(examples, key=lambda e: e.name):
        folds[int(hashlib.sha256(ex.group.encode()).hexdigest(), 16) % k].append(ex)
    return folds


def cross_validate(dev: Sequence[Example], extra: Sequence[Example] = (), k: int = FOLDS) -> Scores:
    """Grouped k-fold CV on ``dev``: each fold is labelled by a model trained on the other
    folds plus ``extra`` (samples, test documents, approved archive records)."""
    out = Scores()
    folds = folds_by_group(dev, k)
    with tempfile.TemporaryDirectory(prefix="daftar-cv-") as tmp:
        for n, held_out in enumerate(folds):
            rest = [ex for m, fold in enumerate(folds) if m != n for ex in fold] + list(extra)
            if not held_out or not rest:
                continue
            model = train(rest, Path(tmp) / f"fold{n}.crfsuite")
            for gold, pred in predict(model, held_out):
                out.add(gold, pred)
    return out


def timed_train(examples: Sequence[Example], path: Path) -> float:
    """Train and return the seconds it took (for the model card)."""
    started = time.perf_counter()
    train(examples, path)
    return time.perf_counter() - started


def _importable_root() -> None:
    """``corpus`` lives at the checkout's root, beside ``pipeline``, and is not installed."""
    import sys

    root = str(Path(__file__).resolve().parents[2])
    if root not in sys.path:
        sys.path.insert(0, root)
