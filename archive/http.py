"""JSON API for downstream systems (mounted under /api/v1).

``create_api(archive_factory)`` returns a router; ``create_router(location)`` builds one over
the archive at ``location``. Errors map to status codes: malformed query 400, unknown id 404,
edit conflict 409, archive failure 503 — never a 500 for a bad request.

Access: every route except ``/schema`` needs ``Authorization: Bearer <token>`` with a token
made by ``daftar token create`` (kept hashed in the archive, revocable, last use recorded) and
answers 401 otherwise.  ``auth_dependency(request) -> Caller | None`` lets another app (the
review app) admit its own signed-in sessions as well; ``public_read`` admits anyone to read.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import asdict, replace
from typing import Annotated, Any, Callable, Iterator, Literal, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from archive import Archive, bounds, open_archive
from archive.access import PUBLIC, Caller, token_caller
from archive.base import FACET_SAMPLE, MAX_INT, TOTAL_CAP
from archive.budget import RETRY_AFTER_S, QueryTimeoutError
from archive.originals import file_response
from archive.models import SearchQuery
from pipeline.record import published_schema
from pipeline.errors import (
    ArchiveError, BadArgsError, ConflictError, DaftarError, NotFoundError,
)


class DocumentSummaryOut(BaseModel):
    doc_id: str
    version: int
    status: Literal["machine", "edited", "approved"]
    batch: Optional[str]
    updated_at: str
    document_type: Optional[str]
    date: Optional[str]
    reference_number: Optional[str]
    subject: Optional[str]
    issuer: dict[str, Optional[str]]
    needs_review: bool
    url: str


class DocumentPageOut(BaseModel):
    total: int
    limit: int
    offset: int
    next: Optional[str]
    items: list[DocumentSummaryOut]


class DocumentOut(BaseModel):
    doc_id: str
    version: int
    status: Literal["machine", "edited", "approved"]
    created_at: str
    updated_at: str
    batch: Optional[str]
    record: dict[str, Any]


class VersionOut(BaseModel):
    version: int
    created_at: str
    actor: str
    kind: str
    note: str


class LinkOut(BaseModel):
    doc_id: Optional[str]
    reference_number: Optional[str]
    date: Optional[str]
    resolved: bool


class LinksOut(BaseModel):
    cites: list[LinkOut]
    cited_by: list[LinkOut]


class FacetOut(BaseModel):
    value: str
    count: int


class HitOut(BaseModel):
    doc_id: str
    version: int
    score: float
    snippet: str
    title: Optional[str]
    document_type: Optional[str]
    date: Optional[str]
    reference_number: Optional[str]
    issuer: Optional[str]


class SearchOut(BaseModel):
    total: int
    total_is_estimate: bool = Field(
        description=f"more than {TOTAL_CAP:,} matched: `total` is {TOTAL_CAP:,} and hits are "
                    "ranked and paged among the most recently archived matches")
    facets_sampled: bool = Field(
        description=f"facets count the {FACET_SAMPLE:,} most recently archived matches, "
                    "not all of them")
    limit: int
    offset: int
    next: Optional[str]
    hits: list[HitOut]
    facets: dict[str, list[FacetOut]]


class ChangeOut(BaseModel):
    cursor: int
    at: str
    kind: str
    doc_id: str
    version: int


class ChangesOut(BaseModel):
    changes: list[ChangeOut]
    next_cursor: int
    next: str


class ReferenceMatchOut(BaseModel):
    doc_id: str
    score: float


class ErrorOut(BaseModel):
    detail: str


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "malformed query or parameter"},
    401: {"model": ErrorOut, "description": "API token missing, revoked or wrong"},
    404: {"model": ErrorOut, "description": "no such document, version or file"},
    503: {"model": ErrorOut, "description": "archive unavailable, or the search ran past its "
                                            "time limit (then with Retry-After)"},
}


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from exc
    except ConflictError as exc:
        raise HTTPException(409, str(exc)) from exc
    except BadArgsError as exc:
        raise HTTPException(400, str(exc)) from exc
    except QueryTimeoutError as exc:
        raise HTTPException(503, str(exc), headers={"Retry-After": str(RETRY_AFTER_S)}) from exc
    except ArchiveError as exc:
        raise HTTPException(503, str(exc)) from exc
    except DaftarError as exc:
        raise HTTPException(400, str(exc)) from exc


def _next_url(request: Request, offset: int, limit: int, total: int) -> str | None:
    """The next page; a capped search total is also the end of its window."""
    if offset + limit >= total:
        return None
    return str(request.url.include_query_params(offset=offset + limit, limit=limit))


# Query parameters are typed and bounded here, so the schema (and schemathesis) knows the
# limits; the archive checks the same bounds (archive.bounds) for every other caller.
Filter = Annotated[Optional[str], Query(max_length=bounds.MAX_FILTER_CHARS)]
Limit = Annotated[int, Query(ge=1, le=bounds.MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=bounds.MAX_OFFSET)]


def _filters(q: Annotated[str, Query(max_length=bounds.MAX_QUERY_CHARS)] = "",
             type: Filter = None, issuer: Filter = None,
             year: Annotated[Optional[int], Query(ge=bounds.YEARS[0], le=bounds.YEARS[1])] = None,
             date_from: Annotated[Optional[str], Query(alias="from", max_length=10,
                                                       description="YYYY-MM-DD")] = None,
             date_to: Annotated[Optional[str], Query(alias="to", max_length=10,
                                                     description="YYYY-MM-DD")] = None,
             cites: Filter = None, provision: Filter = None, place: Filter = None,
             reference: Filter = None,
             status: Filter = None, batch: Filter = None) -> SearchQuery:
    """The query and filters shared by /documents and /search (a FastAPI dependency)."""
    return SearchQuery(text=q, document_type=type, issuer=issuer, year=year,
                       date_from=date_from, date_to=date_to, cites=cites,
                       provision=provision, place=place, reference=reference, status=status,
                       batch=batch)


AuthCheck = Callable[[Request], Optional[Caller]]  # another app's signed-in user, if any


def _access_guard(archive_factory: Callable[[], Archive], auth_dependency: AuthCheck | None,
                  public_read: bool) -> Callable[..., Caller]:
    """A dependency admitting a request with a valid bearer token, a caller
    ``auth_dependency`` vouches for, or anyone with ``public_read``; 401 otherwise."""
    bearer = HTTPBearer(auto_error=False, description="an API token (`daftar token create`)")

    def require_access(request: Request,
                       credentials: Optional[HTTPAuthorizationCredentials] = Depends(bearer)
                       ) -> Caller:
        if credentials is not None:  # a wrong token is refused even where reading is public
            with _errors():
                caller = token_caller(archive_factory(), credentials.credentials)
            if caller is None:
                raise HTTPException(401, "the API token is not valid (revoked or mistyped)",
                                    headers={"WWW-Authenticate": "Bearer"})
            return caller
        caller = auth_dependency(request) if auth_dependency is not None else None
        if caller is not None:
            return caller
        if public_read:
            return PUBLIC
        raise HTTPException(401, "no API token: send 'Authorization: Bearer <token>' (made by "
                            "'daftar token create') or sign in",
                            headers={"WWW-Authenticate": "Bearer"})

    return require_access


def create_api(archive_factory: Callable[[], Archive], *, auth_dependency: AuthCheck | None = None,
               public_read: bool = False) -> APIRouter:
    """Routes over the archive ``archive_factory()`` returns (the caller owns and closes it).

    Every route but ``/schema`` needs an API token, a caller ``auth_dependency(request)``
    returns, or ``public_read``.
    """
    guard = _access_guard(archive_factory, auth_dependency, public_read)
    router = APIRouter(tags=["archive"], responses=ERROR_RESPONSES)
    protected = [Depends(guard)]

    def summary(request: Request, doc: Any) -> DocumentSummaryOut:
        fields = doc.record.get("fields") or {}
        return DocumentSummaryOut(
            doc_id=doc.doc_id, version=doc.version, status=doc.status, batch=doc.batch,
            updated_at=doc.updated_at, document_type=fields.get("document_type"),
            date=fields.get("date"), reference_number=fields.get("reference_number"),
            subject=fields.get("subject"), issuer=fields.get("issuer") or {},
            needs_review=bool(doc.record.get("needs_review")),
            url=str(request.url_for("get_document", doc_id=doc.doc_id)))

    @router.get("/documents", response_model=DocumentPageOut, summary="List and filter documents",
                dependencies=protected)
    def list_documents(request: Request, filters: SearchQuery = Depends(_filters),
                       limit: Limit = 50, offset: Offset = 0) -> DocumentPageOut:
        with _errors():
            archive = archive_factory()
            chosen = filters if (filters.text or filters.has_filters()) else None
            total = archive.count_documents(chosen)
            docs = archive.list_documents(filters=chosen, limit=limit, offset=offset)
        return DocumentPageOut(total=total, limit=limit, offset=offset,
                               next=_next_url(request, offset, limit, total),
                               items=[summary(request, d) for d in docs])

    @router.get("/documents/{doc_id}", response_model=DocumentOut, name="get_document",
                summary="One document (current version unless ?version=N)", dependencies=protected)
    def get_document(doc_id: str, version: Optional[int] = Query(None, ge=1, le=MAX_INT)) -> DocumentOut:
        with _errors():
            doc = archive_factory().get(doc_id, version)
        return DocumentOut(**asdict(doc))

    @router.get("/documents/{doc_id}/versions", response_model=list[VersionOut], dependencies=protected)
    def versions(doc_id: str) -> list[VersionOut]:
        with _errors():
            return [VersionOut(**asdict(v)) for v in archive_factory().versions(doc_id)]

    @router.get("/documents/{doc_id}/links", response_model=LinksOut,
                summary="Documents this one cites and documents citing it", dependencies=protected)
    def links(doc_id: str) -> LinksOut:
        with _errors():
            found = archive_factory().links(doc_id)
        return LinksOut(cites=[LinkOut(**asdict(x)) for x in found.cites],
                        cited_by=[LinkOut(**asdict(x)) for x in found.cited_by])

    def send(doc_id: str, kind: str, page: int | None = None) -> FileResponse:
        with _errors():
            archive = archive_factory()
            path = archive.file_path(doc_id, kind, page)
        return file_response(path)

    @router.get("/documents/{doc_id}/original", response_class=FileResponse,
                summary="The original file as received", dependencies=protected)
    def original(doc_id: str) -> FileResponse:
        return send(doc_id, "original")

    @router.get("/documents/{doc_id}/pdf", response_class=FileResponse,
                summary="The searchable PDF", dependencies=protected)
    def pdf(doc_id: str) -> FileResponse:
        return send(doc_id, "pdf")

    @router.get("/documents/{doc_id}/pages/{number}", response_class=FileResponse,
                summary="A page image", dependencies=protected)
    def page(doc_id: str, number: int) -> FileResponse:
        if not 1 <= number <= 100_000:
            raise HTTPException(404, f"page numbers start at 1, not {number}")
        return send(doc_id, "page", number)

    @router.get("/search", response_model=SearchOut, summary="Full-text search with filters and facets",
                dependencies=protected)
    def search(request: Request, filters: SearchQuery = Depends(_filters),
               limit: Limit = 20, offset: Offset = 0) -> SearchOut:
        query = replace(filters, limit=limit, offset=offset)
        with _errors():
            results = archive_factory().search(query)
        return SearchOut(
            total=results.total, total_is_estimate=results.total_is_estimate,
            facets_sampled=results.facets_sampled, limit=limit, offset=offset,
            next=_next_url(request, offset, limit, results.total),
            hits=[HitOut(**asdict(h)) for h in results.hits],
            facets={k: [FacetOut(value=v, count=n) for v, n in items]
                    for k, items in results.facets.items()})

    @router.get("/references", response_model=list[ReferenceMatchOut],
                summary="Documents numbered like a reference (OCR damage tolerated)", dependencies=protected)
    def references(number: Annotated[str, Query(max_length=bounds.MAX_FILTER_CHARS)],
                   date: Annotated[Optional[str], Query(max_length=10,
                                                        description="YYYY-MM-DD")] = None,
                   fuzzy: bool = True) -> list[ReferenceMatchOut]:
        with _errors():
            found = archive_factory().find_by_reference(number, date=date, fuzzy=fuzzy)
        return [ReferenceMatchOut(doc_id=d, score=s) for d, s in found]

    @router.get("/changes", response_model=ChangesOut, summary="Change feed after a cursor",
                dependencies=protected)
    def changes(request: Request, since: int = Query(0, ge=0, le=MAX_INT),
                limit: int = Query(100, ge=1, le=1000)) -> ChangesOut:
        with _errors():
            items, cursor = archive_factory().changes(since, limit)
        return ChangesOut(changes=[ChangeOut(**asdict(c)) for c in items], next_cursor=cursor,
                          next=str(request.url.include_query_params(since=cursor, limit=limit)))

    @router.get("/schema", summary="JSON Schema of the records")
    def record_schema() -> dict:
        return published_schema()

    return router


def create_router(location: str | None = None, *, auth_dependency: AuthCheck | None = None,
                  public_read: bool = False) -> APIRouter:
    """The API over the archive at ``location``, opened once on first use.

    See ``create_api`` for ``auth_dependency`` and ``public_read``.
    """
    lock = threading.Lock()
    opened: list[Archive] = []

    def factory() -> Archive:
        with lock:
            if not opened:
                opened.append(open_archive(location))
            return opened[0]

    def close() -> None:
        with lock:
            for archive in opened:
                archive.close()
            opened.clear()

    router = create_api(factory, auth_dependency=auth_dependency, public_read=public_read)
    router.archive_factory = factory  # type: ignore[attr-defined]
    router.close_archive = close  # type: ignore[attr-defined]
    return router
