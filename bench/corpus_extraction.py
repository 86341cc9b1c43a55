"""Per-field extraction scores on the real corpus (corpus/README.md), by split and source.

    .venv/bin/python bench/extraction.py --split dev                 # raw and clean text
    .venv/bin/python bench/extraction.py --split test --levels 0 2   # + typeset scans

Every document goes through the library's whole path for a file
(``pipeline.api.process_file``: load, [OCR,] correct, split, extract), exactly as a user's
file would. Sources:
  * ``raw``: ``raw.txt``, the text exactly as found, with its real OCR damage;
  * ``clean``: ``clean.txt``, the same text with only OCR damage repaired;
  * ``level N``: ``clean.txt`` typeset on A4 pages at 300 dpi (a multi-page TIFF when it
    runs long), damaged with ``samples/render.py``'s degradation of level N and OCR'd by
    Tesseract (the OCR text is cached by image digest in bench/results/ocr/).
The first record read from a file is scored against the gold; a file read as more than one
document is counted (``oversplit``) because the rest of its fields are then lost.
``test`` is scored to report, never to tune: rules and models are built on ``dev`` only.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.documents import A4_300DPI, FONT, LINE_CHARS  # noqa: E402  (the same page as bench/documents.py)
from corpus import CorpusDocument, documents  # noqa: E402

LINE_HEIGHT, MARGIN = 52, 200
CACHE = ROOT / "bench" / "results" / "ocr"


def typeset_pages(text: str) -> list[Image.Image]:
    """The text on white A4 pages, one printed line per line of text, a new page when full."""
    font = ImageFont.truetype(FONT, 34)
    pages: list[Image.Image] = []
    y = A4_300DPI[1]  # forces a first page
    for line in text.splitlines():
        for part in textwrap.wrap(line, LINE_CHARS) or [""]:
            if y + LINE_HEIGHT > A4_300DPI[1] - MARGIN:
                pages.append(Image.new("L", A4_300DPI, 255))
                draw, y = ImageDraw.Draw(pages[-1]), MARGIN
            draw.text((MARGIN, y), part, font=font, fill=0)
            y += LINE_HEIGHT
    return pages


def _records_fields(path: Path) -> list[dict]:
    from pipeline.api import process_file

    return [r.fields.model_dump(mode="json") for r in process_file(path)]


def text_fields(text: str) -> list[dict]:
    """Fields of every document read from a text file holding ``text``."""
    with tempfile.TemporaryDirectory(prefix="daftar-corpus-") as tmp:
        path = Path(tmp) / "document.txt"
        path.write_text(text, encoding="utf-8")
        return _records_fields(path)


def scan_fields(text: str, level: int, seed: int = 3) -> list[dict]:
    """Fields read from ``text`` typeset and damaged at ``level``, OCR text cached."""
    from samples.render import degrade

    pages = [degrade(p, level, seed + i) if level else p for i, p in enumerate(typeset_pages(text))]
    digest = hashlib.sha256(b"".join(p.tobytes() for p in pages) + bytes([level])).hexdigest()
    cached = CACHE / f"corpus-{digest}.txt"
    if not cached.exists():
        from pipeline.api import process_file

        with tempfile.TemporaryDirectory(prefix="daftar-corpus-scan-") as tmp:
            tiff = Path(tmp) / "scan.tif"
            pages[0].save(tiff, save_all=True, append_images=pages[1:], dpi=(300, 300), compression="tiff_lzw")
            records = process_file(tiff)
        CACHE.mkdir(parents=True, exist_ok=True)
        cached.write_text("\n\f\n".join(r.raw_text for r in records), encoding="utf-8")
    return text_fields(cached.read_text(encoding="utf-8"))


def fields_for(doc: CorpusDocument, source: str) -> list[dict]:
    if source == "raw":
        return text_fields(doc.raw)
    if source == "clean":
        return text_fields(doc.clean)
    return scan_fields(doc.clean, int(source.removeprefix("level ")))


def score_split(split: str, sources: list[str], *, show_misses: bool = False) -> dict[str, float]:
    """Print the per-field table of each source for one split; return micro-F1 per source."""
    from bench.extraction import Tally, _empty, report, score_document, explain_misses

    docs = list(documents(split=None if split == "all" else split))
    offices = len({d.office for d in docs})
    results: dict[str, float] = {}
    for source in sources:
        tally, oversplit, failed = Tally(), 0, 0
        for doc in docs:
            try:
                preds = fields_for(doc, source)
            except Exception as exc:  # noqa: BLE001 - a failed file scores as empty, and is counted
                print(f"  {doc.id}: {type(exc).__name__}: {exc}", file=sys.stderr)
                preds, failed = [], failed + 1
            oversplit += len(preds) > 1
            pred = preds[0] if preds else _empty()
            score_document(doc.gold, pred, tally)
            if show_misses:
                explain_misses(doc.id, doc.gold, pred)
        f1 = report(f"corpus {split} ({len(docs)} documents, {offices} offices), source: {source}", tally)
        precision = _precision(tally)
        print(f"{split} {source}: micro-F1 {f1:.3f}  precision {precision:.3f}  "
              f"oversplit {oversplit}  failed {failed}", flush=True)
        results[source] = f1
    return results


def _precision(tally) -> float:
    tp, fp = sum(tally.tp.values()), sum(tally.fp.values())
    return tp / (tp + fp) if tp + fp else 1.0
