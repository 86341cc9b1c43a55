"""Table cases for the forms real documents of other offices print (issue 14).

Each case is a short excerpt in the shape of a `dev` document of the real corpus
(corpus/docs, the office named in the id) and the field an archivist reads from it. The
`test` split's documents are never used here: they measure, they do not teach.
"""

from __future__ import annotations

import pytest

from pipeline.extract import extract_fields
from pipeline.extract.reflow import is_flattened, reflow


def fields(text: str) -> dict:
    return extract_fields(text).fields


DOCUMENT_TYPES = [
    # in-central-cvc-circular-2023: the series title in title case under a file number
    ("Central Vigilance Commission\nNo. 021/VGL/051\nDated. 06-04-2023\nCircular No. 03 /04/23\n"
     "Subject: Handling of Complaints.\nThe Commission has decided to forward complaints.\n", "circular"),
    # ke-tsc-circular-2024: an acronym before the series word
    ("TEACHERS SERVICE COMMISSION\nTSC CIRCULAR NO:20/2024\nGUIDELINES FOR RECRUITMENT OF TEACHERS\n"
     "The Commission wishes to inform all its officers.\n", "circular"),
    # bd-bb-dos-circular-2018
    ("BANGLADESH BANK\nDOS Circular Letter No. 23 Date:07/10/2018\nChief Executives\n"
     "Please refer to DOS Circular No. 01, dated 19/01/2014 on the captioned subject.\n", "circular"),
    # in-central-cvc-order-2002: the document names itself
    ("No. 3(v)/99/15\nCentral Vigilance Commission\nDated the 16th January 2002\n"
     "Subject: System changes in organisation to check corruption.\n"
     "The Commission has issued directives to organisations to make appropriate changes.\n"
     "This order is also available on web-site of the CVC.\n", "order"),
    # ke-moe-circular-2022
    ("Ref. NO. MOE.HQS/3/6/28/66\nDate: 16th September 2022\nTO: All County Directors of Education\n"
     "RE: ORIENTATION OF GRADES 1, 2 AND 3 TEACHERS\n"
     "The purpose of this circular therefore is to request you to organize the training venues.\n", "circular"),
    # pk-balochistan-sgad-notification-2025: enacting words
    ("Dated Quetta, the 7th December, 2025\nNo. S.O(R-I)5(13)/S&GAD-2024.\n"
     "In exercise of the powers conferred by sub-section (1) of Section 25 of the Balochistan Civil "
     "Servants Act, 1974, the Government of Balochistan is pleased to amend rule 4.\n", "notification"),
    # in-central-railway-board-letter-2023: recipients between the number line and the subject
    ("GOVERNMENT OF INDIA\nMINISTRY OF RAILWAYS\n(RAILWAY BOARD)\nNo.2023/O&M/3/1\nNew Delhi, 31.03.2023\n"
     "General Managers,\nAll Indian Railways/PUs etc.\nDG/RDSO, DG/NAIR\n"
     "Sub: Procedure for correspondence with Railway Board.\n"
     "It has been observed that letters are being addressed to the Board without any proper format.\n", "letter"),
    # ph-doh-order-2019
    ("Republic of the Philippines\nDepartment of Health\nDEPARTMENT ORDER\nNo. 2019-0225\n"
     "SUBJECT: Guidelines on the Implementation of the Order\n", "order"),
    # pk-punjab-finance-letter-2007: a reply to a letter
    ("No. FD(FR)II-5/82(Main)\nGOVERNMENT OF THE PUNJAB\nFINANCE DEPARTMENT\n"
     "Dated Lahore the 3rd January, 2007.\nSubject: DECLARATION OF OFFICERS\n"
     "Please refer to your letter No. APD/PMIU/DMO/2006-07/4438, dated 17th October, 2006, wherein it "
     "has been requested to declare the District Monitoring Officer.\n", "letter"),
]


@pytest.mark.parametrize("text,expected", DOCUMENT_TYPES)
def test_document_type_without_a_plain_heading(text: str, expected: str) -> None:
    assert fields(text)["document_type"] == expected


