"""Table cases, round 2, for the header conventions real documents print: subject, document
type, place, and cited instruments with their provisions.

Each case is a short excerpt in the shape of a `dev` document of the real corpus (the id in
the comment) and the value an archivist reads from it (corpus/README.md conventions 5, 6 and
8). The `test` split's documents are never used here. Negative cases say what must NOT be read.
"""

from __future__ import annotations

import pytest

from pipeline.extract import extract_fields
from pipeline.extract.rules import find_cited_rules

_BODY = ("Ministries and Departments are invited to submit their proposals for the coming financial year "
         "and to state the number of vacancies in the existing grades of their offices.\n")


def fields(text: str) -> dict:
    return extract_fields(text).fields


SUBJECTS = [
    # mu-mcsar-circular-2005: an unlabelled title-case line between the To line and the body
    ("Ministry of Civil Service and Administrative Reforms\n08 December 2005\nCircular Note No 51 of 2005\n"
     "From:     Senior Chief Executive, Ministry of Civil Service\nTo:         Supervising Officers\n"
     "Establishment Proposals – Recurrent Budget 2006/2007\n" + _BODY,
     "Establishment Proposals – Recurrent Budget 2006/2007"),
    # bd-bb-dos-circular-2018: the same under the addressees, before 'Please refer to ...'
    ("BANGLADESH BANK\n\nHead Office Department of Off-site Supervision\nDhaka.\n\n"
     "DOS Circular Letter No. 23 Date:07/10/2018\n\nChief Executives\nAll Scheduled banks in Bangladesh\n\n"
     "Cash Reserve Ratio (CRR) and Statutory Liquidity Ratio (SLR)\n\n"
     "Please refer to DOS Circular No. 01, dated 19/01/2014 on the captioned subject and the instructions.\n",
     "Cash Reserve Ratio (CRR) and Statutory Liquidity Ratio (SLR)"),
    # fj-psc-circular-2013: a second column ('Date:') on the subject's line is not the subject
    ("CIRCULAR MEMORANDUM\nTo:      Permanent Secretaries and Heads of Departments                Ref:PSC 7/7/1\n\n"
     "Subject: TRAINING FOR MIDDLE MANAGERS                         Date:20.08.13\n"
     "1.0         Addressees are hereby duly advised that the third cohort of Middle Managers training will be "
     "conducted over a four week period.\n", "TRAINING FOR MIDDLE MANAGERS"),
    # in-central-northern-railway-letter-2011: a lone speck under the subject does not continue it
    ("No. 95-M/C/ICF/2011\nDated: 20.10.2011\nSub:. Running of 24 coach trains with ICF design coaches.\nI\n\n"
     "Ref: Rly. Bd. Letter No. 2007/M(C)/137/16,dated 06.09.2011.\n", "Running of 24 coach trains with ICF design coaches"),
    # in-assam-personnel-om-2006: a flattened subject does not end at an abbreviation's stop ('Asstt.')
    ("GOVERNMENT OF ASSAM DEPARTMENT OF PERSONNEL ::: PERSONNEL (B) ::: No.ABP.59/2000/54 Dated: Dispur, the "
     "23rd June, 2006 OFFICE MEMORANDUM Subject :Changing the existing nomenclature of L.D. Asstts. and "
     "U.D.Asstts. as Jr. Asstt. and Sr. Asstt. In the Dist. Offices. State Govt. have been considering for "
     "quite sometime past to change the nomenclature of the posts in all the offices of the State and the "
     "matter has been examined in consultation with the departments concerned and it has been decided "
     "that the posts shall be renamed with immediate effect in all the offices under the Government.",
     "Changing the existing nomenclature of L.D. Asstts. and U.D.Asstts. as Jr. Asstt. and Sr. Asstt. In the Dist. Offices"),
]


@pytest.mark.parametrize("text,expected", SUBJECTS)
def test_subject_in_its_printed_forms(text: str, expected: str) -> None:
    assert (fields(text)["subject"] or "").lower() == expected.lower()


