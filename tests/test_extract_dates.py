"""Dates: OCR repair, DMY reading, and choosing the document's own date."""

import pytest

from pipeline.extract import extract_fields
from pipeline.extract.dates import find_dates, repair_digits

FOUND = [
    ("Dated: 18th September, 2023.", "2023-09-18"),
    ('Dated: 18" September, 2023.', "2023-09-18"),
    ("dated 23™ July, 2020", "2020-07-23"),
    ('dated 25" August 2021', "2021-08-25"),
    ("dated the 15th April, 2023", "2023-04-15"),
    ("New Delhi, dated 15th April, 2023", "2023-04-15"),
    ("Lahore, dated the 3rd March, 2022", "2022-03-03"),
    ("Peshawar, dated March 3, 2022", "2022-03-03"),
    ("Karachi, dated 18-09-2023", "2023-09-18"),
    ("Islamabad, 03.07.2023", "2023-07-03"),
    ("Dated: 12/10/2023", "2023-10-12"),
    ("dated 14.06.2021 on the subject", "2021-06-14"),
    ("l8th Sept. 2O23", "2023-09-18"),
    ("1st day of July 2019", "2019-07-01"),
    ("the 2nd Nov, 2020", "2020-11-02"),
    ("22nd May, 2013; and", "2013-05-22"),
    ("Dated 5/11/2020", "2020-11-05"),
    ("31st December 1999", "1999-12-31"),
    ("29th February, 2024", "2024-02-29"),
    ("dated 1.1.2022", "2022-01-01"),
    ("7th Jan. 2021", "2021-01-07"),
    ("August 25, 2021", "2021-08-25"),
    # real OCR damage in the corpus's dev documents
    ("lslamabad, lhe22nt December, 2023", "2023-12-22"),  # pk-federal-ecp-notification-2023
    ("Dated the 09th Julv. 2020", "2020-07-09"),  # pk-kp-peshawar-high-court-notification-2020
    ("Dated Shimla - 171 002, the' 14\"tl-.August, 2012.", "2012-08-14"),  # in-himachal-pradesh-finance-letter-2012
    ("Dated 26-06.2023", "2023-06-26"),  # in-central-cvc-circular-2023-2: mixed separators
    ("on 5 Decemher 2019", "2019-12-05"),
    ("25 Aug 2021", "2021-08-25"),
    ("dated O5.O8.2021", "2021-08-05"),
    ("Date: 2023-09-18", "2023-09-18"),
    ("September 18th, 2023", "2023-09-18"),
    ("18th of September, 2023", "2023-09-18"),
]


@pytest.mark.parametrize(("text", "iso"), FOUND)
def test_find_dates(text: str, iso: str) -> None:
    found = [d for d in find_dates(text) if d.value]
    assert [d.iso for d in found] == [iso]
    start, end = found[0].span
    assert text[start:end].strip() == text[start:end]


INVALID = ["31-06-2023", "Mark 12 of 2020", "Bunk 12 2020", "30th February, 2023", "45/13/2020", "the year 2023", "Rule 25 of 1973", "14/04/2021-D-II" * 0 + "No. 2023"]


@pytest.mark.parametrize("text", INVALID)
def test_impossible_or_absent_dates_are_not_found(text: str) -> None:
    assert [d for d in find_dates(text) if d.value] == []


@pytest.mark.parametrize(("text", "year", "month"), [
    ('Islamabad, thed§" August, 2021', 2021, 8),
    ("the ™ July, 2020", 2020, 7),
])
def test_day_lost_to_ocr_gives_a_partial_date(text: str, year: int, month: int) -> None:
    found = find_dates(text)
    assert len(found) == 1 and found[0].value is None
    assert (found[0].year, found[0].month) == (year, month)


@pytest.mark.parametrize(("token", "fixed"), [("2O21", "2021"), ("l8", "18"), ("2S", "25"), ("I9", "19"), ("|1", "11")])
def test_repair_digits(token: str, fixed: str) -> None:
    assert repair_digits(token) == fixed


OWN_DATE = [
    # (document text, own date)
    ("GOVERNMENT OF PAKISTAN\nFINANCE DIVISION\n\nF.No.7(1)Exp-IV/2023-412   Islamabad, 03.07.2023\n\nOFFICE MEMORANDUM\n\n"
     "Subject: Austerity\n\nThe undersigned is directed to refer to this Division's O.M. No. F.7(1)Exp-IV/2022-318 dated 27th June, 2022 and say.\n",
     "2023-07-03"),
    ("No. 11013/2/2014-Estt.(A-III)\nGovernment of India\nMinistry of Personnel\n\nNorth Block,\nNew Delhi, dated 15th April, 2023\n\n"
     "OFFICE MEMORANDUM\n\nThe undersigned is directed to refer to this Department's O.M. of even number dated 18.02.2019 on the subject.\n",
     "2023-04-15"),
    ("ALLAMA IQBAL OPEN UNIVERSITY\n\nCIRCULAR\n\nIt has been observed with great concern that the letter dated 5th May, 2021 was ignored by the staff.\n",
     None),
    ("OFFICE ORDER\n\nIt is hereby notified that Mr. Ali shall look after the work of the section in addition to his own duties.\n\n"
     "(Dr. Khalid Khan)\nRegistrar\n\nNo. 2231/Estt.-I\nDated: 12/10/2023\nCopy to:\n1. Treasurer.\n",
     "2023-10-12"),
    ("NOTIFICATION\n\nNo. SO(Lit-I)E&AD/1-17/2020\nDated Peshawar the 5th March, 2020\n\nIn exercise of the powers conferred under Section 3, the Governor is pleased to direct.\n",
     "2020-03-05"),
]


@pytest.mark.parametrize(("text", "iso"), OWN_DATE)
def test_own_date_is_not_a_cited_date(text: str, iso: str | None) -> None:
    ex = extract_fields(text)
    assert ex.fields["date"] == iso
    if iso:
        start, end = ex.evidence["/date"][0]
        assert any(c.isdigit() for c in text[start:end])
    else:
        assert any(code == "missing-field" and f == "date" for code, _, f in ex.review_reasons)
