"""Table cases for the recipient lists real documents print: 'To' blocks and copy lists.

Each case is a short excerpt in the shape of a `dev` document of the real corpus
(corpus/docs, the id named in the comment) and the list an archivist reads from it
(corpus/README.md, convention 4). The `test` split is never used here.
"""

from __future__ import annotations

import pytest

from pipeline.extract import extract_fields

BODY = "I am directed to refer to the subject noted above and to state that the matter has been considered.\n\n"


def fields(text: str) -> dict:
    return extract_fields(text).fields


ADDRESSEES = [
    # pk-kp-finance-letter-2022: numbered recipients without 'To' between the date and the subject
    ("GOVERNMENT OF KHYBER PAKHTUNKHWA\nFINANCE DEPARTMENT\nNo 2/9(F/L)/FD/2022\nDated Peshawar the 3rd June 2022\n"
     "1. All Administrative Secretaries to Govt of Khyber Pakhtunkhwa, Peshawar.\n"
     "2. All Heads of Attached Departments in Khyber Pakhtunkhwa.\n"
     "Subject - TRANSFER OF FUNDS TO THE DESIGNATED BANK ACCOUNT\nDear Sir,\n" + BODY,
     ["All Administrative Secretaries to Govt of Khyber Pakhtunkhwa, Peshawar",
      "All Heads of Attached Departments in Khyber Pakhtunkhwa"]),
    # pk-kp-establishment-letter-2011: two numbered lines OCR ran together, a ':' misread for '.'
    ("ESTABLISHMENT DEPARTMENT\nNo. SOR-VI/E&AD/2-6\nDated Peshawar, the, 17th September, 2011\n"
     "1. The Senior Member, Board of Revenue, Khyber Pakhtunkhwa:\n"
     "2. All Heads of the Attached Departments in Khyber Pakhtunkhwa. All the District Coordination Officers in Khyber Pakhtunkhwa.\n"
     "Subject: KHYBER PAKHTUNKHWA GOVERNMENT SERVANTS RULES, 2011.\nDear Sir,\n" + BODY,
     ["The Senior Member, Board of Revenue, Khyber Pakhtunkhwa",
      "All Heads of the Attached Departments in Khyber Pakhtunkhwa",
      "All the District Coordination Officers in Khyber Pakhtunkhwa"]),
    # bd-bb-dos-circular-2018: a bare post over 'All <where>'; the plain subject after a blank line is no recipient
    ("BANGLADESH BANK\nDOS Circular Letter No. 23 Date:07/10/2018\n\nChief Executives\nAll Scheduled banks in Bangladesh\n\n"
     "Cash Reserve Ratio (CRR) and Statutory Liquidity Ratio (SLR)\n\n"
     "Please refer to DOS Circular No. 01, dated 19/01/2014 on the captioned subject and the instructions therein.\n",
     ["Chief Executives, All Scheduled banks in Bangladesh"]),
    # in-central-rbi-circular-2013: a second date line above the recipient is not one
    ("DBOD.No.Dir.BC. 14/13.03.00/2013-14\nJuly 1, 2013\nAshadha 10, 1935 (Saka)\nAll Scheduled Commercial Banks\n"
     "(excluding RRBs)\nDear Sir / Madam\nMaster Circular- Loans and Advances\n"
     "Please refer to the Master Circular dated July 2, 2012 consolidating the instructions issued to banks.\n",
     ["All Scheduled Commercial Banks (excluding RRBs)"]),
    # in-himachal-pradesh-finance-letter-2007: 'H.P.' opens a continuation line, a 'Dated' line ends the block
    ("Finance Department\nTo\n1. All the Heads of Departments in H. P.\n2. All Chief Executive Officers/Managing Directors of\n"
     "H.P. Public Sector Undertakings/Boards/Corporation\n3. The Registrar, H. P. Administrative Tribunal, H.P.\nSHIMLA - 2.\n"
     "Dated Shimla - 171 002, the 05th May, 2007.\nSubject :- Need for economy.\nSir,\n" + BODY,
     ["All the Heads of Departments in H. P",
      "All Chief Executive Officers/Managing Directors of H.P. Public Sector Undertakings/Boards/Corporation",
      "The Registrar, H. P. Administrative Tribunal, H.P. SHIMLA - 2"]),
    # ng-oagf-circular-2021: a one-line list, every part opening 'The'/'All'
    ("FEDERAL TREASURY CIRCULAR\nTo: The Auditor-General for the Federation, The Surveyor-General of the Federation, "
     "All Zonal Coordinators, All Diplomatic Missions\n" + BODY,
     ["The Auditor-General for the Federation", "The Surveyor-General of the Federation", "All Zonal Coordinators",
      "All Diplomatic Missions"]),
    # in-central-dea-circular-2015: offices named side by side, separated by commas and semicolons
    ("(Dr. Rajat Bhargava)\nJoint Secretary(Budget)\nTo\n"
     "1. All Financial Advisers (By Name); and Chief Controllers of Accounts (By Name).\n"
     "2. Cabinet Secretariat, President's Secretariat, Prime Minister's Office; Lok Sabha Secretariat.\n",
     ["All Financial Advisers (By Name)", "Chief Controllers of Accounts (By Name)", "Cabinet Secretariat",
      "President's Secretariat", "Prime Minister's Office", "Lok Sabha Secretariat"]),
    # ke-op-circular-2008: a long recipient with a parenthesis is not body prose
    ("To:\n\nAll Ministers.\n\nAll Permanent Secretaries (with sufficient copies for all Heads of Department).\n\n"
     "The Attorney-General.\n",
     ["All Ministers", "All Permanent Secretaries (with sufficient copies for all Heads of Department)", "The Attorney-General"]),
    # mu-mcsar-circular-2005: 'To: X' on one line; the plain line under it is the subject
    ("Circular Note No 51 of 2005\nFrom:     Senior Chief Executive, Ministry of Civil Service\n"
     "To:         Supervising Officers i/c Ministries and Departments\nEstablishment Proposals - Recurrent Budget 2006/2007\n" + BODY,
     ["Supervising Officers i/c Ministries and Departments"]),
    # ke-tsc-circular-2024: two posts printed side by side on each line
    ("TSC CIRCULAR NO:20/2024\n\nTSC Regional Directors TSC County Directors\nTSC Sub-County Directors Curriculum Support Officers\n"
     "The Secretary, Board of Management\n\nGUIDELINES FOR RECRUITMENT OF TEACHERS\n\n" + BODY,
     ["TSC Regional Directors", "TSC County Directors", "TSC Sub-County Directors", "Curriculum Support Officers",
      "The Secretary, Board of Management"]),
    # pk-federal-senate-notification-2013: an address printed double-spaced is one recipient
    ("No. F.2(1)/2013-Legis\nDated the 3rd January, 2013\nTo\n\nThe Director General,\n\nPakistan Post,\n\nIslamabad.\n\n"
     "Sub: Leave rules\n\n" + BODY, ["The Director General, Pakistan Post, Islamabad"]),
    # gh-mof-memorandum-2024: a flattened memorandum head, the To list ends at 'cc:'
    ("MEMORANDUM\nTo: ALL STAFF cc: HON. MINISTER OF STATE\nFROM: HON. MINISTER DATE: 14th February, 2024\n"
     "SUBJECT: MESSAGE OF GRATITUDE\n" + BODY, ["ALL STAFF"]),
    # ph-deped-calapan-memorandum-2022 (raw): the memorandum's colon after 'TO' OCR'd as 'i'
    ("MEMORANDUM\nTO i Asst. Schools Division Superintendent\nChief Education Supervisors\nAll Others Concerned\n"
     "FROM LAIDA M. LAGAR-MASCARENAS\n" + BODY,
     ["Asst. Schools Division Superintendent", "Chief Education Supervisors", "All Others Concerned"]),
]

