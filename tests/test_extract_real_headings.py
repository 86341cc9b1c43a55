"""Table cases for the header conventions real documents print: subject, document type, place.

Each case is a short excerpt in the shape of a `dev` document of the real corpus (the id in
the comment) and the value an archivist reads from it (corpus/README.md conventions 5 and 8).
The `test` split's documents are never used here. Negative cases say what must NOT be read.
"""

from __future__ import annotations

import pytest

from pipeline.extract import extract_fields


def fields(text: str) -> dict:
    return extract_fields(text).fields


# A flattened page: one page-wide line of header and body, as web copies reproduce scans.
_FLAT_BODY = ("the underground cables are not being repaired to rectify telephone faults and the faulty cable "
              "pairs are abandoned, which is resulting into sinking of the underground cable system of the "
              "circles and districts. ") * 4

SUBJECTS = [
    # in-central-bsnl-letter-2011: the label inside a flattened line, the subject ends at its full stop
    ("Network Operation Section, Bharat Sanchar Bhawan, Janpath, New Delhi-110001 No.7 - 12 / 2004-PHM "
     "Dated: 17th June,2011 All CGMS, Telecom Circles / Districts Subject:- Creation of Task Force for "
     "repair of underground Cables. It has come to the notice of this office that in several cases, "
     + _FLAT_BODY, "Creation of Task Force for repair of underground Cables"),
    # pk-kp-finance-letter-2022: 'Subject -' in a flattened page, up to the salutation
    ("GOVERNMENT OF KHYBER PAKHTUNKHWA FINANCE DEPARTMENT No 2/9(F/L)/FD/2022 Dated Peshawar the 3rd "
     "June 2022 1. All Administrative Secretaries to Govt of Khyber Pakhtunkhwa Subject - TRANSFER OF "
     "FUNDS TO THE DESIGNATED BANK ACCOUNT Dear Sir, I am directed to refer to the subject noted above "
     "and to state that " + _FLAT_BODY, "TRANSFER OF FUNDS TO THE DESIGNATED BANK ACCOUNT"),
    # pk-sindh-finance-letter-2020: a lone 'Details:' label ends the subject
    ("To:\n- The Accountant General, Sindh,\nKarachi.\nSubject:\nPayment of Salary and Pension.\nDetails:\n"
     "I am directed to refer to the subject noted above.\n", "Payment of Salary and Pension"),
    # in-himachal-pradesh-finance-letter-2007: the date column read between label and subject
    ("No. Fin-F-(A)-(11)-4/2004\nGovernment of Himachal Pradesh\nFinance Department\n"
     "Dated Shimla – 171 002, the\nSubject :-\n05th May, 2007.\n"
     "Need for economy without impeding the pace of development – Revision\n"
     "of economy instructions and issue of financial guidelines thereof.\nSir,\n"
     "In partial modification of this Department's letter of even number the Government has reviewed it.\n",
     "Need for economy without impeding the pace of development – Revision of economy instructions and "
     "issue of financial guidelines thereof"),
    # in-central-cga-letter-2006: a subject wrapped onto a line that opens in lower case
    # ('from', 'reference' open such a line as words, not as the labels 'FROM' / 'Ref:')
    ("No.A.34012/142/2001/MF.CGA(E)/\nGovernment of India\nMinistry of Finance\nNew Delhi-110003.\n"
     "Subject : Exemption of Assistant Accounts Officers\nfrom the Departmental Examination for the year 2006.\n"
     "Please find enclosed herewith Corrigendum No.2 for information & necessary action.\n",
     "Exemption of Assistant Accounts Officers from the Departmental Examination for the year 2006"),
    # in-kerala-pard-circular-1988: blank lines OCR put inside a subject that goes on in lower case
    ("No. 12345/Spl.C1/88/P&ARD\nGovernment of Kerala\nDated, Thiruvananthapuram, 12th May 1988\n"
     "Sub: Public Services- Inter-district transfer Concession to relatives/ dependents of\n\n\n"
     "killed in action- Further orders issued.\n\n"
     "Government have been considering the question of extending the concession to the relatives.\n",
     "Public Services- Inter-district transfer Concession to relatives/ dependents of killed in action- "
     "Further orders issued"),
    # in-tamil-nadu-finance-order-2015: a G.O.'s ABSTRACT goes on past blank lines to its full stop
    ("Government of Tamil Nadu\nFINANCE [Pension] DEPARTMENT\nG.O.No.190, Dated 1st July 2015.\nABSTRACT\n\n"
     "PENSION Honouring of State Government officials retiring from\n\n\n"
     "service - Orders Issued.\nRead :\n1. G.O.Ms.No.471, dated: 14-11-1990.\nORDER:\n"
     "In the Government Order first read above, orders were issued for honouring officials.\n",
     "PENSION Honouring of State Government officials retiring from service - Orders Issued"),
    # sz-wages-council-notification-1994: a gazette notice's title under its enabling Act
    ("GENERAL NOTICE NO. 22 OF 1994\n\nTHE WAGES ACT 1964 (Act No. 16 of 1964)\n\n"
     "NOTICE OF INTENTION TO SUBMIT WAGES REGULATION PROPOSALS\n\n"
     "(Under Section 11 (2)) In accordance with the above Act, the Wages Council hereby publishes its "
     "intention to submit proposals to the Honourable Minister.\n",
     "NOTICE OF INTENTION TO SUBMIT WAGES REGULATION PROPOSALS"),
    # bw-op-notification-1980: the title under the Act in title case, not the Act's line
    ("Government Notice No. 475 of 1980\n\nBOTSWANA HONOURS ACT (Cap. 03:06)\n\nPresidential Awards\n\n"
     "IT IS HEREBY NOTIFIED for general information that, in exercise of the powers conferred by section 3 "
     "of the Botswana Honours Act, His Excellency the President has been pleased to award honours.\n",
     "Presidential Awards"),
    # in-central-rbi-circular-2013: a bank's circular sets its title under the salutation
    ("DBOD.No.Dir.BC. 14/13.03.00/2013-14\nJuly 1, 2013\nAll Scheduled Commercial Banks\n(excluding RRBs)\n"
     "Dear Sir / Madam\nMaster Circular- Loans and Advances Statutory and Other Restrictions\n"
     "Please refer to the Master Circular dated July 2, 2012 consolidating the instructions issued to banks "
     "till June 30, 2012 relating to statutory and other restrictions on Loans and Advances.\nYours faithfully\n",
     "Master Circular- Loans and Advances Statutory and Other Restrictions"),
    # ph-ched-order-2017: a subject in capitals ends where the (OCR'd) body sentence begins
    ("CHED MEMORANDUM ORDER NO. 11 Series of 2017 SUBJECT: POLICY ON TEMPORARY SUSPENSION OF PROCESSING "
     "GOVERNMENT AUTHORIZATION TO OPERATE GRADUATE PROGRAMS 'n accordance with the pertinent provisions of "
     "Republic Act No 7722, otherwise known as the Higher Education Act of 1994, and by virtue of the "
     "Commission en banc Resolution, " + _FLAT_BODY,
     "POLICY ON TEMPORARY SUSPENSION OF PROCESSING GOVERNMENT AUTHORIZATION TO OPERATE GRADUATE PROGRAMS"),
]


