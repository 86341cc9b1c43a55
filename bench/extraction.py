"""Per-field precision / recall / F1 of extraction against gold JSON.

Run:  .venv/bin/python bench/extraction.py [--no-scans]
      .venv/bin/python bench/extraction.py --split dev|test|all [--levels 0 1 2 3] [--show-misses]

With ``--split`` the real corpus is scored instead (``bench/corpus_extraction.py``): per
field P/R/F1 from raw text as found, from clean text, and from typeset scans at the levels
asked for. ``test`` is run to report, never to tune.

Inputs
  1. /work/shared/examples/ocr-output-two-circulars.txt: the RAW OCR file through the whole
     text path (split -> correct -> extract) with ``pipeline.api.process_file``, scored
     against /work/shared/examples/gold/*.json (documents matched in file order).
  2. every scan listed in samples/MANIFEST.json at level 0 that has
     samples/expected/<name>.json: OCR'd once with Tesseract through process_file, the OCR
     text cached in bench/results/ocr/<sha256>.txt, then re-run from the cache (the cache
     keeps text, not word boxes: the samples figure measures the text-only path).

Scoring (every gold value is one item; every predicted value is one item)
  * scalars (document_type, issuer.organization, issuer.department, reference_number, date,
    place, subject): exact after normalisation (a reference number also by canonical key) (case folded, punctuation -> space, '&' ->
    'and', whitespace squeezed). A null on both sides counts nothing; a value on one side
    only is a false negative / false positive.
  * addressees, distribution: multisets; an item matches on normalised equality, or for
    items of 30+ characters on rapidfuzz ratio >= 90 (OCR residue in long addresses).
  * signatories: two multisets, names (non-null) and designations, normalised equality.
  * references: (canonical_key(number) or None, date) pairs.
  * cited_rules: (instrument, year) pairs plus (instrument, provision) pairs.
  * instructions: (number) multiset when gold lists them; when gold gives only
    ``instructions_count``, min(pred, gold) true positives.
Fields absent from a gold file are not scored. The last line is ``micro-F1: 0.xxx`` over
every field of every document.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from corpus.score import item_matches, norm, reference_item, same_number  # noqa: E402  (one rule with training)

EXAMPLE = Path("/work/shared/examples/ocr-output-two-circulars.txt")
GOLD_DIR = Path("/work/shared/examples/gold")
EXAMPLE_GOLD = ["aiou-circular-2023", "estab-om-2021"]
SAMPLES = ROOT / "samples"
CACHE = ROOT / "bench" / "results" / "ocr"
SCALARS = ["document_type", "organization", "department", "reference_number", "date", "place", "subject"]




class Tally:
    def __init__(self) -> None:
        self.tp: Counter[str] = Counter()
        self.fp: Counter[str] = Counter()
        self.fn: Counter[str] = Counter()

    def add(self, name: str, tp: int, fp: int, fn: int) -> None:
        self.tp[name] += tp
        self.fp[name] += fp
        self.fn[name] += fn


def match_multiset(gold: list[str], pred: list[str], *, fuzzy: bool = False) -> tuple[int, int, int]:
    remaining = list(pred)
    tp = 0
    for g in gold:
        hit = next((p for p in remaining if p == g), None)
        if hit is None and fuzzy:
            hit = next((p for p in remaining if item_matches(g, p)), None)
        if hit is not None:
            remaining.remove(hit)
            tp += 1
    return tp, len(remaining), len(gold) - tp


def score_document(gold: dict, pred: dict, tally: Tally) -> None:
    flat_gold = {**gold, **{k: (gold.get("issuer") or {}).get(k) for k in ("organization", "department")}}
    flat_pred = {**pred, **{k: (pred.get("issuer") or {}).get(k) for k in ("organization", "department")}}
    for name in SCALARS:
        g, p = flat_gold.get(name), flat_pred.get(name)
        if name not in flat_gold and name not in ("organization", "department"):
            continue
        tp = int(g is not None and p is not None and (norm(g) == norm(p) or _same_number(name, g, p)))
        tally.add(name, tp, int(p is not None and not tp), int(g is not None and not tp))
    for name in ("addressees", "distribution"):
        if name in gold:
            tally.add(name, *match_multiset([norm(x) for x in gold[name]], [norm(x) for x in pred[name]], fuzzy=True))
    if "signatories" in gold:
        for part in ("name", "designation"):
            tally.add(f"signatory.{part}", *match_multiset(
                [norm(s[part]) for s in gold["signatories"] if s.get(part)],
                [norm(s[part]) for s in pred["signatories"] if s.get(part)]))
    if "references" in gold:
        def ref_items(refs: list[dict]) -> list[str]:
            return [reference_item(r) for r in refs]
        tally.add("references", *match_multiset(ref_items(gold["references"]), ref_items(pred["references"])))
    if "cited_rules" in gold:
        named = _as_gold_names(gold["cited_rules"], pred["cited_rules"])

        def instruments(rules: list[dict]) -> list[str]:
            return [f"{named(r)}@{r.get('year')}" for r in rules]

        def provisions(rules: list[dict]) -> list[str]:
            return [f"{named(r)}#{norm(p)}" for r in rules for p in r.get("provisions", [])]
        tally.add("cited_rules", *match_multiset(instruments(gold["cited_rules"]), instruments(pred["cited_rules"])))
        tally.add("provisions", *match_multiset(provisions(gold["cited_rules"]), provisions(pred["cited_rules"])))
    if "instructions" in gold:
        tally.add("instructions", *match_multiset([norm(i["number"]) for i in gold["instructions"]],
                                                  [norm(i["number"]) for i in pred["instructions"]]))
    elif "instructions_count" in gold:
        g, p = gold["instructions_count"], len(pred["instructions"])
        tally.add("instructions", min(g, p), max(0, p - g), max(0, g - p))


def _as_gold_names(gold: list[dict], pred: list[dict]):  # noqa: ANN202 - a key function
    """An instrument's name for matching: the record keeps the gazetteer's name and the
    printed one (``as_printed``); whichever the gold uses is the one compared."""
    wanted = {norm(r["instrument"]) for r in gold}

    def name(r: dict) -> str:
        printed = norm(r.get("as_printed") or "")
        return printed if printed in wanted and norm(r["instrument"]) not in wanted else norm(r["instrument"])
    return name


def _same_number(name: str, gold: object, pred: object) -> bool:
    return name == "reference_number" and same_number(gold, pred)


def explain_misses(name: str, gold: dict, pred: dict) -> None:
    """Print each scored field whose prediction differs from the gold (for dev work)."""
    flat = lambda d: {**d, **{f"issuer.{k}": (d.get("issuer") or {}).get(k) for k in ("organization", "department")}}  # noqa: E731
    g, p = flat(gold), flat(pred)
    p = {**p, "instructions_count": len(pred.get("instructions") or [])}
    for key, want in g.items():
        if key in ("notes", "issuer", "relations") or (key == "instructions_count" and "instructions_count" not in gold):
            continue
        got = p.get(key)
        if key in ("references", "cited_rules", "signatories"):
            same = _comparable(key, want) == _comparable(key, got or [])
        elif isinstance(want, list):
            same = sorted(norm(x) for x in want) == sorted(norm(x) for x in got or [])
        elif key == "instructions_count":
            same = want == got
        else:
            same = (want is None and got is None) or (want is not None and got is not None and (
                norm(want) == norm(got) or _same_number(key, want, got)))
        if not same:
            print(f"  {name} {key}:\n    gold {json.dumps(want, ensure_ascii=False)[:400]}\n    got  {json.dumps(got, ensure_ascii=False)[:400]}")


def _comparable(key: str, items: list[dict]) -> list:
    if key == "references":
        return sorted(reference_item(r) for r in items)
    if key == "cited_rules":
        return sorted(f"{norm(r['instrument'])}@{r.get('year')}#{sorted(norm(x) for x in r.get('provisions', []))}"
                      f"|{norm(r.get('as_printed') or '')}" for r in items)
    return sorted(f"{norm(s.get('name') or '')}|{norm(s.get('designation') or '')}" for s in items)


def fields_of(path: Path) -> list[dict]:
    """Fields of every document in a file, through the library's whole text path."""
    try:
        from pipeline.api import process_file
    except ImportError:  # before the API exists: the same stages composed here
        return composed_fields(path.read_text(encoding="utf-8"))
    return [r.fields.model_dump(mode="json") for r in process_file(path)]


