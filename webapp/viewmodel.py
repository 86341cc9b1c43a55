"""What the document page shows, computed from a record: pages with word boxes, evidence,
form rows. Pure functions over the record dict (no web or archive code)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from webapp import forms

LOW_WORD_CONFIDENCE = 60.0  # Tesseract 0-100, as pipeline.config.OcrOptions.low_confidence
LOW_EVIDENCE_CONFIDENCE = 0.6  # evidence confidence is 0-1


@dataclass(frozen=True)
class WordBox:
    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float
    low: bool


@dataclass(frozen=True)
class PageView:
    number: int
    width: int | None
    height: int | None
    words: list[WordBox] = field(default_factory=list)
    mean_confidence: float | None = None
    low_confidence_words: int = 0


def page_views(record: dict, sizes: dict[int, tuple[int, int]]) -> list[PageView]:
    """Pages with their word boxes; ``sizes`` gives image sizes where the record has none."""
    views = []
    for page in record.get("pages") or []:
        number = page["number"]
        width, height = page.get("width"), page.get("height")
        if not (width and height) and number in sizes:
            width, height = sizes[number]
        words = [
            WordBox(
                text=w["text"], left=w["box"][0], top=w["box"][1], width=w["box"][2],
                height=w["box"][3], confidence=float(w.get("confidence", -1)),
                low=0 <= float(w.get("confidence", -1)) < LOW_WORD_CONFIDENCE,
            )
            for w in page.get("words") or []
            if w.get("text", "").strip()
        ]
        views.append(PageView(number, width, height, words, page.get("mean_confidence"),
                              page.get("low_confidence_words", 0)))
    return views


def evidence_map(record: dict) -> dict[str, dict]:
    """JSON Pointer → what the page script needs to show where a value came from."""
    text = record.get("text") or ""
    out = {}
    for pointer, ev in (record.get("evidence") or {}).items():
        start, end = ev.get("span") or (0, 0)
        quote = text[start:end] if 0 <= start <= end <= len(text) else ""
        out[pointer] = {
            "page": ev.get("page"),
            "box": ev.get("box"),
            "confidence": ev.get("confidence"),
            "quote": quote[:300],
            "span": [start, end] if quote else None,
        }
    return out


def uncertain_pointers(record: dict) -> set[str]:
    """Fields whose evidence is weak or that a review reason names."""
    weak = {
        pointer for pointer, ev in (record.get("evidence") or {}).items()
        if float(ev.get("confidence", 1)) < LOW_EVIDENCE_CONFIDENCE
    }
    for reason in record.get("review_reasons") or []:
        if reason.get("field"):
            name = reason["field"]
            weak.add(name if name.startswith("/") else "/" + name)
    return weak


def form_values(fields: dict) -> dict:
    """Record fields in the shape the form template renders (missing parts filled)."""
    values = copy.deepcopy(forms.validate_fields_lenient(fields))
    values.setdefault("issuer", {})
    for name in forms.LISTS:
        values.setdefault(name, [])
    for rule in values["cited_rules"]:
        rule["provisions_text"] = forms.provisions_text(rule)
    return values

