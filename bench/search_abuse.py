"""Search abuse benchmark: the worst query time over a tester's hostile mix, both backends.

    python bench/search_abuse.py [--records 100000] [--backends sqlite,postgres] [--cache DIR]

Builds an archive of synthetic documents (``bench/archive.py``'s generator) on each backend,
once: the SQLite file and the PostgreSQL schema are kept (``--cache``, schema
``bench_abuse_<n>``) and reused while they hold ``n`` documents.  Then runs, through the
archive interface the API and the review app call (with the same checks), what a tester sent
an unbounded archive: ``p*`` (2.4 s at 20k), ``p*`` with ``limit=200`` (19.5 s),
``limit=1000&offset=9000`` (over 60 s), ``p*`` twenty times (40 s), a 100,000-character
query (11 minutes and counting), 'pension' 300 times (PostgreSQL, ~3 minutes), 3,000 nested
parentheses (a 500) — and the most expensive queries still allowed near each limit.  A
refused query costs the check only; an allowed one is timed in full, without any time
limit, so the figure is what the query really costs.

Prints each query's time (the worst of ``--repeat`` runs after one warm-up), the worst per
backend against the 2 s target, and the ratio of the worst to an ordinary phrase search
timed in the same run (the anchor).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import psycopg  # noqa: E402

from archive import SearchQuery, open_archive  # noqa: E402
from archive.errors import QueryError  # noqa: E402

PG_URL = os.environ.get("DAFTAR_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
TARGET_S = 2.0
ANCHOR = ("anchor: phrase 'social media'", "search", SearchQuery(text='"social media"'))
WORDS = ("government servants officers officials employees department division ministry "
         "section office memorandum circular notification letter order reference subject "
         "instructions compliance strict immediate effect hereby directed requested informed "
         "pleased competent authority approval sanction provincial federal").split()


def abuse_mix() -> list[tuple[str, str, object]]:
    """(label, what is called, query): the tester's queries, then the worst allowed ones."""
    def s(text: str = "", **kw: object) -> SearchQuery:
        return SearchQuery(text=text, **kw)

    return [
        ("tester: p*", "search", s("p*")),
        ("tester: p* limit=200", "search", s("p*", limit=200)),
        ("tester: p* limit=100", "search", s("p*", limit=100)),
        ("tester: limit=1000 offset=9000", "search", s("government", limit=1000, offset=9000)),
        ("tester: p* x20", "search", s(" ".join(["p*"] * 20))),
        ("tester: 100,000-character query", "search", s("pension " * 12_500)),
        ("tester: 'pension' x300", "search", s(" ".join(["pension"] * 300))),
        ("tester: 3,000 nested parentheses", "search", s("(" * 3000 + "pension" + ")" * 3000)),
        ("tester: 3,000 nested, /documents", "documents", s("(" * 3000 + "memo" + ")" * 3000)),
        ("tester: 50,000-char place filter", "search", s("pension", place="x" * 50_000)),
        ("allowed: the* limit=100", "search", s("the*", limit=100)),
        ("allowed: pro* limit=100", "search", s("pro*", limit=100)),
        ("allowed: the* limit=100 offset=9900", "search", s("the*", limit=100, offset=9900)),
        ("allowed: government limit=100 offset=10000", "search",
         s("government", limit=100, offset=10_000)),
        ("allowed: /documents the* limit=100 offset=10000", "documents",
         s("the*", limit=100, offset=10_000)),
        ("allowed: /documents no query offset=10000", "documents", s(limit=100, offset=10_000)),
        ("allowed: 'pension' x32", "search", s(" ".join(["pension"] * 32))),
        ("allowed: 32 common words AND", "search", s(" ".join(WORDS[:32]))),
        ("allowed: 32 common words OR", "search", s(" OR ".join(WORDS[:32]))),
        ("refused: 32-word phrase", "search", s('"' + " ".join(WORDS[:32]) + '"')),
        ("allowed: 8-word phrase", "search", s('"' + " ".join(WORDS[:8]) + '"')),
        ("allowed: four 8-word phrases OR", "search",
         s(" OR ".join('"' + " ".join(WORDS[i:i + 8]) + '"' for i in range(0, 32, 8)))),
        ("allowed: 8 nested ORs of prefixes", "search",
         s("(" * 8 + "the* OR pro* OR gov* OR off*" + ")" * 8, limit=100)),
        ("refused: 16 prefixes OR", "search",
         s(" OR ".join(f"{w[:3]}*" for w in WORDS[:16]), limit=100)),
        ("allowed: 4 prefixes OR", "search",
         s(" OR ".join(f"{w[:3]}*" for w in WORDS[:4]), limit=100)),
        ("allowed: 4 prefixes AND 28 words", "search",
         s(" ".join([f"{w[:3]}*" for w in WORDS[:4]] + WORDS[4:32]), limit=100)),
        ("allowed: the* with place and issuer filters", "search",
         s("the*", place="a", issuer="o", limit=100)),
        ("allowed: 200-char LIKE filter of wildcards", "search",
         s("the*", place="%_" * 100, limit=100)),
    ]


