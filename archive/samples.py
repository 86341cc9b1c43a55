"""Schema-valid record dicts for tests, benchmarks and demos (no OCR needed).

Other test suites (flows, review app) can use ``make_record`` to fill an archive.
"""

from __future__ import annotations

import hashlib
from typing import Any, Callable

from archive.keys import reference_key
from pipeline.config import PIPELINE_VERSION


def make_record(name: str, *, text: str | None = None, document_type: str | None = "circular",
                organization: str | None = "Government of Pakistan",
                department: str | None = "Establishment Division",
                reference_number: str | None = None, date: str | None = None,
                place: str | None = None, subject: str | None = None,
                references: list[dict] | None = None, cited_rules: list[dict] | None = None,
                distribution: list[str] | None = None, needs_review: bool = False,
                review_reasons: list[dict] | None = None, document_index: int = 0,
                source_sha256: str | None = None, evidence: dict | None = None,
                extra_fields: dict[str, Any] | None = None,
                key: Callable[[str | None], str | None] = reference_key) -> dict:
    """A record whose id and source hash derive from ``name`` (same name -> same document).

    ``key`` computes the canonical keys; a generator citing its own numbers again and again
    can pass a memoised ``reference_key`` (the same keys, without repeating its regexes).
    """
    sha = source_sha256 or hashlib.sha256(name.encode("utf-8")).hexdigest()
    if text is None:
        text = "\n".join(filter(None, [organization, department, reference_number, subject,
                                       f"Record {name}."]))
    references = references or []
    cited_rules = cited_rules or []
    fields = {
        "document_type": document_type,
        "issuer": {"organization": organization, "department": department},
        "reference_number": reference_number, "date": date, "place": place,
        "subject": subject, "references": references, "cited_rules": cited_rules,
        "instructions": [], "signatories": [], "addressees": [],
        "distribution": distribution or [], **(extra_fields or {}),
    }
    return {
        "schema_version": "1.0.0",
        "pipeline_version": PIPELINE_VERSION,
        "id": f"{sha}-{document_index}",
        "source": {"path": f"scans/{name}.pdf", "sha256": sha, "media_type": "application/pdf",
                   "size_bytes": len(text.encode("utf-8")), "page_count": 1, "page_range": [1, 1],
                   "document_index": document_index, "document_count": document_index + 1},
        "pages": [{"number": 1, "source": "ocr", "decision": "no text layer", "span": [0, len(text)],
                   "text": text, "mean_confidence": 91.5, "low_confidence_words": 0}],
        "raw_text": text,
        "text": text,
        "corrections": [],
        "fields": fields,
        "evidence": evidence or {},
        "keys": {"reference_number": key(reference_number),
                 "references": [key(r.get("reference_number")) for r in references],
                 "instruments": [None for _ in cited_rules]},
        "mean_confidence": 91.5,
        "low_confidence_words": 0,
        "needs_review": needs_review,
        "review_reasons": review_reasons or [],
    }
