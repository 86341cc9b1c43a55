"""Whole documents of other offices and governments against the fields an archivist reads.

Each ``tests/documents/NAME.txt`` is checked against ``NAME.json`` (see the folder's README):
every field the JSON lists must come out exactly, and the fields must be schema-valid.
"""

import json
from pathlib import Path

import pytest

from corrections import correct_text
from pipeline.extract import extract_fields

DOCUMENTS = Path(__file__).resolve().parent / "documents"
CASES = sorted(p.stem for p in DOCUMENTS.glob("*.txt"))


def expected(name: str) -> dict:
    return json.loads((DOCUMENTS / f"{name}.json").read_text(encoding="utf-8"))


def fields_of(name: str) -> dict:
    text = correct_text((DOCUMENTS / f"{name}.txt").read_text(encoding="utf-8")).text
    fields = dict(extract_fields(text).fields)
    fields["instructions_count"] = len(fields.pop("instructions"))
    # the JSON lists instruments by name; the printed title beside it is checked elsewhere
    fields["cited_rules"] = [{k: v for k, v in c.items() if k != "as_printed"} for c in fields["cited_rules"]]
    return fields


def test_every_document_has_its_expected_fields() -> None:
    assert len(CASES) >= 5
    assert all((DOCUMENTS / f"{name}.json").is_file() for name in CASES)


@pytest.mark.parametrize("name", CASES)
def test_fields_match_what_an_archivist_reads(name: str) -> None:
    got, want = fields_of(name), expected(name)
    gaps = set(want.pop(KNOWN_GAPS, []))
    wrong = {field: {"got": got.get(field), "want": value} for field, value in want.items()
             if field not in gaps and got.get(field) != value}
    assert wrong == {}


KNOWN_GAPS = "known_gaps"  # fields the extractor does not yet read right (see the README)
WITH_GAPS = [name for name in CASES if expected(name).get(KNOWN_GAPS)]


@pytest.mark.parametrize("name", WITH_GAPS)
def test_known_gaps_are_still_gaps(name: str) -> None:
    """A field that now comes out right must leave ``known_gaps``: the list stays honest."""
    got, want = fields_of(name), expected(name)
    assert [field for field in want[KNOWN_GAPS] if got.get(field) == want[field]] == []


LETTERHEAD = "GOVERNMENT OF PAKISTAN\nMINISTRY OF FEDERAL EDUCATION\n\nNo. F.2-1/2024-Admn      Islamabad, the 4th March, 2024\n\n"

CAPITAL_SUBJECTS = [
    # (subject line as printed, a body sentence, the subject an archivist writes)
    ("Subject: USE OF SOCIAL MEDIA BY GOVERNMENT SERVANTS",
     "The Government Servants (Conduct) Rules, 1964 apply to every government servant.",
     "Use of social media by government servants"),
    ("Subject: GRANT OF HOUSE RENT TO HEC EMPLOYEES",
     "The employees of the HEC shall draw house rent at the revised rates.",
     "Grant of house rent to HEC employees"),
    ("Subject: AMENDMENT IN THE CIVIL SERVANTS ACT, 1973",
     "Section 25 of the Civil Servants Act, 1973 empowers the President to make rules.",
     "Amendment in the Civil Servants Act, 1973"),
    ("Subject: TRANSFER OF OFFICERS POSTED AT LAHORE",
     "The officers posted at stations in the province shall be transferred as under.",
     "Transfer of officers posted at Lahore"),
    ("Subject: GRANT OF ADHOC RELIEF ALLOWANCE-2023 TO CIVIL EMPLOYEES",
     "The Governor is pleased to sanction Adhoc Relief Allowance-2023 to all civil employees.",
     "Grant of Adhoc Relief Allowance-2023 to civil employees"),
    ("Subject: PAYMENT OF SPECIAL ALLOWANCE",
     "Special Allowance shall be paid monthly to the officers of the Ministry.",
     "Payment of special allowance"),
    ("Subject: Leave of officers of the ESTABLISHMENT DIVISION",
     "Officers shall apply for leave in advance.",
     "Leave of officers of the ESTABLISHMENT DIVISION"),
]


@pytest.mark.parametrize(("subject", "body", "expected_subject"), CAPITAL_SUBJECTS)
def test_a_subject_in_capitals_keeps_its_proper_names(subject: str, body: str,
                                                     expected_subject: str) -> None:
    text = f"{LETTERHEAD}{subject}\n\n{body}\n\n2. This issues with the approval of the competent authority.\n"
    assert extract_fields(text).fields["subject"] == expected_subject


def test_the_last_item_of_a_list_ends_where_the_next_paragraph_begins() -> None:
    text = (f"{LETTERHEAD}Subject: Attendance\n\n"
            "It has been observed that the officers and staff of this Ministry do not attend\n"
            "office in time. All officers are therefore directed to:\n"
            "(i) attend office by 9 A.M.;\n(ii) not leave headquarters without permission.\n\n"
            "Violation of these instructions shall attract disciplinary action under the rules\n"
            "applicable to the officers and staff concerned, without further notice.\n\n"
            "(Ahmed Ali)\nSection Officer (Admn)\n")
    items = extract_fields(text).fields["instructions"]
    assert [i["text"] for i in items] == ["attend office by 9 A.M.;",
                                          "not leave headquarters without permission."]


def test_an_item_wrapped_over_lines_stays_whole() -> None:
    text = (f"{LETTERHEAD}Subject: Attendance\n\n"
            "It has been observed that the officers and staff of this Ministry do not attend\n"
            "office in time. All officers are therefore directed to:\n"
            "(i) attend office by 9 A.M. and mark their attendance in the\nbiometric system;\n"
            "(ii) not leave headquarters without permission.\n\n"
            "Violation of these instructions shall attract disciplinary action under the rules\n"
            "applicable to the officers and staff concerned, without further notice.\n\n"
            "(Ahmed Ali)\nSection Officer (Admn)\n")
    items = extract_fields(text).fields["instructions"]
    assert items[0]["text"] == "attend office by 9 A.M. and mark their attendance in the biometric system;"


def test_specks_after_the_date_line_do_not_make_it_the_body() -> None:
    text = ("GOVERNMENT OF SINDH\nSCHOOL EDUCATION & LITERACY DEPARTMENT\n\n"
            "- Karachi, dated the 4th March, 2024 De ates lig ana sree\n\nORDER i 8\n"
            "No. SO(G-I)SE&LD/4-19/2024. In pursuance of the Sindh Government Servants (Efficiency and\n"
            "Discipline) Rules, 1973, Mr. Ghulam Hyder Soomro, Headmaster (BPS-17), is hereby placed\n"
            "under suspension with immediate effect.\n")
    fields = extract_fields(text).fields
    assert (fields["document_type"], fields["date"], fields["place"]) == ("order", "2024-03-04", "Karachi")
