"""Who may use the archive: account state, review-app sessions, API tokens, failed sign-ins.

Kept in the archive rather than in a server's memory so that every ``daftar serve`` worker,
and a restarted one, sees the same sessions and the same count of failed sign-ins (a
lockout held in memory was cleared by a restart).  The archive only stores and counts; the
rules (timeouts, limits, password strength) live with the review app (``webapp.auth``).
Session ids and tokens are random secrets stored as SHA-256 digests (``secret_digest``):
they are 256-bit random values, so a fast hash is enough and a copy of the database hands
out nothing that works.  Timestamps are ISO strings in UTC, which compare as text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Callable

from archive.models import ApiToken, Session
from pipeline.errors import BadArgsError, NotFoundError

TOKEN_ROLES = ("viewer", "archivist")  # an API token never administers accounts
_NAME_MAX = 200  # user names and addresses are attacker-chosen on the sign-in form


def secret_digest(secret: str) -> str:
    """The stored form of a session id or API token."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def iso(moment: dt.datetime) -> str:
    """``moment`` as the archive writes times (UTC, microseconds), so they compare as text."""
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")


class AccessStore:
    """The access part of ``archive.Archive``: mixed in, it runs in the archive's own
    ``_read``/``_write`` transactions, so both backends share this SQL."""

    _read: Callable[[], AbstractContextManager[Any]]
    _write: Callable[..., AbstractContextManager[Any]]

    # --- accounts ----------------------------------------------------------------------

    def set_password(self, username: str, password_hash: str) -> None:
        """Change a password; every session of the account ends with the old password."""
        with self._write(lock="user:" + username) as tx:
            if tx.execute("UPDATE users SET password_hash = ? WHERE username = ?",
                          (password_hash, username)).rowcount == 0:
                raise NotFoundError(f"no user {username!r}")
            tx.execute("DELETE FROM sessions WHERE username = ?", (username,))

    def set_disabled(self, username: str, disabled: bool) -> None:
        """Disable (ending every session) or re-enable an account."""
        with self._write(lock="user:" + username) as tx:
            if tx.execute("UPDATE users SET disabled = ? WHERE username = ?",
                          (int(disabled), username)).rowcount == 0:
                raise NotFoundError(f"no user {username!r}")
            if disabled:
                tx.execute("DELETE FROM sessions WHERE username = ?", (username,))

    # --- sessions ----------------------------------------------------------------------

    def create_session(self, id_hash: str, username: str, at: str) -> None:
        with self._write() as tx:
            tx.execute("INSERT INTO sessions (id_hash, username, created_at, last_seen_at) "
                       "VALUES (?, ?, ?, ?)", (id_hash, username, at, at))

    def get_session(self, id_hash: str) -> Session | None:
        with self._read() as tx:
            r = tx.one("SELECT username, created_at, last_seen_at FROM sessions "
                       "WHERE id_hash = ?", (id_hash,))
        return Session(r["username"], r["created_at"], r["last_seen_at"]) if r else None

    def touch_session(self, id_hash: str, at: str) -> None:
        with self._write() as tx:
            tx.execute("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", (at, id_hash))

    def end_session(self, id_hash: str) -> None:
        with self._write() as tx:
            tx.execute("DELETE FROM sessions WHERE id_hash = ?", (id_hash,))

    def end_sessions(self, username: str) -> int:
        """End every session of ``username``; returns how many there were."""
        with self._write() as tx:
            return tx.execute("DELETE FROM sessions WHERE username = ?", (username,)).rowcount

    def prune_sessions(self, *, created_before: str, seen_before: str) -> int:
        """Forget sessions past their absolute or idle limit."""
        with self._write() as tx:
            return tx.execute("DELETE FROM sessions WHERE created_at < ? OR last_seen_at < ?",
                              (created_before, seen_before)).rowcount

    # --- API tokens --------------------------------------------------------------------

    def add_api_token(self, name: str, token_hash: str, role: str, at: str) -> None:
        if role not in TOKEN_ROLES:
            raise BadArgsError(f"a token's role is one of {', '.join(TOKEN_ROLES)}, not {role!r}")
        if not name or not name.strip() or len(name) > _NAME_MAX:
            raise BadArgsError("a token needs a name (up to 200 characters)")
        with self._write(lock="token:" + name) as tx:
            if tx.one("SELECT 1 AS x FROM api_tokens WHERE name = ?", (name,)):
                raise BadArgsError(f"a token named {name!r} exists: revoke it first")
            tx.execute("INSERT INTO api_tokens (name, token_hash, role, created_at) "
                       "VALUES (?, ?, ?, ?)", (name, token_hash, role, at))

    def api_tokens(self) -> list[ApiToken]:
        with self._read() as tx:
            rows = tx.all("SELECT name, role, created_at, last_used_at FROM api_tokens "
                          "ORDER BY name")
        return [ApiToken(r["name"], r["role"], r["created_at"], r["last_used_at"]) for r in rows]

    def api_token(self, token_hash: str) -> ApiToken | None:
        with self._read() as tx:
            r = tx.one("SELECT name, role, created_at, last_used_at FROM api_tokens "
                       "WHERE token_hash = ?", (token_hash,))
        return ApiToken(r["name"], r["role"], r["created_at"], r["last_used_at"]) if r else None

    def touch_api_token(self, name: str, at: str) -> None:
        with self._write() as tx:
            tx.execute("UPDATE api_tokens SET last_used_at = ? WHERE name = ?", (at, name))

    def revoke_api_token(self, name: str) -> None:
        with self._write(lock="token:" + name) as tx:
            if tx.execute("DELETE FROM api_tokens WHERE name = ?", (name,)).rowcount == 0:
                raise NotFoundError(f"no token named {name!r}")

    # --- failed sign-ins ---------------------------------------------------------------

    def add_login_failure(self, username: str, address: str, at: str, *,
                          forget_before: str) -> None:
        """Count one failed sign-in; failures older than ``forget_before`` are dropped."""
        with self._write() as tx:
            tx.execute("DELETE FROM login_failures WHERE at < ?", (forget_before,))
            tx.execute("INSERT INTO login_failures (username, address, at) VALUES (?, ?, ?)",
                       (username.lower()[:_NAME_MAX], address[:_NAME_MAX], at))

    def login_failures(self, *, username: str, address: str, since: str,
                       limit: int) -> tuple[list[str], list[str]]:
        """Times (newest first, at most ``limit``) of failures since ``since``: for the
        account from any address, and from the address for any account."""
        with self._read() as tx:
            account = tx.all("SELECT at FROM login_failures WHERE username = ? AND at >= ? "
                             "ORDER BY at DESC LIMIT ?",
                             (username.lower()[:_NAME_MAX], since, limit))
            from_address = tx.all("SELECT at FROM login_failures WHERE address = ? AND at >= ? "
                                  "ORDER BY at DESC LIMIT ?", (address[:_NAME_MAX], since, limit))
        return [r["at"] for r in account], [r["at"] for r in from_address]

    def clear_login_failures(self, username: str, address: str) -> None:
        """After a right password: forget that address's failures for that account."""
        with self._write() as tx:
            tx.execute("DELETE FROM login_failures WHERE username = ? AND address = ?",
                       (username.lower()[:_NAME_MAX], address[:_NAME_MAX]))



