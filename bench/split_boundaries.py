"""Document boundaries in multi-document files built from the real corpus (corpus/README.md).

    .venv/bin/python bench/split_boundaries.py                          # text, dev and test
    OMP_THREAD_LIMIT=1 .venv/bin/python bench/split_boundaries.py --scans --levels 0 2

One input file may hold several documents; this measures how well ``pipeline/split.py``
finds where each begins. Files are concatenations of 2-4 corpus documents of one split,
built deterministically (seeded): every document is used ``--uses`` times, each time in a
different shuffle, so it gets different neighbours and positions, and every office with
several documents also gets files of its own documents side by side (same letterhead,
same number series). Sources:

  * text, documents joined as OCR output of consecutive pages looks: after a blank line
    (``blank``) or after a form feed (``ff``; a ``.txt`` file's page separator), from
    ``clean.txt`` and from ``raw.txt`` (the text as found, its real OCR damage kept);
  * scans: every document's ``clean.txt`` typeset on A4 pages (``typeset_pages`` of
    bench/corpus_extraction.py), each document starting on a new page as scans do,
    damaged with ``samples/render.py`` at each ``--levels`` level, saved as one multi-page
    TIFF and as one image-only PDF, a handful of files per split (``--scan-files``).

Every file goes through the library's whole path, ``pipeline.api.process_file``, exactly
as a user's file would; a scan's OCR text is cached per page under bench/results/ocr/ by
the digest of its images, and a cached file is replayed through
``pipeline.assemble.build_records`` with those page texts (what ``process_file`` does after
OCR), so a change to the splitter is measured again without OCR.

Scores, over boundaries (every document start but a file's first): precision, recall and
F1, where a predicted start matches a true one within +-2 lines (text) or on the same page
(scans), and the share of files split exactly right. ``test`` is run to report, never to
tune. The last line printed is the test boundary F1 over every source measured.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus_extraction import A4_300DPI, LINE_CHARS, LINE_HEIGHT, MARGIN, typeset_pages  # noqa: E402
from corpus import CorpusDocument, documents  # noqa: E402

CACHE = ROOT / "bench" / "results" / "ocr"
SEED = 14
LINE_TOLERANCE = 2
JOINS = {"blank": "\n\n", "ff": "\n\f"}
PAGE_LINES = (A4_300DPI[1] - 2 * MARGIN) // LINE_HEIGHT


# ---------------------------------------------------------------- building the files


def compositions(docs: Sequence[CorpusDocument], uses: int, seed: int = SEED) -> list[list[CorpusDocument]]:
    """Files of 2-4 documents: ``uses`` shuffled passes over ``docs``, plus same-office files."""
    rng = random.Random(seed)
    files: list[list[CorpusDocument]] = []
    for _ in range(uses):
        order = list(docs)
        rng.shuffle(order)
        while order:
            size = rng.choice((2, 3, 3, 4))
            group, order = order[:size], order[size:]
            if len(group) == 1:  # a lone leftover joins the previous file or a random pair
                group = [group[0], rng.choice([d for d in docs if d is not group[0]])]
            files.append(group)
    by_office: dict[str, list[CorpusDocument]] = {}
    for d in docs:
        by_office.setdefault(d.office, []).append(d)
    for office in sorted(by_office):
        same = by_office[office]
        if len(same) < 2:
            continue
        for order in (list(same), list(reversed(same))):
            group = order[:4]
            if len(group) < 4:  # and a stranger between or after them
                group.insert(rng.randrange(len(group) + 1), rng.choice([d for d in docs if d.office != office]))
            files.append(group)
    return files


def printed_lines(doc: CorpusDocument) -> int:
    """Lines ``typeset_pages`` prints for a document (about 59 fit on a page)."""
    return sum(len(textwrap.wrap(line, LINE_CHARS)) or 1 for line in doc.clean.splitlines())


def scan_compositions(files: list[list[CorpusDocument]], count: int, seed: int = SEED) -> list[list[CorpusDocument]]:
    """A few of the files for scanning: same-office ones, ones holding a document that runs
    onto a second page (so page breaks inside a document are tested too), a seeded sample."""
    rng = random.Random(seed + 1)
    same = [f for f in files if len({d.office for d in f}) < len(f)]
    long = [f for f in files if f not in same and any(printed_lines(d) > PAGE_LINES for d in f)]
    other = [f for f in files if f not in same and f not in long]
    picked = same[: max(1, count // 3)] + long[: max(1, count // 3)]
    picked += rng.sample(other, min(len(other), count - len(picked)))
    return picked


def joined_text(docs: Sequence[CorpusDocument], source: str, join: str) -> tuple[str, list[int]]:
    """The file's text and the offset where each document starts."""
    parts, starts, pos = [], [], 0
    for i, d in enumerate(docs):
        body = (d.clean if source == "clean" else d.raw).strip("\n")
        if i:
            parts.append(JOINS[join])
            pos += len(JOINS[join])
        starts.append(pos)
        parts.append(body)
        pos += len(body)
    return "".join(parts) + "\n", starts


