"""The ingest flow on real files, real Tesseract and a real (throw-away) Prefect server."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path

import pytest
from prefect import flow, task

from conftest import CIRCULAR_TEXT, write_bad_files, write_text_png
from flows import outputs
from flows.ingest import (
    RETRIES,
    TASK_POLICY,
    IngestSummary,
    ingest,
    is_transient,
    quarantine_entry,
    read_file,
    read_page,
    summary_markdown,
    write_records,
)
from flows.inputs import expand_inputs
from flows.progress import listening
from pipeline.api import validate_record
from pipeline.models import SourceFile
from pipeline.errors import (
    ArchiveError,
    CorruptFileError,
    EncryptedPdfError,
    ExitCode,
    OcrCrashError,
    OcrEngineError,
    OcrTimeoutError,
    UnsupportedTypeError,
)

# --- expanding inputs (no Prefect) -----------------------------------------------------------


def _tree(root: Path) -> Path:
    inbox = root / "inbox"
    (inbox / "b-folder").mkdir(parents=True)
    (inbox / ".hidden-folder").mkdir()
    (inbox / "a.txt").write_text("x")
    (inbox / "b-folder" / "c.txt").write_text("x")
    (inbox / ".hidden.txt").write_text("x")
    (inbox / ".hidden-folder" / "d.txt").write_text("x")
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("x")
    os.symlink(outside / "secret.txt", inbox / "link-out.txt")
    os.symlink(outside, inbox / "folder-link-out")
    os.symlink(inbox / "a.txt", inbox / "link-in.txt")
    os.symlink(root / "nowhere.txt", inbox / "broken.txt")
    return inbox


def test_expand_walks_sorted_skips_hidden_and_refuses_links_leaving_the_folder(tmp_path: Path) -> None:
    inbox = _tree(tmp_path)
    scan = expand_inputs([inbox])
    names = [str(p.relative_to(inbox)) for p in scan.files]
    # link-in.txt is a.txt again: listed once, under the name met first
    assert names == ["a.txt", "b-folder/c.txt"]
    refused = {Path(r.path).name: r.error.reason for r in scan.rejected}
    assert refused == {
        "link-out.txt": "symlink-outside-input",
        "folder-link-out": "symlink-outside-input",
        "broken.txt": "missing-file",
    }
    assert all(r.error.exit_code == ExitCode.input_file for r in scan.rejected)


@pytest.mark.parametrize(
    ("given", "files", "reasons"),
    [
        (["inbox/a.txt"], ["a.txt"], []),
        (["inbox/link-out.txt"], ["link-out.txt"], []),  # named by the user: their choice
        (["inbox/missing.png"], [], ["missing-file"]),
        (["inbox/a.txt", "inbox"], ["a.txt", "c.txt"], ["symlink-outside-input"] * 2 + ["missing-file"]),
    ],
)
def test_expand_named_files(tmp_path: Path, given: list[str], files: list[str], reasons: list[str]) -> None:
    _tree(tmp_path)
    scan = expand_inputs([tmp_path / g for g in given])
    assert [p.name for p in scan.files] == files
    assert sorted(r.error.reason for r in scan.rejected) == sorted(reasons)


@pytest.mark.parametrize(
    ("error", "reason", "code"),
    [
        (CorruptFileError("bad"), "corrupt", 2),
        (EncryptedPdfError("locked"), "encrypted-pdf", 5),
        (UnsupportedTypeError("gif"), "unsupported-type", 4),
        (ValueError("boom"), "internal-error", 15),
    ],
)
def test_quarantine_entry_names_the_reason_and_exit_code(error: Exception, reason: str, code: int) -> None:
    entry = quarantine_entry("in/x.png", None, error)
    assert (entry["reason"], entry["exit_code"], entry["path"]) == (reason, code, "in/x.png")
    assert entry["message"]


def test_manifest_ignores_a_torn_last_line(tmp_path: Path) -> None:
    outputs.append_manifest(tmp_path, {"sha256": "a" * 64})
    with open(tmp_path / outputs.MANIFEST, "a", encoding="utf-8") as handle:
        handle.write('{"sha256": "bbbb')  # crash mid-append
    assert outputs.done_sources(tmp_path) == {"a" * 64}
    outputs.append_manifest(tmp_path, {"sha256": "c" * 64})  # the rerun's next file
    assert outputs.done_sources(tmp_path) == {"a" * 64, "c" * 64}


# --- retries ---------------------------------------------------------------------------------


def test_every_task_retries_only_transient_failures() -> None:
    for stage in (read_file, read_page, write_records):
        assert stage.retries == RETRIES
        assert stage.retry_condition_fn is is_transient


def test_transient_failure_is_retried_and_permanent_one_is_not(prefect_harness: None) -> None:
    calls = {"transient": 0, "timeout": 0, "archive": 0, "permanent": 0, "refused": 0}

    @task(**{**TASK_POLICY, "retry_delay_seconds": 0})
    def flaky(kind: str) -> str:
        calls[kind] += 1
        if kind == "transient" and calls[kind] == 1:
            raise OcrCrashError("tesseract was killed")
        if kind == "timeout" and calls[kind] == 1:
            raise OcrTimeoutError("tesseract timed out")
        if kind == "refused":
            raise OcrEngineError("Image too large: requested bytes >= 2^31")
        if kind == "archive" and calls[kind] <= 2:
            raise ArchiveError("database is locked")
        if kind == "permanent":
            raise CorruptFileError("PNG is truncated")
        return "done"

    @flow
    def batch() -> dict:
        outcome = {}
        for kind in calls:
            try:
                outcome[kind] = flaky(kind)
            except (CorruptFileError, OcrEngineError) as exc:
                outcome[kind] = exc.reason
        return outcome

    assert batch() == {"transient": "done", "timeout": "done", "archive": "done",
                       "permanent": "corrupt", "refused": "ocr-failed"}
    assert calls == {"transient": 2, "timeout": 2, "archive": 3, "permanent": 1, "refused": 1}


# --- the batch -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> dict:
    """One real batch (good scan, good text file, every bad kind), then the same batch again."""
    root = tmp_path_factory.mktemp("batch")
    archive = str(root / "archive" / "archive.sqlite")
    Path(archive).parent.mkdir()
    inbox = root / "inbox"
    write_text_png(inbox / "scans" / "circular.png")
    (inbox / "text").mkdir(parents=True)
    (inbox / "text" / "memo.txt").write_text(CIRCULAR_TEXT, encoding="utf-8")
    expected = write_bad_files(inbox / "bad")
    (inbox / ".DS_Store").write_bytes(b"junk")  # hidden: never read
    outside = root / "elsewhere.txt"
    outside.write_text(CIRCULAR_TEXT, encoding="utf-8")
    os.symlink(outside, inbox / "shortcut.txt")
    expected["shortcut.txt"] = "symlink-outside-input"
    out = root / "out"
    events: dict[str, int] = {}
    with listening(lambda event, n: events.__setitem__(event, events.get(event, 0) + n)):
        first = ingest([str(inbox)], str(out), archive=archive, workers=2, batch="test-batch")
    first_files = {p.name: p.stat().st_mtime_ns for p in out.glob("*.json")}
    second = ingest([str(inbox)], str(out), archive=archive, workers=2, batch="test-batch-again")
    return {"out": out, "first": first, "second": second, "expected": expected,
            "first_files": first_files, "archive": archive, "events": events}


def _records(out: Path) -> list[dict]:
    names = {outputs.QUARANTINE, outputs.SUMMARY}
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.json"))
            if p.name not in names]


def test_bad_files_are_quarantined_with_their_reasons(batch_run: dict) -> None:
    quarantine = json.loads((batch_run["out"] / outputs.QUARANTINE).read_text(encoding="utf-8"))
    reasons = {Path(e["path"]).name: e["reason"] for e in quarantine}
    assert reasons == batch_run["expected"]
    for entry in quarantine:
        assert entry["message"] and entry["exit_code"] in (2, 4, 5)


def test_good_files_are_ingested_as_valid_records(batch_run: dict) -> None:
    records = _records(batch_run["out"])
    by_source = {Path(r["source"]["path"]).name for r in records}
    assert by_source == {"circular.png", "memo.txt"}
    for record in records:
        validate_record(record)
        assert record["raw_text"].strip()
    scan = next(r for r in records if r["source"]["path"].endswith("circular.png"))
    assert "PAKISTAN" in scan["raw_text"].upper()
    assert scan["pages"][0]["source"] == "ocr" and scan["pages"][0]["words"]
    manifest = (batch_run["out"] / outputs.MANIFEST).read_text(encoding="utf-8").splitlines()
    assert len(manifest) == 2
    assert {json.loads(line)["sha256"] for line in manifest} == {r["source"]["sha256"] for r in records}
    assert not list((batch_run["out"] / ".work").glob("*"))  # page images cleaned up


def test_summary_counts_are_right(batch_run: dict) -> None:
    first: IngestSummary = batch_run["first"]
    records = _records(batch_run["out"])
    assert (first.files, first.processed, first.skipped) == (8, 2, 0)
    assert first.documents == len(records)
    assert first.pages == 2
    assert len(first.quarantined) == 6
    assert first.exit_code == ExitCode.partial_batch
    assert first.pages_per_minute > 0
    scan = next(r for r in records if r["source"]["path"].endswith("circular.png"))
    assert first.mean_confidence == pytest.approx(scan["pages"][0]["mean_confidence"], abs=1.0)
    written = json.loads((batch_run["out"] / outputs.SUMMARY).read_text(encoding="utf-8"))
    assert written["batch"] == "test-batch-again"  # summary.json describes the last run
    assert (written["documents"], written["skipped"]) == (0, 2)


def test_progress_events_count_files_and_pages(batch_run: dict) -> None:
    assert batch_run["events"] == {"files": 8, "file-failed": 6, "pages-found": 2, "page-done": 2,
                                   "file-done": 2}


def test_summary_artifact_is_published(batch_run: dict) -> None:
    from prefect.artifacts import Artifact

    artifact = Artifact.get("ingest-summary")
    assert artifact is not None
    assert "test-batch-again" in artifact.data
    assert "| 8 | 0 | 2 | 6 | 0 | 0 |" in artifact.data
    assert "symlink-outside-input" in artifact.data
    assert summary_markdown(batch_run["first"]).count("| ") > 10


def test_rerun_skips_content_already_done(batch_run: dict) -> None:
    second: IngestSummary = batch_run["second"]
    assert (second.processed, second.skipped, second.documents, second.pages) == (0, 2, 0, 0)
    assert len(second.quarantined) == 6  # bad files are tried again, and refused again
    again = {p.name: p.stat().st_mtime_ns for p in batch_run["out"].glob("*.json")
             if p.name not in {outputs.QUARANTINE, outputs.SUMMARY}}
    first = {k: v for k, v in batch_run["first_files"].items()
             if k not in {outputs.QUARANTINE, outputs.SUMMARY}}
    assert again == first  # records untouched
    lines = (batch_run["out"] / outputs.MANIFEST).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2


def test_bad_arguments_fail_the_flow_with_a_clear_error(tmp_path: Path, prefect_harness: None) -> None:
    from pipeline.errors import BadArgsError

    with pytest.raises(BadArgsError, match="workers"):
        ingest([str(tmp_path)], str(tmp_path / "out"), workers=0, use_archive=False)


def test_records_are_archived_with_their_files(batch_run: dict) -> None:
    from archive import open_archive

    assert batch_run["first"].archived
    store = open_archive(batch_run["archive"])
    try:
        stored = {doc.doc_id: doc for doc in store.iter_documents()}
        assert set(stored) == {r["id"] for r in _records(batch_run["out"])}
        assert all(doc.batch == "test-batch" for doc in stored.values())
        scan = next(d for d in stored.values() if d.record["source"]["path"].endswith(".png"))
        assert store.file_path(scan.doc_id, "original").read_bytes()[:4] == b"\x89PNG"
        assert store.file_path(scan.doc_id, "pdf").read_bytes()[:5] == b"%PDF-"  # searchable
        assert store.file_path(scan.doc_id, "page", 1).is_file()
    finally:
        store.close()


def test_recorrect_rebuilds_archived_documents_without_ocr(batch_run: dict) -> None:
    from flows.recorrect import recorrect

    result = recorrect(archive=batch_run["archive"], use_rules=False)
    assert result["documents"] == batch_run["first"].documents
    assert result["failed"] == []
    # same text, same corrector: every rebuilt record equals the stored one
    assert result["by_status"] == {"unchanged": batch_run["first"].documents}


# --- the chunk scheduler, on a real thread pool (no Prefect needed) ---------------------------


class _Recorder:
    """Runs the scheduler's submissions on a real thread pool and logs what ran when."""

    def __init__(self, slots: int, pages: dict[str, int], failing_pages=(), failing_loads=()):
        from concurrent.futures import ThreadPoolExecutor
        import threading

        self.pool = ThreadPoolExecutor(max_workers=slots + 1)
        self.lock = threading.Lock()
        self.events: list[tuple[str, str]] = []
        self.in_ocr = 0
        self.most_in_ocr = 0
        self.pages = pages
        self.failing_pages = set(failing_pages)
        self.failing_loads = set(failing_loads)

    def _log(self, what: str, name: str) -> None:
        with self.lock:
            self.events.append((what, name))

    def _busy(self, delta: int) -> None:
        with self.lock:
            self.in_ocr += delta
            self.most_in_ocr = max(self.most_in_ocr, self.in_ocr)

    def read(self, file):
        def run():
            self._busy(+1)
            try:
                return read()
            finally:
                self._busy(-1)

        def read():
            import time

            self._log("read", file.path)
            time.sleep(0.01)
            if file.path in self.failing_loads:
                raise CorruptFileError("broken", path=file.path)
            source = SourceFile(path=file.path, sha256=file.sha256, media_type="image/png",
                                size_bytes=1, page_count=self.pages[file.path])
            if source.page_count == 1:  # read and finished in the same task
                return {"finished": {"sha256": file.sha256, "records": [file.path], "pages": 1,
                                     "confidences": []}}
            return {"source": source}
        return self.pool.submit(run)

    def page(self, file, source, page):
        import time

        def run():
            self._busy(+1)
            self._log("ocr", f"{file.path}#{page}")
            time.sleep(0.02)  # a page takes a moment, so pages overlap as they do for real
            self._busy(-1)
            if (file.path, page) in self.failing_pages:
                raise OcrEngineError("tesseract crashed", path=file.path)
            return {"number": page}
        return self.pool.submit(run)

    def finish(self, file, source, results):
        def run():
            self._log("finish", file.path)
            return {"sha256": file.sha256, "records": [file.path],
                    "pages": len(results), "confidences": []}
        return self.pool.submit(run)


