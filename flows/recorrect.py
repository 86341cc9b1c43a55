"""Re-run correction and extraction on archived documents, without OCR.

When the corrector or the extractors improve (or archivists teach new corrections), archived
documents are rebuilt from their pages' raw text (``pipeline.assemble.rebuild_record``) and
stored as a new machine version; archivist edits stay with the archive's versioning rules.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.task_runners import ThreadPoolTaskRunner

from flows.archive_step import correction_rules, open_batch_archive
from flows.ingest import TASK_POLICY, quarantine_entry
from pipeline.errors import ArchiveError

CHUNK_DOCUMENTS = 200


@functools.lru_cache(maxsize=4)
def learned_rules(location: str | None) -> Any:
    """The learned correction rules (CLI store and archive), loaded once per run."""
    return correction_rules(location)


@task(name="recorrect-document", task_run_name="recorrect {doc_id}", **TASK_POLICY)
def recorrect_document(doc_id: str, location: str | None, use_rules: bool) -> dict:
    """Rebuild one archived record from its raw text and store it as a new version."""
    from pipeline.api import validate_record
    from pipeline.assemble import rebuild_record

    store = _archive(location)
    try:
        stored = store.get(doc_id)
        rules = learned_rules(location) if use_rules else None
        record = rebuild_record(stored.record, rules=rules).model_dump(mode="json")
        validate_record(record)
        result = store.ingest(record, batch=stored.batch, actor="recorrect")
    finally:
        store.close()
    return {"doc_id": doc_id, "version": result.version, "status": result.status}


def _archive(location: str | None) -> Any:
    store = open_batch_archive(location)
    if store is None:
        raise ArchiveError("the archive package is not available")
    return store


@flow(name="daftar-recorrect-chunk")
def recorrect_chunk(doc_ids: list[str], location: str | None, use_rules: bool) -> list[dict]:
    futures = [(d, recorrect_document.submit(d, location, use_rules)) for d in doc_ids]
    outcomes = []
    for doc_id, future in futures:
        try:
            outcomes.append({"ok": True, **future.result()})
        except Exception as exc:
            get_run_logger().warning("could not recorrect %s: %s", doc_id, exc)
            outcomes.append({"ok": False, **quarantine_entry(doc_id, None, exc)})
    return outcomes


@flow(name="daftar-recorrect")
def recorrect(
    archive: str | None = None,
    doc_ids: list[str] | None = None,
    batch: str | None = None,
    use_rules: bool = True,
    workers: int = 1,
) -> dict:
    """Rebuild the named documents (default: every document, or those of ``batch``).

    Returns counts by archive status ("new-version", "unchanged") and the failures.
    """
    ids = list(doc_ids) if doc_ids else _document_ids(archive, batch)
    runner = ThreadPoolTaskRunner(max_workers=max(1, workers))
    outcomes: list[dict] = []
    for start in range(0, len(ids), CHUNK_DOCUMENTS):
        chunk = ids[start:start + CHUNK_DOCUMENTS]
        outcomes.extend(recorrect_chunk.with_options(task_runner=runner)(chunk, archive, use_rules))
    return _summary(outcomes)


def _document_ids(location: str | None, batch: str | None) -> list[str]:
    from archive import SearchQuery

    store = _archive(location)
    try:
        filters = SearchQuery(batch=batch) if batch else None
        return [doc.doc_id for doc in store.iter_documents(filters)]
    finally:
        store.close()


def _summary(outcomes: Sequence[dict]) -> dict:
    by_status: dict[str, int] = {}
    for outcome in outcomes:
        if outcome["ok"]:
            by_status[outcome["status"]] = by_status.get(outcome["status"], 0) + 1
    failed = [{k: v for k, v in o.items() if k != "ok"} for o in outcomes if not o["ok"]]
    return {"documents": len(outcomes), "by_status": by_status, "failed": failed}

