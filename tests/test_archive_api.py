"""The archive's HTTP API (FastAPI TestClient) and CLI commands (Typer CliRunner)."""

from __future__ import annotations

import json
import uuid

import psycopg
import pytest
import typer
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from archive import open_archive
from archive.access import new_token, secret_digest
from archive.app import create_app
from archive.cli import register
from archive.errors import QueryError
from pipeline.record import published_schema
from archive.samples import make_record
from pipeline.errors import ExitCode, InputFileError, NotFoundError
from pipeline.record import SCHEMA_PATH

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


def records():
    cited = make_record("om", document_type="office_memorandum", reference_number="F. No. 14/04/2021-D-II",
                        date="2021-08-25", place="Islamabad", subject="Use of social media",
                        text="Use of social media by government servants is restricted under "
                             "Rule 18 of the Government Servants (Conduct) Rules, 1964.",
                        cited_rules=[{"instrument": "Government Servants (Conduct) Rules",
                                      "year": 1964, "provisions": ["Rule 18"]}])
    citing = make_record("circ", organization="Allama Iqbal Open University", department=None,
                         date="2023-09-18", text="Circular: follow F.No.14/04/2021-D-ll on social media.",
                         references=[{"reference_number": "F.No.14/04/2021-D-ll",
                                      "date": "2021-08-25", "issuer": None, "kind": "letter"}])
    others = [make_record(f"notice-{i}", document_type="notification", date=f"20{10 + i}-01-0{1 + i % 9}",
                          organization="Government of Sindh", department="Finance Department",
                          text=f"Notification {i} on pension revision and leave encashment.")
              for i in range(5)]
    return cited, citing, others


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def location(request, tmp_path, monkeypatch):
    monkeypatch.setenv("DAFTAR_HOME", str(tmp_path / "home"))
    if request.param == "sqlite":
        yield str(tmp_path / "archive.sqlite")
        return
    name = "daftar_test_" + uuid.uuid4().hex[:12]
    yield f"{PG_URL}?schema={name}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


@pytest.fixture
def filled(location, tmp_path):
    cited, citing, others = records()
    scan = tmp_path / "om.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n page one")
    with open_archive(location) as store:
        store.ingest(cited, original=scan, page_images={1: scan})
        store.ingest(citing)
        store.ingest_many(others)
        store.save_edit(cited["id"], base_version=1, fields={"place": "Islamabad (ICT)"}, actor="amna")
    return location, cited, citing, others


@pytest.fixture
def client(filled):
    token = new_token()  # the API answers no one without one (see test_access.py)
    with open_archive(filled[0]) as store:
        store.add_api_token("tests", secret_digest(token), "viewer", "2026-12-05T09:00:00")
    app = create_app(filled[0])
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as c:
        yield c, *filled[1:]  # the app closes its archive on shutdown


# --- HTTP --------------------------------------------------------------------------------------

def test_list_is_paginated_with_next_links(client):
    c, *_ = client
    first = c.get("/api/v1/documents", params={"limit": 3}).json()
    assert first["total"] == 7 and len(first["items"]) == 3
    assert "offset=3" in first["next"]
    second = c.get(first["next"].replace("http://testserver", "")).json()
    assert {i["doc_id"] for i in first["items"]}.isdisjoint(i["doc_id"] for i in second["items"])
    last = c.get("/api/v1/documents", params={"limit": 3, "offset": 6}).json()
    assert last["next"] is None and len(last["items"]) == 1
    filtered = c.get("/api/v1/documents", params={"type": "notification", "from": "2012-01-01"}).json()
    assert filtered["total"] == 3


def test_get_a_document_and_its_versions(client):
    c, cited, *_ = client
    current = c.get(f"/api/v1/documents/{cited['id']}").json()
    assert (current["version"], current["status"]) == (2, "edited")
    assert current["record"]["fields"]["place"] == "Islamabad (ICT)"
    first = c.get(f"/api/v1/documents/{cited['id']}", params={"version": 1}).json()
    assert first["record"] == cited
    versions = c.get(f"/api/v1/documents/{cited['id']}/versions").json()
    assert [(v["version"], v["kind"], v["actor"]) for v in versions] == [
        (1, "machine", "pipeline"), (2, "edit", "amna")]


