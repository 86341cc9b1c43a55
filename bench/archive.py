"""Archive benchmark: bulk load rate and query latency, SQLite and PostgreSQL in one run.

    python bench/archive.py [--records 100000] [--queries 300] [--backends sqlite,postgres]

Generates realistic records (federal, provincial, university and Indian issuers; circulars,
memoranda, notifications, letters, orders; dates 1975-2026; 300-1,500 words of government
prose; citations to each other and to rules), loads them with ``ingest_many`` and times a
fixed mix of phrase, boolean, filtered and reference-number queries. Prints a table and the
PostgreSQL/SQLite ratio. Targets at 100k records on SQLite: load >= 1,000 records/s,
query p95 <= 50 ms.

What the load rate measures: the archive's work only.  The records are generated once,
before any timer starts, and held in memory (about 1.5 GB at 100,000 records) for both
backends; the timer covers ``ingest_many`` alone: validating, serialising, hashing and
compressing each record and writing it with its full text, derived tables, citations,
audit entries and change feed.  Generating the records is the benchmark's cost, not the
archive's: it is timed separately and printed, with the rate of generating and loading
one after the other, so nothing is hidden.  The load rate is reported against the wall
clock and per CPU-second of this process (for SQLite that is all of the work; for
PostgreSQL the server's work is not in it); on a shared machine the wall-clock figures
include waiting for a CPU, so the load average is printed beside them.
"""

from __future__ import annotations

import argparse
import functools
import gc
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Iterator

import numpy as np

# This file is bench/archive.py: keep its folder off sys.path so "archive" is the package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from archive import SearchQuery, open_archive  # noqa: E402
from archive.keys import reference_key  # noqa: E402
from archive.samples import make_record  # noqa: E402

PG_URL = os.environ.get("DAFTAR_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")

ISSUERS = [  # (organization, department, place, reference pattern, document types)
    ("Government of Pakistan", "Establishment Division", "Islamabad", "F.No.{a}/{b}/{y}-D-{r}", "om"),
    ("Government of Pakistan", "Finance Division", "Islamabad", "F.No.{a}({b})R-{r}/{y}", "om"),
    ("Government of Pakistan", "Ministry of Interior", "Islamabad", "No.{a}/{b}/{y}-Admn", "om"),
    ("Government of Pakistan", "Cabinet Division", "Islamabad", "No.{a}/{b}/{y}-Cab", "om"),
    ("Government of Pakistan", "Ministry of Federal Education and Professional Training", "Islamabad", "F.No.{a}-{b}/{y}-Edu", "om"),
    ("Government of the Punjab", "Services and General Administration Department", "Lahore", "No.SO(R-{r})/{a}-{b}/{y}", "notif"),
    ("Government of the Punjab", "Finance Department", "Lahore", "No.FD.SR-{r}/{a}-{b}/{y}", "letter"),
    ("Government of Sindh", "Services, General Administration and Coordination Department", "Karachi", "No.SO(C-{r})/SGA&CD/{a}-{b}/{y}", "notif"),
    ("Government of Khyber Pakhtunkhwa", "Higher Education Department", "Peshawar", "No.SO(Admn)HED/{a}-{b}/{y}", "order"),
    ("Government of Balochistan", "Health Department", "Quetta", "No.SO(H)/{a}-{b}/{y}", "notif"),
    ("Allama Iqbal Open University", "Registrar's Department", "Islamabad", "No.F.{a}-{b}/{y}-Admn/{c}", "circular"),
    ("University of the Punjab", "Registrar's Office", "Lahore", "No.{c}/Est.{r}/{y}", "circular"),
    ("Quaid-i-Azam University", "Office of the Registrar", "Islamabad", "No.QAU/Reg/{a}/{y}/{c}", "circular"),
    ("Government of India", "Department of Personnel and Training", "New Delhi", "No.{c}/{b}/{y}-Estt.(A-{r})", "om"),
    ("Government of India", "Ministry of Finance, Department of Expenditure", "New Delhi", "F.No.{a}/{b}/{y}-E.II(B)", "om"),
    ("Government of India", "Ministry of Home Affairs", "New Delhi", "No.{a}/{b}/{y}-Pers.{r}", "order"),
    ("University Grants Commission", None, "New Delhi", "F.{a}-{b}/{y}(PS)", "circular"),
]
TYPES = {"om": ["office_memorandum"] * 4 + ["circular", "letter"],
         "notif": ["notification"] * 4 + ["order", "letter"],
         "letter": ["letter"] * 3 + ["circular"],
         "order": ["office_order"] * 3 + ["order", "notification"],
         "circular": ["circular"] * 4 + ["office_order", "notification"]}
