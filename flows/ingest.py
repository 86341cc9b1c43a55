"""The batch import flow: folders of scans in, one validated JSON record per document out.

Shape of a run (no business logic lives here; every step is a ``pipeline`` call)::

    ingest (flow)                expand folders, hash files, skip content ids already done
      └─ ingest-chunk (subflow)  at most CHUNK_FILES files, tasks on a bounded thread pool
                                 (one thread per OCR slot plus one), fed by ChunkScheduler
           read-file    (task)   one per file: identify (validate); a one-page file or a
                                 text file is also read, OCR'd and finished right here
           read-page    (task)   one per page of a multi-page scan: load (render) and OCR
                                 it; tesseract runs as a subprocess, so threads give real
                                 parallelism; the page's words go to disk
           write-records(task)   one per multi-page file: split, correct, extract,
                                 validate, write, archive, then the manifest line

Tasks return small values (paths, counts); a batch's memory therefore grows with the number
of files in one chunk, never with the number of pages in the batch, and a long file's
records are built one document at a time from its page files on disk (``_finish_file``).
A file whose stage raises is quarantined with the error's ``reason`` and the batch carries
on; only transient failures (``TRANSIENT_ERRORS``) are retried.
"""

from __future__ import annotations

import os

# Tesseract's OpenMP threads fight our own parallel pages (~9x slower on two cores); every
# tesseract process started from this one inherits the limit.
os.environ["OMP_THREAD_LIMIT"] = "1"

import cv2  # noqa: E402

# For the same reason OpenCV works on one thread here: the batch keeps every core busy with
# its own pages, and OpenCV's thread pool only adds hand-over costs (~15% of preprocessing's
# CPU, bench/throughput.py).
cv2.setNumThreads(1)

import functools  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import pickle  # noqa: E402  (our own temporary page files, never user input)
import queue  # noqa: E402
import shutil  # noqa: E402
import time  # noqa: E402
from collections import deque  # noqa: E402
from collections.abc import Iterable, Sequence  # noqa: E402
from dataclasses import asdict, dataclass, field  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.exceptions import MissingContextError  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

from flows import outputs, progress  # noqa: E402
from flows.archive_step import archive_record, correction_rules, open_batch_archive  # noqa: E402
from flows.inputs import expand_inputs  # noqa: E402
from pipeline.config import PIPELINE_VERSION, OcrOptions, default_workers  # noqa: E402
from pipeline.errors import (  # noqa: E402
    TRANSIENT_ERRORS,
    BadArgsError,
    DaftarError,
    EmptyFileError,
    ExitCode,
    InputFileError,
)
from pipeline.models import OcrPage, RasterPage, SourceFile, TextPage  # noqa: E402

# Files per sub-flow: bounds what Prefect keeps in memory (every task run's state, until its
# flow ends). Each chunk ends with its cores draining (last pages, last records, sub-flow
# teardown, ~2 s of idle cores), so chunks are made long enough for that to be rare.
CHUNK_FILES = 128
RETRIES = 2
RETRY_DELAY_S = 2
WORK_DIR = ".work"  # inside out_dir; hidden, so re-importing the out folder never reads it