# Things that must not be read as recipients.
NOT_ADDRESSEES = [
    # in-central-cga-letter-2006: a letterhead between the number and the subject names no recipient
    ("No.A.34012/142/2001/MF.CGA(E)\nGovernment of India\nMinistry of Finance\nController General of Accounts\n"
     "Lok Nayak Bhawan, Khan Market\nSubject : Corrigendum to the Regulations.\n"
     "Please find enclosed herewith Corrigendum No.2 to the Regulations for information and necessary action.\n"),
    # in-central-rbi-circular-2013: a closing and a signature are not recipients
    ("DBOD.No.Dir.BC. 14/13.03.00/2013-14\nJuly 1, 2013\nDear Sir / Madam\n"
     "Please refer to the Master Circular dated July 2, 2012 consolidating the instructions issued to banks.\n"
     "Yours faithfully\n(Prakash Chandra Sahoo)\nChief General Manager\n"),
]

DISTRIBUTION = [
    # in-central-epfo-letter-2024: 'for information please' is the request, not the recipient
    ("Copy to:\n1. All ACC(HQ)s Head office, All ACCs Head Office for information please.\n"
     "2. IS Division for development of functionality and further necessary action please.\n",
     ["All ACC(HQ)s Head office", "All ACCs Head Office", "IS Division"]),
    # pk-punjab-sed-letter-2022: the next number runs on in the same line
    ("CC:\n\n1. PA to Special Secretary, School Education Department\n\n"
     "2. PS to Additional Secretary (General), School Education Department 3. PA to Deputy Secretary (ACAD), School Education Department.\n",
     ["PA to Special Secretary, School Education Department", "PS to Additional Secretary (General), School Education Department",
      "PA to Deputy Secretary (ACAD), School Education Department"]),
    # in-tripura-agriculture-letter-2015: 'for favour of kind information' after a full stop or a space
    ("Copy to-\n1.The Director of Agriculture, Govt. of Tripura for favour of kind information "
     "2. The State Public Information Officer, Agartala, Tripura.for favour of kind information\n",
     ["The Director of Agriculture, Govt. of Tripura", "The State Public Information Officer, Agartala, Tripura"]),
    # in-odisha-gapg-om-2019: a copy endorsement written as a sentence, addresses joined by '/'
    ("Memo No. 17154 /Gen., Bhubaneswar, dated the 22nd June, 2019\n"
     "Copy forwarded to all Heads of Departments/ all Collectors/ Registrar, Odisha Administrative Tribunal, Bhubaneswar/ "
     "Secretary, Odisha Staff Selection Commission, Bhubaneswar for information and necessary action. "
     "They are requested to circulate the Office Memorandum.\n",
     ["all Heads of Departments", "all Collectors", "Registrar, Odisha Administrative Tribunal, Bhubaneswar",
      "Secretary, Odisha Staff Selection Commission, Bhubaneswar"]),
    # in-punjab-finance-letter-2009: a semicolon separates two recipients; 'Copies to' is a label
    ("Copies to:\n1. The Accountant General (Audit) Punjab, Chandigarh; The Accountant General (A&E), Punjab, Chandigarh.\n",
     ["The Accountant General (Audit) Punjab, Chandigarh", "The Accountant General (A&E), Punjab, Chandigarh"]),
    # in-punjab-finance-letter-2009: an 'Endst. No.' line opens the list printed under it
    ("Endst. No. 5/ 65 /09-5FP1/ 399\n1. The Director, Treasuries and Accounts, Punjab.\n2. All Treasury Officers in the State.\n",
     ["The Director, Treasuries and Accounts, Punjab", "All Treasury Officers in the State"]),
]

