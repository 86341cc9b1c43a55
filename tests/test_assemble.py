"""Record assembly over synthetic OCR pages: spans, boxes, evidence and document splitting.

The OCR pages are built by hand (words with boxes laid out on a grid) so these tests check
the assembler's bookkeeping exactly, without Tesseract's variability.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import weakref

import pytest

from pipeline.api import record_dict
from pipeline.assemble import build_records, iter_records, rebuild_record
from pipeline.models import OcrPage, SourceFile, Word
from pipeline.record import PageOut, Record

CHAR_W, LINE_H = 20, 50


def ocr_page(number: int, text: str, low: frozenset[str] = frozenset()) -> OcrPage:
    """An OcrPage whose words sit on a grid: x from the column, y from the line."""
    words, offset = [], 0
    for line_no, line in enumerate(text.split("\n")):
        col = 0
        for word_no, token in enumerate(line.split(" ")):
            if token:
                start = offset + col
                words.append(Word(token, (col * CHAR_W, line_no * LINE_H, len(token) * CHAR_W, 40),
                                  30.0 if token in low else 95.0, 1, 1, line_no + 1, word_no + 1,
                                  (start, start + len(token))))
            col += len(token) + 1
        offset += len(line) + 1
    confs = [w.confidence for w in words]
    return OcrPage(number=number, text=text, source="ocr", decision="test page", words=tuple(words),
                   width=2480, height=3508, dpi=300, language="eng",
                   mean_confidence=sum(confs) / len(confs), low_confidence_words=sum(c < 60 for c in confs))


MEMO = """GOVERNMENT OF PAKISTAN
CABINET SECRETARIAT
ESTABLISHMENT DIVISION

F. No. 3/7/2022-E-II Islamabad, the 12th May, 2022

OFFICE MEMORANDUM

Subject: WEARING OF OFFICIAL DRESS

Kihdly refer to this Division's O.M. No. 3/1/2019-E-II dated 4th March, 2019 on the subject.

2. All officers shall observe the instructions in letter and spirit.

(Muhammad Asif)
Section Officer (E-II)"""

NOTICE = """GOVERNMENT OF THE PUNJAB
SERVICES & GENERAL ADMINISTRATION DEPARTMENT

No. SOR-I(S&GAD)1-12/2019 Lahore, dated the 3rd March, 2022

NOTIFICATION

The Governor of the Punjab is pleased to post Mr. Ali Raza, Section Officer, with immediate effect.

