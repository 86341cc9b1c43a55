"""Stored originals served safely by the API and the review app (issue 13, item 2).

Polyglots a tester used: ``memo.html`` (HTML, then a real PDF from byte ~300, which ingest
reads as a PDF), ``memo.js`` (JavaScript whose comment holds a real PDF), an SVG with
script, and HTML named ``.png``.  Both routes must serve them by their sniffed type, as a
download unless image or PDF, with ``nosniff`` and a CSP sandbox; in real Chromium, signed
in as an archivist, none of their script may run — while the same bytes served the way the
API used to (``text/html``, ``text/javascript``) do run it, which proves the probe sees
script when it runs.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfWriter

from archive import open_archive
from archive.originals import file_response, sniffed_type
from archive.samples import make_record
from pipeline.load import sniff_media_type
from webapp.app import create_app

ROOT = Path(__file__).resolve().parent.parent
BEACON = "/xss-beacon"
PASSWORD = "archivist-password-long"


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    buffer = io.BytesIO()
    writer.write(buffer)
    data = buffer.getvalue()
    assert b"*/" not in data  # so it can sit inside a JavaScript comment
    return data


def js_polyglot() -> bytes:
    """JavaScript that is also a PDF ingest accepts (%PDF- within its first 1,024 bytes)."""
    return (b"/*" + _pdf() + b"*/\n"
            b"fetch('" + BEACON.encode() + b"?from=js&page=' + encodeURIComponent(location));\n")


def html_polyglot(js_urls: list[str]) -> bytes:
    """HTML whose scripts beacon, with a PDF from byte ~300: loads the JS polyglot too."""
    scripts = "".join(f'<script src="{url}"></script>' for url in js_urls)
    head = (f"<html><head><title>memo</title>{scripts}"
            f"<script>fetch('{BEACON}?from=html-inline')</script></head>"
            f"<body><img src=x onerror=\"fetch('{BEACON}?from=html-onerror')\"></body></html>\n")
    assert len(head) < 1000
    return head.encode() + _pdf()


SVG = (f'<svg xmlns="http://www.w3.org/2000/svg" onload="fetch(\'{BEACON}?from=svg-onload\')">'
       f"<script>fetch('{BEACON}?from=svg-script')</script></svg>").encode()
HTML_AS_PNG = f"<html><script>fetch('{BEACON}?from=png')</script></html>".encode()


@dataclass(frozen=True)
class Stored:
    location: str
    ids: dict[str, str]  # kind -> document id


def store_polyglots(location: str, folder: Path) -> dict[str, str]:
    """Ingest each polyglot as a document's original; their ids by kind."""
    folder.mkdir(parents=True, exist_ok=True)
    ids: dict[str, str] = {}

    def put(kind: str, name: str, data: bytes) -> None:
        path = folder / name
        path.write_bytes(data)
        record = make_record(f"polyglot-{kind}", subject=f"polyglot {kind}")
        with open_archive(location) as archive:
            archive.ingest(record, original=path)
        ids[kind] = record["id"]

    put("js", "memo.js", js_polyglot())
    put("html", "memo.html", html_polyglot([f"/api/v1/documents/{ids['js']}/original",
                                           f"/documents/{ids['js']}/files/original",
                                           "/control/memo.js"]))
    put("svg", "memo.svg", SVG)
    put("png", "memo.png", HTML_AS_PNG)
    return ids


# --- headers, through both routes -------------------------------------------------------

EXPECTED = {  # kind -> (Content-Type, disposition)
    "html": ("application/pdf", "inline"),
    "js": ("application/pdf", "inline"),
    "svg": ("application/octet-stream", "attachment"),
    "png": ("application/octet-stream", "attachment"),
}


