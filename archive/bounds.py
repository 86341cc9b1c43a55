"""What the archive accepts from users: search text, paging, filters and edited fields.

Every check runs before anything reaches a database, and every refusal is a ``QueryError``
(or ``BadArgsError`` for an edit) that names the limit, so the HTTP API and the review app
answer 400 and the CLI exits with ``bad_args``.  The limits come from what a tester did to
an unbounded archive (20k documents, SQLite): ``p*`` took 2.4 s and 19.5 s with
``limit=200``; ``limit=1000&offset=9000`` over 60 s; ``p*`` twenty times 40 s; a
100,000-character query held a core for 11 minutes; 3,000 nested parentheses overflowed
Python's stack (a 500); a 50,000-character place filter made SQLite refuse its LIKE pattern.
Real searches are a few words: the limits are far above them.
"""

from __future__ import annotations

import calendar
from typing import Any, Iterable

from archive.errors import QueryError
from pipeline.errors import BadArgsError

MAX_QUERY_CHARS = 1_000
MAX_TERMS = 32  # words, counting each word of a phrase: each is a posting list to merge
MIN_PREFIX_CHARS = 3  # "p*" expands to every indexed word starting with p
# Each prefix is expanded over the whole index again (SQLite, 100k documents: sixteen
# 3-letter prefixes cost 1.2 CPU-s, four 0.7); a phrase is re-checked word by word in every
# candidate (PostgreSQL: 32 common words 6.8 s, 8 about as long as 2).
MAX_PREFIXES = 4
MAX_PHRASE_WORDS = 8
MAX_NESTING = 8  # parentheses deep
MAX_LIMIT = 100  # hits or documents on one page
MAX_OFFSET = 10_000  # as deep as a search ranks (archive.base.TOTAL_CAP)
MAX_FILTER_CHARS = 200  # an issuer, place or instrument name is far shorter
YEARS = (1, 9999)  # what an ISO date can hold; larger numbers overflow SQL integers


def check_text(text: str) -> None:
    """Refuse search text longer than MAX_QUERY_CHARS (before it is even tokenised)."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is {len(text):,} characters long; "
                         f"the limit is {MAX_QUERY_CHARS:,} characters")


def check_tokens(kinds: Iterable[str], terms: Iterable[tuple[tuple[str, ...], bool]]) -> None:
    """Refuse nesting deeper than MAX_NESTING, more than MAX_TERMS words and short prefixes.

    Also at most MAX_PREFIXES prefix terms and MAX_PHRASE_WORDS words in a phrase.
    ``kinds`` are the token kinds in order ("(", ")", "term", "AND", ...); ``terms`` the
    (pieces, prefix) of every term token.  Runs before the recursive parser, so no query
    can exhaust its stack.
    """
    depth = deepest = 0
    for kind in kinds:
        if kind == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == ")":
            depth = max(0, depth - 1)
    if deepest > MAX_NESTING:
        raise QueryError(f"parentheses are nested {deepest} deep; the limit is {MAX_NESTING}")
    words = prefixes = 0
    for pieces, prefix in terms:
        words += len(pieces)
        prefixes += prefix
        if prefix and len(pieces[-1]) < MIN_PREFIX_CHARS:
            raise QueryError(f"the prefix {pieces[-1]}* is too short: a prefix search needs at "
                             f"least {MIN_PREFIX_CHARS} letters before the *")
        if len(pieces) > MAX_PHRASE_WORDS:
            raise QueryError(f"a phrase has {len(pieces)} words; the limit is "
                             f"{MAX_PHRASE_WORDS}")
    if words > MAX_TERMS:
        raise QueryError(f"the query has {words} words; the limit is {MAX_TERMS}")
    if prefixes > MAX_PREFIXES:
        raise QueryError(f"the query has {prefixes} prefix searches (word*); the limit is "
                         f"{MAX_PREFIXES}")


def check_page(limit: Any, offset: Any) -> tuple[int, int]:
    """``(limit, offset)`` of a search or listing, within 1..MAX_LIMIT and 0..MAX_OFFSET."""
    if not _whole(limit) or not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be a whole number from 1 to {MAX_LIMIT}, not {limit!r}")
    if not _whole(offset) or not 0 <= offset <= MAX_OFFSET:
        raise QueryError(f"offset must be a whole number from 0 to {MAX_OFFSET:,}, "
                         f"not {offset!r}")
    return limit, offset


def check_filter(name: str, value: str | None) -> None:
    """Refuse a text filter longer than MAX_FILTER_CHARS (it becomes a LIKE pattern)."""
    if value is None:
        return
    if len(value) > MAX_FILTER_CHARS:
        raise QueryError(f"the {name} filter is {len(value):,} characters long; "
                         f"the limit is {MAX_FILTER_CHARS}")
    if "\x00" in value:  # PostgreSQL cannot hold it; refused on both backends alike
        raise QueryError(f"the {name} filter contains a NUL character")


def date_problem(value: Any) -> str | None:
    """Why ``value`` is not a real ISO date (YYYY-MM-DD), or None when it is one."""
    if value is None:
        return None
    text = str(value)
    if len(text) != 10 or not text.isascii() or text[4] != "-" or text[7] != "-" \
            or not (text[:4] + text[5:7] + text[8:]).isdigit():
        return f"{text[:40]!r} is not a date: use YYYY-MM-DD"
    year, month, day = int(text[:4]), int(text[5:7]), int(text[8:])
    if not 1 <= month <= 12:
        return f"{text} is not a real date: there is no month {month}"
    if year < 1:
        return f"{text} is not a real date: years start at 0001"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return (f"{text} is not a real date: {calendar.month_name[month]} {year} "
                f"has {days} days")
    return None


def field_problems(fields: dict) -> list[tuple[str, str]]:
    """(JSON Pointer, message) for edited values the record model's types let through:
    dates that are no real day (2021-02-30) and cited-rule years outside 1..9999."""
    problems = []
    if (why := date_problem(fields.get("date"))) is not None:
        problems.append(("/date", why))
    for i, ref in enumerate(fields.get("references") or []):
        if isinstance(ref, dict) and (why := date_problem(ref.get("date"))) is not None:
            problems.append((f"/references/{i}/date", why))
    for i, rule in enumerate(fields.get("cited_rules") or []):
        year = rule.get("year") if isinstance(rule, dict) else None
        if year is not None and (not _whole(year) or not YEARS[0] <= year <= YEARS[1]):
            problems.append((f"/cited_rules/{i}/year",
                             f"a year is a whole number from {YEARS[0]} to {YEARS[1]}"))
    return problems


def check_fields(fields: dict | None) -> None:
    """Raise BadArgsError naming every value ``field_problems`` finds."""
    problems = field_problems(fields or {})
    if problems:
        raise BadArgsError("edit rejected: " + "; ".join(f"/fields{where}: {why}"
                                                         for where, why in problems))


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
