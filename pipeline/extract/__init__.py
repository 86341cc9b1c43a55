"""Field extraction with evidence: one corrected document text in, fields out.

    from pipeline.extract import extract_fields
    ex = extract_fields(text)             # words=... (OCR boxes) separates two-column lists
    ex.fields["reference_number"], ex.evidence["/reference_number"]

``fields`` has the shape of ``pipeline.record.Fields``; every value carries evidence
(a span of ``text`` and a 0..1 confidence) under its JSON Pointer; ``keys`` holds the
canonical match keys (``pipeline.record.Keys``); ``review_reasons`` say what an archivist
should look at. One module per field family does the work; this module only lays out the
document's zones (letterhead, header, body, foot) and hands each extractor its part.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from pipeline.extract import addressees as _addressees
from pipeline.extract import dates as _dates
from pipeline.extract import distribution as _distribution
from pipeline.extract import doctype as _doctype
from pipeline.extract import gazetteer
from pipeline.extract import instructions as _instructions
from pipeline.extract import issuer as _issuer
from pipeline.extract import place as _place
from pipeline.extract import references as _references
from pipeline.extract import refnum
from pipeline.extract import rules as _rules
from pipeline.extract import signatures as _signatures
from pipeline.extract import subject as _subject
from pipeline.extract import zones as _zones
from pipeline.extract._text import (
    CAPITALS, Line, is_to_label, is_underline, line_at, max_line_length, split_lines, upper_ratio,
)
from pipeline.extract.lists import Item as lists_item
from pipeline.extract.refnum import canonical_key
from pipeline.extract.reflow import reflow
from pipeline.models import Word

Span = tuple[int, int]
LOW_CONFIDENCE = 0.5

__all__ = ["Extraction", "extract_fields", "link_documents", "canonical_key"]


@dataclass(frozen=True)
class Extraction:
    """What the extractor read from one document."""

    fields: dict
    evidence: dict[str, tuple[Span, float]]
    keys: dict
    review_reasons: list[tuple[str, str, str | None]] = field(default_factory=list)
    partial_date: tuple[int, int] | None = None  # (year, month) when OCR destroyed the day
    partial_date_span: Span | None = None  # where that damaged date is printed
    # values read but kept out of ``fields`` because the verifier doubts them
    # (``pipeline.extract.verify``): (JSON Pointer, value, probability it is right)
    withheld: list[tuple[str, object, float]] = field(default_factory=list)


@dataclass
class _Layout:
    """The document's zones, found once and shared by the field extractors."""

    text: str
    lines: list[Line]
    wrap_at: int  # a line this long is a wrapped body line
    header_end: int  # first body line
    tail_start: int  # first line after the last body paragraph
    refs: list[refnum.RefMatch]
    dates: list[_dates.FoundDate]
    abstract: range  # a Government Order's ABSTRACT lines (its subject, above its number)
    recipients: list[int]  # a letter's recipients printed without 'To' (lines of the header)


@dataclass
class _Builder:
    """Fields, evidence, keys and review reasons as they are filled in."""

    fields: dict = field(default_factory=lambda: _empty_fields())
    evidence: dict[str, tuple[Span, float]] = field(default_factory=dict)
    keys: dict = field(default_factory=lambda: {"reference_number": None, "references": [], "instruments": []})
    reasons: list[tuple[str, str, str | None]] = field(default_factory=list)

    def scalar(self, name: str, value: object, span: Span, confidence: float) -> None:
        self.fields[name] = value
        self.evidence[f"/{name}"] = (span, confidence)

    def item(self, name: str, value: object, span: Span, confidence: float) -> None:
        self.evidence[f"/{name}/{len(self.fields[name])}"] = (span, confidence)
        self.fields[name].append(value)


def extract_fields(text: str, *, words: Sequence[Word] = ()) -> Extraction:
    """Extract the record fields of one document's (corrected) text."""
    text = reflow(text)  # same length: every span found is a span of the text given
    layout = _layout(text)
    out = _Builder()
    issuer = _header_fields(layout, out)
    own = _own_reference(text, layout.lines, layout.refs, layout.header_end, layout.tail_start)
    _number_and_type(layout, out, own)
    own_date = _date_and_place(layout, out, own)
    to_lines = _foot_fields(layout, out, words)
    _fields_from_zones(layout, out, words)
    if out.fields["document_type"] is None:
        _type_from_form(layout, out, to_lines, words)
    if out.fields["subject"] is None:
        _unlabelled_subject(layout, out, own, own_date, to_lines)
    _body_fields(layout, out, own, own_date, issuer, to_lines)
    _restore_names_in_subject(layout, out)
    for pointer, (_span, conf) in out.evidence.items():
        if conf < LOW_CONFIDENCE:
            out.reasons.append(("low-confidence", f"{pointer} read with confidence {conf:.2f}", pointer))
    partial = own_date if own_date and own_date.value is None else None
    return Extraction(out.fields, out.evidence, out.keys, out.reasons,
                      (partial.year, partial.month) if partial else None, partial.span if partial else None)


