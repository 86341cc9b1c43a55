"""Accounts, sessions, sign-in throttling, CSRF and HTTPS awareness for the review app.

Passwords are argon2 hashes (argon2-cffi), checked for strength with zxcvbn before they are
stored. The browser holds a signed cookie (Starlette's SessionMiddleware: itsdangerous,
HttpOnly, SameSite=Lax) with a random session id, the per-session CSRF token and flash
messages; whether that id is still signed in is decided by its session record in the
archive (``Sessions``), so signing out, a password change or a disabled account ends the
session for every copy of the cookie and in every server process. The role is read from the
archive on every request so a changed account takes effect at once.
"""

from __future__ import annotations

import datetime as dt
import hmac
import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from archive.access import iso, secret_digest
from pipeline.errors import BadArgsError

ROLES = ("viewer", "archivist", "admin")
_RANK = {role: rank for rank, role in enumerate(ROLES)}
_HASHER = PasswordHasher()
# Verified against when the username is unknown, so both paths cost one argon2 verify and a
# stranger cannot tell existing accounts from missing ones by timing.
_DUMMY_HASH = _HASHER.hash("daftar-no-such-user")

CSRF_FIELD = "csrf_token"
SESSION_ID = "sid"
SESSION_CSRF = "csrf"
MIN_PASSWORD_LENGTH = 8
MIN_ADMIN_PASSWORD_LENGTH = 12  # an admin's password also guards every other account
# zxcvbn score 3: "safely unguessable", about 10^8 guesses or more. The tester's 12345678,
# "password" and eight spaces score 0; a user name plus a word ("alice-password") scores 3
# but is refused because what is left without the name scores 1.
MIN_STRENGTH = 3
# zxcvbn refuses longer input; its matching grows with the length: 3 ms for a 22-character
# passphrase, 85 ms for 72 random characters (measured on the shared 2-core machine).
_ZXCVBN_MAX = 72

IDLE_TIMEOUT = dt.timedelta(hours=1)
ABSOLUTE_TIMEOUT = dt.timedelta(hours=12)  # one working day, as the cookie's max-age
_TOUCH_EVERY = dt.timedelta(minutes=1)  # one archive write a minute per session, not per click


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class CurrentUser:
    username: str
    role: str

    def can(self, role: str) -> bool:
        """True when this user's role is at least ``role`` (viewer < archivist < admin)."""
        return _RANK.get(self.role, -1) >= _RANK[role]


