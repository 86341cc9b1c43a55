"""A child process that dies with its parent, however the parent dies (Linux).

Daftar starts programs (Tesseract runs, Prefect's temporary server) that must not outlive a
command killed outright: SIGKILL and the OOM killer run no cleanup code. The kernel's
parent-death signal (``prctl(PR_SET_PDEATHSIG)``, asked for between fork and exec) covers
that. It fires when the *thread* that started the child ends, so it is only safe for a child
its starting thread waits for, or one started from the main thread.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def prctl() -> Callable[..., int] | None:
    """libc's ``prctl``, looked up before the fork (nothing to load in the child), or None
    off Linux."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_ulong]
    function.restype = ctypes.c_int
    return function


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that asks for SIGKILL when the parent dies (None off Linux); if the
    parent already died before the signal was asked for, the child ends at once."""
    call = prctl()
    if call is None:
        return None
    parent = os.getpid()

    def preexec() -> None:
        call(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)

    return preexec
