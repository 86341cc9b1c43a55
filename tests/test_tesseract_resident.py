"""Resident Tesseract processes: the program's output, its failures, none left behind.

Real libtesseract and real ``tesseract`` runs throughout; crashes are real SIGKILLs.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

import imagegen
from pipeline import tesseract, tesseract_resident
from pipeline.errors import OcrCrashError, OcrEngineError, OcrTimeoutError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("resident") / "page.png"
    imagegen.render_page(imagegen.CIRCULAR_LINES, dpi=300).save(path)
    return path


@pytest.fixture(scope="module")
def noisy_page(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("resident") / "noisy.png"
    clean = imagegen.render_page(imagegen.CIRCULAR_LINES, dpi=300)
    imagegen.add_noise(imagegen.blur(imagegen.skew(clean, 1.5)), salt_pepper=0.02).save(path)
    return path


def _read(image: Path, out: Path, engine: str, monkeypatch, **kwargs) -> tesseract.TesseractResult:
    monkeypatch.setenv("DAFTAR_TESSERACT", engine)
    out.mkdir(parents=True, exist_ok=True)
    return tesseract.ocr_image(str(image), "eng", out_dir=str(out), **kwargs)


def _pdf_text(path: str) -> str:
    return " ".join(PdfReader(path).pages[0].extract_text().split())


@pytest.mark.parametrize("psm, dpi, pdf", [(4, 300, True), (3, None, False), (6, 300, False)])
@pytest.mark.parametrize("image", ["page", "noisy_page"])
def test_resident_output_is_the_programs(request, tmp_path, monkeypatch, image, psm, dpi, pdf):
    path = request.getfixturevalue(image)
    kwargs = {"psm": psm, "dpi": dpi, "want_pdf": pdf, "text_only_pdf": True}
    resident = _read(path, tmp_path / "resident", "resident", monkeypatch, **kwargs)
    program = _read(path, tmp_path / "program", "program", monkeypatch, **kwargs)
    assert resident.words and resident.words == program.words
    if pdf:
        assert _pdf_text(resident.pdf_path) == _pdf_text(program.pdf_path)
        assert len(PdfReader(resident.pdf_path).pages[0].images) == 0  # the text layer alone


def test_pages_in_any_order_read_the_same(page, noisy_page, tmp_path, monkeypatch):
    first = [_read(p, tmp_path / "a", "resident", monkeypatch, psm=4).words
             for p in (page, noisy_page)]
    second = [_read(p, tmp_path / "b", "resident", monkeypatch, psm=4).words
              for p in (noisy_page, page)]
    assert first == second[::-1]


def _idle_children() -> list[int]:
    return [engine.process.pid for engine in tesseract_resident._pool.idle]


def test_one_child_serves_page_after_page(page, tmp_path, monkeypatch):
    tesseract_resident.shutdown()
    assert tesseract_resident.children_cpu_seconds() == 0.0
    _read(page, tmp_path / "first", "resident", monkeypatch, psm=4)
    after_one = tesseract_resident.children_cpu_seconds()
    for n in range(2):
        _read(page, tmp_path / str(n), "resident", monkeypatch, psm=4)
    assert len(_idle_children()) == 1
    assert tesseract_resident.children_cpu_seconds() > after_one > 0.1


def test_a_child_killed_mid_page_is_a_crash_and_the_next_page_gets_a_new_one(
        page, tmp_path, monkeypatch):
    _read(page, tmp_path / "warm", "resident", monkeypatch, psm=4)
    (victim,) = _idle_children()[-1:]
    killer = threading.Timer(0.15, os.kill, (victim, signal.SIGKILL))
    killer.start()
    with pytest.raises(OcrCrashError, match="status -9"):
        _read(page, tmp_path / "killed", "resident", monkeypatch, psm=4)
    killer.join()
    assert victim not in _idle_children()
    assert _read(page, tmp_path / "after", "resident", monkeypatch, psm=4).words


def test_a_timed_out_child_is_killed_and_not_reused(page, tmp_path, monkeypatch):
    tesseract_resident.shutdown()
    _read(page, tmp_path / "warm", "resident", monkeypatch, psm=4)
    (child,) = _idle_children()
    with pytest.raises(OcrTimeoutError, match="timed out after 0.05 s"):
        _read(page, tmp_path / "slow", "resident", monkeypatch, psm=4, timeout_s=0.05)
    assert child not in _idle_children()
    assert not Path(f"/proc/{child}").exists()  # killed and reaped
    assert _read(page, tmp_path / "after", "resident", monkeypatch, psm=4).words


def test_a_refused_page_leaves_the_child_serving(page, tmp_path, monkeypatch):
    tesseract_resident.shutdown()
    _read(page, tmp_path / "warm", "resident", monkeypatch, psm=4)
    (child,) = _idle_children()
    bad = tmp_path / "bad.bmp"
    bad.write_bytes(b"BM" + b"\x00" * 40)
    with pytest.raises(OcrEngineError, match="could not process the page image"):
        _read(bad, tmp_path / "bad", "resident", monkeypatch, psm=4)
    with pytest.raises(OcrEngineError, match="folder .* does not exist"):
        tesseract_resident.recognise(str(page), str(tmp_path / "nowhere" / "x"), "eng", 4,
                                     None, False, False, 30)
    assert _idle_children() == [child]
    assert _read(page, tmp_path / "after", "resident", monkeypatch, psm=4).words


def test_the_program_setting_starts_no_child(page, tmp_path, monkeypatch):
    tesseract_resident.shutdown()
    assert _read(page, tmp_path, "program", monkeypatch, psm=4).words
    assert _idle_children() == []


def test_without_a_usable_libtesseract_pages_go_to_the_program(page, tmp_path, monkeypatch,
                                                               caplog):
    tesseract_resident.shutdown()
    broken = tmp_path / "child.py"
    broken.write_text('print(\'{"ok": false, "error": "cannot load libtesseract: gone"}\')\n')
    monkeypatch.setattr(tesseract_resident, "CHILD_SCRIPT", broken)
    monkeypatch.setattr(tesseract_resident._pool, "unavailable", None)
    with caplog.at_level(logging.WARNING, logger="pipeline.tesseract_resident"):
        assert _read(page, tmp_path / "out", "resident", monkeypatch, psm=4).words
    assert "cannot load libtesseract: gone" in caplog.text
    assert not tesseract_resident.enabled() and _idle_children() == []


def _read_in_forked_child(page: str, out: str, queue) -> None:
    queue.put((_idle_children(), len(tesseract.ocr_image(page, "eng", out_dir=out, psm=4).words)))


def test_a_forked_process_starts_its_own_children(page, tmp_path, monkeypatch):
    _read(page, tmp_path / "parent", "resident", monkeypatch, psm=4)
    before = _idle_children()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    (tmp_path / "child").mkdir()
    worker = context.Process(target=_read_in_forked_child,
                             args=(str(page), str(tmp_path / "child"), queue))
    worker.start()
    inherited, words = queue.get(timeout=60)
    worker.join(timeout=30)
    assert inherited == [] and words > 0 and worker.exitcode == 0
    assert _idle_children() == before  # the parent's child was neither used nor closed
    assert _read(page, tmp_path / "again", "resident", monkeypatch, psm=4).words


def test_children_end_when_their_parent_is_killed(page, tmp_path):
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from pipeline import tesseract, tesseract_resident
        tesseract.ocr_image({str(page)!r}, "eng", out_dir={str(tmp_path)!r}, psm=4)
        print(tesseract_resident._pool.idle[0].process.pid, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**os.environ, "DAFTAR_TESSERACT": "resident"}, timeout=120)
    assert done.returncode == -signal.SIGKILL
    child = int(done.stdout.split()[0])
    assert _ends_within(child, 10.0)


def _ends_within(pid: int, seconds: float) -> bool:
    """Gone, or a zombie (ended, waiting for a reaper that a container may not run)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.1)
    return False