def _schedule(tmp_path: Path, recorder: _Recorder, slots: int) -> list[dict]:
    from flows.ingest import ChunkScheduler, PendingFile

    files = [PendingFile(name, f"{i:064x}") for i, name in enumerate(recorder.pages)]
    workdirs = {f.sha256: str(tmp_path / f.sha256) for f in files}
    try:
        return ChunkScheduler(files, workdirs, slots, recorder.read, recorder.page,
                              recorder.finish).run()
    finally:
        recorder.pool.shutdown()


def test_scheduler_finishes_files_while_later_pages_are_still_read(tmp_path: Path) -> None:
    pages = {f"f{i}": 2 for i in range(6)}
    recorder = _Recorder(2, pages)
    outcomes = _schedule(tmp_path, recorder, slots=2)
    assert sorted(o["records"][0] for o in outcomes) == sorted(pages)
    assert all(o["ok"] and o["pages"] == 2 for o in outcomes)
    assert recorder.most_in_ocr <= 2  # never more Tesseracts than slots
    first_finish = recorder.events.index(("finish", "f0"))
    last_ocr = max(i for i, (what, _) in enumerate(recorder.events) if what == "ocr")
    assert first_finish < last_ocr, recorder.events  # not all finishing left to the end


def test_scheduler_quarantines_a_file_whose_load_or_page_fails(tmp_path: Path) -> None:
    pages = {"good": 1, "bad-load": 1, "bad-page": 5, "after": 2}
    recorder = _Recorder(1, pages, failing_pages={("bad-page", 1)}, failing_loads={"bad-load"})
    outcomes = _schedule(tmp_path, recorder, slots=1)
    by_path = {o.get("path") or o["records"][0]: o for o in outcomes}
    assert by_path["good"]["ok"] and by_path["after"]["ok"] and len(outcomes) == 4
    assert by_path["bad-load"]["reason"] == "corrupt" and not by_path["bad-load"]["ok"]
    assert by_path["bad-page"]["reason"] == "ocr-failed"
    assert ("finish", "bad-page") not in recorder.events
    # With one slot, the failed page's later pages were still queued: never read.
    assert ("ocr", "bad-page#5") not in recorder.events