NO_SUBJECT = [
    # (shape of bd-bb-brpd-circular-2011) the body's first sentence is not an unlabelled subject
    "BANGLADESH BANK\nDhaka.\nBRPD Circular No. 07 Date: 17/05/2011\n"
    "It has been observed that a number of banks are offering different banking services at the premises.\n"
    "Banks can offer the following services to their customers by executing contract with them.\n",
]


@pytest.mark.parametrize("text", NO_SUBJECT)
def test_no_subject_from_a_body_sentence(text: str) -> None:
    assert fields(text)["subject"] is None


DOCUMENT_TYPES = [
    # fj-psc-circular-2013: 'Circular Memorandum' is a circular, as a 'Memorandum Circular' is (convention 8)
    ("CIRCULAR MEMORANDUM\nTo:      Permanent Secretaries and Heads of Departments\n"
     "Subject: TRAINING FOR MIDDLE MANAGERS\nAddressees are hereby advised of the training.\n", "circular"),
    # bd-btrc-order-2005: the paper's own title line names its kind, over its To block
    ("Tariff Directives Order\nRef: BTRC/SS/Tariff/2002/4\nDate: 09 January 2005\n"
     "Subject: Decision of the Commission to the Operators.\n"
     "Reference to the above subject the undersigned is directed to inform the operators of the conditions.\n"
     "Assistant Director\nTo:\n1. Chairman, Bangladesh Telegraph and Telephone Board, Dhaka-1000.\n", "order"),
    # in-central-rbi-circular-2013: 'Master Circular- ...' under the salutation is a circular, not a letter
    ("DBOD.No.Dir.BC. 14/13.03.00/2013-14\nJuly 1, 2013\nAll Scheduled Commercial Banks\nDear Sir / Madam\n"
     "Master Circular- Loans and Advances Statutory and Other Restrictions\n"
     "Please refer to the Master Circular dated July 2, 2012 consolidating the instructions issued to banks.\n"
     "Yours faithfully\n", "circular"),
    # (heading in title case, as in-central-mole-om-2016 prints 'Office Memorandum') two-word phrases
    ("Government of India\nMinistry of Labour\nDepartment Order\nSubject: Allocation of work.\n", "order"),
    ("Government of Malawi\nMinistry of Education\nPress Release\nTEACHERS TO RESUME WORK\n", "other"),
    # (a letter-spaced heading, as pk-punjab-provincial-assembly-notification-2024 prints 'N O T I F I C A T I O N')
    ("GOVERNMENT OF THE PUNJAB\nC I R C U L A R\nSubject: Observance of school week.\n", "circular"),
    # (convention 8: a TO/FROM/SUBJECT memorandum, as gh-mof-memorandum-2024 prints it) without a heading
    ("TO:      All Heads of Departments\nFROM:    Chief Director\nDATE:    12 March 2024\n"
     "SUBJECT: ANNUAL LEAVE ROSTER FOR 2024\n\n"
     "Heads of Departments are requested to submit their annual leave rosters by 30th March 2024.\n",
     "office_memorandum"),
    # in-west-bengal-school-education-letter-2014: 'From:' above 'To:' is a letter's form, not a memorandum
    ("Government of West Bengal\nSchool Education Department\nNo. 502-SSE/14 Dated, Kolkata, the 26th September, 2014\n"
     "From: Arnab Roy,\nSecretary to the Government of West Bengal,\nTo: The President,\n"
     "West Bengal Board of Primary Education,\nSub: Re-opening of schools after Puja holidays.\n"
     "Kindly refer to the above and take necessary action in the matter.\n", "letter"),
]


@pytest.mark.parametrize("text,expected", DOCUMENT_TYPES)
def test_document_type_from_headings_titles_and_form(text: str, expected: str) -> None:
    assert fields(text)["document_type"] == expected


def test_a_lone_letter_word_in_a_reference_list_is_no_heading() -> None:
    # in-tamil-nadu-finance-order-2015: 'Letter' alone on a line of the Read: list; the G.O. is an order
    text = ("Government of Tamil Nadu\nFINANCE [Pension] DEPARTMENT\nG.O.No.190, Dated 1st July 2015.\nRead :\n"
            "3. From the Director of Stationery and Printing,\nChennai-2\nLetter\nNo.A3/1986/2014,\nDated\n"
            "18-07-2014.\n-oOoORDER:\nIn the Government Order first read above, orders were issued for honouring "
            "officials.\n")
    assert fields(text)["document_type"] != "letter"


