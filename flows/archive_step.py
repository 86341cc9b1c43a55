"""The flows' one door to the archive, kept small so a batch runs with or without it.

``open_batch_archive`` returns None when the archive package is not installed (or not yet
written): the flow then writes JSON records only and says so in its summary.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Protocol

from pipeline.errors import ArchiveError


class BatchArchive(Protocol):
    def has_source(self, sha256: str) -> bool: ...

    def ingest(self, record_dict: dict, **kwargs: Any) -> Any: ...


def open_batch_archive(location: str | None) -> BatchArchive | None:
    """The archive at ``location`` (None: the default under DAFTAR_HOME), or None if absent."""
    try:
        module = importlib.import_module("archive")
    except ImportError:
        return None
    opener = getattr(module, "open_archive", None)
    if opener is None:
        return None
    try:
        return opener(location)
    except OSError as exc:  # an unreachable store is a property of the environment
        raise ArchiveError(f"cannot open the archive: {exc}", path=location) from exc


def archive_record(
    archive: BatchArchive,
    record_dict: dict,
    *,
    original: Path,
    searchable_pdf: Path | None,
    page_images: dict[int, Path],
    batch: str,
) -> str:
    """Store one record with its files; returns the archive's status ("new", "unchanged", ...)."""
    result = archive.ingest(
        record_dict,
        original=original,
        searchable_pdf=searchable_pdf,
        page_images=page_images,
        batch=batch,
        actor="pipeline",
    )
    return str(getattr(result, "status", "stored"))


def correction_rules(location: str | None, *, use_archive: bool = True) -> Any:
    """Learned correction rules from archivists' fixes: the CLI's store and the archive's.

    None when nobody has taught the corrector anything yet. An unreadable store is not a
    reason to stop a batch: the documents are then corrected without learned rules.
    """
    from corrections.learning import JsonFixStore, rules_from

    archive_fixes: list[dict] = []
    if use_archive:
        store = open_batch_archive(location)
        if store is not None:
            try:
                archive_fixes = list(getattr(store, "correction_fixes", list)())
            finally:
                getattr(store, "close", lambda: None)()
    return rules_from(JsonFixStore().fixes(), archive_fixes)
