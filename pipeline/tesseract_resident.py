"""Resident Tesseract processes: the language model loaded once per process, not per page.

Every ``tesseract`` run first loads its language model and starts up, ~0.13 CPU-s of the
~1.1 s a 300-dpi page costs on these machines. A resident process (``_tesseract_child.py``)
drives libtesseract's C API with the same call and renderers as the program, so its TSV is
byte for byte the program's (tested), and keeps the model between pages.

It stays a separate process, as the program was: a crash or a runaway page kills the child,
never Daftar (``OcrCrashError`` / ``OcrTimeoutError``, the same as for the program), and the
next page starts a fresh one. Children live in a pool shared by the threads of a process
(one per page being read at once), end when their parent closes their input (at exit, a
multiprocessing worker's exit included) or dies, even in the middle of a page (each child
watches its parent's pidfd: ``_tesseract_child.exit_with_parent``), and are never shared
across a fork.

``DAFTAR_TESSERACT=program`` turns this off and runs the ``tesseract`` program per page; so
does a machine without a loadable libtesseract (noted once in the log).
"""

from __future__ import annotations

import atexit
import json
import logging
import multiprocessing.util
import os
import select
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from pipeline.errors import OcrCrashError, OcrEngineError, OcrTimeoutError

CHILD_SCRIPT = Path(__file__).with_name("_tesseract_child.py")
START_TIMEOUT_S = 30.0
STDERR_TAIL_BYTES = 600
ENGINE_SETTING = "DAFTAR_TESSERACT"  # "program": one tesseract run per page instead

_log = logging.getLogger(__name__)


class EngineUnavailable(Exception):
    """libtesseract cannot be driven here: use the ``tesseract`` program instead."""


class ResidentTesseract:
    """One child process and the pipes to it; used by one thread at a time."""

    def __init__(self) -> None:
        self.owner_pid = os.getpid()
        self._stderr = _append_only_temp_file()
        self._buffer = b""
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(CHILD_SCRIPT), str(self.owner_pid)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._stderr, bufsize=0,
            env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        )
        try:
            ready = self._reply(START_TIMEOUT_S, image="(start-up)")
        except OcrEngineError as exc:
            self.close()
            raise EngineUnavailable(str(exc)) from exc
        if not ready.get("ok"):
            self.close()
            raise EngineUnavailable(ready.get("error", "resident tesseract did not start"))

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def recognise(self, job: dict, timeout_s: float) -> None:
        """Run one page job; raise an ``OcrEngineError`` kind when it fails."""
        os.ftruncate(self._stderr, 0)
        try:
            self.process.stdin.write((json.dumps(job) + "\n").encode())
        except (BrokenPipeError, OSError):
            raise self._ended(job["image"]) from None
        reply = self._reply(timeout_s, job["image"])
        if not reply.get("ok"):
            raise OcrEngineError(f"tesseract failed: {reply.get('error')}{self._stderr_tail()}",
                                 path=job["image"])

    def close(self) -> None:
        """Ask the child to finish (end of its input); kill it if it does not."""
        if self.owner_pid == os.getpid() and self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream and not stream.closed:
                stream.close()
        if self._stderr >= 0:
            os.close(self._stderr)
            self._stderr = -1

    def _reply(self, timeout_s: float, image: str) -> dict:
        deadline = time.monotonic() + timeout_s
        fd = self.process.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                self.process.kill()
                self.process.wait()
                raise OcrTimeoutError(f"tesseract timed out after {timeout_s:g} s", path=image)
            chunk = os.read(fd, 4096)
            if not chunk:
                raise self._ended(image)
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            return json.loads(line)
        except ValueError:
            self.process.kill()
            raise self._ended(image) from None

    def _ended(self, image: str) -> OcrEngineError:
        status = self.process.wait()
        # A negative status is death by signal (a crash, the OOM killer), as for the program.
        kind = OcrCrashError if status < 0 else OcrEngineError
        return kind(f"tesseract exited with status {status}{self._stderr_tail()}", path=image)

    def _stderr_tail(self) -> str:
        size = os.fstat(self._stderr).st_size
        text = os.pread(self._stderr, STDERR_TAIL_BYTES, max(0, size - STDERR_TAIL_BYTES))
        text = " ".join(text.decode("utf-8", "replace").split())
        return f": {text}" if text else ""


