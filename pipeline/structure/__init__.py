"""The document-structure model: what each line of a document is, learned from examples.

    from pipeline.structure import label_lines, document_type_from_structure, document_starts
    labelled = label_lines(text)                  # words=... (OCR boxes) adds layout features
    [(l.label, l.probability, text[l.span[0]:l.span[1]]) for l in labelled]
    kind, confidence, reason = document_type_from_structure(labelled)
    starts = document_starts(labelled)            # line indexes where a new document begins

A linear-chain CRF (python-crfsuite) over the non-blank lines labels each one as one of
``LABELS``; features are in ``features.py``, training in ``training.py``, the model card in
docs/structure-model.md. The model is ``pipeline/extract/data/structure.crfsuite``
(rebuilt by ``make train`` / ``daftar train``). As GROBID does for papers, field parsers are
meant to run inside the zones this labels, with today's rules as features of it.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pycrfsuite

from pipeline.errors import DaftarError, ExitCode
from pipeline.models import Word
from pipeline.structure.features import content_lines, line_features
from pipeline.structure.vocabulary import KEYWORDS

LABELS: tuple[str, ...] = (
    "letterhead", "number_line", "date_line", "heading", "addressee", "salutation", "subject",
    "reference", "body", "instruction", "signature", "copy_heading", "distribution",
    "endorsement", "noise", "furniture",
)
MODEL_PATH = Path(__file__).resolve().parent.parent / "extract" / "data" / "structure.crfsuite"
MODEL_ENV = "DAFTAR_STRUCTURE_MODEL"  # another model file (tests, a model being evaluated)

__all__ = ["LABELS", "LabelledLine", "ModelMissingError", "MODEL_PATH", "document_starts",
           "document_type_from_structure", "label_lines", "using_model"]


class ModelMissingError(DaftarError):
    """The structure model file is missing or unreadable (run ``make train``)."""

    reason = "structure-model-missing"
    exit_code = ExitCode.missing_dependency


@dataclass(frozen=True)
class LabelledLine:
    """One non-blank line: its index in ``split_lines(text)``, its span (without the line's
    leading and trailing spaces), its label and the model's marginal probability of it."""

    index: int
    span: tuple[int, int]
    text: str
    label: str
    probability: float


_local = threading.local()  # a pycrfsuite Tagger is not safe to share between threads
_override: list[Path] = []


@contextmanager
def using_model(path: Path) -> Iterator[None]:
    """Label with the model at ``path`` inside the block (to score a candidate model)."""
    _override.append(Path(path))
    try:
        yield
    finally:
        _override.pop()


def model_path() -> Path:
    if _override:
        return _override[-1]
    return Path(os.environ.get(MODEL_ENV) or MODEL_PATH)


def _tagger(path: Path) -> pycrfsuite.Tagger:
    stat = path.stat() if path.exists() else None
    # a retrained model is a new file (build renames it into place): a new inode, a new tagger
    key = (str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size) if stat else (str(path), 0, 0, 0)
    cached = getattr(_local, "taggers", {})
    if key not in cached:
        if not path.is_file():
            raise ModelMissingError(f"no structure model at {path}: run `make train`")
        tagger = pycrfsuite.Tagger()
        try:
            tagger.open(str(path))
        except (OSError, ValueError) as exc:
            raise ModelMissingError(f"structure model {path} unreadable: {exc}") from exc
        _local.taggers = cached = {key: tagger}  # keep one: a retrained model replaces the old
    return cached[key]


def label_lines(text: str, words: Sequence[Word] = ()) -> list[LabelledLine]:
    """Every non-blank line of ``text`` with its label and the label's marginal probability.

    ``words`` (OCR words whose spans index ``text``) add layout and confidence features.
    The extractor's zones and the value verifier label the same text: the last few
    labellings are remembered (per model file), so a document is labelled once.
    """
    path = model_path()
    stat = path.stat() if path.exists() else None
    key = (str(path), stat.st_mtime_ns if stat else 0, text, tuple(words))
    cache = getattr(_local, "labelled", None)
    if cache is None:
        cache = _local.labelled = {}
    if key not in cache:
        if len(cache) >= 4:
            cache.pop(next(iter(cache)))
        cache[key] = _label_lines(text, words)
    return list(cache[key])


def _label_lines(text: str, words: Sequence[Word]) -> list[LabelledLine]:
    kept = content_lines(text)
    if not kept:
        return []
    tagger = _tagger(model_path())
    tagger.set(line_features(text, words))
    labels = tagger.tag()
    out = []
    for n, ((i, line), label) in enumerate(zip(kept, labels)):
        out.append(LabelledLine(i, line.content_span, line.stripped, label, round(tagger.marginal(label, n), 4)))
    return out


