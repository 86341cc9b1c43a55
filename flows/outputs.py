"""What a batch leaves in its output folder, written so a crash never leaves half a file.

    <out>/<record id>.json   one validated record per document found
    <out>/pdf/<sha256>.pdf   searchable PDF of each scanned source file
    <out>/manifest.jsonl     one line per source file fully done (the resume point)
    <out>/quarantine.json    files refused in the last run, with reasons
    <out>/summary.json       counts and rates of the last run

A record file appears whole or not at all (temp file + ``os.replace``); the manifest line is
appended only after every record of the file is written, so a re-run redoes any file whose
line is missing and skips every file whose line is there.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

MANIFEST = "manifest.jsonl"
QUARANTINE = "quarantine.json"
SUMMARY = "summary.json"

_manifest_lock = threading.Lock()


def write_json_atomic(path: Path, data: Any) -> Path:
    """Write ``data`` as JSON to ``path``: readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def record_path(out_dir: Path, record_id: str) -> Path:
    return out_dir / f"{record_id}.json"


def done_sources(out_dir: Path) -> set[str]:
    """Content ids (sha256) of the source files a previous run finished.

    A torn last line (crash mid-append) is ignored: that file simply gets redone.
    """
    manifest = out_dir / MANIFEST
    if not manifest.exists():
        return set()
    done: set[str] = set()
    for line in manifest.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("sha256"), str):
            done.add(entry["sha256"])
    return done


def append_manifest(out_dir: Path, entry: Mapping[str, Any]) -> None:
    """Append one finished source file to the manifest (thread-safe, one write per line).

    After a crash mid-append the file ends in a torn line; the new line then starts on a
    line of its own, or it would be glued to the torn one and be lost with it.
    """
    line = json.dumps({**entry, "finished_at": now_iso()}, ensure_ascii=False) + "\n"
    out_dir.mkdir(parents=True, exist_ok=True)
    with _manifest_lock, open(out_dir / MANIFEST, "ab") as handle:
        if handle.tell() and _last_byte(out_dir / MANIFEST) != b"\n":
            line = "\n" + line
        handle.write(line.encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())


def _last_byte(path: Path) -> bytes:
    with open(path, "rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1)


def write_quarantine(out_dir: Path, entries: Iterable[Mapping[str, Any]]) -> Path:
    return write_json_atomic(out_dir / QUARANTINE, list(entries))


def write_summary(out_dir: Path, summary: Mapping[str, Any]) -> Path:
    return write_json_atomic(out_dir / SUMMARY, dict(summary))


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