def test_scheduler_reads_open_files_pages_before_new_files_and_keeps_to_its_slots(
        tmp_path: Path) -> None:
    pages = {"one-a": 1, "long": 4, "one-b": 1, "one-c": 1, "two": 2}
    recorder = _Recorder(2, pages)
    outcomes = _schedule(tmp_path, recorder, slots=2)
    assert sorted(o["records"][0] for o in outcomes) == sorted(pages)
    assert all(o["ok"] for o in outcomes)
    assert recorder.most_in_ocr <= 2  # reading a file counts against the slots too
    # One-page files are finished by their read task: no page task, no finish task.
    assert not any(name.startswith("one-") for what, name in recorder.events
                   if what in ("ocr", "finish"))
    assert ("finish", "long") in recorder.events and ("finish", "two") in recorder.events
    # Once "long" is open, its pages go before files not yet read.
    order = [name for what, name in recorder.events if what in ("read", "ocr")]
    assert order.index("long#4") < order.index("two")


def test_scheduler_with_no_files_returns_nothing(tmp_path: Path) -> None:
    assert _schedule(tmp_path, _Recorder(2, {}), slots=2) == []


# --- selecting files -------------------------------------------------------------------------


def test_every_empty_file_is_quarantined_as_empty_not_dropped_as_a_repeat(tmp_path: Path) -> None:
    from flows.ingest import _select_files

    inbox = tmp_path / "in"
    inbox.mkdir()
    for name in ("a.png", "b.pdf", "c.txt"):
        (inbox / name).write_bytes(b"")
    (inbox / "d.txt").write_text("same")
    (inbox / "e.txt").write_text("same")
    selected, skipped, quarantined = _select_files([str(inbox)], tmp_path / "out", None)
    reasons = {Path(q["path"]).name: q["reason"] for q in quarantined}
    assert reasons == {"a.png": "empty-file", "b.pdf": "empty-file", "c.txt": "empty-file"}
    assert [Path(f.path).name for f in selected] == ["d.txt"] and skipped == 1  # e.txt: a repeat


