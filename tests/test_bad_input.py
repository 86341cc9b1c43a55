"""No 500s from input, and saves that change only what was sent (issue 13, items 4 and 10).

The tester's cases, on both backends: 3,000 nested parentheses on /api/v1/search,
/api/v1/documents and /search (a RecursionError, 500); ``base_version=²`` on save and approve
(``"²".isdigit()`` is true, ``int("²")`` fails: 500); a 30-digit year in a cited rule
(OverflowError on the insert: 500); a 50,000-character place or issuer filter (503 "LIKE or
GLOB pattern too complex": a bad request reported as an archive failure); a save sending
only ``csrf_token`` and ``base_version`` cleared all eleven fields; the form stored
``2021-02-30``.  Then generated hostile input: nested parentheses, long strings, Unicode
digits and NULs into every API parameter (schemathesis over the OpenAPI document, both
backends) and into the review app's search and queue (hypothesis): never a 5xx.
"""

from __future__ import annotations

import atexit
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive import open_archive
from archive.app import create_app as create_api_app
from pipeline.errors import BadArgsError
from tests.test_webapp import (  # noqa: F401 - fixtures
    Env, any_env, form_of, password_hashes, post_form, replace,
)

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
NESTED = "(" * 3000 + "memo" + ")" * 3000
# Unicode digits Python's str.isdigit() accepts and int() may or may not: superscripts,
# Arabic-Indic, Devanagari, fullwidth, mathematical bold.
UNICODE_DIGITS = ["²", "³²", "٣", "२०२१", "１２", "𝟙𝟡𝟞𝟜", "①"]
HOSTILE = st.one_of(
    st.integers(1, 3000).map(lambda n: "(" * n + "memo" + ")" * n),
    st.integers(1, 3000).map(lambda n: "NOT " * n + "memo"),
    st.integers(900, 60_000).map(lambda n: "x" * n),
    st.integers(1, 5_000).map(lambda n: "%_\\" * n),
    st.sampled_from(UNICODE_DIGITS),
    st.sampled_from(["10" * 15, "-1", "0", "9" * 40, "1e9", "nan", "2021-02-30", "0000-00-00",
                     "p*", "a\x00b", "\x00", '"', "*", "-", "NOT", "AND OR"]),
    st.text(max_size=50),
)
QUERY_NAMES = ["q", "type", "issuer", "year", "from", "to", "cites", "provision", "place",
               "reference", "status", "batch", "limit", "offset", "since", "number", "date",
               "fuzzy", "version"]


# --- the API: the tester's cases ----------------------------------------------------------

