"""Formats met in eight documents written by someone who had not seen the extractor's output
(a Punjab S&GAD notification, an Indian DoPT O.M., a BZU office order, a KP education
circular, a Finance Division O.M. on FR-17, a Sindh posting notification, a Gilgit-Baltistan
circular, a Tamil Nadu G.O.; 76 of their 92 fields came out right before these fixes):
padded list markers, a file's earlier paper of the same number, G.O. numbers and ABSTRACTs,
issuers printed after the number, attestation lines, towns in the letterhead."""

from __future__ import annotations

import pytest

from pipeline.extract import extract_fields
from pipeline.extract.refnum import find_reference_numbers
from pipeline.extract.rules import find_cited_rules

PUNJAB_HEAD = ("GOVERNMENT OF THE PUNJAB\nSERVICES & GENERAL ADMINISTRATION DEPARTMENT\n\n"
               "No.SO(REG-I)1-12/2019                Dated Lahore, the 3rd May, 2021\n\n")
BODY = "The Governor of the Punjab is pleased to direct that the rules shall be amended as under.\n\n"
SIGNATURE = "                              (MUHAMMAD ASIF RANA)\n                              SECTION OFFICER (REG-I)\n\n"


def fields(text: str) -> dict:
    return extract_fields(text).fields


@pytest.mark.parametrize("items, expected", [
    # markers padded with spaces to line up: one item each, not a column of markers
    ("i.    The Senior Member, Board of Revenue, Punjab.\nii.   All Commissioners.\n"
     "iii.  All Deputy Commissioners.\niv.   The Accountant General, Punjab.\n"
     "v.    The Secretary, Finance Department.\nvi.   PS to Chief Secretary.",
     ["The Senior Member, Board of Revenue, Punjab", "All Commissioners", "All Deputy Commissioners",
      "The Accountant General, Punjab", "The Secretary, Finance Department", "PS to Chief Secretary"]),
    # and an indented continuation line stays with its item
    ("i.    The Superintendent, Government Printing Press, Lahore with the\n"
     "      request to publish it in the Gazette.\nii.   All Commissioners.",
     ["The Superintendent, Government Printing Press, Lahore with the request to publish it in the Gazette",
      "All Commissioners"]),
    # a true second column still splits off
    ("1. All Deans          With the request to circulate\n2. All Directors       among the staff.",
     ["All Deans", "All Directors"]),
])
def test_copy_list_items(items: str, expected: list[str]) -> None:
    text = f"{PUNJAB_HEAD}{BODY}{SIGNATURE}No. & date even.\nA copy is forwarded to:-\n{items}\n"
    assert fields(text)["distribution"] == expected


@pytest.mark.parametrize("attestation", ["-// Forwarded / By Order //-", "/True Copy/", "// BY ORDER //"])
def test_an_attestation_line_ends_the_copy_list(attestation: str) -> None:
    text = (f"{PUNJAB_HEAD}{BODY}{SIGNATURE}Copy to:\nThe Accountant General, Punjab.\nStock File.\n\n"
            f"          {attestation}\n\n          SECTION OFFICER\n")
    assert fields(text)["distribution"] == ["The Accountant General, Punjab", "Stock File"]


@pytest.mark.parametrize("cited, expected", [
    # the same file number with an earlier date is the earlier paper of that file
    ("in partial modification of this Department's Notification No.SO(REG-I)1-12/2019 dated 24th September, 2019,",
     [{"reference_number": "No.SO(REG-I)1-12/2019", "date": "2019-09-24",
       "issuer": "Services & General Administration Department", "kind": "notification"}]),
    # with the document's own date it is the document itself
    ("as notified vide No.SO(REG-I)1-12/2019 dated 3rd May, 2021,", []),
])
def test_the_own_number_is_a_reference_only_with_an_earlier_date(cited: str, expected: list) -> None:
    assert fields(f"{PUNJAB_HEAD}{cited} {BODY}{SIGNATURE}")["references"] == expected


