"""Recipients and signatories read inside the structure model's zones, where the rules found none.

    items = addressees_in_zones(lines, text, labelled, wrap_at=wrap_at)
    items = distribution_in_zones(lines, text, labelled, wrap_at=wrap_at)
    found = signatories_in_zones(lines, labelled)

The rules look for a list under its label ('To', 'Copy to') and a signature block by its
shape; when a document prints these without the cue the rules key on, the trained model
(``pipeline.structure``) still often labels the lines by where they stand and how they look.
Only lines the model is sure of (marginal probability at least ``ZONE_THRESHOLDS``, chosen by
cross-validation grouped by office on dev) are read, with the same parsers the rules use
(``lists.split_items``, ``signatures.find_signatories``), and every value is given a lower
confidence and a review reason: a wrong recipient costs more than a missing one. The extractor
fills only ``ZONE_FIELDS`` this way (the fields whose zones measured a gain without loss).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from pipeline.extract import lists
from pipeline.extract._text import Line
from pipeline.extract.signatures import Signatory, find_signatories

# the model's marginal probability a line needs before its zone is read: grouped 5-fold CV on
# dev (models trained without the held-out offices, thresholds 0.5-0.95) gained a signatory's
# name and designation on clean and raw text alike, with no wrong one from 0.9 up
ZONE_THRESHOLDS: dict[str, float] = {"addressee": 0.95, "distribution": 0.95, "signature": 0.95}
# the fields the extractor fills from zones. Addressees and distribution are left out: on the
# same CV their zones added no right recipient on clean text and 7-11 wrong ones on raw (a
# block the rules did not read is mostly one they could not split into recipients either)
ZONE_FIELDS: tuple[str, ...] = ("signatories",)
ZONES_ON = True  # off: the rules alone (to measure what the zones add)
ZONE_CONFIDENCE = 0.5  # at most this: below LOW_CONFIDENCE's neighbourhood, an archivist checks
REASON = ("structure-zone", "read by the structure model")
# a 'To' or copy label at the start of a zone line: the label is not a recipient
# words of a post, never of a person's name: a zone 'name' holding one is a designation line
# ('Education Program Supervisor' over 'Officer-In-charge')
TITLE_WORDS = re.compile(r"(?i)\b(?:supervisor|officer|manager|secretary|director|superintendent|inspector|"
                         r"commissioner|controller|registrar|chairman|chairperson|head|in-?charge|assistant|deputy)\b")
_LABEL = re.compile(r"^\s*(?:to\b|(?:a\s+)?cop(?:y|ies)\b[^:]{0,80}?\bto\b|c\.?\s?c\b|p\.?\s?c\b)\s*[,:;.\-–]*\s*", re.I)


def zone_blocks(labelled: Sequence, label: str, threshold: float) -> list[list[int]]:
    """Runs of consecutive labelled lines (``LabelledLine``) the model gives ``label`` with
    probability >= ``threshold``, as line indexes of ``split_lines(text)``."""
    blocks: list[list[int]] = []
    previous = None
    for n, line in enumerate(labelled):
        if line.label == label and line.probability >= threshold:
            if previous == n - 1 and blocks:
                blocks[-1].append(line.index)
            else:
                blocks.append([line.index])
            previous = n
    return blocks


def addressees_in_zones(lines: Sequence[Line], text: str, labelled: Sequence, *, wrap_at: int) -> list[lists.Item]:
    """Recipients on the lines the model labels ``addressee``."""
    return _list_items(lines, text, zone_blocks(labelled, "addressee", ZONE_THRESHOLDS["addressee"]), wrap_at)


def distribution_in_zones(lines: Sequence[Line], text: str, labelled: Sequence, *, wrap_at: int) -> list[lists.Item]:
    """Copy-list recipients on the lines the model labels ``distribution``."""
    return _list_items(lines, text, zone_blocks(labelled, "distribution", ZONE_THRESHOLDS["distribution"]), wrap_at)


def signatories_in_zones(lines: list[Line], labelled: Sequence) -> list[Signatory]:
    """Signature blocks (name and designation parsers) on the lines the model labels ``signature``."""
    found: list[Signatory] = []
    for block in zone_blocks(labelled, "signature", ZONE_THRESHOLDS["signature"]):
        inside = set(block)
        for s in find_signatories(lines, {i for i in range(len(lines)) if i not in inside}):
            if s.name and TITLE_WORDS.search(s.name):
                continue
            found.append(replace(s, confidence=min(s.confidence, ZONE_CONFIDENCE)))
    return found


def _list_items(lines: Sequence[Line], text: str, blocks: list[list[int]], wrap_at: int) -> list[lists.Item]:
    items: list[lists.Item] = []
    for block in blocks:
        kept = [_without_label(lines[i]) for i in block]
        for item in lists.split_items([line for line in kept if line is not None], text, cuts={}, wrap_at=wrap_at):
            items.append(replace(item, confidence=min(item.confidence, ZONE_CONFIDENCE)))
    return items


def _without_label(line: Line) -> Line | None:
    """The line after its 'To' / 'Copy to' label; None when the label is all it holds."""
    m = _LABEL.match(line.text)
    if not m:
        return line
    rest = line.text[m.end():]
    if not rest.strip():
        return None
    return Line(line.start + m.end(), line.end, rest)
