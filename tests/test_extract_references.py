"""References to earlier documents: number, date, issuer, kind; even-number and date-only forms."""

import pytest

from pipeline.extract import extract_fields

HEADER = ("GOVERNMENT OF PAKISTAN\nESTABLISHMENT DIVISION\n\nF.No.1/2/2023-E-II      Islamabad, the 5th May, 2023\n\n"
          "OFFICE MEMORANDUM\n\nSubject: Leave rules\n\n")
INDIA = ("No. 11013/2/2014-Estt.(A-III)\nGovernment of India\nMinistry of Personnel, Public Grievances & Pensions\n"
         "Department of Personnel & Training\n\nNorth Block, New Delhi\nDated the 15th April, 2023\n\nOFFICE MEMORANDUM\n\n")

CASES = [
    (HEADER, "Kindly refer to this Division's Circular No. 1/20/1976-D-3 dated 23rd July, 2020 whereby detailed instructions were issued.",
     [{"reference_number": "No.1/20/1976-D-3", "date": "2020-07-23", "issuer": "Establishment Division", "kind": "circular"}]),
    (HEADER, "Attention of all is invited to Cabinet Secretariat (Establishment Division) letter F.No.14/04/2021-D-ll\ndated 25\" August 2021, on use of social media.",
     [{"reference_number": "F.No.14/04/2021-D-II", "date": "2021-08-25", "issuer": "Cabinet Secretariat (Establishment Division)", "kind": "letter"}]),
    (INDIA, "The undersigned is directed to refer to this Department's O.M. of even number dated\n18.02.2019 on the above subject and to say that instances have come to notice.",
     [{"reference_number": None, "date": "2019-02-18", "issuer": "Department of Personnel & Training", "kind": "office_memorandum"}]),
    (INDIA, "Cases shall be dealt with as per this Department's O.M. No. 13026/3/2012-Estt.(Leave) dated\n22nd May, 2013; and nothing else shall be followed by the offices.",
     [{"reference_number": "No.13026/3/2012-Estt.(Leave)", "date": "2013-05-22", "issuer": "Department of Personnel & Training", "kind": "office_memorandum"}]),
    (HEADER, "In supersession of the Finance Division's O.M. No. F.7(1)Exp-IV/2022-318 dated 27th June, 2022 the following shall apply to all.",
     [{"reference_number": "No.F.7(1)Exp-IV/2022-318", "date": "2022-06-27", "issuer": "Finance Division", "kind": "office_memorandum"}]),
    (HEADER, "The instructions contained in all previous circulars and letters on the subject stand withdrawn with immediate effect.", []),
    (HEADER, "Reference your letter dated 5th May, 2021 on the subject cited above, the matter has been examined in detail.",
     [{"reference_number": None, "date": "2021-05-05", "issuer": None, "kind": "letter"}]),
    (HEADER, "Please refer to Notification No. SOR-I(S&GAD)1-12/2019 dated 14.11.2019 and Notification No. SOR-I(S&GAD)1-12/2019 dated 14.11.2019 again.",
     [{"reference_number": "No.SOR-I(S&GAD)1-12/2019", "date": "2019-11-14", "issuer": None, "kind": "notification"}]),
    (HEADER, "This is in continuation of this office Office Order No. 1874/Estt.-I dated 03.08.2023, and with approval of the authority concerned.",
     [{"reference_number": "No.1874/Estt.-I", "date": "2023-08-03", "issuer": "Establishment Division", "kind": "office_order"}]),
    (HEADER, "The D.O. letter No. 4-5/2022-Admn dated 1st March, 2022 from the Secretary is reproduced below for information of all.",
     [{"reference_number": "No.4-5/2022-Admn", "date": "2022-03-01", "issuer": None, "kind": "letter"}]),
    (HEADER, "As already conveyed vide letter No. 5/6/2020-B, the officers shall report for duty at the earliest possible time.",
     [{"reference_number": "No.5/6/2020-B", "date": None, "issuer": None, "kind": "letter"}]),
]


@pytest.mark.parametrize(("header", "body", "expected"), CASES)
def test_references(header: str, body: str, expected: list[dict]) -> None:
    text = header + body + "\n"
    ex = extract_fields(text)
    assert ex.fields["references"] == expected
    for i, _ in enumerate(expected):
        start, end = ex.evidence[f"/references/{i}"][0]
        assert text[start:end].strip()
    assert len(ex.keys["references"]) == len(expected)


def test_the_documents_own_number_repeated_at_the_foot_is_not_a_reference() -> None:
    text = HEADER + "The undersigned is directed to say that the leave rules have been revised in detail today.\n\n(Muhammad Ali)\nDeputy Secretary\n\nF.No.1/2/2023-E-II    Islamabad, the 5th May, 2023\nCopy to:\n1. The Secretary.\n"
    assert extract_fields(text).fields["references"] == []
