"""Assemble OCR'd pages into validated document records: split, correct, extract.

Order of work (one way, no back-and-forth):
    pages -> file raw text -> split into documents -> per document: correct -> extract
    -> evidence (span -> raw span -> page + word boxes) -> review flags -> Record
Splitting runs on the raw text so every document is a contiguous slice of what OCR gave;
correction then runs per document, so re-correcting an archived document needs no re-OCR.

Memory: only the split needs every page, and only its text. Words and boxes are read per
document (``iter_records``), so a long scan is assembled with one document's pages in
memory; ``pages`` may be a lazy sequence that reads each page from disk when indexed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace

from corrections import correct_text
from pipeline import spans
from pipeline.config import PIPELINE_VERSION
from pipeline.extract import Extraction, extract_fields, link_documents
from pipeline.extract.verify import withhold
from pipeline.models import Correction, OcrPage, SourceFile, Word
from pipeline.split import split_documents
from pipeline.record import (
    CorrectionOut,
    EvidenceOut,
    Fields,
    Keys,
    PageOut,
    PreprocessStepOut,
    Record,
    ReviewReason,
    SourceOut,
    WordOut,
)

OCR_PAGE_BREAK = "\n\f\n"  # keeps the page's first line at a line start for the extractors
TEXT_PAGE_BREAK = "\f"  # a .txt file's own page separator, so raw_text stays byte-exact
LOW_MEAN_CONFIDENCE = 70.0
LOW_WORD_SHARE = 0.15
LOW_FIELD_CONFIDENCE = 0.5


@dataclass(frozen=True)
class _PlacedPage:
    """Where page ``index`` of the file sits in its raw text (the page itself is not kept)."""

    index: int
    start: int
    length: int


def file_raw_text(pages: Sequence[OcrPage]) -> tuple[str, list[_PlacedPage]]:
    """Join page texts into one raw text, remembering each page's offset.

    Reads each page once, in order, and keeps only its text: with a lazy ``pages`` no page
    stays in memory.
    """
    parts: list[str] = []
    placed: list[_PlacedPage] = []
    pos = 0
    for i in range(len(pages)):
        page = pages[i]
        if i:
            sep = TEXT_PAGE_BREAK if page.source == "text-file" else OCR_PAGE_BREAK
            parts.append(sep)
            pos += len(sep)
        placed.append(_PlacedPage(i, pos, len(page.text)))
        parts.append(page.text)
        pos += len(page.text)
    return "".join(parts), placed


def _split(raw_text: str) -> list[tuple[int, int]]:
    found = [s for s in split_documents(raw_text) if s[1] > s[0]]
    return found or [(0, len(raw_text))]


def build_records(
    source: SourceFile, pages: Sequence[OcrPage], *, rules: object | None = None
) -> list[Record]:
    """Turn one file's pages into one validated record per document found in it.

    The list of ``iter_records``; a caller that writes records as they come should use that
    instead, so that only one document's record and pages are in memory at a time.
    """
    return list(iter_records(source, pages, rules=rules))


def iter_records(
    source: SourceFile, pages: Sequence[OcrPage], *, rules: object | None = None
) -> Iterator[Record]:
    """One file's records, one document at a time, in document order.

    Three reads of ``pages`` (``pages[i]``, never all at once): every page's text, for the
    split; then each document's pages, to correct and extract it; then, once documents of
    the same file have completed each other (a date whose day OCR destroyed, taken from a
    sibling that cites it), each document's pages again to build its record. Between the
    passes only the documents' texts, corrections and extractions are kept, so memory holds
    one document's words, boxes and record, whatever the length of the file.
    """
    raw_text, placed = file_raw_text(pages)
    doc_spans = _split(raw_text) if raw_text.strip() else [(0, len(raw_text))]
    drafts = []
    for start, end in doc_spans:
        draft = _draft(_pages_for_slice(pages, placed, start, end), raw_text[start:end], rules)
        drafts.append(replace(draft, pages=[], words=[]))  # re-read for its record below
    linked = link_documents([d.extraction for d in drafts])
    count = len(drafts)
    for i, ((start, end), draft, extraction) in enumerate(zip(doc_spans, drafts, linked)):
        doc_pages = _pages_for_slice(pages, placed, start, end)
        full = replace(draft, pages=doc_pages, words=_words_of(doc_pages), extraction=extraction)
        yield _record(source, full, index=i, count=count)


def _pages_for_slice(
    pages: Sequence[OcrPage], placed: Sequence[_PlacedPage], start: int, end: int
) -> list[PageOut]:
    """The pages overlapping raw_text[start:end], with spans re-based to the slice.

    Only the overlapping pages are read from ``pages``.
    """
    outs = []
    for item in placed:
        p_start, p_end = item.start, item.start + item.length
        lo, hi = max(start, p_start), min(end, p_end)
        if hi < lo or (hi == lo and item.length):
            continue
        page = pages[item.index]
        words = [
            _word_out(w, p_start - start)
            for w in page.words
            if w.span[0] >= lo - p_start and w.span[1] <= hi - p_start
        ]
        outs.append(
            PageOut(
                number=page.number,
                source=page.source,
                decision=page.decision,
                span=(lo - start, hi - start),
                text=page.text[lo - p_start : hi - p_start],
                width=page.width,
                height=page.height,
                dpi=page.dpi,
                language=page.language,
                preprocessing=[
                    PreprocessStepOut(name=s.name, applied=s.applied, params=dict(s.params))
                    for s in page.preprocessing
                ],
                words=words,
                mean_confidence=_mean([w.confidence for w in words]) if words else None,
                low_confidence_words=page.low_confidence_words if words else 0,
            )
        )
    return outs


def _word_out(word: Word, shift: int) -> WordOut:
    # vars(), not asdict(): a Word holds only scalars and tuples, and asdict's recursive copy
    # cost ~25 ms a page of 400 words.
    return WordOut(**{**vars(word), "span": (word.span[0] + shift, word.span[1] + shift)})


def _mean(values: Sequence[float]) -> float | None:
    good = [v for v in values if v >= 0]
    return round(sum(good) / len(good), 2) if good else None


def _words_of(pages: Sequence[PageOut]) -> list[Word]:
    """All words of a document with spans indexing its raw_text."""
    return [
        Word(w.text, w.box, w.confidence, w.block, w.paragraph, w.line, w.word, w.span)
        for p in pages
        for w in p.words
    ]


@dataclass(frozen=True)
class _Draft:
    """A document corrected and extracted, before its record is built."""

    pages: list[PageOut]
    raw_text: str
    words: list[Word]
    text: str
    corrections: tuple[Correction, ...]
    extraction: Extraction


def _draft(pages: list[PageOut], raw_text: str, rules: object | None) -> _Draft:
    words = _words_of(pages)
    text, corrections = _correct(raw_text, words, rules)
    return _Draft(pages, raw_text, words, text, corrections, _extract(text, words, corrections))


def document_record(
    source: SourceFile,
    pages: Sequence[PageOut],
    raw_text: str,
    *,
    index: int,
    count: int,
    rules: object | None = None,
) -> Record:
    """Correct, extract and assemble the record of one document from its raw text."""
    return _record(source, _draft(list(pages), raw_text, rules), index=index, count=count)


def _record(source: SourceFile, draft: _Draft, *, index: int, count: int) -> Record:
    extraction, corrections, pages, words = (
        draft.extraction, draft.corrections, draft.pages, draft.words
    )
    locator = _Locator(pages, words)
    evidence = {
        pointer: _evidence(span, conf, corrections, locator)
        for pointer, (span, conf) in extraction.evidence.items()
    }
    page_numbers = [p.number for p in pages] or [1]
    mean_conf = _mean([w.confidence for w in words]) if words else None
    low_words = sum(p.low_confidence_words for p in pages)
    reasons = _review_reasons(extraction, evidence, mean_conf, low_words, len(words))
    return Record(
        pipeline_version=PIPELINE_VERSION,
        id=f"{source.sha256[:20]}-{index}",
        source=SourceOut(
            path=source.path,
            sha256=source.sha256,
            media_type=source.media_type,
            size_bytes=source.size_bytes,
            page_count=source.page_count,
            page_range=(min(page_numbers), max(page_numbers)),
            document_index=index,
            document_count=count,
        ),
        pages=list(pages),
        raw_text=draft.raw_text,
        text=draft.text,
        corrections=[_correction_out(c, locator) for c in corrections],
        fields=Fields.model_validate(extraction.fields),
        evidence=evidence,
        keys=Keys.model_validate(extraction.keys),
        mean_confidence=mean_conf,
        low_confidence_words=low_words,
        needs_review=bool(reasons),
        review_reasons=reasons,
    )


def _correct(
    raw_text: str, words: Sequence[Word], rules: object | None
) -> tuple[str, tuple[Correction, ...]]:
    result = correct_text(raw_text, words, rules=rules)
    return result.text, tuple(result.corrections)


def _extract(text: str, words: Sequence[Word], corrections: Sequence[Correction]) -> Extraction:
    moved = [replace(w, span=spans.to_corrected(w.span, corrections)) for w in words]
    return withhold(extract_fields(text, words=moved), text)


class _Locator:
    """Finds the page and word boxes behind a span of a document's raw text."""

    def __init__(self, pages: Sequence[PageOut], words: Sequence[Word]) -> None:
        self._pages = pages
        self._words = sorted(words, key=lambda w: w.span)

    def page_of(self, raw_pos: int) -> PageOut | None:
        for page in self._pages:
            if page.span[0] <= raw_pos <= page.span[1]:
                return page
        return None

    def words_in(self, raw_span: tuple[int, int]) -> list[Word]:
        lo, hi = raw_span
        return [w for w in self._words if w.span[0] < hi and w.span[1] > lo]

    def box_and_confidence(
        self, raw_span: tuple[int, int], page: PageOut | None
    ) -> tuple[tuple[int, int, int, int] | None, float | None]:
        if page is None or not page.words:
            return None, None
        hits = [w for w in self.words_in(raw_span) if page.span[0] <= w.span[0] <= page.span[1]]
        if not hits:
            return None, None
        left = min(w.box[0] for w in hits)
        top = min(w.box[1] for w in hits)
        right = max(w.box[0] + w.box[2] for w in hits)
        bottom = max(w.box[1] + w.box[3] for w in hits)
        return (left, top, right - left, bottom - top), _mean([w.confidence for w in hits])