def _layout(text: str) -> _Layout:
    lines = split_lines(text)
    wrap_at = max(30, int(0.75 * max_line_length(lines)))
    refs = refnum.find_reference_numbers(text)
    ref_spans = [r.number_span for r in refs]
    dates = [d for d in _dates.find_dates(text) if not any(s <= d.span[0] < e for s, e in ref_spans)]
    abstract = _subject.abstract_lines(lines)
    header_end = _header_end(lines, wrap_at, abstract)
    recipients = _addressees.unlabelled_block(lines, header_end, [r.span for r in refs] + [d.span for d in dates])
    return _Layout(text, lines, wrap_at, header_end, _tail_start(lines, header_end, wrap_at), refs, dates,
                   abstract, recipients)


def _header_fields(layout: _Layout, out: _Builder) -> _issuer.Issuer:
    """Issuer (letterhead), document-type heading and subject."""
    lines, header_end = layout.lines, layout.header_end
    heading = _doctype.find_heading(lines[: header_end + 2]) or _doctype.find_heading(lines[: header_end + 10])
    issuer = _issuer.find_issuer(_letterhead_lines(layout, heading))
    out.fields["issuer"] = {"organization": issuer.organization, "department": issuer.department}
    for name, span in (("organization", issuer.organization_span), ("department", issuer.department_span)):
        if span:
            out.evidence[f"/issuer/{name}"] = (span, issuer.confidence)
    spans = [s for s in (issuer.organization_span, issuer.department_span) if s]
    if spans:
        out.evidence["/issuer"] = ((min(s[0] for s in spans), max(s[1] for s in spans)), issuer.confidence)
    if heading:
        out.scalar("document_type", heading.kind, heading.span, heading.confidence)
    subject = _subject.find_subject(lines, header_end + 3) or _subject.abstract_subject(lines, layout.abstract)
    if subject:
        out.scalar("subject", subject.text, subject.span, subject.confidence)
    return issuer


def _number_and_type(layout: _Layout, out: _Builder, own: refnum.RefMatch | None) -> None:
    """The document's own number (repaired from its own section code) and, without a heading, its type."""
    text = layout.text
    if own:
        printed = refnum.printed_form(own.designator, text[own.number_span[0]:own.number_span[1]], keep_kind=True)
        for line in layout.lines:
            if re.search(r"(?i)section\s+officer", line.text):
                printed = refnum.repair_with_section_code(printed, refnum.section_code_from_designation(line.stripped))
        out.keys["reference_number"] = own.key
        out.scalar("reference_number", printed, own.span, 0.9 if printed.endswith(text[own.span[1] - 2:own.span[1]]) else 0.7)
    else:
        out.reasons.append(("missing-field", "no reference number found", "reference_number"))
    if out.fields["document_type"] is None:
        inferred = _doctype.infer_without_heading(text, own.kind if own else None, own.span if own else None)
        if inferred:
            out.scalar("document_type", inferred[0], inferred[2], inferred[1])
            if inferred[1] < 0.6:  # read from the document's form, not from anything naming it
                out.reasons.append(("unsure-type", f"no heading names the type: read as {inferred[0]} from its form "
                                    f"(confidence {inferred[1]:.2f})", "/document_type"))
        else:
            out.reasons.append(("missing-field", "no document type heading found", "document_type"))


def _unlabelled_subject(layout: _Layout, out: _Builder, own, own_date, to_lines: set[int]) -> None:  # noqa: ANN001
    """No labelled subject: a gazette notice's title under its Act, else a capitals (or
    title-case) line between the header's parts and the body."""
    found = _subject.gazette_title(layout.lines, layout.header_end)
    if found:
        out.scalar("subject", found.text, found.span, found.confidence)
        return
    marks = [s for s in (own.span if own else None, own_date.span if own_date else None,
                         out.evidence.get("/document_type", (None,))[0]) if s]
    after = [next(i for i, line in enumerate(layout.lines) if line.start <= s[0] <= line.end) for s in marks]
    if to_lines:
        after.append(max(to_lines))
    if not after:
        return
    found = _subject.unlabelled_subject(layout.lines, max(after) + 1, layout.header_end, title_case_ok=True) \
        or _subject.after_salutation(layout.lines, layout.header_end)
    if found:
        out.scalar("subject", found.text, found.span, found.confidence)


def _type_from_form(layout: _Layout, out: _Builder, to_lines: set[int], words: Sequence[Word]) -> None:
    """No heading and no cue in the words: a recipients block makes a letter; else the
    trained structure model's reading (``pipeline.structure``), sent to review when unsure."""
    if to_lines:
        first = layout.lines[min(to_lines)]
        _found_late(out, "document_type", "letter", first.content_span, 0.5, ("unsure-type",
                    "no heading names the type: read as letter from its recipients block"))
        return
    from pipeline.structure import document_type_from_structure, label_lines

    labelled = label_lines(layout.text, words)
    kind, confidence, reason = document_type_from_structure(labelled)
    if kind is None or confidence < 0.9:
        return
    line = next((x for x in labelled if x.label in ("heading", "number_line")), labelled[0])
    _found_late(out, "document_type", kind, line.span, round(0.6 * confidence, 2),
                ("structure-type", f"document type read from the page's structure: {reason}"))