def is_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect ``retry_condition_fn``: retry only failures that a second try can fix."""
    exc = state.result(raise_on_failure=False)
    return isinstance(exc, TRANSIENT_ERRORS)


TASK_POLICY: dict[str, Any] = {
    "retries": RETRIES,
    "retry_delay_seconds": RETRY_DELAY_S,
    "retry_condition_fn": is_transient,
    "cache_policy": NO_CACHE,  # the manifest, keyed by content id, is the resume point
    "persist_result": False,
}


@dataclass(frozen=True)
class IngestSummary:
    """What a batch did: the flow's return value, ``summary.json`` and the CLI's tables."""

    batch: str
    out_dir: str
    files: int  # files found under the inputs (quarantined-before-reading ones included)
    processed: int  # files whose records were written in this run
    skipped: int  # files already done (manifest or archive) or repeated in the batch
    documents: int
    pages: int
    elapsed_seconds: float
    pages_per_minute: float
    mean_confidence: float | None  # mean of the OCR'd pages' mean word confidence (0-100)
    quarantined: tuple[dict[str, Any], ...] = ()
    archived: bool = False
    pipeline_version: str = PIPELINE_VERSION
    finished_at: str = field(default_factory=outputs.now_iso)

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.partial_batch if self.quarantined else ExitCode.ok

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["quarantined"] = list(self.quarantined)
        return data


def quarantine_entry(path: str, sha256: str | None, exc: BaseException) -> dict[str, Any]:
    """The quarantine.json entry for a file that failed: reason and exit code of its error."""
    if isinstance(exc, DaftarError):
        reason, code, message = exc.reason, int(exc.exit_code), exc.message
    else:  # a bug, not a property of the input: still reported, never silently dropped
        reason, code = "internal-error", int(ExitCode.other_error)
        message = f"{type(exc).__name__}: {exc}"
    return {"path": path, "sha256": sha256, "reason": reason, "message": message, "exit_code": code}


# --- tasks ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingFile:
    """A file of the batch, known only by path and content id until a task identifies it."""

    path: str
    sha256: str


@dataclass(frozen=True)
class BatchTarget:
    """Where a batch's finished files go: the output folder and (optionally) the archive."""

    out_dir: str
    archive: str | None
    use_archive: bool
    batch: str
    searchable_pdf: bool = True


@task(name="read-file", task_run_name="read {file.path}", **TASK_POLICY)
def read_file(file: PendingFile, workdir: str, options: OcrOptions, target: BatchTarget) -> dict:
    """Identify (validate) a file; read and finish it here when that takes one Tesseract run.

    Most inputs are one scanned page (or a text file): loading, OCR and finishing them in one
    task saves two task runs per page, and the image decoded to validate it is the one OCR
    reads. A file of several scanned pages returns ``{"source": ...}`` instead, and its pages
    are read by ``read_page`` tasks in parallel. Otherwise returns ``{"finished": outcome}``.
    """
    from pipeline.load import iter_pages, open_single_page

    work = Path(workdir)
    source, page, pixels = open_single_page(file.path, work, options)
    progress.emit("pages-found", source.page_count)
    if page is None and source.media_type != "text/plain":
        return {"source": source}
    pages = [page] if page is not None else list(iter_pages(source, work, options))
    results = [_read_and_save(p, options, work, target.searchable_pdf,
                              pixels=pixels if p is page else None) for p in pages]
    return {"finished": _finish_file(source, results, target)}


@task(name="read-page", task_run_name="read p{number} of {source_name}", **TASK_POLICY)
def read_page(source: SourceFile, number: int, workdir: str, options: OcrOptions,
              source_name: str, keep_pdf: bool = True) -> dict:
    """Load (render) and OCR one page of a multi-page file; its words go to ``workdir``."""
    from pipeline.load import load_page

    work = Path(workdir)
    page = load_page(source, number, work, options)
    return _read_and_save(page, options, work, keep_pdf)


def _read_and_save(page: RasterPage | TextPage, options: OcrOptions, work: Path, keep_pdf: bool,
                   pixels: Any = None) -> dict:
    """OCR one page, pickle the result beside it, return the small summary tasks pass on."""
    from pipeline.ocr import ocr_page as run_ocr

    result = run_ocr(page, options, workdir=work if keep_pdf else None, pixels=pixels)
    saved = work / f"page-{page.number:05d}.ocr.pickle"
    saved.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    progress.emit("page-done")
    return {
        "number": page.number,
        "path": str(saved),
        "source": result.source,
        "confidence": result.mean_confidence,
        "image": getattr(page, "image_path", None),
        "pdf": result.pdf_path,
    }


@task(name="write-records", task_run_name="records of {source.path}", **TASK_POLICY)
def write_records(source: SourceFile, page_results: list[dict], target: BatchTarget) -> dict:
    """Split, correct, extract, validate; then write each record, archive it, log the file."""
    return _finish_file(source, page_results, target)