def test_a_reference_joined_by_and_shares_the_issuer_before_it() -> None:
    text = ("Government of India\nDepartment of Personnel & Training\n\nNo. 11013/2/2023-Estt.A-III"
            "         Dated the 2nd May, 2023\n\nOFFICE MEMORANDUM\n\nThe undersigned is directed to refer "
            "to this Department's O.M. No. 11013/9/2014-Estt.A-III dated 25th November, 2014 and O.M. "
            "No. 11013/6/2018-Estt.A-III dated 11th July, 2019 on the subject.\n")
    issuers = [r["issuer"] for r in fields(text)["references"]]
    assert issuers == ["Department of Personnel & Training"] * 2


@pytest.mark.parametrize("text, jurisdiction, expected", [
    # India's 2017 GFR: its year is not printed in a Pakistani document
    ("under Rule 10 of the General Financial Rules.", "PK-GB", ("General Financial Rules", None, ["Rule 10"])),
    ("under Rule 10 of the General Financial Rules.", "IN", ("General Financial Rules", None, ["Rule 10"])),
    ("under Rule 10 of the General Financial Rules, 2017.", "IN", ("General Financial Rules", 2017, ["Rule 10"])),
    ("2. FR-17 of the Fundamental Rules provides that pay begins.", "PK", ("Fundamental Rules", None, ["FR 17"])),
    ("under F.R.-22 the pay is fixed.", "PK", ("Fundamental Rules", None, ["FR 22"])),
    ("Rule-18 of the Government Servants (Conduct) Rules, 1964 applies.", "PK",
     ("Government Servants (Conduct) Rules", 1964, ["Rule 18"])),
    # a provision's letter is no title's first word
    ("under Rule 17-A of the Civil Servants (Appointment, Promotion and Transfer) Rules, 1973.", "PK",
     ("Civil Servants (Appointment, Promotion and Transfer) Rules", 1973, ["Rule 17-A"])),
    ("Rule 25-A of the Rajasthan Service Rules, 1951 applies.", "IN", ("Rajasthan Service Rules", 1951, ["Rule 25-A"])),
    ("As per section 115BAC of the Income-tax Act, 1961, the rates", "IN", ("Income-tax Act", 1961, ["Section 115BAC"])),
    ("Rules 2.1 and 2.2 of the Punjab Civil Servants Leave Rules, 2012", "PK-PB",
     ("Punjab Civil Servants Leave Rules", 2012, ["Rule 2.1", "Rule 2.2"])),
])
def test_cited_instruments(text: str, jurisdiction: str, expected: tuple) -> None:
    (found,) = find_cited_rules(text, jurisdiction=jurisdiction)
    assert (found.title, found.year, found.provisions) == expected


@pytest.mark.parametrize("text, printed, key", [
    ("G.O.(Ms) No.45", "G.O.(Ms) No.45", "go/ms/45"),
    ("G.O.(Rt) No.45", "G.O.(Rt) No.45", "go/rt/45"),
    ("G.O.Ms.No.1021 dated", "G.O.Ms. No.1021", "go/ms/1021"),
    ("G.O. No. 7 dated", "G.O. No.7", "go//7"),
])
def test_government_order_numbers_keep_their_series(text: str, printed: str, key: str) -> None:
    (ref,) = find_reference_numbers(text)
    assert (ref.printed, ref.key, ref.kind) == (printed, key, "order")


GO = """GOVERNMENT OF TAMIL NADU

                                   ABSTRACT

Public Services - Conduct Rules - Rule 7 - Intimation of property through the portal -
Amendment - Orders - Issued.
--------------------------------------------------------------------------------
HUMAN RESOURCES MANAGEMENT (A) DEPARTMENT

G.O.(Ms) No.45                                                  Dated: 05.06.2023
                                     Read:
1. G.O.(Ms) No.112, Personnel and Administrative Reforms (A) Department,
   dated 14.08.2019.
                                     -----
ORDER:
      In the Government Order read above, orders were issued prescribing the forms in which
Government servants shall give intimation of transactions in immovable property.

2. The Government have decided that the intimation shall be submitted through the portal.
"""


