"""The structure model's zones read where the rules find nothing (pipeline/extract/zones.py),
and the line features and alignment conventions the model learns them from, table-driven.

Zone cases give the model's labels and marginals by hand (``LabelledLine``), so they test the
reading of a zone, not one trained model; each excerpt has the shape of the dev document named.
"""

from __future__ import annotations

import pytest

from pipeline.extract._text import split_lines
from pipeline.extract.zones import (
    ZONE_CONFIDENCE, ZONE_THRESHOLDS, addressees_in_zones, distribution_in_zones, signatories_in_zones, zone_blocks,
)
from pipeline.structure import LabelledLine
from pipeline.structure.align import align_lines
from pipeline.structure.features import content_lines, line_features


def _labelled(text: str, labels: list[tuple[str, float]]) -> list[LabelledLine]:
    """One (label, probability) per non-blank line of ``text``."""
    kept = content_lines(text)
    assert len(kept) == len(labels)
    return [LabelledLine(i, line.content_span, line.stripped, label, p) for (i, line), (label, p) in zip(kept, labels)]


SURE = max(ZONE_THRESHOLDS.values()) + 0.01
UNSURE = min(ZONE_THRESHOLDS.values()) - 0.05

# bd-bb-dos-circular-2018: recipients printed under the number with no 'To'
BANK = """DOS Circular Letter No. 23 Date:07/10/2018
Chief Executives
All Scheduled banks in Bangladesh
Cash Reserve Ratio (CRR) and Statutory Liquidity Ratio (SLR)
"""
# in-central-dop-budget-letter-2010: a copy list whose items the rules did not take
COPIES = """Copy to :
1. Chief Postmaster General, Maharashtra Circle
2. DDG (CP), Postal Directorate, Dak Bhavan, New Delhi
"""
# in-central-rbi-circular-2013: a bracketed name over a designation
SIGNED = """Yours faithfully
(Prakash Chandra Sahoo)
Chief General Manager
"""


@pytest.mark.parametrize(("text", "labels", "reader", "expected"), [
    (BANK, [("number_line", 0.99), ("addressee", SURE), ("addressee", SURE), ("subject", 0.9)],
     addressees_in_zones, ["Chief Executives", "All Scheduled banks in Bangladesh"]),
    (COPIES, [("copy_heading", 0.99), ("distribution", SURE), ("distribution", SURE)], distribution_in_zones,
     ["Chief Postmaster General, Maharashtra Circle", "DDG (CP), Postal Directorate, Dak Bhavan, New Delhi"]),
    # ke-moe-circular-2022: 'TO:' and its recipient on one line: the label is not a recipient
    ("TO: All County Directors of Education\n", [("addressee", SURE)], addressees_in_zones,
     ["All County Directors of Education"]),
    # negative: the model not sure enough reads nothing
    (BANK, [("number_line", 0.99), ("addressee", UNSURE), ("addressee", UNSURE), ("subject", 0.9)],
     addressees_in_zones, []),
    # negative: a zone of the other label is not read as this one
    (COPIES, [("copy_heading", 0.99), ("distribution", SURE), ("distribution", SURE)], addressees_in_zones, []),
    # negative: a 'To' alone is a label, no recipient
    ("To\n", [("addressee", SURE)], addressees_in_zones, []),
])
def test_list_zones(text, labels, reader, expected):
    items = reader(split_lines(text), text, _labelled(text, labels), wrap_at=60)
    assert [i.text for i in items] == expected
    assert all(i.confidence <= ZONE_CONFIDENCE for i in items)


@pytest.mark.parametrize(("labels", "expected"), [
    ([("signature", SURE)] * 3, [("Prakash Chandra Sahoo", "Chief General Manager")]),
    ([("signature", SURE), ("body", 0.9), ("body", 0.9)], []),  # negative: the zone holds no name or title
    ([("signature", UNSURE)] * 3, []),  # negative: not sure
])
def test_signature_zones(labels, expected):
    _signature_zone(SIGNED, labels, expected)


def test_a_designation_line_is_no_name():
    # ph-deped-calapan-memorandum-2022: two title lines, no name, in a signature zone
    text = "Education Program Supervisor\nOfficer-In-charge\n"
    _signature_zone(text, [("signature", SURE)] * 2, [])


def _signature_zone(text: str, labels: list[tuple[str, float]], expected: list) -> None:
    found = signatories_in_zones(split_lines(text), _labelled(text, labels))
    assert [(s.name, s.designation) for s in found] == expected
    assert all(s.confidence <= ZONE_CONFIDENCE for s in found)


