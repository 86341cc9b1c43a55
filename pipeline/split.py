"""Split a file's text into its documents: ``split_documents(text) -> [(start, end), ...]``.

Read top to bottom, line by line. A new document starts at a line that opens one: a
letterhead ('GOVERNMENT OF PAKISTAN', 'Republic of the Philippines', an institution's name),
a number or series line printed above it ('No. 11013/2/2014-Estt.', 'Presidential Circular
No.1/2008', 'DO 35, s. 1987'), a mark printed above it ('REGISTERED', 'TO BE PUBLISHED IN
THE NEXT ISSUE OF ... GAZETTE', a letterhead in Devanagari or Urdu), a date line or a
document-type heading -- but only when

* the current document already has a body, and
* the lines that follow (up to the first paragraph of prose, never past a signature, a
  copy list or a page break) show enough of a document's opening: letterhead, number,
  date, heading, addressee, subject. How much is enough depends on where the line stands:
  after the current document has closed (a signature, a designation, 'Yours faithfully', a
  copy or distribution list), or at the top of a page (after a form feed: the pages of a
  scan or of a text file), less is needed than in the middle of running text.

A signature's office lines ('Assistant Director (General)' / 'Directorate of Elementary &
Secondary Education' / 'Khyber Pakhtunkhwa Peshawar') look like a letterhead: under a
signature, the look-ahead ends at the next letterhead printed after a line that is none, so
they borrow nothing from the document after them. A number printed just above a letterhead
(as Indian offices print it) is where that document starts; so are up to two short lines in
capitals above it ('MALACAÑAN PALACE' / 'MANILA'), never a designation.

A document has one heading and one number: a page-2 header repeating the same number, an
endorsement at the foot ('No. & date even', the same number again), a signature block in
capitals or a 'Copy forwarded to' list naming governments never splits it; nor does a
continuation page ('-2-', 'Contd...', a page number, a page opening mid-sentence). A line
of a whole document flattened onto one line (text as published on some web pages) opens a
document when its first 60 characters hold a letterhead in capitals. A page of its own that
opens 'I am directed', 'WHEREAS' or 'In exercise of the powers' after a signed document is
a letter or order printed without letterhead.

The words and patterns are data (``pipeline/data/split.json``, each with examples from the
corpus); headings, letterheads and reference numbers are recognised by the extractors' own
functions, OCR-tolerantly.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.extract._text import Line, split_lines
from pipeline.extract.doctype import heading_of
from pipeline.extract.issuer import is_letterhead_line
from pipeline.extract.refnum import find_reference_numbers
from pipeline.extract.signatures import designation_of

DATA = Path(__file__).resolve().parent / "data" / "split.json"
MIN_BODY_CHARS = 150  # prose a document must hold before another may start
MIN_BODY_CLOSED = 60  # ... when it has closed (signed, copied) or a page ends
LOOKAHEAD = 8  # non-blank lines after a candidate in which a document opening must appear
FLAT_LINE = 150  # a line this long in capitals may be a whole document flattened onto one line
FLAT_HEAD = 60  # where a flattened document's letterhead (in capitals) must appear

_OWN_REF_LINE = re.compile(
    r"^\s*(?:(?:F\s*\.\s*|D\.?\s?O\.?\s*)?N[Oo0]\s*[.:,]|F\s*\.\s*No|File\s+No|Circular\s+No|Notification\s+No|O\.?\s?M\.?\s+No)", re.I
)
_COPY_LABEL = re.compile(r"^\s*(?:(?:A\s+)?copy\b|c\.\s?c\b|cc\s*[:;]|distribution\s*:)", re.I)
_OTHER_SCRIPT = re.compile(r"[\u0600-\u06FF\u0900-\u097F]")
_FLAT_LETTERHEAD = re.compile(
    r"\b(?:GOVERNMENT OF|REPUBLIC OF|COMMISSION|OFFICE OF THE|HIGH COURT|MINISTRY OF|BANK OF|GAZETTE|ADMINISTRATION)\b"
)
_LOOSE_NUMBER = re.compile(r"^\s*(?:F\s*\.?\s*)?No\s*[.:]\s*[A-Z0-9][^\n]{0,50}\d", re.I)
_DATE_IN = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
_HEADING_AT_END = re.compile(r"\b(?:NOTIFICATION|CIRCULAR|OFFICE ORDER|ORDER|OFFICE MEMORANDUM|MEMORANDUM)\s*$")
_TOWN_DATED = re.compile(r"^\s*[A-Z][a-z]+,?\s+dated?\b")
_CITING = re.compile(r"(?i)\b(?:letter|o\.\s?m\.?|circular|memorandum|notification|order|vide)\s*$")  # '... Circular Letter' / 'No. 15'
_ENACTING = re.compile(r"^\s*(?:WHEREAS\b|I\s+am\s+directed\b|In\s+exercise\s+of\s+the\s+powers\b)")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {
        name: re.compile("|".join(f"(?:{p})" for p in entry["patterns"]), re.I)
        for name, entry in data.items()
        if isinstance(entry, dict) and "patterns" in entry
    }


def _is(kind: str, text: str) -> bool:
    return bool(_patterns()[kind].match(text))


@dataclass
class _Doc:
    """What has been read of the current document."""

    body: int = 0  # characters of prose
    heading: bool = False
    closed: bool = False  # a signature, copy or distribution block after its body
    keys: dict[str, int] = field(default_factory=dict)  # its own numbers -> line first printed

    def read(self, lines: list[Line], i: int) -> None:
        line = lines[i]
        if line.blank:
            return
        if heading_of(line):
            self.heading = True
        if _OWN_REF_LINE.match(line.text):
            for r in find_reference_numbers(line.text):
                self.keys.setdefault(r.key, i)
        if self.body and (_is("closing", line.text) or _is("signature_name", line.text) or _COPY_LABEL.match(line.text)
                          or len(line.stripped) <= 60 and designation_of(line.stripped)):
            self.closed = True
        if _is_body(line):
            self.body += len(line.stripped)


def split_documents(text: str) -> list[tuple[int, int]]:
    """Spans covering ``text`` in order, one per document; a single document gives one span."""
    if not text:
        return [(0, 0)]
    from pipeline.split_model import learned_starts  # the model reads the rules' trace

    starts = learned_starts(text)
    if starts is None:
        starts = [lines_start for lines_start in rule_trace(text).start_offsets]
    return list(zip(starts, starts[1:] + [len(text)]))


@dataclass
class RuleTrace:
    """What the rules saw reading a text: its lines, page tops, where they start documents
    (line indices) and the current document's state before each non-blank line."""

    lines: list[Line]
    tops: set[int]
    starts: list[int] = field(default_factory=lambda: [0])
    states: dict[int, tuple[int, bool, bool, frozenset[str]]] = field(default_factory=dict)

    @property
    def start_offsets(self) -> list[int]:
        return [self.lines[i].start if self.lines else 0 for i in self.starts]


