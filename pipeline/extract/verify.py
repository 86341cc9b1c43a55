"""Withhold the values the extractor is unsure of: they go to review, not into the record.

    from pipeline.extract.verify import withhold
    extraction = withhold(extract_fields(text), text)

A wrong value in a record costs more than a missing one (issue 14): a downstream system
trusts what it reads, an archivist sees a missing field at once. Each value the rules read
(reference number, subject, issuing department, every addressee and earlier reference) is scored by a small learned verifier -- a maximum
entropy classifier (python-crfsuite over one-item sequences) on what the value looks like,
how it was read (its evidence confidence), where it stands and what the trained structure
model (``pipeline.structure``) calls its line. A value whose probability of being right is
under the threshold leaves ``fields`` and comes back as a ``withheld`` review reason with
the value proposed, for an archivist to accept with one click.

The model and its threshold are built by ``make train`` from the corpus ``dev`` split
(``pipeline/extract/verify_training.py``); the threshold is the highest one at which
cross-validated F1 (folds grouped by office) does not fall. ``DAFTAR_VERIFIER=off`` turns it
off (training reads the values it would judge that way).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import pycrfsuite

DATA = Path(__file__).resolve().parent / "data"
MODEL_PATH = DATA / "verifier.crfsuite"
META_PATH = DATA / "verifier.json"  # {"threshold": ..., "cv": {...}}
VERIFIER_ENV = "DAFTAR_VERIFIER"  # "off", or another model file (its .json beside it)

# The values judged: the scalars by their name, the list fields item by item. Only fields
# where withholding removed clearly more wrong values than right ones in cross-validation
# on dev (docs/verifier-model.md); a date, a place, a document type or an issuer's
# organization is rarely wrong, and a copy list printed without a label is right in the
# project's own documents as often as wrong in the corpus, so those are never withheld.
SCALARS = ("reference_number", "subject")
ISSUER_PARTS = ("department",)
LISTS = ("addressees", "references")


@dataclass(frozen=True)
class Judged:
    """One value with what the verifier needs to judge it."""

    field: str
    pointer: str
    value: object
    span: tuple[int, int] | None
    confidence: float


def judged_values(fields: dict, evidence: dict[str, tuple[tuple[int, int], float]]) -> list[Judged]:
    """Every value the verifier judges, in a fixed order."""
    out = []

    def add(field: str, pointer: str, value: object) -> None:
        span, conf = evidence.get(pointer, (None, 0.0))
        out.append(Judged(field, pointer, value, span, conf))

    for name in SCALARS:
        if fields.get(name) is not None:
            add(name, f"/{name}", fields[name])
    for part in ISSUER_PARTS:
        if (fields.get("issuer") or {}).get(part):
            add(part, f"/issuer/{part}", fields["issuer"][part])
    for name in LISTS:
        for i, value in enumerate(fields.get(name) or []):
            add(name, f"/{name}/{i}", value)
    return out


def _bucket(x: float, step: float) -> str:
    return str(round(round(x / step) * step, 2))


def value_features(judged: Judged, text: str, line_labels: Sequence[tuple[tuple[int, int], str, float]]) -> dict[str, float]:
    """What the verifier sees of one value: its shape, how and where it was read."""
    f = judged.field
    value = judged.value if isinstance(judged.value, str) else json.dumps(judged.value, sort_keys=True)
    letters = [c for c in value if c.isalpha()]
    upper = sum(c.isupper() for c in letters) / len(letters) if letters else 0.0
    pos = judged.span[0] / max(1, len(text)) if judged.span else 0.0
    label, prob = _label_at(line_labels, judged.span[0]) if judged.span else ("none", 0.0)
    flat = max((len(line) for line in text.splitlines()), default=0) > 600
    return {
        f"f={f}": 1.0,
        "confidence": judged.confidence,
        f"f={f}|conf={_bucket(judged.confidence, 0.1)}": 1.0,
        f"f={f}|len={min(len(value) // 20, 6)}": 1.0,
        f"f={f}|words={min(len(value.split()), 12) // 2}": 1.0,
        f"f={f}|upper={_bucket(upper, 0.25)}": 1.0,
        f"f={f}|pos={_bucket(pos, 0.2)}": 1.0,
        f"f={f}|line={label}": 1.0,
        f"line={label}": 1.0,
        f"f={f}|line_p={_bucket(prob, 0.25)}": 1.0,
        f"flat={flat}": 1.0,
        f"f={f}|flat={flat}": 1.0,
        f"digits={any(c.isdigit() for c in value)}": 1.0,
    }


def _label_at(line_labels: Sequence[tuple[tuple[int, int], str, float]], pos: int) -> tuple[str, float]:
    for (start, end), label, prob in line_labels:
        if start <= pos <= end:
            return label, prob
    return "none", 0.0


def line_labels_of(text: str) -> list[tuple[tuple[int, int], str, float]]:
    """The structure model's label of every line (span, label, probability)."""
    from pipeline.structure import label_lines

    return [(line.span, line.label, line.probability) for line in label_lines(text)]


