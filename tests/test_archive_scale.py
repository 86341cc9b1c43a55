"""What the archive does to stay fast at 100k records, checked on small archives.

Capped totals and sampled facets (the caps are lowered per archive so a dozen records pass
them), the page-only ranking path, the bulk ingest path giving the same archive as one-by-one
ingest, and the API token.  Every archive test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict

import psycopg
import pytest
import typer
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from archive import SearchQuery, open_archive
from archive.app import create_app
from archive.cli import register
from archive.access import Caller, new_token, secret_digest
from archive.http import create_api, create_router
from archive.samples import make_record
from pipeline.errors import BadArgsError

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


def _open(kind: str, tmp_path, name: str = "a"):
    if kind == "sqlite":
        return open_archive(str(tmp_path / f"{name}.sqlite")), None
    schema = "daftar_test_" + uuid.uuid4().hex[:12]
    location = f"{PG_URL}?schema={schema}"
    return open_archive(location, objects_dir=tmp_path / f"{name}-objects"), schema


def _drop(schema: str | None) -> None:
    if schema:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def kind(request):
    return request.param


@pytest.fixture
def archive(kind, tmp_path):
    store, schema = _open(kind, tmp_path)
    yield store
    store.close()
    _drop(schema)


TYPES = ["circular", "notification", "office_memorandum", "letter"]
PLACES = ["Lahore", "Karachi", "Islamabad"]


def notices(count: int) -> list[dict]:
    """``count`` records about leave; every third also about pensions, in Karachi."""
    return [make_record(f"notice-{i}", document_type=TYPES[i % 4], place=PLACES[i % 3],
                        date=f"{2000 + i}-03-0{1 + i % 9}", subject=f"Leave notice {i}",
                        reference_number=f"No.{i}/7/{2000 + i}-Admn",
                        text=f"Notice {i}. Earned leave of officers is sanctioned."
                             + (" Pension revision follows." if i % 3 == 1 else ""))
            for i in range(count)]


# --- capped totals and sampled facets ------------------------------------------------------

def test_a_small_result_has_an_exact_total_and_exact_facets(archive):
    archive.ingest_many(notices(12))
    results = archive.search(SearchQuery(text="leave"))
    assert (results.total, results.total_is_estimate, results.facets_sampled) == (12, False, False)
    assert results.total_label == "12"
    assert dict(results.facets["document_type"]) == {t: 3 for t in TYPES}


def test_counting_stops_at_the_cap_and_says_so(archive):
    archive.ingest_many(notices(12))
    archive.total_cap, archive.facet_sample = 5, 3
    results = archive.search(SearchQuery(text="leave", limit=4))
    assert results.total == 5 and results.total_is_estimate
    assert results.total_label == "5+"
    assert len(results.hits) == 4


@pytest.mark.parametrize("query, expected", [
    (SearchQuery(text="leave"), 12),
    (SearchQuery(text="pension"), 4),
    (SearchQuery(text="leave", place="karachi"), 4),
    (SearchQuery(place="karachi"), 4),
    (SearchQuery(text="leave", document_type="letter"), 3),
    (SearchQuery(text="leave", date_from="2005-01-01"), 7),
    (SearchQuery(document_type="circular", year=2008), 1),
])
def test_a_total_below_the_cap_is_exact_even_when_facets_are_sampled(archive, query, expected):
    archive.ingest_many(notices(12))
    archive.total_cap, archive.facet_sample = 100, 2
    results = archive.search(query)
    assert (results.total, results.total_is_estimate) == (expected, False)
    assert results.facets_sampled == (expected > 2)
    assert sum(n for _, n in results.facets["document_type"]) == min(expected, 2)


def test_a_match_set_the_size_of_the_sample_has_exact_facets(archive):
    archive.ingest_many(notices(12))
    archive.facet_sample = 4
    results = archive.search(SearchQuery(text="pension"))
    assert (results.total, results.total_is_estimate, results.facets_sampled) == (4, False, False)


def test_sampled_facets_count_the_most_recently_archived_matches(archive):
    archive.ingest_many(notices(12))
    archive.facet_sample = 4
    facets = archive.search(SearchQuery(text="leave")).facets
    # the last four archived are notice-8..11: letter, circular, notification, memorandum
    assert dict(facets["document_type"]) == {t: 1 for t in TYPES}
    assert dict(facets["year"]) == {"2008": 1, "2009": 1, "2010": 1, "2011": 1}
    assert dict(facets["place"]) == {"Islamabad": 2, "Karachi": 1, "Lahore": 1}


@pytest.mark.parametrize("query", [SearchQuery(text="leave", limit=50),
                                   SearchQuery(text="officers", date_to="2030-01-01", limit=50),
                                   SearchQuery(date_to="2030-01-01", limit=50)])
def test_a_capped_search_covers_the_most_recent_matches(archive, query):
    records = notices(12)
    archive.ingest_many(records)
    archive.total_cap = 5
    results = archive.search(query)
    assert results.total == 5 and results.total_is_estimate
    assert {h.doc_id for h in results.hits} == {r["id"] for r in records[-5:]}


def test_the_cap_passes_when_filters_leave_too_many(archive):
    archive.ingest_many(notices(12))
    archive.total_cap, archive.facet_sample = 3, 2
    for query in (SearchQuery(text="leave", place="karachi"), SearchQuery(place="karachi")):
        results = archive.search(query)
        assert (results.total, results.total_is_estimate, results.facets_sampled) == (3, True, True)


# --- ranking only the page ---------------------------------------------------------------------

@pytest.mark.parametrize("query", [SearchQuery(text="leave"),
                                   SearchQuery(text="officers NOT pension"),
                                   SearchQuery(text="leave", place="lahore"),
                                   SearchQuery(text='"earned leave"', date_to="2009-12-31")])
def test_pages_are_slices_of_one_ranking(archive, query):
    archive.ingest_many(notices(12))
    full = archive.search(SearchQuery(**{**asdict(query), "limit": 50}))
    pages = [archive.search(SearchQuery(**{**asdict(query), "limit": 3, "offset": o}))
             for o in range(0, full.total, 3)]
    assert [h.doc_id for p in pages for h in p.hits] == [h.doc_id for h in full.hits]
    assert [h.score for h in full.hits] == sorted((h.score for h in full.hits), reverse=True)
    assert all(p.total == full.total for p in pages)


def test_every_hit_of_the_page_gets_its_own_snippet_and_fields(archive):
    archive.ingest_many(notices(12))
    results = archive.search(SearchQuery(text="pension", limit=10))
    assert len(results.hits) == 4
    for hit in results.hits:
        number = hit.title.split()[-1]  # the subject is "Leave notice N"
        assert "[Pension]" in hit.snippet and f"Notice {number}." in hit.snippet
        assert hit.reference_number == f"No.{number}/7/{2000 + int(number)}-Admn"
        assert hit.date.startswith(str(2000 + int(number)))


def test_a_subject_match_still_outranks_a_body_match_on_a_page_of_one(archive):
    archive.ingest_many(notices(6) + [make_record("gratuity", subject="Gratuity rules",
                                                  text="Rules on gratuity.")])
    archive.ingest(make_record("body-only", subject="Miscellaneous",
                               text="Officers note: gratuity, gratuity and gratuity again."))
    assert archive.search(SearchQuery(text="gratuity", limit=1)).hits[0].title == "Gratuity rules"


# --- the bulk path gives the same archive as one record at a time --------------------------------

def linked_corpus() -> list[dict]:
    """Citations forwards and backwards inside one chunk, damaged numbers, a repeated record."""
    a = make_record("a", reference_number="F.No.1/2/2020-D-II", date="2020-01-05", text="A first.",
                    references=[{"reference_number": "No.9/9/2021-Admn", "date": "2021-02-02",
                                 "issuer": None, "kind": "letter"}])
    b = make_record("b", reference_number="No.9/9/2021-Admn", date="2021-02-02", text="B second.",
                    references=[{"reference_number": "F.No.l/2/2020-D-ll", "date": "2020-01-05",
                                 "issuer": None, "kind": "letter"}])
    c = make_record("c", reference_number="No.5/5/2019", date="2019-09-09", text="C third.",
                    references=[{"reference_number": "No.9/9/2O21-Admn", "date": "2021-02-02",
                                 "issuer": None, "kind": "letter"},
                                {"reference_number": "No.77/1/2001", "date": None, "issuer": None,
                                 "kind": "letter"}])
    c2 = make_record("c", reference_number="No.5/5/2019", date="2019-09-09", text="C revised.",
                     references=c["fields"]["references"])
    d = make_record("d", reference_number="No.77/1/2001", date="2001-01-01", text="D cited late.")
    return [a, b, c, a, c2, d, make_record("e", text="E unrelated.")]


def snapshot(store, ids):
    out = {}
    for doc_id in ids:
        doc = store.get(doc_id)
        links = store.links(doc_id)
        out[doc_id] = (doc.version, doc.status, doc.record,
                       [asdict(x) for x in links.cites], [asdict(x) for x in links.cited_by])
    changes, _ = store.changes(0, 100)
    audit = sorted((a.doc_id, a.version, a.action) for a in store.audit(limit=100))
    return out, [(c.kind, c.doc_id, c.version) for c in changes], audit


@pytest.mark.parametrize("chunk", [1, 3, 100])
def test_bulk_ingest_makes_the_same_archive_as_one_by_one(kind, tmp_path, chunk):
    corpus = linked_corpus()
    ids = sorted({r["id"] for r in corpus})
    one, s1 = _open(kind, tmp_path, "one")
    bulk, s2 = _open(kind, tmp_path, "bulk")
    try:
        singles = [one.ingest(r) for r in corpus]
        results = bulk.ingest_many(corpus, chunk=chunk)
        assert [(r.doc_id, r.version, r.status) for r in results] == \
            [(r.doc_id, r.version, r.status) for r in singles]
        assert [r.status for r in results] == ["created", "created", "created", "unchanged",
                                               "new-version", "created", "created"]
        assert snapshot(bulk, ids) == snapshot(one, ids)
        by_id = {r["id"]: r["id"] for r in corpus}
        assert [x.doc_id for x in bulk.links(by_id[corpus[1]["id"]]).cites] == [corpus[0]["id"]]
        assert [x.doc_id for x in bulk.links(corpus[5]["id"]).cited_by] == [corpus[2]["id"]]
    finally:
        one.close()
        bulk.close()
        _drop(s1)
        _drop(s2)


def test_bulk_ingest_after_a_bulk_ingest_changes_nothing(archive):
    archive.ingest_many(notices(9), chunk=4)
    again = archive.ingest_many(notices(9), chunk=4)
    assert {r.status for r in again} == {"unchanged"}
    assert archive.search(SearchQuery(text="leave")).total == 9
    assert len(archive.changes(0, 100)[0]) == 9


def test_bulk_ingested_documents_are_found_by_every_index(archive):
    archive.ingest_many(notices(6) + [make_record(
        "ruled", text="Conduct matters.", cited_rules=[{"instrument": "Government Servants "
                                                        "(Conduct) Rules", "year": 1964,
                                                        "provisions": ["Rule 18"]}])], chunk=5)
    assert archive.find_by_reference("No. 4/7/2004-Admn")[0][1] == 1.0
    assert archive.find_by_reference("No.4/7/2OO4-Admn")  # damaged digits: fuzzy
    cited = archive.search(SearchQuery(cites="conduct rules", provision="rule 18"))
    assert [h.title for h in cited.hits] == ["Conduct matters."]
    assert archive.search(SearchQuery(text='"earned leave"', year=2003)).total == 1


# --- API and CLI show capped totals ---------------------------------------------------------------

def test_api_reports_an_estimated_total_and_pages_through_the_window(archive):
    archive.ingest_many(notices(12))
    archive.total_cap, archive.facet_sample = 5, 3
    app = FastAPI()
    app.include_router(create_api(lambda: archive, public_read=True), prefix="/api/v1")
    c = TestClient(app)
    body = c.get("/api/v1/search", params={"q": "leave", "limit": 2}).json()
    assert body["total"] == 5 and body["total_is_estimate"] and body["facets_sampled"]
    assert body["next"] and "offset=2" in body["next"]
    last = c.get("/api/v1/search", params={"q": "leave", "limit": 2, "offset": 4}).json()
    assert len(last["hits"]) == 1 and last["next"] is None
    exact = c.get("/api/v1/search", params={"q": "pension"}).json()
    assert exact["total"] == 4 and not exact["total_is_estimate"] and exact["next"] is None
    assert exact["facets_sampled"]  # 4 matches, a sample of 3


def test_cli_json_carries_the_total_and_facet_flags(tmp_path):
    location = str(tmp_path / "cli.sqlite")
    with open_archive(location) as store:
        store.ingest_many(notices(4))
    app = typer.Typer()
    register(app)
    result = CliRunner().invoke(app, ["search", "leave", "--json", "--archive", location])
    body = json.loads(result.output)
    assert body["total"] == 4 and body["total_is_estimate"] is False
    assert body["facets_sampled"] is False


# --- API token ------------------------------------------------------------------------------------

@pytest.fixture
def small(tmp_path):
    location = str(tmp_path / "api.sqlite")
    with open_archive(location) as store:
        store.ingest_many(notices(3))
    return location


def client_for(location, **kwargs) -> TestClient:
    return TestClient(create_app(location, **kwargs))


def token_for(location, name="ledger", role="viewer") -> str:
    token = new_token()
    with open_archive(location) as store:
        store.add_api_token(name, secret_digest(token), role, "2026-12-05T09:00:00+00:00")
    return token


@pytest.mark.parametrize("path", ["/api/v1/search?q=leave", "/api/v1/documents",
                                  "/api/v1/changes", "/api/v1/references?number=No.1/7/2001-Admn"])
def test_requests_without_a_valid_token_are_refused(small, path):
    token = token_for(small)
    c = client_for(small)
    missing = c.get(path)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert "Authorization: Bearer" in missing.json()["detail"]
    wrong = c.get(path, headers={"Authorization": f"Bearer {token[:-1]}X"})
    assert wrong.status_code == 401 and "not valid" in wrong.json()["detail"]
    basic = c.get(path, headers={"Authorization": "Basic czNjcmV0LXRva2Vu"})
    assert basic.status_code == 401
    assert c.get(path, headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_the_schema_stays_public(small):
    c = client_for(small)
    assert c.get("/api/v1/schema").status_code == 200
    assert c.get("/api/v1/schema").json()["title"]


def test_document_routes_need_the_token_too(small):
    token = token_for(small)
    c = client_for(small)
    doc_id = make_record("notice-0")["id"]
    for path in (f"/api/v1/documents/{doc_id}", f"/api/v1/documents/{doc_id}/versions",
                 f"/api/v1/documents/{doc_id}/links", f"/api/v1/documents/{doc_id}/original"):
        assert c.get(path).status_code == 401, path
    ok = c.get(f"/api/v1/documents/{doc_id}", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200 and ok.json()["doc_id"] == doc_id


def test_the_retired_environment_token_stops_the_app(small, monkeypatch):
    """DAFTAR_API_TOKEN is no longer read: refusing to start beats silently ignoring it."""
    monkeypatch.setenv("DAFTAR_API_TOKEN", "old-token")
    with pytest.raises(BadArgsError, match="daftar token create"):
        create_app(small)
    monkeypatch.setenv("DAFTAR_API_TOKEN", "  ")  # blank: as if unset
    assert client_for(small).get("/api/v1/documents").status_code == 401


def test_public_read_opens_reading_but_still_refuses_a_wrong_token(small):
    c = client_for(small, public_read=True)
    assert c.get("/api/v1/search", params={"q": "leave"}).json()["total"] == 3
    wrong = c.get("/api/v1/documents", headers={"Authorization": "Bearer daftar_guess"})
    assert wrong.status_code == 401


def test_an_auth_dependency_admits_another_apps_signed_in_users(small):
    def signed_in(request: Request) -> Caller | None:
        name = request.headers.get("x-test-session")
        return Caller(name, "archivist", "session") if name == "amna" else None

    app = FastAPI()
    router = create_router(small, auth_dependency=signed_in)
    app.include_router(router, prefix="/api/v1")
    c = TestClient(app)
    assert c.get("/api/v1/documents", headers={"x-test-session": "amna"}).status_code == 200
    assert c.get("/api/v1/documents", headers={"x-test-session": "eve"}).status_code == 401
    bearer = {"Authorization": f"Bearer {token_for(small)}"}
    assert c.get("/api/v1/documents", headers=bearer).status_code == 200
    router.close_archive()


def test_openapi_documents_the_bearer_scheme(small):
    spec = client_for(small).get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert any(s.get("scheme", "").lower() == "bearer" for s in schemes.values())
    assert "401" in spec["paths"]["/api/v1/search"]["get"]["responses"]


# --- an archive made before these changes is upgraded in place -------------------------------

def test_an_archive_from_before_the_search_window_is_migrated(kind, tmp_path, monkeypatch):
    module = __import__(f"archive.{'sqlite' if kind == 'sqlite' else 'postgres'}",
                        fromlist=["MIGRATIONS"])
    full = list(module.MIGRATIONS)
    monkeypatch.setattr(module, "MIGRATIONS", full[:1])
    old, schema = _open(kind, tmp_path, "old")
    try:
        old.ingest_many(notices(5))
        old.close()
        monkeypatch.setattr(module, "MIGRATIONS", full)
        location = str(tmp_path / "old.sqlite") if kind == "sqlite" else \
            f"{PG_URL}?schema={schema}"
        with open_archive(location, objects_dir=tmp_path / "old-objects") as store:
            with store._read() as tx:
                versions = [r["version"] for r in tx.all("SELECT version FROM schema_migrations "
                                                         "ORDER BY version")]
            assert versions == [v for v, _ in full]
            results = store.search(SearchQuery(text="leave", cites=None, provision=None))
            assert results.total == 5 and not results.total_is_estimate
            store.ingest_many(notices(7))
            assert store.search(SearchQuery(text="leave")).total == 7
    finally:
        _drop(schema)