SIGNATORIES = [
    # pk-kp-dese-letter-2025: a title alone, its office's lines under it
    ("I am directed to ask you to cancel all the detailments made in your districts please.\n"
     "Assistant Director (General)\nDirectorate of Elementary & Secondary Education\nKhyber Pakhtunkhwa Peshawar\n",
     [{"name": None, "designation": "Assistant Director (General)"}]),
    # pk-federal-cga-letter-2018: a title no gazetteer lists, over the copy list
    ("Kindly refer to the Finance Division letter on the above subject for compliance.\n"
     "Assistant Controller General (Accounts)\nCopy forwarded for information and necessary action to:\n"
     "1. The Director General (Policy), Islamabad.\n",
     [{"name": None, "designation": "Assistant Controller General (Accounts)"}]),
    # in-central-pcda-pensions-circular-2016: a designation no gazetteer lists
    ("2. All other terms shall remain unchanged.\n\n(C.B. Yadav)\nDCDA (Pensions)\n",
     [{"name": "C.B. Yadav", "designation": "DCDA (Pensions)"}]),
    # bd-bb-dos-circular-2018: Sd./- and blank lines between
    ("This circular letter will come into force with immediate effect.\n\nSincerely yours,\n\nSd./-\n\n"
     "(Md. Sirajul Islam)\n\n\nGeneral Manager (current charge)\nPhone: 9530081\n",
     [{"name": "Md. Sirajul Islam", "designation": "General Manager (current charge)"}]),
    # ph-op-circular-2003: (Sgd.) before the name
    ("This Circular shall take effect immediately.\n\nBy authority of the President:\n\n"
     "(Sgd.) ALBERTO G. ROMULO\nExecutive Secretary\n",
     [{"name": "ALBERTO G. ROMULO", "designation": "Executive Secretary"}]),
    # in-central-dop-budget-letter-2010: the name printed twice
    ("It may be ensured that the expenditure does not exceed the allotment.\nSd/-\n(R.Magadevain)\n"
     "(R.Magadevain)\nAsst. Director General (Budget)\nPhone-011-23316065\n",
     [{"name": "R.Magadevain", "designation": "Asst. Director General (Budget)"}]),
    # in-tamil-nadu-finance-order-2015: initials run into a surname, under 'By order of'
    ("4. The expenditure shall be debited to the relevant head of account.\n(BY ORDER OF THE GOVERNOR)\n"
     "T.UDHAYACHANDRAN\nSECRETARY TO GOVERNMENT.\n",
     [{"name": "T.UDHAYACHANDRAN", "designation": "SECRETARY TO GOVERNMENT"}]),
    # pk-gb-cm-secretariat-letter-2024: a designation alone under the last paragraph
    ("3. It is, therefore, requested that necessary instructions may kindly be passed to all "
     "Administrative Secretaries for compliance.\nSection Officer (I&C)\n",
     [{"name": None, "designation": "Section Officer (I&C)"}]),
    # in-central-epfo-letter-2024: an unmarked name under the enclosure line, its title under it
    ("(This issues with the approval of CPFC)\nEncl: As Above\nRaman Dhanasekar\nRPFC-I (WSU)\nCopy to:\n"
     "1. OSD to CPFC for information please.\n",
     [{"name": "Raman Dhanasekar", "designation": "RPFC-I (WSU)"}]),
    # ke-moe-circular-2023: an unmarked name with letters after it, ending the page
    ("In view of the above, you are directed to ensure that no public school charges unauthorized levies.\n"
     "Dr. Belio R. Kipsang, CBS\n",
     [{"name": "Dr. Belio R. Kipsang, CBS", "designation": None}]),
    # ke-moe-circular-2022: 'FOR:' before the title it signs for
    ("As County Director of Education you are required to ensure the orientation is effective.\n"
     "Nerreah A. Olick\nFOR: PRINCIPAL SECRETARY\n",
     [{"name": "Nerreah A. Olick", "designation": "FOR: PRINCIPAL SECRETARY"}]),
]

