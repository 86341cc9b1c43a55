"""The fields form: record ``fields`` ⇄ HTML form values, validated by the record model.

Scalars are single inputs named ``f.<name>``; list items are parallel inputs named
``f.<list>.<part>`` (one row per item, rows in order). A row whose parts are all blank is
dropped, so clearing a row removes it even without JavaScript. Each list also sends
``f.sent=<list>``, so a list whose last row was removed still counts as sent (empty); a
field the form did not send at all is left as it was, never cleared.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from archive import bounds
from pipeline.record import Fields

SCALARS = ("document_type", "reference_number", "date", "place", "subject")
ISSUER_PARTS = ("organization", "department")
# list name -> parts of each row (None = the row is a plain string)
LISTS: dict[str, tuple[str, ...] | None] = {
    "references": ("reference_number", "date", "issuer", "kind"),
    "cited_rules": ("instrument", "year", "provisions"),
    "instructions": ("number", "text"),
    "signatories": ("name", "designation"),
    "addressees": None,
    "distribution": None,
}
DOCUMENT_TYPES = (
    "circular", "office_memorandum", "notification", "letter", "office_order", "order", "other"
)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class FormErrors(Exception):
    """The submitted form does not make a valid record: messages by field path."""

    messages: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        return "; ".join(f"{where}: {what}" for where, what in self.messages)


def _clean(value: object) -> str | None:
    text = _SPACES.sub(" ", str(value or "")).strip()
    return text or None


def _rows(form: Mapping[str, Sequence[str]], name: str, parts: tuple[str, ...]) -> list[dict]:
    columns = {part: list(form.get(f"f.{name}.{part}", [])) for part in parts}
    count = max((len(values) for values in columns.values()), default=0)
    rows = []
    for i in range(count):
        row = {part: _clean(values[i] if i < len(values) else "") for part, values in columns.items()}
        if any(row.values()):
            rows.append(row)
    return rows


def _cited_rule(row: dict) -> dict:
    year = row.get("year")
    provisions = [p.strip() for p in (row.get("provisions") or "").split(";") if p.strip()]
    return {
        "instrument": row.get("instrument") or "",
        # ASCII digits only: "²".isdigit() is true, but int("²") fails
        "year": int(year) if year and year.isascii() and year.isdigit() else year,
        "provisions": provisions,
    }


def sent_fields(form: Mapping[str, Sequence[str]]) -> set[str]:
    """The fields a submitted form carries (any of their inputs, or a list's f.sent)."""
    sent = {name for name in SCALARS if f"f.{name}" in form}
    if any(f"f.issuer.{part}" in form for part in ISSUER_PARTS):
        sent.add("issuer")
    marked = set(form.get("f.sent", []))
    for name, parts in LISTS.items():
        inputs = [f"f.{name}"] if parts is None else [f"f.{name}.{part}" for part in parts]
        if name in marked or any(key in form for key in inputs):
            sent.add(name)
    return sent


def parse_fields(form: Mapping[str, Sequence[str]], base: dict | None = None) -> dict:
    """The fields the form sent (``form[name]`` is the list of values sent), validated.

    Fields the form did not send are not in the result, so a save leaves them as they are;
    ``base`` (the fields being edited) fills an issuer part the form left out. Raises
    FormErrors with one message per invalid value (a date that is not a real ISO date, a
    year that is not a number from 1 to 9999, an unknown document type, a cited rule
    without an instrument).
    """
    sent = sent_fields(form)
    first = lambda name: _clean((form.get(name) or [""])[0])  # noqa: E731
    fields: dict = {name: first(f"f.{name}") for name in SCALARS}
    issuer = dict((base or {}).get("issuer") or {})
    issuer.update({part: first(f"f.issuer.{part}") for part in ISSUER_PARTS
                   if f"f.issuer.{part}" in form})
    fields["issuer"] = {part: issuer.get(part) for part in ISSUER_PARTS}
    for name, parts in LISTS.items():
        if parts is None:
            fields[name] = [v for v in (_clean(x) for x in form.get(f"f.{name}", [])) if v]
        elif name == "cited_rules":
            fields[name] = [_cited_rule(row) for row in _rows(form, name, parts)]
        else:
            fields[name] = _rows(form, name, parts)
    valid = validate_fields({name: value for name, value in fields.items() if name in sent})
    return {name: value for name, value in valid.items() if name in sent}


def validate_fields(fields: dict) -> dict:
    """``fields`` checked against the record model and ``archive.bounds`` (real dates,
    years 1-9999); the plain dict back, or FormErrors."""
    try:
        valid = Fields.model_validate(fields).model_dump(mode="json")
    except ValidationError as exc:
        raise FormErrors(tuple(_message(err) for err in exc.errors())) from None
    problems = bounds.field_problems(valid)
    if problems:
        raise FormErrors(tuple(problems))
    return valid


def _message(err: dict) -> tuple[str, str]:
    where = "/" + "/".join(str(part) for part in err["loc"])
    if err["type"] == "string_pattern_mismatch":
        return where, "use an ISO date: YYYY-MM-DD"
    if err["type"].startswith("int_"):
        return where, "must be a whole number"
    if err["type"] == "literal_error":
        return where, "choose one of " + ", ".join(DOCUMENT_TYPES)
    return where, err["msg"]


def changed_fields(before: dict, after: dict) -> dict:
    """The top-level fields whose value differs: only these count as the archivist's edit.

    Values are compared as the form would send them back (spaces collapsed, blanks as None),
    so a machine value with a line break is not taken for an edit the archivist never made —
    that would pin it against better re-extractions.
    """
    normal_before = _as_form_sends(validate_fields_lenient(before))
    return {key: value for key, value in after.items()
            if normal_before.get(key) != _as_form_sends(value)}


def _as_form_sends(value: object) -> object:
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, list):
        return [_as_form_sends(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_form_sends(v) for k, v in value.items()}
    return value


def validate_fields_lenient(fields: dict) -> dict:
    """``fields`` in the model's normal form when valid, else as given (for comparisons)."""
    try:
        return Fields.model_validate(fields).model_dump(mode="json")
    except ValidationError:
        return dict(fields)


def provisions_text(rule: dict) -> str:
    return "; ".join(rule.get("provisions") or [])