@pytest.mark.parametrize("text,expected", SUBJECTS)
def test_subject_as_printed(text: str, expected: str) -> None:
    assert (fields(text)["subject"] or "").lower() == expected.lower()


NO_SUBJECT = [
    # ke-moe-circular-2023: 'Sub-County Directors' is an addressee, not a 'Sub-' label
    "Ref: No. MOE.HQS/3/6//116 (56)\n\n8th February 2023\n\nTo: Regional Director of Education\n"
    "County Directors of Education\nSub-County Directors of Education\n\n\n"
    "The Ministry of Education has recently released funds for the implementation of Junior Secondary.\n",
    # pk-punjab-finance-letter-2007 (shape): the body's first sentence under the salutation is no title
    "No. FD(FR)II-5/82(Main)\nGOVERNMENT OF THE PUNJAB\nFINANCE DEPARTMENT\nDated Lahore the 3rd January, 2007.\n"
    "Dear Sir,\nPlease refer to your letter dated 17th October, 2006, wherein it has been requested to declare "
    "the officer.\n",
    # pk-punjab-provincial-assembly-notification-2024: a publishing notification prints no subject
    "PROVINCIAL ASSEMBLY OF THE PUNJAB\nN O T I F I C A T I O N\n16 March 2024\n"
    "No.PAP/Legis-1(29)/2024/14. The following Order, made by the Governor of the Punjab, is hereby "
    "published for general information:\n",
]


