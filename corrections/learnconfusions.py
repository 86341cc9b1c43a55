"""Learn the confusions real scans make from the corpus's ``dev`` split: raw text against clean.

Each OCR-damaged ``dev`` document (``corpus``; meta.json ``ocr_damage``) is aligned raw
against clean, first on whitespace tokens (difflib), then, inside each changed chunk, on
characters. Every difference is classified and counted:

- ``char``: a character n-gram read for another inside a word (``l``->``i`` in
  ``Commerclal``, ``rn``->``m``, ``0``->``O``, ``h``->``k`` in ``Pakhkunkhwa``);
- ``split``: a word broken by a space (``Secreta ry``, ``NOTI FICATION``);
- ``join``: words run together (``ofZambia``, ``membersof``);
- ``ordinal``: a superscript suffix lost (``24"``, ``27 th``, ``3"``);
- ``quote``: quote marks or other encoding damage glued to a word (``‘The``, ``Â``);
- ``case``: only the letter case differs (``Shall``, ``iS``, ``PDAS``);
- ``punctuation``: only marks around or inside a word differ (``Reports.`` for ``Reports,``);
- ``noise``: tokens OCR invented (specks, stamp scraps) or lost.

The result is data, ``corrections/data/ocrconfusions.json`` (schema beside it): one entry per
(kind, ocr, expected) with its count, the number of documents it was seen in, and its
examples, each with the document id, the damaged token, the clean token and a window of the
raw text around it. ``repaired`` says whether today's engine restores the example in that
window; ``tests/test_corrections_data.py`` holds the engine to every example marked repaired
and checks the file equals a fresh build, so an engine change that repairs more (or less)
shows up as a diff to review. ``char`` entries seen at least ``MIN_COUNT`` times feed the
candidate generator (``corrections.knowledge.confusions``).

Only ``dev`` is read: ``test`` is never looked at here.

    python -m corrections.learnconfusions          # print the counts
    python -m corrections.learnconfusions --write  # rewrite the data file
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections import defaultdict
from pathlib import Path

SPLIT = "dev"
DATA_FILE = Path(__file__).resolve().parent / "data" / "ocrconfusions.json"
MIN_COUNT = 2  # a char confusion seen this often in dev feeds candidate generation
MAX_EXAMPLES = 6
WINDOW = 40  # characters of raw text each side of an example
QUOTES = set("‘’“”\"'`´«»„‚")
ENCODING = set("Â¢©®™°•·^~_|{}[]«»§$")
DESCRIPTION = (
    "Confusions real scans make, learned from the corpus's dev split (raw text as found "
    "against clean text) by corrections/learnconfusions.py: token alignment, then characters "
    "inside changed tokens. 'kind' classifies the damage; 'ocr' is what the scan gave, "
    "'expected' what was printed (a char n-gram for kind 'char', tokens otherwise); 'count' "
    "how often dev shows it, 'documents' in how many documents. Each example names its dev "
    "document, the damaged and clean token and a window of raw text; 'repaired' says whether "
    "the engine restores it in that window (tested). Char entries with count >= "
    f"{MIN_COUNT} feed candidate generation. Never built from the test split."
)


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Whitespace tokens with their offsets."""
    out, position = [], 0
    for token in text.split():
        start = text.index(token, position)
        out.append((token, start, start + len(token)))
        position = start + len(token)
    return out


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def classify(ocr: str, expected: str) -> str:
    """The kind of one changed token chunk (``ocr`` and ``expected`` as space-joined text)."""
    if not expected.strip() or not _letters(ocr) and not _letters(expected):
        return "noise"
    if not ocr.strip():
        return "noise"
    if ocr.replace(" ", "") == expected.replace(" ", ""):
        return "split" if len(ocr.split()) > len(expected.split()) else "join"
    if ocr.lower() == expected.lower():
        return "case"
    raw_core, clean_core = _letters(ocr), _letters(expected)
    if raw_core.lower() == clean_core.lower() and raw_core != clean_core:
        return "case"
    if raw_core == clean_core:
        stripped = set(ocr) ^ set(expected)
        if stripped and stripped <= QUOTES | ENCODING:
            return "quote"
        return "punctuation"
    if (any(c.isdigit() for c in expected) and expected.rstrip(".,").endswith(("st", "nd", "rd", "th"))
            and ocr[:1].isdigit() and len(clean_core) <= 4):
        return "ordinal"
    if not raw_core or len(expected.split()) == 0:
        return "noise"
    if len(ocr.split()) != 1 or len(expected.split()) != 1:
        return "words"  # several words damaged at once: kept whole
    return "char"


def char_confusions(ocr: str, expected: str) -> list[tuple[str, str]]:
    """Character n-gram confusions inside one damaged token (case kept apart from letters:
    compared lower-cased, as the engine matches). Insertions and deletions carry the
    character before them, so each confusion has a non-empty OCR side."""
    a, b = ocr.lower(), expected.lower()
    edge = "".join(QUOTES | ENCODING) + ".,;:()!?*-"
    if a.strip(edge) and b.strip(edge) and a.strip(edge) != b.strip(edge):
        a, b = a.strip(edge), b.strip(edge)  # "Julv." for "July,": the letters, not the marks
    found = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        source, target = a[i1:i2], b[j1:j2]
        if not source:  # insertion: what was printed was lost; anchor on the character before
            if i1 == 0:
                continue
            source, target = a[i1 - 1], a[i1 - 1] + target
        found.append((source, target))
    return found


