"""A temporary Prefect server for one ``daftar`` command, started before Prefect is imported.

With no ``PREFECT_API_URL``, Prefect starts a temporary server itself at the first flow call:
the calling process first imports the whole server application (~3 CPU-seconds), then
starts the server and waits for it (~4 s), all before the first task runs. Started here
instead, as the command begins, the server boots while the command imports the pipeline
and hashes its inputs, and the command never imports the server code at all: a batch's
first page is read about 5 s sooner (``bench/throughput.py``).

The server is the one Prefect's own temporary mode runs (``prefect.server.api.server``'s
``SubprocessASGIServer``: uvicorn over ``create_app``, UI off, ephemeral services only),
on a free loopback port, stopped when the command ends, and killed by the kernel when the
command is (SIGKILL, the OOM killer: ``_die_with_parent``). When ``PREFECT_API_URL`` is already
set (a shared server, see the README), nothing is started. This module must not import
Prefect: the address has to be in the environment before Prefect reads its settings.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from types import TracebackType

from pipeline import deathsig
from pipeline.errors import DaftarError, ExitCode

STARTUP_TIMEOUT_S = 180.0  # a first run creates Prefect's database; slow on a busy machine
STOP_TIMEOUT_S = 5.0
START_ATTEMPTS = 3  # a port taken between choosing it and binding it: try another
# What Prefect sets for its own temporary server (SubprocessASGIServer._run_uvicorn_command),
# and no telemetry: a batch has no business calling out (offices are often offline).
SERVER_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
              "PREFECT__SERVER_FINAL": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
# Defaults the user's environment may override. This server lives only as long as one
# command, and nobody reads its task-run history: recording every task run's events
# (persister, task-run recorder) and matching them against automations (triggers) cost
# ~40% of its CPU, taken from Tesseract. Flow runs, their states and the summary artifact
# are still stored. An office that wants task-level history runs a Prefect server of its
# own (PREFECT_API_URL, see the README), which this does not touch.
SERVER_DEFAULTS = {"PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED": "false",
                   "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": "false",
                   "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false"}
# The server takes the run's events in the background. At a lower priority it does so in
# the moments Tesseract leaves a core idle instead of taking the core from Tesseract; the
# flow never waits on it for more than a flow or sub-flow run's creation.
SERVER_NICENESS = 10


class PrefectServerError(DaftarError):
    """The temporary Prefect server did not come up."""

    exit_code = ExitCode.other_error
    reason = "prefect-server"


class TemporaryPrefectServer:
    """Start with ``start()`` (returns at once), ``wait_ready()`` before the first flow call,
    ``stop()`` at the end; also a context manager that stops it on exit."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None
        self.port: int | None = None
        self.started = False

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def start(self) -> "TemporaryPrefectServer":
        """Launch the server unless PREFECT_API_URL names one; sets PREFECT_API_URL.

        Also asks Prefect's client not to send usage analytics (``DO_NOT_TRACK``), unless
        the user's environment says otherwise: this runs before Prefect is imported.
        """
        os.environ.setdefault("DO_NOT_TRACK", "1")
        if os.environ.get("PREFECT_API_URL"):
            return self
        self._launch()
        os.environ["PREFECT_API_URL"] = self.api_url
        self.started = True
        return self

    def _launch(self) -> None:
        self.port = _free_port()
        command = [sys.executable, "-m", "uvicorn", "--factory",
                   "prefect.server.api.server:create_app", "--host", "127.0.0.1",
                   "--port", str(self.port), "--log-level", "error", "--lifespan", "on"]
        self.process = subprocess.Popen(command, env=server_environment(os.environ),
                                        stdin=subprocess.DEVNULL,
                                        preexec_fn=_server_preexec())

    def wait_ready(self, timeout_s: float = STARTUP_TIMEOUT_S) -> None:
        """Block until the server answers its health check; raise PrefectServerError if not."""
        if not self.started:
            return
        deadline = time.monotonic() + timeout_s
        attempts = 1
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                if attempts >= START_ATTEMPTS:
                    raise PrefectServerError(
                        f"the temporary Prefect server exited with status "
                        f"{self.process.returncode} (see the messages above)")
                attempts += 1
                self._launch()  # most likely the port was taken meanwhile
                os.environ["PREFECT_API_URL"] = self.api_url
                continue
            if _healthy(self.api_url):
                return
            time.sleep(0.05)
        self.stop()
        raise PrefectServerError(f"the temporary Prefect server did not answer within "
                                 f"{timeout_s:g} s (set PREFECT_API_URL to use a running one)")

    def client_settings(self) -> contextlib.AbstractContextManager:
        """Prefect settings for the flows run against this server (nothing to change when
        PREFECT_API_URL named another server).

        No flow-run heartbeats: they let a long-lived server mark a run whose process died
        as crashed, but this server dies with the process; and each flow's heartbeat thread
        costs up to a second to stop when its flow ends (two flows a batch).
        """
        if not self.started:
            return contextlib.nullcontext()
        from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

        return temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None})

    def stop(self) -> None:
        """Stop the server, after Prefect's background senders have delivered what they hold
        (otherwise they retry against a closed port at interpreter exit, for a minute)."""
        if self.process is not None and self.process.poll() is None:
            _drain_prefect_senders()
        process, self.process = self.process, None
        if self.started:
            os.environ.pop("PREFECT_API_URL", None)
            self.started = False
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def __enter__(self) -> "TemporaryPrefectServer":
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def _drain_prefect_senders(timeout_s: float = 30.0) -> None:
    """Flush Prefect's log and event workers, as ``prefect_test_harness`` does before it
    stops its server. Nothing to do when Prefect was never imported."""
    if "prefect" not in sys.modules:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        worker.drain_all(timeout=timeout_s)


def server_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The temporary server's environment: SERVER_DEFAULTS unless ``environ`` sets them,
    then ``environ``, then SERVER_ENV; never an API URL (it is the API)."""
    env = {**SERVER_DEFAULTS, **environ, **SERVER_ENV}
    env.pop("PREFECT_API_URL", None)
    return env


def _lower_priority() -> None:
    """In the server's process, before it starts: run at SERVER_NICENESS."""
    os.nice(SERVER_NICENESS)


_PR_SET_PDEATHSIG = deathsig.PR_SET_PDEATHSIG


def _server_preexec():
    """What the server's process does between fork and exec: lower its priority and, when
    the kernel can tell it and the caller is the main thread, die with the command.

    ``stop()`` ends the server when the command ends normally; a command killed outright
    (SIGKILL, the OOM killer) runs no code, and its server, 250 MiB, would live on. The
    kernel's parent-death signal covers that. It fires when the *thread* that started the
    server ends, so it is asked for only from the main thread, which lives as long as the
    process (the CLI starts the server there).
    """
    prctl = _prctl()
    if prctl is None or threading.current_thread() is not threading.main_thread():
        return _lower_priority
    parent = os.getpid()

    def preexec() -> None:
        _lower_priority()
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the command died before the signal was asked for
            os.kill(os.getpid(), signal.SIGKILL)

    return preexec


def _prctl():
    """libc's ``prctl`` (``pipeline.deathsig``), or None off Linux."""
    return deathsig.prctl()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=1.0) as answer:
            return answer.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


__all__ = ["PrefectServerError", "TemporaryPrefectServer", "server_environment"]
