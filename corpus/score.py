"""How an extracted value is compared with the gold: one rule for the benchmark and training.

    from corpus.score import norm, value_is_right
    value_is_right("reference_number", "No.F.2(49)/88-S.II", gold)

Text is compared folded (case, punctuation, '&' as 'and'); a reference number by its
canonical key (``pipeline.extract.refnum.canonical_key``: the key that links documents);
a long addressee or copy-list item with a fuzzy ratio of 90 (a wrapped line's spacing); an
earlier reference by its number's key and its date.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from pipeline.extract.refnum import canonical_key

FUZZY_FROM = 30  # characters: an item this long may differ in spacing and a letter or two
FUZZY_RATIO = 90


def norm(value: object) -> str:
    text = str(value).lower().replace("&", " and ")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def same_number(gold: object, pred: object) -> bool:
    """A reference number is right when its canonical key is: the key is what links
    documents, and the series words printed before 'No.' vary ('DOS Circular Letter No. 23')."""
    key = canonical_key(str(gold))
    return bool(key) and key == canonical_key(str(pred))


def reference_item(ref: dict) -> str:
    """An earlier reference as compared: its number's key and its date."""
    number = ref.get("reference_number")
    return f"{canonical_key(number) if number else None}@{ref.get('date')}"


def item_matches(gold: str, pred: str) -> bool:
    """One addressee or distribution item against one gold item (both ``norm``-ed)."""
    return pred == gold or len(gold) >= FUZZY_FROM and fuzz.ratio(pred, gold) >= FUZZY_RATIO


def value_is_right(field: str, value: object, gold: dict) -> bool | None:
    """Is ``value``, read for ``field`` (a scalar name, 'organization'/'department', or a
    list field's item), right by ``gold``? None when the gold does not score the field."""
    if field in ("organization", "department"):
        if "issuer" not in gold:
            return None
        wanted = (gold["issuer"] or {}).get(field)
        return wanted is not None and norm(wanted) == norm(value)
    if field not in gold:
        return None
    wanted = gold[field]
    if field == "references":
        return reference_item(value) in {reference_item(r) for r in wanted}
    if field in ("addressees", "distribution"):
        return any(item_matches(norm(g), norm(value)) for g in wanted)
    if wanted is None:
        return False
    return norm(wanted) == norm(value) or field == "reference_number" and same_number(wanted, value)
