"""No orphans: when ``daftar ingest`` is killed outright, nothing it started outlives it.

The CLI alone gets SIGKILL mid-batch (no handler runs, no ``finally``): Prefect's temporary
server and the resident Tesseract children, busy or idle, must end by themselves. Every
process of the run carries a marker in its environment, so even one started a moment before
the kill is found.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from hostile import CIRCULAR_TEXT, image_bytes, text_page_image

REPO = Path(__file__).resolve().parent.parent
MARKER = "DAFTAR_TEST_RUN"
GONE_WITHIN_S = 10.0


def processes_of_run(run: str) -> dict[int, str]:
    """Live (not zombie) processes whose environment carries ``MARKER=run``: pid -> command."""
    needle = f"{MARKER}={run}".encode()
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if needle not in Path(f"/proc/{entry}/environ").read_bytes().split(b"\0"):
                continue
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
            command = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:  # ended meanwhile, or not ours to read
            continue
        if state not in ("Z", "X"):  # a zombie has ended; only its exit status is left
            found[int(entry)] = command.decode(errors="replace").strip()
    return found


def wait_for(predicate, timeout_s: float, every_s: float = 0.1):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every_s)
    return predicate()


@pytest.mark.timeout(600)
def test_sigkill_of_the_cli_leaves_no_process_of_its_run(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(12):  # enough pages that the kill lands mid-batch
        page = text_page_image(CIRCULAR_TEXT.format(n=700 + i, topic="orphans"))
        (folder / f"scan-{i:02d}.png").write_bytes(image_bytes(page, "PNG"))
    run = uuid.uuid4().hex
    env = {**os.environ, MARKER: run, "OMP_THREAD_LIMIT": "1",
           "DAFTAR_HOME": str(tmp_path / "home"), "PREFECT_HOME": str(tmp_path / "prefect"),
           "DAFTAR_TESSERACT": "resident"}
    env.pop("PREFECT_API_URL", None)  # the CLI starts its own temporary server
    cli = subprocess.Popen([sys.executable, "-m", "daftar", "ingest", str(folder), "--out",
                            str(tmp_path / "out"), "--no-archive", "--workers", "2"],
                           env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    try:
        def server_and_reader() -> dict[int, str]:
            procs = processes_of_run(run)
            kinds = " ".join(procs.values())
            return procs if "prefect.server" in kinds and "_tesseract_child" in kinds else {}

        before = wait_for(server_and_reader, timeout_s=300)
        assert before, f"the batch never had both a Prefect server and a reader: {processes_of_run(run)}"
        assert cli.poll() is None, "the batch ended before it could be killed"
        os.kill(cli.pid, signal.SIGKILL)  # the CLI alone, as the OOM killer would
        cli.wait()
        left = wait_for(lambda: not processes_of_run(run), GONE_WITHIN_S, every_s=0.2)
        assert left, f"still running {GONE_WITHIN_S:g} s after the CLI was killed: " \
                     f"{processes_of_run(run)} (the run had {before})"
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.wait()
        for pid in processes_of_run(run):  # only this run's processes, by id
            os.kill(pid, signal.SIGKILL)


SLOW_PAGE_SCRIPT = textwrap.dedent("""
    import os, signal, sys, threading, time
    sys.path.insert(0, {root!r})
    from pipeline import tesseract, tesseract_resident
    tesseract.check_installed("eng")
    reader = threading.Thread(target=tesseract.ocr_image, args=({page!r}, "eng"),
                              kwargs={{"out_dir": {out!r}, "psm": 4, "timeout_s": 600}},
                              daemon=True)
    reader.start()
    while not os.listdir({out!r}) and reader.is_alive():  # the TSV is opened as it starts
        time.sleep(0.05)
    [child] = [pid for pid in os.listdir("/proc") if pid.isdigit()
               and open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()[1]
               == str(os.getpid())]
    print(child, flush=True)
    time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGKILL)
""")


@pytest.mark.timeout(300)
def test_a_child_reading_a_page_ends_when_its_parent_is_killed(tmp_path: Path) -> None:
    """Mid-page, the child is inside libtesseract, not reading its input: without its
    parent watch it would read the page to the end for nobody."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(7)  # dense noise: Tesseract takes tens of seconds on it
    noise = (rng.random((6000, 6000)) > 0.5).astype(np.uint8) * 255
    page = tmp_path / "noise.png"
    Image.fromarray(noise, mode="L").save(page)
    out = tmp_path / "out"
    out.mkdir()
    script = SLOW_PAGE_SCRIPT.format(root=str(REPO), page=str(page), out=str(out))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**os.environ, "DAFTAR_TESSERACT": "resident"}, timeout=240)
    assert done.returncode == -signal.SIGKILL, done.stderr
    child = int(done.stdout.split()[0])
    ended = wait_for(lambda: _ended(child), GONE_WITHIN_S)
    if not ended:
        os.kill(child, signal.SIGKILL)  # this test's own child, by id
    assert ended, f"the child read on for {GONE_WITHIN_S:g} s after its parent was killed"


def _ended(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


PROGRAM_RUN_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from pipeline import tesseract
tesseract._run({page!r}, {out!r}, "eng", "--psm 6", 300.0)
"""


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid and stat[0] not in ("Z", "X"):
                found.append(int(entry))
    return found


@pytest.mark.timeout(300)
def test_a_tesseract_program_run_ends_when_daftar_is_killed(tmp_path: Path) -> None:
    """Orientation detection and the program fallback run the ``tesseract`` program through
    pytesseract; killed outright, Daftar must not leave it reading a page for nobody."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(7)  # dense noise: Tesseract takes tens of seconds on it
    page = tmp_path / "noise.png"
    Image.fromarray((rng.random((6000, 6000)) > 0.5).astype(np.uint8) * 255, mode="L").save(page)
    script = PROGRAM_RUN_SCRIPT.format(root=str(REPO), page=str(page), out=str(tmp_path / "out"))
    daftar = subprocess.Popen([sys.executable, "-c", script])
    program = wait_for(lambda: _children(daftar.pid), 60)
    assert program, "tesseract never started"
    daftar.kill()
    daftar.wait()
    ended = wait_for(lambda: _ended(program[0]), GONE_WITHIN_S)
    if not ended:
        os.kill(program[0], signal.SIGKILL)  # this test's own grandchild, by id
    assert ended, f"tesseract read on for {GONE_WITHIN_S:g} s after Daftar was killed"