# --- API callers -------------------------------------------------------------------------

TOKEN_PREFIX = "daftar_"  # recognisable in a leaked config file or a secret scanner
REMOVED_TOKEN_ENV = "DAFTAR_API_TOKEN"
_TOKEN_TOUCH_EVERY = dt.timedelta(minutes=1)  # last-used to the minute, not a write a request


@dataclass(frozen=True)
class Caller:
    """Who is calling the API: a token's name, a signed-in user, or the public."""

    name: str
    role: str
    via: str  # "token", "session" or "public"


PUBLIC = Caller("public", "viewer", "public")


def new_token() -> str:
    """A fresh API token: 256 random bits."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_caller(archive: Any, token: str, now: dt.datetime | None = None) -> Caller | None:
    """The caller a bearer token stands for (None: unknown or revoked); records its use."""
    found = archive.api_token(secret_digest(token))
    if found is None:
        return None
    now = now or dt.datetime.now(dt.timezone.utc)
    last = found.last_used_at
    if last is None or now - dt.datetime.fromisoformat(last) >= _TOKEN_TOUCH_EVERY:
        archive.touch_api_token(found.name, iso(now))
    return Caller(found.name, found.role, "token")


def refuse_env_token() -> None:
    """``DAFTAR_API_TOKEN`` is no longer read; refuse to start while it is set rather than
    let its holders believe the API still honours it."""
    if os.environ.get(REMOVED_TOKEN_ENV, "").strip():
        raise BadArgsError(
            f"{REMOVED_TOKEN_ENV} is no longer used: create a named, revocable token with "
            f"'daftar token create --name NAME --role viewer', give it to the client, and "
            f"unset {REMOVED_TOKEN_ENV}")
