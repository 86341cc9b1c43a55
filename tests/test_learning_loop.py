"""Archivists' fixes, from the review app (archive) and the CLI (file store), reach the corrector."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive import open_archive
from corrections import correct_text
from corrections.learning import Fix, JsonFixStore, fix_from_row, rules_from
from flows.archive_step import correction_rules

TEXT = "The Mohtasib shall forward the Wafaqi Mohtasib's report to the Secretray of the Division."


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DAFTAR_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_no_fixes_means_no_rules(home: Path) -> None:
    assert correction_rules(str(home / "archive.sqlite")) is None


def test_a_fix_seen_twice_in_the_archive_becomes_a_rule(home: Path) -> None:
    location = str(home / "archive.sqlite")
    with open_archive(location) as archive:
        archive.add_correction_fix("Secretray", "Secretary", context=None, actor="ayesha", doc_id="a-0")
        assert correction_rules(location) is None  # seen once: a candidate, not yet a rule
        archive.add_correction_fix("Secretray", "Secretary", context=None, actor="bilal", doc_id="b-0")
    rules = correction_rules(location)
    assert rules is not None
    result = correct_text(TEXT, rules=rules)
    assert "Secretary of the Division" in result.text
    assert any(c.original == "Secretray" and c.rule.startswith("learned") for c in result.corrections)


def test_cli_store_and_archive_fixes_add_up(home: Path) -> None:
    location = str(home / "archive.sqlite")
    JsonFixStore().add(Fix("Secretray", "Secretary", actor="cli"))
    with open_archive(location) as archive:
        archive.add_correction_fix("Secretray", "Secretary", context=None, actor="app", doc_id=None)
    rules = correction_rules(location)
    assert rules is not None and rules.rules[0].support == 2


def test_archive_rows_convert_to_fixes() -> None:
    row = {"wrong": "Roglstrar", "right": "Registrar", "context": "", "actor": "x",
           "doc_id": None, "at": "2026-01-01T00:00:00Z"}
    fix = fix_from_row(row)
    assert (fix.wrong, fix.right, fix.context) == ("Roglstrar", "Registrar", None)
    assert rules_from([row]) is None and rules_from([row, row]) is not None