@pytest.mark.parametrize("text", NO_SUBJECT)
def test_no_subject_is_read_where_none_is_printed(text: str) -> None:
    assert fields(text)["subject"] is None


DOCUMENT_TYPES = [
    # in-jammu-kashmir-finance-order-2006: the series title across the reflowed line break
    ("( 74 ) GOVERNMENT OF JAMMU AND KASHMIR CIVIL SECRETARIAT-FINANCE DEPARTMENT Subject:-Constitution of "
     "Department Promotion Committee. Government Order No. 251-F of 2006. Dated 08-08-2006. For "
     "facilitating the process of promotion of ministerial cadre borne on the establishment, " + _FLAT_BODY,
     "order"),
    # ug-law-council-notification-2011: a general notice is a notification
    ("THE REPUBLIC OF UGANDA Uganda Gazette Published Vol. CIV No. 61 14th October, 2011\n\n"
     "General Notice No. 577 of 2011. THE ADVOCATES ACT, CAP. 267. NOTICE OF APPLICATION FOR A "
     "CERTIFICATE OF ELIGIBILITY. It is hereby notified that an application has been presented to the Law "
     "Council by a holder of a degree, " + _FLAT_BODY, "notification"),
    # pk-federal-commerce-notification-2016: an S.R.O. is a notification under the gazette's 'ORDER'
    ("PART II\nStatutory Notifications (S. R. O.)\nGOVERNMENT OF PAKISTAN\nMINISTRY OF COMMERCE\nORDER\n"
     "Islamabad, the 18th April, 2016\nS.R.O. 344(I)/2016.—In exercise of the powers conferred by "
     "sub-section (1) of section 3 of the Imports and Exports (Control) Act, 1950, the Federal Government "
     "is pleased to make the following Order, namely:—\n", "notification"),
    # in-maharashtra-higher-technical-education-other-2019: a corrigendum is 'other'
    ("GOVERNMENT OF MAHARASHTRA\nHigher & Technical Education Department\nCORRIGENDUM\n"
     "No : Misc-2018/C.R.56/18/UNI-1\nMantralaya Annex, Mumbai- 400 032. Dated 10 May, 2019.\n"
     "The following amendments and additions are being issued to the Resolution referred above.\n", "other"),
    # in-gujarat-gad-resolution-2015: a Government Resolution is 'other'
    ("Government of Gujarat\n\nGeneral Administration Department Resolution No. SLT/102007/104457/Par-1/G-2\n\n"
     "Sachivalaya, Gandhinagar. Dated. 17/08/2015\n\n"
     "Government in General Administration Department has, from time to time, issued guidelines.\n", "other"),
    # ph-deped-region2-advisory-2023: the paper names itself an advisory
    ("Republic of the Philippines\nDepartment of Education\nOctober 11, 2023\n"
     "this advisory is issued not for endorsement but only for the information of Schools\n"
     "The Office announces the winners of the regional search for best school implementer.\n", "other"),
    # in-punjab-finance-letter-2009 (negative for the series title): a letter citing a numbered
    # notification in its body stays a letter
    ("No. 5/65/09-5FP1/397\nGOVERNMENT OF PUNJAB\nDEPARTMENT OF FINANCE\n"
     "Dated: Chandigarh the: 18th August, 2009\nTo\nAll Heads of Departments\n"
     "Subject: Revision of pay scales.\nSir,\nI am directed to refer to Punjab Govt. Notification\n"
     "No. 4/7/09-2FP1/374 Dated 12.08.09 on the subject noted above.\n", "letter"),
]


@pytest.mark.parametrize("text,expected", DOCUMENT_TYPES)
def test_document_type_from_heading_series_and_form(text: str, expected: str) -> None:
    assert fields(text)["document_type"] == expected


