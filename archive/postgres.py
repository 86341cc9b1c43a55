"""PostgreSQL backend: the same archive for shared offices (tsvector + GIN, pg_trgm).

``postgresql://user@host/db?schema=NAME`` keeps the archive in schema NAME (created on first
use), so several archives (or test runs) can share one database.
"""

from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg.rows import dict_row

from archive import budget as budgets
from archive import query as q
from archive import schema
from archive.base import Archive, Tx, now
from archive.errors import QueryError
from archive.keys import fuzzy_form, index_text, key_digits
from pipeline.errors import ArchiveError, DaftarError

TS_CONFIG = "english"
RANK_WEIGHTS = "'{0.1, 0.2, 0.4, 1.0}'"  # D (body), C, B (issuer), A (subject, reference)
HEADLINE_OPTIONS = 'StartSel="[", StopSel="]", MaxWords=30, MinWords=12, MaxFragments=1, FragmentDelimiter=" … "'
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
_CHANGE_LOCK = 0x0DAF7A  # advisory lock id: change-feed cursors commit in order
_MIGRATE_LOCK = 0x0DAF7B

MIGRATIONS: list[tuple[int, str]] = [(1, schema.tables(schema.POSTGRES) + """
CREATE INDEX documents_ref_trgm ON documents USING gin (ref_fuzzy public.gin_trgm_ops);
CREATE TABLE doc_text (
    doc_rowid BIGINT PRIMARY KEY REFERENCES documents(id), body TEXT NOT NULL,
    tsv TSVECTOR NOT NULL);
CREATE INDEX doc_text_tsv ON doc_text USING gin (tsv);
"""), (2, """
CREATE INDEX rules_provision ON rules(provision);
DROP INDEX IF EXISTS rules_instrument;
ALTER TABLE doc_text ALTER COLUMN tsv SET COMPRESSION lz4;
ALTER TABLE doc_text ALTER COLUMN body SET COMPRESSION lz4;
"""), (3, schema.access_tables(schema.POSTGRES))]
# 3: sessions, API tokens and failed sign-ins kept in the archive (see archive/access.py).
# 2: a provision filter finds its documents by index (rules_instrument went unused); lz4 decompresses the tsvectors that
# phrase rechecks and ts_rank_cd read several times faster than pglz (new rows only).


_VECTOR = " || ".join(f"setweight(to_tsvector('{TS_CONFIG}', ?), '{w}')" for w in "AABD")
_TEXT_UPSERT = (f"INSERT INTO doc_text (doc_rowid, body, tsv) VALUES (?, ?, {_VECTOR}) "
                "ON CONFLICT (doc_rowid) DO UPDATE SET body = EXCLUDED.body, tsv = EXCLUDED.tsv")


def _text_row(rowid: int, record: dict) -> tuple:
    fields = record.get("fields") or {}
    issuer = fields.get("issuer") or {}
    issuer_text = " ".join(filter(None, (issuer.get("organization"), issuer.get("department"),
                                         fields.get("place"))))
    return (rowid, record.get("text") or "", index_text(fields.get("subject")),
            index_text(fields.get("reference_number")), index_text(issuer_text),
            index_text(record.get("text")))


def split_url(url: str) -> tuple[str, str | None]:
    """(connection URL without our ``schema`` parameter, schema name or None)."""
    parts = urlsplit(url)
    params = parse_qsl(parts.query, keep_blank_values=True)
    schema = next((v for k, v in params if k == "schema"), None)
    rest = urlencode([(k, v) for k, v in params if k != "schema"])
    if schema is not None and not _IDENTIFIER.match(schema):
        raise ArchiveError(f"schema name {schema!r} must be letters, digits and _")
    return urlunsplit(parts._replace(query=rest)), schema


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