def _found_late(out: _Builder, name: str, value: object, span: Span, confidence: float,
                reason: tuple[str, str]) -> None:
    """A field found by a weaker reading after it was reported missing: set it, drop the
    'missing-field' reason and say how it was read."""
    out.scalar(name, value, span, confidence)
    out.reasons = [r for r in out.reasons if not (r[0] == "missing-field" and r[2] == name)]
    out.reasons.append((*reason, f"/{name}"))


def _date_and_place(layout: _Layout, out: _Builder, own: refnum.RefMatch | None) -> _dates.FoundDate | None:
    own_date = _own_date(layout.text, layout.lines, layout.dates, own, layout.header_end)
    if own_date and own_date.value:
        out.scalar("date", own_date.iso, own_date.span, own_date.confidence)
    elif own_date:
        out.reasons.append(("partial-date", f"the day of the date is illegible ({own_date.year}-{own_date.month:02d})", "date"))
    else:
        out.reasons.append(("missing-field", "no date of issue found", "date"))
    anchor = own_date.span if own_date else (own.span if own else None)
    place = _place.find_place(layout.lines, anchor, layout.text)
    if place:
        out.scalar("place", place.name, place.span, place.confidence)
    return own_date


def _foot_fields(layout: _Layout, out: _Builder, words: Sequence[Word]) -> set[int]:
    """Distribution, signatories and addressees; returns the lines of a 'To' block."""
    lines, text, wrap_at = layout.lines, layout.text, layout.wrap_at
    dist, dist_lines = _distribution.find_distribution(lines, text, tail_start=layout.tail_start, wrap_at=wrap_at,
                                                       words=words, body_start=layout.header_end)
    for item in dist:
        out.item("distribution", item.text, item.span, item.confidence)
    to_items, to_lines = _addressees.find_addressees(lines, text, header_end=layout.header_end, wrap_at=wrap_at,
                                                     unlabelled=layout.recipients)
    _drop_unlabelled_in(out, "distribution", {k for i in to_lines for k in range(lines[i].start, lines[i].end + 1)})
    prose = {i for i, line in enumerate(lines) if len(line.stripped) >= wrap_at}
    signatories = _signatures.find_signatories(lines, set(range(layout.header_end)) | dist_lines | to_lines | prose)
    for s in signatories:
        out.item("signatories", {"name": s.name, "designation": s.designation}, s.span, s.confidence)
    if not to_lines and signatories:
        after = next(i for i, line in enumerate(lines) if line.start <= signatories[0].span[1] <= line.end + 1) + 1
        to_items = _addressees.find_foot_addressees(lines, text, first=after, stop=len(lines), taken=dist_lines) or to_items
    unlabelled = [k for k, item in enumerate(out.fields["distribution"])
                  if out.evidence[f"/distribution/{k}"][1] == _distribution.UNLABELLED]
    if not to_items and len(unlabelled) == 1 and signatories \
            and out.evidence[f"/distribution/{unlabelled[0]}"][0][0] > signatories[-1].span[0]:
        # one recipient printed under the signature without a copy label ('All CVOs of the
        # Ministries/Deptt./PSEs'): the addressee, as Indian offices print it
        k = unlabelled[0]
        span = out.evidence.pop(f"/distribution/{k}")[0]
        to_items = [lists_item(out.fields["distribution"].pop(k), span, 0.6)]
    for item in to_items:
        out.item("addressees", item.text, item.span, item.confidence)
    return to_lines


def _drop_unlabelled_in(out: _Builder, name: str, offsets: set[int]) -> None:
    """A foot list read without a copy label whose lines are the 'To' block's is that block."""
    keep = [k for k, _ in enumerate(out.fields[name])
            if not (out.evidence[f"/{name}/{k}"][1] == _distribution.UNLABELLED and out.evidence[f"/{name}/{k}"][0][0] in offsets)]
    if len(keep) == len(out.fields[name]):
        return
    values, spans = [out.fields[name][k] for k in keep], [out.evidence.pop(f"/{name}/{k}") for k in keep]
    for k in range(len(out.fields[name])):
        out.evidence.pop(f"/{name}/{k}", None)
    out.fields[name] = []
    for value, (span, confidence) in zip(values, spans):
        out.item(name, value, span, confidence)


