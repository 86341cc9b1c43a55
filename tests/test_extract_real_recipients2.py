"""Table cases for recipient forms read in round 2: more copy labels and 'To' forms.

Each case is a short excerpt in the shape of a `dev` document of the real corpus
(corpus/docs, the id named in the comment) and the list an archivist reads from it
(corpus/README.md, convention 4). The `test` split is never used here.
"""

from __future__ import annotations

import pytest

from pipeline.extract import extract_fields

BODY = "I am directed to refer to the subject noted above and to state that the matter has been considered.\n\n"
SIGNED = "(Muhammad Ali)\nDeputy Secretary\n\n"


def fields(text: str) -> dict:
    return extract_fields(text).fields


DISTRIBUTION = [
    # bd-mujibnagar-cabinet-other-1971: 'Forwarded to:', the list ends at a bracketed name behind initials
    ("Memo No......./ Cab. Dated Dec. 7, 1971.\nForwarded to:\n1. PS to the Acting President.\n2. PS to the Prime Minister.\n"
     "3. All Secretaries.\n(H. T. Imam )\nCabinet Secretary.\n",
     ["PS to the Acting President", "PS to the Prime Minister", "All Secretaries"]),
    # bd-mujibnagar-home-notice-1971: the signer's bracketed name, all initials but one, under the list
    ("Memo No. HM/43(400) Dated 25th August, 1971\nCopy forwarded to:\n1) Mr. Abdul Hamid M. N. A\n"
     "2. The Zonal Administrative Officer, - - - Zone\nfor information and favor of necessary action,\n"
     "(A. H. M. Kamaruzzaman)\nMinister for Home & Interior Affairs\n",
     ["Mr. Abdul Hamid M. N. A", "The Zonal Administrative Officer, - - - Zone"]),
    # in-manipur-home-advisory-2020: a stamp's specks OCR'd before the numbers of the list
    ("Copy to:\n1. Secretary to Hon'ble Governor, Raj Bhawan, Manipur\n"
     "- . ,.. - ·, \" · 2. PPS to all Hon'ble Ministers, Manipur.\n71 :\\<v\"\"v\\\\ 1 3. The Chief Secretary, Govt. of Manipur. .\n"
     ",.,.) i\"'\n4. All Additional Chief Secretaries, Govt. of Manipur\n",
     ["Secretary to Hon'ble Governor, Raj Bhawan, Manipur", "PPS to all Hon'ble Ministers, Manipur",
      "The Chief Secretary, Govt. of Manipur", "All Additional Chief Secretaries, Govt. of Manipur"]),
    # bd-mujibnagar-cabinet-other-1971: a remark after an item's full stop goes on with the item
    ("Forwarded to:\n1. All Secretaries.\n2. The Secretary, GA Department, with request to make office accommodation. "
     "The Prime Minister has desired that the office should be located in the same building\n",
     ["All Secretaries", "The Secretary, GA Department, with request to make office accommodation. "
      "The Prime Minister has desired that the office should be located in the same building"]),
    # pk-punjab-finance-notification-1995 (its label in the plural, 'Copies', as other offices print it)
    ("Copies:\n1. The Accountant General, Punjab.\n2. The Secretary to Chief Minister, Punjab.\n",
     ["The Accountant General, Punjab", "The Secretary to Chief Minister, Punjab"]),
]

# A one-line address keeps its commas; its parts name one post ('The Secretary, Finance ...').
ONE_ADDRESS = [
    # pk-federal-nepra-letter-2016 (the shape of its addressee, under a copy label)
    ("Copy to:\n1. Secretary, Ministry of Water & Power, 'A' Block, Pak Secretariat, Islamabad.\n",
     ["Secretary, Ministry of Water & Power, 'A' Block, Pak Secretariat, Islamabad"]),
    ("Copy to:\n1. Deputy Secretary, Office of the Chief Secretary, Civil Secretariat, Lahore.\n",
     ["Deputy Secretary, Office of the Chief Secretary, Civil Secretariat, Lahore"]),
]


@pytest.mark.parametrize(("foot", "expected"), DISTRIBUTION + ONE_ADDRESS)
def test_distribution(foot: str, expected: list[str]) -> None:
    assert fields(BODY + SIGNED + foot)["distribution"] == expected


