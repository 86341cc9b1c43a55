"""The published JSON Schema is generated from the record models and cannot drift."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from pipeline.api import validate_record
from pipeline.errors import InvalidOutputError
from pipeline.record import SCHEMA_PATH, SCHEMA_VERSION, Record, schema_text


def test_committed_schema_matches_models() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "schemas/document.schema.json is stale: run `make schema`"
    )


def test_schema_is_valid_2020_12() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"].endswith("2020-12/schema")
    assert SCHEMA_VERSION in schema["properties"]["schema_version"]["enum"]
    assert schema["x-schema-version"] == SCHEMA_VERSION
    assert list(schema["x-schema-changes"])[-1] == SCHEMA_VERSION


def test_a_record_of_an_earlier_minor_version_stays_valid() -> None:
    from pipeline.api import validate_record

    record = {**_minimal(), "schema_version": "1.0.0"}
    validate_record(record)  # raises when invalid
    Record.model_validate(record)


def _minimal() -> dict:
    return Record(
        pipeline_version="0",
        id="ab-0",
        source={
            "path": "x.txt", "sha256": "0" * 64, "media_type": "text/plain", "size_bytes": 1,
            "page_count": 1, "page_range": (1, 1), "document_index": 0, "document_count": 1,
        },
        pages=[],
        raw_text="x",
        text="x",
    ).model_dump(mode="json")


def test_minimal_record_validates() -> None:
    validate_record(_minimal())


def test_validation_leaves_the_record_as_it_was() -> None:
    """No defaults written in: the archive stores and hashes exactly what it was given."""
    import copy

    record = _with_a_page()  # no width, height, dpi or language: the schema's defaults are None
    del record["needs_review"]
    before = copy.deepcopy(record)
    validate_record(record)
    assert record == before


@pytest.mark.parametrize(
    ("pointer", "value", "message"),
    [
        (("schema_version",), "0.9", "schema_version"),
        (("source", "sha256"), "not-a-hash", "/source/sha256"),
        (("fields", "date"), "25/08/2021", "/fields/date"),
        (("fields", "document_type"), "memo", "/fields/document_type"),
        (("needs_review",), "yes", "/needs_review"),
    ],
)
def test_invalid_records_name_the_problem(pointer: tuple, value: object, message: str) -> None:
    record = _minimal()
    target = record
    for key in pointer[:-1]:
        target = target[key]
    target[pointer[-1]] = value
    with pytest.raises(InvalidOutputError, match=message):
        validate_record(record)


def _with_a_page() -> dict:
    record = _minimal()
    record["pages"] = [{
        "number": 1, "source": "ocr", "decision": "scan", "span": [0, 1], "text": "x",
        "words": [{"text": "x", "box": [1, 2, 3, 4], "confidence": 91.5, "block": 1,
                   "paragraph": 1, "line": 1, "word": 1, "span": [0, 1]}],
        "preprocessing": [{"name": "deskew", "applied": True, "params": {"angle": 0.4}}],
    }]
    record["corrections"] = [{"original": "rn", "replacement": "m", "raw_span": [0, 2], "span": [0, 1],
                              "rule": "confusion", "score": 0.9, "group": ""}]
    return record


BREAKAGES = [
    (("pages", 0, "words", 0, "box"), [1, 2, 3]),          # a box of three numbers
    (("pages", 0, "words", 0, "box"), [1, 2, 3, "4"]),     # a box with a string
    (("pages", 0, "words", 0, "span"), [0, 1, 2]),
    (("pages", 0, "words", 0, "confidence"), 101),
    (("pages", 0, "words", 0, "text"), None),
    (("pages", 0, "number"), 0),
    (("pages", 0, "source"), "fax"),
    (("pages", 0, "span"), ["0", 1]),
    (("pages", 0, "preprocessing", 0, "applied"), "yes"),
    (("corrections", 0, "score"), 1.5),
    (("corrections", 0, "raw_span"), [0]),
    (("corrections", 0, "group"), 3),
    (("source", "page_range"), [1]),
    (("source", "size_bytes"), "1"),
    (("fields", "references"), [{"reference_number": 5}]),
    (("fields", "signatories"), "Aslam"),
    (("id",), None),
    (("unknown_property",), 1),
]


@pytest.mark.parametrize(("pointer", "value"), BREAKAGES, ids=lambda v: str(v)[:30])
def test_compiled_validator_rejects_what_the_reference_validator_rejects(pointer: tuple, value: object) -> None:
    """The fast (fastjsonschema, draft-07 form) and the reference (jsonschema, 2020-12)
    validators must agree, tuples included; the record is rejected with a named problem."""
    import fastjsonschema

    from pipeline.record import _compiled_validator as _compiled
    from pipeline.record import _reference_validator as _validator

    record = _with_a_page()
    _compiled()(record)
    assert not list(_validator().iter_errors(record))
    target = record
    for key in pointer[:-1]:
        target = target[key]
    target[pointer[-1]] = value
    assert list(_validator().iter_errors(record)), "the reference validator must reject it"
    with pytest.raises(fastjsonschema.JsonSchemaException):
        _compiled()(record)
    with pytest.raises(InvalidOutputError, match="invalid at /"):
        validate_record(record)
