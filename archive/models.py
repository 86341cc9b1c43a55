"""Small frozen values the archive hands to its callers (CLI, HTTP API, review app, flows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

IngestStatus = Literal["created", "new-version", "unchanged"]
DocumentStatus = Literal["machine", "edited", "approved"]
VersionKind = Literal["machine", "edit", "approve", "revert"]
ChangeKind = Literal["document", "version", "edit", "approve"]
Role = Literal["viewer", "archivist", "admin"]
ROLES: tuple[str, ...] = ("viewer", "archivist", "admin")
STATUSES: tuple[str, ...] = ("machine", "edited", "approved")


@dataclass(frozen=True)
class IngestResult:
    doc_id: str
    version: int
    status: IngestStatus


@dataclass(frozen=True)
class StoredDocument:
    doc_id: str
    version: int
    record: dict
    created_at: str
    updated_at: str
    status: DocumentStatus
    batch: str | None


@dataclass(frozen=True)
class VersionInfo:
    version: int
    created_at: str
    actor: str
    kind: VersionKind
    note: str


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    doc_id: str | None
    version: int | None
    action: str
    field: str | None
    before: Any
    after: Any


@dataclass(frozen=True)
class SearchQuery:
    """What to look for. ``text`` uses the search syntax of ``archive.query``."""

    text: str = ""
    document_type: str | None = None
    issuer: str | None = None
    year: int | None = None
    date_from: str | None = None
    date_to: str | None = None
    cites: str | None = None
    provision: str | None = None
    place: str | None = None
    reference: str | None = None
    status: str | None = None
    batch: str | None = None
    limit: int = 20
    offset: int = 0

    def has_filters(self) -> bool:
        return any(
            v not in (None, "")
            for v in (self.document_type, self.issuer, self.year, self.date_from, self.date_to,
                      self.cites, self.provision, self.place, self.reference, self.status,
                      self.batch)
        )


@dataclass(frozen=True)
class SearchHit:
    doc_id: str
    version: int
    score: float
    snippet: str  # plain text; matches marked with [ and ]
    title: str | None
    document_type: str | None
    date: str | None
    reference_number: str | None
    issuer: str | None


FACET_NAMES: tuple[str, ...] = ("document_type", "issuer", "year", "instrument", "place")


@dataclass(frozen=True)
class SearchResults:
    """One page of hits, the size of the matched set and facet counts.

    ``total`` is exact unless ``total_is_estimate``: then more than ``total``
    (``archive.base.TOTAL_CAP``) documents matched ("10,000+") and the search covered the
    ``total`` most recently archived of them: hits are ranked and paged among those.
    ``facets`` count every match unless ``facets_sampled``: then they count the
    ``archive.base.FACET_SAMPLE`` most recently archived matches, which shows the proportions
    of a large result without counting all of it.
    """

    total: int
    hits: list[SearchHit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    total_is_estimate: bool = False
    facets_sampled: bool = False

    @property
    def total_label(self) -> str:
        """The total for people: "1,234", or "10,000+" when counting stopped at the cap."""
        return f"{self.total:,}" + ("+" if self.total_is_estimate else "")


@dataclass(frozen=True)
class Link:
    doc_id: str | None  # the other document, None when it is not archived (yet)
    reference_number: str | None
    date: str | None
    resolved: bool


@dataclass(frozen=True)
class Links:
    cites: list[Link]
    cited_by: list[Link]


@dataclass(frozen=True)
class Change:
    cursor: int
    at: str
    kind: ChangeKind
    doc_id: str
    version: int


@dataclass(frozen=True)
class QueueItem:
    doc_id: str
    version: int
    needs_review: bool
    review_reasons: list[dict]
    status: DocumentStatus
    title: str | None
    issuer: str | None
    document_type: str | None
    date: str | None
    batch: str | None


@dataclass(frozen=True)
class User:
    username: str
    password_hash: str
    role: Role
    disabled: bool = False


@dataclass(frozen=True)
class Session:
    """A signed-in review-app session (its id is kept only as a SHA-256 digest)."""

    username: str
    created_at: str
    last_seen_at: str


@dataclass(frozen=True)
class ApiToken:
    """A named API token (the token itself is kept only as a SHA-256 digest)."""

    name: str
    role: Role
    created_at: str
    last_used_at: str | None
