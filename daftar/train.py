"""``daftar train``: rebuild the document-structure model from dev, samples and approved records.

    daftar train                       # corpus/docs + the archive's approved records
    daftar train --no-archive --card docs/structure-model.md --test-report   # what `make train` runs

Prints the before/after figures on dev (line-label micro-F1 by grouped cross-validation,
and the field micro-F1 of bench/corpus_extraction on dev clean text with each model) and
installs the new model only when neither falls; otherwise exits with code 15 and says why
(``ModelRefusedError``, reason ``model-scores-lower``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Optional

import typer

from archive import Archive, default_location, open_archive
from archive.models import SearchQuery
from pipeline.structure import MODEL_PATH, using_model
from pipeline.structure.build import BuildReport, build_from_checkout, default_docs_dir
from pipeline.structure.training import Example, example

ROOT = Path(__file__).resolve().parent.parent


def approved_examples(archive: Archive) -> list[Example]:
    """Each record an archivist approved, its text's lines aligned to the approved fields."""
    out = []
    for stored in archive.iter_documents(SearchQuery(status="approved")):
        record = stored.record
        ex = example(f"archive/{stored.doc_id}@{stored.version}", "archive", record.get("text") or "", record["fields"])
        if ex:
            out.append(ex)
    return out


def dev_field_score(docs_dir: Path) -> Callable[[Path | None], float]:
    """A function scoring a model by the field micro-F1 on dev clean text (bench's scoring)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from bench.corpus_extraction import text_fields
    from bench.extraction import Tally, _empty, score_document
    from corpus import documents

    docs = list(documents(split="dev", docs_dir=docs_dir))

    def field_score(model: Path | None) -> float:
        tally = Tally()
        with using_model(model or MODEL_PATH):
            for doc in docs:
                preds = text_fields(doc.clean)
                score_document(doc.gold, preds[0] if preds else _empty(), tally)
        tp, fp, fn = sum(tally.tp.values()), sum(tally.fp.values()), sum(tally.fn.values())
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    return field_score


def train(
    docs: Annotated[Optional[Path], typer.Option("--docs", help="Corpus documents directory (default: corpus/docs).")] = None,
    archive: Annotated[Optional[str], typer.Option("--archive", help="Archive whose approved records teach the model "
                                                   "(default: DAFTAR_DATABASE_URL, else DAFTAR_HOME/archive.sqlite).")] = None,
    no_archive: Annotated[bool, typer.Option("--no-archive", help="Train on dev and the project's samples only.")] = False,
    fields: Annotated[bool, typer.Option("--fields/--no-fields", help="Also gate on the dev field score.")] = True,
    card: Annotated[Optional[Path], typer.Option("--card", help="Write the model card here.")] = None,
    test_report: Annotated[bool, typer.Option("--test-report", help="Score the test split once, for the card.")] = False,
    model: Annotated[Path, typer.Option("--model", help="Where to install the model.")] = MODEL_PATH,
) -> int:
    """Retrain the document-structure model; refuse to install one that scores lower."""
    docs_dir = docs or default_docs_dir()
    approved: list[Example] = []
    if not no_archive:
        location = archive or default_location()
        if location.startswith(("postgresql://", "postgres://")) or Path(location).expanduser().exists():
            with open_archive(location) as store:
                approved = approved_examples(store)
    report = build_from_checkout(docs_dir, ROOT, approved=approved, model_path=model,
                   field_score=dev_field_score(docs_dir) if fields else None, card_path=card, test_report=test_report)
    _print(report, model)
    return 0


def _print(report: BuildReport, model: Path) -> None:
    def fmt(value: float | None) -> str:
        return "-" if value is None else f"{value:.4f}"

    print(f"trained on {report.examples} texts ({report.approved} approved in the archive) in {report.seconds:.1f} s")
    print(f"dev line-label micro-F1 (grouped 5-fold CV): before {fmt(report.before.line_micro_f1)}  "
          f"after {fmt(report.after.line_micro_f1)}")
    print(f"dev field micro-F1 (clean text):             before {fmt(report.before.field_micro_f1)}  "
          f"after {fmt(report.after.field_micro_f1)}")
    print(f"installed {model} ({report.size / 1024:.0f} KiB)")


def register(app: typer.Typer) -> None:
    app.command("train")(train)
