"""Who may use Daftar (issue 13, items 1, 5, 6, 7), each of the tester's findings as a test.

The review app and the API over real SQLite and PostgreSQL archives (TestClient), and real
``daftar serve`` processes (uvicorn) where the behaviour is uvicorn's: forwarded headers, a
restart, Secure cookies. Accounts in the served archives have real argon2 hashes at a low
cost (verification takes the cost from the hash; the policy tests use the production one).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import typer
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from archive import open_archive
from archive.access import secret_digest
from pipeline.errors import ExitCode
from test_webapp import (  # noqa: F401 - password_hashes is a fixture
    PASSWORDS, Env, any_env, csrf_of, env, form_of, login, password_hashes, post_form,
    replace,
)
from webapp import auth
from webapp.app import create_app
from webapp.cli import register

ROOT = Path(__file__).resolve().parent.parent
SECRET = "access-test-" + "k" * 40


def cli(*args: str, input: str | None = None):
    app = typer.Typer()
    register(app)
    return CliRunner().invoke(app, list(args), input=input)


# --- 1. the API needs a token or a session ------------------------------------------------------

def test_unauthenticated_api_requests_get_401_on_both_backends(any_env: Env) -> None:
    """The tester's finding: /api/v1/documents and an original answered anyone with 200."""
    stranger = any_env.client()
    for path in ("/api/v1/documents", f"/api/v1/documents/{any_env.memo}/original",
                 f"/api/v1/documents/{any_env.memo}", "/api/v1/search?q=media"):
        assert stranger.get(path).status_code == 401, path
    assert any_env.client("victor").get("/api/v1/documents").status_code == 200


def test_tokens_are_created_listed_used_and_revoked(any_env: Env) -> None:
    env = any_env
    made = cli("token", "create", "--name", "records-office", "--role", "viewer",
               "--archive", env.location)
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[0]
    assert token.startswith("daftar_") and len(token) > 40
    with env.archive() as archive, archive._read() as tx:
        stored = tx.all("SELECT * FROM api_tokens")
    assert len(stored) == 1 and stored[0]["token_hash"] == secret_digest(token)
    assert token not in repr(stored)  # hashed at rest

    listed = cli("token", "list", "--archive", env.location).stdout
    assert "records-office" in listed and "viewer" in listed and "never" in listed
    bearer = {"Authorization": f"Bearer {token}"}
    assert env.client().get(f"/api/v1/documents/{env.memo}/original", headers=bearer).status_code == 200
    listed = cli("token", "list", "--archive", env.location).stdout
    assert "never" not in listed  # the last use is recorded
    with env.archive() as archive:
        assert archive.api_tokens()[0].last_used_at is not None

    again = cli("token", "create", "--name", "records-office", "--archive", env.location)
    assert again.exit_code == ExitCode.bad_args and "exists" in again.output
    admin = cli("token", "create", "--name", "root", "--role", "admin", "--archive", env.location)
    assert admin.exit_code == ExitCode.bad_args
    assert cli("token", "revoke", "records-office", "--archive", env.location).exit_code == 0
    assert env.client().get("/api/v1/documents", headers=bearer).status_code == 401
    gone = cli("token", "revoke", "records-office", "--archive", env.location)
    assert gone.exit_code == ExitCode.not_found


# --- 5. sessions are records in the archive --------------------------------------------------

def test_a_cookie_copied_before_logout_neither_reads_nor_saves(any_env: Env) -> None:
    """The tester's finding: a copied cookie still loaded /queue and saved after logout."""
    env = any_env
    alice = env.client("alice")
    pairs, _ = form_of(alice, env.memo)
    copy = TestClient(env.app, cookies=dict(alice.cookies))
    assert copy.get("/queue", follow_redirects=False).status_code == 200  # a working copy

    token = csrf_of(alice.get("/queue").text)
    assert alice.post("/logout", data={"csrf_token": token},
                      follow_redirects=False).status_code == 303
    assert copy.get("/queue", follow_redirects=False).headers["location"].startswith("/login")
    before = env.current(env.memo)
    saved = post_form(copy, f"/documents/{env.memo}/save",
                      replace(pairs, "f.date", "2021-08-15", "1999-01-01"))
    assert saved.status_code == 401
    assert env.current(env.memo).version == before.version
    assert copy.get("/api/v1/documents").status_code == 401


def test_logout_ends_every_session_of_the_user(env: Env) -> None:
    office, home = env.client("alice"), env.client("alice")
    token = csrf_of(office.get("/queue").text)
    office.post("/logout", data={"csrf_token": token})
    assert home.get("/queue", follow_redirects=False).status_code == 303


def test_the_session_id_is_new_at_every_sign_in(env: Env) -> None:
    client = env.client("alice")
    earlier = TestClient(env.app, cookies=dict(client.cookies))
    assert login(client, "alice", PASSWORDS["alice"]).status_code == 303
    assert earlier.get("/queue", follow_redirects=False).status_code == 303  # ended
    assert client.get("/queue", follow_redirects=False).status_code == 200
    with env.archive() as archive, archive._read() as tx:
        assert tx.one("SELECT count(*) AS n FROM sessions")["n"] == 1