def rule_trace(text: str) -> RuleTrace:
    """Read ``text`` with the rules (see the module's docstring), keeping what they saw."""
    lines = split_lines(text)
    trace = RuleTrace(lines, _page_tops(text, lines))
    tops = trace.tops
    doc = _Doc()
    opened_at = 0  # a new document may open at its number a few lines below the line that told
    for i, line in enumerate(lines):
        if not line.blank:
            trace.states.setdefault(i, (doc.body, doc.heading, doc.closed, frozenset(doc.keys)))
        if i < opened_at:
            continue  # the previous document's last lines, already read
        if not line.blank and doc.body >= (MIN_BODY_CLOSED if doc.closed or i in tops else MIN_BODY_CHARS):
            opened = _opens_document(lines, i, doc, top=i in tops, tops=tops)
            if opened is not None:
                start = _walk_back(lines, _number_above(lines, i, doc.keys)) if opened == i else opened
                trace.starts.append(start)
                doc, opened_at = _Doc(), start
                for j in range(start, i):
                    doc.read(lines, j)
                if start > i:
                    continue
        doc.read(lines, i)
    return trace


def _page_tops(text: str, lines: list[Line]) -> set[int]:
    """Indices of the first non-blank line of every page after the first (after a form feed)."""
    tops, after_break = set(), False
    for i, line in enumerate(lines):
        if line.start and text[line.start - 1] == "\f":
            after_break = True
        if after_break and not line.blank:
            tops.add(i)
            after_break = False
    return tops


def _walk_back(lines: list[Line], i: int) -> int:
    """Up over at most two short lines in capitals printed above the letterhead ('MALACAÑAN
    PALACE' / 'MANILA' over 'BY THE PRESIDENT OF THE PHILIPPINES'), never over a signature."""
    start, taken = i, 0
    for j in range(i - 1, max(-1, i - 5), -1):
        text = lines[j].stripped
        if not text:
            continue
        letters = [c for c in text if c.isalpha()]
        if (taken == 2 or len(text) > 40 or not letters or sum(c.isupper() for c in letters) / len(letters) < 0.9
                or designation_of(text) or _is("closing", text) or _LIST_ITEM.match(text) or _kind(lines[j]) == "number"):
            break
        start, taken = j, taken + 1
    return start