def test_unknown_ids_versions_and_files_are_404(client):
    c, cited, citing, _ = client
    assert c.get("/api/v1/documents/nope").status_code == 404
    assert "no document" in c.get("/api/v1/documents/nope").json()["detail"]
    assert c.get(f"/api/v1/documents/{cited['id']}", params={"version": 9}).status_code == 404
    assert c.get("/api/v1/documents/nope/links").status_code == 404
    assert c.get(f"/api/v1/documents/{citing['id']}/original").status_code == 404
    assert c.get(f"/api/v1/documents/{cited['id']}/pages/2").status_code == 404
    assert c.get(f"/api/v1/documents/{cited['id']}/pages/0").status_code == 404
    assert c.get(f"/api/v1/documents/{cited['id']}/pages/{2**63}").status_code == 404
    assert c.get(f"/api/v1/documents/{cited['id']}", params={"version": 2**63}).status_code == 400


def test_files_are_served(client):
    c, cited, *_ = client
    original = c.get(f"/api/v1/documents/{cited['id']}/original")
    assert original.status_code == 200 and original.content.startswith(b"\x89PNG")
    assert original.headers["content-type"] == "image/png"
    assert c.get(f"/api/v1/documents/{cited['id']}/pages/1").content == original.content


def test_search_with_filters_facets_and_snippets(client):
    c, cited, citing, _ = client
    body = c.get("/api/v1/search", params={"q": '"social media"'}).json()
    assert body["total"] == 2
    assert all("[" in h["snippet"] and "]" in h["snippet"] for h in body["hits"])
    assert {f["value"] for f in body["facets"]["document_type"]} == {"office_memorandum", "circular"}
    cites = c.get("/api/v1/search", params={"cites": "conduct", "provision": "Rule 18"}).json()
    assert [h["doc_id"] for h in cites["hits"]] == [cited["id"]]
    paged = c.get("/api/v1/search", params={"q": "pension", "limit": 2}).json()
    assert paged["total"] == 5 and "offset=2" in paged["next"]


