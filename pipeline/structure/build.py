"""Rebuild the structure model: train, score, gate, install, write the model card.

    report = build(docs_dir, root, approved=archive_examples, field_score=score_fn)
    report.installed, report.before, report.after, report.refusal

``make train`` and ``daftar train`` call this. The candidate is trained on the corpus ``dev``
documents, the project's samples and written test documents, and the records archivists
approved in the archive. Before it replaces the installed model it must not score lower on
``dev`` than the model without the archive's examples (line-label micro-F1 by the same
grouped 5-fold cross-validation) nor lower on the field score the caller measures with each
model (``field_score``): an approved record that teaches the model something wrong about
the documents everyone relies on is refused, with the figures.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import DaftarError, ExitCode
from pipeline.structure import LABELS, MODEL_PATH
from pipeline.structure.training import (
    PARAMS, Example, Scores, corpus_examples, cross_validate, project_examples, score, train,
)

CARD_PATH = Path(__file__).resolve().parents[2] / "docs" / "structure-model.md"


class ModelRefusedError(DaftarError):
    """The retrained model scored lower on dev than the one it would replace."""

    reason = "model-scores-lower"
    exit_code = ExitCode.other_error


@dataclass(frozen=True)
class Figures:
    line_micro_f1: float
    field_micro_f1: float | None


@dataclass(frozen=True)
class BuildReport:
    installed: bool
    before: Figures
    after: Figures
    cv: Scores  # grouped CV of the candidate
    examples: int
    approved: int
    seconds: float
    size: int
    refusal: str | None = None


def build_from_checkout(docs_dir: Path, root: Path, *, approved: Sequence[Example] = (),
                        model_path: Path = MODEL_PATH, field_score: Callable[[Path | None], float] | None = None,
                        card_path: Path | None = None, test_report: bool = False) -> BuildReport:
    """``build`` on the corpus ``dev`` documents in ``docs_dir`` and the checkout's samples and
    written test documents; the card gets the ``test`` split's scores when ``test_report``."""
    report = build(corpus_examples(docs_dir), project_examples(root), approved=approved,
                   model_path=model_path, field_score=field_score)
    if card_path:
        test = score(model_path, corpus_examples(docs_dir, split="test")) if test_report else None
        card_path.write_text(model_card(report, corpus_examples(docs_dir), project_examples(root), test), encoding="utf-8")
    return report


def build(dev: Sequence[Example], extra: Sequence[Example], *, approved: Sequence[Example] = (),
          model_path: Path = MODEL_PATH, field_score: Callable[[Path | None], float] | None = None) -> BuildReport:
    """Train on dev + extra + approved, gate against the model without ``approved``, install.

    Raises ``ModelRefusedError`` (nothing installed) when the candidate scores lower on dev.
    """
    dev, extra = list(dev), list(extra)
    base_cv = cross_validate(dev, extra)
    cv = cross_validate(dev, extra + list(approved)) if approved else base_cv
    with tempfile.TemporaryDirectory(prefix="daftar-build-") as tmp:
        candidate = Path(tmp) / "structure.crfsuite"
        started = time.perf_counter()
        train(dev + extra + list(approved), candidate)
        seconds = time.perf_counter() - started
        before_field = field_score(model_path if model_path.exists() else None) if field_score else None
        after_field = field_score(candidate) if field_score else None
        before = Figures(base_cv.micro_f1, before_field)
        after = Figures(cv.micro_f1, after_field)
        refusal = _refusal(before, after)
        report = BuildReport(refusal is None, before, after, cv, len(dev) + len(extra) + len(approved),
                             len(approved), seconds, candidate.stat().st_size, refusal)
        if refusal:
            raise ModelRefusedError(refusal)
        _install(candidate, model_path)
    return report


def _install(candidate: Path, model_path: Path) -> None:
    """Put the model in place by renaming a copy beside it: a tagger reading the old file
    (crfsuite maps it into memory) keeps reading the old one, never half of the new."""
    model_path.parent.mkdir(parents=True, exist_ok=True)
    staged = model_path.with_name(f".{model_path.name}.new")
    shutil.copyfile(candidate, staged)
    os.replace(staged, model_path)


def _refusal(before: Figures, after: Figures) -> str | None:
    if after.line_micro_f1 < before.line_micro_f1:
        return (f"the retrained model labels dev lines worse: micro-F1 {after.line_micro_f1:.4f} < "
                f"{before.line_micro_f1:.4f} without the archive's examples; the installed model is kept")
    if before.field_micro_f1 is not None and after.field_micro_f1 is not None \
            and after.field_micro_f1 < before.field_micro_f1:
        return (f"the retrained model extracts dev fields worse: micro-F1 {after.field_micro_f1:.4f} < "
                f"{before.field_micro_f1:.4f} with the installed model; the installed model is kept")
    return None


