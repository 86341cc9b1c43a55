"""The real corpus: documents as found, their clean text, gold fields and provenance.

    from corpus import documents
    for doc in documents(split="dev"):
        doc.raw, doc.clean, doc.gold, doc.meta

The split is decided by the issuing office alone (``split_of``): a hash of the office key,
so it was fixed before any document was scored, needs no table that could be edited after
looking at results, and an office added later lands in the same split whatever else is
added. ``splits.json`` records the outcome for readers and is checked against the rule by
``tests/test_corpus.py``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DOCS = ROOT / "docs"
SPLITS = ROOT / "splits.json"
TEST_SHARE = 40  # per cent of offices, by hash: about 60/40 dev/test
FILES = ("raw.txt", "clean.txt", "gold.json", "source.md", "meta.json")


@dataclass(frozen=True)
class CorpusDocument:
    """One real document: text as found, text with OCR damage repaired, gold, provenance."""

    id: str
    path: Path
    raw: str
    clean: str
    gold: dict
    meta: dict

    @property
    def office(self) -> str:
        return self.meta["office"]

    @property
    def split(self) -> str:
        return split_of(self.office)


def split_of(office: str) -> str:
    """``dev`` or ``test`` for an issuing office key (stable, decided by the key alone)."""
    bucket = int(hashlib.sha256(office.strip().lower().encode()).hexdigest(), 16) % 100
    return "test" if bucket < TEST_SHARE else "dev"


def documents(split: str | None = None, docs_dir: Path = DOCS) -> Iterator[CorpusDocument]:
    """Every complete corpus document (all five files present), optionally one split only."""
    for path in sorted(p for p in docs_dir.iterdir() if p.is_dir()) if docs_dir.exists() else ():
        if not all((path / name).exists() for name in FILES):
            continue
        doc = CorpusDocument(
            id=path.name, path=path,
            raw=(path / "raw.txt").read_text(encoding="utf-8"),
            clean=(path / "clean.txt").read_text(encoding="utf-8"),
            gold=json.loads((path / "gold.json").read_text(encoding="utf-8")),
            meta=json.loads((path / "meta.json").read_text(encoding="utf-8")),
        )
        if split is None or doc.split == split:
            yield doc


def splits_table(docs_dir: Path = DOCS) -> dict:
    """What ``splits.json`` holds: each office's split and each document's."""
    docs = list(documents(docs_dir=docs_dir))
    return {
        "rule": f"sha256(office key, lower-cased) mod 100 < {TEST_SHARE} -> test, else dev",
        "offices": {d.office: d.split for d in sorted(docs, key=lambda d: d.office)},
        "documents": {d.id: d.split for d in docs},
    }

