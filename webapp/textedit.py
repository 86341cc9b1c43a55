"""Text edits made by archivists: word fixes, correction reverts, marked-up segments.

Pure functions over strings and record dicts, no web or archive code, so they are tested
with plain (input, expected) tables.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from pipeline.errors import BadArgsError

_TOKEN = re.compile(r"\S+")
CONTEXT_WORDS = 3
MAX_FIX_WORDS = 4  # a longer rewrite is an edit, not a word fix worth learning from


@dataclass(frozen=True)
class WordFix:
    """An OCR word (or a few) an archivist replaced: a candidate correction rule."""

    wrong: str
    right: str
    context: str  # the surrounding words of the new text, for the corrector's context model


@dataclass(frozen=True)
class Segment:
    """A piece of the corrected text; ``original`` is set where a correction changed it."""

    text: str
    original: str | None = None
    correction_index: int | None = None
    uncertain: bool = False


def word_fixes(old: str, new: str) -> list[WordFix]:
    """Word-level replacements between two versions of a text.

    Insertions and deletions are not fixes (they are edits of content); replacements of up
    to ``MAX_FIX_WORDS`` words on each side are, e.g. ``Goverment`` → ``Government`` or
    ``l 8`` → ``18``.
    """
    old_words = _TOKEN.findall(old)
    new_words = _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    fixes: list[WordFix] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op != "replace" or a1 - a0 > MAX_FIX_WORDS or b1 - b0 > MAX_FIX_WORDS:
            continue
        pairs = (
            zip(old_words[a0:a1], new_words[b0:b1])
            if a1 - a0 == b1 - b0
            else [(" ".join(old_words[a0:a1]), " ".join(new_words[b0:b1]))]
        )
        for offset, (wrong, right) in enumerate(pairs):
            if wrong == right:
                continue
            at = b0 + (offset if a1 - a0 == b1 - b0 else 0)
            context = " ".join(new_words[max(0, at - CONTEXT_WORDS) : at + CONTEXT_WORDS + 1])
            fixes.append(WordFix(wrong=wrong, right=right, context=context))
    return fixes


def _holds(text: str, corr: dict, span: list[int] | tuple[int, int]) -> bool:
    start, end = span
    return 0 <= start <= end <= len(text) and text[start:end] == corr.get("replacement")


def all_hold(record: dict) -> bool:
    """True when every correction's span in the record's text still holds its replacement."""
    text = record.get("text") or ""
    return all(_holds(text, c, c.get("span") or (0, -1)) for c in record.get("corrections") or [])


def span_mapper(old: str, new: str):
    """A function taking a span of ``old`` to the same characters in ``new`` (None when the
    archivist changed any of them)."""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    blocks = [(a0, a1, b0) for op, a0, a1, b0, _ in matcher.get_opcodes() if op == "equal"]

    def mapped(span) -> tuple[int, int] | None:
        start, end = span
        for a0, a1, b0 in blocks:
            if a0 <= start and end <= a1:
                return (b0 + start - a0, b0 + end - a0)
        return None

    return mapped


def live_corrections(record: dict, base_text: str | None = None) -> list[tuple[int, dict]]:
    """Corrections that still stand in the current text, with their spans in it.

    Recorded spans index the text the corrector produced (``base_text``, when the archivist
    has edited the text since; None when they are the record's own text). Spans are carried
    through the archivist's edits; a correction whose characters were edited is left unmarked
    rather than marked in the wrong place.
    """
    text = record.get("text") or ""
    mapped = span_mapper(base_text, text) if base_text is not None and base_text != text else None
    live = []
    for index, corr in enumerate(record.get("corrections") or []):
        span = corr.get("span") or (0, -1)
        if mapped is not None:
            span = mapped(span) if _holds(base_text, corr, span) else None
        if span is not None and _holds(text, corr, span):
            live.append((index, {**corr, "span": list(span)}))
    live.sort(key=lambda item: item[1]["span"][0])
    kept, last_end = [], -1
    for index, corr in live:  # overlapping spans: keep the first, never nest marks
        if corr["span"][0] >= last_end:
            kept.append((index, corr))
            last_end = corr["span"][1]
    return kept


def segments(record: dict, base_text: str | None = None,
             uncertain_below: float = 0.8) -> list[Segment]:
    """The corrected text cut into plain pieces and corrected pieces, in order."""
    text = record.get("text") or ""
    pieces: list[Segment] = []
    cursor = 0
    for index, corr in live_corrections(record, base_text):
        start, end = corr["span"]
        if start > cursor:
            pieces.append(Segment(text[cursor:start]))
        pieces.append(
            Segment(
                text[start:end],
                original=corr.get("original", ""),
                correction_index=index,
                uncertain=float(corr.get("score", 1.0)) < uncertain_below,
            )
        )
        cursor = end
    if cursor < len(text) or not pieces:
        pieces.append(Segment(text[cursor:]))
    return pieces


def revert_correction(record: dict, index: int, base_text: str | None = None) -> tuple[str, dict]:
    """The text with correction ``index`` undone (with the rest of its group: a list marker
    moved is a deletion and an insertion, undone together), and that correction.

    Raises BadArgsError when the correction does not exist or its characters (or those of
    another correction of its group) were edited since (``base_text`` as for
    ``live_corrections``).
    """
    corrections = record.get("corrections") or []
    if not 0 <= index < len(corrections):
        raise BadArgsError(f"no correction #{index} in this version")
    live = dict(live_corrections(record, base_text))
    if index not in live:
        raise BadArgsError(
            f"correction #{index} no longer applies: the text at its span was edited since"
        )
    corr = live[index]
    group = corr.get("group") or ""
    together = [i for i, c in enumerate(corrections) if group and c.get("group") == group] or [index]
    if any(i not in live for i in together):
        raise BadArgsError(f"correction #{index} no longer applies: text of its group was edited since")
    text = record["text"]
    for i in sorted(together, key=lambda i: live[i]["span"][0], reverse=True):
        start, end = live[i]["span"]
        text = text[:start] + live[i]["original"] + text[end:]
    return text, corr


def context_around(text: str, start: int, end: int, words: int = CONTEXT_WORDS) -> str:
    before = _TOKEN.findall(text[:start])[-words:]
    after = _TOKEN.findall(text[end:])[:words]
    return " ".join([*before, text[start:end], *after]).strip()
