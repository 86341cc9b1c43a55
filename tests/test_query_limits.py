"""Bounded queries (issue 13, item 3): every query is checked before it reaches the database,
reads made for a request stop at a time limit (503 with Retry-After) or when the client goes
away, and ``daftar serve`` stops at once even while a query runs.  Both backends.

The tester's numbers (20k documents, no limits): ``p*`` 2.4 s, ``p*`` with ``limit=200``
19.5 s, ``limit=1000&offset=9000`` over 60 s, ``p*`` twenty times 40 s, a 100,000-character
query still running after 11 minutes, 'pension' 300 times on PostgreSQL about 3 minutes.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient

from archive import SearchQuery, budget, open_archive
from archive import query as q
from archive.errors import QueryError
from archive.samples import make_record

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def location(request, tmp_path: Path) -> Iterator[str]:
    """An archive location on each backend, with a few documents."""
    if request.param == "sqlite":
        where = str(tmp_path / "archive.sqlite")
    else:
        schema = "limits_test_" + uuid.uuid4().hex[:12]
        where = f"{PG_URL}?schema={schema}"
    with open_archive(where, **({} if request.param == "sqlite" else
                                {"objects_dir": tmp_path / "objects"})) as archive:
        archive.ingest_many([make_record(f"pension-{i}", subject=f"Pension rules {i}",
                                         text=f"Pension and leave rules, circular {i}.")
                             for i in range(30)])
    yield where
    if request.param == "postgres":
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


# --- the query validator ----------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("x" * 1001, "1,001 characters long; the limit is 1,000"),
    ("(" * 3000 + "memo" + ")" * 3000, "the limit is 1,000 characters"),
    ("(" * 9 + "memo" + ")" * 9, "nested 9 deep; the limit is 8"),
    (" ".join(f"w{i}" for i in range(33)), "33 words; the limit is 32"),
    ("pension " * 100, "100 words; the limit is 32"),
    ('"' + " ".join(f"w{i}" for i in range(9)) + '"', "a phrase has 9 words; the limit is 8"),
    ("gov* ser* off* emp* dep*", "5 prefix searches (word*); the limit is 4"),
    ("p*", "at least 3 letters"),
    ("pe* OR rules", "at least 3 letters"),
    (" ".join(["p*"] * 20), "at least 3 letters"),
])
def test_queries_past_a_limit_are_refused_naming_it(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        q.parse(text)


def test_queries_within_the_limits_parse() -> None:
    assert q.parse("(" * 8 + "memo" + ")" * 8) == q.Term(("memo",))
    assert q.parse("pen*") == q.Term(("pen",), prefix=True)
    q.parse(" ".join(f"w{i}" for i in range(32)))
    q.parse('"' + " ".join(f"w{i}" for i in range(8)) + '" gov* ser* off* emp*')
    q.parse("m" * 1000)


def test_repeated_words_are_searched_once() -> None:
    assert q.parse("pension pension pension") == q.Term(("pension",))
    assert q.parse("leave OR leave OR rules") == q.Or((q.Term(("leave",)), q.Term(("rules",))))


@pytest.mark.parametrize("query, message", [
    (SearchQuery(text="pension", limit=101), "limit must be a whole number from 1 to 100"),
    (SearchQuery(text="pension", offset=10_001), "offset must be a whole number from 0 to 10,000"),
    (SearchQuery(place="x" * 50_000), "place filter is 50,000 characters long; the limit is 200"),
    (SearchQuery(issuer="%" * 50_000), "issuer filter is 50,000 characters long"),
    (SearchQuery(text="(" * 3000 + "a" + ")" * 3000), "limit is 1,000 characters"),
])
def test_the_archive_refuses_before_the_database(location: str, query: SearchQuery,
                                                 message: str) -> None:
    with open_archive(location) as archive:
        with pytest.raises(QueryError, match=re.escape(message)):
            archive.search(query)
        with pytest.raises(QueryError, match=re.escape(message)):
            archive.list_documents(filters=query, limit=query.limit, offset=query.offset)


# --- time limit and cancellation, on the backends ----------------------------------------

# Statements that never end on their own: what a runaway query looks like to the backend.
ENDLESS = {"sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                     "SELECT count(*) AS n FROM c",
           "postgres": "SELECT pg_sleep(600) AS n"}


def _backend(location: str) -> str:
    return "postgres" if location.startswith("postgresql") else "sqlite"


def test_a_read_past_its_time_limit_is_stopped(location: str) -> None:
    with open_archive(location) as archive:
        with budget.limited(0.3), pytest.raises(budget.QueryTimeoutError, match="longer than 0.3 s"):
            with archive._read() as tx:
                tx.one(ENDLESS[_backend(location)])
        # the connection is fine afterwards, and reads outside a request are not limited
        assert archive.search(SearchQuery(text="pension")).total == 30


def test_a_cancelled_read_stops_while_running(location: str) -> None:
    with open_archive(location) as archive:
        with budget.limited(600) as running:
            threading.Timer(0.3, running.cancel).start()
            with pytest.raises(budget.QueryTimeoutError, match="client went away"):
                with archive._read() as tx:
                    tx.one(ENDLESS[_backend(location)])
        assert archive.search(SearchQuery(text="pension")).total == 30


def test_cancel_all_stops_every_running_read(location: str) -> None:
    errors: list[Exception] = []
    started = threading.Barrier(3)

    def reader() -> None:
        with open_archive(location) as archive, budget.limited(600):
            started.wait()
            try:
                with archive._read() as tx:
                    tx.one(ENDLESS[_backend(location)])
            except budget.QueryTimeoutError as exc:
                errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    started.wait()
    while budget.cancel_all() < 2:  # until both budgets exist; then they are cancelled
        time.sleep(0.05)
    for thread in threads:
        thread.join(60)
    assert len(errors) == 2 and not any(t.is_alive() for t in threads)


def test_over_http_a_spent_budget_is_a_503_with_retry_after(location: str, tmp_path: Path,
                                                           monkeypatch) -> None:
    from archive.app import create_app

    monkeypatch.setenv(budget.TIME_LIMIT_ENV, "0")
    monkeypatch.delenv("DAFTAR_API_TOKEN", raising=False)
    from archive import open_archive
    from archive.access import new_token, secret_digest

    token = new_token()  # the API answers 401 without one
    with open_archive(location) as archive:
        archive.add_api_token("limits", secret_digest(token), "viewer", "2026-12-07T09:00:00")
    client = TestClient(create_app(location), headers={"Authorization": f"Bearer {token}"})
    response = client.get("/api/v1/search", params={"q": "pension"})
    assert response.status_code == 503
    assert response.headers["retry-after"] == str(budget.RETRY_AFTER_S)
    assert "longer than 0 s" in response.json()["detail"]


def test_the_review_app_answers_503_with_retry_after(location: str, tmp_path: Path,
                                                    monkeypatch, daftar_home: Path) -> None:
    from argon2 import PasswordHasher

    from webapp.app import create_app

    with open_archive(location) as archive:
        archive.add_user("alice", PasswordHasher(time_cost=1, memory_cost=1024,
                                                 parallelism=1).hash(PASSWORD), "archivist")
    client = TestClient(create_app(location, secret_key="limits-test-" + "k" * 40))
    _login(client)
    monkeypatch.setenv(budget.TIME_LIMIT_ENV, "0")
    slow = TestClient(create_app(location, secret_key="limits-test-" + "k" * 40),
                      cookies=client.cookies)
    response = slow.get("/search", params={"q": "pension"})
    assert response.status_code == 503
    assert response.headers["retry-after"] == str(budget.RETRY_AFTER_S)


PASSWORD = "archivist-password-long"


def _login(client) -> None:
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post("/login", data={"username": "alice", "password": PASSWORD,
                                         "csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303, answer.text


# --- a real server: client disconnects, shutdown mid-query (PostgreSQL) --------------------
# A test holding an ACCESS EXCLUSIVE lock on the full-text table makes any search wait: a
# query that runs as long as the test wants, through the real app and archive.

@pytest.fixture
def pg_server(tmp_path: Path) -> Iterator[dict]:
    from tests.test_browser import _free_port, _wait_until_up
    from webapp import auth

    schema = "limits_srv_" + uuid.uuid4().hex[:12]
    where = f"{PG_URL}?schema={schema}"
    with open_archive(where, objects_dir=tmp_path / "objects") as archive:
        archive.ingest_many([make_record(f"pension-{i}", subject=f"Pension rules {i}")
                             for i in range(5)])
        archive.add_user("alice", auth.hash_password(PASSWORD, username="alice", role="archivist"), "archivist")
    port = _free_port()
    env = {**os.environ, "DAFTAR_HOME": str(tmp_path), budget.TIME_LIMIT_ENV: "300",
           "DAFTAR_SECRET_KEY": "limits-server-" + "s" * 40}
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "webapp.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--archive", where], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, tmp_path / "server.log")
        client = httpx.Client(base_url=url)
        _login(client)
        yield {"url": url, "port": port, "schema": schema, "process": process,
               "cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items()),
               "log": tmp_path / "server.log"}
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
        log.close()
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _lock(schema: str) -> psycopg.Connection:
    conn = psycopg.connect(PG_URL)
    conn.execute(f'LOCK TABLE "{schema}".doc_text, "{schema}".documents IN ACCESS EXCLUSIVE MODE')
    return conn  # in a transaction until closed


def _waiting_searches(schema: str) -> int:
    """Server statements waiting for the test's lock (one per search in flight)."""
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
            "AND wait_event_type = 'Lock' AND query LIKE %s",
            (f"%INSERT INTO search_window%",)).fetchone()[0]


