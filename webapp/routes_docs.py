"""Pages about documents: review queue, document view and edits, history, audit, search."""

from __future__ import annotations

import json
from urllib.parse import urlencode
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from archive.originals import file_response
from pipeline.errors import BadArgsError, ConflictError, NotFoundError
from webapp import forms, textedit, viewmodel
from webapp.store import Store
from webapp.web import flash, form_data, guarded, render

router = APIRouter()
Form = Annotated[FormData, Depends(form_data)]


def _blank(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _doc_url(doc_id: str, **query: object) -> str:
    from urllib.parse import quote, urlencode

    base = f"/documents/{quote(doc_id, safe='')}"
    pairs = {k: v for k, v in query.items() if v is not None}
    return base + ("?" + urlencode(pairs) if pairs else "")


# -- queue ---------------------------------------------------------------------------------
@router.get("/queue")
def queue(request: Request, batch: str | None = None, issuer: str | None = None,
          type: str | None = None):
    with guarded(request) as (store, user):
        items = store.review_queue(batch=_blank(batch), issuer=_blank(issuer),
                                   document_type=_blank(type))
        return render(request, "queue.html", {
            "items": items, "filters": {"batch": batch or "", "issuer": issuer or "",
                                        "type": type or ""},
            "document_types": forms.DOCUMENT_TYPES,
            "flagged": sum(1 for item in items if item.needs_review),
        }, user=user)


# -- document view -------------------------------------------------------------------------
def _page_sizes(store: Store, doc_id: str, record: dict) -> dict[int, tuple[int, int]]:
    """Image sizes of pages whose record does not carry width/height (read from the file)."""
    from PIL import Image

    sizes = {}
    for page in record.get("pages") or []:
        if page.get("width") and page.get("height"):
            continue
        try:
            with Image.open(store.file_path(doc_id, "page", page["number"])) as image:
                sizes[page["number"]] = image.size
        except (NotFoundError, OSError):
            continue
    return sizes


def _available_pages(store: Store, doc_id: str, record: dict) -> set[int]:
    found = set()
    for page in record.get("pages") or []:
        try:
            store.file_path(doc_id, "page", page["number"])
            found.add(page["number"])
        except NotFoundError:
            pass
    return found


MAX_VERSIONS_SEARCHED = 30


def correction_base(store: Store, doc) -> str | None:
    """The text the record's correction spans index, when the archivist has edited it since.

    That is the newest earlier version with the same corrections whose text still holds them
    all; None when the record's own text does (or no such version is found).
    """
    record = doc.record
    if not record.get("corrections") or textedit.all_hold(record):
        return None
    for version in range(doc.version - 1, max(0, doc.version - 1 - MAX_VERSIONS_SEARCHED), -1):
        earlier = store.get(doc.doc_id, version).record
        if earlier.get("corrections") == record["corrections"] and textedit.all_hold(earlier):
            return earlier.get("text") or ""
    return None


def next_to_review(store: Store, doc_id: str) -> str | None:
    """The document after this one in the review queue that is not approved yet."""
    items = [item for item in store.review_queue(batch=None, issuer=None, document_type=None)
             if item.status != "approved" or item.doc_id == doc_id]
    ids = [item.doc_id for item in items]
    after = ids[ids.index(doc_id) + 1:] if doc_id in ids else ids
    return next((other for other in after if other != doc_id), None)


def _document_context(store: Store, doc_id: str, version: int | None,
                      submitted: dict | None = None) -> dict:
    doc = store.get(doc_id, version)
    current = store.get(doc_id) if version is not None else doc
    record = doc.record
    base_text = correction_base(store, doc)
    try:
        links = store.links(doc_id)
    except (NotFoundError, AttributeError, NotImplementedError):
        links = None
    return {
        "doc": doc,
        "record": record,
        "current_version": current.version,
        "read_only": doc.version != current.version,
        "pages": viewmodel.page_views(record, _page_sizes(store, doc_id, record)),
        "page_images": _available_pages(store, doc_id, record),
        "evidence": viewmodel.evidence_map(record),
        "uncertain": viewmodel.uncertain_pointers(record),
        "values": submitted or viewmodel.form_values(record.get("fields") or {}),
        "text_value": record.get("text") or "",
        "segments": textedit.segments(record, base_text),
        "corrections": record.get("corrections") or [],
        "live_corrections": {i for i, _ in textedit.live_corrections(record, base_text)},
        "document_types": forms.DOCUMENT_TYPES,
        "links": links,
        "next_doc": next_to_review(store, doc_id),
        "title": (record.get("fields") or {}).get("subject") or doc_id,
        "errors": [],
    }


@router.get("/documents/{doc_id}")
def document(request: Request, doc_id: str, version: int | None = None):
    with guarded(request) as (store, user):
        return render(request, "document.html", _document_context(store, doc_id, version),
                      user=user)


@router.post("/documents/{doc_id}/save")
def save(request: Request, doc_id: str, form: Form):
    with guarded(request, "archivist", form) as (store, user):
        base_version = _base_version(form)
        base = store.get(doc_id, base_version)
        new_text = str(form.get("text", base.record.get("text") or "")).replace("\r\n", "\n")
        try:
            fields = forms.parse_fields({k: form.getlist(k) for k in form.keys()},
                                        base.record.get("fields") or {})
        except forms.FormErrors as exc:
            context = _document_context(store, doc_id, base_version)
            context.update(errors=list(exc.messages), text_value=new_text,
                           values=_echo_values(form))
            return render(request, "document.html", context, status_code=400, user=user)
        changes = forms.changed_fields(base.record.get("fields") or {}, fields)
        text_changed = new_text != (base.record.get("text") or "")
        if not changes and not text_changed:
            flash(request, "Nothing changed: no new version was made.")
            return RedirectResponse(_doc_url(doc_id), status_code=303)
        try:
            saved = store.save_edit(doc_id, base_version=base_version, fields=changes or None,
                                    text=new_text if text_changed else None,
                                    actor=user.username, note=str(form.get("note", ""))[:500])
        except ConflictError:
            return _conflict(request, store, user, doc_id, base, changes,
                             new_text if text_changed else None)
        if text_changed:
            _record_word_fixes(store, doc_id, base.record.get("text") or "", new_text, user.username)
        flash(request, f"Saved as version {saved.version}.", "success")
        return RedirectResponse(_doc_url(doc_id), status_code=303)


@router.post("/documents/{doc_id}/approve")
def approve(request: Request, doc_id: str, form: Form):
    with guarded(request, "archivist", form) as (store, user):
        base_version = _base_version(form)
        try:
            saved = store.approve(doc_id, base_version=base_version, actor=user.username)
        except ConflictError:
            base = store.get(doc_id, base_version)
            return _conflict(request, store, user, doc_id, base, {}, None, action="approve")
        flash(request, f"Approved (version {saved.version}).", "success")
        return RedirectResponse(_doc_url(doc_id), status_code=303)


@router.post("/documents/{doc_id}/corrections/{index}/revert")
def revert_correction(request: Request, doc_id: str, index: int, form: Form):
    with guarded(request, "archivist", form) as (store, user):
        base_version = _base_version(form)
        base = store.get(doc_id, base_version)
        new_text, corr = textedit.revert_correction(base.record, index, correction_base(store, base))
        note = f"reverted correction #{index}: {corr['replacement']!r} back to {corr['original']!r}"
        try:
            saved = store.save_edit(doc_id, base_version=base_version, text=new_text,
                                    fields=None, actor=user.username, note=note)
        except ConflictError:
            return _conflict(request, store, user, doc_id, base, {}, new_text)
        flash(request, f"Correction reverted: saved as version {saved.version}.", "success")
        return RedirectResponse(_doc_url(doc_id), status_code=303)


def _base_version(form: FormData) -> int:
    raw = str(form.get("base_version", ""))
    # ASCII digits only ("²".isdigit() is true); at most 18 of them, within SQL integers
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        raise BadArgsError("the form is missing the version it was made from; reload the page")
    return int(raw)


def _echo_values(form: FormData) -> dict:
    """The submitted values in the form's shape, to show them again beside the errors."""
    values: dict = {name: form.get(f"f.{name}", "") for name in forms.SCALARS}
    values["issuer"] = {p: form.get(f"f.issuer.{p}", "") for p in forms.ISSUER_PARTS}
    for name, parts in forms.LISTS.items():
        if parts is None:
            values[name] = [v for v in form.getlist(f"f.{name}") if str(v).strip()]
            continue
        columns = {p: form.getlist(f"f.{name}.{p}") for p in parts}
        count = max(len(c) for c in columns.values())
        rows = [{p: (columns[p][i] if i < len(columns[p]) else "") for p in parts}
                for i in range(count)]
        values[name] = [r for r in rows if any(str(v).strip() for v in r.values())]
    for rule in values["cited_rules"]:
        rule["provisions_text"] = rule.get("provisions", "")
    return values


def _record_word_fixes(store: Store, doc_id: str, old: str, new: str, actor: str) -> None:
    for fix in textedit.word_fixes(old, new):
        store.add_correction_fix(fix.wrong, fix.right, context=fix.context, actor=actor,
                                 doc_id=doc_id)


def _conflict(request: Request, store: Store, user, doc_id: str, base, changes: dict,
              text: str | None, action: str = "save") -> Response:
    """Someone saved first: show theirs beside yours; nothing of yours was written."""
    current = store.get(doc_id)
    theirs = current.record.get("fields") or {}
    rows = [
        {"field": name, "base": (base.record.get("fields") or {}).get(name),
         "theirs": theirs.get(name), "yours": value}
        for name, value in changes.items()
    ]
    return render(request, "conflict.html", {
        "doc_id": doc_id, "base": base, "current": current, "rows": rows, "action": action,
        "your_text": text, "their_text": current.record.get("text") if text is not None else None,
        "versions": [v for v in store.versions(doc_id) if v.version > base.version],
        "pretty": lambda value: json.dumps(value, indent=1, ensure_ascii=False),
    }, status_code=409, user=user)


# -- files ---------------------------------------------------------------------------------
@router.get("/documents/{doc_id}/pages/{page}/image")
def page_image(request: Request, doc_id: str, page: int):
    with guarded(request) as (store, _user):
        return file_response(store.file_path(doc_id, "page", page))


@router.get("/documents/{doc_id}/files/{kind}")
def document_file(request: Request, doc_id: str, kind: str):
    if kind not in ("original", "pdf"):
        raise NotFoundError(f"no file kind {kind!r}")
    with guarded(request) as (store, _user):
        return file_response(store.file_path(doc_id, kind))


# -- history, audit, search ----------------------------------------------------------------
@router.get("/documents/{doc_id}/history")
def history(request: Request, doc_id: str):
    with guarded(request) as (store, user):
        doc = store.get(doc_id)
        return render(request, "history.html", {
            "doc": doc, "title": (doc.record.get("fields") or {}).get("subject") or doc_id,
            "versions": store.versions(doc_id), "entries": store.audit(doc_id, limit=500),
        }, user=user)


@router.get("/audit")
def audit_log(request: Request):
    with guarded(request) as (store, user):
        return render(request, "audit.html", {"entries": store.audit(None, limit=300)}, user=user)


_FACET_FILTER = {"document_type": "document_type", "issuer": "issuer", "year": "year",
                 "place": "place", "instrument": "cites"}
_SEARCH_FILTERS = ("document_type", "issuer", "date_from", "date_to", "cites", "provision",
                   "place", "reference", "status", "batch")


@router.get("/search")
def search(request: Request, q: str = "", year: str = "", page: int = 1):
    from archive.errors import QueryError

    params = request.query_params
    criteria = {name: _blank(params.get(name)) for name in _SEARCH_FILTERS}
    per_page = 20
    with guarded(request) as (store, user):
        context = {"q": q, "year": year, "criteria": criteria, "results": None, "error": None,
                   "page": max(page, 1), "per_page": per_page,
                   "document_types": forms.DOCUMENT_TYPES,
                   "page_url": lambda n: "?" + urlencode({**dict(params), "page": n}),
                   "facet_url": lambda name, value: "?" + urlencode(
                       {**dict(params), _FACET_FILTER.get(name, name): value, "page": 1})}
        searched = bool(q.strip() or year.strip() or any(criteria.values()))
        if searched:
            try:
                if year.strip() and not (year.strip().isascii() and year.strip().isdigit()):
                    raise QueryError(f"year must be a number such as 2021, not {year!r}")
                context["results"] = store.search(
                    text=q, year=int(year) if year.strip() else None,
                    limit=per_page, offset=(max(page, 1) - 1) * per_page, **criteria)
            except QueryError as exc:
                context["error"] = str(exc)
        return render(request, "search.html", context,
                      status_code=400 if context["error"] else 200, user=user)