def test_sessions_are_shared_by_server_processes(env: Env) -> None:
    """Another worker (or a restarted one) with the same key sees the same sessions."""
    alice = env.client("alice")
    other = TestClient(create_app(env.location, secret_key=SECRET),
                       cookies=dict(alice.cookies))
    other_worker = Env(env.location, [env.memo, env.circular, env.hostile],
                       create_app(env.location, secret_key="test-secret-" + "k" * 40))
    elsewhere = TestClient(other_worker.app, cookies=dict(alice.cookies))
    assert elsewhere.get("/queue", follow_redirects=False).status_code == 200
    assert other.get("/queue", follow_redirects=False).status_code == 303  # other key: no
    token = csrf_of(elsewhere.get("/queue").text)
    elsewhere.post("/logout", data={"csrf_token": token})
    assert alice.get("/queue", follow_redirects=False).status_code == 303


def test_password_change_and_disabling_end_every_session(any_env: Env) -> None:
    env = any_env
    alice, victor = env.client("alice"), env.client("victor")
    changed = cli("user", "password", "alice", "--password-stdin", "--archive", env.location,
                  input="copper-lantern-harbour\n")
    assert changed.exit_code == 0, changed.output
    assert alice.get("/queue", follow_redirects=False).status_code == 303
    assert login(env.client(), "alice", "copper-lantern-harbour").status_code == 303
    weak = cli("user", "password", "alice", "--password-stdin", "--archive", env.location,
               input="password\n")
    assert weak.exit_code == ExitCode.bad_args and "too easy" in weak.output

    assert cli("user", "disable", "victor", "--archive", env.location).exit_code == 0
    assert victor.get("/queue", follow_redirects=False).status_code == 303
    assert "victor</td><td><span class=\"role role-viewer\">viewer</span> <span class=\"muted\">(disabled)" \
        in env.client("ada").get("/admin/users").text
    refused = login(env.client(), "victor", PASSWORDS["victor"])
    assert refused.status_code == 403 and "disabled" in refused.text
    assert cli("user", "enable", "victor", "--archive", env.location).exit_code == 0
    assert login(env.client(), "victor", PASSWORDS["victor"]).status_code == 303
    assert cli("user", "disable", "nobody", "--archive", env.location).exit_code == ExitCode.not_found


@pytest.mark.parametrize("later, signed_in", [
    (dt.timedelta(minutes=59), True),
    (dt.timedelta(minutes=61), False),  # idle for more than an hour
])
def test_an_idle_session_ends(env: Env, later: dt.timedelta, signed_in: bool) -> None:
    now = [dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.timezone.utc)]
    app = create_app(env.location, secret_key=SECRET, sessions=auth.Sessions(clock=lambda: now[0]))
    client = Env(env.location, [env.memo, env.circular, env.hostile], app).client("alice")
    now[0] += later
    expected = 200 if signed_in else 303
    assert client.get("/queue", follow_redirects=False).status_code == expected


def test_an_active_session_still_ends_after_a_working_day(env: Env) -> None:
    now = [dt.datetime(2026, 12, 5, 8, 0, tzinfo=dt.timezone.utc)]
    app = create_app(env.location, secret_key=SECRET, sessions=auth.Sessions(clock=lambda: now[0]))
    client = Env(env.location, [env.memo, env.circular, env.hostile], app).client("alice")
    for _ in range(23):  # a click every half hour keeps it from idling
        now[0] += dt.timedelta(minutes=30)
        assert client.get("/queue", follow_redirects=False).status_code == 200
    now[0] += dt.timedelta(minutes=30)  # 12 hours after sign-in
    assert client.get("/queue", follow_redirects=False).status_code == 303


# --- 6 and 7: real servers ------------------------------------------------------------------

CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@dataclass
class Served:
    url: str
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served_archive(tmp_path: Path) -> str:
    location = str(tmp_path / "archive.sqlite")
    with open_archive(location) as archive:
        archive.add_user("alice", CHEAP.hash(PASSWORDS["alice"]), "archivist")
    return location


@pytest.fixture
def serve(tmp_path: Path) -> Iterator:
    """Start ``daftar serve`` (``python -m webapp.cli serve``) with extra options."""
    started: list[Served] = []

    def start(location: str, *options: str, env: dict | None = None) -> Served:
        port = _free_port()
        log = tmp_path / f"serve-{len(started)}.log"
        environment = {key: value for key, value in os.environ.items()
                       if key not in ("DAFTAR_API_TOKEN", "DAFTAR_HTTPS")}
        environment.update({"DAFTAR_HOME": str(tmp_path / "home"), "DAFTAR_SECRET_KEY": SECRET,
                            **(env or {})})
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "webapp.cli", "serve", "--port", str(port),
                 "--archive", location, *options],
                cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT)
        served = Served(f"http://127.0.0.1:{port}", process, log)
        started.append(served)
        for _ in range(300):
            if process.poll() is not None:
                return served  # exited: the test reads why
            try:
                httpx.get(served.url + "/login", timeout=1.0)
                return served
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("server did not start: " + log.read_text())

    yield start
    for served in started:
        if served.process.poll() is None:
            served.process.terminate()
            served.process.wait(timeout=20)