def _append_only_temp_file() -> int:
    """A nameless file the child appends its stderr to, emptied before each page."""
    fd, path = tempfile.mkstemp(prefix="daftar-tesseract-", suffix=".log")
    os.close(fd)
    try:
        # O_APPEND: after the parent truncates it, the child's next write lands at the start.
        return os.open(path, os.O_RDWR | os.O_APPEND)
    finally:
        os.unlink(path)


class _Pool:
    """Idle children of this process; a thread takes one (or starts one) per page."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: list[ResidentTesseract] = []
        self.unavailable: str | None = None

    def take(self) -> ResidentTesseract:
        with self.lock:
            if self.idle:
                return self.idle.pop()
        return ResidentTesseract()

    def give_back(self, engine: ResidentTesseract) -> None:
        if not engine.alive or engine.owner_pid != os.getpid():
            engine.close()
            return
        with self.lock:
            self.idle.append(engine)

    def close_all(self) -> None:
        with self.lock:
            engines, self.idle = self.idle, []
        for engine in engines:
            engine.close()

    def forget_after_fork(self) -> None:
        # The forked child shares the parent's pipes: it must neither use nor close them.
        self.lock = threading.Lock()
        self.idle = []


def _close_at_worker_exit(pool: _Pool) -> None:
    # A multiprocessing worker leaves by os._exit, past atexit: its finalizers are what run.
    # A worker clears those it inherited, hence again after each fork.
    multiprocessing.util.Finalize(pool, pool.close_all, exitpriority=10)


_pool = _Pool()
atexit.register(_pool.close_all)
os.register_at_fork(after_in_child=_pool.forget_after_fork)
_close_at_worker_exit(_pool)  # also when first imported inside a worker
multiprocessing.util.register_after_fork(_pool, _close_at_worker_exit)


def enabled() -> bool:
    """Whether pages go to resident processes (else to one ``tesseract`` run each)."""
    return os.environ.get(ENGINE_SETTING, "resident") != "program" and _pool.unavailable is None


def recognise(image: str, out_base: str, languages: str, psm: int, dpi: int | None,
              pdf: bool, textonly: bool, timeout_s: float) -> bool:
    """OCR one page image into ``out_base.tsv`` (and ``.pdf``); False if not available here.

    Raises ``OcrTimeoutError``, ``OcrCrashError`` or ``OcrEngineError`` as a ``tesseract``
    run would.
    """
    if not enabled():
        return False
    job = {"image": image, "out_base": out_base, "languages": languages, "psm": psm,
           "dpi": dpi, "pdf": pdf, "textonly": textonly}
    try:
        engine = _pool.take()
    except EngineUnavailable as exc:
        _pool.unavailable = str(exc)
        _log.warning("resident Tesseract unavailable, running the tesseract program per page: %s",
                     exc)
        return False
    try:
        engine.recognise(job, timeout_s)
    finally:
        _pool.give_back(engine)
    return True


def children_cpu_seconds() -> float:
    """CPU seconds this process's idle resident children have used so far (Linux /proc).

    A child's time reaches ``getrusage(RUSAGE_CHILDREN)`` only once it ends and is waited
    for; benchmarks that time pages while the children live add this.
    """
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    with _pool.lock:
        pids = [engine.process.pid for engine in _pool.idle]
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def shutdown() -> None:
    """End this process's idle children now (they also end when it exits)."""
    _pool.close_all()


__all__ = ["ENGINE_SETTING", "children_cpu_seconds", "enabled", "recognise", "shutdown"]