def _fields_from_zones(layout: _Layout, out: _Builder, words: Sequence[Word]) -> None:
    """Addressees, signatories and distribution the rules found none of, read in the lines
    the structure model is sure are those zones (``pipeline.extract.zones``), for review."""
    missing = [name for name in _zones.ZONE_FIELDS if not out.fields[name]]
    if not missing or not _zones.ZONES_ON:
        return
    from pipeline.structure import label_lines

    labelled = label_lines(layout.text, words)
    # a line the rules already read as a recipient or a copy is never a zone's value
    taken = [span for pointer, (span, _conf) in out.evidence.items() if pointer.startswith(("/addressees/", "/distribution/"))]
    labelled = [x for x in labelled if not any(s <= x.span[0] < e or x.span[0] <= s < x.span[1] for s, e in taken)]
    readers = {
        "addressees": lambda: [(i.text, i.span, i.confidence) for i in _zones.addressees_in_zones(
            layout.lines, layout.text, labelled, wrap_at=layout.wrap_at)],
        "distribution": lambda: [(i.text, i.span, i.confidence) for i in _zones.distribution_in_zones(
            layout.lines, layout.text, labelled, wrap_at=layout.wrap_at)],
        "signatories": lambda: [({"name": s.name, "designation": s.designation}, s.span, s.confidence)
                                for s in _zones.signatories_in_zones(layout.lines, labelled)],
    }
    for name in missing:
        found = readers[name]()
        for value, span, confidence in found:
            out.item(name, value, span, confidence)
        if found:
            out.reasons.append((_zones.REASON[0], f"{name} {_zones.REASON[1]}", f"/{name}"))


def _body_fields(layout: _Layout, out: _Builder, own, own_date, issuer, to_lines: set[int]) -> None:  # noqa: ANN001
    """Instructions, references to earlier documents, cited instruments."""
    lines, text = layout.lines, layout.text
    body = [line for i, line in enumerate(lines[layout.header_end:layout.tail_start], layout.header_end) if i not in to_lines]
    for ins in _instructions.find_instructions(body, text):
        out.item("instructions", {"number": ins.number, "text": ins.text}, ins.span, ins.confidence)
    cited = [r for r in layout.refs if (not own or r.span != own.span) and not _titles(layout.lines, r)]
    found = _references.find_references(
        text, cited, layout.dates,
        own_key=own.key if own else None, own_date_span=own_date.span if own_date else None,
        own_date=own_date.iso if own_date and own_date.value else None,
        own_issuer=issuer.department or issuer.organization,
    )
    for r in found:
        out.item("references", {"reference_number": r.reference_number, "date": r.date, "issuer": r.issuer, "kind": r.kind},
                 r.span, r.confidence)
        out.keys["references"].append(r.key)
    for c in _rules.find_cited_rules(text, jurisdiction=_jurisdiction(issuer, lines)):
        out.item("cited_rules", {"instrument": c.title, "year": c.year, "provisions": list(c.provisions),
                                 "as_printed": c.as_printed}, c.span, c.confidence)
        out.keys["instruments"].append(c.gazetteer_id)


def _restore_names_in_subject(layout: _Layout, out: _Builder) -> None:
    """Give a subject printed in capitals its proper names back.

    Sentence case lowers every word ('EXPLANATION OF THE FINANCE ACT, 2023' -> 'Explanation
    of the finance act, 2023'). The names the document itself names elsewhere regain their
    printed form: the instruments it cites, its issuer, gazetteer offices and places, and
    acronyms the text prints in capitals only ('FBR', 'HEC').
    """
    subject, evidence = out.fields.get("subject"), out.evidence.get("/subject")
    if not subject or not evidence:
        return
    start, end = evidence[0]
    if upper_ratio(layout.text[start:end]) < CAPITALS:
        return
    # the rest of the text, without lines set all in capitals (a letterhead's 'GOVERNMENT' is
    # no evidence of how the document writes a word)
    rest = "\n".join(line for line in (layout.text[:start] + layout.text[end:]).splitlines()
                     if upper_ratio(line) < CAPITALS)
    names = [c["instrument"] for c in out.fields["cited_rules"]]
    names += [v for v in out.fields["issuer"].values() if v]
    names += gazetteer.proper_names_in(subject)
    names += _capitalised_names(rest)
    for name in sorted(set(names), key=len, reverse=True):
        pattern = re.compile(rf"(?<![\w]){re.escape(name)}(?![\w])", re.I)
        subject = pattern.sub(name.replace("\\", "\\\\"), subject)
    acronyms = _acronyms(rest)
    subject = re.sub(r"\b[A-Za-z]{2,6}\b", lambda m: m.group().upper() if m.group().upper() in acronyms else m.group(), subject)
    out.fields["subject"] = subject[:1].upper() + subject[1:]


_CAPITALISED_RUN = re.compile(r"[A-Z][a-z]+(?:[ -](?:(?:of|and|for|the|&)[ -])?[A-Z][a-z]+)+")