# ---------------------------------------------------------------- running the pipeline


def text_starts(text: str) -> list[int]:
    """Offsets where ``process_file`` starts each document of a .txt file holding ``text``."""
    from pipeline.api import process_file

    with tempfile.TemporaryDirectory(prefix="daftar-split-") as tmp:
        path = Path(tmp) / "file.txt"
        path.write_text(text, encoding="utf-8")
        records = process_file(path)
    starts, pos = [], 0
    for r in records:
        found = text.find(r.raw_text, pos) if r.raw_text else pos
        starts.append(found)
        pos = found + len(r.raw_text)
    return starts


def _page_images(docs: Sequence[CorpusDocument], level: int) -> tuple[list, list[int]]:
    from samples.render import degrade

    pages, first_pages = [], []
    for d in docs:
        first_pages.append(len(pages) + 1)
        seed = int(hashlib.sha256(d.id.encode()).hexdigest()[:6], 16)
        for i, page in enumerate(typeset_pages(d.clean)):
            pages.append(degrade(page, level, seed + i) if level else page)
    return pages, first_pages


def scan_start_pages(docs: Sequence[CorpusDocument], level: int, kind: str) -> tuple[list[int], list[int], int]:
    """(true first pages, predicted first pages, page count) of one scanned file."""
    from pipeline.assemble import build_records
    from pipeline.models import OcrPage

    pages, truth = _page_images(docs, level)
    digest = hashlib.sha256(
        b"".join(p.tobytes() for p in pages) + f"{kind}/{level}".encode()
    ).hexdigest()
    cached = CACHE / f"split-{digest}.json"
    if not cached.exists():
        from pipeline.api import process_file

        with tempfile.TemporaryDirectory(prefix="daftar-split-scan-") as tmp:
            path = Path(tmp) / f"scan.{kind}"
            options = {"tif": dict(compression="tiff_lzw", dpi=(300, 300)), "pdf": dict(resolution=300.0)}[kind]
            pages[0].save(path, save_all=True, append_images=pages[1:], **options)
            records = process_file(path)
        texts: dict[int, str] = {}
        for r in records:
            for p in r.pages:
                texts[p.number] = texts.get(p.number, "") + p.text
        live = [r.source.page_range[0] for r in records]
        CACHE.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps({"pages": [texts.get(n, "") for n in range(1, len(pages) + 1)],
                                      "live_starts": live}), encoding="utf-8")
    data = json.loads(cached.read_text(encoding="utf-8"))
    ocr_pages = [OcrPage(number=n, text=t, source="ocr", decision="ocr (bench replay)")
                 for n, t in enumerate(data["pages"], start=1)]
    from pipeline.models import SourceFile

    source = SourceFile(f"scan.{kind}", digest, "image/tiff" if kind == "tif" else "application/pdf",
                        0, len(ocr_pages))
    records = build_records(source, ocr_pages)
    predicted = [r.source.page_range[0] for r in records]
    return truth, predicted, len(pages)


# ---------------------------------------------------------------- scoring


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    files: int = 0
    exact: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, truth: Sequence[int], predicted: Sequence[int], tolerance: int, name: str) -> None:
        true_b, left = list(truth[1:]), list(predicted[1:])  # a file's first start is no boundary
        tp = 0
        for t in true_b:
            near = [p for p in left if abs(p - t) <= tolerance]
            if near:
                left.remove(min(near, key=lambda p: abs(p - t)))
                tp += 1
        self.tp += tp
        self.fn += len(true_b) - tp
        self.fp += len(left)
        self.files += 1
        exact = tp == len(true_b) and not left
        self.exact += exact
        if not exact:
            self.misses.append(f"{name}: true {list(truth)} predicted {list(predicted)}")

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def cells(self) -> str:
        return (f"{self.tp + self.fn:4d} {self.precision:6.3f} {self.recall:6.3f} {self.f1:6.3f} "
                f"{self.exact:4d}/{self.files:<4d}")


