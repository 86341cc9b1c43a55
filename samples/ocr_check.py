"""OCR the committed sample scans with the tesseract CLI and print the CER of each page.

The reference for each page is the exact text the renderer drew on it (re-rendered from
the seed in MANIFEST.json); both sides are compared with whitespace collapsed, so the
figure counts recognition and reading-order damage, not layout spaces.

    OMP_THREAD_LIMIT=1 python samples/ocr_check.py --level 0 --psm 3

A sanity check of the samples, not a benchmark of the pipeline (that lives in bench/).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import jiwer
from PIL import Image, ImageSequence
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent))
import render  # noqa: E402  (samples/ is not a package)


def file_pages(path: Path) -> list[Image.Image]:
    """Every page image of a committed scan (PNG, JPEG, multi-page TIFF, image-only PDF)."""
    if path.suffix == ".pdf":
        return [Image.open(io.BytesIO(p.images[0].data)) for p in PdfReader(path).pages]
    with Image.open(path) as im:
        return [frame.copy() for frame in ImageSequence.Iterator(im)]


def reference_pages(entry: dict) -> list[str]:
    texts: list[str] = []
    for doc in entry["documents"]:
        source = render.read_source(Path(doc["source"]).stem)
        texts += [p.text for p in render.render_pages(source, 0, doc["seed"])]
    return texts


def ocr(image: Image.Image, psm: int) -> str:
    buf = io.BytesIO()
    image.convert("L").save(buf, "PNG")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    done = subprocess.run(["tesseract", "-", "-", "--psm", str(psm)], input=buf.getvalue(),
                          capture_output=True, env=env, check=True)
    return done.stdout.decode("utf-8")


def _norm(text: str) -> str:
    return " ".join(text.split())


def word_recall(truth: str, found: str) -> float:
    """Share of the reference words OCR read exactly, in any order: recognition without
    the reading-order damage (list labels read as a column of their own) that CER counts."""
    left = Counter(found.split())
    hits = 0
    for word in truth.split():
        if left[word] > 0:
            left[word] -= 1
            hits += 1
    return hits / max(1, len(truth.split()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--level", type=int, action="append", help="only these levels")
    parser.add_argument("--psm", type=int, default=3, help="tesseract page segmentation mode")
    args = parser.parse_args()
    manifest = json.loads((render.SAMPLES_DIR / "MANIFEST.json").read_text())
    errors = chars = words = hits = 0
    for entry in manifest["scans"]:
        if entry["format"] == "text" or (args.level and entry["level"] not in args.level):
            continue
        if entry["rotation"]:
            print(f"{entry['file']}: rotated {entry['rotation']} degrees, skipped")
            continue
        # the page text does not depend on the level, only on the seed's house style
        for number, (image, truth) in enumerate(
                zip(file_pages(render.SAMPLES_DIR / entry["file"]), reference_pages(entry)), 1):
            found = ocr(image, args.psm)
            cer = jiwer.cer(_norm(truth), _norm(found))
            recall = word_recall(truth, found)
            errors += cer * len(_norm(truth))
            chars += len(_norm(truth))
            words += len(truth.split())
            hits += recall * len(truth.split())
            print(f"{entry['file']} p{number} level {entry['level']}: "
                  f"CER {cer:.2%}  word recall {recall:.2%}")
    print(f"overall CER {errors / max(chars, 1):.2%} over {chars} characters, "
          f"word recall {hits / max(words, 1):.2%} (psm {args.psm})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
