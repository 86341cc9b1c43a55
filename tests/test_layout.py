"""Reading order from word boxes (pipeline.layout): list markers, columns inside one block.

Tesseract's one-column mode (psm 4, the default) puts a whole page in one block, so these
cases build one block of lines from boxes, the way that mode reports them, and check the text.
Every case also checks the span invariant: ``text[a:b] == word.text`` for every word.
"""

from __future__ import annotations

import pytest

from pipeline import tesseract
from pipeline.layout import attach_markers, is_marker, words_to_text

LINE_PITCH = 60
HEIGHT = 40


def page(rows: list[list[tuple[str, int]]], *, block_of=None, top: int = 100) -> list[tesseract.TsvWord]:
    """One TSV word per (text, left) of each row; row i is line i+1 of block 1 unless
    ``block_of(i)`` says otherwise. A row given as None leaves a blank band (a paragraph gap)."""
    words, y, line = [], top, 0
    for row in rows:
        if row is None:
            y += 2 * LINE_PITCH
            continue
        line += 1
        block = block_of(line - 1) if block_of else 1
        for k, (text, left) in enumerate(row, start=1):
            words.append(tesseract.TsvWord(text, left, y, 22 * len(text), HEIGHT, 90.0,
                                           block, 1, line, k))
        y += LINE_PITCH
    return words


def text_of(words: list[tesseract.TsvWord]) -> str:
    text, out = words_to_text(words)
    assert all(text[w.span[0]:w.span[1]] == w.text for w in out)
    assert sorted(w.text for w in out) == sorted(w.text for w in words)  # nothing lost
    return text


@pytest.mark.parametrize("marker", ["1.", "12)", "(3)", "4,", "(a)", "b.", "iv.", "(xii)", "Vi.",
                                    "2.1", "3.2.1.", "•", "-", "IV)"])
def test_is_marker(marker: str) -> None:
    assert is_marker(marker)


@pytest.mark.parametrize("text", ["a", "1", "No.", "The", "2023.", "1234.", "(1", "F.No.", "ii-", ""])
def test_is_not_marker(text: str) -> None:
    assert not is_marker(text)


def _marker_block(markers: list[str], items: list[str], *, marker_left: int = 100,
                  item_left: int = 200) -> list[tesseract.TsvWord]:
    """Markers read as a block of their own (block 1), then their items (block 2)."""
    words = [tesseract.TsvWord(m, marker_left, 100 + LINE_PITCH * i, 22 * len(m), HEIGHT, 90.0,
                               1, 1, i + 1, 1) for i, m in enumerate(markers)]
    for i, item in enumerate(items):
        x = item_left
        for k, part in enumerate(item.split(), start=1):
            words.append(tesseract.TsvWord(part, x, 100 + LINE_PITCH * i, 22 * len(part), HEIGHT,
                                           90.0, 2, 1, i + 1, k))
            x += 22 * len(part) + 15
    return words


@pytest.mark.parametrize(("markers", "items", "expected"), [
    # A column of numerals read apart goes back onto its items, in order.
    (["1.", "2.", "3."], ["Chief Secretary", "All Commissioners", "Office File"],
     "1. Chief Secretary\n2. All Commissioners\n3. Office File"),
    # Roman markers, garbled as OCR reads them: moved as printed (correction repairs them later).
    (["vi.", "VL.", "viil."], ["The Chairman NAB", "The Auditor General", "Director General"],
     "vi. The Chairman NAB\nVL. The Auditor General\nviil. Director General"),
    # A marker with no line beside it (the item lies lower) stays where it is.
    (["1."], [], "1."),
])
def test_lone_markers_are_attached_to_the_line_beside_them(markers, items, expected) -> None:
    assert text_of(_marker_block(markers, items)) == expected


def test_marker_far_from_its_line_is_a_table_column_and_stays() -> None:
    words = _marker_block(["1.", "2."], ["Aslam", "Khan"], item_left=700)
    assert text_of(words) == "1.\n2.\n\nAslam\nKhan"


def test_marker_with_another_word_in_the_gap_is_not_moved() -> None:
    words = _marker_block(["1.", "2."], ["Aslam", "Khan"], item_left=260)
    # A speck between "1." and "Aslam", a little higher (its middle is not the marker's line).
    words.append(tesseract.TsvWord("x", 170, 70, 20, HEIGHT, 90.0, 3, 1, 1, 1))
    moved = attach_markers(words)
    assert moved[0] == words[0]  # "1." keeps its own line
    assert next(w for w in moved if w.text == "2.").block == 2  # "2." had a clear gap


def test_attach_markers_keeps_every_word_once() -> None:
    words = _marker_block(["1.", "2.", "3."], ["a b", "c", "d e f"])
    moved = attach_markers(words)
    assert sorted((w.text, w.left, w.top) for w in moved) == sorted((w.text, w.left, w.top) for w in words)


@pytest.mark.parametrize(("rows", "expected"), [
    # A body paragraph, then a signature block beside a distribution list, all in one block:
    # the paragraph keeps its place, the side-by-side run is split into two paragraphs.
    ([[("The", 100), ("officers", 200), ("shall", 420), ("comply.", 560)],
      None,
      [("Distribution:", 100), ("(Aslam", 1500), ("Khan)", 1660)],
      [("1.", 100), ("Chief", 160), ("Deputy", 1500), ("Secretary", 1660)],
      [("2.", 100), ("Office", 160), ("Tel:", 1500), ("051-9103456", 1600)]],
     "The officers shall comply.\n\nDistribution:\n1. Chief\n2. Office\n\n(Aslam Khan)\n"
     "Deputy Secretary\nTel: 051-9103456"),
    # A narrower gutter is enough when many lines cross it.
    ([[("All", 100), ("Deans", 180), ("With", 520), ("the", 620)],
      [("All", 100), ("Heads", 180), ("circulate", 520)],
      [("SSO", 100), ("to", 200), ("VC", 260), ("for", 520), ("information", 600)]],
     "All Deans\nAll Heads\nSSO to VC\n\nWith the\ncirculate\nfor information"),
    # A numbered table (serial numbers beside entries) stays row by row.
    ([[("1.", 100), ("Secretary", 400)], [("2.", 100), ("Registrar", 400)]],
     "1. Secretary\n2. Registrar"),
    # "Label: value" rows of a form stay row by row.
    ([[("Name:", 100), ("Muhammad", 600)], [("Grade:", 100), ("BS-17", 600)]],
     "Name: Muhammad\nGrade: BS-17"),
    # Three columns (two gutters) are a table: rows kept.
    ([[("S.No", 100), ("Name", 700), ("Post", 1400)], [("1.", 100), ("Aslam", 700), ("SO", 1400)]],
     "S.No Name Post\n1. Aslam SO"),
    # One line with a right-aligned date: no split.
    ([[("No.", 100), ("Dated", 1500)], [("Subject:", 100), ("timings", 330)]],
     "No. Dated\nSubject: timings"),
])
def test_columns_inside_one_block(rows, expected) -> None:
    assert text_of(page(rows)) == expected
