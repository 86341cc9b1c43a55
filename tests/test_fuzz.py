"""Property tests of the text stages and the HTTP API on random and adversarial input.

Text stages (correct, split, extract, build_records) must never raise, every span they
return must lie inside its text, every correction must be reversible, and every record must
validate against the published JSON Schema — for Unicode soup, control characters, RTL Urdu,
punctuation-only pages, huge lines, repeated headings and 10,000-line inputs alike.
The HTTP API is fuzzed from its own OpenAPI document with schemathesis: no request may
produce a 500.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corrections import apply_corrections, correct_text
from pipeline.api import validate_record
from pipeline.assemble import build_records
from pipeline.extract import extract_fields
from pipeline.models import OcrPage, SourceFile
from pipeline.split import split_documents

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Pieces of real circulars, so the random texts reach the extractors' interesting paths.
FRAGMENTS = [
    "GOVERNMENT OF PAKISTAN", "GOVERNMENT OF THE PUNJAB", "CABINET SECRETARIAT",
    "Ministry of Home Affairs", "UNIVERSITY OF PESHAWAR", "Government of India",
    "OFFICE MEMORANDUM", "NOTIFICATION", "CIRCULAR", "OFFICE ORDER", "ORDER", "No.",
    "No. F.4-2/2024-Admin", "No.SO(E-I)8-12/2021", "F.No.11013/2/2019-Estt.(A)", "Dated:",
    "Islamabad, the 5th March, 2024", "Lahore, dated 31-12-2023", "14th Feb,2022", "3l.O3.2O21",
    "Subject:", "SUBJECT :-", "Reference:", "The undersigned is directed to", "under Rule 17",
    "of the Civil Servants Act, 1973", "Copy to:-", "Distribution:", "1.", "2)", "(iii)", "a)",
    "(Muhammad Ahmed Khan)", "Section Officer (Admin)", "Deputy Secretary", "for Secretary",
    "حکومت پاکستان", "دفتری یادداشت", "نمبر ۸/۱۲/۲۰۲۱", "مورخہ ۱۴ مارچ ۲۰۲۲", "\u200f", "\u200e",
    "\u202e", "\ufeff", "\x0c", "\x00", "\x1b[31m", "\t", "\r\n", "\u2028", "\u00ad", "ﬁ", "…",
    "——", "...", "!!!???", "////", "\\\\", "$(rm -rf x)", "' OR 1=1 --", "<script>", "{{7*7}}",
]

unicode_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=400)
fragment_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(["\n", "\n\n", " ", "  "]),
              st.text(st.characters(exclude_categories=("Cs",)), max_size=12)),
    max_size=80).map("".join)
punctuation_only = st.text(st.sampled_from(list(".,;:-_/\\|()[]{}*#@!?'\"`~^%&+=<>")), max_size=300)
huge_line = st.builds(lambda ch, n: ch * n, st.sampled_from(["a", "ا", "1", ".", "No. ", "x "]),
                      st.integers(1_000, 12_000))
repeated_headings = st.builds(
    lambda head, n: ("GOVERNMENT OF PAKISTAN\n" + head + "\nNo. 1/2/2020\nSubject: test\n\n") * n,
    st.sampled_from(["OFFICE MEMORANDUM", "NOTIFICATION", "CIRCULAR", "ORDER", "دفتری یادداشت"]),
    st.integers(1, 60))
texts = st.one_of(unicode_text, fragment_text, punctuation_only, huge_line, repeated_headings)


def inside(span: tuple[int, int], text: str) -> bool:
    start, end = span
    return 0 <= start <= end <= len(text)


def pointer_value(fields: dict, pointer: str) -> object:
    value: object = fields
    for part in pointer.lstrip("/").split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        value = value[int(part)] if isinstance(value, list) else value[part]  # type: ignore[index]
    return value


def check_corrections(raw: str, text: str, corrections) -> None:  # noqa: ANN001
    for c in corrections:
        assert inside(c.raw_span, raw) and inside(c.span, text), c
        assert raw[c.raw_span[0]:c.raw_span[1]] == c.original, c
        assert text[c.span[0]:c.span[1]] == c.replacement, c
    assert apply_corrections(raw, corrections) == text


@FUZZ
@given(texts)
def test_correct_text_is_reversible(raw: str) -> None:
    result = correct_text(raw)
    check_corrections(raw, result.text, result.corrections)


@FUZZ
@given(texts)
def test_split_documents_spans_are_ordered_and_inside(text: str) -> None:
    spans = split_documents(text)
    previous_end = 0
    for span in spans:
        assert inside(tuple(span), text), span
        assert span[0] >= previous_end, spans  # no overlaps, in order
        previous_end = span[1]


@FUZZ
@given(texts)
def test_extract_fields_evidence_points_at_text(text: str) -> None:
    found = extract_fields(text)
    json.dumps(found.fields)  # plain JSON values
    for pointer, (span, confidence) in found.evidence.items():
        assert inside(span, text), (pointer, span)
        assert 0 <= confidence <= 1
        value = pointer_value(found.fields, pointer)
        if value not in (None, "", [], {}):
            assert text[span[0]:span[1]].strip(), f"{pointer}={value!r} has empty evidence {span}"


def text_source(text: str) -> SourceFile:
    data = text.encode("utf-8", "surrogatepass")
    return SourceFile(path="fuzz.txt", sha256=hashlib.sha256(data).hexdigest(),
                      media_type="text/plain", size_bytes=len(data), page_count=1)


def check_record(data: dict) -> None:
    validate_record(data)
    text, raw = data["text"], data["raw_text"]
    for c in data["corrections"]:
        assert raw[c["raw_span"][0]:c["raw_span"][1]] == c["original"]
        assert text[c["span"][0]:c["span"][1]] == c["replacement"]
    for pointer, ev in data["evidence"].items():
        assert inside(tuple(ev["span"]), text), (pointer, ev)
        if ev.get("raw_span") is not None:
            assert inside(tuple(ev["raw_span"]), raw), (pointer, ev)
        value = pointer_value(data["fields"], pointer)
        if value not in (None, "", [], {}):
            assert text[ev["span"][0]:ev["span"][1]].strip(), (pointer, value, ev)
    for page in data["pages"]:
        assert inside(tuple(page["span"]), raw)


@FUZZ
@given(st.lists(texts, min_size=1, max_size=3))
def test_build_records_always_validates(page_texts: list[str]) -> None:
    pages = [OcrPage(number=i + 1, text=t, source="text-file", decision="fuzz")
             for i, t in enumerate(page_texts)]
    records = build_records(text_source("\f".join(page_texts)), pages)
    assert records
    for record in records:
        check_record(record.model_dump(mode="json"))


@pytest.mark.timeout(300)
@pytest.mark.parametrize("shape", ["circulars", "one-word-lines", "urdu", "blank-lines"])
def test_ten_thousand_line_inputs(shape: str) -> None:
    line = {
        "circulars": None,
        "one-word-lines": "word",
        "urdu": "حکومت پاکستان دفتری یادداشت نمبر ۸/۱۲",
        "blank-lines": "",
    }[shape]
    if line is None:
        block = ("GOVERNMENT OF PAKISTAN\nOFFICE MEMORANDUM\nNo. F.{i}/2024\n"
                 "Islamabad, the 5th March, 2024\nSubject: Item {i}\nText of item {i}.\n")
        text = "".join(block.format(i=i) for i in range(10_000 // 6))
    else:
        text = "\n".join([line] * 10_000)
    page = OcrPage(number=1, text=text, source="text-file", decision="fuzz")
    for record in build_records(text_source(text), [page]):
        check_record(record.model_dump(mode="json"))


# ----------------------------------------------------------------------------- HTTP API


def _api_schema():  # noqa: ANN202 - schemathesis' schema type
    import tempfile

    import schemathesis

    from archive import open_archive
    from archive.access import new_token, secret_digest
    from archive.app import create_app

    folder = Path(tempfile.mkdtemp(prefix="daftar-fuzz-api-"))
    location = str(folder / "archive.sqlite")
    with open_archive(location) as store:
        for i, text in enumerate(["GOVERNMENT OF PAKISTAN\nOFFICE MEMORANDUM\nNo. F.1/2024\n"
                                  "Islamabad, the 5th March, 2024\nSubject: Leave rules\n",
                                  "NOTIFICATION\nNo. SO(E)2-3/2023\nLahore, dated 1-1-2023\n"
                                  "Subject: Holidays\nCopy to: all\n"]):
            page = OcrPage(number=1, text=text, source="text-file", decision="fuzz")
            for record in build_records(text_source(text + str(i)), [page]):
                store.ingest(record.model_dump(mode="json"), batch="fuzz")
        token = new_token()  # the API answers 401 without one: fuzz what a client reaches
        store.add_api_token("fuzz", secret_digest(token), "viewer", "2026-12-05T09:00:00")
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(location)), token


schema, API_TOKEN = _api_schema()


@pytest.mark.timeout(600)
@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_never_answers_500(case) -> None:  # noqa: ANN001
    from schemathesis.checks import not_a_server_error

    case.call_and_validate(headers={"Authorization": f"Bearer {API_TOKEN}"},
                           checks=[not_a_server_error])