def _number_above(lines: list[Line], i: int, keys: dict[str, int]) -> int:
    """The new document starts at its number when that is printed above the letterhead."""
    above = [j for j in range(max(0, i - 4), i) if not lines[j].blank][-2:]
    for n, j in enumerate(above):
        if _is_body(lines[j]) or n < len(above) - 1 and _kind(lines[above[-1]]) not in ("letterhead", "preamble"):
            continue  # the current document's own number, on a line of its prose or a line away
        found = find_reference_numbers(lines[j].text) if _OWN_REF_LINE.match(lines[j].text) else []
        if found and all(keys.get(r.key) == j for r in found):
            return j
    return i


@lru_cache(maxsize=1)
def _other_script() -> dict[str, re.Pattern[str]]:
    entry = json.loads(DATA.read_text(encoding="utf-8"))["other_script"]
    return {k: re.compile(v) for k, v in entry.items() if not k.startswith("_")}


@lru_cache(maxsize=16384)
def _marks(line: Line) -> frozenset[str]:
    """What a (not flattened) line shows of a document's opening, OCR-tolerantly."""
    text, marks = line.text, set()
    short = len(line.stripped) <= 80
    if _is_letterhead(text):
        marks.add("letterhead")
    if _is("preamble", text):
        marks.add("preamble")
    if short and _is("series", text):
        marks |= {"series", "number"}
        if _DATE_IN.search(text):
            marks.add("date")  # '[ CSC MEMORANDUM CIRCULAR NO. 19, May 24, 1991 ]'
    elif _OWN_REF_LINE.match(text) and (find_reference_numbers(text) or short and _LOOSE_NUMBER.match(text)):
        marks.add("number")
    if heading_of(line) or short and _HEADING_AT_END.search(text):
        marks.add("heading")
    if short and (_is("date_line", text) or _TOWN_DATED.match(text)):
        marks.add("date")
    if _is("opening", text):
        marks.add("opening")
    if len(line.stripped) <= 60 and _OTHER_SCRIPT.search(text):
        marks.add("preamble")
        marks |= {k for k, rx in _other_script().items() if rx.search(line.stripped)}
    return frozenset(marks)


def _kind(line: Line) -> str | None:
    """What a line that may open a document is, if it is one."""
    if len(line.stripped) >= FLAT_LINE:
        if _FLAT_LETTERHEAD.search(line.stripped[:FLAT_HEAD]):
            return "flat"
        if len(line.stripped) > 200:
            return None
    marks = _marks(line)
    for kind in ("letterhead", "series", "number", "preamble", "heading", "date"):
        if kind in marks:
            return kind
    return None


_ADDRESSEE = re.compile(r"^the\s+[\w.]+(?:\s+[\w.]+)?\s*,", re.I)  # 'The Clerk, National Assembly.'
_WEB = re.compile(r"(?i)\bhttps?:|\bwww\.|@")
_LIST_ITEM = re.compile(r"^\s*(?:\(?\d{1,2}[.)]|\(?[ivx]{1,4}[.)]|[-•*]|all\b)", re.I)


def _is_letterhead(text: str) -> bool:
    text = re.split(r"\s{3,}", text.strip())[0]  # 'TEACHERS SERVICE COMMISSION      Telephone: ...'
    if text.endswith(","):
        return False  # a line of an address: 'Chief Secretary,' / 'Government of Sindh,'
    addressee = re.sub(r"(?i)^the\s+", "", text.split(",")[0]).strip()
    if _LIST_ITEM.match(text) or "," in text and (designation_of(addressee) or _ADDRESSEE.match(text)):
        return False  # an item of an addressee or copy list ('The Secretary, Public Service Commission')
    return is_letterhead_line(text) or (len(text) <= 80 and _is("letterhead", text))


def _opens_document(lines: list[Line], i: int, doc: _Doc, *, top: bool, tops: set[int] = frozenset()) -> int | None:
    """The line where a new document opens if line ``i`` opens one, else None."""
    line = lines[i]
    if top and _continues(lines, i):
        return None
    kind = _kind(line)
    if kind is None:
        # a letter without letterhead on a page of its own, after the last one was signed
        return i if top and doc.closed and _ENACTING.match(line.text) else None
    if kind == "flat":
        return i
    seen = _window(lines, i, tops)
    refs = [r for w in seen["lines"] if _OWN_REF_LINE.match(w.text) for r in find_reference_numbers(w.text)]
    if seen["signed"]:
        return None  # an opening is never signed straight away: the number over a signature
    if refs and all(r.key in doc.keys for r in refs):
        return None  # the same number again: a continuation page or the endorsement at the foot
    marks = seen["marks"] & {"letterhead", "number", "date", "heading", "opening"}
    if seen["letterheads"] >= 2:
        marks.add("letterheads")  # 'National Electric Power Regulatory Authority' / 'Islamic Republic of Pakistan'

    strong = bool(marks & {"letterhead", "number"}) or ("heading" in marks and doc.heading)
    if kind == "heading" and not doc.heading and not (doc.closed or top):
        return None  # this document's own heading, printed after its opening prose
    if top and kind in ("series", "number", "preamble") and strong and len(marks) >= 2:
        ok = True  # a page that opens with a number or a mark printed above a letterhead
    elif kind in ("letterhead", "preamble"):
        ok = "letterhead" in marks and bool(marks & {"number", "heading", "letterheads"}) or len(marks) >= 3
    elif kind == "heading":
        ok = doc.heading and bool(marks & {"number", "opening"})
    elif kind == "series":
        ok = bool(marks & {"heading", "date", "letterhead"}) or len(marks) >= 3
    elif kind == "number":
        ok = "heading" in marks and doc.heading or "letterhead" in marks or len(marks) >= 3
    else:  # a date line over the number: 'Dated Quetta, the 7th December, 2025' / 'No. S.O(R-I)...'
        ok = "number" in marks and len(marks) >= 2
    return seen["number_over_letterhead"] if ok and seen["number_over_letterhead"] is not None else (i if ok else None)