SECRETARY"""


def source(text: str, pages: int = 1) -> SourceFile:
    sha = hashlib.sha256(text.encode()).hexdigest()
    return SourceFile("scan.png", sha, "image/png", len(text), pages)


def test_one_page_memo_record_is_schema_valid_with_boxes() -> None:
    page = ocr_page(1, MEMO, low=frozenset({"Kihdly"}))
    [record] = build_records(source(MEMO), [page])
    data = record_dict(record)
    assert data["raw_text"] == MEMO
    assert data["source"]["page_range"] == [1, 1]
    # Every word's span indexes raw_text.
    for word in data["pages"][0]["words"]:
        s, e = word["span"]
        assert data["raw_text"][s:e] == word["text"]
    # Every correction can be found on both sides.
    for c in data["corrections"]:
        assert data["raw_text"][c["raw_span"][0]:c["raw_span"][1]] == c["original"]
        assert data["text"][c["span"][0]:c["span"][1]] == c["replacement"]
    assert any(c["original"] == "Kihdly" and c["replacement"] == "Kindly" for c in data["corrections"])


def test_evidence_points_at_the_words_it_came_from() -> None:
    [record] = build_records(source(MEMO), [ocr_page(1, MEMO)])
    data = record_dict(record)
    assert data["fields"]["reference_number"]
    ev = data["evidence"]["/reference_number"]
    s, e = ev["span"]
    assert "3/7/2022" in data["text"][s:e]
    assert ev["page"] == 1
    # The reference line is line 5 of the page: its box top is 4 * LINE_H.
    left, top, width, height = ev["box"]
    assert top == 4 * LINE_H and height == 40 and width > 0
    assert 0 < ev["confidence"] <= 1


def test_two_documents_on_two_pages_become_two_records() -> None:
    pages = [ocr_page(1, MEMO), ocr_page(2, NOTICE)]
    records = build_records(source(MEMO + NOTICE, pages=2), pages)
    assert len(records) == 2
    first, second = (record_dict(r) for r in records)
    assert first["source"]["page_range"] == [1, 1] and second["source"]["page_range"] == [2, 2]
    assert first["id"] != second["id"] and second["source"]["document_index"] == 1
    assert second["pages"][0]["words"][0]["span"][0] == 0  # re-based to the record's raw_text
    assert second["fields"]["document_type"] == "notification"
    assert first["fields"]["document_type"] == "office_memorandum"
    ev = second["evidence"].get("/reference_number")
    assert ev and ev["page"] == 2


def test_low_confidence_words_lower_evidence_and_flag_review() -> None:
    low = frozenset(MEMO.split())  # every word uncertain
    [record] = build_records(source(MEMO), [ocr_page(1, MEMO, low=low)])
    data = record_dict(record)
    assert data["needs_review"] is True
    codes = {r["code"] for r in data["review_reasons"]}
    assert "low-ocr-confidence" in codes
    assert data["evidence"]["/reference_number"]["confidence"] <= 0.3


def test_rebuild_without_ocr_gives_the_same_record() -> None:
    [record] = build_records(source(MEMO), [ocr_page(1, MEMO)])
    again = rebuild_record(record_dict(record))
    assert record_dict(again) == record_dict(record)


@pytest.mark.parametrize("text", ["", "   \n\n  ", "\f"])
def test_empty_text_still_gives_one_valid_record(text: str) -> None:
    page = OcrPage(number=1, text=text, source="text-file", decision="test")
    [record] = build_records(source(text or "empty"), [page])
    data = record_dict(record)
    assert data["needs_review"] is True


class _DiskLikePages:
    """A lazy page sequence like the flow's: every index gives a fresh page (as if unpickled).

    Counts the pages alive (weakref finalizers), and remembers the most alive at any read.
    """

    def __init__(self, pages: list[OcrPage]) -> None:
        self._pages = pages
        self.alive = 0
        self.most_alive = 0
        self.reads = 0

    def __len__(self) -> int:
        return len(self._pages)

    def __getitem__(self, index: int) -> OcrPage:
        self.most_alive = max(self.most_alive, self.alive)
        self.reads += 1
        page = dataclasses.replace(self._pages[index])  # a new object, like a fresh read
        self.alive += 1
        weakref.finalize(page, self._gone)
        return page

    def _gone(self) -> None:
        self.alive -= 1


def _alive(kind: type) -> int:
    return sum(isinstance(o, kind) for o in gc.get_objects())


def test_records_are_built_one_document_at_a_time() -> None:
    """A long file is assembled with one document's pages and record in memory, not all.

    Twelve one-page memos: while records come out of ``iter_records``, at most one page
    read from the (lazy) sequence is alive besides the one being read, and no record but the
    one just handed out exists (no list of every record or every page behind the iterator).
    """
    texts = [MEMO.replace("3/7/2022", f"3/{n}/2022") for n in range(1, 13)]
    pages = _DiskLikePages([ocr_page(i, text) for i, text in enumerate(texts, 1)])
    src = source("".join(texts), pages=len(texts))
    seen = []
    for record in iter_records(src, pages):
        seen.append(record.source.page_range)
        assert _alive(Record) == 1, "records are built all at once"
        assert _alive(PageOut) == len(record.pages) == 1, "pages of other documents are held"
        assert pages.alive <= 1
        del record
    assert seen == [(n, n) for n in range(1, 13)]
    assert pages.most_alive <= 1, "pages are held while others are read"
    assert pages.reads == 3 * len(texts)  # text for the split, then twice per document
    # The list form gives the same records.
    assert [record_dict(r) for r in build_records(src, pages)] == \
        [record_dict(r) for r in iter_records(src, pages)]