def test_zone_blocks_are_runs_of_sure_lines():
    text = "a\nb\nc\nd\n"
    labelled = _labelled(text, [("addressee", SURE), ("addressee", SURE), ("body", 0.99), ("addressee", SURE)])
    assert zone_blocks(labelled, "addressee", SURE - 0.01) == [[0, 1], [3]]


# --- features and alignment the zones are learned from ---------------------------------------

# in-central-dea-circular-2015: the To list printed under the signature; the copy list after it
FOOT = """2. The Budget Circular is being issued about 2 months in advance to ensure wider consultations.
(Dr. Rajat Bhargava)
Joint Secretary(Budget)
To
1. All Financial Advisers (By Name)
Copy to :
1. PPS to Principal Secretary
2. Director (Budget)
"""


def _features(text: str, prefix: str) -> dict:
    lines = [line.stripped for _, line in content_lines(text)]
    return line_features(text)[next(i for i, line in enumerate(lines) if line.startswith(prefix))]


@pytest.mark.parametrize(("prefix", "expected"), [
    ("(Dr. Rajat", {"under": "body", "vs_body": "foot", "gaz:designation": None}),
    ("Joint Secretary", {"gaz:designation": 1.0, "after_body": "le2"}),
    ("1. All Financial", {"under": "to", "marker_seq": "first"}),
    ("1. PPS", {"under": "copy", "marker_seq": "first", "from_end": "le1"}),
    ("2. Director", {"under": "copy", "marker_seq": "cont", "from_end": "le0", "short_run": "gt4"}),
    ("2. The Budget", {"vs_body": "in", "short_run": "le0", "name": "False"}),
])
def test_foot_features(prefix, expected):
    features = _features(FOOT, prefix)
    assert {k: features.get(k) for k in expected} == expected


@pytest.mark.parametrize(("line", "is_name"), [
    ("MD. SHAMSUL HAQUE CHISHTY", True),  # bd-establishment-notification-1985
    ("Nerreah A. Olick", True),  # ke-moe-circular-2022
    ("(T. Srinivas)", True),  # in-central-railway-board-letter-2023
    ("Government of India", False),  # a gazetteer office, not a person
    ("All Heads of Circles.", False),
])
def test_name_shape(line, is_name):
    assert _features(line + "\n", line[:5])["name"] == str(is_name)


# dev shapes the aligner labels by convention (Hindi/English letterhead under the number,
# 'Madam/Sir,' salutations, 'Sincerely yours,', 'CC:' headings)
ALIGN = """No. Q-25/11/2022-PE-I-DOP
Government of India
Ministry of Communications
Department of Posts
Dated: 16th November, 2022
To,
All Heads of Circles.
Subject: Merger of PA (SBCO) and PA (FPO) with PA (PO) regarding.
Madam/Sir,
As you are aware, the proposal for merger of the cadres was under consideration of the Directorate.
Sincerely yours,
(Tarun Mittal)
CC:
1. Chairman's Office/UGC
"""
ALIGN_FIELDS = {
    "reference_number": "No. Q-25/11/2022-PE-I-DOP", "date": "2022-11-16",
    "subject": "Merger of PA (SBCO) and PA (FPO) with PA (PO) regarding.",
    "issuer": {"organization": "Government of India", "department": "Department of Posts"},
    "addressees": ["All Heads of Circles"], "distribution": ["Chairman's Office/UGC"],
    "signatories": [{"name": "Tarun Mittal", "designation": "Chairman"}],
}


@pytest.mark.parametrize(("line", "label"), [
    ("Ministry of Communications", "letterhead"),  # in-central-dop-pe1-letter-2022
    ("Madam/Sir,", "salutation"),  # in-central-dop-pe1-letter-2022, in-central-epfo-letter-2024
    ("Sincerely yours,", "signature"),  # bd-bb-dos-circular-2018
    ("CC:", "copy_heading"),  # pk-federal-nepra-letter-2014, pk-punjab-sed-letter-2022
    ("1. Chairman's Office/UGC", "distribution"),  # lk-ugc-circular-2007: the list's, not the signer's
])
def test_alignment_conventions(line, label):
    labels = {ln.stripped: lab for ln, lab in zip(split_lines(ALIGN), align_lines(ALIGN, ALIGN_FIELDS))}
    assert labels[line] == label


def test_subject_label_a_blank_line_above_is_the_subjects():
    # pk-punjab-finance-letter-2007: 'Subject:' alone, a blank line, then the subject
    text = "No. FD(FR)II-5/82(Main)\nSubject:\n\nDECLARATION OF DISTRICT MONITORING OFFICERS\nPlease refer to it.\n"
    labels = align_lines(text, {"subject": "DECLARATION OF DISTRICT MONITORING OFFICERS"})
    assert labels[1] == labels[3] == "subject"
