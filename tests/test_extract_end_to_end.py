"""The raw example file through split -> correct -> extract -> link, against the gold fields."""

import json
from functools import lru_cache
from pathlib import Path

import pytest

from pipeline.extract import Extraction, canonical_key, extract_fields, link_documents
from pipeline.record import Fields, Keys
from pipeline.split import split_documents

EXAMPLE = Path("/work/shared/examples/ocr-output-two-circulars.txt")
GOLD = Path("/work/shared/examples/gold")


@lru_cache(maxsize=1)
def run() -> tuple[list[str], list[Extraction]]:
    from corrections import correct_text

    raw = EXAMPLE.read_text(encoding="utf-8")
    texts = [correct_text(raw[s:e]).text for s, e in split_documents(raw)]
    return texts, link_documents([extract_fields(t) for t in texts])


def gold(name: str) -> dict:
    return json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))


def test_two_records_whose_numbers_link() -> None:
    _, (circular, memo) = run()
    assert circular.keys["references"] == [memo.keys["reference_number"]]
    assert canonical_key(circular.fields["references"][0]["reference_number"]) == canonical_key(memo.fields["reference_number"])


@pytest.mark.parametrize(("index", "name"), [(0, "aiou-circular-2023"), (1, "estab-om-2021")])
@pytest.mark.parametrize("field", ["document_type", "issuer", "reference_number", "date", "place", "subject", "references", "addressees"])
def test_main_fields_match_gold(index: int, name: str, field: str) -> None:
    _, extractions = run()
    assert extractions[index].fields[field] == gold(name)[field]


@pytest.mark.parametrize(("index", "name"), [(0, "aiou-circular-2023"), (1, "estab-om-2021")])
def test_cited_rules_and_distribution_match_gold(index: int, name: str) -> None:
    from rapidfuzz import fuzz

    _, extractions = run()
    fields, expected = extractions[index].fields, gold(name)
    assert [{k: v for k, v in c.items() if k != "as_printed"} for c in fields["cited_rules"]] == expected["cited_rules"]
    assert len(fields["distribution"]) == len(expected["distribution"])
    for item in expected["distribution"]:
        assert max(fuzz.ratio(item, got) for got in fields["distribution"]) >= 90, item


def test_memo_instructions_and_signatory_designations() -> None:
    _, (_, memo) = run()
    assert [i["number"] for i in memo.fields["instructions"]] == ["i", "ii", "iii", "iv", "v"]
    assert [s["designation"] for s in memo.fields["signatories"]] == ["Joint Secretary", "Section Officer (D-II)"]


def test_date_completed_from_the_citing_document_is_flagged() -> None:
    _, (_, memo) = run()
    assert memo.fields["date"] == "2021-08-25"
    assert any(code == "date-from-citation" for code, _, _ in memo.review_reasons)


def test_without_linking_the_damaged_date_is_null_not_guessed() -> None:
    texts, _ = run()
    memo = extract_fields(texts[1])
    assert memo.fields["date"] is None and memo.partial_date == (2021, 8)
    assert any(code == "partial-date" for code, _, _ in memo.review_reasons)


@pytest.mark.parametrize("index", [0, 1])
def test_fields_and_keys_validate_and_every_value_has_evidence(index: int) -> None:
    texts, extractions = run()
    ex, text = extractions[index], texts[index]
    Fields.model_validate(ex.fields)
    Keys.model_validate(ex.keys)
    for pointer, ((start, end), confidence) in ex.evidence.items():
        assert 0 <= start < end <= len(text), pointer
        assert text[start:end].strip(), pointer
        assert 0 <= confidence <= 1
    scalars = ["document_type", "reference_number", "date", "place", "subject"]
    for name in scalars:
        if ex.fields[name] is not None:
            assert f"/{name}" in ex.evidence
    for name in ["references", "cited_rules", "instructions", "signatories", "addressees", "distribution"]:
        for i, _ in enumerate(ex.fields[name]):
            assert f"/{name}/{i}" in ex.evidence


def test_raw_text_without_correction_gives_the_same_main_fields() -> None:
    raw = EXAMPLE.read_text(encoding="utf-8")
    extractions = link_documents([extract_fields(raw[s:e]) for s, e in split_documents(raw)])
    for ex, name in zip(extractions, ["aiou-circular-2023", "estab-om-2021"]):
        for field in ["document_type", "issuer", "reference_number", "date", "references", "cited_rules"]:
            got = ex.fields[field]
            if field == "cited_rules":  # the printed title keeps its OCR damage; the name does not
                got = [{k: v for k, v in c.items() if k != "as_printed"} for c in got]
            assert got == gold(name)[field], (name, field)


def test_empty_and_structureless_text_give_empty_valid_fields() -> None:
    for text in ["", "   \n\n", "lorem ipsum dolor sit amet"]:
        ex = extract_fields(text)
        Fields.model_validate(ex.fields)
        assert ex.fields["reference_number"] is None and ex.fields["date"] is None
        assert ("missing-field", "no reference number found", "reference_number") in ex.review_reasons


def test_windows_line_endings_give_the_same_fields() -> None:
    raw = EXAMPLE.read_text(encoding="utf-8")
    plain = [extract_fields(raw[s:e]).fields for s, e in split_documents(raw)]
    crlf_raw = raw.replace("\n", "\r\n")
    crlf = [extract_fields(crlf_raw[s:e]).fields for s, e in split_documents(crlf_raw)]
    for a, b in zip(plain, crlf):
        for field in ["document_type", "issuer", "reference_number", "references", "cited_rules", "signatories"]:
            assert a[field] == b[field], field


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from([
    "GOVERNMENT OF PAKISTAN\n", "No. 4/1/2022-Admn  Islamabad, the 5th May, 2022\n", "CIRCULAR\n", "Subject: X\n",
    "Copy to:\n", "1. The Secretary.\n", "(Muhammad Ali)\n", "Deputy Secretary\n", "Rule 18 of the Rules ibid\n",
    "the Conduct Rules 1964 and ", "letter No. 5/6/2020-B dated 3rd May, 2020 ", "i. item one\n", "ii. item two\n",
    "\n", "\f", "(", ")", "No.", "dated", " ", "Vi.\n", "thed§\" August, 2021",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=30)), max_size=25))
def test_any_text_gives_valid_fields_and_spans(parts: list[str]) -> None:
    text = "".join(parts)
    ex = extract_fields(text)
    Fields.model_validate(ex.fields)
    Keys.model_validate(ex.keys)
    for pointer, ((start, end), confidence) in ex.evidence.items():
        assert 0 <= start <= end <= len(text), pointer
        assert 0 <= confidence <= 1
    spans = split_documents(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))


SCAN = Path(__file__).resolve().parent.parent / "samples" / "scans" / "aiou-circular-2023.l0.png"


def test_real_ocr_of_a_two_column_foot_keeps_only_the_distribution_column() -> None:
    """Real Tesseract output of the scan (words and text) through the whole library path."""
    from pipeline.api import process_file

    (record,) = process_file(SCAN)
    assert sorted(record.fields.distribution) == sorted(gold("aiou-circular-2023")["distribution"])
    assert record.fields.reference_number == "No.F.2-244/2023-Admn/3909"
