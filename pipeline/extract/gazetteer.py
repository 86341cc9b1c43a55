"""The extractors' knowledge, kept as data in ``data/*.json`` (loaded once, cached).

Each file has a JSON Schema beside it and every entry carries examples that a test checks
against the matcher here (reporters-db style): adding knowledge means adding data.
"""

from __future__ import annotations

import re

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from pipeline.extract._text import norm

DATA_DIR = Path(__file__).resolve().parent / "data"
GAZETTEERS = ("instruments", "offices", "designations", "places")


def load(name: str) -> list[dict]:
    """The entries of ``data/<name>.json``."""
    return _load(name)


@lru_cache(maxsize=None)
def _load(name: str) -> list[dict]:
    return json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))


def schema(name: str) -> dict:
    return json.loads((DATA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


# --- instruments -------------------------------------------------------------------------

@dataclass(frozen=True)
class Instrument:
    id: str
    title: str
    year: int | None
    jurisdiction: str
    kind: str


def _norm_title(text: str) -> str:
    text = norm(text)
    text = text.removeprefix("the ")
    return text.replace("govt ", "government ")


@lru_cache(maxsize=1)
def _instrument_aliases() -> dict[str, list[dict]]:
    table: dict[str, list[dict]] = {}
    for entry in load("instruments"):
        for alias in entry["aliases"] + [entry["title"]]:
            table.setdefault(_norm_title(alias), []).append(entry)
    return table


def match_instrument(
    title: str, year: int | None = None, *, jurisdiction: str | None = None
) -> tuple[Instrument, float] | None:
    """The gazetteer instrument a printed title names, with a 0..1 score, or None.

    Exact alias matches first (an alias naming several instruments is settled by the year,
    then the jurisdiction); otherwise a close fuzzy match (OCR damage) of >= 92. A printed
    year that differs from the instrument's year rejects it: the 1973 and 2020 E&D Rules
    are different instruments. So does a document ``jurisdiction`` of another country than
    every instrument of that name, whatever year it prints.
    """
    key = _norm_title(title)
    table = _instrument_aliases()
    candidates = table.get(key, [])
    score = 1.0
    if not candidates and len(key) >= 12:
        best = process.extractOne(key, list(table), scorer=fuzz.ratio, score_cutoff=92)
        if best and not _jurisdiction_differs(key, best[0]):
            candidates, score = table[best[0]], best[1] / 100
    candidates = [c for c in candidates if year is None or c["year"] is None or c["year"] == year]
    if not candidates:
        return None
    if jurisdiction:
        local = [c for c in candidates if c["jurisdiction"].split("-")[0] == jurisdiction.split("-")[0]]
        if not local:
            # Another country's instrument of that name ('General Financial Rules' is India's
            # 2017 GFR and also Pakistan's; a Bangladeshi 'Official Secrets Act, 1923' is
            # Bangladesh's): resolve only when jurisdiction and name agree, else keep the print.
            return None
        exact = [c for c in local if c["jurisdiction"] == jurisdiction]
        candidates = exact or local or candidates
    if len(candidates) > 1 and year is None:
        score *= 0.8  # ambiguous short form: still the likeliest, but say so
    best_entry = candidates[0]
    return (
        Instrument(best_entry["id"], best_entry["title"], best_entry["year"],
                   best_entry["jurisdiction"], best_entry["kind"]),
        score,
    )


# Words that name a government: 'Sindh Government Servants (E&D) Rules' is the province's own
# instrument, not a misprint of the federal one a fuzzy match would find.
_JURISDICTION_WORDS = frozenset({
    "pakistan", "federal", "punjab", "sindh", "balochistan", "baluchistan", "khyber", "pakhtunkhwa",
    "kp", "kpk", "nwfp", "frontier", "ajk", "azad", "kashmir", "gilgit", "baltistan", "islamabad",
    "india", "central", "west", "east", "bengal", "maharashtra", "karnataka", "kerala", "delhi",
})


JURISDICTION_WORDS = _JURISDICTION_WORDS


def _jurisdiction_differs(printed: str, alias: str) -> bool:
    """Does one title name a government the other does not?"""
    return bool((set(printed.split()) ^ set(alias.split())) & _JURISDICTION_WORDS)


# --- offices -------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _office_aliases() -> dict[str, tuple[dict, str]]:
    return {norm(alias): (entry, alias) for entry in load("offices") for alias in entry["aliases"] + [entry["name"]]}


def match_office(text: str, *, cutoff: float = 88) -> tuple[dict, float] | None:
    """The office entry a letterhead line or phrase names (exact or fuzzy), or None.

    The entry gets a ``matched`` key: the alias the text matched, which is how the office
    printed its name ('Registrar's Office' stays itself; 'Roglstrar's Department' is read
    as the alias 'Registrar's Department').
    """
    key = norm(text.strip("() "))
    table = _office_aliases()
    if key in table:
        entry, alias = table[key]
        return {**entry, "matched": alias}, 1.0
    if len(key) < 6:
        return None
    best = process.extractOne(key, list(table), scorer=fuzz.ratio, score_cutoff=cutoff)
    if not best:
        return _office_before_noise(key, table)
    entry, alias = table[best[0]]
    return {**entry, "matched": alias}, best[1] / 100


def _office_before_noise(key: str, table: dict[str, tuple[dict, str]]) -> tuple[dict, float] | None:
    """An office named at the start of a line that specks follow ('Government of Pakistan
    Bt OE on Eae'): the longest alias the line opens with, if it holds most of the line."""
    key = re.sub(r"^[\W_]+", "", key)
    for alias_key in sorted((k for k in table if key.startswith(k + " ")), key=len, reverse=True):
        if len(alias_key) >= 0.6 * len(key) and len(alias_key) >= 10:
            entry, alias = table[alias_key]
            return {**entry, "matched": alias}, 0.8
    return None


# --- designations ----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def designation_titles() -> list[str]:
    """Every designation title and alias, longest first (so 'Deputy Secretary' wins)."""
    titles = {t for e in load("designations") for t in [e["title"], *e["aliases"]]}
    return sorted(titles, key=len, reverse=True)


@lru_cache(maxsize=1)
def _designation_matcher():  # noqa: ANN202 - spaCy types
    """spaCy PhraseMatcher over every designation title (case-insensitive token match)."""
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("en")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    matcher.add("DESIGNATION", [nlp.make_doc(t) for t in designation_titles()])
    return nlp, matcher


def _designation_at_start(text: str) -> str | None:
    """The longest designation title the line opens with, as a title from the gazetteer."""
    nlp, matcher = _designation_matcher()
    doc = nlp.make_doc(text)
    starts = [(end, start) for _, start, end in matcher(doc) if start == 0]
    if not starts:
        return None
    end = max(starts)[0]
    span = doc[0:end].text
    return next((t for t in designation_titles() if t.lower() == span.lower()), span)


def match_designation(line: str) -> tuple[str, str, float] | None:
    """(title, rest of line, score) when ``line`` starts with a designation, OCR-tolerant.

    'Joint Secreta' (a truncated scan) still gives 'Joint Secretary'; the rest of the line
    ('(D-II)', 'to the Government of India') is returned as printed.
    """
    text = " ".join(line.split())
    exact = _designation_at_start(text)
    if exact:
        return exact, text[len(exact):].strip(), 1.0
    words = text.split(" ")
    for title in designation_titles():
        n = len(title.split(" "))
        head = " ".join(words[:n])
        if len(head) < 5 or (n == 1 and len(words) > 3):
            continue
        score = fuzz.ratio(head.lower(), title.lower())
        prefix = len(head) >= 0.7 * len(title) and title.lower().startswith(head.lower()[: max(5, len(head) - 1)])
        if score >= 86 or (prefix and n > 1):
            return title, " ".join(words[n:]), (score / 100 if score >= 86 else 0.75)
    return None


def proper_names_in(text: str) -> list[str]:
    """Office and place names of the gazetteers that ``text`` contains (case ignored), as
    the gazetteers print them."""
    low = f" {norm(text)} "
    return [name for name, key in _proper_name_keys() if key in low]


@lru_cache(maxsize=1)
def _proper_name_keys() -> tuple[tuple[str, str], ...]:
    """Each office and place name with its folded key (' key '), folded once."""
    names = [alias for entry in load("offices") for alias in [entry["name"], *entry["aliases"]]]
    names += [e["name"] for e in load("places")]
    return tuple((n, f" {norm(n)} ") for n in names if len(n) >= 4 and not n.isupper())


# --- places ------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def place_names() -> dict[str, str]:
    """Lower-cased name or alias -> canonical place name."""
    return {a.lower(): e["name"] for e in load("places") for a in [e["name"], *e["aliases"]]}