def _finish_file(source: SourceFile, page_results: list[dict], target: BatchTarget) -> dict:
    """Build, validate and write a file's records; archive them; then its manifest line.

    Streamed: records come one document at a time from pages read off disk (``SavedPages``)
    and each is validated and written to the file's staging folder at once, so memory holds
    one document whatever the length of the file. Only when every record is valid do they
    move into the output folder (a file's records land together or not at all: a failure
    leaves none, the staging folder goes with the work folder); the manifest line, written
    last, is what marks the file done.
    """
    from pipeline.api import validate_record
    from pipeline.assemble import iter_records

    ordered = sorted(page_results, key=lambda r: r["number"])
    pages = SavedPages([r["path"] for r in ordered])
    rules = _batch_rules(target.archive, target.use_archive, target.batch)
    out = Path(target.out_dir)
    staging = work_dir(out, source.sha256) / STAGING_DIR
    shutil.rmtree(staging, ignore_errors=True)  # a crashed run's leftovers
    record_ids: list[str] = []
    for record in iter_records(source, pages, rules=rules):
        data = record.model_dump(mode="json")
        validate_record(data)
        outputs.write_json_atomic(staging / f"{data['id']}.json", data)
        record_ids.append(data["id"])
    for record_id in record_ids:  # all valid: now they land
        os.replace(staging / f"{record_id}.json", outputs.record_path(out, record_id))
    if target.use_archive:
        _archive_records(record_ids, source, ordered, out, target.archive, target.batch)
    outputs.append_manifest(
        out,
        {"sha256": source.sha256, "path": source.path, "records": record_ids, "pages": len(ordered),
         "batch": target.batch, "pipeline_version": PIPELINE_VERSION},
    )
    return {
        "sha256": source.sha256,
        "records": record_ids,
        "pages": len(ordered),
        "confidences": [r["confidence"] for r in ordered
                        if r["source"] == "ocr" and r["confidence"] is not None],
    }


STAGING_DIR = "records"  # inside a file's work folder: its records until all are valid


def work_dir(out_dir: str | Path, sha256: str) -> Path:
    """A file's work folder (page images, OCR results, staged records) inside ``out_dir``."""
    return Path(out_dir) / WORK_DIR / sha256


class SavedPages(Sequence[OcrPage]):
    """A file's OCR results, unpickled from disk when indexed; only the last one is kept.

    What ``pipeline.assemble.iter_records`` reads pages through, so a 500-page scan never
    has its 500 pages of words and boxes in memory at once. The last page read is kept
    because a page holding the end of one document and the start of the next is asked for
    twice in a row.
    """

    def __init__(self, paths: Sequence[str]) -> None:
        self._paths = list(paths)
        self._last: tuple[int, OcrPage] | None = None

    def __len__(self) -> int:
        return len(self._paths)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = range(len(self))[index]  # negative indexes; IndexError past the end
        if self._last is None or self._last[0] != index:
            self._last = (index, _read_page(Path(self._paths[index])))
        return self._last[1]


@functools.lru_cache(maxsize=8)
def _batch_rules(archive: str | None, use_archive: bool, batch: str) -> Any:
    """Archivists' learned correction rules, read once per batch (see flows.archive_step)."""
    return correction_rules(archive, use_archive=use_archive)


_warmed = False
WARM_UP_TEXT = "GOVERNMENT OF PAKISTAN\nCabinet Division\nNo. F.1-1/2024\nSubject: Warm up\n"


@task(name="warm-up", **TASK_POLICY)
def warm_up() -> None:
    """Load the corrector's and extractors' data once, while the other threads OCR.

    Otherwise the first files to finish all load it at once, at the end of the first chunk,
    with the OCR pool idle.
    """
    global _warmed
    if _warmed:
        return
    from pipeline.assemble import build_records

    page = OcrPage(number=1, text=WARM_UP_TEXT, source="text-file", decision="warm-up")
    source = SourceFile(path="warm-up.txt", sha256="0" * 64, media_type="text/plain",
                        size_bytes=len(WARM_UP_TEXT), page_count=1)
    build_records(source, [page])
    _warmed = True