# kp-health-posting-notification (tests/documents): a posting's place under a paragraph is no signer
NOT_SIGNERS = ["THQ Hospital Jehangira", "All Concerned", "Khyber Pakhtunkhwa", "Government High School Karak"]


@pytest.mark.parametrize("line", NOT_SIGNERS)
def test_a_place_or_a_recipient_under_a_paragraph_is_no_signer(line: str) -> None:
    got = fields("No. 1/2/2024-Admn\nDated: 1st May, 2024\nSubject: A matter\n"
                 "The undersigned is directed to convey the decision of the competent authority.\n" + line + "\n")
    assert got["signatories"] == []


@pytest.mark.parametrize("text,expected", SIGNATORIES)
def test_signatories_marked_by_the_page(text: str, expected: list[dict]) -> None:
    assert fields("No. 1/2/2024-Admn\nDated: 1st May, 2024\nSubject: A matter\n"
                  "The undersigned is directed to convey the decision of the competent authority.\n" + text
                  )["signatories"] == expected


ADDRESSEES = [
    # in-central-railway-board-letter-2002: lines without a post go on with the post above
    ("GOVERNMENT OF INDIA\nNo.2000/Elec(G)/109/14    New Delhi, Dt 12.03.2002\nGeneral Manager,\n"
     "All Indian Railway\nGeneral Manager\nICF & RCF\nSub: Provision of sockets.\n"
     "Railway Board has decided to provide sockets in all coaches of the railways in future.\n",
     ["General Manager, All Indian Railway", "General Manager, ICF & RCF"]),
    # lk-ugc-circular-2007: a comma does not carry one post into the next
    ("Establishment Circular Letter No. 08/2007\n01st October, 2007\nVice-Chancellors of Universities,\n"
     "Rectors of Campuses,\nDirectors of Institutes\nGRANTING OF SPECIAL LEAVE DURING THE SEASON\n"
     "I have annexed herewith a copy of the Circular on the above subject for your information.\n",
     ["Vice-Chancellors of Universities", "Rectors of Campuses", "Directors of Institutes"]),
    # ke-moe-circular-2023: 'Sub-County' is no subject label
    ("Ref: No. MOE.HQS/3/6//116 (56)\n8th February 2023\nTo: Regional Director of Education\n"
     "County Directors of Education\nSub-County Directors of Education\n"
     "The Ministry of Education has recently released guidelines for the implementation of the programme.\n",
     ["Regional Director of Education", "County Directors of Education", "Sub-County Directors of Education"]),
    # in-central-railway-board-letter-2023: one line, two posts
    ("No.2023/O&M/3/1\nNew Delhi, 31.03.2023\nDG/RDSO, DG/NAIR\nSub: Procedure for correspondence.\n"
     "It has been observed that letters are being addressed without any proper format at all.\n",
     ["DG/RDSO", "DG/NAIR"]),
    # a 'To be published' line is no To label (pk-balochistan-provincial-assembly-notification-2020)
    ("TO BE PUBLISHED IN THE NEXT\nISSUE OF BALOCHISTAN GAZETTE\nNOTIFICATION\nDated Quetta, the 15th July, 2020\n"
     "No.PAB/Legis:II(01)/2020. The Balochistan Finance Bill, 2020 having been passed by the Assembly is hereby published.\n",
     []),
]


@pytest.mark.parametrize("text,expected", ADDRESSEES)
def test_addressees_in_the_forms_real_letters_print(text: str, expected: list[str]) -> None:
    assert fields(text)["addressees"] == expected


DISTRIBUTION = [
    # pk-punjab-sgad-letter-2018: a copy label the body's words run into
    ("A copy alongwith a copy of the Allotment Policy of Government of the Punjab, S&GAD, 1997, amended "
     "upto 02.05.2018 is forwarded for information to:-\n(i) The Secretary (Services), S&GAD.\n"
     "(ii) The Secretary (I&C), S&GAD.\n",
     ["The Secretary (Services), S&GAD", "The Secretary (I&C), S&GAD"]),
    # pk-sindh-sgacd-notification-2024: one recipient in the sentence
    ("A copy is forwarded to the Superintendent, Sindh Government Printing Press, Karachi, with a request "
     "to publish the same in the next issue of the Sindh Government Gazette.\n",
     ["the Superintendent, Sindh Government Printing Press, Karachi, with a request to publish the same "
      "in the next issue of the Sindh Government Gazette"]),
]


