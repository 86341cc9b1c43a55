"""Accounts, sessions and CSRF for the review app.

Passwords are argon2 hashes (argon2-cffi). The session is a signed cookie (Starlette's
SessionMiddleware: itsdangerous, HttpOnly, SameSite=Lax) holding only the username and the
per-session CSRF token; the role is read from the archive on every request so that a changed
or removed account takes effect at once.
"""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from pipeline.errors import BadArgsError

ROLES = ("viewer", "archivist", "admin")
_RANK = {role: rank for rank, role in enumerate(ROLES)}
_HASHER = PasswordHasher()
# Verified against when the username is unknown, so both paths cost one argon2 verify and a
# stranger cannot tell existing accounts from missing ones by timing.
_DUMMY_HASH = _HASHER.hash("daftar-no-such-user")

CSRF_FIELD = "csrf_token"
SESSION_USER = "user"
SESSION_CSRF = "csrf"
MIN_PASSWORD_LENGTH = 8


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


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise BadArgsError(f"password too short: use at least {MIN_PASSWORD_LENGTH} characters")
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-work check of ``password`` against a stored argon2 hash (None = no account)."""
    try:
        _HASHER.verify(password_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return password_hash is not None


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


class LoginThrottle:
    """Slows password guessing: too many failed sign-ins for one account from one address
    (or from one address overall) within ``window_s`` refuse further tries for a while.

    Kept in memory, per server process: enough for an office tool behind one uvicorn.
    """

    def __init__(self, *, per_account: int = 5, per_address: int = 20, window_s: float = 300.0,
                 clock=None) -> None:
        import threading
        import time

        self.per_account, self.per_address, self.window_s = per_account, per_address, window_s
        self.clock = clock or time.monotonic
        self._failures: dict[tuple[str, str], list[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str]) -> list[float]:
        cutoff = self.clock() - self.window_s
        times = [t for t in self._failures.get(key, []) if t > cutoff]
        self._failures[key] = times
        return times

    def retry_after(self, address: str, username: str) -> float:
        """Seconds until this address may try this account again (0: go ahead)."""
        with self._lock:
            waits = []
            for key, limit in (((address, username.lower()), self.per_account),
                               ((address, ""), self.per_address)):
                times = self._recent(key)
                if len(times) >= limit:
                    waits.append(times[-limit] + self.window_s - self.clock())
            return max(waits, default=0.0)

    def failed(self, address: str, username: str) -> None:
        with self._lock:
            now = self.clock()
            for key in ((address, username.lower()), (address, "")):
                self._failures.setdefault(key, []).append(now)

    def succeeded(self, address: str, username: str) -> None:
        with self._lock:
            self._failures.pop((address, username.lower()), None)
