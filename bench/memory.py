"""Peak memory of `daftar ingest` on a long scanned PDF, and how it grows with batch size.

    .venv/bin/python bench/memory.py --pages 20 --pages 100     # growth check (ratio ~1)
    .venv/bin/python bench/memory.py --pages 500                # the 500-page target (< 1 GiB)
    .venv/bin/python bench/memory.py --pages 500 --archive      # the same, into an archive
    .venv/bin/python bench/memory.py --files 50 --files 400     # batch growth by files
    .venv/bin/python bench/memory.py --input tests/data/hugemono.pdf --hostile  # hostile input

Each size builds an image-only PDF of N copies of one rendered A4 circular page (JPEG, so the
file stays small), runs `daftar ingest FILE --out DIR --no-archive` as a subprocess (with
`--archive`: `--archive DIR/archive.sqlite`, adding the merged searchable PDF and the archive
writes of a default `daftar ingest`), and samples the resident memory of its whole process
tree (the CLI, Prefect's ephemeral server, every tesseract) every 0.2 s. Printed per size:
the tree's peak RSS, the largest single process (ru_maxrss of the children), pages/minute,
and the ratio of each peak to the smallest size's peak, measured in the same run (the
anchor). A file the batch quarantined is printed with its reason: its run measured nothing.

With ``--files N`` the batch is N one-page PNG files instead (each with its own reference
number, so its own content id): how memory grows with the number of files in a batch, which
the ingest flow takes in chunks. With ``--input PATH`` (a file or folder) or ``--hostile``
(the batch tests/hostile.py builds) it measures that input instead, one run each; the
target (< 1 GiB for the tree) is the same.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parent.parent
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
GIB = 1024 ** 3
BODY = [
    "GOVERNMENT OF PAKISTAN", "CABINET SECRETARIAT", "ESTABLISHMENT DIVISION", "",
    "No. F.8/12/2021-E-{n}                     Islamabad, the 14th March, 2022", "",
    "OFFICE MEMORANDUM", "", "Subject: Attendance of officers during the month of Ramazan", "",
    "The undersigned is directed to say that all Ministries and Divisions shall observe",
    "office hours from 0900 to 1500 hours during the holy month of Ramazan.",
    "2. All officers are requested to ensure punctual attendance of the staff.",
    "3. This issues with the approval of the competent authority.", "",
    "(Muhammad Ahmed Khan)", "Section Officer (Admin)", "", "Copy to:",
    "1. All Secretaries of Ministries and Divisions", "2. PS to the Prime Minister",
]


def scanned_page(dpi: int, number: int = 7) -> Image.Image:
    """One A4 page of typed circular text at ``dpi``, as a scanner would give it; ``number``
    goes into its reference number, so pages of different numbers are different files."""
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    img = Image.new("L", (width, height), 250)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, max(10, dpi // 7))
    y = dpi
    for line in BODY * 2:
        draw.text((dpi, y), line.format(n=number), font=font, fill=20)
        y += int(dpi / 4.2)
    return img


def build_pdf(path: Path, pages: int, dpi: int) -> Path:
    page = scanned_page(dpi).convert("RGB")
    page.save(path, "PDF", resolution=dpi, save_all=True, append_images=[page] * (pages - 1),
              quality=60)
    return path


def build_files(folder: Path, files: int, dpi: int) -> Path:
    """A folder of ``files`` one-page PNG scans, each with its own reference number (so its
    own content id: identical files would be ingested once)."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, files + 1):
        scanned_page(dpi, number).save(folder / f"scan-{number:05d}.png", optimize=False)
    return folder


