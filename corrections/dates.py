"""Dates broken by a space after a separator: ``14.06. 2021`` -> ``14.06.2021``.

Joined only when the parts are a valid day and month and a four-digit year from 1900-2099, so
list numbers and amounts never match. Rule ``date-space``.
"""

from __future__ import annotations

import re

from corrections.context import TextContext
from corrections.edits import Edit

BROKEN_DATE_RE = re.compile(r"(?<![\w.\-/])(\d{1,2})([./-])(\d{1,2})\2([ \t]+)((?:19|20)\d{2})(?![\w.\-/]\w)")


def propose(context: TextContext) -> list[Edit]:
    edits = []
    for match in BROKEN_DATE_RE.finditer(context.raw):
        day, month = int(match.group(1)), int(match.group(3))
        if 1 <= day <= 31 and 1 <= month <= 12:
            edits.append(Edit(match.start(4), match.end(4), "", "date-space", 0.9,
                              f"'{match.group(1)}{match.group(2)}{match.group(3)}{match.group(2)}"
                              f"{match.group(5)}' is one date"))
    return edits
