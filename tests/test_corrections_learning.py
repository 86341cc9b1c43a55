"""Learning from archivists: the fix store, rules from fixes, and the CLI sub-app."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corrections import Fix, JsonFixStore, LearnedRules, correct_text
from corrections.cli import app
from corrections.learning import default_store_path
from pipeline.errors import BadArgsError, InputFileError


def test_store_round_trip_and_atomic_file(tmp_path: Path) -> None:
    store = JsonFixStore(tmp_path / "fixes.json")
    assert store.fixes() == []
    fix = Fix("Tah Akbar", "Tahir Akbar", None, "archivist-1", "doc-1")
    store.add(fix)
    store.add(Fix("Wafaqi Mohtasib", "Wafaqi Mohtasib (Ombudsman)", "Secretary", "archivist-2"))
    assert store.fixes()[0] == fix
    assert len(store.fixes()) == 2
    document = json.loads((tmp_path / "fixes.json").read_text())
    assert document["version"] == 1 and len(document["fixes"]) == 2
    assert not list(tmp_path.glob(".fixes-*"))  # no temp files left behind


def test_store_defaults_under_daftar_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAFTAR_HOME", str(tmp_path))
    assert default_store_path() == tmp_path / "corrections" / "fixes.json"
    JsonFixStore().add(Fix("a1", "al"))
    assert (tmp_path / "corrections" / "fixes.json").exists()


def test_corrupt_store_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "fixes.json"
    path.write_text("{not json")
    with pytest.raises(InputFileError):
        JsonFixStore(path).fixes()
    path.write_text(json.dumps({"version": 1, "fixes": [{"wrong": "x"}]}))
    with pytest.raises(InputFileError):
        JsonFixStore(path).fixes()
    assert path.read_text() == json.dumps({"version": 1, "fixes": [{"wrong": "x"}]})


@pytest.mark.parametrize(("wrong", "right"), [("", "x"), ("same", "same"), ("   ", "y")])
def test_bad_fixes_are_refused(wrong: str, right: str) -> None:
    with pytest.raises(BadArgsError):
        Fix(wrong, right)


def _add_many(path: str, start: int) -> None:
    store = JsonFixStore(path)
    for index in range(start, start + 10):
        store.add(Fix(f"w{index}", f"r{index}", actor=f"p{start}"))


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "fixes.json")
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_add_many, args=(path, start)) for start in (0, 100, 200)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert len(JsonFixStore(path).fixes()) == 30


def test_rules_need_support_unless_marked() -> None:
    fixes = [Fix("Tah", "Tahir"), Fix("Tah", "Tahir"), Fix("Shoaity", "Shoaib"),
             Fix("D1", "D-II", rule=True), Fix("Tah", "Taha", context="Taha Husain")]
    rules = LearnedRules.from_fixes(fixes)
    assert [(r.wrong, r.right, r.support) for r in rules.rules] == [("Tah", "Tahir", 2), ("D1", "D-II", 1)]
    assert len(LearnedRules.from_fixes(fixes, min_support=1).rules) == 4
    with pytest.raises(BadArgsError):
        LearnedRules.from_fixes(fixes, min_support=0)


def test_learned_rules_apply_to_new_documents() -> None:
    rules = LearnedRules.from_fixes([Fix("Shoaity", "Shoaib")] * 2)
    raw = "(Dr. Muhammad Shoaity Akbar)\nJoint Secretary"
    result = correct_text(raw, rules=rules)
    assert result.text == "(Dr. Muhammad Shoaib Akbar)\nJoint Secretary"
    assert result.corrections[0].rule == "learned:2"
    assert correct_text("Shoaitys", rules=rules).text == "Shoaitys"  # whole words only


def test_rules_with_context_apply_only_there() -> None:
    rules = LearnedRules.from_fixes([Fix("D1", "D-II", context="F. No.", rule=True)])
    assert correct_text("F. No. 14/04/2021-D1 Islamabad", rules=rules).text == "F. No. 14/04/2021-D-II Islamabad"
    assert correct_text("Sector D1 market", rules=rules).text == "Sector D1 market"


def test_cli_add_and_list(tmp_path: Path) -> None:
    runner = CliRunner()
    store = str(tmp_path / "fixes.json")
    for _ in range(2):
        result = runner.invoke(app, ["add", "Shoaity", "Shoaib", "--store", store])
        assert result.exit_code == 0, result.output
    runner.invoke(app, ["add", "D1", "D-II", "--context", "F. No.", "--store", store])
    listed = runner.invoke(app, ["list", "--store", store])
    assert listed.exit_code == 0
    assert "Shoaity" in listed.output and "Shoaib" in listed.output and "D1" not in listed.output
    everything = runner.invoke(app, ["list", "--store", store, "--min-support", "1"])
    assert "D1" in everything.output and "F. No." in everything.output


def test_cli_reports_bad_input(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["add", "same", "same", "--store", str(tmp_path / "f.json")])
    assert result.exit_code == 1
    bad = tmp_path / "bad.json"
    bad.write_text("[")
    listed = runner.invoke(app, ["list", "--store", str(bad)])
    assert listed.exit_code == 2