@pytest.mark.parametrize("foot,expected", DISTRIBUTION)
def test_distribution_labels(foot: str, expected: list[str]) -> None:
    text = ("No. SO(A)1-2/2024\nDated Lahore, the 7th May, 2024\nSubject: Policy\n"
            "The Governor of Punjab has been pleased to approve the amendments in the Policy of the Government.\n"
            "(MUHAMMAD AKMAL)\nESTATE OFFICER\n" + foot)
    assert fields(text)["distribution"] == expected


SUBJECTS = [
    # ke-moe-circular-2022: 'RE:' in capitals
    ("Ref. NO. MOE.HQS/3/6/28/66\nDate: 16th September 2022\nTO: All County Directors of Education\n"
     "RE: ORIENTATION OF GRADES 1, 2 AND 3 TEACHERS\nAs you are aware, the State Department has developed "
     "designs for teachers of grades one to three.\n", "orientation of grades 1, 2 and 3 teachers"),
    # pk-punjab-finance-letter-2007: the label alone, the words under it after a blank
    ("No. FD(FR)II-5/82(Main)\nDated Lahore the 3rd January, 2007.\nSubject:\n\nDECLARATION OF DISTRICT "
     "MONITORING OFFICERS\n\nPlease refer to your letter dated 17th October, 2006, wherein it has been "
     "requested to declare the officer.\n", "declaration of district monitoring officers"),
    # ph-doj-circular-2017: no punctuation after the label
    ("MEMORANDUM CIRCULAR NO. 05\nTO All Concerned\n\nSUBJECT Presidential Issuances\n\nDATE AUG 17 2017\n\n"
     "For the information and guidance of all concerned, the following issuances are disseminated.\n",
     "presidential issuances"),
    # lk-ugc-circular-2007: a capitals line between the recipients and the body
    ("Establishment Circular Letter No. 08/2007\n01st October, 2007\nVice-Chancellors of Universities\n"
     "GRANTING OF SPECIAL LEAVE DURING THE RAMAZAN SEASON 2007\nI have annexed herewith a copy of "
     "the Circular on the above subject for your information and necessary action.\n",
     "granting of special leave during the ramazan season 2007"),
]


@pytest.mark.parametrize("text,expected", SUBJECTS)
def test_subjects(text: str, expected: str) -> None:
    assert (fields(text)["subject"] or "").lower() == expected


OWN_NUMBERS = [
    # pk-federal-cga-letter-2018: a phone number is never the document's number
    ("GOVERNMENT OF PAKISTAN - OFFICE OF THE CONTROLLER GENERAL OF ACCOUNTS\nPh No:051-9213460, Fax No:051-9213460\n"
     "No.916 /CGA/A.A/RP-2018 (LC) Dated:16.10.2018\nSubject: REVISED PROCEDURE\n"
     "Kindly refer to Finance Division letter dated 12.10.2018 on the above subject for compliance.\n",
     "No.916/CGA/A.A/RP-2018 (LC)", "2018-10-16"),
    # ke-moe-circular-2022: 'Ref. No.' opening the header is the document's own
    ("Ref. NO. MOE.HQS/3/6/28/66\nDate: 16th September 2022\nTO: All County Directors of Education\n"
     "RE: ORIENTATION OF TEACHERS\nAs you are aware, the State Department has developed new designs "
     "for the teachers of grades one to three.\n", "NO.MOE.HQS/3/6/28/66", "2022-09-16"),
    # bd-establishment-notification-1985: a registration number is not the document's
    ("Registered No. DA-1\nGOVERNMENT OF THE PEOPLE’S REPUBLIC OF BANGLADESH\nMINISTRY OF ESTABLISHMENT\n"
     "NOTIFICATION\nDhaka, the 30th December, 1985\nNo.S.R.O.533-L/85.—In exercise of the powers conferred "
     "by the first proviso, the Government is pleased to make the following amendment.\n",
     "S.R.O. 533-L/85", "1985-12-30"),
    # ph-csc-circular-1991: the date printed after the series title's number, without 'dated'
    ("[ CSC MEMORANDUM CIRCULAR NO. 19, May 24, 1991 ]\nTO: ALL HEADS OF DEPARTMENTS\n"
     "SUBJECT: THE USE OF THE BASELINE DATA FORM\nPursuant to the Rules, the form shall be used by all.\n",
     "CSC MEMORANDUM CIRCULAR NO. 19", "1991-05-24"),
    # in-central-cvc-circular-2023-2: a typist's mixed separators
    ("Central Vigilance Commission\nCircular No. 05/06/23\nDated 26-06.2023\n"
     "Subject: Eligibility of facilities to the Chief Vigilance Officers\n"
     "The Commission has received references from organisations on this matter.\n",
     "Circular No. 05/06/23", "2023-06-26"),
]