def _read_page(path: Path) -> OcrPage:
    return pickle.loads(path.read_bytes())


def _archive_records(
    record_ids: Sequence[str],
    source: SourceFile,
    page_results: Sequence[dict],
    out: Path,
    location: str | None,
    batch: str,
) -> None:
    """Store the file's records (read back one at a time from ``out``) with its files.

    Re-storing a record the archive already holds unchanged is a no-op, so a file redone
    after a crash here is archived once.
    """
    store = open_batch_archive(location)
    if store is None:
        return
    try:
        pdf = _searchable_pdf(source, page_results, out)
        images = {r["number"]: Path(r["image"]) for r in page_results if r.get("image")}
        for record_id in record_ids:
            data = json.loads(outputs.record_path(out, record_id).read_text(encoding="utf-8"))
            first, last = data["source"]["page_range"]  # a document's own pages only
            own = {n: path for n, path in images.items() if first <= n <= last}
            archive_record(store, data, original=Path(source.path), searchable_pdf=pdf,
                           page_images=own, batch=batch)
    finally:
        close = getattr(store, "close", None)
        if callable(close):
            close()


def _searchable_pdf(source: SourceFile, page_results: Sequence[dict], out: Path) -> Path | None:
    """One searchable PDF per scanned source, merged from Tesseract's one-page PDFs."""
    if not page_results or any(r.get("pdf") is None for r in page_results):
        return None
    from pipeline.searchable_pdf import merge_pages

    target = out / "pdf" / f"{source.sha256}.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    return merge_pages([r["pdf"] for r in page_results], target)


# --- flows ---------------------------------------------------------------------------------


@flow(name="daftar-ingest-chunk", flow_run_name="chunk of {target.batch}")
def ingest_chunk(
    files: list[PendingFile],
    options: OcrOptions,
    target: BatchTarget,
    ocr_slots: int | None = None,
) -> list[dict]:
    """Process a bounded list of files; returns one small outcome per file.

    See ``ChunkScheduler``: at most ``ocr_slots`` tasks that run Tesseract are out at once
    (one Tesseract process each), and a multi-page file is finished (records, archive) as
    soon as its last page is read, on the spare thread, while OCR carries on.
    """
    workdirs = {f.sha256: str(work_dir(target.out_dir, f.sha256)) for f in files}
    names = {f.sha256: Path(f.path).name for f in files}
    scheduler = ChunkScheduler(
        files, workdirs, ocr_slots or default_workers(),
        read=lambda f: read_file.submit(f, workdirs[f.sha256], options, target),
        page=lambda f, source, number: read_page.submit(
            source, number, workdirs[f.sha256], options, names[f.sha256], target.searchable_pdf),
        finish=lambda f, source, results: write_records.submit(source, results, target),
    )
    warming = warm_up.submit()
    outcomes = scheduler.run()
    warming.wait()  # a failed warm-up only costs time: the first file loads the data itself
    return outcomes