ROMAN = ["I", "II", "III", "IV", "V"]
RULES = [
    ("Government Servants (Conduct) Rules", 1964, ["Rule 18", "Rule 21", "Rule 25", "Rule 25-A", "Rule 25-B"]),
    ("Civil Servants (Efficiency and Discipline) Rules", 2020, ["Rule 3", "Rule 4"]),
    ("Civil Servants Act", 1973, ["Section 9", "Section 10", "Section 13"]),
    ("Revised Leave Rules", 1980, ["Rule 12", "Rule 15"]),
    ("Fundamental Rules", 1922, ["FR 22", "FR 53"]),
    ("Punjab Civil Servants Act", 1974, ["Section 9", "Section 11"]),
    ("Khyber Pakhtunkhwa Government Servants (Efficiency and Discipline) Rules", 2011, ["Rule 4"]),
    ("Prevention of Electronic Crimes Act", 2016, ["Section 20"]),
    ("Central Civil Services (Conduct) Rules", 1964, ["Rule 3", "Rule 9"]),
    ("Central Civil Services (Leave) Rules", 1972, ["Rule 26"]),
    ("Right to Information Act", 2005, ["Section 4"]),
    ("Constitution of the Islamic Republic of Pakistan", 1973, ["Article 19", "Article 25"]),
]
COMMON = """government servants officers officials employees department division ministry section
office memorandum circular notification letter order reference subject instructions compliance
strict immediate effect hereby directed requested informed pleased competent authority approval
sanction provincial federal district headquarters secretariat establishment administration
information necessary further distribution all heads concerned the of and to in for on with by
as is are be shall may not any such this that which their from at or an it have has been was
were under above below said ibid mentioned aforesaid regarding vide dated no please ensure
matter case cases period within days report submitted action taken policy guidelines procedure
prescribed format annexed enclosed herewith copy forwarded rules""".split()
TOPICS = {  # words and phrases that make a document about something
    "leave": ("leave earned casual medical maternity extraordinary encashment sanctioned days "
              "absence station ex-pakistan", ["earned leave", "leave encashment", "casual leave"]),
    "transfer": ("transfer posting posted transferred relieved charge assume joining report "
                 "vacancy", ["transfer and posting", "with immediate effect", "assume charge"]),
    "pension": ("pension gratuity commutation retirement superannuation family pensioners "
                "revision increase arrears", ["pension revision", "family pension", "pay and allowances"]),
    "discipline": ("disciplinary proceedings inquiry enquiry charge sheet show cause notice penalty "
                   "misconduct inefficiency corruption removal dismissal", ["show cause notice",
                   "disciplinary proceedings", "charge sheet", "inquiry officer"]),
    "procurement": ("procurement tender quotation contract rates purchase vehicles fuel supply "
                    "bids evaluation", ["austerity measures", "purchase of vehicles", "tender notice"]),
    "health": ("hospital health doctors nurses vaccination campaign polio dengue patients "
               "medicines", ["polio vaccination campaign", "dengue prevention"]),
    "education": ("university registrar dean faculty students examination result admission "
                  "semester fee hostel teaching lecturer professor", ["examination schedule",
                  "admission policy", "teaching staff"]),
    "media": ("social media platforms public statements press internet website official "
              "confidential classified twitter facebook", ["social media", "official secrets",
              "press statements"]),
    "attendance": ("attendance biometric office timings working hours holidays ramadan summer "
                   "winter late punctuality", ["biometric attendance", "office timings"]),
    "promotion": ("promotion seniority selection board committee meeting minutes agenda "
                  "regularisation appointment deputation", ["selection board", "seniority list",
                  "departmental promotion committee"]),
}
TOPIC_NAMES = list(TOPICS)