# pk-federal-nepra-letter-2014: the subject line cites a decision by number and date; the
# letter prints no number of its own and its date stands alone in the letterhead
NO_OWN_NUMBER = ("National Electric Power Regulatory Authority\nIslamic Republic of Pakistan\n"
                 "NEPRA Tower, Ataturk Avenue(East), G-5/1, Islamabad\nPh: , Fax: Web: / November 7, 2014\n"
                 "Chief Executive Officer,\nHub Power Company Ltd.\n"
                 "Subject: Review filed against Authority's Decision No. NEPRA/TRF-92/HUBCO-2008/ dated May 23, 2014\n"
                 "Enclosed please find herewith the subject decision of the Authority for information.\n")


def test_a_number_and_date_in_the_subject_are_cited_not_own() -> None:
    got = fields(NO_OWN_NUMBER)
    assert (got["reference_number"], got["date"]) == (None, "2014-11-07")


@pytest.mark.parametrize("text,number,date", OWN_NUMBERS)
def test_own_number_and_date(text: str, number: str, date: str) -> None:
    from pipeline.extract import canonical_key

    got = fields(text)
    assert canonical_key(got["reference_number"] or "") == canonical_key(number)
    assert got["date"] == date


def test_constitution_of_another_country_is_kept_as_printed() -> None:
    # zm-ecz-notification-2016: never Pakistan's Constitution for a Zambian text
    got = fields("REPUBLIC OF ZAMBIA\nGAZETTE NOTICE\nIN EXERCISE of the powers conferred by Article 58(4) of "
                 "the Constitution of Zambia, the Commission declares the following.\n")["cited_rules"]
    assert [(c["instrument"], c["year"]) for c in got] == [("Constitution of Zambia", None)]


def test_sub_section_of_a_section() -> None:
    got = fields("No. S.O(R-I)5(13)/S&GAD-2024\nIn exercise of the powers conferred by sub-section (1) of "
                 "Section 25 of the Balochistan Civil Servants Act, 1974, the Government is pleased to amend.\n")
    assert got["cited_rules"][0]["provisions"] == ["Section 25(1)"]


FLATTENED = ("GOVERNMENT OF KHYBER PAKHTUNKHWA FINANCE DEPARTMENT Civil Secretariat Peshawar "
             "No 2/9(F/L)/FD/2022 Dated Peshawar the 3rd June 2022 1. All Administrative Secretaries to Govt "
             "of Khyber Pakhtunkhwa, Peshawar. 2. All Deputy Commissioners in Khyber Pakhtunkhwa Subject - "
             "TRANSFER OF FUNDS Dear Sir, I am directed to refer to the subject noted above and to state that "
             + "the Drawing and Disbursing Officers have kept Government money in banks. " * 8)