class ChunkScheduler:
    """Feeds a chunk's tasks to the task runner in the order that keeps every core busy.

    The runner's queue is first come, first served, so submitting everything up front (as
    a plain loop would) puts each file's finishing behind all the chunk's OCR: the chunk
    then ends with a stretch of Python-only work while Tesseract sits idle. Here a task
    that may run Tesseract (``read`` a file, read a ``page``) is submitted only while an
    OCR slot is free, pages of files already open go before new files (so few files are
    open and the work folder stays small), and a multi-page file is ``finish``ed the
    moment its last page comes back, on the spare runner thread, while the slots carry on.

    ``read(file)`` returns ``{"finished": outcome}`` for a file it completed itself, or
    ``{"source": SourceFile}`` for one whose ``source.page_count`` pages are then read with
    ``page(file, source, number)`` and finished with ``finish(file, source, results)``.
    """

    def __init__(self, files: Sequence[PendingFile], workdirs: dict[str, str], ocr_slots: int,
                 read: Any, page: Any, finish: Any) -> None:
        self.files = deque(files)
        self.workdirs = workdirs
        self.ocr_slots = max(1, ocr_slots)
        self.submit_read, self.submit_page, self.submit_finish = read, page, finish
        self.done: queue.SimpleQueue = queue.SimpleQueue()
        self.pages: deque = deque()  # (file, source, page number) waiting for an OCR slot
        self.in_slots = 0
        self.open: dict[str, dict[str, Any]] = {}  # sha256 -> file state while pages are out
        self.outcomes: list[dict] = []
        self.active = 0  # futures submitted and not yet handled

    def run(self) -> list[dict]:
        self._top_up()
        while self.active:
            kind, file, future = self.done.get()
            self.active -= 1
            getattr(self, f"_on_{kind}")(file, future)
            self._top_up()
        return self.outcomes

    # --- submitting ------------------------------------------------------------------------

    def _watch(self, kind: str, file: PendingFile, future: Any) -> Any:
        self.active += 1
        future.add_done_callback(lambda f: self.done.put((kind, file, f)))
        return future

    def _top_up(self) -> None:
        while self.in_slots < self.ocr_slots and (self.pages or self.files):
            self.in_slots += 1
            if self.pages:
                file, source, number = self.pages.popleft()
                self._watch("page", file, self.submit_page(file, source, number))
            else:
                file = self.files.popleft()
                self._watch("read", file, self.submit_read(file))

    # --- completions -----------------------------------------------------------------------

    def _on_read(self, file: PendingFile, future: Any) -> None:
        self.in_slots -= 1
        try:
            result = future.result()
        except Exception as exc:
            self.outcomes.append(_failed(file, exc, self.workdirs[file.sha256]))
            return
        if "finished" in result:
            self._done(file, result["finished"])
            return
        source = result["source"]
        self.open[file.sha256] = {"source": source, "waiting": source.page_count,
                                  "results": [], "error": None}
        if source.page_count == 0:
            self._finish(file)
            return
        self.pages.extend((file, source, n) for n in range(1, source.page_count + 1))

    def _on_page(self, file: PendingFile, future: Any) -> None:
        self.in_slots -= 1
        state = self.open[file.sha256]
        state["waiting"] -= 1
        try:
            state["results"].append(future.result())
        except Exception as exc:
            if state["error"] is None:
                state["error"] = exc
                # Its other pages need not be read: drop those still waiting for a slot.
                kept = [item for item in self.pages if item[0] is not file]
                state["waiting"] -= len(self.pages) - len(kept)
                self.pages = deque(kept)
        if state["waiting"] == 0:
            self._finish(file)

    def _finish(self, file: PendingFile) -> None:
        state = self.open[file.sha256]
        if state["error"] is not None:
            del self.open[file.sha256]
            self.outcomes.append(_failed(file, state["error"], self.workdirs[file.sha256]))
            return
        self._watch("finish", file, self.submit_finish(file, state["source"], state["results"]))

    def _on_finish(self, file: PendingFile, future: Any) -> None:
        del self.open[file.sha256]
        try:
            self._done(file, future.result())
        except Exception as exc:
            self.outcomes.append(_failed(file, exc, None))
            shutil.rmtree(self.workdirs[file.sha256], ignore_errors=True)

    def _done(self, file: PendingFile, outcome: dict) -> None:
        self.outcomes.append({"ok": True, **outcome})
        progress.emit("file-done")
        shutil.rmtree(self.workdirs[file.sha256], ignore_errors=True)


def _failed(file: PendingFile, exc: BaseException, workdir: str | None) -> dict:
    _logger().warning("quarantined %s: %s", file.path, exc)
    progress.emit("file-failed")
    if workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return {"ok": False, **quarantine_entry(file.path, file.sha256, exc)}


def _logger() -> Any:
    """The run's logger inside a flow run; a plain one where there is none (scheduler tests)."""
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger("daftar.ingest")


def _run_name() -> str:
    from prefect.runtime import flow_run

    return f"ingest {flow_run.parameters.get('batch') or 'batch'}"