def _zipf_weights(n: int) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1) ** 0.8
    return w / w.sum()


def generate(n: int, seed: int = 7) -> Iterator[dict]:
    """``n`` records, the same for the same seed; references point at earlier records.

    Each document has one or two topics: their words and phrases are frequent in it and
    rare elsewhere, over a background of common official words and general English
    (wordfreq's 20,000 most frequent words, Zipf-distributed), so queries have realistic
    selectivity rather than matching every document.
    """
    from wordfreq import top_n_list

    rng = np.random.default_rng(seed)
    common = np.array(COMMON, dtype=object)
    common_cdf = np.cumsum(_zipf_weights(len(common)))
    general = np.array(top_n_list("en", 20000)[200:], dtype=object)
    general_cdf = np.cumsum(_zipf_weights(len(general)))
    topic_words = {t: np.array(w.split(), dtype=object) for t, (w, _) in TOPICS.items()}
    refs: list[tuple[str, str]] = []
    key = functools.lru_cache(maxsize=None)(reference_key)  # numbers are cited again and again

    def draw(pool: np.ndarray, cdf: np.ndarray | None, k: int) -> np.ndarray:
        if cdf is None:
            return pool[rng.integers(0, len(pool), size=k)]
        return pool[np.minimum(np.searchsorted(cdf, rng.random(k)), len(pool) - 1)]

    for i in range(n):
        org, dept, place, pattern, family = ISSUERS[rng.integers(len(ISSUERS))]
        year = int(rng.integers(1975, 2027))  # drawn per record: a prefix of n is the same
        date = f"{year}-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d}"
        number = pattern.format(a=rng.integers(1, 99), b=rng.integers(1, 400), y=year,
                                r=ROMAN[rng.integers(5)], c=rng.integers(100, 9999))
        topics = [TOPIC_NAMES[t] for t in rng.choice(len(TOPIC_NAMES), size=rng.integers(1, 3), replace=False)]
        length = int(rng.integers(300, 1501))
        n_topic, n_general = length // 8, length // 3
        parts = [draw(common, common_cdf, length - n_topic - n_general),
                 draw(general, general_cdf, n_general)]
        parts += [draw(topic_words[t], None, n_topic // len(topics)) for t in topics]
        drawn = np.concatenate(parts)
        words = drawn[rng.permutation(len(drawn))].tolist()  # shuffled in numpy: same words
        sentences = [" ".join(words[j:j + 18]).capitalize() + "." for j in range(0, len(words), 18)]
        for t in topics:
            for phrase in TOPICS[t][1]:
                if rng.random() < 0.6:
                    sentences.insert(rng.integers(len(sentences)), f"This concerns {phrase} of officers.")
        rules = []
        for k in rng.choice(len(RULES), size=rng.integers(0, 3), replace=False):
            name, ryear, provisions = RULES[k]
            chosen = [provisions[p] for p in sorted(set(rng.integers(0, len(provisions), size=2)))]
            rules.append({"instrument": name, "year": ryear, "provisions": chosen})
            sentences.insert(rng.integers(len(sentences)),
                             f"Attention is invited to {chosen[0]} of the {name}, {ryear}.")
        references = []
        if refs:
            for k in rng.integers(0, len(refs), size=rng.integers(0, 3)):
                ref, ref_date = refs[k]
                if rng.random() < 0.2:  # OCR damage in the citing document
                    ref = ref.replace("I", "l", 1).replace("0", "O", 1)
                if all(r["reference_number"] != ref for r in references):
                    references.append({"reference_number": ref, "date": ref_date, "issuer": None,
                                       "kind": "letter"})
                    sentences.insert(1, f"Reference this office letter {ref} dated {ref_date}.")
        subject = (TOPICS[topics[0]][1][0] + " " + " ".join(words[:rng.integers(2, 6)])).capitalize()
        text = "\n".join([org, dept or "", number, f"Dated {date}", f"Subject: {subject}", *sentences])
        family_types = TYPES[family]
        yield make_record(f"bench-{seed}-{i}", text=text,
                          document_type=family_types[rng.integers(len(family_types))],
                          organization=org, department=dept, reference_number=number, date=date,
                          place=place, subject=subject, references=references, cited_rules=rules,
                          needs_review=bool(rng.random() < 0.1), key=key)
        refs.append((number, date))


def query_mix(numbers: list[str], count: int, seed: int = 11) -> list[tuple[str, object]]:
    """A fixed mix: 30% phrase, 25% boolean, 25% filtered, 20% reference-number lookups.

    Reference lookups ask for numbers of the archive's first records (``numbers``, in
    load order), half of them with an OCR-style l-for-I slip.
    """
    rng = np.random.default_rng(seed)
    phrases = ['"social media"', '"earned leave"', '"disciplinary proceedings"', '"show cause notice"',
               '"with immediate effect"', '"selection board"', '"pay and allowances"', '"charge sheet"',
               '"austerity measures"', '"biometric attendance"', '"polio vaccination campaign"']
    booleans = ["transfer OR posting", "pension AND gratuity NOT india", "leave AND (earned OR casual)",
                "promot* AND seniority", "polio OR dengue", "tender NOT quotation",
                "inquiry AND misconduct", "university AND examination AND hostel"]
    filters = [SearchQuery(text="leave", document_type="notification"),
               SearchQuery(text="pension", issuer="finance", year=2019),
               SearchQuery(text="transfer", date_from="2010-01-01", date_to="2015-12-31"),
               SearchQuery(issuer="establishment", year=2021),
               SearchQuery(text="conduct", cites="Conduct Rules", provision="Rule 18"),
               SearchQuery(text="students", place="lahore"),
               SearchQuery(document_type="office_order", issuer="higher education"),
               SearchQuery(text='"social media"', document_type="office_memorandum", date_from="2015-01-01")]
    refs = [number for i, number in enumerate(numbers[:3000]) if i % 97 == 0]
    mix: list[tuple[str, object]] = []
    for i in range(count):
        roll = rng.random()
        if roll < 0.30:
            mix.append(("phrase", SearchQuery(text=phrases[rng.integers(len(phrases))])))
        elif roll < 0.55:
            mix.append(("boolean", SearchQuery(text=booleans[rng.integers(len(booleans))])))
        elif roll < 0.80:
            mix.append(("filtered", filters[rng.integers(len(filters))]))
        else:
            ref = refs[rng.integers(len(refs))]
            mix.append(("reference", ref.replace("I", "l", 1) if rng.random() < 0.5 else ref))
    return mix


def generate_all(n: int) -> tuple[list[dict], float]:
    """The benchmark's records, generated before any load is timed, and the seconds it took."""
    started = time.perf_counter()
    records = list(generate(n))
    seconds = time.perf_counter() - started
    # The records stay alive for the whole run; moved out of the collector's sight they
    # are not traversed again by every full collection during the loads.
    gc.collect()
    gc.freeze()
    return records, seconds


def run_backend(name: str, location: str, objects: Path, records: list[dict], mix: list,
                chunk: int) -> dict:
    """Load ``records`` (timed: ``ingest_many`` only), then time each query of ``mix``."""
    store = open_archive(location, objects_dir=objects)
    try:
        load_before = os.getloadavg()[0]
        started, cpu_started = time.perf_counter(), time.process_time()
        loaded = sum(r.status == "created" for r in store.ingest_many(records, chunk=chunk))
        load_s = time.perf_counter() - started
        load_cpu_s = time.process_time() - cpu_started
        load_after = os.getloadavg()[0]
        for kind, query in mix[:10]:  # warm caches the same way for both backends
            _run(store, kind, query)
        queries_before = os.getloadavg()[0]
        timings: dict[str, list[float]] = {}
        cpu: list[float] = []
        for kind, query in mix:
            t0, c0 = time.perf_counter(), time.thread_time()
            _run(store, kind, query)
            elapsed = (time.perf_counter() - t0) * 1000
            cpu.append((time.thread_time() - c0) * 1000)
            timings.setdefault(kind, []).append(elapsed)
            timings.setdefault("all", []).append(elapsed)
        queries_after = os.getloadavg()[0]
    finally:
        store.close()
    return {"backend": name, "records": loaded, "load_s": load_s, "rate": loaded / load_s,
            "cpu_rate": loaded / load_cpu_s, "loadavg": (load_before, load_after),
            "query_loadavg": (queries_before, queries_after), "timings": timings, "cpu": cpu}


def _run(store, kind: str, query) -> None:
    if kind == "reference":
        store.find_by_reference(query)
    else:
        store.search(query)


def _pct(values: list[float], p: float) -> float:
    return float(np.percentile(np.array(values), p)) if values else float("nan")


def report(results: list[dict], n: int, queries: int, generation_s: float) -> None:
    print(f"\narchive benchmark: {n} records, {queries} queries, on {os.cpu_count()} CPUs; "
          f"wall-clock figures include waiting for a CPU (load average beside each load)")
    print(f"records generated before the loads, not timed in them: {generation_s:.1f} s "
          f"({n / generation_s:.0f} records/s)")
    print(f"{'backend':10} {'load rec/s':>10} {'rec/CPU-s':>9} {'load s':>7} {'load avg':>10} "
          f"{'kind':>10} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for r in results:
        loadavg = "{:.1f}-{:.1f}".format(*r["loadavg"])
        for kind in ("phrase", "boolean", "filtered", "reference", "all"):
            t = r["timings"].get(kind, [])
            print(f"{r['backend']:10} {r['rate']:10.0f} {r['cpu_rate']:9.0f} {r['load_s']:7.1f} "
                  f"{loadavg:>10} {kind:>10} {len(t):5d} {_pct(t, 50):8.1f} {_pct(t, 95):8.1f} "
                  f"{_pct(t, 99):8.1f}")
    print("rec/CPU-s: CPU time of this process (PostgreSQL's server work is not in it)")
    for r in results:
        print(f"{r['backend']}: generation and load one after the other: "
              f"{n / (generation_s + r['load_s']):.0f} records/s; load average "
              "{:.1f}-{:.1f} while querying".format(*r["query_loadavg"]))
    if len(results) == 2:
        s, p = results
        print(f"\nratio postgres/sqlite: load rate {p['rate'] / s['rate']:.2f}, "
              f"query p50 {_pct(p['timings']['all'], 50) / _pct(s['timings']['all'], 50):.2f}, "
              f"p95 {_pct(p['timings']['all'], 95) / _pct(s['timings']['all'], 95):.2f}")
    sqlite = next((r for r in results if r["backend"] == "sqlite"), None)
    if sqlite:
        print(f"sqlite query CPU p50 {_pct(sqlite['cpu'], 50):.1f} ms, "
              f"p95 {_pct(sqlite['cpu'], 95):.1f} ms, p99 {_pct(sqlite['cpu'], 99):.1f} ms")
        p95 = _pct(sqlite["timings"]["all"], 95)
        print(f"sqlite targets: load {sqlite['rate']:.0f} rec/s wall (target >= 1000) "
              f"{'OK' if sqlite['rate'] >= 1000 else 'MISSED'}; query p95 {p95:.1f} ms "
              f"(target <= 50) {'OK' if p95 <= 50 else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    backends = args.backends.split(",")
    records, generation_s = generate_all(args.records)
    mix = query_mix([r["fields"]["reference_number"] for r in records[:3000]], args.queries)
    work = Path(tempfile.mkdtemp(prefix="daftar-bench-"))
    results = []
    try:
        if "sqlite" in backends:
            results.append(run_backend("sqlite", str(work / "archive.sqlite"), work / "objects",
                                       records, mix, args.chunk))
            size = (work / "archive.sqlite").stat().st_size / 1e6
            print(f"sqlite file: {size:.0f} MB", flush=True)
        if "postgres" in backends:
            schema = "daftar_bench_" + uuid.uuid4().hex[:8]
            try:
                results.append(run_backend("postgres", f"{PG_URL}?schema={schema}", work / "objects",
                                           records, mix, args.chunk))
            finally:
                import psycopg
                with psycopg.connect(PG_URL, autocommit=True) as conn:
                    conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(results, args.records, len(mix), generation_s)


if __name__ == "__main__":
    main()
