"""Table cases for letterheads and signature blocks as real offices print them (issue 14, round 2).

Each case is a short excerpt in the shape of a `dev` document of the real corpus
(corpus/docs, the office named in the id) and the value an archivist reads from it. The
`test` split's documents are never used here: they measure, they do not teach.
"""

from __future__ import annotations

import pytest

from pipeline.extract import extract_fields


def fields(text: str) -> dict:
    return extract_fields(text).fields


ISSUERS = [
    # in-odisha-gapg-om-2019: a page flattened onto one line, the file number before the government
    ("PT1-GAD-SC-GCS-0090-2016-17152/Gen. GOVERNMENT OF ODISHA GENERAL ADMINISTRATION & PUBLIC GRIEVANCE "
     "DEPARTMENT Bhubaneswar, Dated, the 22nd June, 2019. OFFICE MEMORANDUM Sub: Revision of the rates of "
     "allowances. The undersigned is directed to say that the rates have been revised with effect from the "
     "date of issue of this memorandum.\n",
     ("Government of Odisha", "General Administration & Public Grievance Department")),
    # in-punjab-finance-letter-2009: a stray 'No.' line, then the flattened page
    ("No.\n\n5/ 65 /09-5FP1/ 397 GOVERNMENT OF PUNJAB DEPARTMENT OF FINANCE (FINANCE PERSONNEL BRANCH-1) "
     "Dated: Chandigarh the: 18th August, 2009 To All Heads of Departments Sir/Madam, I am directed to invite "
     "a reference to the subject noted above and to say that the matter has been considered.\n",
     ("Government of Punjab", "Department of Finance")),
    # in-tripura-agriculture-letter-2015: 'Govt. of' and 'Dept.of' abbreviated, after the number
    ("No.F 33(2-45)-Agri/Res/2008-09/Part/ 56 Govt. of Tripura Dept.of Agriculture Dated Arundhatinagar the "
     "12th May, 2015. To The Deputy Director of Agriculture. Sub: Release of funds. Sir, I am directed to "
     "say that the funds have been released.\n",
     ("Govt. of Tripura", "Dept.of Agriculture")),
    # ng-cbn-circular-2009: an institution in capitals running into its address
    ("CENTRAL BANK OF NIGERIA Business Central Area District P.M.B. 0187 Garki, Abuja 09-61638445 (Fax) "
     "July 30, 2009 REF: BOD/DIR/GEN/CIR/03/027 CIRCULAR TO ALL DEPOSIT MONEY BANKS The Central Bank of "
     "Nigeria wishes to inform all banks of the new guidelines.\n",
     ("Central Bank of Nigeria", None)),
    # in-central-esic-letter-2006: the name and its building on one line
    ("EMPLOYEES’ STATE INSURANCE CORPORATION PANCHDEEP BHAWAN : C.I.G. MARG : NEW DELHI. No. D-12/16/1/03-E.VI. "
     "Dated: 15.12.2006 To All Regional Directors Subject: Grant of leave. Sir, The matter has been considered "
     "by the competent authority.\n",
     ("Employees’ State Insurance Corporation", None)),
    # in-central-mole-om-2016: a section in brackets under the ministry is not the department
    ("No. 12/2016-WB\nGovernment of India\nMinistry of Labour & Employment\n(Wage Board Section)\n"
     "Shram Shakti Bhawan, Rafi Marg,\nNew Delhi, dated the 4th March, 2016\nOFFICE MEMORANDUM\n"
     "Subject: Constitution of the Wage Board.\nThe undersigned is directed to say that the Board is constituted.\n",
     ("Government of India", "Ministry of Labour & Employment")),
    # in-central-ncert-notification-2025: an institution and a section: no department
    ("National Council of Educational Research and Training\nSri Aurobindo Marg, New Delhi – 110016\n"
     "(Recruitment-II Section)\n\nNo. F.1-2/2025-Rectt.II\nNOTIFICATION\n"
     "The Council is pleased to notify the schedule of the examination.\n",
     ("National Council of Educational Research and Training", None)),
    # ph-doj-circular-2017: the Filipino name beside the English one on the same line
    ("Republika ng Pilipinas KAGAWARAN NG Department of Justice\n\nMEMORANDUM CIRCULAR NO. 05\n\n"
     "SUBJECT Presidential Issuances\n\nAll prosecutors shall return to their previous units.\n",
     ("Republika ng Pilipinas", "Department of Justice")),
    # pk-punjab-sgad-letter-2020: a wing under the government, its department not printed: no department
    ("GOVERNMENT OF THE PUNJAB\n(IMPLEMENTATION & COORDINATION WING)\nNo. SO(I&C)1-5/2020\n"
     "Dated Lahore, the 3rd March, 2020\nSubject: Observance of holidays.\nI am directed to refer to the subject.\n",
     ("Government of the Punjab", None)),
    # pk-sindh-sgad-notification-1973: a gazetteer office keeps its printed 'AND'
    ("GOVERNMENT OF SINDH\nSERVICES AND GENERAL ADMINISTRATION DEPARTMENT\n\nNOTIFICATION\n"
     "Karachi, the 3rd March, 1973\nNo. SOR-I(SGA)2-1/73. The Governor of Sindh is pleased to direct.\n",
     ("Government of Sindh", "Services and General Administration Department")),
]