def test_every_copy_of_a_failing_file_is_reported(tmp_path: Path) -> None:
    from flows.ingest import _failed_copies, _select_files

    inbox = tmp_path / "in"
    inbox.mkdir()
    for name in ("bad1.png", "bad2.png", "bad3.png"):
        (inbox / name).write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    copies: dict[str, list[str]] = {}
    selected, skipped, _ = _select_files([str(inbox)], tmp_path / "out", None, copies)
    assert [Path(f.path).name for f in selected] == ["bad1.png"] and skipped == 2
    failed = {"ok": False, "path": selected[0].path, "sha256": selected[0].sha256,
              "reason": "corrupt", "message": "PNG is truncated", "exit_code": 2}
    extra = _failed_copies([failed], copies)
    assert sorted(Path(e["path"]).name for e in extra) == ["bad2.png", "bad3.png"]
    assert all(e["reason"] == "corrupt" and "bad1.png" in e["message"] for e in extra)
    # A copy of a file that went in fine is not reported.
    assert _failed_copies([{**failed, "ok": True}], copies) == []


class _ArchiveHolding:
    """An archive that already holds every source (what ``_select_files`` asks of it)."""

    def has_source(self, sha256: str) -> bool:
        return True


def test_a_file_archived_but_missing_from_the_manifest_is_redone(tmp_path: Path) -> None:
    """A run killed between archiving a file's records and writing its manifest line.

    The archive holds the file, the manifest does not, and the dead run's work folder is
    still in the output folder: the rerun must redo the file (archiving the same records
    again changes nothing) instead of skipping it forever without a manifest line.
    """
    from flows.ingest import _select_files, work_dir

    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "memo.txt").write_text(CIRCULAR_TEXT, encoding="utf-8")
    out = tmp_path / "out"
    selected, skipped, _ = _select_files([str(inbox)], out, _ArchiveHolding())
    assert (selected, skipped) == ([], 1)  # archived from elsewhere, nothing left here: done
    sha = hashlib.sha256(CIRCULAR_TEXT.encode()).hexdigest()
    (work_dir(out, sha) / "records").mkdir(parents=True)
    selected, skipped, _ = _select_files([str(inbox)], out, _ArchiveHolding())
    assert [f.sha256 for f in selected] == [sha] and skipped == 0