def align(raw: str, clean: str) -> list[dict]:
    """Changed chunks of one document: kind, ocr, expected, the raw offsets."""
    raw_tokens, clean_tokens = tokens(raw), tokens(clean)
    matcher = difflib.SequenceMatcher(a=[t for t, _, _ in raw_tokens], b=[t for t, _, _ in clean_tokens],
                                      autojunk=False)
    chunks = []
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            continue
        ocr = " ".join(t for t, _, _ in raw_tokens[a0:a1])
        expected = " ".join(t for t, _, _ in clean_tokens[b0:b1])
        start = raw_tokens[a0][1] if a0 < a1 else (raw_tokens[a0 - 1][2] if a0 else 0)
        end = raw_tokens[a1 - 1][2] if a0 < a1 else start
        if tag == "replace" and a1 - a0 == b1 - b0 and a1 - a0 > 1:  # several one-to-one tokens
            for k in range(a1 - a0):
                token, s, e = raw_tokens[a0 + k]
                chunks.append({"ocr": token, "expected": clean_tokens[b0 + k][0], "start": s, "end": e})
            continue
        chunks.append({"ocr": ocr, "expected": expected, "start": start, "end": end})
    for chunk in chunks:
        chunk["kind"] = classify(chunk["ocr"], chunk["expected"])
    return chunks


def _window(raw: str, start: int, end: int) -> str:
    """The raw text around an example, cut at whitespace, on one line."""
    left = raw.rfind(" ", 0, max(0, start - WINDOW)) + 1 if start > WINDOW else 0
    right = raw.find(" ", end + WINDOW)
    return " ".join(raw[left: right if right != -1 else len(raw)].split())


def repaired(window: str, ocr: str, expected: str) -> bool:
    """Does the engine turn ``ocr`` into ``expected`` in this window of raw text? Only the
    example's own stretch is judged (quote marks folded, as the engine writes them ASCII)."""
    from corrections import correct_text

    if ocr not in window:
        return False
    fold = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})
    position = window.index(ocr)
    before = window[:position].split()
    target = (before + expected.split() + window[position + len(ocr):].split())
    first, last = len(before), len(before) + len(expected.split())
    target = [t.translate(fold) for t in target]
    corrected = correct_text(window).text.translate(fold).split()
    blocks = difflib.SequenceMatcher(a=corrected, b=target, autojunk=False).get_matching_blocks()
    if first == last:  # a deletion: the tokens either side must now be neighbours
        low, high = max(0, first - 1), min(len(target) - 1, first)
        return any(b.b <= low and high < b.b + b.size for b in blocks)
    return any(b.b <= first and last <= b.b + b.size for b in blocks)


def build(with_repair: bool = True) -> dict:
    """The data file's content, from the dev split only."""
    root = Path(__file__).resolve().parent.parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from corpus import documents

    entries: dict[tuple[str, str, str], dict] = {}
    docs = [d for d in documents(split=SPLIT) if d.meta.get("ocr_damage")]
    for doc in docs:
        for chunk in align(doc.raw, doc.clean):
            keys = []
            if chunk["kind"] == "char" and len(chunk["ocr"].split()) == 1 == len(chunk["expected"].split()):
                keys = [("char", s, t) for s, t in char_confusions(chunk["ocr"], chunk["expected"])]
            else:
                keys = [(chunk["kind"], chunk["ocr"], chunk["expected"])]
            for key in keys:
                entry = entries.setdefault(key, {"kind": key[0], "ocr": key[1], "expected": key[2],
                                                 "count": 0, "documents": [], "examples": []})
                entry["count"] += 1
                if doc.id not in entry["documents"]:
                    entry["documents"].append(doc.id)
                example = {"document": doc.id, "ocr": chunk["ocr"], "expected": chunk["expected"],
                           "context": _window(doc.raw, chunk["start"], chunk["end"])}
                if example not in entry["examples"] and len(entry["examples"]) < MAX_EXAMPLES and chunk["ocr"]:
                    entry["examples"].append(example)
    out = []
    order = {"char": 0, "split": 1, "join": 2, "ordinal": 3, "quote": 4, "case": 5, "punctuation": 6,
             "words": 7, "noise": 8}
    for entry in sorted(entries.values(), key=lambda e: (order[e["kind"]], -e["count"], e["ocr"], e["expected"])):
        entry["documents"] = len(entry["documents"])
        for example in entry["examples"]:
            if with_repair:
                example["repaired"] = repaired(example["context"], example["ocr"], example["expected"])
        out.append(entry)
    return {"version": 1, "description": DESCRIPTION, "split": SPLIT, "documents": len(docs),
            "min_count": MIN_COUNT, "entries": out}


def dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help=f"rewrite {DATA_FILE.name}")
    args = parser.parse_args(argv)
    if args.write:
        # the counts first (the engine reads them), then whether the engine repairs each example
        DATA_FILE.write_text(dumps(build(with_repair=False)), encoding="utf-8")
        from corrections import candidates, knowledge

        knowledge.load_data_file.cache_clear() if hasattr(knowledge.load_data_file, "cache_clear") else None
        knowledge.learned_confusions.cache_clear()
        knowledge.confusions.cache_clear()
        candidates._propose.cache_clear()
    document = build()
    if args.write:
        DATA_FILE.write_text(dumps(document), encoding="utf-8")
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for entry in document["entries"]:
        kinds[entry["kind"]][0] += entry["count"]
        kinds[entry["kind"]][1] += sum(e.get("repaired", False) for e in entry["examples"])
        kinds[entry["kind"]][2] += len(entry["examples"])
    print(f"{document['documents']} dev documents with OCR damage")
    for kind, (count, fixed, shown) in kinds.items():
        print(f"  {kind:<12} {count:>4} seen, examples repaired {fixed}/{shown}")
    for entry in document["entries"]:
        if entry["kind"] == "char":
            print(f"  char {entry['ocr']!r:>8} -> {entry['expected']!r:<8} x{entry['count']} "
                  f"({', '.join(e['ocr'] for e in entry['examples'][:4])})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