def _capitalised_names(prose: str) -> list[str]:
    """Runs of two or more capitalised words ('Adhoc Relief Allowance') which ``prose``
    never prints in lower case: names it gives things."""
    names = set()
    for m in _CAPITALISED_RUN.finditer(prose):
        name, before = m.group(), prose[max(0, m.start() - 8):m.start()]
        if m.start() == 0 or re.search(r"(?:[.!?:;\n]|\n\s*[\dA-Za-z]{1,4}[.)])\s*$", before):
            # its first word may be capitalised only as a sentence's (or a line's) first
            name = name.split(" ", 1)[1] if " " in name else ""
        # 'government servant' in the text keeps 'Government Servants' out
        if " " in name.replace("-", " ") and name.lower().rstrip("s") not in prose:
            names.add(name)
    return sorted(names)


def _acronyms(prose: str) -> set[str]:
    """Words of 2-6 letters ``prose`` prints in capitals and never otherwise."""
    capital, other = set(), set()
    for word in re.findall(r"\b[A-Za-z]{2,6}\b", prose):
        (capital if word.isupper() else other).add(word.upper())
    return capital - other


def link_documents(extractions: Sequence[Extraction]) -> list[Extraction]:
    """Complete what one document lost from what another in the same file says of it.

    A document whose date OCR damaged (day lost, month and year kept) takes the date with
    which a sibling document cites its number, when month and year agree: the archivist
    sees the reason. Nothing else is changed.
    """
    out = list(extractions)
    for i, ex in enumerate(out):
        key = ex.keys.get("reference_number")
        if ex.fields.get("date") or not ex.partial_date or not key:
            continue
        for j, other in enumerate(out):
            if j == i:
                continue
            for ref, ref_key in zip(other.fields["references"], other.keys["references"]):
                date = ref.get("date")
                if ref_key == key and date and (int(date[:4]), int(date[5:7])) == ex.partial_date:
                    fields = {**ex.fields, "date": date}
                    evidence = dict(ex.evidence)
                    if ex.partial_date_span:
                        evidence["/date"] = (ex.partial_date_span, 0.5)
                    reasons = [r for r in ex.review_reasons if r[0] != "partial-date"]
                    reasons.append(("date-from-citation", f"day illegible; date {date} taken from document {j + 1} citing this number", "date"))
                    out[i] = replace(ex, fields=fields, evidence=evidence, review_reasons=reasons)
                    break
            if out[i] is not ex:
                break
    return out


# --- zones ------------------------------------------------------------------------------

def _empty_fields() -> dict:
    return {"document_type": None, "issuer": {"organization": None, "department": None},
            "reference_number": None, "date": None, "place": None, "subject": None,
            "references": [], "cited_rules": [], "instructions": [], "signatories": [],
            "addressees": [], "distribution": []}


# 'Karachi, dated the 4th March, 2024' opens a header line however much noise follows it.
_PLACE_DATE_LINE = re.compile(r"^\W*(?:[A-Z][A-Za-z]+,?\s+(?:the\s+)?)?(?:dated|dt\.?)\b", re.I)


_CONTACT = re.compile(r"(?i)\b(?:https?://|www\.)\S*|\S+@\S+|\b(?:website|e-?mail|tel(?:ephone)?|fax|phone)\s*:")


def _is_prose(line: Line, wrap_at: int) -> bool:
    text = _left_column(line.stripped)
    if _CONTACT.search(text):  # a letterhead's contact line: 'Website: http://... When replying please quote'
        return False
    lower_words = re.findall(r"\b[a-z]{2,}\b", text)
    return len(text) >= min(wrap_at, 45) and len(lower_words) >= 5 and not _subject.LABEL.match(text) \
        and not (len(text) < wrap_at and _PLACE_DATE_LINE.match(text))


def _left_column(text: str) -> str:
    """The text before a layout gap of 4+ spaces (two-column lines count by their left part).
    Several such gaps in one line are a justified paragraph's ('I   have   annexed    herewith
    a  copy    of'), not a second column."""
    gaps = list(re.finditer(r"\S(\s{4,})\S", text))
    return text[: gaps[0].start(1)] if len(gaps) == 1 else text


def _header_end(lines: list[Line], wrap_at: int, abstract: range) -> int:
    """Index of the first body line: the first prose line that is not the subject."""
    in_subject = False
    for i, line in enumerate(lines):
        if i in abstract:
            continue  # a G.O.'s ABSTRACT is its subject, printed above its number
        if _subject.LABEL.match(line.text):
            in_subject = True
            continue
        if in_subject and not line.blank and not _is_prose(line, wrap_at):
            continue
        in_subject = False
        if _is_prose(line, wrap_at) and not _above_letterhead(lines, i):
            return i
    return len(lines)


def _above_letterhead(lines: list[Line], i: int) -> bool:
    """A long line printed above the letterhead (a Gujarat G.R.'s subject over 'Government of
    Gujarat'): the header goes on below it."""
    if any(not x.blank for x in lines[:i]):
        return False
    following = [x for x in lines[i + 1:i + 6] if not x.blank][:3]
    return any(_issuer.is_letterhead_line(x.stripped) for x in following)


