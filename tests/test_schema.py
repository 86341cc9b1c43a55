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
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION


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