@pytest.fixture
def app_client(tmp_path: Path, daftar_home: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    location = str(tmp_path / "archive.sqlite")
    ids = store_polyglots(location, tmp_path / "in")
    from argon2 import PasswordHasher

    with open_archive(location) as archive:
        archive.add_user("alice", PasswordHasher(time_cost=1, memory_cost=1024,
                                                 parallelism=1).hash(PASSWORD), "archivist")
    client = TestClient(create_app(location, secret_key="originals-test-" + "k" * 40))
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post("/login", data={"username": "alice", "password": PASSWORD,
                                         "csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303
    yield client, ids


@pytest.mark.parametrize("kind", sorted(EXPECTED))
@pytest.mark.parametrize("route", ["/api/v1/documents/{}/original", "/documents/{}/files/original"])
def test_originals_are_served_by_content_never_by_name(app_client, kind: str, route: str) -> None:
    client, ids = app_client
    response = client.get(route.format(ids[kind]))
    assert response.status_code == 200
    media, disposition = EXPECTED[kind]
    assert response.headers["content-type"] == media
    assert response.headers["content-disposition"].split(";")[0] == disposition
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"].startswith("sandbox")
    assert "script-src" not in response.headers["content-security-policy"]


def test_the_helper_uses_ingests_detector(tmp_path: Path) -> None:
    """The served type is what ingest decided, for every kind ingest reads or refuses."""
    from tests.conftest import png_bytes

    cases = {"scan.png": png_bytes(), "memo.html": html_polyglot([]), "memo.js": js_polyglot(),
             "notes.txt": b"plain <b>text</b>\n", "memo.svg": SVG, "memo.png": HTML_AS_PNG,
             "page.pdf.png": _pdf()}
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        try:
            ingest = sniff_media_type(data[:4096], path)
        except Exception:  # refused by ingest: never shown in a browser
            ingest = "application/octet-stream"
        served = sniffed_type(path)
        assert served.split(";")[0] == ingest, name
        response = file_response(path)
        inline = ingest.startswith("image/") or ingest == "application/pdf"
        assert response.headers["content-disposition"] == ("inline" if inline else "attachment")


# --- real Chromium ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    from tests.test_browser import _free_port, _wait_until_up
    from webapp import auth

    home = tmp_path_factory.mktemp("originals-home")
    location = str(home / "archive.sqlite")
    ids = store_polyglots(location, home / "in")
    with open_archive(location) as archive:
        archive.add_user("alice", auth.hash_password(PASSWORD, username="alice", role="archivist"), "archivist")
    port = _free_port()
    env = {**os.environ, "DAFTAR_HOME": str(home),
           "DAFTAR_SECRET_KEY": "originals-browser-" + "s" * 40}
    env.pop("DAFTAR_DATABASE_URL", None)
    log = (home / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "webapp.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--archive", location], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, home / "server.log")
        yield url, ids
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.mark.browser
def test_no_polyglot_runs_script_for_a_signed_in_archivist(server) -> None:
    from playwright.sync_api import Error, sync_playwright

    from tests.test_browser import CHROMIUM_ARGS

    url, ids = server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=url, accept_downloads=True)
        beacons: list[str] = []
        context.on("request", lambda r: BEACON in r.url and beacons.append(r.url))
        page = context.new_page()
        page.goto("/login")
        page.fill("input[name=username]", "alice")
        page.fill("input[name=password]", PASSWORD)
        page.click("button:has-text('Sign in')")
        page.wait_for_url("**/queue")
        assert "csrf_token" in page.content() or page.url.endswith("/queue")

        opened = []
        for kind, doc_id in ids.items():
            for route in (f"/api/v1/documents/{doc_id}/original",
                          f"/documents/{doc_id}/files/original"):
                try:
                    page.goto(route)
                    opened.append((route, page.evaluate("() => document.contentType")))
                except Error as exc:  # an attachment: Chromium downloads instead
                    assert "Download is starting" in str(exc) or "ERR_ABORTED" in str(exc), exc
                    opened.append((route, "download"))
                page.goto("/queue")  # settles anything the file could have started
        shown = {"html": "application/pdf", "js": "application/pdf", "svg": "download",
                 "png": "download"}
        assert opened == [(route, shown[kind]) for kind, doc_id in ids.items()
                          for route in (f"/api/v1/documents/{doc_id}/original",
                                        f"/documents/{doc_id}/files/original")]
        assert beacons == [], beacons

        # The control: the same bytes served as the API used to (by extension) do run.
        html = html_polyglot(["/control/memo.js"])
        context.route("**/control/memo.html", lambda route: route.fulfill(
            status=200, body=html, content_type="text/html"))
        context.route("**/control/memo.js", lambda route: route.fulfill(
            status=200, body=js_polyglot(), content_type="text/javascript"))
        page.goto("/control/memo.html")
        page.wait_for_load_state("load")
        page.goto("/queue")
        sources = {b.split("from=")[1].split("&")[0] for b in beacons}
        assert {"html-inline", "js"} <= sources, beacons
        browser.close()