@flow(name="daftar-ingest", flow_run_name=_run_name)
def ingest(
    paths: list[str],
    out_dir: str,
    archive: str | None = None,
    languages: str = "eng",
    workers: int | None = None,
    batch: str | None = None,
    use_archive: bool = True,
    searchable_pdf: bool = True,
) -> IngestSummary:
    """Import files and folders into ``out_dir`` (and the archive); see the module docstring.

    ``archive`` is the archive location (None: the default under DAFTAR_HOME);
    ``use_archive=False`` writes the JSON records only; ``searchable_pdf=False`` skips the
    searchable PDF of each scan (faster OCR; the archive then keeps page images only).
    """
    started = time.monotonic()
    if workers is not None and workers < 1:
        raise BadArgsError(f"workers must be at least 1, got {workers}")
    if not paths:
        raise BadArgsError("no input paths given")
    batch = batch or default_batch_name()
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise BadArgsError(f"output folder {out} is a file")
    out.mkdir(parents=True, exist_ok=True)
    options = OcrOptions(languages=languages)
    store = open_batch_archive(archive) if use_archive else None

    copies: dict[str, list[str]] = {}
    files, skipped, quarantined = _select_files(paths, out, store, copies)
    runner, slots = _chunk_runner(workers)
    outcomes: list[dict] = []
    target = BatchTarget(str(out), archive, use_archive, batch, searchable_pdf)
    for chunk in _chunks(files, CHUNK_FILES):
        outcomes.extend(ingest_chunk.with_options(task_runner=runner)(chunk, options, target, slots))
    failed_copies = _failed_copies(outcomes, copies)
    quarantined += failed_copies
    skipped -= len(failed_copies)
    summary = _summarize(batch, out, outcomes, skipped, quarantined, len(files),
                         time.monotonic() - started, store is not None)
    _publish(summary, out)
    return summary


def _chunk_runner(workers: int | None) -> tuple[Any, int]:
    """The chunk's task runner and how many pages it may OCR at once.

    Threads: one per OCR slot (each waits on a Tesseract subprocess, so threads give real
    parallelism) plus one spare for loading and finishing files, so neither waits for the
    other and no core idles. A run given another runner (Dask, from ``flows.deploy``) keeps
    it and spreads every page over the cluster at once.
    """
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    given = context.task_runner if context else None
    if given is not None and not isinstance(given, ThreadPoolTaskRunner):
        return given.duplicate(), UNLIMITED_SLOTS  # flows.deploy.ingest_on_dask
    slots = workers or default_workers()
    return ThreadPoolTaskRunner(max_workers=slots + 1), slots


UNLIMITED_SLOTS = 1 << 20


def default_batch_name() -> str:
    return "batch-" + datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _select_files(
    paths: Sequence[str], out: Path, store: Any, copies: dict[str, list[str]] | None = None
) -> tuple[list[PendingFile], int, list[dict]]:
    """Hash every input file; drop the done and the repeated, quarantine the unreadable.

    Done means in this folder's manifest, or in the archive unless a run died on the file
    here. Only hashing happens here (I/O bound); identifying, which decodes images to
    validate them, runs in the parallel load tasks. Repeats of a file in this batch are
    collected in ``copies`` (content id -> paths) so that, if the first copy fails, every
    path is reported.
    """
    copies = {} if copies is None else copies
    in_batch: set[str] = set()
    scan = expand_inputs(paths)
    quarantined = [quarantine_entry(r.path, None, r.error) for r in scan.rejected]
    progress.emit("files", len(scan.files) + len(scan.rejected))
    for _ in scan.rejected:
        progress.emit("file-failed")
    done = outputs.done_sources(out)
    selected: list[PendingFile] = []
    skipped = 0
    for path in scan.files:
        try:
            _refuse_empty(path)  # before hashing: all empty files share one content id
            sha256 = content_id(path)
        except DaftarError as exc:
            quarantined.append(quarantine_entry(str(path), None, exc))
            progress.emit("file-failed")
            continue
        if sha256 in in_batch:
            copies.setdefault(sha256, []).append(str(path))
        if sha256 in done or (store is not None and store.has_source(sha256)
                              and not work_dir(out, sha256).exists()):
            # A work folder left in ``out`` means a run died on this file, perhaps after
            # archiving its records and before its manifest line: it is redone (archiving
            # the same records again changes nothing) so that the line gets written.
            skipped += 1
            progress.emit("file-done")
            continue
        done.add(sha256)  # the same content twice in one batch is processed once
        in_batch.add(sha256)
        selected.append(PendingFile(str(path), sha256))
    return selected, skipped, quarantined