@pytest.mark.parametrize("text,expected", ISSUERS)
def test_letterhead_forms(text: str, expected: tuple[str | None, str | None]) -> None:
    issuer = fields(text)["issuer"]
    assert (issuer["organization"], issuer["department"]) == expected


NOT_ISSUERS = [
    # in-central-kvs-office-order-2018: 'the Government of India' inside the first paragraph
    "In pursuance of the approval of the Government of India for setting up of 13 new Kendriya Vidyalayas "
    "under Civil Sector all over the country, the sponsoring authorities are requested to act.\n",
    # in-manipur-home-advisory-2020: a date line, then the body naming its government
    "Imphal, the 21st March, 2020\n\nIn view of the substantial increase in the number of cases, the Government "
    "of Manipur has ordered the closure of most of the public places.\n",
]


@pytest.mark.parametrize("text", NOT_ISSUERS)
def test_no_letterhead_no_issuer(text: str) -> None:
    issuer = fields(text)["issuer"]
    assert issuer["organization"] is None and issuer["department"] is None


SIGNATORIES = [
    # ke-president-notification-2013 (and lk-presidential-secretariat-notification-2022): a gazette
    # notice's signer in capitals with a comma, the title on the next line
    ("GAZETTE NOTICE NO. 6500\nCORRIGENDUM\nIN Gazette Notice No. 6466 of 2013, amend the name to read as follows.\n\n"
     "Dated the 17th December, 2013.\n\nUHURU KENYATTA,\nPresident.\n",
     [("UHURU KENYATTA", "President")]),
    # bd-mujibnagar-cabinet-other-1971: a title under 'Sd/.' with no name, then 'Memo No.'
    ("The Cabinet decided to appoint him to the post with immediate effect.\nSd/.\nACTING PRESIDENT\n"
     "Memo No......./ Cab. Dated Dec. 7, 1971.\nForwarded to:\n1. PS to the Prime Minister.\n",
     [(None, "ACTING PRESIDENT")]),
    # in-karnataka-commerce-industries-notification-2011: the closing formula, then name and title on
    # one line with the department after the title
    ("2. Amendment of rule 4:- In rule 4, sub-rules (3) and (7) shall be omitted.\n\n"
     "By Order and in the name of the Governor of Karnataka,\n\n"
     "G.A. ADAGATTI Joint Secretary to Government (Mines) Commerce & industries Department\n",
     [("G.A. ADAGATTI", "Joint Secretary to Government (Mines)")]),
    # ng-cbn-circular-2009: name and title with its department after a comma, unmarked, under the last paragraph
    ("Timely rendering of returns will henceforth be a pre-condition for obtaining funds from the CBN windows.\n"
     "A.S.F. Afoloye Ag. Director, Banking Operations Department\n",
     [("A.S.F. Afoloye", "Ag. Director, Banking Operations Department")]),
]


@pytest.mark.parametrize("text,expected", SIGNATORIES)
def test_signature_block_forms(text: str, expected: list[tuple[str | None, str]]) -> None:
    got = [(s["name"], s["designation"]) for s in fields(text)["signatories"]]
    assert got == expected


NOT_SIGNATORIES = [
    # ke-moe-circular-2022: a sentence opening with a title is no name and title
    "The purpose of this circular is to request you to organize the training venues.\n\n"
    "As County Director of Education you are required to ensure the orientation is effective.\n",
    # a title's opening words are no name: 'Joint Deputy' does not sign as 'Secretary'
    "The matter has been considered and approved by the competent authority.\n"
    "Joint Deputy Secretary General Administration Department\n",
]


@pytest.mark.parametrize("text", NOT_SIGNATORIES)
def test_no_false_signer(text: str) -> None:
    names = [s["name"] for s in fields(text)["signatories"]]
    assert not any(names)