@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def api(request, tmp_path: Path, monkeypatch) -> Iterator[TestClient]:
    """The API app over an archive holding the web app's sample documents."""
    from webapp import demo

    monkeypatch.delenv("DAFTAR_API_TOKEN", raising=False)
    schema = "bad_input_" + uuid.uuid4().hex[:12]
    location = (str(tmp_path / "archive.sqlite") if request.param == "sqlite"
                else f"{PG_URL}?schema={schema}")
    with open_archive(location, objects_dir=tmp_path / "objects") as archive:
        demo.seed_archive(archive, tmp_path / "pages")
        token = _viewer_token(archive)  # the API answers 401 without one
    yield TestClient(create_api_app(location), headers={"Authorization": f"Bearer {token}"})
    if request.param == "postgres":
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.mark.parametrize("path, params, says", [
    ("/api/v1/search", {"q": NESTED}, "at most 1000 characters"),
    ("/api/v1/documents", {"q": NESTED}, "at most 1000 characters"),
    ("/api/v1/search", {"q": "(" * 9 + "memo" + ")" * 9}, "nested 9 deep; the limit is 8"),
    ("/api/v1/documents", {"q": "(" * 9 + "memo" + ")" * 9}, "nested 9 deep"),
    ("/api/v1/search", {"q": "NOT " * 249 + "memo"}, "cannot only exclude"),
    ("/api/v1/search", {"q": "memo", "place": "x" * 50_000}, "at most 200 characters"),
    ("/api/v1/search", {"q": "memo", "issuer": "%" * 20_000}, "at most 200 characters"),
    ("/api/v1/documents", {"place": "_" * 50_000}, "at most 200 characters"),
    ("/api/v1/search", {"q": "memo", "place": "a\x00b"}, "NUL character"),
    ("/api/v1/search", {"q": "memo", "year": "9" * 30}, "less than or equal to 9999"),
    ("/api/v1/search", {"q": "memo", "year": "²"}, "year"),
    ("/api/v1/search", {"q": "memo", "limit": "٣"}, "limit"),
    ("/api/v1/search", {"q": "memo", "limit": "101"}, "less than or equal to 100"),
    ("/api/v1/search", {"q": "memo", "offset": "10001"}, "less than or equal to 10000"),
    ("/api/v1/search", {"q": "memo", "from": "2021-02-30"}, "ISO date"),
    ("/api/v1/search", {"q": "p*"}, "at least 3 letters"),
    ("/api/v1/references", {"number": "1" * 50_000}, "at most 200 characters"),
    ("/api/v1/references", {"number": "F.1", "date": "2021-02-30"}, "ISO date"),
    ("/api/v1/changes", {"since": "²"}, "since"),
])
def test_the_testers_api_requests_are_400s_naming_the_problem(api: TestClient, path: str,
                                                             params: dict, says: str) -> None:
    response = api.get(path, params=params)
    assert response.status_code == 400, response.text
    assert says in response.json()["detail"]


def test_unicode_digits_in_a_path_are_a_4xx(api: TestClient) -> None:
    for digits in UNICODE_DIGITS:
        assert api.get(f"/api/v1/documents/x/pages/{digits}").status_code in (400, 404)
        assert api.get("/api/v1/documents/x", params={"version": digits}).status_code == 400


# --- the API: generated input (schemathesis, deeper than the schema asks) -------------------

def _hostile_query(context, query):  # noqa: ANN001, ANN202 - a schemathesis hook
    """Add hostile values, for any parameter names, to what the schema generated."""
    extra = st.dictionaries(st.sampled_from(QUERY_NAMES), HOSTILE, max_size=3)
    return extra.map(lambda more: {**(query or {}), **more})


def _hostile_path(context, path):  # noqa: ANN001, ANN202 - a schemathesis hook
    if not path:
        return st.just(path)
    hostile = st.one_of(st.sampled_from(UNICODE_DIGITS), st.just("9" * 30),
                        st.text(min_size=1, max_size=30).filter(lambda t: "/" not in t))
    return st.dictionaries(st.sampled_from(sorted(path)), hostile, max_size=len(path)).map(
        lambda more: {**path, **more})


FUZZ_SCHEMA = "bad_input_fuzz_" + uuid.uuid4().hex[:12]  # dropped when Python exits


@atexit.register
def _drop_fuzz_schema() -> None:
    """Dropped at exit, not by a fixture: the schema exists as soon as this module is
    imported, even when none of its tests is selected."""
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{FUZZ_SCHEMA}" CASCADE')


def _api_schema(backend: str):  # noqa: ANN202 - schemathesis' schema type
    """The API's OpenAPI document over a seeded archive, with the hostile hooks.

    Built at import (schemathesis' fixture-based loading does not run on this pytest).
    """
    import tempfile

    from webapp import demo

    folder = Path(tempfile.mkdtemp(prefix="daftar-bad-input-"))
    location = (str(folder / "archive.sqlite") if backend == "sqlite"
                else f"{PG_URL}?schema={FUZZ_SCHEMA}")
    with open_archive(location, objects_dir=folder / "objects") as archive:
        demo.seed_archive(archive, folder / "pages")
        TOKENS[backend] = _viewer_token(archive)
    loaded = schemathesis.openapi.from_asgi("/openapi.json", create_api_app(location))
    loaded.hook("flatmap_query")(_hostile_query)
    loaded.hook("flatmap_path_parameters")(_hostile_path)
    return loaded