@dataclass(frozen=True)
class Verdict:
    judged: Judged
    probability: float  # that the value is right


_local = threading.local()


def _model() -> tuple[pycrfsuite.Tagger, float] | None:
    """The verifier and its threshold, or None when it is off or not built."""
    setting = os.environ.get(VERIFIER_ENV, "")
    if setting.lower() == "off":
        return None
    path = Path(setting) if setting else MODEL_PATH
    if not path.is_file():
        return None  # a checkout without `make train` run: every value stays in the record
    key = (str(path), path.stat().st_mtime_ns)
    if getattr(_local, "key", None) != key:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        _local.key, _local.tagger = key, tagger
    return _local.tagger, _threshold(str(path.with_suffix(".json")), key[1])


@lru_cache(maxsize=4)
def _threshold(meta_path: str, _model_mtime: int) -> float:
    """The threshold beside the model (read again when the model is rebuilt)."""
    try:
        return float(json.loads(Path(meta_path).read_text(encoding="utf-8"))["threshold"])
    except (OSError, ValueError, KeyError):
        return 0.0


def _verdicts(tagger: pycrfsuite.Tagger, fields: dict, evidence: dict, text: str) -> list[Verdict]:
    """Each judged value with its probability of being right."""
    values = judged_values(fields, evidence)
    if not values:
        return []
    labels = line_labels_of(text)
    out = []
    for judged in values:
        tagger.set(pycrfsuite.ItemSequence([value_features(judged, text, labels)]))
        tagger.tag()
        out.append(Verdict(judged, round(tagger.marginal("right", 0), 4)))
    return out


def withhold(extraction, text: str):  # noqa: ANN001, ANN201 - pipeline.extract.Extraction, no import cycle
    """``extraction`` with every value the verifier doubts moved out of its fields (and its
    evidence and keys) into ``withheld``: (pointer, value, probability) for review."""
    model = _model()
    if model is None:
        return extraction
    tagger, threshold = model
    doubted = [v for v in _verdicts(tagger, extraction.fields, extraction.evidence, text) if v.probability < threshold]
    if not doubted:
        return extraction
    fields = json.loads(json.dumps(extraction.fields))
    keys = json.loads(json.dumps(extraction.keys))
    evidence = dict(extraction.evidence)
    for verdict in doubted:
        _drop(fields, keys, evidence, verdict.judged)
    for name in LISTS:
        _renumber(fields, keys, evidence, name, [v.judged.pointer for v in doubted])
    withheld = [(v.judged.pointer, v.judged.value, v.probability) for v in doubted]
    return replace(extraction, fields=fields, keys=keys, evidence=evidence, withheld=withheld)


def _drop(fields: dict, keys: dict, evidence: dict, judged: Judged) -> None:
    evidence.pop(judged.pointer, None)
    if judged.field in SCALARS:
        fields[judged.field] = None
        if judged.field == "reference_number":
            keys["reference_number"] = None
    elif judged.field in ISSUER_PARTS:
        fields["issuer"][judged.field] = None
        if not any(fields["issuer"].get(p) for p in ISSUER_PARTS):
            evidence.pop("/issuer", None)


def _renumber(fields: dict, keys: dict, evidence: dict, name: str, doubted: list[str]) -> None:
    """Drop the doubted items of list ``name``; the kept items' evidence (and, for
    references, their match keys) follows them."""
    items = fields.get(name) or []
    gone = {int(p.rsplit("/", 1)[1]) for p in doubted if p.startswith(f"/{name}/")}
    if not gone:
        return
    kept = [i for i in range(len(items)) if i not in gone]
    moved = {f"/{name}/{new}": evidence.get(f"/{name}/{old}") for new, old in enumerate(kept)}
    for i in range(len(items)):
        evidence.pop(f"/{name}/{i}", None)
    evidence.update({k: v for k, v in moved.items() if v is not None})
    fields[name] = [items[i] for i in kept]
    if name == "references" and len(keys.get("references") or []) == len(items):
        keys["references"] = [keys["references"][i] for i in kept]
