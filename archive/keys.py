"""Normalised keys the archive matches on: reference numbers, provisions, index text."""

from __future__ import annotations

import re

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_PUNCT = re.compile(r"[^\w\s]+")
_LOOKALIKES = str.maketrans({"l": "1", "i": "1", "|": "1", "o": "0"})


def _fallback_reference_key(reference: str) -> str:
    return _NON_ALNUM.sub("", reference.lower())


def reference_key(reference: str | None) -> str | None:
    """Canonical match key of a reference number ("F. No. 14/04/2021-D-II" -> one key).

    Uses the extraction engine's ``canonical_key`` when it exists, so keys computed here
    agree with the ``keys`` block of records; otherwise lowercases and drops punctuation.
    """
    if not reference or not reference.strip():
        return None
    try:
        from pipeline.extract.refnum import canonical_key
    except ImportError:
        return _fallback_reference_key(reference) or None
    return canonical_key(reference) or None


def fuzzy_form(key: str) -> str:
    """Key used for fuzzy comparison: OCR look-alikes folded (l/I/| -> 1, o -> 0) so damage costs less."""
    return key.lower().translate(_LOOKALIKES)


def key_digits(key: str) -> str:
    """The digits of a key's fuzzy form: a damaged reference number usually keeps them."""
    return "".join(c for c in fuzzy_form(key) if c.isdigit())


def provision_key(provision: str) -> str:
    """"Rule 25-A", "rule 25 A", "R.25A" compare equal on their letters and digits."""
    return _NON_ALNUM.sub("", provision.lower())


def words_key(text: str) -> str:
    """"Government Servants (Conduct) Rules" -> "government servants conduct rules"."""
    return " ".join(_NON_ALNUM.split(text.lower())).strip()


def index_text(text: str | None) -> str:
    """Text as both full-text engines should tokenise it: punctuation becomes a word break.

    SQLite's unicode61 tokenizer does this already; PostgreSQL's parser would keep
    "14/04/2021-D-II" as one file-path token, so both are fed the same pre-split text.
    """
    return _PUNCT.sub(" ", text or "")


def like_pattern(value: str) -> str:
    """A case-insensitive substring LIKE pattern with % and _ escaped (ESCAPE '\\')."""
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