def test_a_flattened_document_is_read_by_its_lines() -> None:
    # pk-kp-finance-letter-2022, as a web page reproduces it: one line
    assert is_flattened(FLATTENED) and len(reflow(FLATTENED)) == len(FLATTENED)
    got = fields(FLATTENED)
    assert got["date"] == "2022-06-03"
    assert got["addressees"][:2] == ["All Administrative Secretaries to Govt of Khyber Pakhtunkhwa, Peshawar",
                                     "All Deputy Commissioners in Khyber Pakhtunkhwa"]


def test_a_document_with_lines_is_left_as_it_is() -> None:
    text = "No. 1/2/2024\nDated: 1st May, 2024\nSubject: A matter\nThe undersigned is directed to say so.\n"
    assert not is_flattened(text) and reflow(text) == text


def test_a_number_cited_twice_is_one_reference() -> None:
    # in-central-cvc-circular-2023: the Office Order cited with a four- and a two-digit year
    got = fields("No. 021/VGL/051\nDated. 06-04-2023\nCircular No. 03 /04/23\nSubject: Handling of Complaints\n"
                 "Ref:- Commission's Office Order No. 08/08/2020 dated 14.08.2020\n"
                 "In partial modification of Commission's Office Order No. 08/08/20 dated 14.08.2020, the "
                 "Commission has decided to forward complaints.\n")["references"]
    assert [(r["reference_number"], r["date"]) for r in got] == [("No.08/08/2020", "2020-08-14")]


def test_the_documents_own_endorsement_number_is_no_reference() -> None:
    # in-central-pcda-pensions-circular-2016: the file number printed at the foot with the own date
    got = fields("Circular No. 566\nDated: 16.09.2016\nSubject :- Revision of pension.\n"
                 "Ref :- This office Circular No. 555 dated 04.02.2016.\n"
                 "Pension Disbursing Agencies are aware that pension is to be revised by the agencies.\n"
                 "No. Gts/Tech/0167/XXIV\nDated: 16.09.2016\n(C.B. Yadav)\nDCDA (Pensions)\n")
    assert [(r["reference_number"], r["date"]) for r in got["references"]] == [("No.555", "2016-02-04")]
    assert got["reference_number"] == "Circular No.566" or got["reference_number"].endswith("566")


def test_an_unlabelled_list_of_directions_is_no_distribution() -> None:
    # pk-punjab-dc-hafizabad-order-2020: numbered directions at the end of an order
    got = fields("No. 1/2020\nDated: 22.04.2020\nORDER\nWHEREAS the Government has decided as follows in the "
                 "matter of fees charged by private schools across the district this year.\n"
                 "1. 25% concession must be awarded in the fee currently being charged by every private school "
                 "of the district without exception.\n"
                 "2. No private school shall be allowed to collect fees in advance except on a monthly basis "
                 "from the parents.\n")
    assert got["distribution"] == []


def test_a_reference_dated_after_its_issuers_short_names() -> None:
    # in-west-bengal-finance-notification-2012
    got = fields("No. 1234-F(Y)\nDated: 10.02.2012\nNOTIFICATION\nWhereas the Department of Personnel vide "
                 "letter No. 25014/14/2001-AIS(II) DoPT, GOI, dated: 08.09.2009 has issued the guidelines.\n")
    assert [(r["reference_number"], r["date"]) for r in got["references"]] == [("No.25014/14/2001-AIS(II)", "2009-09-08")]


INSTRUMENT_TITLES = [
    # in-central-cbdt-circular-2015: a subject above the paragraph is no part of the title
    ("Clarifications on Tax Compliance for Undisclosed Foreign Income and Assets\n\n"
     "The Black Money (Undisclosed Foreign Income and Assets) and Imposition of Tax Act, 2015 was enacted.\n",
     ("Black Money (Undisclosed Foreign Income and Assets) and Imposition of Tax Act", 2015)),
    # ph-ched-order-2017: a numbered Act
    ("In accordance with the pertinent provisions of Republic Act No. 7722, the Commission resolves.\n",
     ("Republic Act No. 7722", None)),
    # in-central-dop-pe1-letter-2022: a volume of a manual
    ("as per Rule 38 of Postal Manual Vol. IV the matter is examined.\n", ("Postal Manual Vol. IV", None)),
]