def composed_fields(raw: str) -> list[dict]:
    """split -> correct (when the corrector exists) -> extract -> link_documents."""
    from pipeline.extract import extract_fields, link_documents
    from pipeline.split import split_documents

    try:
        from corrections import correct_text
    except ImportError:
        def correct_text(text: str):  # noqa: ANN202 - identity stand-in with the same shape
            return type("Identity", (), {"text": text})()
    texts = [correct_text(raw[s:e]).text for s, e in split_documents(raw)]
    return [ex.fields for ex in link_documents([extract_fields(t) for t in texts])]


def cached_ocr_fields(scan: Path) -> list[dict]:
    """OCR a scan once (Tesseract via process_file), cache its text, extract from the cache."""
    from pipeline.api import process_file

    digest = hashlib.sha256(scan.read_bytes()).hexdigest()
    cached = CACHE / f"{digest}.txt"
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        records = process_file(scan)
        cached.write_text("\n\f\n".join(r.raw_text for r in records), encoding="utf-8")
    return fields_of(cached)


def report(title: str, tally: Tally) -> float:
    print(f"\n{title}")
    print(f"{'field':22} {'tp':>4} {'fp':>4} {'fn':>4} {'P':>6} {'R':>6} {'F1':>6}")
    names = sorted(set(tally.tp) | set(tally.fp) | set(tally.fn))
    for name in names:
        tp, fp, fn = tally.tp[name], tally.fp[name], tally.fn[name]
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{name:22} {tp:4} {fp:4} {fn:4} {p:6.3f} {r:6.3f} {f:6.3f}")
    tp, fp, fn = sum(tally.tp.values()), sum(tally.fp.values()), sum(tally.fn.values())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-scans", action="store_true", help="score only the example text file")
    parser.add_argument("--split", choices=["dev", "test", "all"], help="score the real corpus instead")
    parser.add_argument("--sources", nargs="+", default=["raw", "clean"], choices=["raw", "clean"])
    parser.add_argument("--levels", type=int, nargs="*", default=[], choices=[0, 1, 2, 3])
    parser.add_argument("--show-misses", action="store_true", help="print every wrong field (dev only)")
    args = parser.parse_args()
    if args.split:
        from bench.corpus_extraction import score_split

        if args.show_misses and args.split != "dev":
            parser.error("--show-misses is for dev: test is scored to report, never to tune")
        score_split(args.split, args.sources + [f"level {n}" for n in args.levels], show_misses=args.show_misses)
        return
    example = Tally()
    preds = fields_of(EXAMPLE)
    print(f"example file: {len(preds)} documents found (gold: {len(EXAMPLE_GOLD)})")
    for name, pred in zip(EXAMPLE_GOLD, preds + [None] * len(EXAMPLE_GOLD)):
        gold = json.loads((GOLD_DIR / f"{name}.json").read_text(encoding="utf-8"))
        score_document(gold, pred or _empty(), example)
    f1_example = report("raw OCR example file vs gold (pipeline.api.process_file)", example)
    print(f"example micro-F1: {f1_example:.3f}")
    linked = Tally()
    for name, pred in zip(EXAMPLE_GOLD, composed_fields(EXAMPLE.read_text(encoding="utf-8")) + [None] * 2):
        score_document(json.loads((GOLD_DIR / f"{name}.json").read_text(encoding="utf-8")), pred or _empty(), linked)
    tp, fp, fn = sum(linked.tp.values()), sum(linked.fp.values()), sum(linked.fn.values())
    print(f"example micro-F1 with link_documents (split -> correct -> extract -> link): {2 * tp / (2 * tp + fp + fn):.3f}")
    clean = Tally()
    for path in sorted((SAMPLES / "expected").glob("*.json")):
        source = SAMPLES / "clean" / f"{path.stem}.txt"
        if source.exists():
            from pipeline.extract import extract_fields

            score_document(json.loads(path.read_text(encoding="utf-8")), extract_fields(source.read_text(encoding="utf-8")).fields, clean)
    if clean.tp:
        print(f"diagnostic, sample clean texts (not in the final line): micro-F1 {report('samples/clean vs samples/expected', clean):.3f}")
    overall = Tally()
    for t in (example,):
        for attr in ("tp", "fp", "fn"):
            getattr(overall, attr).update(getattr(t, attr))
    manifest = SAMPLES / "MANIFEST.json"
    if not args.no_scans and manifest.exists():
        samples = Tally()
        for entry in json.loads(manifest.read_text(encoding="utf-8"))["scans"]:
            if entry.get("level") != 0:
                continue
            expected = [SAMPLES / d["expected"] for d in entry["documents"]]
            if not all(p.exists() for p in expected):
                continue
            preds = cached_ocr_fields(SAMPLES / entry["file"])
            for path, pred in zip(expected, preds + [None] * len(expected)):
                score_document(json.loads(path.read_text(encoding="utf-8")), pred or _empty(), samples)
        if samples.tp or samples.fn:
            print(f"samples micro-F1: {report('level-0 sample scans vs samples/expected', samples):.3f}")
            for attr in ("tp", "fp", "fn"):
                getattr(overall, attr).update(getattr(samples, attr))
    tp, fp, fn = sum(overall.tp.values()), sum(overall.fp.values()), sum(overall.fn.values())
    print(f"micro-F1: {2 * tp / (2 * tp + fp + fn) if tp else 0.0:.3f}")


def _empty() -> dict:
    return {"document_type": None, "issuer": {}, "reference_number": None, "date": None, "place": None,
            "subject": None, "references": [], "cited_rules": [], "instructions": [], "signatories": [],
            "addressees": [], "distribution": []}


if __name__ == "__main__":
    main()
