"""Request plumbing shared by the routes: rendering, access checks, CSRF, flash messages."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape
from starlette.datastructures import FormData

from webapp import auth
from webapp.store import Store, open_store

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"


class NotAuthenticated(Exception):
    """No valid session: GET goes to the login page, POST is refused with 401."""


class Forbidden(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CsrfRejected(Exception):
    """A POST without the session's CSRF token (forged, stale or from another site)."""


_SNIPPET_MARK = re.compile(r"\[([^\[\]]*)\]")


def snippet_html(snippet: str | None) -> Markup:
    """An archive snippet (matches marked ``[ ]``) as escaped HTML with ``<mark>``."""
    escaped = str(escape(snippet or ""))
    return Markup(_SNIPPET_MARK.sub(r"<mark>\1</mark>", escaped))


def when(value: str | None) -> str:
    """An ISO timestamp as "2021-08-25 14:03 UTC" (the full value stays in a title)."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(str(value)).astimezone(dt.timezone.utc)
    except ValueError:
        return str(value)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def value_html(value: object, other: object = None) -> Markup:
    """An audit value for people: text as is, lists one item a line (items not on the other
    side marked), anything else as JSON; always escaped."""
    if value is None:
        return Markup('<span class="muted">—</span>')
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        others = other if isinstance(other, list) else []
        items = []
        for item in value:
            shown = item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
            changed = ' class="changed"' if item not in others else ""
            items.append(Markup("<li{}>{}</li>").format(Markup(changed), shown))
        return Markup('<ul class="value-list">{}</ul>').format(Markup("").join(items))
    return escape(json.dumps(value, ensure_ascii=False))


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["snippet"] = snippet_html
    env.filters["when"] = when
    env.globals["value_html"] = value_html
    env.filters["urlpart"] = lambda value: quote(str(value), safe="")
    env.globals["ROLES"] = auth.ROLES
    return env


TEMPLATES = _environment()


def render(request: Request, name: str, context: dict | None = None, *,
           status_code: int = 200, user: auth.CurrentUser | None = None) -> HTMLResponse:
    session = request.session
    values = {
        "request": request,
        "user": user,
        "csrf_token": auth.csrf_token(session),
        "flashes": session.pop("flash", []),
        **(context or {}),
    }
    html = TEMPLATES.get_template(name).render(values)
    return HTMLResponse(html, status_code=status_code)


def flash(request: Request, message: str, kind: str = "info") -> None:
    request.session.setdefault("flash", []).append({"kind": kind, "message": message})


def session_user(request: Request, store: Store) -> auth.CurrentUser | None:
    """The signed-in user of this request: a live session record (``auth.Sessions``) of an
    account that still exists and is not disabled."""
    sessions: auth.Sessions = request.app.state.sessions
    username = sessions.username(store, request.session)
    account = store.get_user(username) if username else None
    if account is None or account.disabled:
        return None
    return auth.CurrentUser(username=account.username, role=account.role)


@contextmanager
def guarded(request: Request, role: str = "viewer",
            form: FormData | None = None) -> Iterator[tuple[Store, auth.CurrentUser]]:
    """An open archive and the signed-in user, once the user may act with ``role``.

    Order of checks: a session (else NotAuthenticated), the role (else Forbidden), then for
    POSTs the CSRF token (else CsrfRejected) — all before anything is read or written.
    """
    with open_store(request.app.state.archive_location) as store:
        user = session_user(request, store)
        if user is None:
            raise NotAuthenticated()
        if not user.can(role):
            raise Forbidden(f"your role ({user.role}) cannot do this; it needs {role}")
        if form is not None and not auth.csrf_ok(request.session, form.get(auth.CSRF_FIELD)):
            raise CsrfRejected()
        yield store, user


async def form_data(request: Request) -> FormData:
    """The submitted form (a FastAPI dependency, so sync routes receive it parsed)."""
    return await request.form()


def safe_next(target: str | None) -> str:
    """A local path to go to after login; anything else (other hosts, schemes) → /queue."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/queue"
