"""The aligner: line labels from a document's fields (pipeline/structure/align.py), table-driven."""

from __future__ import annotations

import pytest

from pipeline.extract._text import split_lines
from pipeline.structure.align import align_lines, locate

LETTER = """No. EO(S&GAD)Policy/2009/688
GOVERNMENT OF THE PUNJAB
SERVICES AND GENERAL ADMINISTRATION
DEPARTMENT (ESTATE OFFICE)
Dated Lahore, the 07th May 2018
To
1. The Chairman, Planning & Development Department.
2. The Senior Member, Board of Revenue, Punjab.
Subject: ALLOTMENT POLICY OF S&GAD, 1997, AMENDED UPTO 2018
Sir,
The Governor, of Punjab, has been pleased to approve amendments in the Allotment Policy of the Government.
-sd-
(MUHAMMAD AKMAL) ESTATE OFFICER
Govt. of the Punjab
No. & Date Even:
A copy is forwarded for information to:-
(i) The Secretary (Services), Government of the Punjab, S&GAD.
(ii) The PSO to Chief Secretary, Punjab.
- 2 -
"""
FIELDS = {
    "issuer": {"organization": "Government of the Punjab",
               "department": "Services and General Administration Department (Estate Office)"},
    "reference_number": "No. EO(S&GAD)Policy/2009/688", "date": "2018-05-07",
    "subject": "ALLOTMENT POLICY OF S&GAD, 1997, AMENDED UPTO 2018",
    "signatories": [{"name": "MUHAMMAD AKMAL", "designation": "ESTATE OFFICER, Govt. of the Punjab"}],
    "addressees": ["The Chairman, Planning & Development Department", "The Senior Member, Board of Revenue, Punjab"],
    "distribution": ["The Secretary (Services), Government of the Punjab, S&GAD", "The PSO to Chief Secretary, Punjab"],
}


@pytest.mark.parametrize(("line", "label"), [
    ("No. EO(S&GAD)Policy/2009/688", "number_line"),
    ("GOVERNMENT OF THE PUNJAB", "letterhead"),
    ("DEPARTMENT (ESTATE OFFICE)", "letterhead"),
    ("Dated Lahore, the 07th May 2018", "date_line"),
    ("To", "addressee"),
    ("2. The Senior Member, Board of Revenue, Punjab.", "addressee"),
    ("Subject: ALLOTMENT POLICY OF S&GAD, 1997, AMENDED UPTO 2018", "subject"),
    ("Sir,", "salutation"),
    ("The Governor, of Punjab, has been pleased", "body"),
    ("-sd-", "signature"),
    ("(MUHAMMAD AKMAL) ESTATE OFFICER", "signature"),
    ("Govt. of the Punjab", "signature"),
    ("No. & Date Even:", "endorsement"),
    ("A copy is forwarded for information to:-", "copy_heading"),
    ("(ii) The PSO to Chief Secretary, Punjab.", "distribution"),
    ("- 2 -", "furniture"),
])
def test_letter_lines(line, label):
    labels = dict((ln.stripped, lab) for ln, lab in zip(split_lines(LETTER), align_lines(LETTER, FIELDS)))
    got = next(lab for text, lab in labels.items() if text.startswith(line))
    assert got == label


def test_blank_lines_have_no_label():
    text = "CIRCULAR\n\nAll offices are informed.\n"
    assert align_lines(text, {}) == ["heading", None, "body", None]


INSTRUCTED = """NOTIFICATION
1. In exercise of the powers conferred by the Act, the Governor is pleased to direct that:
(i) offices shall open at 8 a.m.;
(ii) offices shall close at 2 p.m.
2. This shall take effect at once.
"""


@pytest.mark.parametrize(("fields", "expected"), [
    ({"instructions_count": 2}, ["heading", "body", "instruction", "instruction", "body", None]),
    ({}, ["heading", "body", "body", "body", "body", None]),
])
def test_instructions_follow_the_marker_style_of_the_gold_count(fields, expected):
    assert align_lines(INSTRUCTED, fields) == expected


@pytest.mark.parametrize(("text", "value", "found"), [
    ("No. F.2 (49)/88-S.II\nDated", "No.F.2(49)/88-S.II", "No. F.2 (49)/88-S.II"),  # spacing
    ("Subject: USE OF SOCIAL\nMEDIA BY STAFF", "Use of social media by staff", "USE OF SOCIAL\nMEDIA BY STAFF"),
    ("The Secretray, Finance Departrnent, Lahore.", "The Secretary, Finance Department, Lahore",
     "The Secretray, Finance Departrnent, Lahor"),  # OCR damage: fuzzy, the line found
    ("To All", "Al", None),  # too short to place
])
def test_locate(text, value, found):
    spans = locate(text, value)
    assert (text[spans[0][0]:spans[0][1]] if spans else None) == found