@pytest.mark.parametrize("text,expected", INSTRUMENT_TITLES)
def test_instrument_titles(text: str, expected: tuple) -> None:
    got = fields(text)["cited_rules"]
    assert (got[0]["instrument"], got[0]["year"]) == expected


LETTERHEADS_IN_A_ROW = [
    # in-goa-directorate-of-agriculture-order-2021: a flattened letterhead, one name after another
    ("GOVERNMENT OF GOA Department of Agriculture Directorate of Agriculture __ Order\n"
     "No. 1/21/RTI/2021-22/D.Agri/1205 In pursuance of sub-section (1) of Section 5 of the Act.\n",
     "Government of Goa", "Directorate of Agriculture"),
    # ph-ched-order-2017: the head's office, then the commission, then where it sits
    ("Republic of the Philippines OFFICE OF THE PRESIDENT COMMISSION ON HIGHER EDUCATION Central Office\n"
     "CHED MEMORANDUM ORDER NO. 11 Series of 2017\nSUBJECT: POLICY ON TEMPORARY SUSPENSION\n",
     "Republic of the Philippines", "Commission On Higher Education"),
    # in-tamil-nadu-finance-order-2015: one name printed in two cases is still one name
    ("GOVERNMENT OF TAMIL NADU\nFINANCE [Pension] DEPARTMENT\nG.O.Ms.No.254 Dated: 25.06.2015\n"
     "Subject: PENSION Honouring of officials\n", "Government of Tamil Nadu", "Finance [Pension] Department"),
    # in-central-epfo-letter-2024: the ministry, then its government, on one line
    ("Ministry of Labour & Employment, Government of India\nNo. WSU/2023/12/3978\nDate: 20.03.2024\n"
     "Subject: Inoperative accounts\n", "Government of India", "Ministry of Labour & Employment"),
    # pk-kp-establishment-letter-2011: lines flattened with bars, numbered recipients under the date
    ("GOVERNMENT OF KHYBER PAKHTUNKHWA | ESTABLISHMENT DEPARTMENT | (REGULATION WING) | No. SOR-VI/E&AD/2-6 | "
     "Dated Peshawar, the, 17th September, 2011 | 1. The Additional Chief Secretary, Planning & Development "
     "Department, Government of Khyber Pakhtunkhwa, Peshawar. 2. The Additional Chief Secretary (FATA), FATA "
     "Secretariat, Peshawar, 3. The Senior Member, Board of Revenue, Khyber Pakhtunkhwa: Subject: KHYBER "
     "PAKHTUNKHWA GOVERNMENT SERVANTS RULES, 2011. Dear Sir, I am directed to invite your attention to the "
     "rules published in the Extraordinary issue of the Government Gazette of 16th September, 2011 and to "
     "state that the procedure to be adopted for proceeding against persons has been substantially changed. "
     + "These rules also apply to every person who is a member of the civil service of the Province. " * 4,
     "Government of Khyber Pakhtunkhwa", "Establishment Department"),
    # in-jammu-kashmir-finance-order-2006 / pk-federal-ecp-notification-2023: OCR specks before the name
    ("I) Election Commission of Pakistan\nNo.F.2(3)/2023-Cord\nIslamabad, the 22nd December, 2023\n"
     "NOTIFICATION\n", "Election Commission of Pakistan", None),
]

# in-himachal-pradesh-finance-letter-2007: the 'From' block names the signer's government;
# pk-balochistan-provincial-assembly-notification-2015: a gazette's masthead is no issuer
NOT_LETTERHEAD = [
    ("No. Fin-F-(A)-(11)-4/2004\nGovernment of Himachal Pradesh\nFinance Department\nFrom\n"
     "The Principal Secretary (Finance) to the\nGovernment of Himachal Pradesh, SHIMLA - 2.\nTo\n"
     "All the Administrative Secretaries\nSubject: Economy measures\n", "Finance Department"),
    ("EXTRAORDINARY REGISTERED NO.\nTHE BALOCHISTAN GOVERNMENT GAZETTE\nPUBLISHED BY THE AUTHORITY\n"
     "BALOCHISTAN PROVINCIAL ASSEMBLY SECRETARIAT\nNOTIFICATION\nNo.PAB/Legis: V (16)/2015\n", None),
]


