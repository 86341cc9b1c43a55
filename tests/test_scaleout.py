"""Scale-out: two Prefect workers share one PostgreSQL archive; the same flow on Dask.

The work-pool test starts a real ``prefect server`` (SQLite under a temporary PREFECT_HOME,
a free loopback port), registers the ingest deployment on a process work pool, starts two
``prefect worker`` processes and submits one flow run per chunk of a folder — plus one run
over the whole folder again, overlapping every chunk, so the archive's duplicate-free ingest
is exercised by truly concurrent writers. Every process started here is stopped at the end.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from flows.deploy import worker_command
from hostile import CIRCULAR_TEXT, image_bytes, text_page_image

REPO = Path(__file__).resolve().parent.parent
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
TOPICS = ("census", "dengue", "floods", "austerity", "e-office", "security", "leave", "audit")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_folder(folder: Path, texts: int, scans: int) -> set[str]:
    import hashlib

    folder.mkdir(parents=True)
    for i in range(texts):
        body = CIRCULAR_TEXT.format(n=700 + i, topic=TOPICS[i % len(TOPICS)])
        (folder / f"memo-{i:02d}.txt").write_text(body + f"Endorsement {i}.\n", encoding="utf-8")
    for i in range(scans):
        img = text_page_image(CIRCULAR_TEXT.format(n=800 + i, topic=TOPICS[i % len(TOPICS)]))
        (folder / f"scan-{i:02d}.png").write_bytes(image_bytes(img, "PNG"))
    return {hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def stop(proc: subprocess.Popen) -> None:
    """Stop a process group we started: SIGTERM, then SIGKILL if it lingers."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture
def pg_schema() -> Iterator[str]:
    """An archive URL in a throw-away PostgreSQL schema, dropped afterwards."""
    import psycopg

    schema = f"daftar_scaleout_{uuid.uuid4().hex[:8]}"
    yield f"{PG_URL}?schema={schema}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def prefect_server(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A real Prefect server on a free port; yields the environment that points at it."""
    port = free_port()
    env = dict(os.environ)
    env.update({
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "PREFECT_WORKER_PREFETCH_SECONDS": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "OMP_THREAD_LIMIT": "1",
        "DAFTAR_HOME": str(tmp_path / "daftar-home"),
    })
    log = open(tmp_path / "server.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
         "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None, (tmp_path / "server.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "Prefect server did not start"
            time.sleep(0.5)
        yield env
    finally:
        stop(server)
        log.close()


def in_process(env: dict[str, str], code: str) -> str:
    """Run a snippet against the test server in a fresh interpreter (no harness settings leak)."""
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-4000:]
    return out.stdout


@pytest.mark.postgres
@pytest.mark.timeout(900)
def test_two_workers_share_a_postgres_archive(prefect_server: dict[str, str], pg_schema: str,
                                              tmp_path: Path) -> None:
    env = prefect_server
    folder, out = tmp_path / "in", tmp_path / "out"
    sources = write_folder(folder, texts=10, scans=2)
    pool = f"daftar-test-{uuid.uuid4().hex[:6]}"
    in_process(env, f"from flows.deploy import ensure_work_pool, deploy_ingest\n"
                    f"ensure_work_pool({pool!r})\ndeploy_ingest({pool!r})\n")
    logs = [open(tmp_path / f"worker-{i}.log", "w") for i in range(2)]
    workers = [subprocess.Popen(
        worker_command(pool, name=f"w{i}"),
        env=env, cwd=REPO, stdout=logs[i], stderr=subprocess.STDOUT, start_new_session=True)
        for i in range(2)]
    try:
        submitted = in_process(env, (
            "import json\nfrom flows.deploy import chunk_files, run_workers, submit_chunks, wait_for_runs\n"
            f"chunks = chunk_files([{str(folder)!r}], 4) + [chunk_files([{str(folder)!r}], 1)[0]]\n"
            f"ids = submit_chunks(chunks, {str(out)!r}, archive={pg_schema!r})\n"
            "states = wait_for_runs(ids, timeout_s=800)\n"
            "ran = run_workers(ids)\n"
            "print(json.dumps([{str(k): v for k, v in states.items()}, "
            "{str(k): v for k, v in ran.items()}]))\n"))
        states, ran_by = json.loads(submitted.strip().splitlines()[-1])
    finally:
        for worker in workers:
            stop(worker)
        for log in logs:
            log.close()
    worker_logs = [(tmp_path / f"worker-{i}.log").read_text() for i in range(2)]
    assert set(states.values()) == {"COMPLETED"}, f"{states}\n{worker_logs[0][-3000:]}"
    assert set(ran_by.values()) == {"w0", "w1"}, f"both workers must pull runs: {ran_by}"

    from archive import open_archive

    store = open_archive(pg_schema, objects_dir=tmp_path / "objects")
    try:
        assert all(store.has_source(sha) for sha in sources), "a file was lost"
        manifests = [json.loads(line) for m in out.glob("chunk-*/manifest.jsonl")
                     for line in m.read_text().splitlines()]
        record_ids = {rid for entry in manifests for rid in entry["records"]}
        assert store.count_documents() == len(record_ids), "duplicates or missing documents"
        for doc_id in record_ids:
            assert len(store.versions(doc_id)) == 1, f"{doc_id} ingested twice as versions"
    finally:
        store.close()


@pytest.mark.timeout(600)
def test_ingest_on_a_dask_cluster(prefect_harness: None, tmp_path: Path) -> None:
    """The same flow, its task runner swapped for a 2-worker Dask LocalCluster."""
    from distributed import Client, LocalCluster

    from flows.deploy import ingest_on_dask

    folder, out = tmp_path / "in", tmp_path / "out"
    sources = write_folder(folder, texts=4, scans=2)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        summary = ingest_on_dask([str(folder)], str(out), address=cluster.scheduler_address,
                                 use_archive=False, batch="dask")
        seen = client.run_on_scheduler(
            lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))  # type: ignore[misc]
    assert summary.processed == len(sources) and not summary.quarantined
    manifest = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert {entry["sha256"] for entry in manifest} == sources
    # A one-page scan is read, OCR'd and finished by its read-file task (one Tesseract run, no
    # hand-off); that task must have run on the Dask workers and its records carry OCR words.
    assert "read_file" in seen, f"no reading task ran on Dask: {seen}"
    scans = [json.loads((out / f"{rid}.json").read_text()) for entry in manifest
             if entry["path"].endswith(".png") for rid in entry["records"]]
    assert len(scans) == 2 and all(
        page["source"] == "ocr" and page["words"] for rec in scans for page in rec["pages"])
