"""OCR post-correction: fix real OCR damage, record every change, never touch what is protected.

Public API::

    correct_text(raw_text, words=(), *, rules=None) -> CorrectionResult
    revert(raw_text, result, index) -> CorrectionResult
    apply_corrections(raw_text, corrections) -> str
    map_span_to_raw(span, corrections) -> Span

Knowledge lives in ``corrections/data`` (confusions, lexicon, protected patterns, each with a
JSON Schema); archivists' fixes become ``LearnedRules`` (``corrections.learning``).
"""

from corrections.edits import Candidate, apply_corrections, map_span_to_raw
from corrections.engine import CorrectionResult, correct_text, revert
from corrections.learning import Fix, FixStore, JsonFixStore, LearnedRule, LearnedRules

__all__ = [
    "Candidate",
    "CorrectionResult",
    "Fix",
    "FixStore",
    "JsonFixStore",
    "LearnedRule",
    "LearnedRules",
    "apply_corrections",
    "correct_text",
    "map_span_to_raw",
    "revert",
]
