"""Document-internal consistency: a name printed several times in one form and once in a near
form is a misreading of that form (``Nadeem Akhtar`` twice, ``Nadeern Akhtar`` once ->
``Nadeem``).

Only the document supports the change, so it is made only when
- the majority form is printed at least twice, capitalised the same way;
- the odd form is printed once, is no known word (``Rahman`` beside ``Rehman`` stays: both are
  real spellings of different people's names) and not protected;
- undoing known OCR confusions (``data/confusions.json``, total cost <= 1.0) turns the odd
  form into the majority form, and into exactly one of the document's majority forms — a
  plain edit is not enough: ``Zahir`` beside ``Zahid``, ``Rashida`` beside ``Rashid`` are
  different people;
- upper-case acronyms (``PEPRA`` beside ``PEMRA``) are left alone;
- Tesseract did not read the odd form confidently (when word confidences are given).
Rule ``document-form``.
"""

from __future__ import annotations

from collections import Counter

from corrections.candidates import confusion_variants
from corrections.context import HIGH_CONFIDENCE, TextContext
from corrections.edits import Edit
from corrections.protect import is_known_word, protected_by
from corrections.tokenize import Core

MIN_LENGTH = 5
MIN_SUPPORT = 2
MAX_CONFUSION_COST = 1.0
LONG_UPPER = 8  # shorter all-capital words are acronyms


def _name_shaped(word: str) -> bool:
    if not word.isalpha() or len(word) < MIN_LENGTH:
        return False
    return (word[0].isupper() and word[1:].islower()) or (word.isupper() and len(word) >= LONG_UPPER)


def propose(context: TextContext) -> list[Edit]:
    named = [core for core in context.cores if _name_shaped(core.text)]
    counts = Counter(core.text for core in named)
    majority = [form for form, count in counts.items() if count >= MIN_SUPPORT]
    if not majority:
        return []
    edits = []
    for core in named:
        if counts[core.text] != 1:
            continue
        form = _majority_form(core.text, majority)
        if form and _doubtful(context, core):
            edits.append(Edit(core.span[0], core.span[1], form, "document-form", 0.85,
                              f"{form!r} is printed {counts[form]} times in this document; "
                              f"{core.text!r} once"))
    return edits


def _majority_form(word: str, majority: list[str]) -> str | None:
    if is_known_word(word) or protected_by(word):
        return None
    variants = confusion_variants(word.lower())
    near = [form for form in majority
            if form.isupper() == word.isupper() and form.lower() in variants
            and variants[form.lower()][0] <= MAX_CONFUSION_COST]
    return near[0] if len(near) == 1 else None


def _doubtful(context: TextContext, core: Core) -> bool:
    confidence = context.confidence(core.span)
    return confidence is None or confidence < HIGH_CONFIDENCE
