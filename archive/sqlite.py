"""SQLite backend: one file, WAL, FTS5 with BM25 column weights. The default archive."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from archive import budget as budgets
from archive import query as q
from archive import schema
from archive.base import Archive, Tx, now
from archive.errors import QueryError
from archive.keys import fuzzy_form, key_digits
from pipeline.errors import ArchiveError

# Column weights for bm25(): a hit in the subject or the reference number outranks the body.
FTS_WEIGHTS = "10.0, 8.0, 3.0, 1.0"
PAGE_SIZE = 16384
PROGRESS_STEPS = 10_000  # ~1 ms of SQLite work between time-limit checks

MIGRATIONS: list[tuple[int, str]] = [(1, schema.tables(schema.SQLITE) + """
CREATE VIRTUAL TABLE docs_fts USING fts5(
    subject, reference, issuer, body, tokenize = 'porter unicode61 remove_diacritics 2');
"""), (2, """
INSERT INTO docs_fts (docs_fts, rank) VALUES ('hashsize', 16777216);
CREATE INDEX rules_provision ON rules(provision);
DROP INDEX IF EXISTS rules_instrument;
"""), (3, schema.access_tables(schema.SQLITE))]
# 3: sessions, API tokens and failed sign-ins kept in the archive (see archive/access.py).
# 2: FTS5 keeps 16 MB of new index terms in memory before writing a segment (default 1 MB):
# fewer, larger segments and less merging during a bulk load (about 10% of its CPU).
# rules_provision: a provision filter ("Rule 18") finds its few documents by index.
# rules_instrument went unused once the instrument facet reads the sample's rules by doc.


_FTS_INSERT = ("INSERT INTO docs_fts (rowid, subject, reference, issuer, body) "
               "VALUES (?, ?, ?, ?, ?)")


def _fts_row(rowid: int, record: dict) -> tuple:
    fields = record.get("fields") or {}
    issuer = fields.get("issuer") or {}
    return (rowid, fields.get("subject") or "", fields.get("reference_number") or "",
            " ".join(filter(None, (issuer.get("organization"), issuer.get("department"),
                                   fields.get("place")))),
            record.get("text") or "")


def _dict_row(cursor: sqlite3.Cursor, row: tuple) -> dict:
    return {col[0]: value for col, value in zip(cursor.description, row)}


class SqliteArchive(Archive):
    """Archive in one SQLite file; one connection per thread, writers serialised by SQLite."""

    def __init__(self, path: Path, objects_dir: Path | None = None) -> None:
        self.path = Path(path)
        super().__init__(objects_dir or self.path.parent / "objects")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ArchiveError(f"cannot create the archive directory {self.path.parent}: {exc}") from exc
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self._migrate()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                       timeout=30.0)
                # Takes effect on a new archive only (an existing file keeps its pages): a
                # document's full-text row (~9 KB) and version body (~4 KB) fit on one 16 KB
                # page instead of a chain of 4 KB overflow pages.  At 100k documents a bulk
                # load took ~6% less CPU and query p95 was 43-45 ms against 47-48 ms.
                conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA busy_timeout = 30000")
                # NORMAL in WAL mode: a crash of the process loses nothing committed; a power
                # loss or OS crash may lose the last transactions, never corrupts the file.
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("PRAGMA cache_size = -65536")  # 64 MB: random-key indexes thrash 2 MB
                conn.execute("PRAGMA temp_store = MEMORY")
                conn.row_factory = _dict_row
            except sqlite3.DatabaseError as exc:
                raise ArchiveError(f"cannot open {self.path}: not a Daftar archive, or corrupt "
                                   f"(SQLite said: {exc})") from exc
            self._local.conn = conn
            with self._guard:
                self._all.append(conn)
        return conn

    @contextmanager
    def _write(self, lock: str | None = None) -> Iterator[Tx]:
        conn = self._conn()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise ArchiveError(f"the archive {self.path} refused the write: {exc}") from exc
        try:
            yield Tx(conn.cursor(), qmark=True)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            conn.execute("ROLLBACK")
            raise ArchiveError(f"the archive {self.path} refused the write: {exc}") from exc

    @contextmanager
    def _read(self) -> Iterator[Tx]:
        conn = self._conn()
        budget = budgets.current()
        if budget is not None:
            budget.check()
            # Called every PROGRESS_STEPS virtual-machine steps: True (time is up, or the
            # client went away) interrupts the statement.
            conn.set_progress_handler(budget.expired, PROGRESS_STEPS)
        conn.execute("BEGIN")
        try:
            yield Tx(conn.cursor(), qmark=True, check=budget.check if budget else None)
        except sqlite3.OperationalError as exc:
            if budget is not None and budget.expired():
                raise budget.error() from exc
            raise _query_error(exc) from exc
        finally:
            if conn.in_transaction:  # an interrupted statement may have ended it already
                conn.execute("COMMIT")
            if budget is not None:
                conn.set_progress_handler(None, 0)

    def _migrate(self) -> None:
        conn = self._conn()
        try:
            current = conn.execute("SELECT max(version) AS v FROM schema_migrations").fetchone()["v"]
        except sqlite3.OperationalError:
            current = None  # a new archive
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"{self.path} is not a Daftar archive (SQLite said: {exc})") from exc
        if current == MIGRATIONS[-1][0]:
            return  # opened per request by the web app: no write lock when nothing to do
        with self._write() as tx:
            tx.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                       "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            done = {r["version"] for r in tx.all("SELECT version FROM schema_migrations")}
            for version, script in MIGRATIONS:
                if version in done:
                    continue
                for statement in filter(str.strip, script.split(";\n")):
                    tx.execute(statement)
                tx.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                           (version, now()))

    def _refresh_statistics(self) -> None:
        self._conn().execute("PRAGMA optimize")

    def _index_text(self, tx: Tx, rowid: int, record: dict, summary: dict) -> None:
        tx.execute("DELETE FROM docs_fts WHERE rowid = ?", (rowid,))
        tx.execute(_FTS_INSERT, _fts_row(rowid, record))

    def _index_texts(self, tx: Tx, items: list[tuple[int, dict, dict]]) -> None:
        tx.many(_FTS_INSERT, [_fts_row(rowid, record) for rowid, record, _ in items])

    def _new_rowids(self, tx: Tx, count: int) -> list[int]:
        # Safe: the caller holds SQLite's write lock (BEGIN IMMEDIATE) until it commits.
        last = tx.one("SELECT coalesce(max(id), 0) AS n FROM documents")["n"]
        return list(range(last + 1, last + 1 + count))

    def _match_condition(self, node: q.Node) -> tuple[str, list[Any]]:
        return "d.id IN (SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?)", [q.to_fts5(node)]

    def _text_search(self, tx: Tx, node: q.Node, filter_where: str, params: list[Any],
                     limit: int, offset: int) -> tuple[int, bool, dict, bool, list[dict]]:
        # Walking the matches (and for a filtered query joining documents and testing the
        # filters) is the cost, so it is done once: the window, the newest total_cap + 1
        # matches, goes into a temporary table with its bm25 score, and the total, facets
        # and the ranked page come from there.
        fts = q.to_fts5(node)
        rank = f"bm25(docs_fts, {FTS_WEIGHTS})"
        tx.execute("CREATE TEMP TABLE IF NOT EXISTS search_window "
                   "(id INTEGER PRIMARY KEY, rank REAL NOT NULL)")
        tx.execute("DELETE FROM temp.search_window")
        joined = "" if filter_where == "1 = 1" else \
            f" JOIN documents d ON d.id = docs_fts.rowid AND {filter_where}"
        tx.execute(f"INSERT INTO temp.search_window SELECT docs_fts.rowid, {rank} "
                   f"FROM docs_fts{joined} WHERE docs_fts MATCH ? "
                   f"ORDER BY docs_fts.rowid DESC LIMIT {int(self.total_cap) + 1}",
                   [*(params if joined else []), fts])
        total = tx.one("SELECT count(*) AS n FROM temp.search_window")["n"]
        exact = total <= self.total_cap
        if not exact:
            tx.execute("DELETE FROM temp.search_window WHERE id = (SELECT min(id) "
                       "FROM temp.search_window)")
            total = int(self.total_cap)
        # CROSS JOIN keeps the window as the outer loop (no statistics on a temp table)
        facets, sampled = self._facets(tx, "FROM temp.search_window w CROSS JOIN documents d "
                                           "WHERE d.id = w.id", [], "w.id", total)
        ranked = tx.all("SELECT id, rank FROM temp.search_window ORDER BY rank, id "
                        "LIMIT ? OFFSET ?", (limit, offset))
        rows = self._page(tx, fts, ranked)
        tx.execute("DELETE FROM temp.search_window")
        return total, exact, facets, sampled, rows

    def _page(self, tx: Tx, fts: str, ranked: list[dict]) -> list[dict]:
        """Rows and snippets of a ranked page (id, rank).

        The snippets come from one MATCH over the page's rows: each MATCH expands its
        prefix terms again, so one per hit made a 100-hit page of 16 prefixes take 6.6 s
        at 5k documents.
        """
        if not ranked:
            return []
        marks = ", ".join("?" * len(ranked))
        ids = [r["id"] for r in ranked]
        docs = {d["id"]: d for d in tx.all(
            "SELECT id, doc_id, current_version AS version, title, document_type, date, "
            f"reference_number, issuer FROM documents WHERE id IN ({marks})", ids)}
        # One walk of the matches between the page's lowest and highest ids (at most the
        # window); "+rowid IN" is tested per row, not handed to FTS5 as one lookup per id.
        snippets = {s["id"]: s["s"] for s in tx.all(
            "SELECT rowid AS id, snippet(docs_fts, -1, '[', ']', '…', 24) AS s FROM docs_fts "
            f"WHERE docs_fts MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN ({marks})",
            [fts, min(ids), max(ids), *ids])}
        return [{**{k: v for k, v in docs[r["id"]].items() if k != "id"},
                 "score": -r["rank"], "snippet": snippets.get(r["id"]) or ""}
                for r in ranked]

    def _reference_candidates(self, tx: Tx, key: str, *, exhaustive: bool) -> list[dict]:
        digits = key_digits(key)
        rows = tx.all("SELECT doc_id, ref_key, date FROM documents WHERE ref_digits = ?", (digits,))
        if rows or not digits or not exhaustive:
            return rows
        # Digits damaged too: compare against every distinct key (rare path).
        from rapidfuzz import fuzz, process
        form = fuzzy_form(key)
        # A ratio of 80 or more needs lengths within a quarter of each other.
        keys = [r["ref_fuzzy"] for r in tx.all(
            "SELECT DISTINCT ref_fuzzy FROM documents WHERE ref_fuzzy IS NOT NULL "
            "AND length(ref_fuzzy) BETWEEN ? AND ?", (len(form) * 3 // 4, len(form) * 4 // 3 + 1))]
        near = [m[0] for m in process.extract(form, keys, scorer=fuzz.ratio,
                                               score_cutoff=70, limit=20)]
        if not near:
            return []
        return tx.all("SELECT doc_id, ref_key, date FROM documents WHERE ref_fuzzy IN ("
                      + ", ".join("?" * len(near)) + ")", near)

    def close(self) -> None:
        with self._guard:
            for conn in self._all:
                try:
                    conn.close()
                except sqlite3.Error:
                    pass
            self._all.clear()
        self._local = threading.local()


def _query_error(exc: sqlite3.OperationalError) -> Exception:
    text = str(exc)
    if "fts5" in text or "MATCH" in text or "syntax" in text:
        return QueryError(f"the search engine rejected the query: {text}")
    return ArchiveError(f"archive read failed: {text}")