def _sign_in(client: httpx.Client, user: str, password: str,
             headers: dict | None = None) -> httpx.Response:
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": user, "password": password,
                                       "csrf_token": token}, headers=headers or {})


def _stop(served: Served) -> None:
    served.process.terminate()
    served.process.wait(timeout=20)


def test_forwarded_addresses_do_not_escape_the_throttle_and_it_survives_a_restart(
        serve, served_archive: str) -> None:
    """The tester's finding: 60 guesses with made-up X-Forwarded-For all got 401, never 429,
    and a restart cleared the lockout."""
    served = serve(served_archive)
    answers = []
    with httpx.Client(base_url=served.url) as client:
        for i in range(60):  # other accounts each time, so only the address can stop it
            answers.append(_sign_in(client, f"user{i}", "guess",
                                    {"X-Forwarded-For": f"10.{i}.0.1"}).status_code)
    assert answers[:20] == [401] * 20 and set(answers[20:]) == {429}
    _stop(served)

    restarted = serve(served_archive)
    with httpx.Client(base_url=restarted.url) as client:
        still = _sign_in(client, "alice", PASSWORDS["alice"])  # even the right password
    assert still.status_code == 429 and int(still.headers["retry-after"]) > 0


def test_a_trusted_proxy_names_the_client_but_the_account_limit_holds(
        serve, served_archive: str) -> None:
    served = serve(served_archive, "--trusted-proxy", "127.0.0.1")
    with httpx.Client(base_url=served.url) as client:
        others = [_sign_in(client, f"user{i}", "guess", {"X-Forwarded-For": f"10.{i}.0.1"})
                  .status_code for i in range(25)]
        guesses = [_sign_in(client, "alice", f"guess-{i}", {"X-Forwarded-For": f"10.9.{i}.1"})
                   .status_code for i in range(6)]
    assert set(others) == {401}  # 25 addresses, one guess each
    assert guesses == [401] * 5 + [429]  # one account, from any address


def test_https_marks_cookies_secure_and_sends_hsts(serve, served_archive: str) -> None:
    served = serve(served_archive, "--https")
    response = httpx.get(served.url + "/login")
    assert "secure" in [a.strip().lower() for a in response.headers["set-cookie"].split(";")]
    assert response.headers["strict-transport-security"].startswith("max-age=")


def test_only_a_trusted_proxy_can_say_the_request_came_over_https(
        serve, served_archive: str) -> None:
    https = {"X-Forwarded-Proto": "https"}
    untrusted = serve(served_archive)
    claimed = httpx.get(untrusted.url + "/login", headers=https)
    assert "secure" not in claimed.headers["set-cookie"].lower()
    assert "strict-transport-security" not in claimed.headers

    behind_proxy = serve(served_archive, "--trusted-proxy", "127.0.0.1")
    proxied = httpx.get(behind_proxy.url + "/login", headers=https)
    assert "secure" in proxied.headers["set-cookie"].lower()
    assert "strict-transport-security" in proxied.headers
    plain = httpx.get(behind_proxy.url + "/login")
    assert "secure" not in plain.headers["set-cookie"].lower()


def test_public_read_is_announced_and_opens_reading_only(serve, served_archive: str) -> None:
    served = serve(served_archive, "--public-read")
    assert httpx.get(served.url + "/api/v1/documents").status_code == 200
    assert "OPEN FOR READING TO ANYONE" in served.output()
    closed = serve(served_archive)
    assert httpx.get(closed.url + "/api/v1/documents").status_code == 401
    assert "OPEN" not in closed.output()


def test_serve_refuses_to_start_with_the_retired_token_variable(serve, served_archive: str) -> None:
    served = serve(served_archive, env={"DAFTAR_API_TOKEN": "s3cret"})
    assert served.process.wait(timeout=60) == ExitCode.bad_args
    assert "daftar token create" in served.output()


def test_an_archive_from_before_access_records_keeps_its_accounts(tmp_path: Path,
                                                                  monkeypatch) -> None:
    from archive import sqlite

    full = list(sqlite.MIGRATIONS)
    monkeypatch.setattr(sqlite, "MIGRATIONS", full[:2])
    location = str(tmp_path / "old.sqlite")
    with open_archive(location) as old, old._write() as tx:
        tx.execute("INSERT INTO users (username, password_hash, role, created_at) "
                   "VALUES ('alice', ?, 'archivist', '2026-01-01')", (CHEAP.hash(PASSWORDS["alice"]),))
    monkeypatch.setattr(sqlite, "MIGRATIONS", full)
    with open_archive(location) as upgraded:
        assert upgraded.get_user("alice").disabled is False
    app = create_app(location, secret_key=SECRET)
    assert login(TestClient(app), "alice", PASSWORDS["alice"]).status_code == 303