def _wait_for(condition, what: str, seconds: float = 60) -> None:
    """Poll until ``condition()``; the ceiling only stops a broken test from hanging."""
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"still waiting for {what} after {seconds} s")
        time.sleep(0.1)


def _send_search(server: dict) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server["port"]))
    sock.sendall((f"GET /search?q=pension HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  f"Cookie: {server['cookie']}\r\n\r\n").encode())
    return sock


@pytest.mark.postgres
def test_a_search_is_cancelled_when_its_client_goes_away(pg_server: dict) -> None:
    lock = _lock(pg_server["schema"])
    try:
        sock = _send_search(pg_server)
        _wait_for(lambda: _waiting_searches(pg_server["schema"]) == 1, "the search to start")
        sock.close()  # the client gives up; the lock is still held, so only a cancel ends it
        _wait_for(lambda: _waiting_searches(pg_server["schema"]) == 0,
                  "the server to cancel the abandoned search (its time limit is 300 s)")
    finally:
        lock.close()
    answer = httpx.get(pg_server["url"] + "/search", params={"q": "pension"},
                       headers={"Cookie": pg_server["cookie"]})
    assert answer.status_code == 200 and "Pension rules" in answer.text


@pytest.mark.postgres
def test_serve_stops_at_once_during_a_long_query(pg_server: dict) -> None:
    lock = _lock(pg_server["schema"])
    try:
        sock = _send_search(pg_server)
        _wait_for(lambda: _waiting_searches(pg_server["schema"]) == 1, "the search to start")
        asked = time.monotonic()
        pg_server["process"].send_signal(signal.SIGTERM)
        pg_server["process"].wait(timeout=60)
        took = time.monotonic() - asked
        sock.settimeout(10)
        answer = sock.recv(4096).decode(errors="replace")
        sock.close()
    finally:
        lock.close()
    # The query waited on a lock with a 300 s limit: only the cancel explains the stop.
    print(f"serve stopped {took:.2f} s after SIGTERM with a query in flight")
    assert answer == "" or answer.startswith("HTTP/1.1 503"), answer
    assert _waiting_searches(pg_server["schema"]) == 0
    assert "Shutting down" in pg_server["log"].read_text()