TOKENS: dict[str, str] = {}


def _viewer_token(archive) -> str:  # noqa: ANN001
    from archive.access import new_token, secret_digest

    token = new_token()
    archive.add_api_token("bad-input-" + token[:6], secret_digest(token), "viewer", "2026-12-07T09:00:00")
    return token


SQLITE_API = _api_schema("sqlite")
POSTGRES_API = _api_schema("postgres")


def _no_5xx(case, backend: str) -> None:  # noqa: ANN001
    response = case.call(headers={"Authorization": f"Bearer {TOKENS[backend]}"})
    assert response.status_code < 500, (case.path, case.path_parameters, case.query,
                                        response.status_code, response.text[:300])


FUZZ = settings(max_examples=30, deadline=None, derandomize=True,
                suppress_health_check=list(HealthCheck))


@pytest.mark.timeout(900)
@SQLITE_API.parametrize()
@FUZZ
def test_api_answers_no_5xx_to_hostile_input_sqlite(case) -> None:  # noqa: ANN001
    _no_5xx(case, "sqlite")


@pytest.mark.postgres
@pytest.mark.timeout(900)
@POSTGRES_API.parametrize()
@FUZZ
def test_api_answers_no_5xx_to_hostile_input_postgres(case) -> None:  # noqa: ANN001
    _no_5xx(case, "postgres")


# --- the review app ---------------------------------------------------------------------

def test_the_testers_search_and_queue_requests_are_400s(any_env: Env) -> None:
    client = any_env.client("alice")
    for params in ({"q": NESTED}, {"q": "(" * 9 + "memo" + ")" * 9}, {"year": "²"},
                   {"year": "9" * 30}, {"q": "memo", "place": "x" * 50_000},
                   {"q": "memo", "page": "10000"}, {"q": "p*"}):
        response = client.get("/search", params=params)
        assert response.status_code == 400, (params, response.status_code)
    assert client.get("/queue", params={"issuer": "x" * 50_000}).status_code == 400
    assert client.get("/queue", params={"issuer": "%" * 20_000}).status_code == 400


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(params=st.dictionaries(st.sampled_from(["q", "year", "page", "issuer", "place",
                                               "date_from", "cites", "type"]), HOSTILE,
                              min_size=1, max_size=3))
def test_search_page_answers_no_5xx_to_hostile_input(any_env: Env, params: dict) -> None:
    response = any_env.client("alice").get("/search", params=params)
    assert response.status_code < 500, (params, response.text[:300])


@pytest.mark.parametrize("action", ["save", "approve"])
@pytest.mark.parametrize("version", UNICODE_DIGITS + ["9" * 30, "-1", ""])
def test_a_strange_base_version_is_a_400(any_env: Env, action: str, version: str) -> None:
    client = any_env.client("alice")
    pairs, _ = form_of(client, any_env.memo)
    pairs = replace(pairs, "base_version", None, version)
    response = post_form(client, f"/documents/{any_env.memo}/{action}", pairs)
    assert response.status_code == 400, response.text[:300]
    assert any_env.current(any_env.memo).version == 1


@pytest.mark.parametrize("year, says", [("9" * 30, "from 1 to 9999"), ("²", "whole number"),
                                        ("0", "from 1 to 9999")])
def test_a_cited_rule_year_out_of_range_is_refused(any_env: Env, year: str, says: str) -> None:
    client = any_env.client("alice")
    pairs, _ = form_of(client, any_env.memo)
    pairs = [*pairs, ("f.cited_rules.instrument", "Conduct Rules"),
             ("f.cited_rules.year", year), ("f.cited_rules.provisions", "")]
    response = post_form(client, f"/documents/{any_env.memo}/save", pairs)
    assert response.status_code == 400 and says in response.text
    assert any_env.current(any_env.memo).version == 1


