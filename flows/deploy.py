"""Scale-out: the ingest flow as a Prefect deployment on a process work pool, or on Dask.

Several machines (or several workers on one machine) share one PostgreSQL archive:

    prefect server start                                  # once, somewhere reachable
    python -m flows.deploy setup --pool daftar            # work pool + deployment
    prefect worker start --pool daftar --limit 1          # on every machine, as often as cores
    python -m flows.deploy submit FOLDER --out OUT --archive postgresql://... --chunks 8

``submit`` cuts the folder's files into chunks and creates one flow run per chunk; each
worker pulls runs from the pool, so the work spreads over whatever workers exist. Each run
writes its records to its own ``OUT/<run name>`` folder (a manifest and quarantine report per
run); the archive's content-id keyed, duplicate-free ingest makes overlapping or repeated
runs harmless.

The Dask variant keeps one flow run and spreads its tasks over a Dask cluster instead:
``ingest_on_dask(paths, out_dir, n_workers=2)``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from uuid import UUID

REPO = Path(__file__).resolve().parent.parent
FLOW_NAME = "daftar-ingest"  # the @flow name in flows/ingest.py
ENTRYPOINT = "flows/ingest.py:ingest"
POOL_NAME = "daftar"
DEPLOYMENT_NAME = "folder-import"
# Every flow-run process a worker starts gets these (tesseract is ~9x slower without the first).
RUN_ENV = {"OMP_THREAD_LIMIT": "1", "PREFECT_LOGGING_LEVEL": "WARNING"}
FINAL_STATES = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def ensure_work_pool(name: str = POOL_NAME, *, concurrency: int | None = None) -> None:
    """Create the process work pool ``name`` if it does not exist (idempotent)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists

    with get_client(sync_client=True) as client:
        try:
            client.create_work_pool(WorkPoolCreate(name=name, type="process",
                                                   concurrency_limit=concurrency))
        except ObjectAlreadyExists:
            pass


def deploy_ingest(pool: str = POOL_NAME, name: str = DEPLOYMENT_NAME, *,
                  source: Path = REPO, env: dict[str, str] | None = None) -> UUID:
    """Register the ingest flow (code read from ``source``) as deployment ``name`` on ``pool``."""
    from prefect import flow

    remote = flow.from_source(source=str(source), entrypoint=ENTRYPOINT)
    return remote.deploy(
        name=name,
        work_pool_name=pool,
        build=False,
        push=False,
        job_variables={"env": {**RUN_ENV, **(env or {})}, "working_dir": str(source)},
        description="Daftar batch import: files in, validated records into the archive.",
        print_next_steps=False,
    )


def worker_command(pool: str = POOL_NAME, *, name: str | None = None, limit: int = 1) -> list[str]:
    """The command that starts one worker pulling flow runs from ``pool``."""
    cmd = [sys.executable, "-m", "prefect", "worker", "start", "--pool", pool, "--type", "process",
           "--limit", str(limit)]
    return cmd + (["--name", name] if name else [])


def chunk_files(paths: Sequence[str | os.PathLike[str]], chunks: int) -> list[list[str]]:
    """The batch's files (folders expanded as the flow would) dealt into ``chunks`` lists."""
    from flows.inputs import expand_inputs

    files = [str(p) for p in expand_inputs(paths).files]
    chunks = max(1, min(chunks, len(files) or 1))
    return [files[i::chunks] for i in range(chunks)]


def submit_chunks(
    chunks: Sequence[Sequence[str]],
    out_dir: str | os.PathLike[str],
    *,
    archive: str | None,
    deployment: str = f"{FLOW_NAME}/{DEPLOYMENT_NAME}",
    batch: str = "scaleout",
    languages: str = "eng",
    workers: int | None = None,
) -> list[UUID]:
    """Create one flow run per chunk (returns at once; workers pick them up)."""
    from prefect.deployments import run_deployment

    ids = []
    for index, files in enumerate(chunks):
        run = run_deployment(
            name=deployment,
            parameters={"paths": list(files), "out_dir": str(Path(out_dir) / f"chunk-{index:03d}"),
                        "archive": archive, "languages": languages, "workers": workers,
                        "batch": batch},
            flow_run_name=f"{batch}-chunk-{index:03d}",
            timeout=0,  # do not wait here
            as_subflow=False,
        )
        ids.append(run.id)
    return ids


def wait_for_runs(ids: Sequence[UUID], *, timeout_s: float = 1800, poll_s: float = 1.0) -> dict[UUID, str]:
    """Poll until every flow run is final; returns run id -> state type (e.g. "COMPLETED")."""
    from prefect.client.orchestration import get_client

    deadline = time.monotonic() + timeout_s
    states: dict[UUID, str] = {}
    with get_client(sync_client=True) as client:
        while True:
            for run_id in ids:
                run = client.read_flow_run(run_id)
                states[run_id] = run.state.type.value if run.state else "PENDING"
            if all(s in FINAL_STATES for s in states.values()) or time.monotonic() > deadline:
                return states
            time.sleep(poll_s)


def run_workers(ids: Sequence[UUID]) -> dict[UUID, str | None]:
    """Which worker ran each flow run (the ``prefect.worker.name`` label workers set)."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return {run_id: (client.read_flow_run(run_id).labels or {}).get("prefect.worker.name")
                for run_id in ids}


# ----------------------------------------------------------------------------- Dask


def dask_task_runner(*, n_workers: int = 2, address: str | None = None) -> Any:
    """A DaskTaskRunner: on an existing scheduler ``address``, else a LocalCluster of processes."""
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_class="distributed.LocalCluster",
                          cluster_kwargs={"n_workers": n_workers, "threads_per_worker": 1,
                                          "processes": True, "dashboard_address": None})


def ingest_on_dask(paths: Sequence[str], out_dir: str, *, n_workers: int = 2,
                   address: str | None = None, **params: Any) -> Any:
    """Run the ingest flow with its task runner swapped for Dask; returns its IngestSummary."""
    from flows.ingest import ingest

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # inherited by the Dask worker processes
    runner = dask_task_runner(n_workers=n_workers, address=address)
    return ingest.with_options(task_runner=runner)(paths=list(paths), out_dir=out_dir, **params)


# ----------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.deploy", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    setup = sub.add_parser("setup", help="create the work pool and the deployment")
    setup.add_argument("--pool", default=POOL_NAME)
    setup.add_argument("--name", default=DEPLOYMENT_NAME)
    submit = sub.add_parser("submit", help="one flow run per chunk of the given files/folders")
    submit.add_argument("paths", nargs="+")
    submit.add_argument("--out", required=True)
    submit.add_argument("--archive", default=os.environ.get("DAFTAR_DATABASE_URL"))
    submit.add_argument("--chunks", type=int, default=4)
    submit.add_argument("--batch", default="scaleout")
    submit.add_argument("--wait", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "setup":
        ensure_work_pool(args.pool)
        print(deploy_ingest(args.pool, args.name))
        return 0
    ids = submit_chunks(chunk_files(args.paths, args.chunks), args.out, archive=args.archive,
                        batch=args.batch)
    print("\n".join(str(i) for i in ids))
    if args.wait:
        states = wait_for_runs(ids)
        return 0 if all(s == "COMPLETED" for s in states.values()) else 10
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
