"""The archive interface and the behaviour both backends share.

``Archive`` holds every rule (versions, archivist edits surviving re-extraction, optimistic
concurrency, citation resolution, filters, facets, change feed) in portable SQL; a backend
supplies connections, its full-text index and fuzzy candidate lookup.  SQL here is written
with ``?`` placeholders; the PostgreSQL backend translates them.
"""

from __future__ import annotations

import datetime as dt
import json
from abc import ABC, abstractmethod
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from rapidfuzz import fuzz

from archive import bounds
from archive import query as q
from archive import records as rec
from archive.access import AccessStore
from archive.errors import QueryError
from archive.keys import fuzzy_form, like_pattern, provision_key, reference_key, words_key
from archive.models import (
    FACET_NAMES, ROLES, STATUSES, AuditEntry, Change, IngestResult, Link, Links, QueueItem, SearchHit,
    SearchQuery, SearchResults, StoredDocument, User, VersionInfo,
)
from archive.objects import ObjectStore
from pipeline.errors import BadArgsError, ConflictError, NotFoundError

FUZZY_MIN = 80.0  # rapidfuzz ratio (0-100) for a fuzzy reference match
FUZZY_LINK_MIN = 85.0  # stricter for linking, and then only with the same date
FACET_SIZE = 10
# A topic word can match a fifth of a 100k archive; walking every match for an exact count
# and exact facets cost 100+ ms per search.  Counting stops at TOTAL_CAP ("10,000+") and
# facets count the FACET_SAMPLE most recently archived matches (exact below that).
TOTAL_CAP = 10_000
FACET_SAMPLE = 2_000
MAX_LIMIT = 1000  # audit, queue and change-feed pages; searches: archive.bounds.MAX_LIMIT
# Filters that become LIKE patterns or lookups: bounded in length (archive.bounds).
_TEXT_FILTERS = ("document_type", "issuer", "cites", "provision", "place", "reference",
                 "status", "batch")
FILE_KINDS = ("original", "pdf", "page")
_KIND_STATUS = {"machine": "machine", "edit": "edited", "approve": "approved", "revert": "edited"}


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def _summary_columns(s: dict) -> tuple:
    """The documents columns from source_sha256 to needs_review, in table order."""
    return (s["source_sha256"], s["document_type"], s["issuer_org"], s["issuer_dept"], s["issuer"],
            s["date"], s["year"], s["place"], s["subject"], s["reference_number"], s["ref_key"],
            s["ref_fuzzy"], s["ref_digits"], s["title"], int(s["needs_review"]))


