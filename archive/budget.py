"""Time limits for archive reads made on behalf of HTTP requests, and their cancellation.

A ``Budget`` is a deadline plus a cancel switch.  ``limited()`` makes one current (a
context variable, so it follows a request into the thread pool that runs its route); the
archive backends honour the current budget on every read: SQLite through a progress
handler that interrupts the statement, PostgreSQL through ``statement_timeout`` and a cancel
request.  Without a current budget (the CLI, ingest) reads are not limited.

``BudgetMiddleware`` gives every HTTP request a budget and cancels it when the client goes
away before the answer is sent; ``cancel_all()`` (called when the server is told to stop)
cancels every running one, so ``daftar serve`` stops within seconds even mid-query.  A read
that runs out raises ``QueryTimeoutError``: 503 with ``Retry-After`` over HTTP.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from pipeline.errors import ArchiveError

# The slowest legitimate searches measured on 100k documents (bench/archive.py) take about
# 1 s on PostgreSQL and 70 ms on SQLite; five times the slower is still a wait a person
# sits through, and a hostile query costs at most this.
QUERY_TIME_LIMIT_S = 5.0
RETRY_AFTER_S = 30


class QueryTimeoutError(ArchiveError):
    """A read ran past its time limit, or its client went away (the read was stopped)."""

    reason = "query-timeout"


class Budget:
    """A deadline and a cancel switch for the reads of one request."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.cancelled = False
        self._lock = threading.Lock()
        self._cancellers: set[Callable[[], Any]] = set()

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def expired(self) -> bool:
        return self.cancelled or time.monotonic() >= self.deadline

    def check(self) -> None:
        """Raise QueryTimeoutError once the budget is spent or cancelled."""
        if self.expired():
            raise self.error()

    def error(self) -> QueryTimeoutError:
        """The error for a read this budget stopped."""
        if self.cancelled:
            return QueryTimeoutError("the search was stopped: its client went away or the "
                                     "server is shutting down")
        return QueryTimeoutError(f"the search took longer than {self.seconds:g} s and was "
                                 "stopped: narrow it (fewer or longer words, a filter)")

    def cancel(self) -> None:
        """Stop the reads: the next check fails and running statements are cancelled."""
        with self._lock:
            self.cancelled = True
            cancellers = list(self._cancellers)
        for cancel in cancellers:
            # a PostgreSQL cancel request is a network round trip: not on the event loop
            threading.Thread(target=_quietly, args=(cancel,), daemon=True,
                             name="daftar-cancel").start()

    @contextmanager
    def on_cancel(self, cancel: Callable[[], Any]) -> Iterator[None]:
        """While the block runs, ``cancel()`` also calls ``cancel`` (a connection's cancel).

        Never after the block: the connection then serves other reads.
        """
        guard = _Guarded(cancel)
        with self._lock:
            self._cancellers.add(guard)
            already = self.cancelled
        if already:
            guard()
        try:
            yield
        finally:
            with self._lock:
                self._cancellers.discard(guard)
            guard.close()


class _Guarded:
    """A cancel function that does nothing once closed (and waits for a running call)."""

    def __init__(self, cancel: Callable[[], Any]) -> None:
        self.cancel = cancel
        self.lock = threading.Lock()
        self.open = True

    def __call__(self) -> None:
        with self.lock:
            if self.open:
                _quietly(self.cancel)

    def close(self) -> None:
        with self.lock:
            self.open = False


_current: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("daftar_budget",
                                                                         default=None)
_live: "weakref.WeakSet[Budget]" = weakref.WeakSet()
_live_lock = threading.Lock()


def current() -> Budget | None:
    """The budget of the request being served, None outside one."""
    return _current.get()


@contextmanager
def limited(seconds: float = QUERY_TIME_LIMIT_S) -> Iterator[Budget]:
    """Make a new budget current for the block."""
    budget = Budget(seconds)
    with _live_lock:
        _live.add(budget)
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)
        with _live_lock:
            _live.discard(budget)


def cancel_all() -> int:
    """Cancel every running budget (server shutdown); returns how many there were."""
    with _live_lock:
        running = list(_live)
    for budget in running:
        budget.cancel()
    return len(running)


def _quietly(cancel: Callable[[], Any]) -> None:
    try:
        cancel()
    except Exception:  # noqa: BLE001 - the connection may have finished or closed meanwhile
        pass


class BudgetMiddleware:
    """ASGI middleware: each HTTP request's reads get ``seconds``, and stop when its client
    disconnects before the response is complete.

    The client's messages are read by a task of our own and handed on, so a disconnect is
    seen while the route is still working (uvicorn reports it as ``http.disconnect``).
    """

    def __init__(self, app: Any, seconds: float = QUERY_TIME_LIMIT_S) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        inbox: asyncio.Queue = asyncio.Queue()
        state = {"answered": False, "gone": False}
        with limited(self.seconds) as budget:

            async def pump() -> None:
                while True:
                    message = await receive()
                    await inbox.put(message)
                    if message["type"] == "http.disconnect":
                        state["gone"] = True
                        if not state["answered"]:
                            budget.cancel()
                        return

            async def relay_receive() -> dict:
                if state["gone"] and inbox.empty():
                    return {"type": "http.disconnect"}
                return await inbox.get()

            async def relay_send(message: dict) -> None:
                if message["type"] == "http.response.body" and not message.get("more_body"):
                    state["answered"] = True
                await send(message)

            reader = asyncio.create_task(pump())
            try:
                await self.app(scope, relay_receive, relay_send)
            finally:
                reader.cancel()


SHUTDOWN_GRACE_S = 3.0  # after a stop signal, what requests still get before they are cut


def run_server(app: Any, **options: Any) -> None:
    """``uvicorn.run(app, **options)`` for one process, except that a stop signal (Ctrl-C,
    SIGTERM) first cancels every running read and in-flight requests then get at most
    SHUTDOWN_GRACE_S: uvicorn alone waits for the slowest request, however long it runs."""
    import uvicorn

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            cancel_all()
            super().handle_exit(sig, frame)

    options.setdefault("timeout_graceful_shutdown", SHUTDOWN_GRACE_S)
    server = Server(uvicorn.Config(app, **options))
    server.run()
    if not server.started:
        raise SystemExit(3)  # uvicorn's own exit status when it cannot start (port taken)


TIME_LIMIT_ENV = "DAFTAR_QUERY_TIMEOUT"


def time_limit_from_env() -> float:
    """Seconds a request's reads may take: ``DAFTAR_QUERY_TIMEOUT`` or QUERY_TIME_LIMIT_S."""
    import os

    raw = os.environ.get(TIME_LIMIT_ENV, "").strip()
    if not raw:
        return QUERY_TIME_LIMIT_S
    try:
        seconds = float(raw)
    except ValueError:
        raise ArchiveError(f"{TIME_LIMIT_ENV} must be a number of seconds, not {raw!r}") from None
    if not 0 <= seconds <= 3600:
        raise ArchiveError(f"{TIME_LIMIT_ENV} must be from 0 to 3600 seconds, not {raw!r}")
    return seconds
