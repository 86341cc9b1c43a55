"""Header fields: document type, issuer, place, subject."""

import pytest

from pipeline.extract import extract_fields
from pipeline.extract._text import Line
from pipeline.extract.doctype import heading_of, headings_in

BODY = "\nThe undersigned is directed to state that the matter has been considered in detail and decided.\n"


def line(text: str) -> Line:
    return Line(0, len(text), text)


HEADINGS = [
    ("CIRCULAR", "circular"), ("OFFICE MEMORANDUM", "office_memorandum"), ("0FFICE MEM0RANDUM", "office_memorandum"),
    ("OFFICE MEMORANDUMN", "office_memorandum"), ("NOTIFICATION", "notification"), ("N0TIFICATION", "notification"),
    ("NOTIFlCATION", "notification"), ("OFFICE ORDER", "office_order"), ("ORDER", "order"), ("CIRCULAF", "circular"),
    ("  CIRCULAR  ", "circular"), ("CIRCULAR NO. 12 OF 2023", "circular"), ("Office Memorandum", "office_memorandum"),
    ("CORRIGENDUM", "other"), ("MEMORANDUM", "office_memorandum"), ("OFFlCE ORDER", "office_order"),
    ("CIRCULAR NO. 07 OF 2023-24 (INCOME TAX)", "circular"), ("NOTIFICATION NO. 12 OF 2024 (SALES TAX)", "notification"),
    ("OFFICE ORDER NO. 45/2023-24 DATED 01.02.2024", "office_order"),
    ("ORDER i 8", "order"), ("NOTIFICATION ; ie", "notification"), ("O.M.", "office_memorandum"),
]


@pytest.mark.parametrize(("text", "kind"), HEADINGS)
def test_heading_of(text: str, kind: str) -> None:
    found = heading_of(line(text))
    assert found is not None and found.kind == kind


@pytest.mark.parametrize("text", [
    "GOVERNMENT OF PAKISTAN", "ESTABLISHMENT DIVISION", "It is ordered that the officer shall report.", "Subject: CIRCULAR", "",
    "ALLAMA IQBAL OPEN UNIVERSITY", "BY ORDER OF THE GOVERNOR OF THE PUNJAB AND OTHERS",
])
def test_not_a_heading(text: str) -> None:
    assert heading_of(line(text)) is None


def test_phrase_matcher_finds_headings_inside_text() -> None:
    assert [k for k, _ in headings_in("see the office memorandum and the circular")] == ["office_memorandum", "circular"]


DOCTYPE_WITHOUT_HEADING = [
    ("GOVERNMENT OF THE PUNJAB\n\nNo. SO(A)1-2/2020\n\nTo\n    The Secretary,\n    Finance Department.\n\nSubject: Funds\n\nDear Sir,\n" + BODY, "letter"),
    ("UNIVERSITY OF THE PUNJAB\n\nCircular No. 15/2023\n\n" + BODY, "circular"),
    ("Some words only" + BODY, None),
]


@pytest.mark.parametrize(("text", "kind"), DOCTYPE_WITHOUT_HEADING)
def test_document_type_without_heading(text: str, kind: str | None) -> None:
    ex = extract_fields(text)
    assert ex.fields["document_type"] == kind
    if kind is None:
        assert ("missing-field", "no document type heading found", "document_type") in ex.review_reasons


ISSUERS = [
    ("GOVERNMENT OF PAKISTAN\nCABINET SECRETARIAT\nESTABLISHMENT DIVISION\n\nF. No. 1/2/2021-E-1  Islamabad, the 2nd March, 2021\n\nOFFICE MEMORANDUM\n",
     "Government of Pakistan", "Establishment Division"),
    ("ALLAMA IQBAL OPEN UNIVERSITY\n(Roglstrar's Department)\n\nNo.F.2-244/2023-Admn/3909 Dated: 18th September, 2023.\nCIRCULAR\n",
     "Allama Iqbal Open University", "Registrar's Department"),
    ("No. 11013/2/2014-Estt.(A-III)\nGovernment of India\nMinistry of Personnel, Public Grievances & Pensions\nDepartment of Personnel & Training\n\nNorth Block,\nNew Delhi, dated 15th April, 2023\n\nOFFICE MEMORANDUM\n",
     "Government of India", "Department of Personnel & Training"),
    ("GOVERNMENT OF THE PUNJAB\nSERVICES & GENERAL ADMINISTRATION DEPARTMENT\n(Regulations Wing)\n\nNo. SOR-I(S&GAD)1-12/2019   Lahore, dated the 3rd March, 2022\n\nNOTIFICATION\n",
     "Government of the Punjab", "Services & General Administration Department"),
    ("GOVERNMENT OF SINDH\nSERVICES, GENERAL ADMINISTRATION & COORDINATION DEPARTMENT\n(Services Wing)\n\nKarachi, dated 18-09-2023\n\nNOTIFICATION\n",
     "Government of Sindh", "Services, General Administration & Coordination Department"),
    ("GOVERNMENT OF KHYBER PAKHTUNKHWA\nESTABLISHMENT DEPARTMENT\n(Regulation Wing)\n\nNo. SO(Reg-VI)E&AD/1-5/2021   Peshawar, dated March 3, 2022\n",
     "Government of Khyber Pakhtunkhwa", "Establishment Department"),
    ("UNIVERSITY OF THE PUNJAB\nRegistrar's Office\n\nNo. 2231/Estt.-I     Dated: 12/10/2023\n\nOFFICE ORDER\n",
     "University of the Punjab", "Registrar's Office"),
    ("GOVERNMENT OF PAKISTAN\nFINANCE DIVISION\n(Expenditure Wing)\n\nF.No.7(1)Exp-IV/2023-412     Islamabad, 03.07.2023\n\nOFFICE MEMORANDUM\n",
     "Government of Pakistan", "Finance Division"),
    ("GOVERNMENT OF BALOCHISTAN\nHEALTH DEPARTMENT\n\nNo. SO(H)2-1/2021   Quetta, dated 1st June, 2021\n\nNOTIFICATION\n",
     "Government of Balochistan", "Health Department"),
    ("QUAID-I-AZAM UNIVERSITY\nISLAMABAD\n\nNo. QAU/Admn/2023/55     Dated: 2nd February, 2023\n\nNOTIFICATION\n",
     "Quaid-i-Azam University", None),
    ("GOVERNMENT OF SINDH\nSERVICES, GENERAL ADMINISTRATION & COORDINATION\nDEPARTMENT\n\n(Services Wing)\n\nKarachi, dated 18-09-2023\n\nNOTIFICATION\n",
     "Government of Sindh", "Services, General Administration & Coordination Department"),
    ("HIGHER EDUCATION COMMISSION\nH-9, ISLAMABAD\n\nNo. 5-1/HEC/2022    Dated: 2nd June, 2022\n\nCIRCULAR\n",
     "Higher Education Commission", None),
]


