"""Table cases for own numbers, own dates and references in the forms real documents print
(issue 14, round 2).

Each case is a short excerpt in the shape of a `dev` document of the real corpus
(corpus/docs, the office named in the id) and what an archivist reads from it. The `test`
split's documents are never used here.
"""

from __future__ import annotations

import pytest

from corpus.score import reference_item, same_number
from pipeline.extract import extract_fields
from pipeline.extract.dates import find_dates
from pipeline.extract.refnum import find_reference_numbers


def fields(text: str) -> dict:
    return extract_fields(text).fields


OWN_NUMBERS = [
    # bd-btrc-order-2005: a bare 'Ref:' label, no 'No.'
    ("Tariff Directives Order\nRef: BTRC/SS/Tariff/2002/4\nDate: 09 January 2005\n"
     "Subject: Decision of the Commission to the Operators.\n\n"
     "Reference to the above subject the undersigned is directed to inform that the Commission has decided.\n",
     "Ref: BTRC/SS/Tariff/2002/4"),
    # fj-psc-circular-2013: the label in a column beside the addressee
    ("CIRCULAR MEMORANDUM\nTo:      Permanent Secretaries and Heads of Departments                Ref:PSC 7/7/1\n\n"
     "Subject: TRAINING FOR MIDDLE MANAGERS                         Date:20.08.13\n"
     "1.0         Addressees are hereby duly advised that the training will be conducted over a four week period.\n",
     "Ref:PSC 7/7/1"),
    # ng-cbn-circular-2017: after the telephone numbers of the letterhead
    ("CENTRAL BANK OF NIGERIA Corporate Head Office, Garki, Abuja\n\n"
     "Website: www.cenbank.org Tel: 0946236700, 0946236703 Ref: FMD/DIR/CIR/GEN/08/006 March 3, 2017 "
     "TO ALL AUTHORISED DEALERS UPDATE TO FOREIGN EXCHANGE DIRECTIVES In view of the CBN's willingness "
     "to meet FX demand in the market, all banks are hereby directed as follows:\n",
     "Ref: FMD/DIR/CIR/GEN/08/006"),
    # ug-law-council-notification-2011: a gazette's notice serial under the masthead
    ("THE REPUBLIC OF UGANDA Uganda Gazette Published Vol. CIV No. 61 14th October, 2011 Price: Shs. 1500\n\n"
     "General Notice No. 577 of 2011. THE ADVOCATES ACT, CAP. 267. NOTICE OF APPLICATION FOR A CERTIFICATE "
     "OF ELIGIBILITY. It is hereby notified that an application has been presented to the Law Council.\n",
     "General Notice No. 577 of 2011"),
    # ke-president-notification-2013: an all-digit serial after 'GAZETTE NOTICE NO.'
    ("GAZETTE NOTICE NO. 15636\nTHE CONSTITUTION OF KENYA, 2010\nAPPOINTMENT OF CABINET SECRETARIES\n"
     "CORRIGENDUM\n\nIN Gazette Notice No. 6466 of 2013, amend the name of the last name in the list.\n\n"
     "Dated the 17th December, 2013.\n\nUHURU KENYATTA,\nPresident.\n",
     "GAZETTE NOTICE NO. 15636"),
]


@pytest.mark.parametrize(("text", "expected"), OWN_NUMBERS)
def test_own_number(text: str, expected: str) -> None:
    got = fields(text)["reference_number"]
    assert got is not None and same_number(expected, got), got


OWN_DATES = [
    # fj-psc-circular-2013: 'Date:' in a column beside the subject line, a two-digit year
    ("CIRCULAR MEMORANDUM\nTo:      Permanent Secretaries and Heads of Departments                Ref:PSC 7/7/1\n\n"
     "Subject: TRAINING FOR MIDDLE MANAGERS                         Date:20.08.13\n"
     "1.0         Addressees are advised that the training will be conducted from 01/10/2013 – 05/11/2013.\n",
     "2013-08-20"),
    # in-nagaland-land-revenue-om-1991: a year cut to two digits after an apostrophe
    ("GOVERNMENT OF NAGALAND\nLAND REVENUE DEPARTMENT\nNO. LR/16-37/72 Dated Kohima, the 7th March '91.\n"
     "OFFICE MEMORANDUM\n1. In partial modification of this Deptt. O.M. NO. LR/16-37/72 dt.6-5-80, the Governor "
     "of Nagaland is pleased to state that land shall be leased out.\n", "1991-03-07"),
]


@pytest.mark.parametrize(("text", "expected"), OWN_DATES)
def test_own_date(text: str, expected: str) -> None:
    assert fields(text)["date"] == expected


REFERENCES = [
    # in-nagaland-land-revenue-om-1991: the own file number cited with an earlier date
    (OWN_DATES[1][0], ["lr/16/37/72@1980-05-06"]),
    # in-odisha-gapg-om-2019: the endorsement above a copy list is the document's own
    ("GOVERNMENT OF ODISHA\nGENERAL ADMINISTRATION DEPARTMENT\nBhubaneswar, Dated, the 22nd June, 2019.\n"
     "OFFICE MEMORANDUM\nSubject: Rescheduling of working hours.\n"
     "Government hereby declares fourth Saturday of every month as a general holiday for all State Government "
     "employees with immediate effect.\nBy Order of Governor\nSpecial Secretary to Government\n"
     "Memo No. 17153 /Gen., Bhubaneswar, dated the 22nd June, 2019\n"
     "Copy forwarded to the Director, Printing, Stationary & Publication, Odisha, Cuttack.\n", []),
    # in-west-bengal-wbbse-notification-2014: the own number extended for the endorsement
    ("West Bengal Board of Secondary Education\n\nNo : 160/Admin/14             Date: 26/09/2014\n\nNOTIFICATION\n\n"
     "     In cancellation of Notification No. 159/Admin/14 dated 25/09/2014 all schools will reopen on "
     "27th October, 2014 after Puja holidays.\n\n          Administrator\n\n"
     "Memo No: 160/Admin/14/1(10)              Date: 26/09/2014\n", ["159/admin/14@2014-09-25"]),
]


@pytest.mark.parametrize(("text", "expected"), REFERENCES)
def test_references(text: str, expected: list[str]) -> None:
    assert [reference_item(r) for r in fields(text)["references"]] == expected


NOT_NUMBERS = [
    # bd-mujibnagar-cabinet-letter-1971: a label before the cited paper's words
    "Ref: Your memo No. FIN/39/71/430 dated 13.11.71",
    # an addressee's own reference is not the document's
    "Your Ref: ABC/12/2020",
    # gb-scottish-government-circular-2013: a bare serial with no parts
    "Our ref: A4724010 7 February 2013",
    # a date after the label is no number
    "Ref: 12/05/2020",
]


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_label_without_number(text: str) -> None:
    assert all("fin/39" in r.key for r in find_reference_numbers(text, labelled=True)), text


def test_cited_gazette_notice_is_not_own() -> None:
    # a corrigendum's 'IN Gazette Notice No. ...' cites the notice it corrects
    text = "CORRIGENDUM\n\nIN Gazette Notice No. 6466 of 2013, amend the name in the list.\n"
    got = fields(text)["reference_number"]
    assert got is None or not same_number("No. 6466 of 2013", got)


def test_apostrophe_is_not_a_year_elsewhere() -> None:
    assert find_dates("it's 7 May 'twas") == []