_FROM_LABEL = re.compile(r"(?i)^\s*From\s*[:,\-]?\s*$")  # a letter's 'From' block names its signer, not the letterhead
# '1. The Additional Chief Secretary, ...': the recipients begin, the letterhead has ended.
_RECIPIENT_ITEM = re.compile(r"(?i)^\s*\(?(?:\d{1,2}|[ivx]{1,4}|[a-h])[.)]\s+(?:the|all)\s")


def _letterhead_lines(layout: _Layout, heading) -> list[Line]:  # noqa: ANN001
    lines, header_end, refs, dates = layout.lines, layout.header_end, layout.refs, layout.dates
    stop = header_end
    for i, line in enumerate(lines[:header_end]):
        on_heading = heading and line.start <= heading.span[0] < line.end + 1
        if on_heading and not any(not x.blank for x in lines[:i]):
            continue  # 'Circular No. 13 of 2015' printed above the letterhead
        if on_heading or _subject.LABEL.match(line.text) or _FROM_LABEL.match(line.text) or _RECIPIENT_ITEM.match(line.text) \
                or is_to_label(line.text) or _addressees.opens_to_block(line.text):
            stop = i
            break
    recipients = set(layout.recipients)
    out = []
    filled = 0  # non-blank lines above line i
    for i, line in enumerate(lines[:stop]):
        if filled >= 10:
            break  # a letterhead is printed at the top
        filled += not line.blank
        if any(line.start <= r.span[0] <= line.end for r in refs) or any(line.start <= d.span[0] <= line.end for d in dates):
            continue
        if i in recipients:  # 'All PAOs / Federal Secretaries, Ministry of ...' names the addressees
            continue
        if i in layout.abstract or is_underline(line.text):
            continue
        out.append(line)
    if not any(not line.blank for line in out) and lines:
        out = _letterhead_run_into_body(layout)
    return out[:10]


_LETTERHEAD_ENDS = re.compile(r"(?i)\s(?:dated\b|no\b\.?|notification\b|order\b|circular\b|sub(?:ject)?\b)")
_FLATTENED_FIRST_LINES = 3  # a page flattened onto one line may follow a stray 'No.' or speck line
_SENTENCE_WORDS = 4  # lower-case words before a government's name: it is inside a sentence
_LETTERHEAD_CHARS = 200  # a letterhead with its address; a longer run is a paragraph


def _letterhead_run_into_body(layout: _Layout) -> list[Line]:
    """A page flattened onto one line ('GOVERNMENT OF THE PUNJAB INDUSTRIES DEPARTMENT Dated
    Lahore, ...'; '5/65/09-5FP1/397 GOVERNMENT OF PUNJAB DEPARTMENT OF FINANCE (...) Dated: ...';
    'CENTRAL BANK OF NIGERIA Business Area ... July 30, 2009 REF: ...'): its letterhead runs
    from the government's name (after the file number some offices print first), or from the
    line's start, to the first date, number, heading or 'Dated' after it."""
    firsts = [line for line in layout.lines if not line.blank][:_FLATTENED_FIRST_LINES]
    for first in firsts:
        at = _issuer.government_in(first.text)
        if at is not None and len(re.findall(r"\b[a-z]{2,}\b", first.text[:at])) >= _SENTENCE_WORDS:
            at = None  # 'the Government of India' inside a paragraph, not a letterhead
        start = first.start + at if at is not None else first.content_span[0]
        marks = [r.span[0] for r in layout.refs] + [d.span[0] for d in layout.dates]
        if at is None and any(first.start <= p < first.start + 3 + len(first.text) - len(first.text.lstrip()) for p in marks):
            continue  # a line opening with its number or date prints no letterhead before it
        ends = [p for p in marks if start < p <= first.end]
        cue = _LETTERHEAD_ENDS.search(layout.text, start, first.end)
        if cue:
            ends.append(cue.start())
        end = min(ends, default=first.end)
        if (at is not None or end < first.end) and end - start <= _LETTERHEAD_CHARS:
            return [Line(start, end, layout.text[start:end])]
    return []


