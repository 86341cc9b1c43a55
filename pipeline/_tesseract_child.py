"""A resident Tesseract: the child process behind ``pipeline.tesseract_resident``.

Run as a script (``python -I _tesseract_child.py``), never imported by Daftar itself: it uses
only the standard library, so it starts in a few milliseconds, and it drives libtesseract
through its C API (``capi.h``) exactly as the ``tesseract`` program does: the same
``ProcessPages`` call, the same TSV and PDF renderers, the same variables. What it saves is
the program's start-up, above all loading the language model (~0.1 s of the ~1 s a page
costs), which it does once per language set instead of once per page.

Protocol, one JSON object per line each way. Request::

    {"image": path, "out_base": path, "languages": "eng", "psm": 4, "dpi": 300 | null,
     "pdf": false, "textonly": true}

Reply: ``{"ok": true}`` once ``out_base.tsv`` (and ``out_base.pdf``) are written and closed,
or ``{"ok": false, "error": text}``. End of input ends the process. Tesseract's own warnings
go to stderr, which the parent reads when a page fails.

``python -I _tesseract_child.py PARENT_PID``: the process also ends, even in the middle of a
page, as soon as the process PARENT_PID does (``exit_with_parent``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import select
import signal
import sys
import threading
import time

_P = ctypes.c_void_p
_S = ctypes.c_char_p
_SIGNATURES = {  # name: (argument types, result type)
    "TessBaseAPICreate": ([], _P),
    "TessBaseAPIInit3": ([_P, _S, _S], ctypes.c_int),
    "TessBaseAPIEnd": ([_P], None),
    "TessBaseAPIDelete": ([_P], None),
    "TessBaseAPIGetDatapath": ([_P], _S),
    "TessBaseAPISetVariable": ([_P, _S, _S], ctypes.c_int),
    "TessBaseAPISetPageSegMode": ([_P, ctypes.c_int], None),
    "TessBaseAPISetOutputName": ([_P, _S], None),
    "TessBaseAPIProcessPages": ([_P, _S, _S, ctypes.c_int, _P], ctypes.c_int),
    "TessTsvRendererCreate": ([_S], _P),
    "TessPDFRendererCreate": ([_S, _S, ctypes.c_int], _P),
    "TessResultRendererInsert": ([_P, _P], None),
    "TessDeleteResultRenderer": ([_P], None),
}
LIBRARY_NAMES = ("libtesseract.so.5", "libtesseract.so", "libtesseract.5.dylib")
PARENT_GONE_STATUS = 4
PARENT_POLL_S = 0.5  # only without pidfd_open (Linux < 5.3)


def load_library() -> ctypes.CDLL:
    """libtesseract with the C API's signatures declared; OSError when it is not there."""
    errors = []
    found = ctypes.util.find_library("tesseract")
    for name in (*LIBRARY_NAMES, *([found] if found else [])):
        try:
            lib = ctypes.CDLL(name)
        except OSError as exc:
            errors.append(str(exc))
            continue
        for symbol, (argtypes, restype) in _SIGNATURES.items():
            function = getattr(lib, symbol)  # AttributeError: not a usable libtesseract
            function.argtypes, function.restype = argtypes, restype
        return lib
    raise OSError("libtesseract not found: " + "; ".join(errors))


class Engines:
    """One initialised TessBaseAPI per language set, created when first asked for."""

    def __init__(self, lib: ctypes.CDLL) -> None:
        self.lib = lib
        self.apis: dict[str, int] = {}

    def api(self, languages: str) -> int:
        if languages not in self.apis:
            api = self.lib.TessBaseAPICreate()
            if self.lib.TessBaseAPIInit3(api, None, languages.encode()) != 0:
                self.lib.TessBaseAPIDelete(api)
                raise RuntimeError(f"Tesseract could not load language(s) {languages!r}")
            self.apis[languages] = api
        return self.apis[languages]

    def close(self) -> None:
        for api in self.apis.values():
            self.lib.TessBaseAPIEnd(api)
            self.lib.TessBaseAPIDelete(api)
        self.apis.clear()