def _window(lines: list[Line], i: int, tops: set[int] = frozenset()) -> dict:
    """What the lines from ``i`` on show, up to the first paragraph of prose, a closing or the
    next page (whose top is a candidate of its own)."""
    seen: dict = {"lines": [], "marks": set(), "number_over_letterhead": None, "letterheads": 0, "signed": False}
    last_number = None
    above = next((lines[j] for j in range(i - 1, -1, -1) if not lines[j].blank), None)
    under_signature = above is not None and bool(designation_of(above.stripped) or _is("signature_name", above.text))
    gap = False  # a line that is neither letterhead, number nor mark since the first line
    for k, line in enumerate(lines[i : i + 40]):
        if line.blank:
            continue
        if k and i + k in tops:
            break
        if k and (_COPY_LABEL.match(line.text) or _is("closing", line.text)):
            break  # this document's signature or copy list: look no further
        if len(seen["lines"]) == 1 and _is("contact", line.text):
            break  # an office line under a signature, then its telephone: no letterhead
        if k and "letterhead" not in seen["marks"] and _is("signature_name", line.text):
            seen["signed"] = True  # a number and date above a signature: this document's endorsement
            break
        marks = _marks(line) if len(line.stripped) < 200 else set()
        if k and "letterhead" in marks and last_number is not None and seen["number_over_letterhead"] is None \
                and last_number == i + k - 1 - _blanks_before(lines, i + k) and last_number > i:
            # 'No. 3(v)/99/15' over 'Central Vigilance Commission': the document starts at its number
            seen["number_over_letterhead"] = last_number
        if k and under_signature and gap and "letterhead" in marks:
            break  # the office lines under a signature, then the next document's letterhead
        gap = gap or not (marks & {"letterhead", "number", "preamble"} or _WEB.search(line.text))
        seen["lines"].append(line)
        seen["letterheads"] += "letterhead" in marks
        last_number = i + k if "number" in marks and len(line.stripped) <= 80 else None
        seen["marks"] |= marks
        if len(seen["lines"]) > LOOKAHEAD or (k and _is_body(line) and not marks and not _WEB.search(line.text)):
            break
    return seen


def _blanks_before(lines: list[Line], j: int) -> int:
    n = 0
    while j - n - 1 >= 0 and lines[j - n - 1].blank:
        n += 1
    return n


def _continues(lines: list[Line], i: int) -> bool:
    """A page that goes on with the document before it: '-2-', 'Contd', mid-sentence."""
    text = lines[i].stripped
    if len(text) <= 40 and _is("continuation", text) or re.match(r"^[a-z(,;]", text):
        return True
    if _OWN_REF_LINE.match(text) and _is_body(lines[i]):
        return True  # 'No. 15, dated 26/07/2018 the instruction contained in ...': a citation
    before = [line for line in lines[max(0, i - 4) : i] if not line.blank]
    if not before:
        return False
    last = before[-1]
    if _is_body(last) and re.search(r"(?:\b[a-z]+|,)$", last.stripped) or _CITING.search(last.stripped):
        return True  # the page before ends mid-sentence
    return len(last.stripped) <= 60 and bool(re.search(r"\b(contd|continued|p\s*/\s*\d+)\b", last.text, re.I))


def _is_body(line: Line) -> bool:
    text = line.stripped
    if len(text) < 200 and (_WEB.search(text) or _is("contact", text)):
        return False  # 'Website: http://www.tsc.go.ke When replying please quote'
    if len(text) >= 30 and len(re.findall(r"\b[a-z]{2,}\b", text)) >= 4:
        return True
    return len(re.findall(r"[\u0600-\u06FF\u0900-\u097F]{2,}", text)) >= 7  # Urdu or Hindi prose
