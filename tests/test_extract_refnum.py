"""Reference numbers: finding them, printing them the gold way, and their match keys."""

import pytest

from pipeline.extract.refnum import (
    canonical_key,
    find_reference_numbers,
    printed_form,
    repair_with_section_code,
    section_code_from_designation,
)

SAME_KEY = [
    ("F. No. 14/04/2021-D1", "F.No.14/04/2021-D-II"),
    ("F.No.14/04/2021-D-ll", "F.No.14/04/2021-D-II"),
    ("No.14/04/2021-D-II", "F.No.14/04/2021-D-II"),
    ("F.No.14/4/2021-D-II", "F.No.14/04/2021-D-II"),
    ("F.No.14/04/2021-D-11", "F.No.14/04/2021-D-II"),
    ("File No. 14/04/2021-D-II", "F.No.14/04/2021-D-II"),
    ("Circular No. 1/20/1976-D-3", "No.1/20/1976-D-3"),
    ("No.F.2-244/2023-Admn/3909", "F.No.2-244/2023-Admn/3909"),
    ("No. F. 2-244/2023-Admn/3909", "No.F.2-244/2023-Admn/3909"),
    ("No. 11013/2/2014-Estt.(A-III)", "No.11013/2/2014-Estt(A-lll)"),
    ("No. 11013/2/2014-Estt.(A-III)", "No.11013/2/2014-ESTT.(A-III)"),
    ("No.SOR-I(S&GAD)1-12/2019", "No. SOR-l (S&GAD) 1-12/2019"),
    ("No. SO(Lit-I)E&AD/1-17/2020", "No.SO(Lit-1)E&AD/1-17/2020"),
    ("No. SOI(SGA&CD)3-4/2018", "NO.SOI(SGA&CD)3-4/2018"),
    ("O.M. No. 13026/3/2012-Estt.(Leave)", "No.13026/3/2012-Estt.(Leave)"),
    ("F.No.7(1)Exp-IV/2023-412", "No. 7(1) Exp-IV/2023-412"),
    ("No. 2231/Estt.-I", "No.2231/Estt-I"),
    ("D.O. No. 5-3/2022-Admn", "No.5-3/2022-Admn"),
    ("F.No.2O/4/2O21-Admn", "F.No.20/4/2021-Admn"),
    ("No. SO(Reg-VIJE&AD/1-5/2021", "No.SO(Reg-VI)E&AD/1-5/2021"),
    ("Notification No. SOR-I(S&GAD)1-12/2019", "No.SOR-I(S&GAD)1-12/2019"),
]

DIFFERENT_KEY = [
    ("F.No.14/04/2021-D-II", "F.No.14/05/2021-D-II"),
    ("F.No.14/04/2021-D-II", "F.No.14/04/2020-D-II"),
    ("F.No.14/04/2021-D-II", "F.No.14/04/2021-D-IV"),
    ("F.No.14/04/2021-D-II", "F.No.14/04/2021-E-II"),
    ("No.1/20/1976-D-3", "No.1/20/1976-D-II"),
    ("No.F.2-244/2023-Admn/3909", "No.F.2-244/2023-Admn/3910"),
    ("No. SO(Lit-I)E&AD/1-17/2020", "No. SO(Lit-I)E&AD/11-17/2020"),
    ("No. 11013/2/2014-Estt.(A-III)", "No. 11013/2/2014-Estt.(A-IV)"),
    ("No.SOR-I(S&GAD)1-12/2019", "No.SOR-I(S&GAD)1-13/2019"),
]


@pytest.mark.parametrize(("a", "b"), SAME_KEY)
def test_variants_share_a_key(a: str, b: str) -> None:
    assert canonical_key(a) == canonical_key(b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT_KEY)
def test_different_numbers_keep_different_keys(a: str, b: str) -> None:
    assert canonical_key(a) != canonical_key(b)