def test_a_government_order_with_its_abstract_and_read_list() -> None:
    got = fields(GO)
    assert got["reference_number"] == "G.O.(Ms) No.45"
    assert got["date"] == "2023-06-05"
    assert got["document_type"] == "order"
    assert got["issuer"] == {"organization": "Government of Tamil Nadu",
                             "department": "Human Resources Management (A) Department"}
    assert got["subject"] == ("Public Services - Conduct Rules - Rule 7 - Intimation of property "
                              "through the portal - Amendment - Orders - Issued")
    assert got["references"] == [{"reference_number": "G.O.(Ms) No.112", "date": "2019-08-14",
                                  "issuer": "Personnel and Administrative Reforms (A) Department",
                                  "kind": "order"}]


@pytest.mark.parametrize("letterhead, place", [
    ("BAHAUDDIN ZAKARIYA UNIVERSITY\nMULTAN\nOFFICE OF THE REGISTRAR\n", "Multan"),
    ('GOVERNMENT OF KHYBER PAKHTUNKHWA\nFINANCE DEPARTMENT\nBlock "A", Civil Secretariat, Peshawar\n',
     "Peshawar"),
    ("ISLAMABAD MODEL COLLEGE FOR GIRLS\nOFFICE OF THE PRINCIPAL\n", None),  # a town in a name
    ("ALLAMA IQBAL OPEN UNIVERSITY\n(Registrar's Department)\n", None),
])
def test_a_town_in_the_letterhead_is_the_place_when_the_date_line_has_none(letterhead: str,
                                                                          place: str | None) -> None:
    text = f"{letterhead}\nNo. Estt./T-2/4567                     Dated: 22-02-2022\n\n{BODY}"
    assert fields(text)["place"] == place


@pytest.mark.parametrize("letterhead, issuer", [
    # a letterhead printed in title case names its department too; a section under it does not
    ("Government of India\nMinistry of Education\nDepartment of Higher Education\n(Administration-I Section)\n",
     {"organization": "Government of India", "department": "Department of Higher Education"}),
    # the town after the comma is part of a university's name (UET Lahore is not UET Peshawar)
    ("University of Engineering and Technology, Lahore\nOFFICE OF THE REGISTRAR\n",
     {"organization": "University of Engineering and Technology, Lahore", "department": "Office of the Registrar"}),
    ("UNIVERSITY OF ENGINEERING AND TECHNOLOGY\nOFFICE OF THE REGISTRAR\n",
     {"organization": "University of Engineering and Technology", "department": "Office of the Registrar"}),
    ("GOVERNMENT COLLEGE UNIVERSITY FAISALABAD\nOFFICE OF THE REGISTRAR\n",
     {"organization": "Government College University Faisalabad", "department": "Office of the Registrar"}),
    ("UNIVERSITY OF PESHAWAR\n(Registrar's Office)\n",
     {"organization": "University of Peshawar", "department": "Registrar's Office"}),
])
def test_issuer_from_the_letterhead(letterhead: str, issuer: dict) -> None:
    text = f"{letterhead}\nNo. Est/Gaz/2024/1187                     Dated: 28-05-2024\n\n{BODY}"
    assert fields(text)["issuer"] == issuer


def test_a_do_letter_keeps_d_o_in_its_own_number() -> None:
    text = ("GOVERNMENT OF PAKISTAN\nMINISTRY OF PLANNING, DEVELOPMENT & SPECIAL INITIATIVES\n\n"
            "D.O. No. 4(17)/DS(Coord)/PD&SI/2023          Islamabad, the 9th October, 2023\n\n"
            "Dear Mr. Kazmi,\n\n" + BODY)
    assert fields(text)["reference_number"] == "D.O.No.4(17)/DS(Coord)/PD&SI/2023"


def test_the_issuer_before_vide_its_names_the_cited_paper() -> None:
    text = (f"{PUNJAB_HEAD}The age limit was notified by the Establishment Division vide its Notification "
            f"No. F.2/3/2023-T-V dated 10th January, 2024. {BODY}{SIGNATURE}")
    (ref,) = fields(text)["references"]
    assert ref["issuer"] == "Establishment Division"