# --- finishing a file (no Prefect) -----------------------------------------------------------


def _saved_pages(work: Path, texts: list[str]) -> list[dict]:
    """Page results as the read tasks leave them: each OcrPage pickled in the work folder."""
    from pipeline.models import OcrPage

    work.mkdir(parents=True, exist_ok=True)
    results = []
    for number, text in enumerate(texts, 1):
        path = work / f"page-{number:05d}.ocr.pickle"
        page = OcrPage(number=number, text=text, source="text-file", decision="test")
        path.write_bytes(pickle.dumps(page))
        results.append({"number": number, "path": str(path), "source": page.source,
                        "confidence": None, "image": None, "pdf": None})
    return results


def test_a_files_records_land_together_or_not_at_all(tmp_path: Path, daftar_home: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Records are written as they are built, but none reaches the output folder (nor the
    manifest) unless every record of the file is valid."""
    import pipeline.api
    from flows.ingest import BatchTarget, _finish_file, work_dir

    longer = CIRCULAR_TEXT.replace("0900 hours.", "0900 hours.\n2. Late arrivals will be "
                                   "recorded in the register kept by the section officer daily.")
    texts = [longer, CIRCULAR_TEXT.replace("F.7-1/2023", "F.9-4/2023")
             .replace("MINISTRY OF EDUCATION", "MINISTRY OF HEALTH")]  # two documents
    sha = hashlib.sha256("".join(texts).encode()).hexdigest()
    source = SourceFile("two.txt", sha, "text/plain", 100, 2)
    out = tmp_path / "out"
    pages = _saved_pages(work_dir(out, sha), texts)
    target = BatchTarget(str(out), None, False, "test")
    real, calls = pipeline.api.validate_record, []

    def second_fails(data: dict) -> None:
        calls.append(data["id"])
        if len(calls) == 2:
            raise ValueError("record 2 is invalid")
        real(data)

    monkeypatch.setattr(pipeline.api, "validate_record", second_fails)
    with pytest.raises(ValueError, match="record 2"):
        _finish_file(source, pages, target)
    assert len(calls) == 2
    assert not list(out.glob("*.json")) and not (out / outputs.MANIFEST).exists()

    monkeypatch.setattr(pipeline.api, "validate_record", real)
    outcome = _finish_file(source, pages, target)
    assert len(outcome["records"]) == 2 and outcome["pages"] == 2
    assert sorted(p.stem for p in out.glob("*.json")) == sorted(outcome["records"])
    [line] = (out / outputs.MANIFEST).read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["records"] == outcome["records"]
    assert not list((work_dir(out, sha) / "records").iterdir())  # nothing left staged


def test_each_document_of_a_long_scan_is_archived_with_its_own_pages(
        tmp_path: Path, prefect_harness: None) -> None:
    """A four-page PDF holding two circulars: each document keeps the page images of its
    own pages, and both share the file's original and searchable PDF."""
    from archive import open_archive

    sample = Path(__file__).resolve().parent.parent / "samples" / "scans" / "two-circulars.l1.pdf"
    archive = str(tmp_path / "archive.sqlite")
    summary = ingest([str(sample)], str(tmp_path / "out"), archive=archive, workers=2, batch="pages")
    assert summary.processed == 1 and summary.documents == 2 and summary.pages == 4
    store = open_archive(archive)
    try:
        docs = sorted(store.iter_documents(), key=lambda d: d.record["source"]["document_index"])
        ranges = [tuple(d.record["source"]["page_range"]) for d in docs]
        assert ranges[0][0] == 1 and ranges[-1][1] == 4 and ranges[0][1] < ranges[1][0] + 1
        for doc, (first, last) in zip(docs, ranges):
            for page in range(1, 5):
                assert _has_page(store, doc.doc_id, page) == (first <= page <= last), (page, first, last)
        assert len({store.file_path(d.doc_id, "pdf") for d in docs}) == 1
    finally:
        store.close()


def _has_page(store, doc_id: str, page: int) -> bool:
    from pipeline.errors import NotFoundError

    try:
        return store.file_path(doc_id, "page", page).is_file()
    except NotFoundError:
        return False