FOUND = [
    ("No.F.2-244/2023-Admn/3909 Dated: 18th September, 2023.", "No.F.2-244/2023-Admn/3909", None),
    ("F. No. 14/04/2021-D-II     Islamabad, the 25th August, 2021", "F.No.14/04/2021-D-II", None),
    ("letter F.No.14/04/2021-D-ll\ndated 25th August 2021", "F.No.14/04/2021-D-II", "letter"),
    ("this Division's Circular No. 1/20/1976-D-3 dated 23rd July, 2020", "No.1/20/1976-D-3", "circular"),
    ("No. 11013/2/2014-Estt.(A-III)\nGovernment of India", "No.11013/2/2014-Estt.(A-III)", None),
    ("No.SOR-I(S&GAD)1-12/2019     Lahore", "No.SOR-I(S&GAD)1-12/2019", None),
    ("No. SO(Lit-I)E&AD/1-17/2020 dated", "No.SO(Lit-I)E&AD/1-17/2020", None),
    ("No. SOI(SGA&CD)3-4/2018.", "No.SOI(SGA&CD)3-4/2018", None),
    ("O.M. No. 13026/3/2012-Estt.(Leave) dated", "No.13026/3/2012-Estt.(Leave)", "office_memorandum"),
    ("this Department's letter No. SO(Reg-VI)E&AD/1-5/2021 dated 14.06.2021", "No.SO(Reg-VI)E&AD/1-5/2021", "letter"),
    ("Office Order No. 1874/Estt.-I dated 03.08.2023", "No.1874/Estt.-I", "office_order"),
    ("F.No.7(1)Exp-IV/2023-412        Islamabad, 03.07.2023", "F.No.7(1)Exp-IV/2023-412", None),
    ("Notification No. 12/2020 issued", "No.12/2020", "notification"),
    ("(No. 5-3/2022-Admn)", "No.5-3/2022-Admn", None),
    ("No. SO(Reg-VIJE&AD/1-5/2021/Vol-II   Peshawar", "No.SO(Reg-VI)E&AD/1-5/2021/Vol-II", None),
    ("FNo.14/04/2021-D-II\ndated", "F.No.14/04/2021-D-II", None),
    ("NOTIFICATION\n\nNO.SOI(SGA&CD)3-12/2023: In exercise", "NO.SOI(SGA&CD)3-12/2023", None),
    ("F.No.2O/4/2O21-Admn", "F.No.20/4/2021-Admn", None),
    ("No. SO(Reg-VI)JE&AD/1-5/2021 dated", "No.SO(Reg-VI)E&AD/1-5/2021", None),
    ("No. SO(Reg-V1)E&AD/1-5/2021 dated", "No.SO(Reg-VI)E&AD/1-5/2021", None),
    ("F.No.7(1)Exp-lV/2023-412", "F.No.7(1)Exp-IV/2023-412", None),
    ("C.No.1(43)DG(IR-Ops)/2019/78654-R        Islamabad, the 3rd August, 2023",
     "C.No.1(43)DG(IR-Ops)/2019/78654-R", None),
    ("Board's letter C. No. 3/12-STB/2024 dated 2.1.2024", "C.No.3/12-STB/2024", "letter"),
    ("S.R.O. 987(I)/2023.- In exercise of the powers", "S.R.O. 987(I)/2023", None),
    ("No. SO(R-DS&GAD/2-15/2023/145-210. In exercise", "No.SO(R-I)S&GAD/2-15/2023/145-210", None),
    ("vide S. R. O. 1213(I)/2022 dated", "S.R.O. 1213(I)/2022", None),
    ("G.S.R. 456(E), dated the 3rd May, 2023", "G.S.R. 456(E)", None),
    ("No. DPAR 12 SSR 2023          Bengaluru", "No.DPAR 12 SSR 2023", None),
    ("Government Circular No. FD 35 SRS 2022, dated 03.06.2022", "No.FD 35 SRS 2022", "circular"),
    ("Circular No. 01 of 2022-23 dated 1st July, 2022", "No.01 of 2022-23", "circular"),
    ("Notification No. 12 of 2020 issued", "No.12 of 2020", "notification"),
]


@pytest.mark.parametrize(("text", "printed", "kind"), FOUND)
def test_find_reference_numbers(text: str, printed: str, kind: str | None) -> None:
    found = find_reference_numbers(text)
    assert found, text
    assert found[0].printed == printed
    assert found[0].kind == kind
    start, end = found[0].span
    assert canonical_key(text[start:end]) == canonical_key(printed)


NOT_NUMBERS = [
    "no government servant can participate in any media platform",
    "No. of posts is large",
    "there are no 5 ways",
    "No objection certificate",
    "Annex C No. of cases",
    "Act No. 3 of 2021 was passed",
    "No. ABC 12 dated 2023",
]


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_prose_is_not_a_reference_number(text: str) -> None:
    assert find_reference_numbers(text) == []


def test_printed_keeps_the_circular_designator_for_the_own_number() -> None:
    assert printed_form("Circular No. ", "12/2023", keep_kind=True) == "Circular No.12/2023"


@pytest.mark.parametrize(("designation", "code"), [
    ("Section Officer D-11", "D-II"), ("Section Officer (D-II)", "D-II"), ("Section Officer (Reg-VI)", None),
    ("Section Officer (CP-V)", "CP-V"), ("Joint Secretary", None),
])
def test_section_code_from_designation(designation: str, code: str | None) -> None:
    assert section_code_from_designation(designation) == code


@pytest.mark.parametrize(("printed", "code", "repaired"), [
    ("F.No.14/04/2021-D1", "D-II", "F.No.14/04/2021-D-II"),
    ("F.No.14/04/2021-D-II", "D-II", "F.No.14/04/2021-D-II"),
    ("F.No.14/04/2021-D-IV", "D-II", "F.No.14/04/2021-D-IV"),
    ("F.No.14/04/2021-D1", None, "F.No.14/04/2021-D1"),
    ("F.No.14/04/2021-E1", "D-II", "F.No.14/04/2021-E1"),
])
def test_repair_with_section_code(printed: str, code: str | None, repaired: str) -> None:
    assert repair_with_section_code(printed, code) == repaired
