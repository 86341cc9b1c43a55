"""Cited instruments and provisions: gazetteer titles, printed titles, ibid, attachment."""

import pytest

from pipeline.extract.rules import find_cited_rules


def cited(text: str, jurisdiction: str | None = None) -> list[tuple[str, int | None, list[str]]]:
    return [(c.title, c.year, c.provisions) for c in find_cited_rules(text, jurisdiction=jurisdiction)]


CASES = [
    ("dealt strictly in accordance with the Conduct Rules 1964 and nothing else.",
     [("Government Servants (Conduct) Rules", 1964, [])]),
    ("under Government Servants (Conduct) Rules, 1964, governing participation",
     [("Government Servants (Conduct) Rules", 1964, [])]),
    ("Government Servants (Efficiency & Discipline) Rules\n2020 and The Prevention of Electronic Crimes Act, 2016.",
     [("Government Servants (Efficiency & Discipline) Rules", 2020, []), ("Prevention of Electronic Crimes Act", 2016, [])]),
    ("action under Civil Servants (Efficiency and\nDiscipline) Rules, 2020. Further",
     [("Civil Servants (Efficiency and Discipline) Rules", 2020, [])]),
    ("the E&D Rules 2020 shall apply", [("Civil Servants (Efficiency and Discipline) Rules", 2020, [])]),
    ("an offence under PECA 2016", [("Prevention of Electronic Crimes Act", 2016, [])]),
    ("See Section 3 of the Civil Servants Act, 1973.", [("Civil Servants Act", 1973, ["Section 3"])]),
    # no country printed and none known from a letterhead: the Constitution as printed, never a guessed one
    ("Article 25 of the Constitution guarantees", [("Constitution", None, ["Article 25"])]),
    ("Rule 3(1)(iii) of the CCS (Conduct) Rules, 1964", [("Central Civil Services (Conduct) Rules", 1964, ["Rule 3(1)(iii)"])]),
    ("under FR 17 and SR 5", [("Fundamental Rules", None, ["FR 17"]), ("Supplementary Rules", None, ["SR 5"])]),
    ("Schedule-III of the Punjab Civil Servants Act, 1974", [("Punjab Civil Servants Act", 1974, ["Schedule-III"])]),
    ("under the Government Servants (Conduct) Rules, 1964. Rules 21, 25, 25-A and 25-B of the Rules ibid bar",
     [("Government Servants (Conduct) Rules", 1964, ["Rule 21", "Rule 25", "Rule 25-A", "Rule 25-B"])]),
    ("Government Servants (Conduct) Rules, 1964 apply. Rule 18 of the Rules ibid bars. Rule 22 of the Rules ibid refrains.",
     [("Government Servants (Conduct) Rules", 1964, ["Rule 18", "Rule 22"])]),
    ("Attention is invited to Rule 8 and Rule 9 of the CCS (Conduct) Rules, 1964, which regulate",
     [("Central Civil Services (Conduct) Rules", 1964, ["Rule 8", "Rule 9"])]),
    ("Under Rule 7 of the CCS (Leave) Rules, 1972, leave cannot be claimed, and under Rule 25 of the Rules ibid no salary",
     [("Central Civil Services (Leave) Rules", 1972, ["Rule 7", "Rule 25"])]),
    ("section 23 of the Punjab Civil Servants Act, 1974 (VIII of 1974)", [("Punjab Civil Servants Act", 1974, ["Section 23"])]),
    ("under section 3 of the Punjab Employees Efficiency, Discipline and Accountability Act, 2006",
     [("Punjab Employees Efficiency, Discipline and Accountability Act", 2006, ["Section 3"])]),
    ("under Section 11(4) of the University of the Punjab Act, 1973,", [("University of the Punjab Act", 1973, ["Section 11(4)"])]),
    ("Section 10 of the Public Finance Management Act,\n2019, and", [("Public Finance Management Act", 2019, ["Section 10"])]),
    ("the Right to Information Act, 2005 requires", [("Right to Information Act", 2005, [])]),
    ("as laid down in ESTACODE", [("ESTACODE", None, [])]),
    ("Under the Rules ibid, no government servant can participate", []),
    ("the instructions contained at para 4 are not intended", []),
    ("all previous rules and regulations stand repealed", []),
    ("General Financial Rules, 2017 (GFR) Rule 144", [("General Financial Rules", 2017, ["Rule 144"])]),
    ("Sections 4 and 5 of the Official Secrets Act, 1923", [("Official Secrets Act", 1923, ["Section 4", "Section 5"])]),
    ("Rule 11 of the Khyber Pakhtunkhwa Government Servants\n(Efficiency and Discipline) Rules, 2011, and under Rule 14 of\nthe Rules ibid",
     [("Khyber Pakhtunkhwa Government Servants (Efficiency and Discipline) Rules", 2011, ["Rule 11", "Rule 14"])]),
    ("Section 10 of the Sindh Civil Servants Act, 1973, the", [("Sindh Civil Servants Act", 1973, ["Section 10"])]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_cited_rules(text: str, expected: list) -> None:
    assert cited(text) == expected


def test_conduct_rules_short_form_follows_the_jurisdiction() -> None:
    assert cited("under the Conduct Rules 1964", "IN") == [("Central Civil Services (Conduct) Rules", 1964, [])]
    assert cited("under the Conduct Rules 1964", "PK") == [("Government Servants (Conduct) Rules", 1964, [])]


def test_article_in_an_indian_document_is_the_constitution_of_india() -> None:
    # the gazetteer's year only when the document prints it
    assert cited("Article 311 of the Constitution of India", "IN") == [("Constitution of India", None, ["Article 311"])]
    assert cited("Article 311 of the Constitution of India, 1950", "IN") == [("Constitution of India", 1950, ["Article 311"])]


def test_spans_point_at_the_mention() -> None:
    text = "in accordance with the Conduct Rules 1964, and"
    (item,) = find_cited_rules(text)
    assert text[item.span[0]:item.span[1]] == "Conduct Rules 1964"
