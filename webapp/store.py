"""Every call the review app makes into the archive, in one place.

The app never touches SQL or the objects directory itself: it goes through the shared
``archive.Archive`` interface (``archive.open_archive``). Keeping the call sites here makes
the app easy to adapt when that interface changes. One archive handle is opened per request
and closed after it, which keeps SQLite connections on the thread that made them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pipeline.errors import NotFoundError

_SAFE_ID_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


def check_doc_id(doc_id: str) -> str:
    """Refuse ids that could never be a record id (path tricks, empty) before any lookup."""
    if not doc_id or ".." in doc_id or not set(doc_id) <= _SAFE_ID_CHARS or len(doc_id) > 200:
        raise NotFoundError(f"no document {doc_id!r}")
    return doc_id


class Store:
    """The review app's view of one open archive."""

    def __init__(self, archive: Any) -> None:
        self.archive = archive

    # -- reading -------------------------------------------------------------------------
    def get(self, doc_id: str, version: int | None = None):
        return self.archive.get(check_doc_id(doc_id), version)

    def versions(self, doc_id: str):
        return self.archive.versions(check_doc_id(doc_id))

    def audit(self, doc_id: str | None = None, limit: int = 200):
        return self.archive.audit(check_doc_id(doc_id) if doc_id else None, limit=limit)

    def review_queue(self, *, batch: str | None, issuer: str | None,
                     document_type: str | None, limit: int = 200):
        return self.archive.review_queue(
            batch=batch, issuer=issuer, document_type=document_type, limit=limit
        )

    def search(self, **criteria: Any):
        from archive.models import SearchQuery  # the archive's own query type

        return self.archive.search(SearchQuery(**criteria))

    def links(self, doc_id: str):
        return self.archive.links(check_doc_id(doc_id))

    def file_path(self, doc_id: str, kind: str, page: int | None = None) -> Path:
        path = Path(self.archive.file_path(check_doc_id(doc_id), kind, page=page)).resolve()
        root = getattr(getattr(self.archive, "objects", None), "root", None)
        if root is not None and not path.is_relative_to(Path(root).resolve()):
            raise NotFoundError(f"no {kind} file for {doc_id}")  # never outside objects/
        if not path.is_file():
            raise NotFoundError(f"no {kind} file for {doc_id}")
        return path

    # -- writing -------------------------------------------------------------------------
    def save_edit(self, doc_id: str, *, base_version: int, fields: dict | None,
                  text: str | None, actor: str, note: str = ""):
        return self.archive.save_edit(
            check_doc_id(doc_id), base_version=base_version, fields=fields, text=text,
            actor=actor, note=note,
        )

    def approve(self, doc_id: str, *, base_version: int, actor: str):
        return self.archive.approve(check_doc_id(doc_id), base_version=base_version, actor=actor)

    def add_correction_fix(self, wrong: str, right: str, *, context: str | None, actor: str,
                           doc_id: str | None) -> None:
        self.archive.add_correction_fix(wrong, right, context=context, actor=actor, doc_id=doc_id)

    # -- accounts ------------------------------------------------------------------------
    def get_user(self, username: str):
        return self.archive.get_user(username)

    def add_user(self, username: str, password_hash: str, role: str) -> None:
        self.archive.add_user(username, password_hash, role)

    def list_users(self) -> list:
        lister = getattr(self.archive, "list_users", None)
        return list(lister()) if lister else []

    def set_password(self, username: str, password_hash: str) -> None:
        self.archive.set_password(username, password_hash)

    def set_disabled(self, username: str, disabled: bool) -> None:
        self.archive.set_disabled(username, disabled)

    # -- sessions and failed sign-ins (policy in webapp.auth) -----------------------------
    def create_session(self, id_hash: str, username: str, at: str) -> None:
        self.archive.create_session(id_hash, username, at)

    def get_session(self, id_hash: str):
        return self.archive.get_session(id_hash)

    def touch_session(self, id_hash: str, at: str) -> None:
        self.archive.touch_session(id_hash, at)

    def end_session(self, id_hash: str) -> None:
        self.archive.end_session(id_hash)

    def end_sessions(self, username: str) -> int:
        return self.archive.end_sessions(username)

    def prune_sessions(self, *, created_before: str, seen_before: str) -> int:
        return self.archive.prune_sessions(created_before=created_before, seen_before=seen_before)

    def login_failures(self, *, username: str, address: str, since: str, limit: int):
        return self.archive.login_failures(username=username, address=address, since=since,
                                           limit=limit)

    def add_login_failure(self, username: str, address: str, at: str, *,
                          forget_before: str) -> None:
        self.archive.add_login_failure(username, address, at, forget_before=forget_before)

    def clear_login_failures(self, username: str, address: str) -> None:
        self.archive.clear_login_failures(username, address)


@contextmanager
def open_store(location: str | None) -> Iterator[Store]:
    from archive import open_archive

    archive = open_archive(location)
    try:
        yield Store(archive)
    finally:
        archive.close()
