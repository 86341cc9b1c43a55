"""The searchable archive: documents, versions, archivist edits, search, citation links.

``open_archive()`` picks the backend: a ``postgresql://`` URL or a SQLite file path
(default: ``DAFTAR_DATABASE_URL``, else ``<DAFTAR_HOME>/archive.sqlite``).
"""

from __future__ import annotations

import os
from pathlib import Path

from archive.base import Archive
from archive.errors import QueryError
from archive.models import (
    AuditEntry, Change, IngestResult, Link, Links, QueueItem, SearchHit, SearchQuery,
    SearchResults, StoredDocument, User, VersionInfo,
)
from pipeline.config import default_home

__all__ = [
    "Archive", "AuditEntry", "Change", "IngestResult", "Link", "Links", "QueryError",
    "QueueItem", "SearchHit", "SearchQuery", "SearchResults", "StoredDocument", "User",
    "VersionInfo", "default_location", "open_archive",
]


def default_location() -> str:
    return os.environ.get("DAFTAR_DATABASE_URL") or str(default_home() / "archive.sqlite")


def open_archive(location: str | None = None, *, objects_dir: Path | None = None) -> Archive:
    """Open (creating and migrating on first use) the archive at ``location``.

    PostgreSQL URLs may carry ``?schema=NAME`` to keep the archive in its own schema.
    Files go to ``objects_dir``: by default beside a SQLite file, else ``<DAFTAR_HOME>/objects``.
    """
    location = location or default_location()
    if location.startswith(("postgresql://", "postgres://")):
        from archive.postgres import PostgresArchive

        return PostgresArchive(location, objects_dir=objects_dir or default_home() / "objects")
    from archive.sqlite import SqliteArchive

    return SqliteArchive(Path(location).expanduser(), objects_dir=objects_dir)