# Copy lists that end at page furniture or carry a stray line.
LIST_ENDS = [
    # lk-ugc-circular-2007: the paper's file number set apart under the list is not an item
    ("Cc:\n1.    Secretary/UGC\n2.    Auditor-General\n\nFile No: UGC/HR/6/5/01\n", ["Secretary/UGC", "Auditor-General"]),
    # pk-punjab-sgad-letter-2018: a signature mark closes the list
    ("Copy forwarded to:-\n(i) The Secretary (Services), S&GAD.\n(ii) The PS to Additional Secretary (Welfare), S&GAD.\n"
     "-sd-\nGovt. of the Punjab.\n", ["The Secretary (Services), S&GAD", "The PS to Additional Secretary (Welfare), S&GAD"]),
    # pk-punjab-sed-letter-2022: a signer's dated initials OCR'd into the list
    ("CC:\n\n24/1/20 SECTION OFFICER (ACAD-I)\n\n1. PA to Special Secretary, School Education Department\n"
     "2. DDM, SED, with request to make presentation of the data\n",
     ["PA to Special Secretary, School Education Department", "DDM, SED, with request to make presentation of the data"]),
    # pk-punjab-sgad-letter-2018 / in-central-dop-budget-letter-2010: label forms that name no recipient themselves
    ("Copy to the:-\n1. PS to Minister.\n2. PS to Secretary.\n", ["PS to Minister", "PS to Secretary"]),
    ("Endst. No. 1234-56/Edu dated 12.3.2020\nA copy is forwarded to the following for information:-\n"
     "1. The Director, Public Instruction.\n2. All District Education Officers.\n",
     ["The Director, Public Instruction", "All District Education Officers"]),
    # in-central-railway-board-letter-2002: 'Copy to' inside an item
    ("Copy to:\n1. CEE, All Indian Railways, ICF & RCF.\n2. Copy to File No.99/Elec(G)/165/2.\n",
     ["CEE, All Indian Railways, ICF & RCF", "File No.99/Elec(G)/165/2"]),
]