def test_shutdown_ends_idle_children(page, tmp_path, monkeypatch):
    _read(page, tmp_path, "resident", monkeypatch, psm=4)
    children = _idle_children()
    tesseract_resident.shutdown()
    assert children and all(_ends_within(pid, 5.0) for pid in children)
    assert _idle_children() == []


WORKER_SCRIPT = """
import multiprocessing, resource, sys
from concurrent.futures import ProcessPoolExecutor
sys.path.insert(0, {root!r})
if {import_first}:
    from pipeline import tesseract

def read(page, out):
    from pipeline import tesseract, tesseract_resident
    tesseract.ocr_image(page, "eng", out_dir=out, psm=4)
    return tesseract_resident._pool.idle[0].process.pid

if __name__ == "__main__":
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        print(pool.submit(read, {page!r}, {out!r}).result(timeout=120))
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(usage.ru_utime + usage.ru_stime)
"""


@pytest.mark.parametrize("import_first", [True, False], ids=["imported-before-fork",
                                                             "imported-in-worker"])
def test_a_process_pool_worker_ends_its_children_when_it_exits(page, tmp_path, import_first):
    script = WORKER_SCRIPT.format(root=str(ROOT), import_first=import_first, page=str(page),
                                  out=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**os.environ, "DAFTAR_TESSERACT": "resident"}, timeout=180)
    assert done.returncode == 0, done.stderr
    child, cpu = done.stdout.split()
    assert _ends_within(int(child), 10.0)
    # Waited for by the worker, not orphaned: its Tesseract CPU time reaches the pool's
    # owner's accounts (what bench/throughput.py reads), where an orphan's would be lost.
    assert float(cpu) > 0.3