def _own_reference(
    text: str, lines: list[Line], refs: list[refnum.RefMatch], header_end: int, tail_start: int
) -> refnum.RefMatch | None:
    limit = lines[header_end].start if header_end < len(lines) else len(text)
    if header_end < len(lines):
        opening = next((r for r in refs if r.span[0] == lines[header_end].content_span[0]), None)
        if opening and opening.kind is None:
            limit = opening.span[1]  # 'NO.SOI(SGA&CD)3-12/2023: In exercise of the powers ...'
    candidates = []
    refs = refnum.with_labelled(text, refs)  # 'Ref: BTRC/SS/Tariff/2002/4': a file reference, no 'No.'
    for r in refs:
        if r.span[0] >= limit:
            break
        before = text[max(0, r.span[0] - 40):r.span[0]]
        line_before = text[line_at(lines, r.span[0]).start:r.span[0]]
        labelled = refnum.is_label(r.designator)
        if _NOT_OWN_NUMBER.search(line_before) and not labelled:
            continue  # 'Ph No:051-9213460', 'Registered No. DA-1', 'Post Box No.-325'
        if _subject.LABEL.match(line_before):
            continue  # 'Subject: ... against Authority's Decision No. NEPRA/TRF-92/...': a cited number
        if _OWN_REF_LABEL.fullmatch(line_before):
            candidates.append(r)  # 'Ref. NO. MOE.HQS/3/6/28/66', 'Our Ref: No. ...' opening a header line
            continue
        if re.search(r"(?i)(refer|letter|reference|vide|dated|memorandum|o\.m\.?)\s*$", before) and r.kind is None:
            continue
        if re.search(r"(?i)\b(refer|reference|vide|ref)\b[^\n]*$", before):
            continue
        candidates.append(r)
    if candidates:
        # a numbered series title ('Circular No. 566', 'TSC CIRCULAR NO:20/2024') names the
        # document as it is cited; a file number beside it is the office's file
        titled = [r for r in candidates if _titles(lines, r)]
        return titled[0] if titled else candidates[0]
    # a gazette prints each notice under its serial ('Gazette Notice No. 383 of 2016',
    # 'General Notice No. 577 of 2011') wherever its masthead ends: the first one not cited
    for r in refs:
        if _GAZETTE_SERIES.match(r.designator) and not _CITED_BEFORE.search(text[max(0, r.span[0] - 12):r.span[0]]):
            return r
    # no number in the header: an endorsement at the foot ('No. ... dated ...' above the copy list)
    foot = lines[min(tail_start, len(lines) - 1)].start if lines else 0
    for r in refs:
        if r.span[0] >= foot and not text[line_at(lines, r.span[0]).start:r.span[0]].strip():
            return r
    return None


_GAZETTE_SERIES = re.compile(r"(?i)\s*(?:gazette|general|legal|government)\s+notice\b")
_CITED_BEFORE = re.compile(r"(?i)\b(?:in|of|vide|under|see|and|to|by)\s*$")
_NOT_OWN_NUMBER = re.compile(r"(?i)\b(?:ph(?:one)?|tel(?:e(?:phone)?)?|fax|cell|mob(?:ile)?|registered|regd|post\s+box|p\.?\s*o\.?\s*box|gpo\s+box|box)\b[^\n]*$")
_OWN_REF_LABEL = re.compile(r"(?i)\s*(?:our\s+|my\s+)?ref(?:erence)?\s*[.:]?\s*")


def _titles(lines: list[Line], ref: refnum.RefMatch) -> bool:
    """Is ``ref`` on a heading line ('CIRCULAR NO. 07 OF 2023-24 (INCOME TAX)')? That
    number names the document itself, not an earlier one it cites."""
    return _doctype.heading_of(line_at(lines, ref.span[0])) is not None


