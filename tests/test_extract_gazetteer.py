"""The gazetteers: every file valid against its schema, every entry's examples recognised."""

import pytest
from jsonschema import Draft202012Validator

from pipeline.extract import gazetteer
from pipeline.extract.rules import find_cited_rules
from pipeline.extract.signatures import designation_of


@pytest.mark.parametrize("name", gazetteer.GAZETTEERS)
def test_file_is_valid_against_its_schema(name: str) -> None:
    schema = gazetteer.schema(name)
    Draft202012Validator.check_schema(schema)
    errors = list(Draft202012Validator(schema).iter_errors(gazetteer.load(name)))
    assert errors == []


@pytest.mark.parametrize("name", ["instruments", "offices", "designations"])
def test_ids_are_unique(name: str) -> None:
    ids = [e["id"] for e in gazetteer.load(name)]
    assert len(ids) == len(set(ids))


def _instrument_examples() -> list[tuple[str, str]]:
    return [(e["id"], ex) for e in gazetteer.load("instruments") for ex in e["examples"]]


@pytest.mark.parametrize(("entry_id", "example"), _instrument_examples())
def test_instrument_examples_resolve_to_their_entry(entry_id: str, example: str) -> None:
    entry = next(e for e in gazetteer.load("instruments") if e["id"] == entry_id)
    found = find_cited_rules(f"as provided in the {example} and", jurisdiction=entry["jurisdiction"])
    assert [(c.gazetteer_id, c.title) for c in found] == [(entry_id, entry["title"])]


def _office_examples() -> list[tuple[str, str]]:
    return [(e["id"], ex) for e in gazetteer.load("offices") for ex in e["examples"]]


@pytest.mark.parametrize(("entry_id", "example"), _office_examples())
def test_office_examples_resolve_to_their_entry(entry_id: str, example: str) -> None:
    hit = gazetteer.match_office(example)
    assert hit is not None and hit[0]["id"] == entry_id


def _designation_examples() -> list[tuple[str, str]]:
    return [(e["title"], ex) for e in gazetteer.load("designations") for ex in e["examples"]]


@pytest.mark.parametrize(("title", "example"), _designation_examples())
def test_designation_examples_are_recognised(title: str, example: str) -> None:
    found = designation_of(example)
    assert found is not None
    assert found[0].lower().startswith(title.lower().split(" (")[0]) or found[0].lower().replace("-", " ").startswith(title.lower())


@pytest.mark.parametrize("example", [ex for e in gazetteer.load("places") for ex in e["examples"]])
def test_place_examples_are_known(example: str) -> None:
    assert example.lower() in gazetteer.place_names()


def test_a_different_year_rejects_a_gazetteer_instrument() -> None:
    # the 1973 and 2020 E&D Rules are different instruments: keep the printed title
    assert gazetteer.match_instrument("Government Servants (Efficiency & Discipline) Rules", 2020) is None


def test_ocr_damaged_title_is_matched_fuzzily() -> None:
    hit = gazetteer.match_instrument("Prevention of Electronic Crimcs Act", 2016)
    assert hit is not None and hit[0].id == "pk.peca-2016" and hit[1] < 1.0


DESIGNATIONS_WITH_SPECKS = [
    # (line as OCR gives it, the designation an archivist reads)
    ("Director eerie 3 ee", "Director"),
    ("Director (Admin) ee", "Director (Admin)"),
    ("Joint Secretary (Admn) Tel: 9201234", "Joint Secretary (Admn)"),
    ("Under Secretary to the Government of India", "Under Secretary to the Government of India"),
    ("Deputy Director General", "Deputy Director General"),
    ("Director School Education (Secondary), Larkana", "Director School Education (Secondary), Larkana"),
    ("Section Officer-I", "Section Officer-I"),
    ("SECTION OFFICER (SR-II) eee", "SECTION OFFICER (SR-II)"),
]


@pytest.mark.parametrize(("line", "designation"), DESIGNATIONS_WITH_SPECKS)
def test_designation_qualifier_stops_at_specks(line: str, designation: str) -> None:
    found = designation_of(line)
    assert found is not None and found[0] == designation


OFFICES_WITH_SPECKS = [
    ("Government of Pakistan Bt OE on Eae", "Government of Pakistan"),
    ("_ FINANCE DEPARTMENT = Sy anes", "Finance Department"),
    ("GOVERNMENT OF INDIA", "Government of India"),
]


@pytest.mark.parametrize(("line", "office"), OFFICES_WITH_SPECKS)
def test_office_named_before_specks(line: str, office: str) -> None:
    found = gazetteer.match_office(line)
    assert found is not None and found[0]["matched"] == office


def test_a_line_that_only_starts_like_an_office_is_not_one() -> None:
    assert gazetteer.match_office("Finance Department of the Punjab has decided to revise the rates") is None


def test_no_office_alias_names_two_offices() -> None:
    from pipeline.extract._text import norm

    seen: dict[str, str] = {}
    clashes = []
    for entry in gazetteer.load("offices"):
        for alias in {norm(a) for a in [entry["name"], *entry["aliases"]]}:
            if alias in seen and seen[alias] != entry["id"]:
                clashes.append((alias, seen[alias], entry["id"]))
            seen[alias] = entry["id"]
    assert clashes == []
