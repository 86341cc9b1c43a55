"""Splitting a file's text into documents: boundaries found, single documents never split."""

from pathlib import Path

import pytest

from pipeline.split import split_documents

EXAMPLE = Path("/work/shared/examples/ocr-output-two-circulars.txt")
GOLD = Path("/work/shared/examples/gold")

PARA = ("The undersigned is directed to state that the competent authority has been pleased to decide\n"
        "that the instructions issued on the subject shall be followed strictly by all concerned offices.\n\n")

TWO_PAGE_MEMO = (
    "GOVERNMENT OF PAKISTAN\nMINISTRY OF INTERIOR\n\nF.No.3/12/2022-Admn     Islamabad, the 9th May, 2022\n\n"
    "OFFICE MEMORANDUM\n\nSubject: SECURITY OF OFFICES\n\n" + PARA + "2. " + PARA + "3. " + PARA +
    "-2-\n\f\nF.No.3/12/2022-Admn\n\n4. " + PARA + "5. " + PARA +
    "(MUHAMMAD ASLAM)\nDEPUTY SECRETARY (ADMN)\nGOVERNMENT OF PAKISTAN\n\nF.No.3/12/2022-Admn    Islamabad, the 9th May, 2022\n"
    "Copy forwarded to:\n1. The Secretary, Government of the Punjab, Lahore.\n2. GOVERNMENT OF SINDH, Karachi.\n"
)
INDIAN_OM = (
    "No. 11013/2/2014-Estt.(A-III)\nGovernment of India\nMinistry of Personnel, Public Grievances & Pensions\n"
    "Department of Personnel & Training\n\nNorth Block, New Delhi\nDated the 15th April, 2023\n\nOFFICE MEMORANDUM\n\n"
    "Subject: Conduct of Government servants.\n\n" + PARA + "2. " + PARA +
    "(Rajesh Kumar Sharma)\nUnder Secretary to the Government of India\n\nTo\nAll Ministries/Departments of the Government of India.\n\n"
    "Copy to:\n1. The Comptroller and Auditor General of India, New Delhi.\n"
)
NOTIFICATION_WITH_ORDER_WORDS = (
    "GOVERNMENT OF THE PUNJAB\nSERVICES & GENERAL ADMINISTRATION DEPARTMENT\n\nNo.SOR-I(S&GAD)1-12/2019  Lahore, dated the 3rd March, 2022\n\n"
    "NOTIFICATION\n\n" + PARA + "ORDER\n\nBY ORDER OF THE GOVERNOR OF THE PUNJAB\n\n(NADEEM AKHTAR)\nSECRETARY (REGULATIONS)\n\n"
    "No. & date even.\nA copy is forwarded for information to:-\n1. All Administrative Secretaries, GOVERNMENT OF THE PUNJAB.\n"
)
UNIVERSITY = (
    "UNIVERSITY OF THE PUNJAB\nRegistrar's Office\n\nNo. 2231/Estt.-I     Dated: 12/10/2023\n\nOFFICE ORDER\n\n" + PARA +
    "(Dr. Muhammad Khalid Khan)\nRegistrar\n\nNo. 2231/Estt.-I\nCopy to:-\n1. Dean, Faculty of Science.\n2. Treasurer.\n"
)
LETTER = (
    "GOVERNMENT OF KHYBER PAKHTUNKHWA\nESTABLISHMENT DEPARTMENT\n\nNo. SO(Reg-VI)E&AD/1-5/2021   Peshawar, dated March 3, 2022\n\n"
    "To\n    All Administrative Secretaries.\n\nSubject: PENDING CASES\n\nDear Sir,\n\nI am directed to refer to this Department's CIRCULAR\n"
    "No. SO(Reg-VI)E&AD/1-4/2021 dated 14.06.2021 and to say that " + PARA + "Yours faithfully,\n\n(Kamran Ahmad)\nSection Officer (Reg-VI)\n\n"
    "cc:\n1. PS to Chief Secretary, GOVERNMENT OF KHYBER PAKHTUNKHWA.\n"
)
SIGNED_IN_CAPITALS = (
    "GOVERNMENT OF SINDH\nSERVICES, GENERAL ADMINISTRATION & COORDINATION DEPARTMENT\n\nKarachi, dated 18-09-2023\n\nNOTIFICATION\n\n"
    "NO.SOI(SGA&CD)3-12/2023: " + PARA + "CHIEF SECRETARY SINDH\n\nNO.SOI(SGA&CD)3-12/2023     Karachi, dated 18-09-2023\n"
    "A copy is forwarded for information and necessary action to:-\n1. The Accountant General Sindh, Karachi.\n"
)

SINGLE_DOCUMENTS = [TWO_PAGE_MEMO, INDIAN_OM, NOTIFICATION_WITH_ORDER_WORDS, UNIVERSITY, LETTER, SIGNED_IN_CAPITALS,
                    (GOLD / "aiou-circular-2023.txt").read_text(encoding="utf-8"),
                    (GOLD / "estab-om-2021.txt").read_text(encoding="utf-8"),
                    "Just one line of text with no structure at all.", "CIRCULAR\n\n" + PARA]


@pytest.mark.parametrize("text", SINGLE_DOCUMENTS)
def test_a_single_document_is_never_split(text: str) -> None:
    assert split_documents(text) == [(0, len(text))]


def test_the_example_file_splits_at_government_of_pakistan() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    spans = split_documents(text)
    assert len(spans) == 2
    assert text[spans[1][0]:].lstrip().startswith("GOVERNMENT OF PAKISTAN")
    assert text[spans[0][0]:spans[0][1]].startswith("ALLAMA IQBAL OPEN UNIVERSITY")


PAIRS = [(a, b) for a in SINGLE_DOCUMENTS[:8] for b in SINGLE_DOCUMENTS[:8] if a is not b][:24]


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_two_documents_one_after_the_other(first: str, second: str) -> None:
    for sep in ("\n", "\n\f\n"):
        text = first + sep + second
        spans = split_documents(text)
        assert [text[s:e].strip() for s, e in spans] == [first.strip(), second.strip()]


def test_three_documents_and_spans_cover_the_text() -> None:
    text = UNIVERSITY + LETTER + INDIAN_OM
    spans = split_documents(text)
    assert len(spans) == 3
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))


def test_ocr_damaged_letterhead_still_opens_a_document() -> None:
    damaged = TWO_PAGE_MEMO.replace("GOVERNMENT OF PAKISTAN\nMINISTRY", "G0VERNMENT OF PAKlSTAN\nMINISTRY", 1)
    spans = split_documents(UNIVERSITY + damaged)
    assert len(spans) == 2


def test_document_without_letterhead_opens_at_its_number_and_heading() -> None:
    second = "No. 5/7/2023-Admn    Islamabad, the 2nd June, 2023\n\nOFFICE ORDER\n\n" + PARA
    spans = split_documents(UNIVERSITY + second)
    assert len(spans) == 2
    assert (UNIVERSITY + second)[spans[1][0]:].startswith("No. 5/7/2023-Admn")


def test_empty_text_is_one_empty_span() -> None:
    assert split_documents("") == [(0, 0)]