def _evidence(
    span: tuple[int, int], confidence: float, corrections: Sequence[Correction], locator: _Locator
) -> EvidenceOut:
    raw_span = spans.to_raw(tuple(span), corrections)
    page = locator.page_of(raw_span[0])
    box, ocr_conf = locator.box_and_confidence(raw_span, page)
    # A value read from uncertain OCR is only as sure as the words under it.
    combined = confidence * (ocr_conf / 100.0) if ocr_conf is not None else confidence
    return EvidenceOut(
        span=tuple(span),
        raw_span=raw_span,
        page=page.number if page else None,
        box=box,
        confidence=round(max(0.0, min(1.0, combined)), 3),
    )


def _correction_out(c: Correction, locator: _Locator) -> CorrectionOut:
    page = locator.page_of(c.raw_span[0])
    box, _ = locator.box_and_confidence(c.raw_span, page)
    return CorrectionOut(
        **{**asdict(c), "score": round(max(0.0, min(1.0, c.score)), 3)},
        page=page.number if page else None,
        box=box,
    )


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return repr(text if len(text) <= 80 else text[:77] + "...")


def _review_reasons(
    extraction: Extraction,
    evidence: dict[str, EvidenceOut],
    mean_conf: float | None,
    low_words: int,
    word_count: int,
) -> list[ReviewReason]:
    reasons = [ReviewReason(code=c, message=m, field=f) for c, m, f in extraction.review_reasons]
    reasons += [
        ReviewReason(code="withheld", field=pointer, proposed=value,
                     message=f"{pointer} read as {_shown(value)} but withheld: probably wrong "
                             f"(right with probability {p:.2f}); accept it in review if it is right")
        for pointer, value, p in extraction.withheld
    ]
    if mean_conf is not None and mean_conf < LOW_MEAN_CONFIDENCE:
        reasons.append(
            ReviewReason(code="low-ocr-confidence", message=f"mean OCR confidence {mean_conf:.0f}")
        )
    if word_count and low_words / word_count > LOW_WORD_SHARE:
        reasons.append(
            ReviewReason(
                code="many-low-confidence-words",
                message=f"{low_words} of {word_count} words are low-confidence",
            )
        )
    known = {(r.code, r.field) for r in reasons}
    for pointer, ev in evidence.items():
        if ev.confidence < LOW_FIELD_CONFIDENCE and ("low-confidence", pointer) not in known:
            reasons.append(
                ReviewReason(
                    code="low-confidence",
                    message=f"{pointer} read with confidence {ev.confidence:.2f}",
                    field=pointer,
                )
            )
    return reasons


def rebuild_record(record: dict, *, rules: object | None = None) -> Record:
    """Re-run correction and extraction on an archived record, without re-OCR."""
    old = Record.model_validate(record)
    src = old.source
    source = SourceFile(src.path, src.sha256, src.media_type, src.size_bytes, src.page_count)
    return document_record(
        source,
        old.pages,
        old.raw_text,
        index=src.document_index,
        count=src.document_count,
        rules=rules,
    )
