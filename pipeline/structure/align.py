"""Line labels derived from a document's fields: training data without labelling lines by hand.

    labels = align_lines(text, fields)      # one label (or None for a blank line) per line

``fields`` has the shape of a gold file or an approved record's ``fields`` (reference number,
date, subject, issuer, addressees, distribution, signatories, instructions). Each value is
found in the text (exact on letters and digits alone, so spacing, case, punctuation and line
breaks do not matter; a fuzzy match for OCR-damaged values of 8+ characters), and the lines it
covers take its label. What no value covers is labelled by small rules: the letterhead above
the document's header, headings, salutations, copy-to headings, endorsements, page furniture,
stamps; body otherwise.

Why derive rather than hand-label: the corpus keeps growing and archivists fix fields, not
lines, in the review app; an aligner turns both into line labels at no extra cost. Measured
on the dev documents (see docs/structure-model.md), the aligner finds the reference number's
line in every document whose number is printed on a line of its own or with the date.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from pipeline.extract import dates as _dates
from pipeline.extract._text import Line, is_garbage_line, is_to_label, split_lines
from pipeline.extract.doctype import heading_of
from pipeline.extract.lists import MARKER_ONLY as LIST_MARKER_ONLY
from pipeline.extract.subject import LABEL as SUBJECT_LABEL
from pipeline.structure.vocabulary import (
    CLOSING, COPY_HEADING, ENDORSEMENT, FURNITURE, LIST_MARKER, REFERENCE_LABEL, SALUTATION, SIGNED,
)

COPY_LINE = re.compile(r"^\W*(?:a\s+)?cop(?:y|ies)\b.*(?:\bto\b\W*$|\bforwarded\b)", re.I)
NUMBER_ANYWHERE = re.compile(r"\bno\s*[.:]\s*\S*\d|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}", re.I)
NUMBER_START = re.compile(r"^\W*(?:[A-Z][A-Za-z.]{0,12}\s*)?(?:f\.?\s*)?no\s*[.:]", re.I)
_BODY_OPENING = re.compile(r"^\W*(?:-o+O*o*-?)?\s*(?:ORDER|NOTIFICATION)\s*[:.]", re.I)
FUZZY_MIN_CHARS = 8  # shorter values match too many places by chance
FUZZY_MIN_SCORE = 88  # rapidfuzz partial ratio: one or two damaged letters in ten


@dataclass(frozen=True)
class Compact:
    """``text`` reduced to lower-case letters and digits, with each kept character's offset."""

    chars: str
    offsets: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> "Compact":
        kept = [(c.lower(), i) for i, c in enumerate(text) if c.isalnum()]
        return cls("".join(c for c, _ in kept), tuple(i for _, i in kept))


def compact(text: str) -> str:
    return "".join(c.lower() for c in text if c.isalnum())


def locate(text: str, value: str, packed: Compact | None = None, *, start: int = 0) -> list[tuple[int, int]]:
    """Spans of ``text`` (from offset ``start``) where ``value`` is printed, in order.

    Exact on letters and digits; when that finds nothing, one fuzzy match (OCR damage).
    """
    packed = packed or Compact.of(text)
    needle = compact(value)
    if len(needle) < 3:
        return []
    first = bisect_right(packed.offsets, start - 1)
    spans, at = [], packed.chars.find(needle, first)
    while at >= 0:
        spans.append((packed.offsets[at], packed.offsets[at + len(needle) - 1] + 1))
        at = packed.chars.find(needle, at + len(needle))
    if spans or len(needle) < FUZZY_MIN_CHARS:
        return spans
    hit = fuzz.partial_ratio_alignment(needle, packed.chars[first:], score_cutoff=FUZZY_MIN_SCORE)
    if hit is None or hit.dest_end <= hit.dest_start:
        return []
    return [(packed.offsets[first + hit.dest_start], packed.offsets[first + hit.dest_end - 1] + 1)]


def lines_of(lines: Sequence[Line], span: tuple[int, int]) -> list[int]:
    """Indexes of the non-blank lines ``span`` touches."""
    return [i for i, line in enumerate(lines) if line.start < span[1] and span[0] < line.end + 1
            and not line.blank]


@dataclass
class _Labels:
    """Labels as they are assigned: the first assignment of a line wins."""

    lines: list[Line]
    labels: list[str | None]

    def set(self, indexes: Iterable[int], label: str) -> None:
        for i in indexes:
            if self.labels[i] is None and not self.lines[i].blank:
                self.labels[i] = label

    def first(self, *names: str) -> int | None:
        return next((i for i, lab in enumerate(self.labels) if lab in names), None)