PLACES = [
    # gb-hmt-letter-2020: the letterhead's postal address, the town before its postcode
    ("HM Treasury 1 Horse Guards Road London SW1A 2HQ\n\nDAO 04/20\n23 December 2020\n"
     "Accounts Directions 2020-21 Dear Accounting Officer\n" + _BODY, "London"),
    # gb-scottish-government-circular-2024: 'Victoria Quay, Edinburgh, EH6 6QQ'
    ("Local Government and Analytical Services Division Area 3G, Victoria Quay, Edinburgh, EH6 6QQ\n"
     "T: 0131 244 1896\nLocal Government Finance Circular No. 5/2024\n" + _BODY, "Edinburgh"),
    # ng-oagf-circular-2021: a flattened letterhead, the town before the country
    ("OFFICE OF THE ACCOUNTANT-GENERAL OF THE FEDERATION TREASURY HOUSE Samuel Ladoke Akintola Boulevard, "
     "P.M.B. 7015, Garki, Abuja, Nigeria Tel: 070-98202056. Ref. No. OAGF/CIRC/2021\n" + _BODY, "Abuja"),
]


@pytest.mark.parametrize("text,expected", PLACES)
def test_place_from_a_postal_address(text: str, expected: str) -> None:
    assert (fields(text)["place"] or "").lower() == expected.lower()


def test_no_place_from_an_addressees_postal_address() -> None:
    # bd-btrc-order-2005: 'Dhaka-1000' in the To list is the addressee's, not the place of issue
    text = ("Tariff Directives Order\nRef: BTRC/SS/Tariff/2002/4\nDate: 09 January 2005\n"
            "Reference to the above subject the undersigned is directed to inform the operators of the conditions.\n"
            "To:\n1. Chairman, Bangladesh Telegraph and Telephone Board 37/E, Iskaton garden, Dhaka-1000.\n")
    assert fields(text)["place"] is None


def _rules(text: str) -> list[tuple[str, int | None, list[str]]]:
    return [(c.title, c.year, c.provisions) for c in find_cited_rules(text)]


CITED = [
    # bd-sec-order-2004: 'section 34, sub-section (4) of the X' is X's Section 34(4)
    ("Now, therefore, in exercise of the power conferred by section 34, sub-section (4) of the Securities and "
     "Exchange Ordinance, 1969 (XVII of 1969), the Commission hereby directs",
     [("Securities and Exchange Ordinance", 1969, ["Section 34(4)"])]),
    # gb-scottish-government-circular-2013: a titled Order printed with its year; 'Government' inside the title
    ("The Scottish Parliament today debated and approved the Local Government Finance (Scotland) Order 2013. "
     "This Order provides the statutory authority to pay the grant.",
     [("Local Government Finance (Scotland) Order", 2013, [])]),
    # in-assam-personnel-om-2006: 'the Service Rules' later on is the instrument named before
    ("Offices which are under the purview of Assam Ministerial Dist. Esstt. Service Rules, 1967. All Heads of "
     "Deptt. are requested to amend the Service Rules accordingly.",
     [("Assam Ministerial Dist. Esstt. Service Rules", 1967, [])]),
]


@pytest.mark.parametrize("text,expected", CITED)
def test_cited_instruments_and_provisions(text: str, expected: list) -> None:
    assert _rules(text) == expected


NOT_CITED = [
    # a paper, not an instrument: a numbered Order with a file-number year, a Government Order
    "issued the Transfer Order 2013/45 to him on the same day",
    "vide Finance Department Order 12 dated 4th May",
    "in pursuance of the Government Order 2019 issued by the Department",
]


@pytest.mark.parametrize("text", NOT_CITED)
def test_papers_are_not_instruments(text: str) -> None:
    assert _rules(text) == []
