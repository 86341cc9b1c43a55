"""The sample renderer and the committed samples: deterministic, consistent, complete.

No OCR here (that belongs to the OCR tests); `samples/ocr_check.py` measures the CER.
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from PIL import Image, ImageSequence
from pypdf import PdfReader

from pipeline.errors import BadArgsError, DaftarError, InputFileError
from pipeline.record import Fields

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
MANIFEST = json.loads((SAMPLES / "MANIFEST.json").read_text(encoding="utf-8"))
SOURCE_NAMES = sorted(p.stem for p in (SAMPLES / "sources").glob("*.txt"))
EXAMPLES = ["aiou-circular-2023", "estab-om-2021"]


def _load_render():
    spec = importlib.util.spec_from_file_location("samples_render", SAMPLES / "render.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["samples_render"] = module
    spec.loader.exec_module(module)
    return module


render = _load_render()


def squash(text: str) -> str:
    return " ".join(text.split())


# ----------------------------------------------------------------- renderer


@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_same_seed_gives_identical_pixels(level):
    source = render.read_source("aiou-circular-2023")
    first = render.image_digest(render.render_document(source, level, 7))
    again = render.image_digest(render.render_document(source, level, 7))
    assert first == again


@pytest.mark.parametrize("level", [0, 2, 3])
def test_different_seed_gives_different_pixels(level):
    source = render.read_source("aiou-circular-2023")
    a = render.image_digest(render.render_document(source, level, 7))
    b = render.image_digest(render.render_document(source, level, 8))
    assert a != b


def test_page_geometry_and_modes_per_level():
    source = render.read_source("pu-office-order-2023")
    for level, mode in [(0, "L"), (1, "L"), (2, "L"), (3, "RGB")]:
        pages = render.render_document(source, level, 3)
        assert [(p.size, p.mode) for p in pages] == [((2480, 3508), mode)] * len(pages)


def test_level_zero_is_clean_black_on_white():
    page = np.asarray(render.render_document(render.read_source("kp-estab-letter-2022"), 0, 1)[0])
    assert page.max() == 255 and page.min() <= 30
    assert (page == 255).mean() > 0.85  # mostly untouched paper


def test_level_three_carries_a_coloured_stamp_and_dark_border():
    page = np.asarray(render.render_document(render.read_source("aiou-circular-2023"), 3, 13)[0])
    rgb = page.astype(int)
    chroma = rgb.max(axis=2) - rgb.min(axis=2)
    assert (chroma > 40).sum() > 5000  # stamp ink is coloured, the rest is grey
    assert page[:10, :, :].mean() < 80  # scanner lid border along the top edge


@pytest.mark.parametrize("level", [1, 2, 3])
def test_degraded_pages_lose_contrast_but_keep_text(level):
    source = render.read_source("punjab-sgad-notification-2022")
    clean = np.asarray(render.render_document(source, 0, 5)[0], dtype=float)[300:-300, 300:-300]
    worn = np.asarray(render.render_document(source, level, 5)[0].convert("L"), dtype=float)
    worn = worn[300:-300, 300:-300]  # away from scanner borders
    assert np.median(clean) == 255
    assert np.median(worn) < 255 - 4 * level  # greyer paper, more so at each level
    assert np.median(worn) - np.percentile(worn, 0.5) > 80  # the text still stands out
    assert not np.array_equal(worn, clean)


def test_rotated_page_swaps_dimensions_and_reverses():
    page = render.render_document(render.read_source("kp-estab-letter-2022"), 0, 2)[0]
    assert render.rotate_page(page, 90).size == (3508, 2480)
    assert render.rotate_page(render.rotate_page(page, 180), 180).tobytes() == page.tobytes()
    with pytest.raises(BadArgsError):
        render.rotate_page(page, 45)


@pytest.mark.parametrize("name", SOURCE_NAMES)
def test_drawn_text_equals_clean_text(name):
    """What the renderer reports it drew is the ground truth, page by page."""
    source = render.read_source(name)
    pages = render.render_pages(source, 0, 4)
    assert all(p.text.strip() for p in pages)
    assert squash("".join(p.text for p in pages)) == squash(render.clean_text(source))


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_sources_reproduce_the_gold_text(name):
    gold = (SAMPLES / "gold" / f"{name}.txt").read_text(encoding="utf-8")
    assert squash(render.clean_text(render.read_source(name))) == squash(gold)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("plain words", [[("plain", "regular")], [("words", "regular")]]),
        ("the 25th August", [[("the", "regular")], [("25", "regular"), ("th", "sup")],
                             [("August", "regular")]]),
        ("dated 3rd,", [[("dated", "regular")], [("3", "regular"), ("rd", "sup"), (",", "regular")]]),
        ("**Subject:** text", [[("Subject:", "bold")], [("text", "regular")]]),
        ("a**b**c", [[("a", "regular"), ("b", "bold"), ("c", "regular")]]),
        ("**1st** x", [[("1", "bold"), ("st", "supbold")], [("x", "regular")]]),
        ("Rule 25-A", [[("Rule", "regular")], [("25-A", "regular")]]),
        ("4th-floor 11th.", [[("4", "regular"), ("th", "sup"), ("-floor", "regular")],
                             [("11", "regular"), ("th", "sup"), (".", "regular")]]),
        ("2021th", [[("2021th", "regular")]]),  # not an ordinal: too many digits
    ],
)
def test_words_of_marks_bold_and_raised_ordinals(text, expected):
    assert render.words_of(text) == expected


@pytest.mark.parametrize(
    "source, expected",
    [
        ("@left To\n@indent All Secretaries.", "To\n    All Secretaries.\n"),
        ("@columns A || B", "A" + " " * 41 + "B\n"),
        ("@sig (Name)\n@sig Registrar", " " * 46 + "(Name)\n" + " " * 46 + "Registrar\n"),
        ("@item ii. first line\nsecond line", "ii. first line\n    second line\n"),
        ("%% comment\n@emblem\n@heading **CIRCULAR**", "CIRCULAR\n"),
        ("2. One\ntwo\n\n3. Three", "2. One\ntwo\n\n3. Three\n"),
        ("@pagebreak\nText", "Text\n"),
    ],
)
def test_clean_text_of_markup(source, expected):
    assert render.clean_text(source) == expected


@pytest.mark.parametrize(
    "source, message",
    [
        ("@bogus text", "unknown directive @bogus"),
        ("ok\n@columns left only", "line 2: @columns needs 'left || right'"),
        ("@leftright No. 1", "@leftright needs"),
        ("@item", "@item needs a label"),
    ],
)
def test_bad_markup_is_a_specific_error(source, message):
    with pytest.raises(render.MarkupError, match=re.escape(message)) as caught:
        render.clean_text(source)
    assert isinstance(caught.value, InputFileError) and isinstance(caught.value, DaftarError)


def test_bad_level_and_missing_source_are_specific_errors():
    with pytest.raises(BadArgsError, match="level must be 0-3"):
        render.render_document("text", 4, 0)
    with pytest.raises(render.MarkupError, match="no sample source"):
        render.read_source("no-such-circular")


def test_save_pages_writes_every_format_and_refuses_the_wrong_one(tmp_path):
    pages = render.render_document(render.read_source("dopt-om-2023"), 1, 9)
    assert len(pages) == 2
    render.save_pages(pages, tmp_path / "memo.pdf", 150)
    render.save_pages(pages, tmp_path / "memo.tif")
    render.save_pages(pages[:1], tmp_path / "page.jpg")
    render.save_pages(pages[:1], tmp_path / "page.png")
    assert len(PdfReader(tmp_path / "memo.pdf").pages) == 2
    assert Image.open(tmp_path / "memo.tif").n_frames == 2
    assert Image.open(tmp_path / "page.jpg").format == "JPEG"
    assert Image.open(tmp_path / "page.png").size == (2480, 3508)
    with pytest.raises(BadArgsError, match="single-image format"):
        render.save_pages(pages, tmp_path / "two.png")
    with pytest.raises(BadArgsError, match="use .png"):
        render.save_pages(pages, tmp_path / "memo.bmp")


def test_bulk_writes_pages_with_transcripts_deterministically(tmp_path):
    first = render.build_bulk(3, tmp_path / "a", seed=5)
    again = render.build_bulk(3, tmp_path / "b", seed=5)
    assert [p.name for p in first] == [p.name for p in again]
    for image_path, twin in zip(first, again):
        assert image_path.read_bytes() == twin.read_bytes()
        truth = image_path.with_suffix(".gt.txt").read_text(encoding="utf-8")
        assert len(truth.split()) > 10
        level = int(re.search(r"-l(\d)\.", image_path.name).group(1))
        assert level in (0, 1, 2)


def test_cli_rejects_bulk_without_out(tmp_path):
    done = subprocess.run([sys.executable, str(SAMPLES / "render.py"), "--bulk", "2"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2 and "--bulk needs" in done.stderr


# ----------------------------------------------------------------- committed samples


def _pages_in(path: Path) -> int:
    if path.suffix == ".pdf":
        return len(PdfReader(path).pages)
    if path.suffix == ".txt":
        return 0
    with Image.open(path) as im:
        return sum(1 for _ in ImageSequence.Iterator(im))


@pytest.mark.parametrize("entry", MANIFEST["scans"], ids=lambda e: e["file"])
def test_manifest_entry_points_at_existing_consistent_files(entry):
    path = SAMPLES / entry["file"]
    assert path.is_file()
    assert entry["documents"], "every file holds at least one document"
    for doc in entry["documents"]:
        for key in ("source", "clean_text", "expected"):
            assert (SAMPLES / doc[key]).is_file(), doc[key]
    if entry["format"] == "text":
        assert "Establishment Division" in path.read_text(encoding="utf-8")
        return
    assert _pages_in(path) == entry["pages"]
    covered = [n for doc in entry["documents"] for n in doc["pages"]]
    assert covered == list(range(1, entry["pages"] + 1))  # documents in order, no gaps


def test_manifest_covers_formats_levels_rotation_and_multi_document():
    scans = [e for e in MANIFEST["scans"] if e["format"] != "text"]
    level0 = {d["source"] for e in scans if e["level"] == 0 for d in e["documents"]}
    assert level0 == {f"sources/{n}.txt" for n in SOURCE_NAMES}
    assert {e["format"] for e in scans} >= {"png", "jpeg", "tiff", "pdf"}
    assert {e["level"] for e in scans} == {0, 1, 2, 3}
    assert any(e["rotation"] for e in scans)
    assert any(e["format"] == "tiff" and e["pages"] > 1 for e in scans)
    assert any(e["format"] == "pdf" and len(e["documents"]) > 1 for e in scans)
    assert any(e["format"] == "pdf" and e["pages"] == 2 and len(e["documents"]) == 1 for e in scans)
    assert 16 <= sum(e["pages"] for e in scans) <= 40


@pytest.mark.parametrize("name", SOURCE_NAMES)
def test_committed_clean_text_is_up_to_date(name):
    committed = (SAMPLES / "clean" / f"{name}.txt").read_text(encoding="utf-8")
    assert committed == render.clean_text(render.read_source(name))


def test_committed_level_zero_png_matches_a_fresh_render():
    entry = next(e for e in MANIFEST["scans"] if e["format"] == "png" and e["level"] == 0)
    doc = entry["documents"][0]
    fresh = render.render_document((SAMPLES / doc["source"]).read_text(encoding="utf-8"), 0, doc["seed"])
    assert Image.open(SAMPLES / entry["file"]).tobytes() == fresh[0].tobytes()


def test_samples_stay_under_five_megabytes():
    total = sum(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    assert total < 5 * 1024 * 1024


# ----------------------------------------------------------------- expected fields

NULLABLE_STRING = {"type": ["string", "null"], "minLength": 1}
ISO_DATE = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}
EXPECTED_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["document_type", "issuer", "reference_number", "date", "place", "subject",
                 "references", "cited_rules", "signatories", "addressees", "distribution", "notes"],
    "properties": {
        "document_type": {"enum": ["circular", "office_memorandum", "notification", "letter",
                                   "office_order", "order", "other"]},
        "issuer": {"type": "object", "additionalProperties": False,
                   "required": ["organization", "department"],
                   "properties": {"organization": NULLABLE_STRING, "department": NULLABLE_STRING}},
        "reference_number": NULLABLE_STRING,
        "date": ISO_DATE,
        "place": NULLABLE_STRING,
        "subject": NULLABLE_STRING,
        "references": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["reference_number", "date", "issuer", "kind"],
            "properties": {"reference_number": NULLABLE_STRING, "date": ISO_DATE,
                           "issuer": NULLABLE_STRING, "kind": NULLABLE_STRING}}},
        "cited_rules": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["instrument", "year", "provisions"],
            "properties": {"instrument": {"type": "string", "minLength": 3},
                           "year": {"type": ["integer", "null"], "minimum": 1800, "maximum": 2100},
                           "provisions": {"type": "array", "items": {
                               "type": "string",
                               "pattern": r"^(Rule|Section|Article|Schedule|Para|Clause|Regulation)[ -]"}}}}},
        "signatories": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["name", "designation"],
            "properties": {"name": NULLABLE_STRING, "designation": NULLABLE_STRING}}},
        "addressees": {"type": "array", "items": {"type": "string", "pattern": r"^\S.*[^.,;:\s]$"}},
        "distribution": {"type": "array", "items": {"type": "string", "pattern": r"^\S.*[^.,;:\s]$"}},
        "instructions_count": {"type": "integer", "minimum": 0},
        "notes": {"type": "string", "minLength": 20},
    },
}


def _expected(name: str) -> dict:
    return json.loads((SAMPLES / "expected" / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", SOURCE_NAMES)
def test_expected_fields_follow_the_gold_format(name):
    jsonschema.validate(_expected(name), EXPECTED_SCHEMA)


@pytest.mark.parametrize("name", SOURCE_NAMES)
def test_expected_fields_fit_the_published_record(name):
    expected = _expected(name)
    Fields.model_validate({k: v for k, v in expected.items() if k in Fields.model_fields})


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_expectations_are_the_gold_json(name):
    gold = json.loads((SAMPLES / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    assert _expected(name) == gold


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


@pytest.mark.parametrize("name", SOURCE_NAMES)
def test_expected_values_are_grounded_in_the_clean_text(name):
    """Every list entry and number an archivist wrote down can be found in the text."""
    text = _compact(render.clean_text(render.read_source(name)))
    expected = _expected(name)
    quoted = [expected["reference_number"], expected["place"], expected["issuer"]["department"]]
    quoted += expected["distribution"] + expected["addressees"]
    quoted += [s["name"] for s in expected["signatories"]] + [s["designation"] for s in expected["signatories"]]
    quoted += [r["reference_number"] for r in expected["references"]]
    for value in filter(None, quoted):
        probe = _compact(value)
        probe = re.sub(r"^(f\.)?no\.", "", probe)  # "No. 1/20" is written "No.1/20"
        assert probe in text, value
    for rule in expected["cited_rules"]:
        if rule["year"] is not None:
            assert str(rule["year"]) in text
    if expected["subject"]:
        assert _compact(expected["subject"]) in text


def test_expected_instruction_counts_match_enumerated_items():
    for name in SOURCE_NAMES:
        expected = _expected(name)
        if "instructions_count" not in expected:
            continue
        assert 0 <= expected["instructions_count"] <= 20
    assert _expected("finance-austerity-om-2023")["instructions_count"] == sum(
        1 for line in render.read_source("finance-austerity-om-2023").splitlines()
        if re.match(r"@item \([a-z]\) ", line))


def _load_ocr_check():
    spec = importlib.util.spec_from_file_location("samples_ocr_check", SAMPLES / "ocr_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "truth, found, recall",
    [
        ("a b c d", "a b c d", 1.0),
        ("a b c d", "d c b a", 1.0),  # order does not count
        ("a b c d", "a b", 0.5),
        ("a a b b", "a b b", 0.75),  # each reference word is matched once
        ("25th August", "25\" August", 0.5),
        ("x", "", 0.0),
    ],
)
def test_word_recall_counts_words_read_in_any_order(truth, found, recall):
    assert _load_ocr_check().word_recall(truth, found) == recall


def test_ocr_check_reads_every_page_of_every_committed_format():
    ocr_check = _load_ocr_check()
    for entry in MANIFEST["scans"]:
        if entry["format"] != "text":
            assert len(ocr_check.file_pages(SAMPLES / entry["file"])) == entry["pages"]
