"""The real corpus is whole, valid and split by office (corpus/README.md).

Every document directory holds its five files; its gold validates against
``corpus/gold.schema.json``; ``raw.txt`` and ``clean.txt`` differ only by OCR repairs;
the reference number and the subject an archivist read are printed in the clean text;
``splits.json`` is what the office-hash rule gives, so no office is in both splits.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
from rapidfuzz import fuzz

from corpus import DOCS, FILES, SPLITS, documents, splits_table

SCHEMA = json.loads((DOCS.parent / "gold.schema.json").read_text(encoding="utf-8"))
ALL = list(documents())
JURISDICTION = re.compile(r"^(pk-(federal|punjab|sindh|kp|balochistan|ajk|gb)|in-central|in-[a-z-]+|[a-z]{2})$")


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def test_every_directory_is_complete() -> None:
    for path in sorted(p for p in DOCS.iterdir() if p.is_dir()):
        missing = [name for name in FILES if not (path / name).exists()]
        assert not missing, f"{path.name}: missing {missing}"


def test_corpus_is_as_wide_as_issue_14_asks() -> None:
    offices = {d.office for d in ALL}
    jurisdictions = {d.meta["jurisdiction"] for d in ALL}
    countries = {j.split("-")[0] for j in jurisdictions}
    assert len(ALL) >= 80 and len(offices) >= 30, (len(ALL), len(offices))
    assert {"pk-federal", "in-central"} <= jurisdictions
    assert len(countries - {"pk", "in"}) >= 2


@pytest.mark.parametrize("doc", ALL, ids=[d.id for d in ALL])
def test_document_is_valid(doc) -> None:
    jsonschema.validate(doc.gold, SCHEMA)
    assert doc.meta["id"] == doc.id
    assert JURISDICTION.match(doc.meta["jurisdiction"]), doc.meta["jurisdiction"]
    assert doc.id.startswith(doc.meta["jurisdiction"] + "-")
    assert doc.meta["url"].startswith("http")
    assert doc.gold["document_type"] == doc.meta["document_type"]
    # clean.txt repairs OCR damage only: most of the text is the same
    assert fuzz.ratio(doc.raw, doc.clean) >= 80, "clean.txt rewrites more than OCR damage"
    assert len(doc.clean.split()) <= 1200, "an excerpt is at most ~900 words"


@pytest.mark.parametrize("doc", ALL, ids=[d.id for d in ALL])
def test_gold_values_are_printed_in_the_clean_text(doc) -> None:
    clean = _squeezed(doc.clean)
    for name in ("reference_number", "subject"):
        value = doc.gold.get(name)
        if value:
            assert _squeezed(value) in clean, f"{name} {value!r} is not in clean.txt"


def test_splits_follow_the_office_rule_and_never_share_an_office() -> None:
    recorded = json.loads(SPLITS.read_text(encoding="utf-8"))
    assert recorded == splits_table(), "splits.json is stale: run `python -m corpus`"
    per_office = Counter()
    for doc in ALL:
        per_office[(doc.office, doc.split)] += 1
    offices = [office for office, _split in per_office]
    assert len(offices) == len(set(offices))
    shares = Counter(d.split for d in ALL)
    assert 0.25 <= shares["test"] / len(ALL) <= 0.55, shares
