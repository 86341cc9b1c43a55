"""The review app in a real browser: Debian's Chromium driven by Playwright against a real
uvicorn server over a real SQLite archive filled with the sample documents.

One server for the module; the tests run in order (review, then conflict, then refusals) and
save screenshots of the main screens: to a temporary folder, or, with
``DAFTAR_SCREENSHOTS=docs/screenshots`` (``make screenshots``), to the README's pictures, so
that a test run never changes files of the repository.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from archive import open_archive
from webapp import auth, demo

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = (ROOT / os.environ["DAFTAR_SCREENSHOTS"] if os.environ.get("DAFTAR_SCREENSHOTS")
               else Path(tempfile.gettempdir()) / "daftar-screenshots")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
USERS = {"alice": ("archivist", "copper-lantern-harbour"), "bilal": ("archivist", "quiet-river-ledger-41")}
MEMO_TITLE = "Use of social media by government servants"


@dataclass(frozen=True)
class Server:
    url: str
    location: str
    memo: str
    circular: str
    hostile: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    """Poll until the server answers; fail with its output if it died."""
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()}")
        try:
            httpx.get(url + "/login", timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("daftar-home")
    location = str(home / "archive.sqlite")
    with open_archive(location) as archive:
        memo, circular, hostile = demo.seed_archive(archive, home / "sample-pages")
        for user, (role, password) in USERS.items():
            archive.add_user(user, auth.hash_password(password, username=user, role=role), role)
    port = _free_port()
    env = {**os.environ, "DAFTAR_HOME": str(home), "DAFTAR_SECRET_KEY": "browser-test-" + "s" * 40}
    env.pop("DAFTAR_DATABASE_URL", None)
    log = (home / "server.log").open("w")  # a file, not a pipe nobody drains
    process = subprocess.Popen(
        [sys.executable, "-m", "webapp.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--archive", location],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, home / "server.log")
        yield Server(url, location, memo, circular, hostile)
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _page(browser, server: Server, user: str):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=server.url)
    page = context.new_page()
    page.console_errors = []  # CSP violations and script errors land here
    page.on("console", lambda msg: msg.type == "error"  # a 409 page is expected, not a fault
            and not msg.text.startswith("Failed to load resource")
            and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    page.goto("/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", USERS[user][1])
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/queue")
    return page


def _current(server: Server, doc_id: str):
    with open_archive(server.location) as archive:
        return archive.get(doc_id)


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_archivist_fixes_date_and_distribution_then_approves(browser, server: Server) -> None:
    from playwright.sync_api import expect

    login_page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    login_page.goto(server.url + "/")
    expect(login_page.locator("h1")).to_have_text("Sign in")
    _shot(login_page, "login")
    login_page.context.close()

    page = _page(browser, server, "alice")
    rows = page.locator("table.queue tbody tr")
    expect(rows.first).to_have_class("flagged")
    expect(rows.last).not_to_have_class("flagged")
    expect(page.locator("table.queue")).to_contain_text("low ocr confidence")
    _shot(page, "queue")

    page.click(f"text={MEMO_TITLE}")
    page.wait_for_url(f"**/documents/{server.memo}")
    date_input = page.locator("input[name='f.date']")
    date_input.click()
    box = page.locator("figure[data-page='1'] rect.evidence-box")
    expect(box).to_have_attribute("visibility", "visible")
    assert float(box.get_attribute("width")) > 100  # the box around "25th August, 2021"
    expect(page.locator("#evidence-status")).to_contain_text("25th August, 2021")
    marked = page.evaluate("() => [...CSS.highlights.get('evidence')][0].toString()")
    assert marked == "25th August, 2021"  # the same value marked in the corrected text
    expect(page.locator("ins[title='was: GOVERNMRNT']")).to_have_text("GOVERNMENT")
    _shot(page, "document")

    date_input.fill("2021-08-25")
    first_copy = page.locator("fieldset[data-list='distribution'] input").first
    first_copy.fill("The President's Secretariat (Public), Islamabad")
    distribution = page.locator("fieldset[data-list='distribution']")
    distribution.locator("button.add-row").click()
    distribution.locator("tbody tr:last-child input").fill("Section Officer (D-II)")
    page.fill("input[name=note]", "date and copy list checked against the scan")
    page.click("#approve-form button")  # not yet: the edits are unsaved
    expect(page.locator("#approve-hint")).to_contain_text("save them first")
    assert _current(server, server.memo).status == "machine"
    page.click("#save-button")
    expect(page.locator(".flash-success")).to_contain_text("Saved as version 2")

    saved = _current(server, server.memo)
    assert saved.record["fields"]["date"] == "2021-08-25"
    assert saved.record["fields"]["distribution"] == [
        "The President's Secretariat (Public), Islamabad", "The Prime Minister's Office, Islamabad",
        "Section Officer (D-II)"]

    page.click("#approve-form button")
    expect(page.locator(".flash-success")).to_contain_text("Approved")
    assert _current(server, server.memo).status == "approved"

    page.goto("/search?date_from=2021-08-25&date_to=2021-08-25")
    expect(page.locator("ol.hits")).to_contain_text(MEMO_TITLE)
    page.goto("/search?q=social+media")
    expect(page.locator("ol.hits mark").first).to_be_visible()
    _shot(page, "search")
    api = page.request.get(f"/api/v1/documents/{server.memo}").json()  # the signed-in session
    assert api["record"]["fields"]["distribution"][0] == "The President's Secretariat (Public), Islamabad"
    assert httpx.get(f"{server.url}/api/v1/documents/{server.memo}").status_code == 401

    page.goto(f"/documents/{server.memo}/history")
    audit = page.locator("table.audit")
    expect(audit).to_contain_text("2021-08-15")
    expect(audit).to_contain_text("2021-08-25")
    expect(page.locator("table.versions")).to_contain_text("date and copy list checked")
    _shot(page, "history")
    assert page.console_errors == []
    page.context.close()


def test_archivist_accepts_values_the_verifier_withheld(browser, server: Server) -> None:
    from playwright.sync_api import expect

    page = _page(browser, server, "bilal")
    page.goto(f"/documents/{server.hostile}")
    reasons = page.locator("section.review-reasons")
    expect(reasons).to_contain_text("/issuer/department read but withheld")
    assert page.locator("section.review-reasons b").count() == 0  # the proposed value is data, never markup
    reasons.locator("button.accept-proposed[data-pointer='/issuer/department']").click()
    expect(page.locator("input[name='f.issuer.department']")).to_have_value(
        "Services & General Administration Department <b>")
    reasons.locator("button.accept-proposed[data-pointer='/addressees/0']").click()
    expect(page.locator("fieldset[data-list='addressees'] tbody tr:last-child input")).to_have_value(
        "The Secretary, Finance Department, Lahore")
    expect(reasons.locator("button.accept-proposed").first).to_be_disabled()
    assert _current(server, server.hostile).record["fields"]["addressees"] == []  # nothing saved yet
    page.click("#save-button")
    expect(page.locator(".flash-success")).to_contain_text("Saved as version 2")
    saved = _current(server, server.hostile).record["fields"]
    assert saved["addressees"] == ["The Secretary, Finance Department, Lahore"]
    assert saved["issuer"]["department"] == "Services & General Administration Department <b>"
    assert page.console_errors == []
    page.context.close()


def test_stale_save_from_a_second_browser_is_refused(browser, server: Server) -> None:
    from playwright.sync_api import expect

    first = _page(browser, server, "alice")
    second = _page(browser, server, "bilal")
    first.goto(f"/documents/{server.circular}")
    second.goto(f"/documents/{server.circular}")
    first.fill("input[name='f.place']", "Islamabad")
    first.click("#save-button")
    expect(first.locator(".flash-success")).to_contain_text("Saved as version 2")

    second.fill("input[name='f.place']", "Rawalpindi")
    second.keyboard.press("Control+s")  # the save shortcut
    expect(second.locator("h1")).to_contain_text("someone else changed this document first")
    expect(second.locator(".conflict-table td.theirs")).to_contain_text("Islamabad")
    expect(second.locator(".conflict-table td.yours")).to_contain_text("Rawalpindi")
    _shot(second, "conflict")
    current = _current(server, server.circular)
    assert current.version == 2 and current.record["fields"]["place"] == "Islamabad"
    assert first.console_errors == [] and second.console_errors == []
    first.context.close()
    second.context.close()


def test_plain_post_without_a_session_is_refused(server: Server) -> None:
    before = _current(server, server.memo)
    response = httpx.post(f"{server.url}/documents/{server.memo}/save",
                          data={"base_version": str(before.version), "f.date": "1999-01-01",
                                "text": "erased"})
    assert response.status_code == 401
    after = _current(server, server.memo)
    assert after.version == before.version and after.record == before.record


def test_signing_out_ends_the_session_for_a_copied_cookie_too(browser, server: Server) -> None:
    """The tester's finding: a cookie copied before signing out still worked afterwards."""
    page = _page(browser, server, "alice")
    copied = page.context.cookies()
    thief = browser.new_context(base_url=server.url)
    thief.add_cookies(copied)
    stolen = thief.new_page()
    stolen.goto("/queue")
    assert stolen.url.endswith("/queue")  # the copy works while the session lives

    page.click("button:has-text('Sign out')")
    page.wait_for_url(server.url + "/")
    stolen.goto("/queue")
    assert "/login" in stolen.url
    assert stolen.request.get(f"/api/v1/documents/{server.memo}").status == 401
    page.context.close()
    thief.close()