def _failed_copies(outcomes: Sequence[dict], copies: dict[str, list[str]]) -> list[dict]:
    """Quarantine entries for the repeats of every file that failed: each path is reported."""
    extra = []
    for outcome in outcomes:
        if outcome.get("ok") is False and outcome.get("sha256") in copies:
            for path in copies[outcome["sha256"]]:
                extra.append({**outcome, "path": path,
                              "message": f"{outcome.get('message', '')} (same content as {outcome['path']})"})
    return [{k: v for k, v in e.items() if k != "ok"} for e in extra]


def _refuse_empty(path: Path) -> None:
    """Quarantine a zero-byte file as ``empty-file`` before it is hashed.

    Every empty file has the same sha256, so without this only the first would reach the
    loader (and be quarantined as empty); the others would be dropped as repeats of it.
    """
    try:
        size = path.stat().st_size
    except OSError:
        return  # content_id reports the unreadable file with its own reason
    if size == 0:
        raise EmptyFileError("file is empty (0 bytes)", path=str(path))


def content_id(path: Path) -> str:
    """sha256 of the file's bytes: the id a file keeps wherever it is copied or renamed."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError as exc:
        raise InputFileError(f"cannot read file: {exc.strerror or exc}", path=str(path)) from exc
    return digest.hexdigest()


def _chunks(items: Sequence[PendingFile], size: int) -> Iterable[list[PendingFile]]:
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


def _summarize(
    batch: str, out: Path, outcomes: Sequence[dict], skipped: int, quarantined: list[dict],
    attempted: int, elapsed: float, archived: bool,
) -> IngestSummary:
    done = [o for o in outcomes if o["ok"]]
    failed = [{k: v for k, v in o.items() if k != "ok"} for o in outcomes if not o["ok"]]
    pages = sum(o["pages"] for o in done)
    confidences = [c for o in done for c in o["confidences"]]
    return IngestSummary(
        batch=batch,
        out_dir=str(out),
        files=attempted + skipped + len(quarantined),
        processed=len(done),
        skipped=skipped,
        documents=sum(len(o["records"]) for o in done),
        pages=pages,
        elapsed_seconds=round(elapsed, 3),
        pages_per_minute=round(pages / elapsed * 60, 2) if elapsed > 0 else 0.0,
        mean_confidence=round(sum(confidences) / len(confidences), 2) if confidences else None,
        quarantined=tuple(quarantined + failed),
        archived=archived,
    )


def _publish(summary: IngestSummary, out: Path) -> None:
    outputs.write_quarantine(out, summary.quarantined)
    outputs.write_summary(out, summary.to_dict())
    create_markdown_artifact(
        markdown=summary_markdown(summary),
        key="ingest-summary",
        description=f"Daftar batch {summary.batch}",
    )


def summary_markdown(summary: IngestSummary) -> str:
    """The batch summary as Markdown (the Prefect artifact)."""
    confidence = "n/a" if summary.mean_confidence is None else f"{summary.mean_confidence:.1f}"
    lines = [
        f"# Batch {summary.batch}",
        "",
        "| files | processed | skipped | quarantined | documents | pages | pages/min | mean confidence |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {summary.files} | {summary.processed} | {summary.skipped} | {len(summary.quarantined)} "
        f"| {summary.documents} | {summary.pages} | {summary.pages_per_minute:.1f} | {confidence} |",
    ]
    if summary.quarantined:
        lines += ["", "## Quarantined", "", "| file | reason | message |", "|---|---|---|"]
        for entry in summary.quarantined:
            message = str(entry["message"]).replace("|", "\\|")
            lines.append(f"| {entry['path']} | {entry['reason']} | {message} |")
    return "\n".join(lines) + "\n"