def _own_date(text, lines, dates, own, header_end):  # noqa: ANN001, ANN202
    limit = lines[header_end].start if header_end < len(lines) else len(text)
    header_dates = [d for d in dates if d.span[0] < limit and not _cited(text, d)]
    if own:
        line_start = text.rfind("\n", 0, own.span[0]) + 1
        line_end = text.find("\n", own.span[1])
        line_end = len(text) if line_end < 0 else line_end
        labelled = [d for d in dates if own.span[1] <= d.span[0] <= line_end
                    and len(text[own.span[1]:d.span[0]]) <= 40
                    and (_DATE_LABEL.search(text[own.span[1]:d.span[0]]) or re.fullmatch(r"\s*,\s*", text[own.span[1]:d.span[0]]))]
        if labelled:  # 'DOS Circular Letter No. 23 Date:07/10/2018', 'CIRCULAR NO. 19, May 24, 1991'
            return labelled[0]
        near = [d for d in header_dates if line_start <= d.span[0] <= line_end]
        if near:
            return near[0]
        near = [d for d in header_dates if abs(d.span[0] - own.span[1]) < 200]
        if near:
            return min(near, key=lambda d: abs(d.span[0] - own.span[1]))
    labelled = [d for d in header_dates if _DATE_LABEL.search(text[max(0, d.span[0] - 40):d.span[0]])]
    if labelled:
        return labelled[0]
    if header_dates:
        return header_dates[0]
    # OCR may read a header column after the first body lines: a 'Dated:' line near the top
    near_top = lines[min(len(lines) - 1, header_end + 8)].end if lines else 0
    for d in dates:
        line_start = text.rfind("\n", 0, d.span[0]) + 1
        if d.span[0] <= near_top and re.fullmatch(r"\s*(?:dated|date|dt)\s*[:.\-]?\s*(?:the\s*)?", text[line_start:d.span[0]], re.I):
            return d
    foot = lines[len(lines) * 2 // 3].start if lines else 0
    for d in dates:
        if d.span[0] >= foot and not _cited(text, d):
            line_start = text.rfind("\n", 0, d.span[0]) + 1
            prefix = text[line_start:d.span[0]]
            if re.fullmatch(r"\s*(?:(?:dated|date|dt)\s*[:.\-]?\s*(?:the\s*)?)?", prefix, re.I) or re.search(r"(?i)dated\s*[:.\-]?\s*(the\s*)?$", prefix):
                return d
    return None


# 'Dated:', 'Date.', 'Dated, Chandigarh, the': the label of the date it ends at
_DATE_LABEL = re.compile(r"(?i)\b(?:dated|date|dt)\s*[:.,\-]?\s*(?:[a-z][a-z-]+\s*,\s*)?(?:the\s*)?$")


_COLUMN_DATE_LABEL = re.compile(r"(?i)\S\s{3,}(?:dated|date|dt)\s*[:.]\s*$")


def _cited(text: str, d: _dates.FoundDate) -> bool:
    """A date that belongs to a mention of another document ('letter No. X dated ...'),
    or printed in the subject line (a subject names what it is about, not when it was issued)."""
    before = text[max(0, d.span[0] - 80):d.span[0]]
    line = before.rsplit("\n", 1)[-1]
    line_start = text.rfind("\n", 0, d.span[0]) + 1
    if _subject.LABEL.match(text[line_start:d.span[0]]) and not _COLUMN_DATE_LABEL.search(line):
        return True  # unless a 'Date:' column beside the subject labels it: 'Subject: ...     Date:20.08.13'
    if re.search(r"(?i)\b(letter|circular|o\.?\s?m\.?|memorandum|notification|order|even\s+no)\b[^\n]*$", line) \
            and not re.match(r"\s*(No|F\.?\s*No)", line, re.I):
        return True
    return bool(re.search(r"(?i)(refer|reference|vide|ref\.)\b[^\n]*$", line))


def _tail_start(lines: list[Line], header_end: int, wrap_at: int) -> int:
    """First line after the last body paragraph (where the foot: signature, copies, begins)."""
    last_prose = header_end
    for i in range(header_end, len(lines)):
        if _distribution.LABEL.match(lines[i].text) and len(lines[i].stripped) < 110 and i > header_end:
            break
        if _is_prose(lines[i], wrap_at) and len(_left_column(lines[i].stripped)) >= wrap_at:
            last_prose = i
    for k in range(last_prose + 1, len(lines)):
        line = lines[k]
        if line.blank:
            continue
        numbered = re.match(r"^\s*(?:\d{1,2}\s?[.)]|[(\[]?[ivxlIVX1]{1,5}[.)\]]|[(\[]?[a-hA-H][.)\]]|[ivx]{1,4}\s)\s*\S", line.text)
        wordy = len(re.findall(r"\b[a-z]{2,}\b", line.text)) >= 3 or len(line.stripped) >= 0.8 * wrap_at
        if (numbered and wordy) or (line.stripped[:1].islower() and k - 1 <= last_prose + 2):
            last_prose = k  # a short numbered item or paragraph at the end of the body
            continue
        break
    i = last_prose
    while i + 1 < len(lines) and not lines[i + 1].blank and not lines[i].stripped.endswith((".", ":", ":-")):
        if len(lines[i + 1].stripped) < 0.4 * wrap_at and lines[i + 1].stripped[:1].isupper():
            break
        i += 1
    return min(len(lines), i + 1)


# The country a letterhead names, when no gazetteer office does: an instrument is resolved to
# the gazetteer only for its own country (issue 14: a Bangladeshi text once got Pakistan's
# Constitution).
_COUNTRY_WORDS = (
    (r"pakistan|punjab|sindh|khyber\s+pakhtunkhwa|balochistan|azad\s+(?:jammu|kashmir)|gilgit|islamabad", "PK"),
    (r"india|bharat|delhi|kerala|tamil\s+nadu|karnataka|maharashtra|west\s+bengal|uttar\s+pradesh|rajasthan|"
     r"andhra\s+pradesh|telangana|gujarat|odisha|bihar|assam|himachal|haryana|madhya\s+pradesh|railway\s+board", "IN"),
    (r"bangladesh", "BD"), (r"sri\s+lanka", "LK"), (r"nepal", "NP"), (r"kenya", "KE"), (r"uganda", "UG"),
    (r"nigeria", "NG"), (r"ghana", "GH"), (r"tanzania", "TZ"), (r"zambia", "ZM"), (r"south\s+africa", "ZA"),
    (r"philippines|pilipinas", "PH"), (r"malaysia", "MY"),
)


def _jurisdiction(issuer: _issuer.Issuer, lines: Sequence[Line] = ()) -> str | None:
    for name in (issuer.department, issuer.organization):
        if not name:
            continue
        hit = gazetteer.match_office(name)
        if hit:
            return hit[0]["jurisdiction"]
    head = " ".join([issuer.organization or "", issuer.department or ""] + [line.text for line in lines[:15]])
    for pattern, code in _COUNTRY_WORDS:
        if re.search(rf"(?i)\b(?:{pattern})\b", head):
            return code
    return None