@pytest.mark.parametrize("name, value", [("f.date", "2021-02-30"),
                                         ("f.references.date", "2023-02-29")])
def test_dates_that_do_not_exist_are_refused_in_the_form(any_env: Env, name: str,
                                                         value: str) -> None:
    client = any_env.client("alice")
    pairs, _ = form_of(client, any_env.memo)
    pairs = replace(pairs, name, None, value)
    response = post_form(client, f"/documents/{any_env.memo}/save", pairs)
    assert response.status_code == 400
    assert f"{value} is not a real date" in response.text and "has 28 days" in response.text
    assert any_env.current(any_env.memo).version == 1


# --- saves change only what was sent -------------------------------------------------------

def _token_and_version(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(k, v) for k, v in pairs if k in ("csrf_token", "base_version")]


def test_a_save_of_nothing_but_the_token_changes_nothing(any_env: Env) -> None:
    client = any_env.client("alice")
    before = any_env.current(any_env.memo)
    pairs, _ = form_of(client, any_env.memo)
    response = post_form(client, f"/documents/{any_env.memo}/save", _token_and_version(pairs))
    assert response.status_code == 303
    after = any_env.current(any_env.memo)
    assert after.version == before.version
    assert after.record["fields"] == before.record["fields"]


def test_a_save_of_one_field_changes_only_that_field(any_env: Env) -> None:
    client = any_env.client("alice")
    before = any_env.current(any_env.memo)
    pairs, _ = form_of(client, any_env.memo)
    sent = [*_token_and_version(pairs), ("f.place", "Rawalpindi"),
            ("f.issuer.department", "Cabinet Division")]
    assert post_form(client, f"/documents/{any_env.memo}/save", sent).status_code == 303
    after = any_env.current(any_env.memo)
    assert after.version == before.version + 1
    expected = dict(before.record["fields"], place="Rawalpindi",
                    issuer={**before.record["fields"]["issuer"], "department": "Cabinet Division"})
    assert after.record["fields"] == expected
    assert after.record["text"] == before.record["text"]


def test_a_list_whose_rows_were_all_removed_is_cleared(any_env: Env) -> None:
    client = any_env.client("alice")
    before = any_env.current(any_env.memo)
    assert before.record["fields"]["distribution"]
    pairs, _ = form_of(client, any_env.memo)
    pairs = [(k, v) for k, v in pairs if k != "f.distribution"]  # the rows, not f.sent
    assert ("f.sent", "distribution") in pairs
    assert post_form(client, f"/documents/{any_env.memo}/save", pairs).status_code == 303
    after = any_env.current(any_env.memo)
    assert after.record["fields"]["distribution"] == []
    assert {k: v for k, v in after.record["fields"].items() if k != "distribution"} == \
        {k: v for k, v in before.record["fields"].items() if k != "distribution"}


@pytest.mark.parametrize("fields, says", [
    ({"date": "2021-02-30"}, "/fields/date: 2021-02-30 is not a real date"),
    ({"references": [{"reference_number": "F.1", "date": "2021-13-01"}]}, "no month 13"),
    ({"cited_rules": [{"instrument": "Conduct Rules", "year": 10**29, "provisions": []}]},
     "/fields/cited_rules/0/year"),
])
def test_the_archive_refuses_impossible_edits(any_env: Env, fields: dict, says: str) -> None:
    """What any API saving through the archive gets: the same checks as the form."""
    with any_env.archive() as archive:
        with pytest.raises(BadArgsError, match=says):
            archive.save_edit(any_env.memo, base_version=1, fields=fields, actor="alice")
        assert [v.version for v in archive.versions(any_env.memo)] == [1]
        edited = archive.save_edit(any_env.memo, base_version=1, fields={"place": "Multan"},
                                   actor="alice")
        assert edited.record["fields"]["date"] == archive.get(any_env.memo, 1).record["fields"]["date"]