def _iso_date(value: str, name: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise QueryError(f"{name} must be an ISO date like 2021-08-25, not {value!r}") from None


class Tx:
    """One transaction's statements; rows come back as dicts."""

    def __init__(self, cursor: Any, *, qmark: bool, check: Callable[[], None] | None = None
                 ) -> None:
        self.cur = cursor
        self.qmark = qmark
        self.check = check  # raises when the reads' time budget is spent (archive.budget)

    def sql(self, text: str) -> str:
        return text if self.qmark else text.replace("?", "%s")

    def execute(self, text: str, params: Iterable[Any] = ()) -> Any:
        if self.check is not None:
            self.check()
        self.cur.execute(self.sql(text), tuple(params))
        return self.cur

    def one(self, text: str, params: Iterable[Any] = ()) -> dict | None:
        return self.execute(text, params).fetchone()

    def all(self, text: str, params: Iterable[Any] = ()) -> list[dict]:
        return list(self.execute(text, params).fetchall())

    def insert(self, text: str, params: Iterable[Any] = ()) -> int:
        """Run an INSERT into a table with an ``id`` key and return the new id."""
        if self.qmark:
            return self.execute(text, params).lastrowid
        return self.execute(text + " RETURNING id", params).fetchone()["id"]

    def many(self, text: str, rows: list[tuple]) -> None:
        if rows:
            self.cur.executemany(self.sql(text), rows)


class Archive(AccessStore, ABC):
    """Documents, their versions, search and citation links. Use as a context manager."""

    total_cap = TOTAL_CAP
    facet_sample = FACET_SAMPLE
    rank_candidates = TOTAL_CAP  # a backend may rank fewer of the window's newest matches

    def __init__(self, objects_dir: Path) -> None:
        self.objects = ObjectStore(objects_dir)

    # --- backend hooks -----------------------------------------------------------------

    @abstractmethod
    def _write(self, lock: str | None = None) -> AbstractContextManager[Tx]:
        """A write transaction; ``lock`` serialises writers of the same document."""

    @abstractmethod
    def _read(self) -> AbstractContextManager[Tx]:
        """A consistent read."""

    @abstractmethod
    def _index_text(self, tx: Tx, rowid: int, record: dict, summary: dict) -> None:
        """Replace the full-text entry of one document."""

    @abstractmethod
    def _match_condition(self, node: q.Node) -> tuple[str, list[Any]]:
        """SQL condition on ``d.id`` selecting documents matching the parsed query."""

    @abstractmethod
    def _text_search(self, tx: Tx, node: q.Node, filter_where: str, params: list[Any],
                     limit: int, offset: int) -> tuple[int, bool, dict, bool, list[dict]]:
        """(total, exact, facets, facets sampled, page rows) of a text query and filters.

        The window is the newest ``total_cap`` matches (all of them when fewer match),
        found in one walk of the full-text index; facets (``_facets``) and ranking read
        only the window, snippets are made for the page only.  Rows carry doc_id, version,
        score, snippet, title, document_type, date, reference_number, issuer.
        """

    @abstractmethod
    def _reference_candidates(self, tx: Tx, key: str, *, exhaustive: bool) -> list[dict]:
        """Documents whose ref_key may be a damaged form of ``key`` (doc_id, ref_key, date).

        Cheap candidates share the key's digits; ``exhaustive`` also compares keys whose
        digits are damaged too (interactive lookups, not every citation of a bulk load).
        """

    def _before_change(self, tx: Tx) -> None:
        """Hook: make change-feed cursors commit in order (PostgreSQL takes a lock)."""

    def _lock_document(self, tx: Tx, doc_id: str) -> None:
        """Hook: serialise concurrent writers of one document (SQLite writers are serial)."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- ingest ------------------------------------------------------------------------

    def has_source(self, sha256: str) -> bool:
        with self._read() as tx:
            return tx.one("SELECT 1 AS x FROM documents WHERE source_sha256 = ? LIMIT 1",
                          (sha256,)) is not None

    def ingest(self, record: dict, *, original: Path | None = None,
               searchable_pdf: Path | None = None, page_images: dict[int, Path] | None = None,
               batch: str | None = None, actor: str = "pipeline") -> IngestResult:
        """Store a machine record: created, a new version (edits kept) or unchanged."""
        prepared = rec.prepare(record)
        files = self._store_files(original, searchable_pdf, page_images)
        with self._write(lock=record["id"]) as tx:
            result = self._ingest_in(tx, prepared, batch=batch, actor=actor)
            self._register_files(tx, record["id"], files)
        return result

    def ingest_many(self, records: Iterable[dict], *, batch: str | None = None,
                    actor: str = "pipeline", chunk: int = 500) -> list[IngestResult]:
        """Bulk path: the same rules as ``ingest``, ``chunk`` records per transaction.

        Every record is validated before its chunk starts; an invalid one stops the load
        with the earlier chunks committed and nothing of its own chunk written.
        """
        results: list[IngestResult] = []

        def write(prepared: list[rec.Prepared]) -> None:
            with self._write(lock=None) as tx:
                results.extend(self._ingest_chunk(tx, prepared, batch=batch, actor=actor))

        # Serialising and validating the next chunk overlaps with writing this one (the
        # database drivers release the GIL while they work).
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="daftar-prepare") as pool:
            iterator = iter(records)
            upcoming = pool.submit(_prepare_chunk, iterator, chunk)
            while True:
                prepared = upcoming.result()
                if not prepared:
                    break
                upcoming = pool.submit(_prepare_chunk, iterator, chunk)
                write(prepared)
        if len(results) >= chunk:
            self._refresh_statistics()
        return results

    def _refresh_statistics(self) -> None:
        """Hook: let the query planner see a bulk load (PostgreSQL ANALYZE, SQLite optimize)."""

    # --- bulk ingest ---------------------------------------------------------------------
    # A first load is almost all new documents: they are written a chunk at a time (one
    # executemany per table, one query for the citations naming them) instead of ~16
    # statements per record.  Records already archived, and a second copy of a record in
    # the same chunk, go through ``_ingest_in`` in their turn, so the outcome is the same.

    def _ingest_chunk(self, tx: Tx, prepared: list[rec.Prepared], *, batch: str | None,
                      actor: str) -> list[IngestResult]:
        ids = sorted({p.record["id"] for p in prepared})
        self._lock_documents(tx, ids)
        known = self._existing_ids(tx, ids)
        results: list[IngestResult] = []
        fresh: list[rec.Prepared] = []
        fresh_ids: set[str] = set()
        for p in prepared:
            doc_id = p.record["id"]
            if doc_id in known or doc_id in fresh_ids:
                results.extend(self._create_many(tx, fresh, batch=batch, actor=actor))
                known |= fresh_ids
                fresh, fresh_ids = [], set()
                results.append(self._ingest_in(tx, p, batch=batch, actor=actor))
            else:
                fresh.append(p)
                fresh_ids.add(doc_id)
        results.extend(self._create_many(tx, fresh, batch=batch, actor=actor))
        return results

    def _lock_documents(self, tx: Tx, doc_ids: list[str]) -> None:
        """Hook: lock several documents (in sorted order, so two loaders cannot deadlock)."""
        for doc_id in doc_ids:
            self._lock_document(tx, doc_id)

    def _existing_ids(self, tx: Tx, doc_ids: list[str]) -> set[str]:
        found: set[str] = set()
        for part in _parts(doc_ids):
            found.update(r["doc_id"] for r in tx.all(
                "SELECT doc_id FROM documents WHERE doc_id IN (" + ", ".join("?" * len(part))
                + ")", part))
        return found

    @abstractmethod
    def _new_rowids(self, tx: Tx, count: int) -> list[int]:
        """``count`` unused document row ids for a bulk insert."""

    def _index_texts(self, tx: Tx, items: list[tuple[int, dict, dict]]) -> None:
        """Full-text entries of new documents (rowid, record, summary); backends batch it."""
        for rowid, record, summary in items:
            self._index_text(tx, rowid, record, summary)

    def _create_many(self, tx: Tx, prepared: list[rec.Prepared], *, batch: str | None,
                     actor: str) -> list[IngestResult]:
        """Store documents known to be new, with the rules of ``_ingest_in``."""
        if not prepared:
            return []
        at = now()
        records = [p.record for p in prepared]
        rowids = self._new_rowids(tx, len(prepared))
        tx.many(
            "INSERT INTO documents (id, doc_id, current_version, status, batch, created_at, "
            "updated_at, source_sha256, document_type, issuer_org, issuer_dept, issuer, date, "
            "year, place, subject, reference_number, ref_key, ref_fuzzy, ref_digits, title, "
            "needs_review, review_reasons) VALUES (?, ?, 1, 'machine', ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(rowid, p.record["id"], batch, at, at, *_summary_columns(p.summary),
              json.dumps(p.record.get("review_reasons") or []))
             for rowid, p in zip(rowids, prepared)])
        tx.many("INSERT INTO versions (doc_id, version, kind, actor, note, created_at, "
                "content_hash, body) VALUES (?, 1, 'machine', ?, '', ?, ?, ?)",
                [(p.record["id"], actor, at, p.digest, p.body) for p in prepared])
        self._index_rows_many(tx, rowids, prepared)
        self._index_texts(tx, [(rowid, p.record, p.summary) for rowid, p in zip(rowids, prepared)])
        tx.many("INSERT INTO citations (citing_id, idx, reference_number, ref_key, ref_fuzzy, "
                "date, target_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(p.record["id"], idx, number, key, fuzzy_form(key) if key else None, date,
                  self._resolve(tx, key, date, p.record["id"]) if key else None)
                 for p in prepared for idx, number, key, date in p.citation_rows])
        self._link_back_many(tx, [(rowid, p.record["id"], p.summary["ref_key"], p.summary["date"])
                                  for rowid, p in zip(rowids, prepared) if p.summary["ref_key"]])
        tx.many("INSERT INTO audit (at, actor, doc_id, version, action, field, before, after) "
                "VALUES (?, ?, ?, 1, 'ingest', NULL, NULL, NULL)",
                [(at, actor, r["id"]) for r in records])
        self._before_change(tx)
        tx.many("INSERT INTO changes (at, kind, doc_id, version) VALUES (?, 'document', ?, 1)",
                [(at, r["id"]) for r in records])
        return [IngestResult(r["id"], 1, "created") for r in records]

    def _index_rows_many(self, tx: Tx, rowids: list[int], prepared: list[rec.Prepared]) -> None:
        """Field values, rules, pages and corrections of new documents (see ``_index``)."""
        pairs = list(zip(rowids, prepared))
        tx.many("INSERT INTO field_values (doc_rowid, version, pointer, name, value, evidence) "
                "VALUES (?, 1, ?, ?, ?, ?)",
                [(rowid, *row) for rowid, p in pairs for row in p.field_rows])
        tx.many("INSERT INTO rules (doc_rowid, idx, instrument, instrument_words, instrument_key, "
                "year, provision) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(rowid, *row) for rowid, p in pairs for row in p.rule_rows])
        tx.many("INSERT INTO pages (doc_rowid, version, number, source, mean_confidence, "
                "low_confidence_words, chars) VALUES (?, 1, ?, ?, ?, ?, ?)",
                [(rowid, page["number"], page["source"], page.get("mean_confidence"),
                  page.get("low_confidence_words", 0), len(page.get("text") or ""))
                 for rowid, p in pairs for page in p.record.get("pages") or []])
        tx.many("INSERT INTO corrections (doc_rowid, version, idx, original, replacement, rule, "
                "score) VALUES (?, 1, ?, ?, ?, ?, ?)",
                [(rowid, i, c["original"], c["replacement"], c["rule"], c["score"])
                 for rowid, p in pairs for i, c in enumerate(p.record.get("corrections") or [])])

    def _link_back_many(self, tx: Tx, docs: list[tuple[int, str, str, str | None]]) -> None:
        """Earlier citations naming new documents (rowid, doc_id, ref_key, date): exact keys,
        then damaged numbers of the same date, the first document claiming a citation
        keeping it, as when they arrive one by one."""
        tx.many("UPDATE citations SET target_id = ? WHERE target_id IS NULL AND citing_id <> ? "
                "AND ref_key = ?", [(doc_id, doc_id, key) for _, doc_id, key, _ in docs])
        dated = [d for d in docs if d[3]]
        claimed: set[tuple[str, int]] = set()
        for part in _parts(dated):
            rows = tx.all(
                "SELECT c.citing_id, c.idx, c.ref_fuzzy, d.doc_id, d.ref_key FROM documents d "
                "JOIN citations c ON c.date = d.date WHERE d.id IN ("
                + ", ".join("?" * len(part)) + ") AND c.target_id IS NULL "
                "AND c.citing_id <> d.doc_id ORDER BY d.id", [d[0] for d in part])
            for row in rows:
                spot = (row["citing_id"], row["idx"])
                if spot in claimed or not row["ref_fuzzy"]:
                    continue
                if fuzz.ratio(row["ref_fuzzy"], fuzzy_form(row["ref_key"])) >= FUZZY_LINK_MIN:
                    claimed.add(spot)
                    tx.execute("UPDATE citations SET target_id = ? WHERE citing_id = ? AND idx = ?",
                               (row["doc_id"], *spot))

    def _ingest_in(self, tx: Tx, prepared: rec.Prepared, *, batch: str | None,
                   actor: str) -> IngestResult:
        record, digest = prepared.record, prepared.digest
        doc_id = record["id"]
        self._lock_document(tx, doc_id)
        row = tx.one("SELECT id, current_version, batch FROM documents WHERE doc_id = ?", (doc_id,))
        at = now()
        if row is None:
            summary = prepared.summary
            rowid = tx.insert(
                "INSERT INTO documents (doc_id, current_version, status, batch, created_at, "
                "updated_at, source_sha256, document_type, issuer_org, issuer_dept, issuer, date, "
                "year, place, subject, reference_number, ref_key, ref_fuzzy, ref_digits, title, "
                "needs_review, review_reasons) VALUES (?, 1, 'machine', ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (doc_id, batch, at, at, *_summary_columns(summary),
                 json.dumps(record.get("review_reasons") or [])))
            self._add_version(tx, doc_id, 1, prepared.body, digest, "machine", actor, "", at)
            self._index(tx, rowid, doc_id, 1, record, summary)
            self._audit(tx, at, actor, doc_id, 1, "ingest", None, None, None)
            self._change(tx, at, "document", doc_id, 1)
            return IngestResult(doc_id, 1, "created")
        last = tx.one("SELECT content_hash FROM versions WHERE doc_id = ? AND kind = 'machine' "
                      "ORDER BY version DESC LIMIT 1", (doc_id,))
        if last is not None and last["content_hash"] == digest:
            if batch and batch != row["batch"]:
                tx.execute("UPDATE documents SET batch = ? WHERE id = ?", (batch, row["id"]))
            return IngestResult(doc_id, row["current_version"], "unchanged")
        edits = self._edits(tx, doc_id)
        merged = rec.apply_edits(record, edits) if edits else record
        version = row["current_version"] + 1
        for name, value in edits.items():
            machine = record.get("text") if name == "text" else (record.get("fields") or {}).get(name)
            if machine != value:
                self._audit(tx, at, actor, doc_id, version, "edit-kept", name, machine, value)
        body = rec.pack(merged) if edits else prepared.body
        self._add_version(tx, doc_id, version, body, digest, "machine", actor,
                          "re-extraction" + (" (archivist edits kept)" if edits else ""), at)
        self._set_current(tx, row["id"], doc_id, version, merged,
                          "edited" if edits else "machine", at, batch or row["batch"])
        self._audit(tx, at, actor, doc_id, version, "re-extract", None, None, None)
        self._change(tx, at, "version", doc_id, version)
        return IngestResult(doc_id, version, "new-version")

    def _add_version(self, tx: Tx, doc_id: str, version: int, body: bytes, digest: str,
                     kind: str, actor: str, note: str, at: str) -> None:
        tx.execute("INSERT INTO versions (doc_id, version, kind, actor, note, created_at, "
                   "content_hash, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (doc_id, version, kind, actor, note, at, digest, body))

    def _set_current(self, tx: Tx, rowid: int, doc_id: str, version: int, record: dict,
                     status: str, at: str, batch: str | None) -> None:
        s = rec.summary(record)
        tx.execute(
            "UPDATE documents SET current_version = ?, status = ?, batch = ?, updated_at = ?, "
            "source_sha256 = ?, document_type = ?, issuer_org = ?, issuer_dept = ?, issuer = ?, "
            "date = ?, year = ?, place = ?, subject = ?, reference_number = ?, ref_key = ?, "
            "ref_fuzzy = ?, ref_digits = ?, title = ?, needs_review = ?, review_reasons = ? "
            "WHERE id = ?",
            (version, status, batch, at, *_summary_columns(s),
             json.dumps(record.get("review_reasons") or []), rowid))
        self._index(tx, rowid, doc_id, version, record, s)

    def _index(self, tx: Tx, rowid: int, doc_id: str, version: int, record: dict,
               summary: dict) -> None:
        """Derived tables for the current version: field values, rules, pages, citations, text."""
        for table in ("field_values", "rules", "pages", "corrections"):
            tx.execute(f"DELETE FROM {table} WHERE doc_rowid = ?", (rowid,))
        tx.many("INSERT INTO field_values (doc_rowid, version, pointer, name, value, evidence) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(rowid, version, *row) for row in rec.field_rows(record)])
        tx.many("INSERT INTO rules (doc_rowid, idx, instrument, instrument_words, instrument_key, "
                "year, provision) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(rowid, *row) for row in rec.rule_rows(record)])
        tx.many("INSERT INTO pages (doc_rowid, version, number, source, mean_confidence, "
                "low_confidence_words, chars) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(rowid, version, p["number"], p["source"], p.get("mean_confidence"),
                  p.get("low_confidence_words", 0), len(p.get("text") or ""))
                 for p in record.get("pages") or []])
        tx.many("INSERT INTO corrections (doc_rowid, version, idx, original, replacement, rule, "
                "score) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(rowid, version, i, c["original"], c["replacement"], c["rule"], c["score"])
                 for i, c in enumerate(record.get("corrections") or [])])
        self._index_text(tx, rowid, record, summary)
        self._link(tx, doc_id, record, summary)

    # --- citations ---------------------------------------------------------------------

    def _link(self, tx: Tx, doc_id: str, record: dict, summary: dict) -> None:
        """Resolve this document's citations, and earlier citations that name it."""
        tx.execute("DELETE FROM citations WHERE citing_id = ?", (doc_id,))
        rows = []
        for idx, number, key, date in rec.citation_rows(record):
            target = self._resolve(tx, key, date, doc_id) if key else None
            rows.append((doc_id, idx, number, key, fuzzy_form(key) if key else None, date, target))
        tx.many("INSERT INTO citations (citing_id, idx, reference_number, ref_key, ref_fuzzy, "
                "date, target_id) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        tx.execute("UPDATE citations SET target_id = NULL WHERE target_id = ?", (doc_id,))
        key, date = summary["ref_key"], summary["date"]
        if not key:
            return
        tx.execute("UPDATE citations SET target_id = ? WHERE target_id IS NULL AND citing_id <> ? "
                   "AND ref_key = ?", (doc_id, doc_id, key))
        if date:  # damaged numbers link only when the dates agree
            for row in tx.all("SELECT citing_id, idx, ref_fuzzy FROM citations WHERE "
                              "target_id IS NULL AND citing_id <> ? AND date = ?", (doc_id, date)):
                if row["ref_fuzzy"] and fuzz.ratio(row["ref_fuzzy"], fuzzy_form(key)) >= FUZZY_LINK_MIN:
                    tx.execute("UPDATE citations SET target_id = ? WHERE citing_id = ? AND idx = ?",
                               (doc_id, row["citing_id"], row["idx"]))

    def _resolve(self, tx: Tx, key: str, date: str | None, citing_id: str) -> str | None:
        exact = tx.all("SELECT doc_id, date FROM documents WHERE ref_key = ? AND doc_id <> ?",
                       (key, citing_id))
        if exact:
            return min(exact, key=lambda r: _date_distance(r["date"], date))["doc_id"]
        if not date:
            return None
        # Damaged numbers link only to a document of the same date, so those few are the
        # candidates (indexed; cheap even when most citations name documents not archived).
        near = [r for r in tx.all("SELECT doc_id, ref_key, date FROM documents WHERE date = ? "
                                  "AND ref_key IS NOT NULL", (date,))
                if r["doc_id"] != citing_id
                and fuzz.ratio(fuzzy_form(r["ref_key"]), fuzzy_form(key)) >= FUZZY_LINK_MIN]
        return near[0]["doc_id"] if near else None

    def links(self, doc_id: str) -> Links:
        with self._read() as tx:
            self._require(tx, doc_id)
            cites = [Link(r["target_id"], r["reference_number"], r["date"], r["target_id"] is not None)
                     for r in tx.all("SELECT target_id, reference_number, date FROM citations "
                                     "WHERE citing_id = ? ORDER BY idx", (doc_id,))]
            cited_by = [Link(r["doc_id"], r["reference_number"], r["date"], True)
                        for r in tx.all("SELECT DISTINCT d.doc_id, d.reference_number, d.date "
                                        "FROM citations c JOIN documents d ON d.doc_id = c.citing_id "
                                        "WHERE c.target_id = ? ORDER BY d.date, d.doc_id", (doc_id,))]
        return Links(cites, cited_by)

    def find_by_reference(self, reference: str, *, date: str | None = None,
                          fuzzy: bool = True) -> list[tuple[str, float]]:
        """Documents numbered ``reference`` (exact canonical key first, then damaged forms)."""
        key = reference_key(reference)
        if not key:
            raise QueryError(f"reference {reference!r} has no letters or digits to look up")
        if date:
            date = _iso_date(date, "date")
        with self._read() as tx:
            scored = {r["doc_id"]: (1.0, r["date"]) for r in
                      tx.all("SELECT doc_id, date FROM documents WHERE ref_key = ?", (key,))}
            if not scored and fuzzy:
                target = fuzzy_form(key)
                for r in self._reference_candidates(tx, key, exhaustive=True):
                    ratio = fuzz.ratio(fuzzy_form(r["ref_key"]), target)
                    if ratio >= FUZZY_MIN:
                        scored[r["doc_id"]] = (round(0.95 * ratio / 100, 4), r["date"])
        ranked = sorted(scored.items(),
                        key=lambda kv: (-kv[1][0], _date_distance(kv[1][1], date), kv[0]))
        return [(doc_id, score) for doc_id, (score, _) in ranked]

    # --- reading -----------------------------------------------------------------------

    def _require(self, tx: Tx, doc_id: str) -> dict:
        row = tx.one("SELECT * FROM documents WHERE doc_id = ?", (doc_id,))
        if row is None:
            raise NotFoundError(f"no document {doc_id!r} in the archive")
        return row

    def get(self, doc_id: str, version: int | None = None) -> StoredDocument:
        if version is not None:
            _bounded(version, "version", 1, MAX_INT)
        with self._read() as tx:
            doc = self._require(tx, doc_id)
            v = doc["current_version"] if version is None else version
            row = tx.one("SELECT kind, created_at, body FROM versions WHERE doc_id = ? AND version = ?",
                         (doc_id, v))
        if row is None:
            raise NotFoundError(f"document {doc_id!r} has no version {version} "
                                f"(versions 1-{doc['current_version']})")
        status = doc["status"] if v == doc["current_version"] else _KIND_STATUS[row["kind"]]
        return StoredDocument(doc_id, v, rec.unpack(row["body"]), doc["created_at"],
                              row["created_at"], status, doc["batch"])

    def versions(self, doc_id: str) -> list[VersionInfo]:
        with self._read() as tx:
            self._require(tx, doc_id)
            rows = tx.all("SELECT version, created_at, actor, kind, note FROM versions "
                          "WHERE doc_id = ? ORDER BY version", (doc_id,))
        return [VersionInfo(r["version"], r["created_at"], r["actor"], r["kind"], r["note"])
                for r in rows]

    def file_path(self, doc_id: str, kind: str, page: int | None = None) -> Path:
        if kind not in FILE_KINDS:
            raise NotFoundError(f"no file kind {kind!r}; kinds are {', '.join(FILE_KINDS)}")
        if page is not None and not (isinstance(page, int) and 1 <= page <= 100_000):
            raise NotFoundError(f"no page {page!r}: pages are numbered from 1")
        with self._read() as tx:
            self._require(tx, doc_id)
            row = tx.one("SELECT sha256, suffix FROM files WHERE doc_id = ? AND kind = ? AND page = ?",
                         (doc_id, kind, page or 0 if kind == "page" else 0))
        if row is None:
            what = f"page {page} image" if kind == "page" else f"{kind} file"
            raise NotFoundError(f"document {doc_id!r} has no stored {what}")
        path = self.objects.path(row["sha256"], row["suffix"])
        if not path.is_file():
            raise NotFoundError(f"stored {kind} of {doc_id!r} is missing from {self.objects.root}")
        return path

    def _store_files(self, original: Path | None, pdf: Path | None,
                     pages: dict[int, Path] | None) -> list[tuple[str, int, Any]]:
        out = []
        if original is not None:
            out.append(("original", 0, self.objects.put(original)))
        if pdf is not None:
            out.append(("pdf", 0, self.objects.put(pdf)))
        for number, path in sorted((pages or {}).items()):
            if int(number) < 1:
                raise BadArgsError(f"page numbers start at 1, got {number}")
            out.append(("page", int(number), self.objects.put(path)))
        return out

    def _register_files(self, tx: Tx, doc_id: str, files: list[tuple[str, int, Any]]) -> None:
        for kind, page, obj in files:
            tx.execute("DELETE FROM files WHERE doc_id = ? AND kind = ? AND page = ?",
                       (doc_id, kind, page))
            tx.execute("INSERT INTO files (doc_id, kind, page, sha256, suffix, media_type, size) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (doc_id, kind, page, obj.sha256, obj.suffix, obj.media_type, obj.size))

    def file_media_type(self, doc_id: str, kind: str, page: int | None = None) -> str:
        with self._read() as tx:
            row = tx.one("SELECT media_type FROM files WHERE doc_id = ? AND kind = ? AND page = ?",
                         (doc_id, kind, page or 0 if kind == "page" else 0))
        return row["media_type"] if row else "application/octet-stream"

    # --- archivist actions ---------------------------------------------------------------

    def _edits(self, tx: Tx, doc_id: str) -> dict[str, Any]:
        return {r["name"]: json.loads(r["value"]) for r in
                tx.all("SELECT name, value FROM edits WHERE doc_id = ? ORDER BY name", (doc_id,))}

    def _current_for_update(self, tx: Tx, doc_id: str, base_version: int) -> tuple[dict, dict]:
        doc = tx.one("SELECT * FROM documents WHERE doc_id = ?" + self._for_update(), (doc_id,))
        if doc is None:
            raise NotFoundError(f"no document {doc_id!r} in the archive")
        if doc["current_version"] != base_version:
            raise ConflictError(
                f"document {doc_id!r} changed since version {base_version} "
                f"(now version {doc['current_version']}); reload and apply your change again",
                current=doc["current_version"], attempted=base_version)
        body = tx.one("SELECT body FROM versions WHERE doc_id = ? AND version = ?",
                      (doc_id, base_version))["body"]
        return doc, rec.unpack(body)

    def _for_update(self) -> str:
        return ""

    def save_edit(self, doc_id: str, *, base_version: int, fields: dict | None = None,
                  text: str | None = None, actor: str, note: str = "") -> StoredDocument:
        """An archivist's correction: a new version; the edited fields survive re-extraction."""
        unknown = sorted(set(fields or {}) - set(rec.EDITABLE_FIELDS))
        if unknown:
            raise BadArgsError(f"cannot edit {', '.join(unknown)}: editable fields are "
                               f"{', '.join(rec.EDITABLE_FIELDS)}")
        bounds.check_fields(fields)
        with self._write(lock=doc_id) as tx:
            doc, record = self._current_for_update(tx, doc_id, base_version)
            wanted = dict(fields or {})
            if text is not None:
                wanted["text"] = text
            return self._edit_in(tx, doc, record, wanted, actor=actor, note=note, kind="edit")

    def revert(self, doc_id: str, *, base_version: int, to_version: int, actor: str,
               note: str = "") -> StoredDocument:
        """Bring back the fields and text of an earlier version, as a new (archivist) version."""
        with self._write(lock=doc_id) as tx:
            doc, record = self._current_for_update(tx, doc_id, base_version)
            row = tx.one("SELECT body FROM versions WHERE doc_id = ? AND version = ?",
                         (doc_id, _bounded(to_version, "version", 1, MAX_INT)))
            if row is None:
                raise NotFoundError(f"document {doc_id!r} has no version {to_version}")
            old = rec.unpack(row["body"])
            wanted = {name: old["fields"].get(name) for name in rec.EDITABLE_FIELDS}
            wanted["text"] = old.get("text")
            return self._edit_in(tx, doc, record, wanted, actor=actor,
                                 note=note or f"reverted to version {to_version}", kind="revert")

    def _edit_in(self, tx: Tx, doc: dict, record: dict, wanted: dict[str, Any], *, actor: str,
                 note: str, kind: str) -> StoredDocument:
        doc_id, base_version = doc["doc_id"], doc["current_version"]
        changes = {k: v for k, v in wanted.items()
                   if (record.get("text") if k == "text" else record["fields"].get(k)) != v}
        if not changes:
            return self._stored(doc, base_version, record, doc["status"])
        edited = rec.apply_edits(record, changes)
        problem = rec.first_schema_error(edited)
        if problem:
            raise BadArgsError(f"edit of {doc_id!r} rejected: {problem}")
        at, version = now(), base_version + 1
        for name, value in changes.items():
            before = record.get("text") if name == "text" else record["fields"].get(name)
            tx.execute("DELETE FROM edits WHERE doc_id = ? AND name = ?", (doc_id, name))
            tx.execute("INSERT INTO edits (doc_id, name, value, actor, at) VALUES (?, ?, ?, ?, ?)",
                       (doc_id, name, json.dumps(value, ensure_ascii=False), actor, at))
            self._audit(tx, at, actor, doc_id, version, kind, name, before, value)
        self._add_version(tx, doc_id, version, rec.pack(edited), rec.content_hash(edited), kind,
                          actor, note, at)
        self._set_current(tx, doc["id"], doc_id, version, edited, "edited", at, doc["batch"])
        self._change(tx, at, "edit", doc_id, version)
        return self._stored({**doc, "updated_at": at}, version, edited, "edited", updated=at)

    def approve(self, doc_id: str, *, base_version: int, actor: str) -> StoredDocument:
        with self._write(lock=doc_id) as tx:
            doc, record = self._current_for_update(tx, doc_id, base_version)
            if doc["status"] == "approved":
                return self._stored(doc, base_version, record, "approved")
            at, version = now(), base_version + 1
            self._add_version(tx, doc_id, version, rec.pack(record), rec.content_hash(record), "approve",
                              actor, "approved", at)
            tx.execute("UPDATE documents SET current_version = ?, status = 'approved', "
                       "updated_at = ? WHERE id = ?", (version, at, doc["id"]))
            tx.execute("UPDATE field_values SET version = ? WHERE doc_rowid = ?", (version, doc["id"]))
            self._audit(tx, at, actor, doc_id, version, "approve", None, None, None)
            self._change(tx, at, "approve", doc_id, version)
        return self._stored(doc, version, record, "approved", updated=at)

    @staticmethod
    def _stored(doc: dict, version: int, record: dict, status: str,
                updated: str | None = None) -> StoredDocument:
        return StoredDocument(doc["doc_id"], version, record, doc["created_at"],
                              updated or doc["updated_at"], status, doc["batch"])  # type: ignore[arg-type]

    # --- audit and change feed ---------------------------------------------------------

    def _audit(self, tx: Tx, at: str, actor: str, doc_id: str | None, version: int | None,
               action: str, field: str | None, before: Any, after: Any) -> None:
        tx.execute("INSERT INTO audit (at, actor, doc_id, version, action, field, before, after) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (at, actor, doc_id, version, action, field,
                    None if before is None else json.dumps(before, ensure_ascii=False),
                    None if after is None else json.dumps(after, ensure_ascii=False)))

    def _change(self, tx: Tx, at: str, kind: str, doc_id: str, version: int) -> None:
        self._before_change(tx)
        tx.execute("INSERT INTO changes (at, kind, doc_id, version) VALUES (?, ?, ?, ?)",
                   (at, kind, doc_id, version))

    def audit(self, doc_id: str | None = None, limit: int = 100) -> list[AuditEntry]:
        where, params = ("WHERE doc_id = ?", [doc_id]) if doc_id else ("", [])
        with self._read() as tx:
            rows = tx.all(f"SELECT * FROM audit {where} ORDER BY id DESC LIMIT ?",
                          [*params, _limit(limit)])
        return [AuditEntry(r["id"], r["at"], r["actor"], r["doc_id"], r["version"], r["action"],
                           r["field"], _loads(r["before"]), _loads(r["after"])) for r in rows]

    def changes(self, since: int = 0, limit: int = 100) -> tuple[list[Change], int]:
        """Changes after cursor ``since`` in order, and the cursor to continue from."""
        _bounded(since, "cursor", 0, MAX_INT)
        with self._read() as tx:
            rows = tx.all("SELECT cursor, at, kind, doc_id, version FROM changes WHERE cursor > ? "
                          "ORDER BY cursor LIMIT ?", (since, _limit(limit)))
        items = [Change(r["cursor"], r["at"], r["kind"], r["doc_id"], r["version"]) for r in rows]
        return items, (items[-1].cursor if items else since)

    # --- users and correction fixes ------------------------------------------------------

    def add_user(self, username: str, password_hash: str, role: str) -> None:
        if role not in ROLES:
            raise BadArgsError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
        if not username or not username.strip():
            raise BadArgsError("username must not be empty")
        with self._write(lock="user:" + username) as tx:
            tx.execute("DELETE FROM users WHERE username = ?", (username,))
            tx.execute("DELETE FROM sessions WHERE username = ?", (username,))  # a new account
            tx.execute("INSERT INTO users (username, password_hash, role, created_at) "
                       "VALUES (?, ?, ?, ?)", (username, password_hash, role, now()))

    def list_users(self) -> list[User]:
        with self._read() as tx:
            rows = tx.all("SELECT username, password_hash, role, disabled FROM users "
                          "ORDER BY username")
        return [User(r["username"], r["password_hash"], r["role"], bool(r["disabled"]))
                for r in rows]

    def get_user(self, username: str) -> User | None:
        with self._read() as tx:
            r = tx.one("SELECT username, password_hash, role, disabled FROM users "
                       "WHERE username = ?", (username,))
        return User(r["username"], r["password_hash"], r["role"], bool(r["disabled"])) if r else None

    def add_correction_fix(self, wrong: str, right: str, *, context: str | None, actor: str,
                           doc_id: str | None = None) -> None:
        if not wrong or not right:
            raise BadArgsError("a correction fix needs both the wrong and the right form")
        with self._write() as tx:
            tx.execute("INSERT INTO correction_fixes (wrong, right_form, context, actor, doc_id, at) "
                       "VALUES (?, ?, ?, ?, ?, ?)", (wrong, right, context, actor, doc_id, now()))

    def correction_fixes(self) -> list[dict]:
        with self._read() as tx:
            rows = tx.all("SELECT wrong, right_form, context, actor, doc_id, at "
                          "FROM correction_fixes ORDER BY id")
        return [{"wrong": r["wrong"], "right": r["right_form"], "context": r["context"],
                 "actor": r["actor"], "doc_id": r["doc_id"], "at": r["at"]} for r in rows]

    # --- search ------------------------------------------------------------------------

    def _filters(self, query: SearchQuery) -> tuple[list[str], list[Any]]:
        """WHERE conditions on documents ``d`` for the query's filters (text excluded)."""
        conds: list[str] = []
        params: list[Any] = []
        for name in _TEXT_FILTERS:
            bounds.check_filter(name, getattr(query, name))
        if query.document_type:
            conds.append("d.document_type = ?")
            params.append(query.document_type)
        if query.issuer:
            conds.append("(lower(d.issuer_org) LIKE ? ESCAPE '\\' OR lower(d.issuer_dept) LIKE ? ESCAPE '\\')")
            params += [like_pattern(query.issuer)] * 2
        if query.year is not None:
            try:
                year = _bounded(int(query.year), "year", 1, 9999)
            except (TypeError, ValueError):
                raise QueryError(f"year must be a number, not {query.year!r}") from None
            conds.append("d.year = ?")
            params.append(year)
        if query.date_from:
            conds.append("d.date >= ?")
            params.append(_iso_date(query.date_from, "date_from"))
        if query.date_to:
            conds.append("d.date <= ?")
            params.append(_iso_date(query.date_to, "date_to"))
        if query.cites or query.provision:
            # With a provision, the few documents citing it are found once by index;
            # otherwise each candidate document's rules are checked.
            sub = ("SELECT r.doc_rowid FROM rules r WHERE r.provision = ?" if query.provision
                   else "SELECT 1 FROM rules r WHERE r.doc_rowid = d.id")
            if query.provision:
                params.append(provision_key(query.provision))
            if query.cites:
                sub += (" AND (r.instrument_words LIKE ? ESCAPE '\\' "
                        "OR lower(r.instrument_key) LIKE ? ESCAPE '\\')")
                params += [like_pattern(words_key(query.cites)), like_pattern(query.cites)]
            conds.append(f"d.id IN ({sub})" if query.provision else f"EXISTS ({sub})")
        if query.place:
            conds.append("lower(d.place) LIKE ? ESCAPE '\\'")
            params.append(like_pattern(query.place))
        if query.status:
            if query.status not in STATUSES:
                raise QueryError(f"status must be one of {', '.join(STATUSES)}, not {query.status!r}")
            conds.append("d.status = ?")
            params.append(query.status)
        if query.batch:
            conds.append("d.batch = ?")
            params.append(query.batch)
        if query.reference:
            ids = [doc_id for doc_id, _ in self.find_by_reference(query.reference)]
            if ids:
                conds.append("d.doc_id IN (" + ", ".join("?" * len(ids)) + ")")
                params += ids
            else:
                conds.append("1 = 0")
        return conds, params

    def search(self, query: SearchQuery) -> SearchResults:
        """Ranked hits, the number of matches and facet counts.

        A broad query is bounded so it costs the same at 100k records as at 10k: when more
        than ``total_cap`` documents match, the search covers the ``total_cap`` most
        recently archived of them (hits ranked and paged among those, the total reported as
        "10,000+" with ``total_is_estimate``); facets count the ``facet_sample`` most recent
        matches (``facets_sampled``).  Smaller results are exact.
        """
        if not query.text.strip() and not query.has_filters():
            raise QueryError("empty query: give words to search for or at least one filter")
        limit, offset = bounds.check_page(query.limit, query.offset)
        node = q.parse(query.text) if query.text.strip() else None
        conds, params = self._filters(query)
        filter_where = " AND ".join(conds) or "1 = 1"
        with self._read() as tx:
            if node is None:
                source = f"FROM documents d WHERE {filter_where}"
                total, exact, after = self._window(tx, source, params, "d.id")
                window = "" if after is None else f" AND d.id > {after}"
                facets, sampled = self._facets(tx, source + window, params, "d.id", total)
                rows = [] if total == 0 else tx.all(
                    f"SELECT d.doc_id, d.current_version AS version, 0.0 AS score, "
                    f"coalesce(d.subject, d.title, '') AS snippet, d.title, d.document_type, "
                    f"d.date, d.reference_number, d.issuer {source}{window} "
                    f"ORDER BY d.date DESC, d.id LIMIT ? OFFSET ?", [*params, limit, offset])
            else:
                total, exact, facets, sampled, rows = self._text_search(
                    tx, node, filter_where, params, limit, offset)
        hits = [SearchHit(r["doc_id"], r["version"], float(r["score"]), r["snippet"] or "",
                          r["title"], r["document_type"], r["date"], r["reference_number"],
                          r["issuer"]) for r in rows]
        return SearchResults(total, hits, facets, total_is_estimate=not exact,
                             facets_sampled=sampled)

    def _window(self, tx: Tx, source: str, params: list[Any], order_id: str
                ) -> tuple[int, bool, int | None]:
        """(total, exact, id after which the window starts or None): one walk over at most
        ``total_cap + 1`` of the newest matches."""
        row = tx.one(f"SELECT count(*) AS n, min(id) AS low FROM (SELECT {order_id} AS id "
                     f"{source} ORDER BY {order_id} DESC LIMIT {int(self.total_cap) + 1}) w",
                     params)
        if row["n"] <= self.total_cap:
            return int(row["n"]), True, None
        return int(self.total_cap), False, int(row["low"])

    def _facets(self, tx: Tx, source: str, params: list[Any], order_id: str, total: int
                ) -> tuple[dict[str, list[tuple[str, int]]], bool]:
        """Facet counts over the ``facet_sample`` newest of ``source`` (``order_id``
        descending), and whether that was a sample (more than ``facet_sample`` matched)."""
        if total == 0:
            return {name: [] for name in FACET_NAMES}, False
        rows = tx.all(
            f"WITH m AS MATERIALIZED (SELECT d.id, d.document_type, d.issuer, d.year, d.place "
            f"{source} ORDER BY {order_id} DESC LIMIT {int(self.facet_sample)}) "
            "SELECT 'document_type' AS facet, document_type AS v, count(*) AS n FROM m "
            "WHERE document_type IS NOT NULL GROUP BY document_type "
            "UNION ALL SELECT 'issuer', issuer, count(*) FROM m WHERE issuer IS NOT NULL GROUP BY issuer "
            "UNION ALL SELECT 'year', CAST(year AS TEXT), count(*) FROM m WHERE year IS NOT NULL "
            "GROUP BY year "
            "UNION ALL SELECT 'place', place, count(*) FROM m WHERE place IS NOT NULL GROUP BY place "
            # CROSS JOIN: SQLite would otherwise walk all of rules in instrument order
            "UNION ALL SELECT 'instrument', r.instrument, count(DISTINCT r.doc_rowid) "
            "FROM m CROSS JOIN rules r WHERE r.doc_rowid = m.id GROUP BY r.instrument", params)
        grouped: dict[str, list[tuple[str, int]]] = {name: [] for name in FACET_NAMES}
        for r in rows:
            grouped[r["facet"]].append((str(r["v"]), int(r["n"])))
        facets = {name: sorted(items, key=lambda x: (-x[1], x[0]))[:FACET_SIZE]
                  for name, items in grouped.items()}
        return facets, total > self.facet_sample

    def list_documents(self, *, filters: SearchQuery | None = None, limit: int = 50,
                       offset: int = 0) -> list[StoredDocument]:
        ids = self._ids(filters, limit, offset)
        return [self.get(doc_id) for doc_id in ids]

    def count_documents(self, filters: SearchQuery | None = None) -> int:
        conds, params = self._conditions(filters)
        with self._read() as tx:
            return tx.one(f"SELECT count(*) AS n FROM documents d WHERE {' AND '.join(conds) or '1 = 1'}",
                          params)["n"]

    def _conditions(self, filters: SearchQuery | None) -> tuple[list[str], list[Any]]:
        if filters is None:
            return [], []
        conds, params = self._filters(filters)
        if filters.text.strip():
            match_sql, match_params = self._match_condition(q.parse(filters.text))
            conds.append(match_sql)
            params += match_params
        return conds, params

    def _ids(self, filters: SearchQuery | None, limit: int, offset: int) -> list[str]:
        limit, offset = bounds.check_page(limit, offset)
        conds, params = self._conditions(filters)
        with self._read() as tx:
            rows = tx.all(f"SELECT d.doc_id FROM documents d WHERE {' AND '.join(conds) or '1 = 1'} "
                          "ORDER BY d.updated_at DESC, d.id DESC LIMIT ? OFFSET ?",
                          [*params, limit, offset])
        return [r["doc_id"] for r in rows]

    def iter_documents(self, filters: SearchQuery | None = None, chunk: int = 200
                       ) -> Iterator[StoredDocument]:
        """Every matching document (current versions) in archive order, for export.

        Pages by key rather than offset, so documents changing meanwhile are neither skipped
        nor repeated.
        """
        conds, params = self._conditions(filters)
        where = " AND ".join(conds) or "1 = 1"
        last = 0
        while True:
            with self._read() as tx:
                rows = tx.all(f"SELECT d.id, d.doc_id FROM documents d WHERE {where} AND d.id > ? "
                              "ORDER BY d.id LIMIT ?", [*params, last, chunk])
            for row in rows:
                yield self.get(row["doc_id"])
            if len(rows) < chunk:
                return
            last = rows[-1]["id"]

    def review_queue(self, *, batch: str | None = None, issuer: str | None = None,
                     document_type: str | None = None, limit: int = 50) -> list[QueueItem]:
        """Documents to review: those flagged needs_review first, approved ones last."""
        conds, params = self._filters(SearchQuery(batch=batch, issuer=issuer,
                                                  document_type=document_type))
        with self._read() as tx:
            rows = tx.all(
                f"SELECT * FROM documents d WHERE {' AND '.join(conds) or '1 = 1'} ORDER BY "
                "d.needs_review DESC, CASE d.status WHEN 'approved' THEN 1 ELSE 0 END, "
                "d.updated_at DESC, d.id LIMIT ?", [*params, _limit(limit)])
        return [QueueItem(r["doc_id"], r["current_version"], bool(r["needs_review"]),
                          json.loads(r["review_reasons"] or "[]"), r["status"], r["title"],
                          r["issuer"], r["document_type"], r["date"], r["batch"]) for r in rows]


def _parts(items: list, size: int = 500) -> Iterator[list]:
    """``items`` in slices small enough for one statement's parameters."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _prepare_chunk(records: Iterator[dict], size: int) -> list[rec.Prepared]:
    out = []
    for record in records:
        out.append(rec.prepare(record))
        if len(out) >= size:
            break
    return out


def _date_distance(a: str | None, b: str | None) -> int:
    if not a or not b:
        return 1 << 30
    try:
        return abs((dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days)
    except ValueError:
        return 1 << 30


def _loads(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def _limit(limit: int) -> int:
    if not isinstance(limit, int) or limit < 1 or limit > MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, not {limit!r}")
    return limit


MAX_INT = 2**62  # larger numbers overflow both databases' integers


def _bounded(value: int, name: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise QueryError(f"{name} must be a whole number from {low} to {high}, not {value!r}")
    return value