def tree_rss(root: int) -> tuple[int, dict[str, int], list[tuple[int, int, str]]]:
    """Resident bytes of ``root`` and all its descendants (from /proc), bytes per kind, and
    the processes themselves as (bytes, pid, kind).

    A child still carrying the CLI's command line is the CLI between fork and exec (starting
    a tesseract): it shares the CLI's memory, so its RSS repeats the CLI's and is not added
    (it is listed as ``cli-fork``). Counting it once put a second CLI, 250 MiB, on the peak.
    """
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    cmdlines: dict[int, bytes] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            cmdlines[int(entry)] = Path(f"/proc/{entry}/cmdline").read_bytes()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
    total, todo, by_kind, procs = 0, [root], {}, []
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        if pid != root and cmdlines.get(pid) == cmdlines.get(root):
            procs.append((rss.get(pid, 0), pid, "cli-fork (not counted)"))
            continue
        kind = _kind(cmdlines.get(pid, b""), pid == root)
        total += rss.get(pid, 0)
        by_kind[kind] = by_kind.get(kind, 0) + rss.get(pid, 0)
        procs.append((rss.get(pid, 0), pid, kind))
    return total, by_kind, sorted(procs, reverse=True)


def _kind(cmdline: bytes, is_root: bool) -> str:
    """A short label for a process of the tree: which part of Daftar's stack it is."""
    if is_root:
        return "daftar-cli"
    text = cmdline.replace(b"\0", b" ").decode(errors="replace")
    for needle, label in (("prefect.server", "prefect-server"), ("tesseract", "tesseract")):
        if needle in text:
            return label
    program = text.split(" ", 1)[0]
    return f"other:{Path(program).name or '?'}"


def sample_peak(cmd: list[str], env: dict[str, str], cwd: Path = REPO) -> dict:
    """Run ``cmd`` to its end while sampling its process tree's RSS every 0.2 s.

    Returns the exit status, stderr, and the tree's peak with its split by kind and the
    processes at that moment (see ``tree_rss``). The one sampler of this benchmark and of
    the tests that hold Daftar to its memory target.
    """
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    peak, peak_by_kind, peak_procs = 0, {}, []
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_by_kind, peak_procs
        while not stop.is_set():
            total, by_kind, procs = tree_rss(proc.pid)
            if total > peak:
                peak, peak_by_kind, peak_procs = total, by_kind, procs
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    stop.set()
    sampler.join()
    return {"exit": proc.returncode, "stderr": err.decode(errors="replace"),
            "peak_bytes": peak, "at_peak": peak_by_kind, "processes_at_peak": peak_procs}


def ingest_command(given: Path, folder: Path, workers: int, archive: bool) -> list[str]:
    return [sys.executable, "-m", "daftar", "ingest", str(given), "--out", str(folder / "out"),
            *(["--archive", str(folder / "archive.sqlite")] if archive else ["--no-archive"]),
            "--workers", str(workers)]


def ingest_environment(folder: Path) -> dict[str, str]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "DAFTAR_HOME": str(folder / "home"),
           "PREFECT_HOME": str(folder / "prefect"), "PREFECT_LOGGING_LEVEL": "WARNING"}
    env.pop("PREFECT_API_URL", None)
    return env


def measure(pages: int, dpi: int, workers: int, work: Path, archive: bool = False,
            as_files: bool = False) -> dict:
    """Ingest ``pages`` pages, as one PDF or (``as_files``) as that many one-page files."""
    folder = work / (f"files-{pages}" if as_files else f"pages-{pages}")
    folder.mkdir(parents=True, exist_ok=True)
    given = (build_files(folder / "scans", pages, dpi) if as_files
             else build_pdf(folder / f"scan-{pages}.pdf", pages, dpi))
    return measure_input(given, folder, workers, archive, pages=pages,
                         label="one-page files" if as_files else "one PDF")