def _line_of(text: str, offset: int) -> int:
    """Line number (form feeds count as line breaks) of the first non-blank line at ``offset``."""
    while offset < len(text) and text[offset] in " \t\n\f\r":
        offset += 1
    return text.count("\n", 0, offset) + text.count("\f", 0, offset)


def score_text(files: list[list[CorpusDocument]], source: str, join: str) -> Score:
    score = Score()
    for n, docs in enumerate(files):
        text, starts = joined_text(docs, source, join)
        predicted = text_starts(text)
        score.add([_line_of(text, s) for s in starts], [_line_of(text, s) for s in predicted],
                  LINE_TOLERANCE, f"file {n} [{', '.join(d.id for d in docs)}]")
    return score


def score_scans(files: list[list[CorpusDocument]], level: int, kind: str) -> tuple[Score, int, int]:
    score, pages, continuation = Score(), 0, 0
    for n, docs in enumerate(files):
        truth, predicted, count = scan_start_pages(docs, level, kind)
        pages += count
        continuation += count - len(docs)
        score.add(truth, predicted, 0, f"file {n} [{', '.join(d.id for d in docs)}]")
    return score, pages, continuation


def main(argv: list[str] | None = None) -> float:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=("dev", "test", "both"), default="both")
    ap.add_argument("--uses", type=int, default=3, help="times each document is used in text files")
    ap.add_argument("--scans", action="store_true", help="also typeset, damage and OCR scans")
    ap.add_argument("--levels", type=int, nargs="+", default=[0, 2])
    ap.add_argument("--scan-files", type=int, default=8, help="scanned files per split")
    ap.add_argument("--show-misses", action="store_true", help="list every file split wrong (dev only)")
    args = ap.parse_args(argv)

    splits = ["dev", "test"] if args.split == "both" else [args.split]
    files = {s: compositions(list(documents(split=s)), args.uses) for s in splits}
    rows: list[tuple[str, dict[str, Score]]] = []
    extra: dict[str, str] = {}
    for source in ("clean", "raw"):
        for join in JOINS:
            rows.append((f"text {source:5s} {join:5s}", {s: score_text(files[s], source, join) for s in splits}))
    if args.scans:
        for level in args.levels:
            for kind in ("tif", "pdf"):
                per = {}
                for s in splits:
                    picked = scan_compositions(files[s], args.scan_files)
                    per[s], pages, cont = score_scans(picked, level, kind)
                    extra[s] = f"{s}: {len(picked)} scanned files, {pages} pages ({cont} continuation pages)"
                rows.append((f"scan level {level} {kind:3s}", per))

    head = "".join(f" | {s:^33s}" for s in splits)
    print(f"{'source':22s}{head}")
    print(f"{'':22s}" + " | bounds   prec    rec     F1 exact   " * len(splits))
    for name, per in rows:
        print(f"{name:22s}" + "".join(f" | {per[s].cells()}" for s in splits))
    for s in splits:
        print(f"{s}: {len(files[s])} text files of {sum(len(f) for f in files[s])} documents")
        if s in extra:
            print(extra[s])
    if args.show_misses and "dev" in splits:
        for name, per in rows:
            for miss in per["dev"].misses:
                print(f"  dev {name.strip()}: {miss}")
    totals = {}
    for s in splits:
        total = Score()
        for _, per in rows:
            total.tp, total.fp, total.fn = total.tp + per[s].tp, total.fp + per[s].fp, total.fn + per[s].fn
            total.files, total.exact = total.files + per[s].files, total.exact + per[s].exact
        totals[s] = total
        print(f"{s} all sources: boundary P {total.precision:.3f} R {total.recall:.3f} F1 {total.f1:.3f}, "
              f"files exactly right {total.exact}/{total.files}")
    final = totals.get("test", totals[splits[-1]])
    print(f"{'test' if 'test' in totals else splits[-1]} boundary F1: {final.f1:.3f}")
    return final.f1


if __name__ == "__main__":
    main()