# --- document type from structure -------------------------------------------------------------

# Words that name a document type, in the order they are tried on the heading and number lines:
# 'OFFICE MEMORANDUM' before 'MEMORANDUM', 'OFFICE ORDER' before 'ORDER'.
TYPE_WORDS: tuple[tuple[str, str], ...] = (
    (r"office\s+memorandum|\bo\.\s?m\.", "office_memorandum"),
    (r"office\s+order", "office_order"),
    (r"memorandum\s+circular|circular", "circular"),
    (r"notification|s\.\s?r\.\s?o\.|corrigendum|addendum", "notification"),
    (r"\bd\.\s?o\.|demi[-\s]official|letter", "letter"),
    (r"memorandum\s+order|\bg\.\s?o\.|\border", "order"),
    (r"memorandum|\bmemo\b", "office_memorandum"),
)
_ENACTING = next(k.pattern for k in KEYWORDS if k.name == "enacting")
_CLOSING = re.compile(r"\byours\s+(?:faithfully|sincerely|obediently|truly)\b", re.I)
SURE = 0.8  # below this, the type goes to review with its reason


def document_type_from_structure(labelled: Sequence[LabelledLine]) -> tuple[str | None, float, str]:
    """(document type, confidence 0..1, reason) read from the labelled lines.

    A heading or a number line naming the type decides it. Otherwise: a letter by its To block,
    salutation and complimentary close; a notification by its enacting words; an order by
    'By order'. The confidence is the model's probability of the deciding line times how
    direct the evidence is; the reason says what decided (and 'unsure' below ``SURE``).
    """
    for label in ("heading", "number_line"):
        for line in labelled:
            if line.label == label:
                kind = _type_word(line.text)
                if kind:
                    return _verdict(kind, line.probability, f"{label.replace('_', ' ')} {line.text[:60]!r}")
    return _from_zones(labelled)


def _type_word(text: str) -> str | None:
    return next((kind for pattern, kind in TYPE_WORDS if re.search(pattern, text, re.I)), None)


def _from_zones(labelled: Sequence[LabelledLine]) -> tuple[str | None, float, str]:
    has = {label: max((l.probability for l in labelled if l.label == label), default=0.0)
           for label in ("addressee", "salutation")}
    closing = next((m.group() for l in labelled if l.label in ("signature", "body") for m in [_CLOSING.search(l.text)] if m), None)
    if has["addressee"] and (has["salutation"] or closing):
        parts = ["To block"] + (["salutation"] if has["salutation"] else []) + ([repr(closing)] if closing else [])
        score = min(has["addressee"], has["salutation"] or 1.0) * (0.95 if has["salutation"] and closing else 0.85)
        return _verdict("letter", score, "a letter by its " + " + ".join(parts))
    if has["salutation"]:
        return _verdict("letter", has["salutation"] * 0.7, "a letter by its salutation alone")
    enacting = next((l for l in labelled if l.label in ("body", "instruction") and re.search(_ENACTING, l.text)), None)
    if enacting and re.search(r"(?i)in\s+exercise\s+of\s+the\s+powers|is\s+pleased\s+to", enacting.text):
        return _verdict("notification", enacting.probability * 0.8, f"a notification by its enacting words {enacting.text[:50]!r}")
    if any(re.search(r"(?i)\bby\s+order\b", l.text) for l in labelled if l.label in ("signature", "body")):
        return _verdict("order", 0.5, "an order by 'By order' above the signature")
    return None, 0.0, "no heading, number line or structure names a document type"


def _verdict(kind: str, confidence: float, reason: str) -> tuple[str, float, str]:
    confidence = round(confidence, 3)
    return kind, confidence, reason if confidence >= SURE else f"unsure: {reason}"


# --- document starts ----------------------------------------------------------------------------

_HEAD = ("letterhead", "number_line", "heading")
_FOOT = ("signature", "distribution", "copy_heading", "endorsement")


def document_starts(labelled: Sequence[LabelledLine]) -> list[int]:
    """Line indexes (``LabelledLine.index``) where a document starts: the first line, and a
    letterhead, number or heading line that follows a signature or distribution block."""
    if not labelled:
        return []
    starts = [labelled[0].index]
    in_foot = False
    for line in labelled[1:]:
        if line.label in _FOOT:
            in_foot = True
        elif line.label in _HEAD and in_foot:
            starts.append(line.index)
            in_foot = False
        elif line.label in ("body", "instruction", "subject", "addressee", "salutation"):
            in_foot = False if line.label != "addressee" else in_foot
    return starts