def check_role(role: str) -> str:
    if role not in _RANK:
        raise BadArgsError(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    return role


# --- passwords ---------------------------------------------------------------------------

def check_password(password: str, *, username: str, role: str) -> None:
    """Refuse a weak password (BadArgsError saying why): too short for the role, common
    (zxcvbn's lists of leaked passwords, words, names, keyboard patterns, dates), or weak
    once the user name is taken out of it."""
    from zxcvbn import zxcvbn

    least = MIN_ADMIN_PASSWORD_LENGTH if role == "admin" else MIN_PASSWORD_LENGTH
    if len(password) < least:
        raise BadArgsError(f"password too short: a{'n' if role == 'admin' else ''} {role} "
                           f"needs at least {least} characters")
    without_name = password
    if len(username) >= 3:
        without_name = re.sub(re.escape(username), "", password, flags=re.IGNORECASE)
    for candidate in dict.fromkeys((password, without_name)):
        verdict = zxcvbn(candidate[:_ZXCVBN_MAX], user_inputs=[username, "daftar"])
        if verdict["score"] < MIN_STRENGTH:
            hint = verdict["feedback"]["warning"] or (
                "it is built on the user name" if candidate is without_name else "")
            raise BadArgsError("password too easy to guess" + (f": {hint}" if hint else "")
                               + "; try a few unrelated words (a passphrase)")


def hash_password(password: str, *, username: str, role: str) -> str:
    """The argon2 hash of ``password`` once it passes ``check_password``."""
    check_password(password, username=username, role=role)
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-work check of ``password`` against a stored argon2 hash (None = no account)."""
    try:
        _HASHER.verify(password_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return password_hash is not None


# --- CSRF --------------------------------------------------------------------------------

def csrf_token(session: dict) -> str:
    """The session's CSRF token, created on first use."""
    token = session.get(SESSION_CSRF)
    if not token:
        token = secrets.token_urlsafe(32)
        session[SESSION_CSRF] = token
    return token


def csrf_ok(session: dict, submitted: str | None) -> bool:
    expected = session.get(SESSION_CSRF)
    return bool(expected and submitted) and hmac.compare_digest(str(expected), str(submitted))


def load_secret_key(home: Path) -> str:
    """``DAFTAR_SECRET_KEY``, else a random key kept in ``<home>/webapp-secret`` (mode 0600).

    Kept on disk so sessions survive a restart of ``daftar serve``.
    """
    env = os.environ.get("DAFTAR_SECRET_KEY")
    if env:
        return env
    path = home / "webapp-secret"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    home.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another server process made it first: use theirs
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


# --- sessions ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Sessions:
    """Server-side sessions: ``cookie`` is the signed cookie's dict (``request.session``),
    ``store`` the open archive (``webapp.store.Store``)."""

    idle: dt.timedelta = IDLE_TIMEOUT
    absolute: dt.timedelta = ABSOLUTE_TIMEOUT
    clock: Callable[[], dt.datetime] = field(default=utcnow)

    def start(self, store: Any, cookie: dict, username: str) -> None:
        """Sign ``username`` in with a new session id: whatever id the cookie held before
        (set by anyone, even an attacker planting it) is ended and never reused."""
        old = cookie.get(SESSION_ID)
        if old:
            store.end_session(secret_digest(str(old)))
        now = self.clock()
        store.prune_sessions(created_before=iso(now - self.absolute),
                             seen_before=iso(now - self.idle))
        session_id = secrets.token_urlsafe(32)
        store.create_session(secret_digest(session_id), username, iso(now))
        cookie.clear()  # a fresh CSRF token too
        cookie[SESSION_ID] = session_id
        csrf_token(cookie)

    def username(self, store: Any, cookie: dict) -> str | None:
        """Who this cookie's session belongs to, if it is still signed in."""
        session_id = cookie.get(SESSION_ID)
        if not session_id:
            return None
        digest = secret_digest(str(session_id))
        record = store.get_session(digest)
        now = self.clock()
        if record is None or self._expired(record, now):
            if record is not None:
                store.end_session(digest)
            cookie.pop(SESSION_ID, None)
            return None
        if now - dt.datetime.fromisoformat(record.last_seen_at) >= _TOUCH_EVERY:
            store.touch_session(digest, iso(now))
        return record.username

    def _expired(self, record: Any, now: dt.datetime) -> bool:
        created = dt.datetime.fromisoformat(record.created_at)
        seen = dt.datetime.fromisoformat(record.last_seen_at)
        return now - created >= self.absolute or now - seen >= self.idle

    def end_all(self, store: Any, cookie: dict, username: str | None) -> None:
        """Sign out: every session of ``username`` ends (all browsers, all cookie copies)."""
        if username:
            store.end_sessions(username)
        elif cookie.get(SESSION_ID):
            store.end_session(secret_digest(str(cookie[SESSION_ID])))
        cookie.clear()


# --- throttling --------------------------------------------------------------------------

@dataclass(frozen=True)
class LoginThrottle:
    """Slows password guessing: ``per_account`` failed sign-ins for one account (from any
    address) or ``per_address`` from one address (for any accounts) within ``window``
    refuse further tries until the oldest of them leaves the window.

    Counted in the archive, so every server process and a restarted one share the count.
    The address is the TCP peer, or what a trusted proxy says (``daftar serve
    --trusted-proxy``): a client cannot pick it with ``X-Forwarded-For``.
    """

    per_account: int = 5
    per_address: int = 20
    window: dt.timedelta = dt.timedelta(minutes=5)
    clock: Callable[[], dt.datetime] = field(default=utcnow)

    def retry_after(self, store: Any, address: str, username: str) -> float:
        """Seconds until this address may try this account again (0: go ahead)."""
        now = self.clock()
        limit = max(self.per_account, self.per_address)
        account, from_address = store.login_failures(
            username=username, address=address, since=iso(now - self.window), limit=limit)
        waits = [dt.datetime.fromisoformat(times[allowed - 1]) + self.window - now
                 for times, allowed in ((account, self.per_account),
                                        (from_address, self.per_address))
                 if len(times) >= allowed]
        return max((w.total_seconds() for w in waits), default=0.0)

    def failed(self, store: Any, address: str, username: str) -> None:
        now = self.clock()
        store.add_login_failure(username, address, iso(now),
                                forget_before=iso(now - self.window))

    def succeeded(self, store: Any, address: str, username: str) -> None:
        store.clear_login_failures(username, address)


# --- HTTPS -------------------------------------------------------------------------------

HSTS = "max-age=31536000"  # a year; no includeSubDomains: other hosts of the domain are not ours


class SecureTransport:
    """ASGI middleware: on HTTPS requests, every cookie gets ``Secure`` and the response
    ``Strict-Transport-Security``.

    A request is HTTPS when ``always`` (``daftar serve --https``: TLS ends in front of the
    app) or when its scheme is https, which uvicorn sets from ``X-Forwarded-Proto`` only for
    a trusted proxy (``--trusted-proxy``). It sits outside the session middleware so it sees
    the session cookie.
    """

    def __init__(self, app: Any, *, always: bool = False) -> None:
        self.app, self.always = app, always

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not (self.always or scope.get("scheme") == "https"):
            await self.app(scope, receive, send)
            return

        async def secure_send(message: dict) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _secured(message.get("headers", []))
            await send(message)

        await self.app(scope, receive, secure_send)


def _secured(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    out = []
    for name, value in headers:
        attributes = [part.strip().lower() for part in value.split(b";")[1:]]
        if name.lower() == b"set-cookie" and b"secure" not in attributes:
            value += b"; Secure"
        if name.lower() != b"strict-transport-security":
            out.append((name, value))
    return out + [(b"strict-transport-security", HSTS.encode())]