def test_bulleted_web_circular_fields() -> None:
    # gb-home-office-circular-2005: 'Copies sent to:' and 'Addressed to:' among bulleted fields,
    # each a comma list of recipients; a bulleted field's list ends at the next bullet
    text = ("Home Office circular 5 / 2005\n\nCriminal Records Bureau: local checks by police forces\n\n"
            "  • Broad subject: Police service\n  • Copies sent to:\n"
            "    Chairman of Police Authorities, Lord Chief Justice of England, The Clerk to the Justices, The Court Administrator\n"
            "  • Sub category: Criminal records\n  • Addressed to:\n"
            "    Chief Officers of Police (England and Wales), Chief Officer the Royal Navy Regulating Branch, "
            "Chief Officer the Royal Marines Police\n\n"
            "The purpose of this circular is to supplement guidance already issued to forces on how they should approach the task.\n")
    got = fields(text)
    assert got["distribution"] == ["Chairman of Police Authorities", "Lord Chief Justice of England",
                                   "The Clerk to the Justices", "The Court Administrator"]
    assert got["addressees"] == ["Chief Officers of Police (England and Wales)",
                                 "Chief Officer the Royal Navy Regulating Branch", "Chief Officer the Royal Marines Police"]


ADDRESSEES = [
    # ng-cbn-circular-2009: 'CIRCULAR TO ALL ...' in capitals run into a flattened letterhead
    ("CENTRAL BANK OF NIGERIA Garki, Abuja July 30, 2009 REF: BOD/DIR/GEN/CIR/03/027 CIRCULAR TO ALL DEPOSIT MONEY "
     "BANKS AND DISCOUNT HOUSES NEED TO PROVIDE ADEQUATE NARRATION FOR INTER-BANK TRANSFERS " + BODY,
     ["ALL DEPOSIT MONEY BANKS AND DISCOUNT HOUSES"]),
    # ng-cbn-circular-2017: after the date, the subject in capitals straight after the recipients
    ("CENTRAL BANK OF NIGERIA Ref: FMD/DIR/CIR/GEN/08/006 March 3, 2017 TO ALL AUTHORISED DEALERS "
     "UPDATE TO FOREIGN EXCHANGE DIRECTIVES " + BODY,
     ["ALL AUTHORISED DEALERS"]),
    # in-punjab-finance-letter-2009: the head on one line, 'To' after the date, an 'and' before the last post
    ("No. 5/65/09-5FP1/397 GOVERNMENT OF PUNJAB DEPARTMENT OF FINANCE Dated: Chandigarh the: 18th August, 2009 "
     "To All Heads of Departments, Commissioners of Divisions, District and Sessions Judges and Deputy Commissioners "
     "in the State. Subject: Regulation of the allowances.\n\n" + BODY,
     ["All Heads of Departments", "Commissioners of Divisions", "District and Sessions Judges",
      "Deputy Commissioners in the State"]),
    # in-west-bengal-wbbse-notification-2014: a double-spaced To block without commas
    ("No : 160/Admin/14             Date: 26/09/2014\n\nNOTIFICATION\n\nTo\n\nThe Heads of all recognized Secondary\n\n"
     "Institution in West Bengal\n\n" + BODY,
     ["The Heads of all recognized Secondary Institution in West Bengal"]),
    # in-west-bengal-school-education-letter-2015: 'From:' and the sender's designation over the recipients
    ("Government of West Bengal\nSchool Education Department\nNo. 252(43)-SSE/15 Dated, Kolkata, the 22nd May, 2015\n"
     "From: Arnab Roy,\nSecretary to the Government of West Bengal,\n1) District Inspector of Schools (Secondary)\n"
     "2) District Inspector of Schools (Primary)\nSub: Making available school building during natural calamities.\n\n" + BODY,
     ["District Inspector of Schools (Secondary)", "District Inspector of Schools (Primary)"]),
]


@pytest.mark.parametrize(("text", "expected"), ADDRESSEES)
def test_addressees(text: str, expected: list[str]) -> None:
    assert fields(text)["addressees"] == expected


NOT_ADDRESSEES = [
    # ng-cbn-circular-2009 (its shape): 'TO ALL BANKS' inside a sentence in capitals is no head
    "CENTRAL BANK OF NIGERIA\n\nNOTICE SENT TO ALL BANKS\n\n" + BODY,
    # in-central-cpwd-om-2013 (its shape): a date's year and 'to' inside body prose
    "OFFICE MEMORANDUM\n\nThe report dated 17/4/2013 to the Committee was considered in detail by the Ministry.\n\n" + BODY,
]


@pytest.mark.parametrize("text", NOT_ADDRESSEES)
def test_not_addressees(text: str) -> None:
    assert fields(text)["addressees"] == []


def test_body_forwarded_sentence_is_no_copy_label() -> None:
    # bd-mujibnagar-cabinet-other-1971 (its shape): 'forwarded to' inside a body sentence
    text = ("The proposal was forwarded to the Ministry of Finance for approval and the reply is awaited.\n\n"
            + BODY + SIGNED)
    assert fields(text)["distribution"] == []