def test_a_resolution_cited_in_the_body_is_not_the_papers_kind() -> None:
    # in-central-cvc-order-2002: 'Department of Personnel & Training Resolution No. ...' is cited
    text = ("No. 3(v)/99/15\nCentral Vigilance Commission\nDated the 16th January 2002\n\n"
            "Subject:     System changes in organisation to check corruption.\n\n"
            "The Central Vigilance Commission is empowered to exercise superintendence in terms of the powers "
            "invested in it under para (3)(v) of the Department of Personnel & Training Resolution No. "
            "371/20/99-AVD.III dated 4th April 1999.\n\n4. This order is also available on web-site of the CVC.\n")
    assert fields(text)["document_type"] == "order"


PLACES = [
    # in-punjab-finance-letter-2009: the town between 'Dated' and 'the'
    ("No. 5/65/09-5FP1/397\nGOVERNMENT OF PUNJAB\nDEPARTMENT OF FINANCE\n"
     "Dated: Chandigarh the: 18th August, 2009\nTo\nAll Heads of Departments\n", "Chandigarh"),
    # in-tripura-agriculture-letter-2015: a town the gazetteer does not know, on the date line
    ("No.F 33(2-45)-Agri/Res/2008-09/Part/56\nGovt. of Tripura\nDept. of Agriculture\n"
     "Dated Arundhatinagar the 12th January, 2015\nSub;- Information under RTI.\n", "Arundhatinagar"),
    # pk-ajk-law-department-notification-1981: 'STATE OF JAMMU & KASHMIR' names the State
    ("THE AZAD GOVERNMENT OF THE STATE OF JAMMU & KASHMIR\nLAW AND PARLIAMENTARY AFFAIRS SECRETARIAT, "
     "MUZAFFARABAD.\n\nDated the 2nd January, 1981\n\nNOTIFICATION\nNo. 21/LD/81.\n", "Muzaffarabad"),
    # in-central-cga-letter-2006: the letterhead address under the number that heads the page
    ("No.A.34012/142/2001/MF.CGA(E)/\nGovernment of India\nMinistry of Finance\nController General of Accounts\n"
     "Lok Nayak Bhawan, Khan Market\nNew Delhi-110003.\nSubject : Corrigendum to the Regulations.\n"
     "Please find enclosed herewith Corrigendum No.2 for information and necessary action.\n", "New Delhi"),
    # in-delhi-doe-circular-2021: the town as printed, not the gazetteer's 'New Delhi'
    ("GOVERNMENT OF NATIONAL CAPITAL TERRITORY OF DELHI\nDIRECTORATE OF EDUCATION: SCHOOL BRANCH\n"
     "OLD SECRETARIAT DELHI-110054\nNo. DE.23(3)/Sch.Br./2021-22/238, Dated: 19/04/2021\nCIRCULAR\n"
     "Sub: Rescheduling of Summer Vacations for Academic Session 2021-2022.\n", "Delhi"),
]


@pytest.mark.parametrize("text,expected", PLACES)
def test_place_from_date_line_and_letterhead(text: str, expected: str) -> None:
    assert (fields(text)["place"] or "").lower() == expected.lower()


NO_PLACE = [
    # pk-sindh-finance-letter-2020: the addressee's town is not the place of issue
    "To:\n- The Accountant General, Sindh,\nKarachi.\n- District Accounts Officers/ Treasury Officers (All)\n"
    "Subject:\nPayment of Salary and Pension.\nI am directed to refer to the subject noted above.\n",
    # (shape of pk-punjab-industries-notification-2009) a weekday between 'Dated' and 'the' is no town
    "GOVERNMENT OF THE PUNJAB INDUSTRIES DEPARTMENT\nDated Monday, the 7th September, 2009\nNOTIFICATION\n"
    "No. SO(ENQ)6-95. The Governor of the Punjab is pleased to appoint the officer.\n",
    # pk-punjab-provincial-assembly-notification-2024: a town in the body is not the address
    "PROVINCIAL ASSEMBLY OF THE PUNJAB\nN O T I F I C A T I O N\n16 March 2024\n"
    "No.PAP/Legis-1(29)/2024/14. The following Order is hereby published for general information:\n"
    "In exercise of the powers conferred under Article 109(a) of the Constitution, I, the Governor, hereby "
    "summon the Assembly to meet on 18th March 2024 in the Provincial Assembly Chambers, Lahore.\n",
]


@pytest.mark.parametrize("text", NO_PLACE)
def test_no_place_from_an_addressee_or_the_body(text: str) -> None:
    assert fields(text)["place"] is None