def align_lines(text: str, fields: dict) -> list[str | None]:
    """One label per line of ``split_lines(text)`` (None for blank lines)."""
    lines = split_lines(text)
    packed = Compact.of(text)
    out = _Labels(lines, [None] * len(lines))
    out.set((i for i, line in enumerate(lines) if FURNITURE.search(line.text)), "furniture")
    _header_values(text, fields, packed, out)
    _foot_values(text, fields, packed, out)
    _by_rules(lines, fields, out)
    return out.labels


def _header_values(text: str, fields: dict, packed: Compact, out: _Labels) -> None:
    lines = out.lines
    number = fields.get("reference_number")
    number_at = _first_span(text, number, packed) if number else None
    if number_at:
        out.set(lines_of(lines, number_at)[:1], "number_line")
    date_at = _date_span(text, fields.get("date"), number_at)
    if date_at:
        out.set(lines_of(lines, date_at)[:1], "date_line")
    subject = fields.get("subject")
    subject_at = _first_span(text, subject, packed) if subject else None
    if subject_at:
        covered = lines_of(lines, subject_at)
        label_line = _previous_content(lines, covered[0]) if covered else None
        if label_line is not None and SUBJECT_LABEL.fullmatch(lines[label_line].text + " "):
            covered.insert(0, label_line)  # 'Subject:' on a line of its own above the subject
        out.set(covered, "subject")
    for i, line in enumerate(lines):
        if heading_of(line) is not None:
            out.set([i], "heading")
    issuer = fields.get("issuer") or {}
    top = lines[min(len(lines) - 1, len(lines) // 2)].end if lines else 0
    for name in (issuer.get("organization"), issuer.get("department")):
        span = _first_span(text, name, packed) if name else None
        if span and span[0] <= top:
            out.set([i for i in lines_of(lines, span) if len(lines[i].stripped) < 90], "letterhead")


def _previous_content(lines: Sequence[Line], i: int) -> int | None:
    """The non-blank line above line ``i`` (one blank line may stand between)."""
    for k in (i - 1, i - 2):
        if k >= 0 and not lines[k].blank:
            return k
    return None


def _foot_values(text: str, fields: dict, packed: Compact, out: _Labels) -> None:
    lines = out.lines
    for item in fields.get("addressees") or []:
        span = _first_span(text, item, packed)
        if span:
            covered = lines_of(lines, span)
            out.set(covered, "addressee")
            if covered and covered[0] > 0 and is_to_label(lines[covered[0] - 1].text):
                out.set([covered[0] - 1], "addressee")
    # the copy list before the signature: an item naming the signer's post ('Chairman's
    # Office/UGC') is the list's, and its last printing is the list's
    for item in fields.get("distribution") or []:
        spans = locate(text, item, packed)
        free = [s for s in spans if any(out.labels[i] is None for i in lines_of(lines, s))]
        if free:
            out.set(lines_of(lines, free[-1]), "distribution")
    half = lines[len(lines) // 3].start if lines else 0
    for s in fields.get("signatories") or []:
        for value in (s.get("name"), s.get("designation")):
            for span in locate(text, value, packed, start=half) if value else ():
                covered = lines_of(lines, span)
                if all(len(lines[i].stripped) < 90 for i in covered):
                    out.set(covered, "signature")


def _by_rules(lines: list[Line], fields: dict, out: _Labels) -> None:
    """Labels for what no field value covers."""
    has_header = out.first("number_line", "date_line", "heading", "subject", "addressee") is not None
    first_dist = out.first("distribution")
    header_end = next((i for i, line in enumerate(lines) if out.labels[i] is None and _prose(line)), len(lines))
    # the letterhead runs down to the heading, subject or To block (or the body), not only
    # to the number: offices print 'No. X' above 'Government of India / Ministry of Y'
    block = out.first("heading", "subject", "addressee")
    letterhead_end = header_end if block is None else min(header_end, block)
    for i, line in enumerate(lines):
        text = line.text
        if line.blank:
            continue
        if SALUTATION.match(text):
            out.set([i], "salutation")
        elif (SIGNED.search(text) or CLOSING.search(text)) and len(line.stripped) < 60:
            out.set([i], "signature")
        elif (COPY_HEADING.match(text) or COPY_LINE.match(text)) and (first_dist is None or i < first_dist):
            out.set([i], "copy_heading")
        elif ENDORSEMENT.match(text) and _in_foot(out, i):
            out.set([i], "endorsement")
        elif is_to_label(text):
            out.set(_to_block(lines, i, fields), "addressee")
        elif NUMBER_START.match(text) and i < header_end:
            out.set([i], "number_line")
        elif _date_only(text):
            out.set([i], "date_line")
        elif REFERENCE_LABEL.match(text) and _before_body(out, i):
            out.set(_reference_block(lines, i), "reference")
    _instructions(lines, fields, out)
    _signature_tails(lines, out)
    for i, line in enumerate(lines):
        if line.blank or out.labels[i] is not None:
            continue
        if has_header and i < letterhead_end and len(line.stripped) < 90:
            out.set([i], "letterhead")
        elif is_garbage_line(line.text) and not LIST_MARKER_ONLY.match(line.text):
            out.set([i], "noise")
        else:
            out.set([i], "body")


def _prose(line: Line) -> bool:
    return len(line.stripped) >= 60 and len(re.findall(r"\b[a-z]{2,}\b", line.text)) >= 5


def _in_foot(out: _Labels, i: int) -> bool:
    """Below the first signature or the last body-ish line: where endorsements sit."""
    sig = out.first("signature")
    return sig is not None and i > sig


def _before_body(out: _Labels, i: int) -> bool:
    later = [lab for lab in out.labels[i + 1:] if lab is not None]
    return any(lab in ("signature", "distribution") for lab in later) or not later


def _reference_block(lines: list[Line], i: int) -> list[int]:
    """The 'Ref:' line and the numbered or continued lines under it, to the next blank line."""
    block = [i]
    for k in range(i + 1, min(len(lines), i + 20)):
        if lines[k].blank or SUBJECT_LABEL.match(lines[k].text) or heading_of(lines[k]) \
                or _BODY_OPENING.match(lines[k].text) or (_prose(lines[k]) and not NUMBER_ANYWHERE.search(lines[k].text)):
            break
        block.append(k)
    return block


def _instructions(lines: list[Line], fields: dict, out: _Labels) -> None:
    """Numbered lines of the body as instructions, when the document gives any.

    The marker style (1., (i), (a) ...) whose count is nearest the gold count is the list's:
    paragraph numbers ('2.', '3.') around an '(i)'-'(v)' list are paragraphs, not instructions.
    """
    count = len(fields.get("instructions") or []) or int(fields.get("instructions_count") or 0)
    if not count:
        return
    groups: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        m = LIST_MARKER.match(line.text)
        if m and out.labels[i] is None:
            groups.setdefault(_marker_style(m.group("marker")), []).append(i)
    if not groups:
        return
    style = min(sorted(groups), key=lambda s: abs(len(groups[s]) - count))
    starts = groups[style]
    for n, i in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(lines)
        block = [i]
        for k in range(i + 1, stop):
            if lines[k].blank or out.labels[k] is not None or _new_paragraph(lines[k - 1], lines[k]) \
                    or LIST_MARKER.match(lines[k].text):
                break
            block.append(k)
        out.set(block, "instruction")


def _new_paragraph(before: Line, line: Line) -> bool:
    """A line that starts a sentence after a line that ended one, with no blank between."""
    return before.stripped.endswith((".", ":", ";")) and line.stripped[:1].isupper()


def _to_block(lines: list[Line], i: int, fields: dict) -> list[int]:
    """The 'To' label; and, when the gold leaves addressees out (cut off), the lines under it."""
    if "addressees" in fields:
        return [i]
    block = [i]
    for k in range(i + 1, len(lines)):
        if lines[k].blank:
            break
        block.append(k)
    return block


def _date_only(text: str) -> bool:
    """A short line that is a date and little else ('30 July 2003', 'Dated: 4.3.2024')."""
    stripped = text.strip()
    if not stripped or len(stripped) > 40:
        return False
    covered = sum(e - s for s, e in (d.span for d in _dates.find_dates(stripped)))
    return covered >= 0.6 * len(stripped)


def _signature_tails(lines: list[Line], out: _Labels) -> None:
    """Short unlabelled lines right under a signature line belong to its block."""
    for i in range(1, len(lines)):
        if out.labels[i] is None and not lines[i].blank and out.labels[i - 1] == "signature" \
                and len(lines[i].stripped) < 60 and not LIST_MARKER.match(lines[i].text):
            out.set([i], "signature")


def _marker_style(marker: str) -> str:
    core = marker.strip("()[].:) ")
    bracket = "(" if marker.lstrip().startswith(("(", "[")) else ""
    if core.isdigit():
        return bracket + "1"
    if re.fullmatch(r"[ivxl]+", core):
        return bracket + "i"
    if re.fullmatch(r"[IVXL]+", core):
        return bracket + "I"
    return bracket + ("a" if core.islower() else "A")


def _first_span(text: str, value: str, packed: Compact) -> tuple[int, int] | None:
    spans = locate(text, value, packed)
    return spans[0] if spans else None


def _date_span(text: str, iso: str | None, number_at: tuple[int, int] | None) -> tuple[int, int] | None:
    """Where the date of issue is printed: the printed date nearest the number, else the first."""
    if not iso:
        return None
    found = [d.span for d in _dates.find_dates(text) if d.iso == iso]
    if not found:
        return None
    if number_at:
        return min(found, key=lambda s: abs(s[0] - number_at[0]))
    return found[0]