@pytest.mark.parametrize("params, message", [
    ({"q": '"social media'}, "unbalanced quote"),
    ({"q": "media AND"}, "ends with AND"),
    ({"q": "NOT media"}, "cannot only exclude"),
    ({}, "empty query"),
    ({"q": "media", "from": "18/09/2023"}, "ISO date"),
    ({"q": "media", "limit": "many"}, "limit"),
    ({"q": "media", "status": "done"}, "status must be one of"),
    ({"q": "media", "year": str(10**20)}, "year: Input should be less than or equal to 9999"),
    ({"q": "media", "offset": str(2**63)}, "offset"),
])
def test_malformed_search_is_a_400_with_the_reason(client, params, message):
    c, *_ = client
    response = c.get("/api/v1/search", params=params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_links_both_ways_and_reference_lookup(client):
    c, cited, citing, _ = client
    links = c.get(f"/api/v1/documents/{citing['id']}/links").json()
    assert links["cites"] == [{"doc_id": cited["id"], "reference_number": "F.No.14/04/2021-D-ll",
                               "date": "2021-08-25", "resolved": True}]
    back = c.get(f"/api/v1/documents/{cited['id']}/links").json()
    assert [l["doc_id"] for l in back["cited_by"]] == [citing["id"]]
    found = c.get("/api/v1/references", params={"number": "F.No.14/04/2021-D-ll"}).json()
    assert found[0]["doc_id"] == cited["id"]


def test_change_feed_by_cursor(client):
    c, *_ = client
    first = c.get("/api/v1/changes", params={"limit": 4}).json()
    assert [ch["cursor"] for ch in first["changes"]] == sorted(ch["cursor"] for ch in first["changes"])
    rest = c.get("/api/v1/changes", params={"since": first["next_cursor"]}).json()
    kinds = [ch["kind"] for ch in first["changes"] + rest["changes"]]
    assert kinds == ["document"] * 7 + ["edit"]
    assert c.get("/api/v1/changes", params={"since": -1}).status_code == 400


def test_schema_and_openapi_are_published(client):
    c, *_ = client
    assert c.get("/api/v1/schema").json() == json.loads(SCHEMA_PATH.read_text())
    spec = c.get("/openapi.json").json()
    for path in ("/api/v1/documents", "/api/v1/documents/{doc_id}", "/api/v1/search",
                 "/api/v1/changes", "/api/v1/documents/{doc_id}/links"):
        assert path in spec["paths"]
    assert "SearchOut" in spec["components"]["schemas"]


# --- CLI ---------------------------------------------------------------------------------------

@pytest.fixture
def cli():
    app = typer.Typer()
    register(app)
    return app, CliRunner()


def test_cli_search_prints_hits_and_facets(cli, filled):
    app, runner = cli
    location, cited, *_ = filled
    result = runner.invoke(app, ["search", "social media", "--archive", location])
    assert result.exit_code == 0, result.output
    assert "2 document(s)" in result.output and "document_type" in result.output
    as_json = runner.invoke(app, ["search", "pension", "--type", "notification", "--limit", "2",
                                  "--json", "--archive", location])
    body = json.loads(as_json.output)
    assert body["total"] == 5 and len(body["hits"]) == 2


def test_cli_malformed_query_raises_query_error(cli, filled):
    app, runner = cli
    result = runner.invoke(app, ["search", '"social', "--archive", filled[0]])
    assert isinstance(result.exception, QueryError)
    assert result.exception.exit_code == ExitCode.bad_args
    assert "unbalanced quote" in str(result.exception)


def test_cli_show_and_links(cli, filled):
    app, runner = cli
    location, cited, citing, _ = filled
    shown = runner.invoke(app, ["show", cited["id"], "--version", "1", "--json", "--archive", location])
    assert json.loads(shown.output) == cited
    table = runner.invoke(app, ["show", cited["id"], "--archive", location])
    assert "Islamabad (ICT)" in table.output and "2 edit by amna" in table.output
    links = runner.invoke(app, ["links", citing["id"], "--archive", location])
    assert cited["id"] in links.output
    missing = runner.invoke(app, ["show", "nope", "--archive", location])
    assert isinstance(missing.exception, NotFoundError)


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_cli_export_writes_schema_valid_records(cli, filled, tmp_path, fmt):
    app, runner = cli
    out = tmp_path / f"export.{fmt}"
    result = runner.invoke(app, ["export", "--format", fmt, "--out", str(out), "--archive", filled[0]])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    exported = ([json.loads(line) for line in text.splitlines()] if fmt == "jsonl"
                else json.loads(text))
    assert len(exported) == 7
    validator = Draft202012Validator(published_schema())
    assert all(not list(validator.iter_errors(r)) for r in exported)
    only = runner.invoke(app, ["export", "--type", "notification", "--year", "2011", "--archive", filled[0]])
    assert [json.loads(l)["fields"]["date"] for l in only.output.splitlines()] == ["2011-01-02"]


def test_cli_import_json_validates_first(cli, tmp_path, location):
    app, runner = cli
    cited, citing, _ = records()
    good = tmp_path / "good.json"
    good.write_text(json.dumps([cited, citing]))
    result = runner.invoke(app, ["import-json", str(good), "--archive", location])
    assert result.exit_code == 0, result.output
    assert "2 created" in result.output
    again = runner.invoke(app, ["import-json", str(good), "--archive", location])
    assert "2 unchanged" in again.output
    bad_record = make_record("bad")
    bad_record["fields"]["distribution"] = "everyone"
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(make_record("fine")) + "\n" + json.dumps(bad_record) + "\n")
    failed = runner.invoke(app, ["import-json", str(bad), "--archive", location])
    assert isinstance(failed.exception, InputFileError)
    assert "bad.jsonl" in str(failed.exception) and "/fields/distribution" in str(failed.exception)
    with open_archive(location) as store:  # nothing from the bad file was imported
        assert store.count_documents() == 2
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert isinstance(runner.invoke(app, ["import-json", str(broken), "--archive", location]).exception,
                      InputFileError)


def test_cli_show_and_links_take_a_reference_number(cli, filled):
    app, runner = cli
    location, cited, citing, _ = filled
    number = cited["fields"]["reference_number"]
    damaged = number.replace("D-II", "D-ll") if "D-II" in number else number
    shown = runner.invoke(app, ["show", damaged, "--json", "--archive", location])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["id"] == cited["id"]
    links = runner.invoke(app, ["links", number, "--json", "--archive", location])
    assert [x["doc_id"] for x in json.loads(links.output)["cited_by"]] == [citing["id"]]
    unknown = runner.invoke(app, ["links", "F.No.99/99/1999-X", "--archive", location])
    assert isinstance(unknown.exception, NotFoundError)
    assert "id or reference number" in str(unknown.exception)