class PostgresArchive(Archive):
    """Archive in PostgreSQL.  Broad text queries rank the ``rank_candidates`` most recently
    archived matches (exact when fewer match): ts_rank_cd must detoast every tsvector it
    scores, so ranking all of a 10,000-document window would cost ~100 ms."""

    rank_candidates = 1_000
    def __init__(self, url: str, objects_dir: Path) -> None:
        super().__init__(objects_dir)
        self.url, self.schema = split_url(url)
        self._local = threading.local()
        self._all: list[psycopg.Connection] = []
        self._guard = threading.Lock()
        self._migrate()

    def _conn(self) -> psycopg.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            kwargs: dict[str, Any] = {}
            if self.schema:
                kwargs["options"] = f"-csearch_path={self.schema},public"
            try:
                conn = psycopg.connect(self.url, autocommit=True, row_factory=dict_row,
                                       connect_timeout=10, **kwargs)
            except psycopg.Error as exc:
                raise ArchiveError(f"cannot connect to {_redacted(self.url)}: {exc}") from exc
            self._local.conn = conn
            with self._guard:
                self._all.append(conn)
        return conn

    @contextmanager
    def _transaction(self) -> Iterator[Tx]:
        conn = self._conn()
        try:
            with conn.transaction():
                yield Tx(conn.cursor(), qmark=False)
        except DaftarError:
            raise
        except psycopg.errors.QueryCanceled as exc:  # statement_timeout or our cancel
            budget = budgets.current()
            raise (budget.error() if budget else budgets.QueryTimeoutError(str(exc))) from exc
        except psycopg.errors.SyntaxError as exc:
            raise QueryError(f"the search engine rejected the query: {exc}") from exc
        except psycopg.DataError as exc:  # a value PostgreSQL cannot hold, e.g. a NUL character
            raise QueryError(f"the archive cannot take this value: {exc}") from exc
        except psycopg.Error as exc:
            raise ArchiveError(f"archive operation failed on {_redacted(self.url)}: {exc}") from exc

    @contextmanager
    def _write(self, lock: str | None = None) -> Iterator[Tx]:
        with self._transaction() as tx:
            if lock:
                self._lock_document(tx, lock)
            yield tx

    @contextmanager
    def _read(self) -> Iterator[Tx]:
        budget = budgets.current()
        if budget is None:
            with self._transaction() as tx:
                yield tx
            return
        budget.check()
        with self._transaction() as tx:
            # SET LOCAL ends with the transaction; each statement gets what is left, and
            # Tx.check stops the transaction between statements once it is spent.
            ms = max(1, int(budget.remaining() * 1000))
            tx.execute(f"SET LOCAL statement_timeout = {ms}")
            tx.check = budget.check
            with budget.on_cancel(self._conn().cancel_safe):
                yield tx

    def _lock_document(self, tx: Tx, doc_id: str) -> None:
        tx.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", (doc_id,))

    def _before_change(self, tx: Tx) -> None:
        tx.execute("SELECT pg_advisory_xact_lock(?)", (_CHANGE_LOCK,))

    def _refresh_statistics(self) -> None:
        with self._transaction() as tx:
            for table in ("documents", "doc_text", "rules", "citations", "field_values"):
                tx.execute(f"ANALYZE {table}")

    def _for_update(self) -> str:
        return " FOR UPDATE"

    def _migrate(self) -> None:
        with self._transaction() as tx:
            table = f'"{self.schema}".schema_migrations' if self.schema else "schema_migrations"
            exists = tx.one("SELECT to_regclass(?) IS NOT NULL AS e", (table,))["e"]
            if exists and tx.one(f"SELECT max(version) AS v FROM {table}")["v"] == MIGRATIONS[-1][0]:
                return
        with self._transaction() as tx:
            tx.execute("SELECT pg_advisory_xact_lock(?)", (_MIGRATE_LOCK,))
            tx.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
            if self.schema:
                tx.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
            tx.execute("CREATE TABLE IF NOT EXISTS schema_migrations "
                       "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
            done = {r["version"] for r in tx.all("SELECT version FROM schema_migrations")}
            for version, script in MIGRATIONS:
                if version not in done:
                    tx.execute(script)
                    tx.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                               (version, now()))

    def _index_text(self, tx: Tx, rowid: int, record: dict, summary: dict) -> None:
        tx.execute(_TEXT_UPSERT, _text_row(rowid, record))

    def _index_texts(self, tx: Tx, items: list[tuple[int, dict, dict]]) -> None:
        # executemany: psycopg pipelines the statements (one round trip per batch)
        tx.many(_TEXT_UPSERT, [_text_row(rowid, record) for rowid, record, _ in items])

    def _new_rowids(self, tx: Tx, count: int) -> list[int]:
        return [r["id"] for r in tx.all(
            "SELECT nextval(pg_get_serial_sequence('documents', 'id')) AS id "
            "FROM generate_series(1, ?)", (count,))]

    def _lock_documents(self, tx: Tx, doc_ids: list[str]) -> None:
        if doc_ids:  # one round trip; sorted, so two bulk loaders cannot deadlock
            tx.execute("SELECT count(pg_advisory_xact_lock(hashtextextended(x, 0))) AS n "
                       "FROM (SELECT unnest(?::text[]) AS x ORDER BY 1) ids", (sorted(doc_ids),))

    def _match_condition(self, node: q.Node) -> tuple[str, list[Any]]:
        sql, params = q.to_tsquery(node, TS_CONFIG)
        return f"d.id IN (SELECT t.doc_rowid FROM doc_text t WHERE t.tsv @@ {sql.replace('%s', '?')})", params

    def _text_search(self, tx: Tx, node: q.Node, filter_where: str, params: list[Any],
                     limit: int, offset: int) -> tuple[int, bool, dict, bool, list[dict]]:
        tsq, tsq_params = q.to_tsquery(node, TS_CONFIG)
        tsq = tsq.replace("%s", "?")
        joined = "" if filter_where == "1 = 1" else \
            f" JOIN documents d ON d.id = t.doc_rowid AND {filter_where}"
        # One walk of the matches fills the window (newest total_cap + 1); total, facets and
        # ranking read it.  The planner prices a scan of doc_text by its small main table,
        # not by the tsvectors it detoasts: it scans them all, or walks the primary key
        # newest first testing each (~10 us a row), instead of a bitmap from the GIN index
        # (155-230 ms against 12 ms for one word at 20k) - so plain scans are off for it.
        tx.execute("CREATE TEMP TABLE IF NOT EXISTS search_window (id BIGINT PRIMARY KEY) "
                   "ON COMMIT DELETE ROWS")
        tx.execute("SET LOCAL enable_seqscan = off")
        tx.execute("SET LOCAL enable_indexscan = off")
        tx.execute(f"INSERT INTO search_window SELECT t.doc_rowid FROM doc_text t{joined} "
                   f"WHERE t.tsv @@ {tsq} ORDER BY t.doc_rowid DESC "
                   f"LIMIT {int(self.total_cap) + 1}",
                   [*(params if joined else []), *tsq_params])
        tx.execute("RESET enable_seqscan")
        tx.execute("RESET enable_indexscan")
        total = tx.one("SELECT count(*) AS n FROM search_window")["n"]
        exact = total <= self.total_cap
        if not exact:
            tx.execute("DELETE FROM search_window WHERE id = (SELECT min(id) FROM search_window)")
            total = int(self.total_cap)
        facets, sampled = self._facets(tx, "FROM search_window w JOIN documents d "
                                           "ON d.id = w.id WHERE TRUE", [], "w.id", total)
        if total == 0:
            return total, exact, facets, sampled, []
        # ts_rank_cd detoasts each tsvector it scores: rank the newest rank_candidates of
        # the window (all of a smaller result; always enough for the page asked).
        candidates = max(int(self.rank_candidates), offset + limit)
        ranked = tx.all(
            f"SELECT c.id, ts_rank_cd({RANK_WEIGHTS}, t.tsv, {tsq}) AS score FROM (SELECT id "
            f"FROM search_window ORDER BY id DESC LIMIT {candidates}) c JOIN doc_text t "
            f"ON t.doc_rowid = c.id ORDER BY score DESC, c.id LIMIT ? OFFSET ?",
            [*tsq_params, limit, offset])
        rows = []
        for r in ranked:  # headlines for the page only
            row = tx.one(f"SELECT d.doc_id, d.current_version AS version, d.title, "
                         f"d.document_type, d.date, d.reference_number, d.issuer, "
                         f"ts_headline('{TS_CONFIG}', t.body, {tsq}, '{HEADLINE_OPTIONS}') "
                         f"AS snippet FROM documents d JOIN doc_text t ON t.doc_rowid = d.id "
                         f"WHERE d.id = ?", [*tsq_params, r["id"]])
            rows.append({**row, "score": r["score"]})
        return total, exact, facets, sampled, rows

    def _reference_candidates(self, tx: Tx, key: str, *, exhaustive: bool) -> list[dict]:
        form, digits = fuzzy_form(key), key_digits(key)
        if not exhaustive:
            return tx.all("SELECT doc_id, ref_key, date FROM documents WHERE ref_digits = ?",
                          (digits,))
        return tx.all("SELECT doc_id, ref_key, date FROM documents WHERE ref_digits = ? "
                      "UNION SELECT doc_id, ref_key, date FROM documents WHERE ref_fuzzy %% ?",
                      (digits, form))

    def close(self) -> None:
        with self._guard:
            for conn in self._all:
                try:
                    conn.close()
                except psycopg.Error:
                    pass
            self._all.clear()
        self._local = threading.local()