# in-delhi-doe-circular-2021: a purpose phrase without 'information' or 'please' is kept as
# the archivist keeps it; one set off by a comma is kept too (tests/test_extract_lists.py).
KEPT_PHRASES = [
    ("Copy to:-\n1. PA to Director (Education).\n2. Director (Education) NDMC for necessary action\n",
     ["PA to Director (Education)", "Director (Education) NDMC for necessary action"]),
]


@pytest.mark.parametrize(("text", "expected"), ADDRESSEES)
def test_addressees(text: str, expected: list[str]) -> None:
    assert fields(text)["addressees"] == expected


@pytest.mark.parametrize("text", NOT_ADDRESSEES)
def test_not_addressees(text: str) -> None:
    assert fields(text)["addressees"] == []


@pytest.mark.parametrize(("foot", "expected"), DISTRIBUTION + LIST_ENDS + KEPT_PHRASES)
def test_distribution(foot: str, expected: list[str]) -> None:
    text = BODY + "(Muhammad Ali)\nDeputy Secretary\n\n" + foot
    assert fields(text)["distribution"] == expected


def test_double_spaced_address_under_the_signature() -> None:
    # pk-federal-senate-notification-2013: the addressee under the signature, double-spaced
    text = (BODY + "(IFTIKHAR ULLAH BABAR)\nSecretary\n\nThe Manager,\n\nPrinting Corporation\n\nof Pakistan Press,\n\n\n"
            "For publication in the Gazette of Pakistan, Extraordinary (Part III)\n")
    assert fields(text)["addressees"] == ["The Manager, Printing Corporation of Pakistan Press"]


def test_memorandum_cc_in_the_head() -> None:
    # gh-mof-memorandum-2024: cc printed among the head's labels, posts side by side
    text = ("MEMORANDUM\nTo: ALL STAFF\ncc: HON. MINISTER OF STATE HON. DEPUTY MINISTERS CHIEF DIRECTOR FROM: HON. MINISTER\n"
            "SUBJECT: MESSAGE OF GRATITUDE\n" + BODY)
    assert fields(text)["distribution"] == ["HON. MINISTER OF STATE", "HON. DEPUTY MINISTERS", "CHIEF DIRECTOR"]


def test_signature_is_no_copy_recipient() -> None:
    # pk-punjab-sgad-letter-2018: the signature under a copy list ends it
    text = BODY + "Copy forwarded to:\n1. The Secretary (Services), S&GAD.\n\n(Muhammad Ali)\nSection Officer (W-IV)\n"
    assert fields(text)["distribution"] == ["The Secretary (Services), S&GAD"]