@pytest.mark.parametrize("text,department", NOT_LETTERHEAD)
def test_what_is_printed_near_the_letterhead_but_names_no_issuer(text: str, department: str | None) -> None:
    got = fields(text)["issuer"]
    assert got["department"] == department
    assert "Gazette" not in (got["organization"] or "") and "Authority" not in (got["organization"] or "")


@pytest.mark.parametrize("text,organization,department", LETTERHEADS_IN_A_ROW)
def test_names_printed_in_a_row_in_the_letterhead(text: str, organization: str, department: str) -> None:
    got = fields(text)["issuer"]
    assert (got["organization"] or "").lower() == organization.lower()
    assert (got["department"] or "").lower() == (department or "").lower()


def test_one_number_dated_twice_cites_two_papers() -> None:
    # in-delhi-services-letter-1991
    got = fields("DELHI ADMINISTRATION : DELHI\n(SERVICES-II DEPARTMENT)\nNo. F.2(49)/90-S.II\nDated: 4.6.91\n"
                 "Subject: Processing of proposals.\nI am to invite a reference to this Administration's OM No. "
                 "F.2(49)/88-S.II dated 30-11-1988 and 24-10-1990, on the subject cited above.\n")
    assert [(r["reference_number"], r["date"]) for r in got["references"]] == [
        ("No.F.2(49)/88-S.II", "1988-11-30"), ("No.F.2(49)/88-S.II", "1990-10-24")]


NUMBERS_WITH_SPACES_AND_SERIES = [
    # pk-punjab-sed-letter-2022, pk-punjab-finance-notification-1995, in-central-dopt-om-2020,
    # in-karnataka-commerce-industries-notification-2011, pk-balochistan-provincial-assembly-notification-2015
    ("No. SO (A-1)3-4/2015(P-III) Dated Lahore", "No. SO (A-1)3-4/2015(P-III)"),
    ("No. FD (FR) II-2/89(P)\n", "No. FD (FR) II-2/89(P)"),
    ("No. 11013/9/2014-Est (A.III)\nGovernment of India", "No. 11013/9/2014-Est (A.III)"),
    ("No : CI:327:MMM:2010 Bangalore", "No : CI:327:MMM:2010"),
    ("No.PAB/Legis: V (16)/2015\n", "No.PAB/Legis: V (16)/2015"),
    ("No. SO (I&C)-3(1)/2023 dated 12.1.2024", "No. SO (I&C)-3(1)/2023"),
    # zm-ecz-notification-2016, sz-wages-council-notification-1994, mu-mcsar-circular-2005
    ("Gazette Notice No. 383 of 2016\n", "Gazette Notice No. 383 of 2016"),
    ("GENERAL NOTICE NO. 22 OF 1994\n", "GENERAL NOTICE NO. 22 OF 1994"),
    ("Circular Note No 51 of 2005\n", "Circular Note No 51 of 2005"),
    # in-tripura-agriculture-letter-2015: 'F' before the number, with or without its space
    ("No.F 33(2-45)-Agri/Res/2008-09/Part/\n", "No.F33(2-45)-Agri/Res/2008-09/Part"),
]


@pytest.mark.parametrize("text,printed", NUMBERS_WITH_SPACES_AND_SERIES)
def test_numbers_printed_with_spaces_or_a_series_name(text: str, printed: str) -> None:
    from pipeline.extract.refnum import canonical_key, find_reference_numbers

    found = find_reference_numbers(text)
    assert [r.key for r in found] == [canonical_key(printed)]


def test_a_date_after_the_number_is_not_part_of_it() -> None:
    from pipeline.extract.refnum import find_reference_numbers

    assert [r.key for r in find_reference_numbers("No. 12/2020 dated 01-02-2020")] == ["12/2020"]
    assert [r.key for r in find_reference_numbers("No. SO(B)1-2/2020 01-02-2020")] == ["so/b/1/2/2020"]
