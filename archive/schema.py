"""The archive's tables, written once for both backends.

Both backends keep the same tables and indexes; only the column types of keys, row
references, blobs and floats differ (``Dialect``).  Each backend adds its full-text index
to the first migration and keeps its own later migrations.  A migration that has run is
never changed: new columns or indexes go in a new migration of each backend.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Dialect:
    """Column types that differ between SQLite and PostgreSQL."""

    document_key: str  # documents.id, also the row id of its full-text entry
    counter_key: str  # ids that only ever increase (audit, change feed, correction fixes)
    row_ref: str  # a reference to documents.id
    big_int: str
    blob: str
    real: str


SQLITE = Dialect(document_key="INTEGER PRIMARY KEY",
                 counter_key="INTEGER PRIMARY KEY AUTOINCREMENT", row_ref="INTEGER",
                 big_int="INTEGER", blob="BLOB", real="REAL")
POSTGRES = Dialect(document_key="BIGSERIAL PRIMARY KEY", counter_key="BIGSERIAL PRIMARY KEY",
                   row_ref="BIGINT", big_int="BIGINT", blob="BYTEA", real="DOUBLE PRECISION")

_TABLES = """
CREATE TABLE documents (
    id {document_key}, doc_id TEXT NOT NULL UNIQUE, current_version INTEGER NOT NULL,
    status TEXT NOT NULL, batch TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    source_sha256 TEXT, document_type TEXT, issuer_org TEXT, issuer_dept TEXT, issuer TEXT,
    date TEXT, year INTEGER, place TEXT, subject TEXT, reference_number TEXT, ref_key TEXT,
    ref_fuzzy TEXT, ref_digits TEXT, title TEXT, needs_review INTEGER NOT NULL DEFAULT 0,
    review_reasons TEXT);
CREATE INDEX documents_source ON documents(source_sha256);
CREATE INDEX documents_ref_key ON documents(ref_key);
CREATE INDEX documents_ref_digits ON documents(ref_digits);
CREATE INDEX documents_type ON documents(document_type);
CREATE INDEX documents_year ON documents(year);
CREATE INDEX documents_date ON documents(date);
CREATE INDEX documents_batch ON documents(batch);
CREATE INDEX documents_updated ON documents(updated_at);
CREATE TABLE versions (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id), version INTEGER NOT NULL,
    kind TEXT NOT NULL, actor TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL, content_hash TEXT NOT NULL, body {blob} NOT NULL,
    PRIMARY KEY (doc_id, version));
CREATE TABLE edits (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id), name TEXT NOT NULL, value TEXT NOT NULL,
    actor TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (doc_id, name));
CREATE TABLE field_values (
    doc_rowid {row_ref} NOT NULL REFERENCES documents(id), version INTEGER NOT NULL,
    pointer TEXT NOT NULL, name TEXT NOT NULL, value TEXT, evidence TEXT);
CREATE INDEX field_values_doc ON field_values(doc_rowid);
CREATE TABLE rules (
    doc_rowid {row_ref} NOT NULL REFERENCES documents(id), idx INTEGER NOT NULL,
    instrument TEXT NOT NULL, instrument_words TEXT NOT NULL, instrument_key TEXT,
    year INTEGER, provision TEXT);
CREATE INDEX rules_doc ON rules(doc_rowid);
CREATE INDEX rules_instrument ON rules(instrument);
CREATE TABLE pages (
    doc_rowid {row_ref} NOT NULL REFERENCES documents(id), version INTEGER NOT NULL,
    number INTEGER NOT NULL, source TEXT, mean_confidence {real},
    low_confidence_words INTEGER, chars INTEGER);
CREATE INDEX pages_doc ON pages(doc_rowid);
CREATE TABLE corrections (
    doc_rowid {row_ref} NOT NULL REFERENCES documents(id), version INTEGER NOT NULL,
    idx INTEGER NOT NULL, original TEXT, replacement TEXT, rule TEXT, score {real});
CREATE INDEX corrections_doc ON corrections(doc_rowid);
CREATE TABLE citations (
    citing_id TEXT NOT NULL REFERENCES documents(doc_id), idx INTEGER NOT NULL,
    reference_number TEXT, ref_key TEXT, ref_fuzzy TEXT, date TEXT, target_id TEXT,
    PRIMARY KEY (citing_id, idx));
CREATE INDEX citations_key ON citations(ref_key);
CREATE INDEX citations_target ON citations(target_id);
CREATE INDEX citations_date ON citations(date);
CREATE TABLE files (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id), kind TEXT NOT NULL, page INTEGER NOT NULL,
    sha256 TEXT NOT NULL, suffix TEXT NOT NULL, media_type TEXT NOT NULL, size {big_int} NOT NULL,
    PRIMARY KEY (doc_id, kind, page));
CREATE TABLE audit (
    id {counter_key}, at TEXT NOT NULL, actor TEXT NOT NULL, doc_id TEXT,
    version INTEGER, action TEXT NOT NULL, field TEXT, before TEXT, after TEXT);
CREATE INDEX audit_doc ON audit(doc_id);
CREATE TABLE changes (
    cursor {counter_key}, at TEXT NOT NULL, kind TEXT NOT NULL,
    doc_id TEXT NOT NULL, version INTEGER NOT NULL);
CREATE TABLE users (
    username TEXT PRIMARY KEY, password_hash TEXT NOT NULL, role TEXT NOT NULL,
    created_at TEXT NOT NULL);
CREATE TABLE correction_fixes (
    id {counter_key}, wrong TEXT NOT NULL, right_form TEXT NOT NULL,
    context TEXT, actor TEXT NOT NULL, doc_id TEXT, at TEXT NOT NULL);
"""


def tables(dialect: Dialect) -> str:
    """The shared tables and indexes of migration 1, as one script of ``;``-ended statements."""
    return _TABLES.format(**asdict(dialect))


# Who may use the archive (migration 3 of each backend): server-side sessions of the review
# app, API tokens, failed sign-ins.  Secrets are stored only as SHA-256 digests: a copy of the
# database does not hand out live sessions or tokens.
_ACCESS_TABLES = """
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY, username TEXT NOT NULL, created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL);
CREATE INDEX sessions_user ON sessions(username);
CREATE TABLE api_tokens (
    name TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
    created_at TEXT NOT NULL, last_used_at TEXT);
CREATE TABLE login_failures (
    id {counter_key}, username TEXT NOT NULL, address TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX login_failures_user ON login_failures(username, at);
CREATE INDEX login_failures_address ON login_failures(address, at);
CREATE INDEX login_failures_at ON login_failures(at);
"""


def access_tables(dialect: Dialect) -> str:
    """Migration 3: sessions, API tokens, failed sign-ins (``;``-ended statements)."""
    return _ACCESS_TABLES.format(**asdict(dialect))