def run(store, what: str, query: SearchQuery) -> str:
    """Call the archive as the API does; a short outcome."""
    try:
        if what == "documents":
            filters = query if (query.text or query.has_filters()) else None
            store.count_documents(filters)
            docs = store.list_documents(filters=filters, limit=query.limit, offset=query.offset)
            return f"{len(docs)} documents"
        results = store.search(query)
        return f"{results.total_label} matches, {len(results.hits)} hits"
    except QueryError as exc:
        return f"400: {str(exc)[:60]}"


def location_of(backend: str, n: int, cache: Path) -> tuple[str, dict]:
    if backend == "sqlite":
        return str(cache / f"abuse-{n}.sqlite"), {"objects_dir": cache / "objects"}
    return f"{PG_URL}?schema=bench_abuse_{n}", {"objects_dir": cache / "objects"}


def _generator():  # noqa: ANN202 - a module
    """bench/archive.py (its name is the package's, so it is loaded by path)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_archive", _HERE / "archive.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ensure(backend: str, n: int, cache: Path) -> str:
    """The archive's location, built now unless the cached one holds ``n`` documents."""
    location, kwargs = location_of(backend, n, cache)
    with open_archive(location, **kwargs) as store:
        have = store.count_documents()
        if have == n:
            print(f"{backend}: reusing the cached archive of {n:,} documents", flush=True)
            return location
    if have:
        _drop(backend, location, n)
    generator = _generator()
    started = time.perf_counter()
    with open_archive(location, **kwargs) as store:
        store.ingest_many(generator.generate(n), chunk=500)
    print(f"{backend}: built {n:,} documents in {time.perf_counter() - started:.0f} s "
          "(generation included)", flush=True)
    return location


def _drop(backend: str, location: str, n: int) -> None:
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(location + suffix).unlink(missing_ok=True)
    else:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "bench_abuse_{n}" CASCADE')


def measure(backend: str, location: str, cache: Path, repeat: int
            ) -> list[tuple[str, float, float, str]]:
    """(label, worst wall-clock seconds, CPU seconds of that run in this process, outcome)."""
    rows = []
    with open_archive(location, **location_of(backend, 0, cache)[1]) as store:
        for label, what, query in [ANCHOR, *abuse_mix()]:
            run(store, what, query)  # warm: a cold cache is the disk's cost, not the query's
            times = []
            for _ in range(repeat):
                started, cpu = time.perf_counter(), time.thread_time()
                outcome = run(store, what, query)
                times.append((time.perf_counter() - started, time.thread_time() - cpu))
            wall, cpu = max(times)
            rows.append((label, wall, cpu, outcome))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--cache", type=Path,
                        default=Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
                        / "daftar-bench")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each query (worst kept)")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    print(f"search abuse: {args.records:,} documents, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}", flush=True)
    summary = []
    for backend in args.backends.split(","):
        location = ensure(backend, args.records, args.cache)
        before = os.getloadavg()[0]
        rows = measure(backend, location, args.cache, args.repeat)
        after = os.getloadavg()[0]
        print(f"\n{backend} (load average {before:.1f} -> {after:.1f}); wall-clock seconds, "
              f"worst of {args.repeat}, and that run's CPU seconds in this process (all of "
              f"SQLite's work; PostgreSQL's server work is not in it):")
        for label, seconds, cpu, outcome in rows:
            print(f"  {seconds:8.3f} {cpu:7.3f}  {label:48} {outcome}")
        anchor = rows[0][1]
        worst = max(rows[1:], key=lambda r: r[1])
        summary.append((backend, worst, anchor))
    print()
    for backend, (label, seconds, cpu, _), anchor in summary:
        verdict = "ok" if seconds <= TARGET_S else "OVER TARGET"
        print(f"{backend:9} worst {seconds:.3f} s, {cpu:.3f} CPU-s here ({label}); target "
              f"{TARGET_S:.0f} s: {verdict}; {seconds / anchor:.1f}x the anchor phrase search "
              f"({anchor * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
