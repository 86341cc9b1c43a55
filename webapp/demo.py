"""Sample documents for trying the review app and for its tests.

``build_document`` renders a page image with PIL and writes a schema-valid record whose words,
boxes, corrections and evidence match that image exactly, the way the pipeline would after
OCR. ``seed_archive`` ingests a small varied set (a flagged office memorandum with OCR damage,
a clean university circular, a notification whose text holds markup).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from pipeline.config import PIPELINE_VERSION
from pipeline.record import SCHEMA_VERSION

FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
PAGE_SIZE = (1240, 1754)  # A4 at 150 dpi
MARGIN, LINE_HEIGHT, FONT_SIZE = 110, 44, 26


@dataclass(frozen=True)
class SampleDocument:
    """What a sample page says: ``lines`` as printed; OCR damage and the fields read."""

    key: str
    lines: list[str]
    fields: dict
    ocr_damage: dict[str, str] = field(default_factory=dict)  # printed word -> what OCR read
    corrected: tuple[str, ...] = ()  # printed words the corrector put back (others stay damaged)
    low_confidence: tuple[str, ...] = ()  # printed words OCR was unsure of
    evidence: dict[str, str] = field(default_factory=dict)  # JSON Pointer -> quote in the text
    review_reasons: list[dict] = field(default_factory=list)


def _font() -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_PATH, FONT_SIZE)


def render_page(sample: SampleDocument, path: Path) -> list[tuple[str, tuple[int, int, int, int], int]]:
    """Draw the printed lines; return (printed word, box, line number) in reading order."""
    image = Image.new("L", PAGE_SIZE, 255)
    draw = ImageDraw.Draw(image)
    font = _font()
    placed = []
    for line_no, line in enumerate(sample.lines):
        y = MARGIN + line_no * LINE_HEIGHT
        x = MARGIN
        for match in re.finditer(r"\S+", line):
            x = MARGIN + int(draw.textlength(line[: match.start()], font=font))
            left, top, right, bottom = draw.textbbox((x, y), match.group(), font=font)
            draw.text((x, y), match.group(), font=font, fill=20)
            placed.append((match.group(), (left, top, right - left, bottom - top), line_no))
    image.save(path)
    return placed


def build_document(sample: SampleDocument, out_dir: Path) -> tuple[dict, Path]:
    """A schema-valid record for ``sample`` and the page image it describes."""
    out_dir.mkdir(parents=True, exist_ok=True)
    image_path = out_dir / f"{sample.key}-page1.png"
    placed = render_page(sample, image_path)
    raw, text, words, corrections = _texts(sample, placed)
    sha = hashlib.sha256(("daftar-demo:" + sample.key + "\n" + text).encode()).hexdigest()
    confidences = [w["confidence"] for w in words]
    low = sum(1 for c in confidences if c < 60)
    mean = round(sum(confidences) / len(confidences), 2)
    record = {
        "schema_version": SCHEMA_VERSION, "pipeline_version": PIPELINE_VERSION,
        "id": f"{sha}-0",
        "source": {"path": f"demo/{sample.key}.png", "sha256": sha, "media_type": "image/png",
                   "size_bytes": image_path.stat().st_size, "page_count": 1, "page_range": [1, 1],
                   "document_index": 0, "document_count": 1},
        "pages": [{"number": 1, "source": "ocr", "decision": "image file: OCR",
                   "span": [0, len(raw)], "text": raw, "width": PAGE_SIZE[0],
                   "height": PAGE_SIZE[1], "dpi": 150, "language": "eng", "preprocessing": [],
                   "words": words, "mean_confidence": mean, "low_confidence_words": low}],
        "raw_text": raw, "text": text, "corrections": corrections,
        "fields": sample.fields,
        "evidence": _evidence(sample, text, words, corrections),
        "keys": {"reference_number": None, "references": [], "instruments": []},
        "mean_confidence": mean, "low_confidence_words": low,
        "needs_review": bool(sample.review_reasons), "review_reasons": sample.review_reasons,
    }
    return record, image_path


def _texts(sample: SampleDocument, placed: list) -> tuple[str, str, list[dict], list[dict]]:
    raw_parts, text_parts, words, corrections = [], [], [], []
    raw_len = text_len = 0
    previous_line = None
    for index, (printed, box, line_no) in enumerate(placed):
        sep = "" if previous_line is None else ("\n" if line_no != previous_line else " ")
        previous_line = line_no
        read = sample.ocr_damage.get(printed, printed)
        shown = printed if printed in sample.corrected else read
        raw_len += len(sep)
        text_len += len(sep)
        raw_parts += [sep, read]
        text_parts += [sep, shown]
        conf = 41.0 if printed in sample.low_confidence or read != printed else 93.0 - index % 5
        words.append({"text": read, "box": list(box), "confidence": conf, "block": 1,
                      "paragraph": 1, "line": line_no + 1, "word": index + 1,
                      "span": [raw_len, raw_len + len(read)]})
        if shown != read:
            corrections.append({"original": read, "replacement": shown,
                                "raw_span": [raw_len, raw_len + len(read)],
                                "span": [text_len, text_len + len(shown)],
                                "rule": "demo-lexicon", "score": 0.9 if index % 2 else 0.7,
                                "page": 1, "box": list(box)})
        raw_len += len(read)
        text_len += len(shown)
    return "".join(raw_parts), "".join(text_parts), words, corrections


def _evidence(sample: SampleDocument, text: str, words: list[dict], corrections: list[dict]) -> dict:
    """Evidence for each quoted value: its span in ``text`` and the union of its word boxes."""
    starts = _text_offsets(text)
    out = {}
    for pointer, quote in sample.evidence.items():
        at = text.find(quote)
        if at < 0:
            raise ValueError(f"evidence quote {quote!r} for {pointer} is not in the text")
        end = at + len(quote)
        boxes = [w["box"] for w, (s, e) in zip(words, starts) if s < end and e > at]
        left = min(b[0] for b in boxes)
        top = min(b[1] for b in boxes)
        right = max(b[0] + b[2] for b in boxes)
        bottom = max(b[1] + b[3] for b in boxes)
        out[pointer] = {"span": [at, end], "page": 1, "box": [left, top, right - left, bottom - top],
                        "confidence": 0.55 if pointer == "/date" else 0.92}
    return out


def _text_offsets(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


SAMPLES: tuple[SampleDocument, ...] = (
    SampleDocument(
        key="estab-om",
        lines=[
            "GOVERNMENT OF PAKISTAN",
            "CABINET SECRETARIAT",
            "ESTABLISHMENT DIVISION",
            "F.No.14/04/2021-D-II          Islamabad, the 25th August, 2021",
            "OFFICE MEMORANDUM",
            "Subject: Use of social media by government servants",
            "The undersigned is directed to refer to this Division's O.M.",
            "No.1/20/1976-D-3 dated 23rd July, 2020 and to say that",
            "Rule 18 of the Government Servants (Conduct) Rules, 1964",
            "restricts communication of official information.",
            "Dr. Muhammad Shoaib Akbar",
            "Joint Secretary",
            "To: All Federal Secretaries / Additional Secretaries",
            "Copy forwarded to:",
            "1. The President's Secretariat (Public), Islamabad",
            "2. The Prime Minister's Office, Islamabad",
        ],
        ocr_damage={"GOVERNMENT": "GOVERNMRNT", "Secretariat": "Secretarlat", "social": "socia1",
                    "Conduct)": "Condnct)", "communication": "cornmunication"},
        corrected=("GOVERNMENT", "social", "Conduct)", "communication"),
        low_confidence=("25th", "August,"),
        fields={
            "document_type": "office_memorandum",
            "issuer": {"organization": "Government of Pakistan", "department": "Establishment Division"},
            "reference_number": "F.No.14/04/2021-D-II",
            "date": "2021-08-15",  # misread by the machine: the page says 25th
            "place": "Islamabad",
            "subject": "Use of social media by government servants",
            "references": [{"reference_number": "No.1/20/1976-D-3", "date": "2020-07-23",
                            "issuer": "Establishment Division", "kind": "office_memorandum"}],
            "cited_rules": [{"instrument": "Government Servants (Conduct) Rules", "year": 1964,
                             "provisions": ["Rule 18"]}],
            "instructions": [],
            "signatories": [{"name": "Dr. Muhammad Shoaib Akbar", "designation": "Joint Secretary"}],
            "addressees": ["All Federal Secretaries / Additional Secretaries"],
            "distribution": ["The President's Secretarlat (Public), Islamabad",
                             "The Prime Minister's Office, Islamabad"],
        },
        evidence={
            "/reference_number": "F.No.14/04/2021-D-II", "/date": "25th August, 2021",
            "/place": "Islamabad,", "/subject": "Use of social media by government servants",
            "/issuer/department": "ESTABLISHMENT DIVISION",
            "/issuer/organization": "GOVERNMENT OF PAKISTAN",
            "/references/0": "No.1/20/1976-D-3 dated 23rd July, 2020",
            "/cited_rules/0": "Government Servants (Conduct) Rules, 1964",
            "/signatories/0": "Dr. Muhammad Shoaib Akbar",
            "/addressees/0": "All Federal Secretaries / Additional Secretaries",
            "/distribution/0": "The President's Secretarlat (Public), Islamabad",
            "/distribution/1": "The Prime Minister's Office, Islamabad",
        },
        review_reasons=[
            {"code": "low-ocr-confidence", "message": "2 words read with confidence under 60",
             "field": "/date"},
            {"code": "uncertain-correction", "message": "'Secretarlat' left uncorrected in the copy list",
             "field": "/distribution/0"},
        ],
    ),
    SampleDocument(
        key="aiou-circular",
        lines=[
            "ALLAMA IQBAL OPEN UNIVERSITY",
            "Registrar's Department",
            "No.F.2-244/2023-Admn/3909                    Dated: 18-09-2023",
            "CIRCULAR",
            "All employees are informed that the Prevention of Electronic",
            "Crimes Act, 2016 applies to posts on social media.",
            "Distribution:",
            "All Deans/Heads of Departments",
            "Relevant File",
        ],
        fields={
            "document_type": "circular",
            "issuer": {"organization": "Allama Iqbal Open University", "department": "Registrar's Department"},
            "reference_number": "No.F.2-244/2023-Admn/3909",
            "date": "2023-09-18", "place": None, "subject": None, "references": [],
            "cited_rules": [{"instrument": "Prevention of Electronic Crimes Act", "year": 2016,
                             "provisions": []}],
            "instructions": [], "signatories": [], "addressees": [],
            "distribution": ["All Deans/Heads of Departments", "Relevant File"],
        },
        evidence={"/reference_number": "No.F.2-244/2023-Admn/3909", "/date": "18-09-2023",
                  "/distribution/0": "All Deans/Heads of Departments",
                  "/distribution/1": "Relevant File"},
    ),
    SampleDocument(
        key="hostile-notification",
        lines=[
            "GOVERNMENT OF THE PUNJAB",
            "NOTIFICATION <script>alert(1)</script>",
            'No. SO(E-I)2-15/2019 "><img src=x onerror=alert(2)>',
            "Lahore, dated 3rd March, 2019",
        ],
        fields={
            "document_type": "notification",
            "issuer": {"organization": "Government of the Punjab", "department": None},
            "reference_number": 'No. SO(E-I)2-15/2019 "><img src=x onerror=alert(2)>',
            "date": "2019-03-03", "place": "Lahore",
            "subject": "<script>alert(1)</script>", "references": [], "cited_rules": [],
            "instructions": [], "signatories": [], "addressees": [], "distribution": [],
        },
        evidence={"/place": "Lahore,"},
        review_reasons=[
            {"code": "missing-field", "message": "no signatory found", "field": None},
            # what the value verifier (pipeline/extract/verify.py) leaves for the archivist
            {"code": "withheld", "field": "/issuer/department",
             "proposed": "Services & General Administration Department <b>",
             "message": "/issuer/department read but withheld: probably wrong (right with probability 0.41)"},
            {"code": "withheld", "field": "/addressees/0", "proposed": "The Secretary, Finance Department, Lahore",
             "message": "/addressees/0 read but withheld: probably wrong (right with probability 0.32)"},
        ],
    ),
)


def seed_archive(archive, work_dir: Path, *, batch: str = "demo") -> list[str]:
    """Ingest the sample documents into an open archive; their ids, in SAMPLES order."""
    ids = []
    for sample in SAMPLES:
        record, image = build_document(sample, work_dir)
        archive.ingest(record, original=image, page_images={1: image}, batch=batch)
        ids.append(record["id"])
    return ids