def measure_input(given: Path, folder: Path, workers: int, archive: bool = False,
                  pages: int | None = None, label: str | None = None) -> dict:
    """Ingest ``given`` (a file or a folder) and report the tree's peak; ``pages`` is the
    number of pages it holds when known (for pages/minute)."""
    folder.mkdir(parents=True, exist_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.monotonic()
    run = sample_peak(ingest_command(given, folder, workers, archive), ingest_environment(folder))
    elapsed = time.monotonic() - started
    largest_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary_file = folder / "out" / "summary.json"
    summary = json.loads(summary_file.read_text()) if summary_file.exists() else {}
    quarantined = [f"{q.get('reason')}: {Path(str(q.get('path'))).name}: {q.get('message')}"
                   for q in summary.get("quarantined", [])]
    done = summary.get("pages")
    return {
        "pages": pages if pages is not None else done, "input": label or given.name,
        "exit": run["exit"],
        "input_bytes": sum(p.stat().st_size for p in ([given] if given.is_file() else
                                                        given.iterdir()) if p.is_file()),
        "peak_tree_mib": round(run["peak_bytes"] / 2**20, 1),
        "at_peak_mib": {k: round(v / 2**20, 1) for k, v in sorted(run["at_peak"].items())},
        "processes_at_peak": [f"{kind} (pid {pid}): {size / 2**20:.1f} MiB"
                              for size, pid, kind in run["processes_at_peak"]],
        "largest_process_mib": round(max(largest_kib, before) / 1024, 1),
        "elapsed_s": round(elapsed, 1), "pages_done": done,
        "pages_per_minute": round((pages or done or 0) / elapsed * 60, 1),
        "stderr_tail": run["stderr"][-400:] if run["exit"] not in (0, 10) else "",
        "quarantined": quarantined,  # a measure of a batch that failed is no measure
    }


def hostile_folder(dest: Path) -> Path:
    """The hostile batch as tests/hostile.py builds it (the files its batch test ingests)."""
    if str(REPO / "tests") not in sys.path:
        sys.path.append(str(REPO / "tests"))
    from hostile import generate

    for case in generate(dest):
        if not case.in_batch:
            case.path.unlink()
    return dest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, action="append", help="PDF length (repeatable)")
    parser.add_argument("--files", type=int, action="append",
                        help="instead: a batch of this many one-page PNG files (repeatable)")
    parser.add_argument("--dpi", type=int, default=200, help="scan resolution of the pages")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--archive", action="store_true",
                        help="ingest into a fresh SQLite archive instead of --no-archive")
    parser.add_argument("--input", type=Path, action="append", default=[],
                        help="instead: ingest this file or folder (repeatable, one run each)")
    parser.add_argument("--hostile", action="store_true",
                        help="instead: the hostile batch of tests/hostile.py (one run)")
    args = parser.parse_args()
    if args.pages and args.files:
        parser.error("give --pages (one long PDF) or --files (a batch of files), not both")
    work = Path(tempfile.mkdtemp(prefix="daftar-bench-memory-"))
    given = [p.resolve() for p in args.input]
    if args.hostile:
        given.append(hostile_folder(work / "hostile-input"))
    if given:
        results = [measure_input(path, work / f"run-{n}", args.workers, args.archive)
                   for n, path in enumerate(given)]
    else:
        sizes = sorted(set(args.files or args.pages or [20, 100]))
        results = [measure(n, args.dpi, args.workers, work, args.archive,
                           as_files=bool(args.files)) for n in sizes]
    anchor = results[0]["peak_tree_mib"] or 1
    print(f"{'pages':>6} {'exit':>4} {'peak tree MiB':>14} {'largest proc MiB':>17} "
          f"{'ratio to anchor':>16} {'pages/min':>10} {'seconds':>8}")
    for r in results:
        print(f"{r['pages'] if r['pages'] is not None else '-':>6} {r['exit']:>4} {r['peak_tree_mib']:>14} {r['largest_process_mib']:>17} "
              f"{r['peak_tree_mib'] / anchor:>16.2f} {r['pages_per_minute']:>10} {r['elapsed_s']:>8}")
        print("   input:", r["input"])
        print("   at the peak (MiB):", r["at_peak_mib"])
        print("   processes at the peak:", "; ".join(r["processes_at_peak"]))
        if r["stderr_tail"]:
            print("   stderr:", r["stderr_tail"])
        for entry in r["quarantined"]:
            print("   quarantined:", entry)
    worst = max(r["peak_tree_mib"] for r in results)
    print(json.dumps({"results": results, "target_gib": 1,
                      "under_target": worst * 2**20 < GIB}, indent=1))
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    # A given input may be quarantined in part (the hostile batch is, by design): exit 10.
    finished = (0, 10) if given else (0,)
    return 0 if worst * 2**20 < GIB and all(r["exit"] in finished for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