def recognise(engines: Engines, job: dict) -> None:
    """One page, as ``tesseract IMAGE OUT_BASE -l L --psm N [--dpi D] tsv [pdf]`` would."""
    lib = engines.lib
    folder = os.path.dirname(job["out_base"]) or "."
    if not os.path.isdir(folder):  # the program would say so on stderr and still exit 0
        raise RuntimeError(f"cannot write the OCR output: folder {folder} does not exist")
    if not os.access(job["image"], os.R_OK):
        raise RuntimeError(f"cannot read the page image {job['image']}")
    api = engines.api(job["languages"])
    base = job["out_base"].encode()
    lib.TessBaseAPISetPageSegMode(api, int(job["psm"]))
    # 0 is Tesseract's "not given": each job sets its own, none inherits the last one's.
    lib.TessBaseAPISetVariable(api, b"user_defined_dpi", str(int(job.get("dpi") or 0)).encode())
    lib.TessBaseAPISetOutputName(api, base)
    renderer = lib.TessTsvRendererCreate(base)
    if job.get("pdf"):
        pdf = lib.TessPDFRendererCreate(base, lib.TessBaseAPIGetDatapath(api),
                                        1 if job.get("textonly") else 0)
        lib.TessResultRendererInsert(renderer, pdf)
    try:
        ok = lib.TessBaseAPIProcessPages(api, job["image"].encode(), None, 0, renderer)
    finally:
        lib.TessDeleteResultRenderer(renderer)  # the whole chain; closes the output files
    if not ok:
        raise RuntimeError("Tesseract could not process the page image")


def exit_with_parent(parent: int) -> None:
    """End this process as soon as ``parent`` ends, whatever it is doing.

    An idle child already ends when its input does; but a child reading a page is inside
    libtesseract (which lets go of the GIL) for up to the page's time limit, and when Daftar
    was killed outright (SIGKILL, the OOM killer) it would read on, for nobody, holding its
    memory. A daemon thread waits on the parent's pidfd (polls the parent id without one)
    and exits the process. Not ``PR_SET_PDEATHSIG``: that fires when the *thread* that
    started the child ends, and Daftar hands a child to whichever of Prefect's worker
    threads reads the next page, threads that come and go with each flow.
    """
    threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch",
                     daemon=True).start()


def _watch_parent(parent: int) -> None:
    try:
        pidfd = os.pidfd_open(parent)
    except (AttributeError, OSError):  # no pidfd_open, or the parent is already gone
        pidfd = None
    if pidfd is not None and os.getppid() == parent:  # else: gone before we watched
        select.select([pidfd], [], [])  # readable once the parent has exited
    while pidfd is None and os.getppid() == parent:
        time.sleep(PARENT_POLL_S)
    os._exit(PARENT_GONE_STATUS)


def serve(lib: ctypes.CDLL, lines, reply) -> None:
    """Answer each request line until the input ends."""
    engines = Engines(lib)
    try:
        for line in lines:
            try:
                recognise(engines, json.loads(line))
                reply({"ok": True})
            except (RuntimeError, KeyError, ValueError, TypeError) as exc:
                reply({"ok": False, "error": str(exc)})
    finally:
        engines.close()  # else libtesseract warns of leaked dictionaries at exit


def _private_reply_channel():
    """The replies' own copy of stdout; fd 1 itself then goes to stderr.

    Whatever libtesseract prints to stdout lands in the parent's log of this child's stderr
    instead of in the middle of a reply.
    """
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)

    def reply(message: dict) -> None:
        channel.write(json.dumps(message) + "\n")
        channel.flush()

    return reply


if __name__ == "__main__":
    # Ctrl-C reaches the whole process group: the parent decides what happens to its pages,
    # and this child ends when the parent closes its input.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent(int(sys.argv[1]) if len(sys.argv) > 1 else os.getppid())
    _reply = _private_reply_channel()
    try:
        library = load_library()
    except (OSError, AttributeError) as exc:
        _reply({"ok": False, "error": f"cannot load libtesseract: {exc}"})
        sys.exit(3)
    _reply({"ok": True, "ready": True})
    serve(library, sys.stdin, _reply)