def score_table(scores: Scores) -> list[str]:
    rows = ["| label | lines | P | R | F1 |", "| --- | ---: | ---: | ---: | ---: |"]
    for label in LABELS:
        p, r, f, n = scores.prf(label)
        if n or scores.fp[label]:
            rows.append(f"| {label} | {n} | {p:.3f} | {r:.3f} | {f:.3f} |")
    rows.append(f"| **micro (line accuracy)** | {scores.lines} | | | **{scores.micro_f1:.3f}** |")
    rows.append(f"| macro over labels present | | | | {scores.macro_f1:.3f} |")
    return rows


def model_card(report: BuildReport, dev: Sequence[Example], extra: Sequence[Example], test: Scores | None) -> str:
    offices = len({e.group for e in dev})
    documents = len({e.name.split("/")[0] for e in dev})
    lines = [
        "# The document-structure model (`pipeline/extract/data/structure.crfsuite`)",
        "",
        "Generated by `make train` (`daftar train`); do not edit by hand.",
        "",
        "A linear-chain CRF (python-crfsuite, L-BFGS, "
        + ", ".join(f"`{k}={v}`" for k, v in sorted(PARAMS.items())) + ") that labels each non-blank "
        "line of a document as one of: " + ", ".join(f"`{label}`" for label in LABELS) + ".",
        "",
        "## Data",
        "",
        f"* corpus `dev`: {documents} documents of {offices} offices, clean text and (when it differs) the raw "
        f"text as found: {len(dev)} texts, {sum(len(e.labels) for e in dev)} lines;",
        f"* the project's rendered samples and written test documents (`samples/`, `tests/documents/`): "
        f"{len(extra)} texts, {sum(len(e.labels) for e in extra)} lines;",
        f"* records archivists approved in the archive: {report.approved}.",
        "",
        "Line labels are not written by hand: `pipeline/structure/align.py` finds each gold value "
        "(number, date, subject, issuer, addressees, distribution, signatories; numbered "
        "instructions by the gold count) in the text and labels the lines it covers; small rules "
        "label what is left (letterhead above the header, headings, salutations, copy-to "
        "headings, endorsements, furniture, stamps; body otherwise). The `test` split is never "
        "trained on.",
        "",
        "## Features (`pipeline/structure/features.py`)",
        "",
        "Relative position, and position counted from the end; position against the document's "
        "landmarks (the Subject and To labels, the first and last line of running text) and the "
        "block heading a line stands under (To, Copy to, subject, body, signed); length, word "
        "count and its ratio to the document's median, capitals and digit ratios, a run of short "
        "lines, a name's shape (2-5 capitalised words or initials), the line's last characters; "
        "gazetteer hits (`pipeline/extract/data`: a designation opening the line, an office or "
        "place named); indentation, centring "
        "and right alignment from the text's spaces, and from OCR word boxes (left/right edge, "
        "centring, mean confidence) when there are any; list-marker kind (`1.`, `(i)`, `a)` ...) "
        "and whether it continues the previous marker of its style; "
        "keywords as data with examples (`pipeline/structure/vocabulary.py`: To, Subject/Sub/RE, "
        "Ref/Read, Dated, No., Copy to/forwarded, c.c., Endst, Yours faithfully, Sd/-, "
        "document-type words, enacting words, government and designation words); today's rules "
        "(a reference number or date found on the line, a heading, a To or subject label, a "
        "copy-list label, an underline, a line without words); blank line before/after; the "
        "same summary for the two lines before and after.",
        "",
        "## Scores on `dev`: 5-fold cross-validation grouped by office",
        "",
        "No office is in two folds; each fold is labelled by a model trained on the other folds "
        "plus the samples, test documents and approved records.",
        "",
        *score_table(report.cv),
        "",
    ]
    if test is not None:
        lines += ["## Scores on `test` (reported once, never tuned on)", "",
                  f"The installed model, on {test.documents} texts (clean and raw) of the test split.", "",
                  *score_table(test), ""]
    lines += ["## Size and time", "",
              f"{report.size / 1024:.0f} KiB; training on {report.examples} texts took {report.seconds:.1f} s on the "
              "development machine (2 shared cores). The same inputs give a byte-identical file "
              "(`tests/test_structure_model.py`).", ""]
    return "\n".join(lines)


def default_docs_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "corpus" / "docs"
