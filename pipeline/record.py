"""The published JSON record: one per document found in an input file.

These pydantic models are the single source of ``schemas/document.schema.json``
(``python -m pipeline.record --write`` regenerates it; a test fails when they drift).
Field values in ``fields`` are plain values, the shape downstream systems and archivists
read; ``evidence`` maps a JSON Pointer into ``fields`` (``/reference_number``,
``/distribution/3``) to where that value came from.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# Semantic versioning of the record: a minor version only adds optional fields, so a record
# of any earlier minor version of the same major validates against this schema unchanged.
SCHEMA_VERSION = "1.3.0"
SCHEMA_CHANGES = {
    "1.0.0": "first published record",
    "1.1.0": "corrections[].group: corrections that are one repair and are reverted together",
    "1.2.0": "fields.cited_rules[].as_printed: the instrument's title as printed, beside the gazetteer's name",
    "1.3.0": "review_reasons[].proposed: a value read but withheld from fields (code 'withheld') for review",
}
SCHEMA_ID = "https://daftar.dev/schemas/document.schema.json"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "document.schema.json"

DocumentType = Literal[
    "circular", "office_memorandum", "notification", "letter", "office_order", "order", "other"
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EvidenceOut(_Model):
    """Where a value came from: ``span`` in ``text``; ``raw_span`` in ``raw_text``."""

    span: tuple[int, int]
    raw_span: tuple[int, int] | None = None
    page: int | None = Field(None, ge=1)
    box: tuple[int, int, int, int] | None = Field(None, description="left, top, width, height")
    confidence: float = Field(ge=0, le=1)


class WordOut(_Model):
    text: str
    box: tuple[int, int, int, int]
    confidence: float = Field(ge=-1, le=100, description="Tesseract confidence, 0-100")
    block: int
    paragraph: int
    line: int
    word: int
    span: tuple[int, int] = Field(description="offsets of the word in the record's raw_text")


class PreprocessStepOut(_Model):
    name: str
    applied: bool
    params: dict[str, object] = Field(default_factory=dict)


class PageOut(_Model):
    number: int = Field(ge=1, description="page number within the source file")
    source: Literal["ocr", "pdf-text", "text-file"]
    decision: str = Field(description="why the text came from OCR or from a text layer")
    span: tuple[int, int] = Field(description="this page's part of raw_text")
    text: str
    width: int | None = None
    height: int | None = None
    dpi: int | None = None
    language: str | None = None
    preprocessing: list[PreprocessStepOut] = Field(default_factory=list)
    words: list[WordOut] = Field(default_factory=list)
    mean_confidence: float | None = None
    low_confidence_words: int = Field(0, ge=0)


class SourceOut(_Model):
    path: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    media_type: str
    size_bytes: int = Field(ge=0)
    page_count: int = Field(ge=0)
    page_range: tuple[int, int]
    document_index: int = Field(ge=0, description="0-based position of this document in the file")
    document_count: int = Field(ge=1)


class CorrectionOut(_Model):
    original: str
    replacement: str
    raw_span: tuple[int, int]
    span: tuple[int, int]
    rule: str
    score: float = Field(ge=0, le=1)
    evidence: str = ""
    group: str = Field("", description="corrections sharing a non-empty group are one repair, "
                       "reverted together")
    page: int | None = None
    box: tuple[int, int, int, int] | None = None


class Issuer(_Model):
    organization: str | None = None
    department: str | None = None


class ReferenceOut(_Model):
    reference_number: str | None = None
    date: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    issuer: str | None = None
    kind: str | None = None


class CitedRuleOut(_Model):
    instrument: str
    year: int | None = None
    provisions: list[str] = Field(default_factory=list)
    # the title as the document prints it ('CCS Leave Rules') beside the gazetteer's name
    # ('Central Civil Services (Leave) Rules') when the gazetteer knows the instrument
    as_printed: str | None = None


class InstructionOut(_Model):
    number: str
    text: str


class SignatoryOut(_Model):
    name: str | None = None
    designation: str | None = None


class Fields(_Model):
    document_type: DocumentType | None = None
    issuer: Issuer = Field(default_factory=Issuer)
    reference_number: str | None = None
    date: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    place: str | None = None
    subject: str | None = None
    references: list[ReferenceOut] = Field(default_factory=list)
    cited_rules: list[CitedRuleOut] = Field(default_factory=list)
    instructions: list[InstructionOut] = Field(default_factory=list)
    signatories: list[SignatoryOut] = Field(default_factory=list)
    addressees: list[str] = Field(default_factory=list)
    distribution: list[str] = Field(default_factory=list)


class Keys(_Model):
    """Canonical keys for matching: reference numbers and gazetteer instrument ids."""

    reference_number: str | None = None
    references: list[str | None] = Field(default_factory=list)
    instruments: list[str | None] = Field(default_factory=list)


class ReviewReason(_Model):
    code: str = Field(description="e.g. low-ocr-confidence, missing-field, uncertain-correction, withheld")
    message: str
    field: str | None = None
    proposed: Any = Field(None, description="code 'withheld': the value read for ``field`` (a JSON "
                          "Pointer into fields), kept out of fields because it is probably wrong")


class Record(_Model):
    schema_version: Literal["1.0.0", "1.1.0", "1.2.0", "1.3.0"] = Field(
        SCHEMA_VERSION, description="the record schema's version it was written under; "
        "earlier minor versions of the same major stay valid")
    pipeline_version: str
    id: str = Field(description="sha256 of the source + '-' + document index")
    source: SourceOut
    pages: list[PageOut]
    raw_text: str = Field(description="text as OCR or the text layer gave it; never altered")
    text: str = Field(description="corrected text; every change is listed in corrections")
    corrections: list[CorrectionOut] = Field(default_factory=list)
    fields: Fields = Field(default_factory=Fields)
    evidence: dict[str, EvidenceOut] = Field(
        default_factory=dict, description="JSON Pointer into fields -> evidence"
    )
    keys: Keys = Field(default_factory=Keys)
    mean_confidence: float | None = None
    low_confidence_words: int = Field(0, ge=0)
    needs_review: bool = False
    review_reasons: list[ReviewReason] = Field(default_factory=list)


def json_schema() -> dict:
    """The JSON Schema (2020-12) of a record, as published in ``schemas/``."""
    schema = Record.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Daftar document record",
        "x-schema-version": SCHEMA_VERSION,
        "x-schema-changes": SCHEMA_CHANGES,
        **schema,
    }


def draft7_schema(schema: dict) -> dict:
    """The schema in draft-07 terms, for validators that stop at draft 7 (fastjsonschema).

    The only 2020-12 keyword the record schema uses is ``prefixItems`` (pydantic's tuples:
    boxes, spans), which draft 7 spells as an ``items`` array. ``$defs`` references are plain
    JSON pointers and need nothing.
    """
    def convert(node: object) -> object:
        if isinstance(node, dict):
            out = {key: convert(value) for key, value in node.items() if key != "$schema"}
            if "prefixItems" in out:
                out["items"] = out.pop("prefixItems")
            return out
        if isinstance(node, list):
            return [convert(value) for value in node]
        return node

    return {"$schema": "http://json-schema.org/draft-07/schema#", **convert(schema)}  # type: ignore[dict-item]


@functools.lru_cache(maxsize=1)
def published_schema() -> dict:
    """The committed ``schemas/document.schema.json``."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def _reference_validator():  # noqa: ANN202 - jsonschema's validator type
    from jsonschema import Draft202012Validator

    return Draft202012Validator(published_schema())


@functools.lru_cache(maxsize=1)
def _compiled_validator():  # noqa: ANN202 - a generated function
    import fastjsonschema

    # use_default=False: a validator must never write the schema's defaults into the record.
    return fastjsonschema.compile(draft7_schema(published_schema()), use_default=False)


def schema_problem(record: object) -> tuple[str, str] | None:
    """(JSON pointer, message) of the first way ``record`` breaks the published schema, or
    None when it is valid.

    A compiled validator (fastjsonschema, ~25x faster: a record of a page holds hundreds of
    word boxes) clears valid records; only a record it rejects goes to jsonschema, the
    reference implementation, which has the last word and names the problem.
    """
    import fastjsonschema

    try:
        _compiled_validator()(record)
        return None
    except fastjsonschema.JsonSchemaException:
        pass
    errors = _reference_validator().iter_errors(record)
    error = next(iter(sorted(errors, key=lambda e: list(map(str, e.path)))), None)
    if error is None:
        return None
    return "/" + "/".join(str(p) for p in error.absolute_path), error.message


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    if "--write" in sys.argv:
        SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
        print(f"wrote {SCHEMA_PATH}")
    else:
        sys.stdout.write(schema_text())
