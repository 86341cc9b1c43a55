"""Crash safety: ``daftar ingest`` killed with SIGKILL at random points, then rerun.

After the kills and one uninterrupted rerun, every document must be in the archive exactly
once, every JSON file in the output folder must be whole and valid, the manifest must agree
with the records and the archive, and SQLite's integrity check must pass.

Sizes (environment, for the long run reported in docs/reliability.md):
    DAFTAR_CRASH_FILES  text files in the batch (default 24)
    DAFTAR_CRASH_SCANS  scanned PNG pages in the batch (default 4; each one runs Tesseract)
    DAFTAR_CRASH_KILLS  SIGKILLs before the final run (default 4)
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hostile import CIRCULAR_TEXT, image_bytes, text_page_image
from pipeline.api import validate_record

REPO = Path(__file__).resolve().parent.parent
DAFTAR = [sys.executable, "-m", "daftar"]
TOPICS = ("Ramazan", "winter vacation", "monsoon", "polio campaign", "elections", "census",
          "office timings", "dengue", "austerity", "flood relief", "e-filing", "security")
NOT_RECORDS = {"quarantine.json", "summary.json"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() else default


def write_batch(folder: Path, texts: int, scans: int) -> dict[str, str]:
    """Distinct circulars as .txt files and scanned PNG pages; returns name -> sha256."""
    folder.mkdir(parents=True)
    for i in range(texts):
        body = CIRCULAR_TEXT.format(n=100 + i, topic=TOPICS[i % len(TOPICS)])
        (folder / f"circular-{i:03d}.txt").write_text(body + f"Copy {i} to all sections.\n", encoding="utf-8")
    for i in range(scans):
        page = text_page_image(CIRCULAR_TEXT.format(n=500 + i, topic=TOPICS[(i + 3) % len(TOPICS)]))
        (folder / f"scan-{i:03d}.png").write_bytes(image_bytes(page, "PNG"))
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def run_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "OMP_THREAD_LIMIT": "1",
        "DAFTAR_HOME": str(tmp / "home"),
        "PREFECT_HOME": str(tmp / "prefect"),  # kept across runs, as a user's would be
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    })
    env.pop("PREFECT_API_URL", None)  # each run starts its own (ephemeral) Prefect server
    return env


def ingest_command(folder: Path, out: Path, archive: Path) -> list[str]:
    return [*DAFTAR, "ingest", str(folder), "--out", str(out), "--archive", str(archive),
            "--workers", "2", "--batch", "crash"]


def manifest_lines(out: Path) -> int:
    try:
        return (out / "manifest.jsonl").read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def kill_at(cmd: list[str], env: dict[str, str], out: Path, rng: random.Random, total: int) -> str:
    """Start the batch, SIGKILL its whole process group once it is partway; say where it died."""
    target = manifest_lines(out) + rng.randint(0, max(1, total // 3))
    extra = rng.uniform(0.0, 0.4)
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while proc.poll() is None and manifest_lines(out) < target and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(extra)
    if proc.poll() is not None:
        return f"finished before the kill (exit {proc.returncode})"
    os.killpg(proc.pid, signal.SIGKILL)  # the process and its tesseract/server children
    proc.wait()
    return f"killed after {manifest_lines(out)} manifest lines (target {target} + {extra:.2f}s)"


def check_outputs(out: Path, archive: Path, sources: dict[str, str]) -> None:
    manifest = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()
                if line.strip().endswith("}")]
    done = {entry["sha256"] for entry in manifest}
    assert done == set(sources.values()), "every input file finished, none twice-counted"
    record_ids = {rid for entry in manifest for rid in entry["records"]}
    files = {p.stem: p for p in out.glob("*.json") if p.name not in NOT_RECORDS}
    assert set(files) == record_ids, "record files and manifest disagree"
    for path in files.values():
        validate_record(json.loads(path.read_text(encoding="utf-8")))  # whole and valid
    json.loads((out / "quarantine.json").read_text(encoding="utf-8"))
    json.loads((out / "summary.json").read_text(encoding="utf-8"))

    db = sqlite3.connect(archive)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        docs = db.execute("SELECT doc_id, current_version, source_sha256 FROM documents").fetchall()
        ids = [d[0] for d in docs]
        assert len(ids) == len(set(ids)) and set(ids) == record_ids, "each document exactly once"
        assert {d[2] for d in docs} == set(sources.values())
        versions = dict(db.execute("SELECT doc_id, COUNT(*) FROM versions GROUP BY doc_id").fetchall())
        latest = dict(db.execute("SELECT doc_id, MAX(version) FROM versions GROUP BY doc_id").fetchall())
        for doc_id, current, _ in docs:
            assert latest.get(doc_id) == current, f"{doc_id}: current version has no body"
            assert versions[doc_id] == 1, f"{doc_id}: re-ingest after a crash made {versions[doc_id]} versions"
        orphans = db.execute("SELECT COUNT(*) FROM versions WHERE doc_id NOT IN "
                             "(SELECT doc_id FROM documents)").fetchone()[0]
        assert orphans == 0
    finally:
        db.close()


@pytest.mark.timeout(1800)
def test_sigkill_at_random_points_then_resume(tmp_path: Path) -> None:
    texts, scans = env_int("DAFTAR_CRASH_FILES", 24), env_int("DAFTAR_CRASH_SCANS", 4)
    kills = env_int("DAFTAR_CRASH_KILLS", 4)
    folder, out, archive = tmp_path / "in", tmp_path / "out", tmp_path / "archive.sqlite"
    sources = write_batch(folder, texts, scans)
    env = run_env(tmp_path)
    cmd = ingest_command(folder, out, archive)
    log = []
    for seed in range(kills):
        log.append(kill_at(cmd, env, out, random.Random(seed), len(sources)))
    final = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, timeout=1200)
    assert final.returncode == 0, f"{log}\n{final.stdout[-2000:]}\n{final.stderr[-3000:]}"
    check_outputs(out, archive, sources)
    assert sum("killed" in entry for entry in log) >= max(1, kills // 2), log
    # Inputs untouched by any of the runs.
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()} == sources
    print("\n".join(log))


@pytest.mark.timeout(600)
def test_rerun_after_completion_changes_nothing(tmp_path: Path) -> None:
    """A finished batch run again skips everything: no new versions, the same record files."""
    folder, out, archive = tmp_path / "in", tmp_path / "out", tmp_path / "archive.sqlite"
    sources = write_batch(folder, 5, 0)
    env = run_env(tmp_path)
    cmd = ingest_command(folder, out, archive)
    first = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr[-3000:]
    before = {p.name: p.read_bytes() for p in out.glob("*.json") if p.name not in NOT_RECORDS}
    second = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr[-3000:]
    after = {p.name: p.read_bytes() for p in out.glob("*.json") if p.name not in NOT_RECORDS}
    assert after == before
    summary = json.loads((out / "summary.json").read_text())
    assert summary["processed"] == 0 and summary["skipped"] == len(sources)
    check_outputs(out, archive, sources)