@pytest.mark.parametrize(("header", "organization", "department"), ISSUERS)
def test_issuer(header: str, organization: str, department: str | None) -> None:
    text = header + BODY
    ex = extract_fields(text)
    assert ex.fields["issuer"] == {"organization": organization, "department": department}
    start, end = ex.evidence["/issuer/organization"][0]
    assert text[start:end].strip()


PLACES = [
    ("F. No. 1/2/2021-E-1     Islamabad, the 2nd March, 2021\n", "Islamabad"),
    ("No. SOR-I(S&GAD)1-12/2019   Lahore, dated the 3rd March, 2022\n", "Lahore"),
    ("North Block,\nNew Delhi, dated 15th April, 2023\n", "New Delhi"),
    ("No.F.2-244/2023-Admn/3909 Dated: 18th September, 2023.\n", None),
    ("No. 4/5/2020-Admn     Rawalpindi, 4th May, 2020\n", "Rawalpindi"),
    ("No. 4/5/2020-Admn     Gwadar, the 4th May, 2020\n", "Gwadar"),
]


@pytest.mark.parametrize(("header", "place"), PLACES)
def test_place(header: str, place: str | None) -> None:
    text = "GOVERNMENT OF PAKISTAN\n" + header + "\nOFFICE MEMORANDUM\n" + BODY
    ex = extract_fields(text)
    assert ex.fields["place"] == place
    if place:
        start, end = ex.evidence["/place"][0]
        assert text[start:end] == place


SUBJECTS = [
    ("Subject: USE OF SOCIAL MEDIA BY GOVERNMENT SERVANTS\n", "Use of social media by government servants"),
    ("Subject: . USE OF SOCIAL MEDIA BY GOVERNMENT SERVANTS\n", "Use of social media by government servants"),
    ("SUBJECT:- REVISION OF PAY SCALES\n", "Revision of pay scales"),
    ("Sub: Winter vacations 2023.\n", "Winter vacations 2023"),
    ("Subject: Conduct of Government servants on social media and unauthorised absence from duty - regarding.\n",
     "Conduct of Government servants on social media and unauthorised absence from duty - regarding"),
    ("Subject: AUSTERITY MEASURES FOR THE FINANCIAL\nYEAR 2023-24\n", "Austerity measures for the financial year 2023-24"),
    ("Subjcct: Grant of leave\n", "Grant of leave"),
    ("Subject:\tTransfer of officers\n_______________\n", "Transfer of officers"),
    ("Subject: TIMELY FINALIZATION OF DISCIPLINARY PROCEEDINGS\nUNDER THE RULES\n\nSERVANTS (EFFICIENCY AND DISCIPLINE) RULES, 2011\n",
     "Timely finalization of disciplinary proceedings under the rules servants (efficiency and discipline) rules, 2011"),
    ("", None),
]


@pytest.mark.parametrize(("line_text", "subject"), SUBJECTS)
def test_subject(line_text: str, subject: str | None) -> None:
    text = "GOVERNMENT OF PAKISTAN\nF. No. 1/2/2021-E-1  Islamabad, the 2nd March, 2021\n\nOFFICE MEMORANDUM\n\n" + line_text + BODY
    ex = extract_fields(text)
    assert ex.fields["subject"] == subject
    if subject:
        start, end = ex.evidence["/subject"][0]
        assert text[start:end].strip()


@pytest.mark.parametrize(("text", "trimmed"), [
    ("Federal Board of Revenue, 9", "Federal Board of Revenue"),
    ("E.II (A) Branch ee 3", "E.II (A) Branch"),
    ("Academic Section", "Academic Section"),
    ("Wing-I", "Wing-I"),
    ("Services & General Administration Department", "Services & General Administration Department"),
])
def test_trailing_specks_are_trimmed_from_names(text: str, trimmed: str) -> None:
    from pipeline.extract._text import trim_trailing_specks

    assert trim_trailing_specks(text) == trimmed
