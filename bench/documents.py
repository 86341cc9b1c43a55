"""Extraction through real OCR on the whole documents of other offices (tests/documents).

    .venv/bin/python bench/documents.py                # levels 1 and 2
    .venv/bin/python bench/documents.py --levels 0 1 2 3

Each ``tests/documents/NAME.txt`` (typed text of a circular, O.M., notification or letter
from an office the examples do not cover) is typeset line by line on an A4 page at 300 dpi,
damaged with the sample renderer's degradation of each level (``samples/render.py``:
skew, blur, noise, JPEG, low contrast; level 3 adds a stamp and 200 dpi), and read by
``daftar extract`` (load, preprocess, Tesseract, correction, extraction). Every field its
``NAME.json`` lists is compared with what came out. The anchor is level 0, the clean page,
in the same run when asked for: printed is the share of fields right per level.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from samples.render import degrade  # noqa: E402

DOCUMENTS = ROOT / "tests" / "documents"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
A4_300DPI = (2480, 3508)
LINE_CHARS = 100  # a typed line wider than the page is wrapped, as a typist would


def typeset(text: str) -> Image.Image:
    """The text on a white A4 page, one printed line per line of text."""
    page = Image.new("L", A4_300DPI, 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, 34)
    y = 200
    for line in text.splitlines():
        for part in textwrap.wrap(line, LINE_CHARS) or [""]:
            draw.text((200, y), part, font=font, fill=0)
            y += 52
    return page


def read_fields(image: Path) -> dict:
    """The first record's fields from ``daftar extract`` (instructions as a count)."""
    done = subprocess.run([sys.executable, "-m", "daftar", "extract", str(image), "--fields-only"],
                          capture_output=True, text=True, cwd=ROOT)
    records = json.loads(done.stdout) if done.returncode == 0 and done.stdout.strip() else []
    fields = dict(records[0]["fields"]) if records else {}
    fields["instructions_count"] = len(fields.pop("instructions", []))
    return fields


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 2], choices=[0, 1, 2, 3])
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--verbose", action="store_true", help="print every wrong field")
    args = parser.parse_args(argv)
    names = sorted(p.stem for p in DOCUMENTS.glob("*.txt"))
    rows = []
    with tempfile.TemporaryDirectory(prefix="daftar-bench-documents-") as tmp:
        for level in args.levels:
            right = total = 0
            for name in names:
                expected = json.loads((DOCUMENTS / f"{name}.json").read_text(encoding="utf-8"))
                expected.pop("known_gaps", None)  # a list of field names; those fields still count
                page = typeset((DOCUMENTS / f"{name}.txt").read_text(encoding="utf-8"))
                image = Path(tmp) / f"{name}-l{level}.png"
                (degrade(page, level, args.seed) if level else page).save(image)
                got = read_fields(image)
                for field, value in expected.items():
                    total += 1
                    right += got.get(field) == value
                    if args.verbose and got.get(field) != value:
                        print(f"  l{level} {name} {field}: got {json.dumps(got.get(field))[:160]}")
            rows.append({"level": level, "documents": len(names), "fields": total, "right": right})
            print(f"level {level}: {right}/{total} fields right ({right / total:.3f}) "
                  f"over {len(names)} documents", flush=True)
    anchor = next((r for r in rows if r["level"] == 0), None)
    if anchor:
        for r in rows:
            print(f"level {r['level']} / level 0: {(r['right'] / r['fields']) / (anchor['right'] / anchor['fields']):.2f}")
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
