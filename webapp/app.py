"""The archivists' review app: ``create_app()`` builds the FastAPI application.

Server-rendered Jinja2 pages with a little local JavaScript (no build step, no CDN). Every
page needs a signed-in account; archivists edit and approve, viewers read, admins manage
accounts. Every edit goes through the archive interface as a new version with an audit entry.
"""

from __future__ import annotations

import importlib
import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from archive.access import Caller
from archive.budget import RETRY_AFTER_S, BudgetMiddleware, QueryTimeoutError, time_limit_from_env
from pipeline.config import default_home
from pipeline.errors import BadArgsError, DaftarError, NotFoundError
from webapp import auth, routes_auth, routes_docs
from webapp.store import open_store
from webapp.web import (
    STATIC_DIR, CsrfRejected, Forbidden, NotAuthenticated, render, session_user,
)

log = logging.getLogger(__name__)

SESSION_COOKIE = "daftar_session"
SESSION_MAX_AGE_S = int(auth.ABSOLUTE_TIMEOUT.total_seconds())  # the cookie outlives no session
# Everything is served from this origin; nothing inline may run (OCR text is hostile input).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def create_app(archive_location: str | None = None, *, secret_key: str | None = None,
               https_only: bool = False, public_read: bool = False,
               sessions: auth.Sessions | None = None,
               login_throttle: auth.LoginThrottle | None = None) -> FastAPI:
    """The review app over the archive at ``archive_location`` (None: the default archive).

    ``secret_key`` signs session cookies; None → ``DAFTAR_SECRET_KEY`` or a key kept in
    DAFTAR_HOME. ``https_only``: browsers reach the app over HTTPS (TLS ends in front of it),
    so every cookie is Secure and responses carry HSTS; without it that still happens for
    requests whose scheme a trusted proxy gave as https. ``public_read`` opens the JSON API
    for reading without a token or session. ``sessions`` and ``login_throttle`` set the
    timeouts and limits (defaults in ``webapp.auth``).
    """
    app = FastAPI(title="Daftar review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.archive_location = archive_location
    app.state.sessions = sessions or auth.Sessions()
    app.state.login_throttle = login_throttle or auth.LoginThrottle()
    app.add_middleware(
        SessionMiddleware, secret_key=secret_key or auth.load_secret_key(default_home()),
        session_cookie=SESSION_COOKIE, max_age=SESSION_MAX_AGE_S, same_site="lax",
        https_only=https_only,
    )
    app.middleware("http")(_security_headers)
    app.add_middleware(auth.SecureTransport, always=https_only)  # outside the session cookie
    app.add_middleware(BudgetMiddleware, seconds=time_limit_from_env())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(routes_auth.router)
    app.include_router(routes_docs.router)
    _include_api(app, public_read=public_read)
    _add_error_pages(app)
    return app


def _include_api(app: FastAPI, *, public_read: bool) -> None:
    """The archive's JSON API under /api/v1, when the archive package provides it: for a
    signed-in user's session or an API token (or anyone, to read, with ``public_read``)."""
    try:
        http = importlib.import_module("archive.http")
    except ModuleNotFoundError as exc:
        if exc.name not in ("archive.http",):
            raise
        return
    router = getattr(http, "router", None)
    if router is None and hasattr(http, "create_router"):
        router = http.create_router(app.state.archive_location, auth_dependency=_session_caller,
                                    public_read=public_read)
    if router is not None:
        app.include_router(router, prefix="/api/v1")


def _session_caller(request: Request) -> Caller | None:
    """The API caller a signed-in review-app session stands for (None: not signed in)."""
    with open_store(request.app.state.archive_location) as store:
        user = session_user(request, store)
    return Caller(user.username, user.role, "session") if user else None


async def _security_headers(request: Request, call_next):
    response = await call_next(request)
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if request.url.path != "/" and not request.url.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _error(request: Request, status: int, title: str, message: str):
    if request.url.path.startswith("/api/"):  # the JSON API answers in JSON
        return JSONResponse({"detail": message}, status_code=status)
    return render(request, "error.html", {"title": title, "message": message},
                  status_code=status)


def _add_error_pages(app: FastAPI) -> None:
    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, exc: NotAuthenticated):
        if request.method in ("GET", "HEAD"):
            from urllib.parse import quote

            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
        return _error(request, 401, "Sign in first", "Your session has ended or you are not "
                      "signed in. Nothing was changed. Sign in and try again.")

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden):
        return _error(request, 403, "Not allowed", f"{exc.message}. Nothing was changed.")

    @app.exception_handler(CsrfRejected)
    async def csrf_rejected(request: Request, exc: CsrfRejected):
        return _error(request, 403, "Form expired", "This form was not sent from a page of "
                      "this session (missing or wrong security token). Nothing was changed. "
                      "Reload the page and try again.")

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError):
        return _error(request, 404, "Not found", str(exc))

    @app.exception_handler(BadArgsError)
    async def bad_args(request: Request, exc: BadArgsError):
        return _error(request, 400, "Cannot do that", str(exc))

    @app.exception_handler(QueryTimeoutError)
    async def too_slow(request: Request, exc: QueryTimeoutError):
        response = _error(request, 503, "Search stopped", str(exc))
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
        return response

    @app.exception_handler(DaftarError)
    async def daftar_error(request: Request, exc: DaftarError):
        log.error("archive failure on %s: %s", request.url.path, exc)
        return _error(request, 503, "Archive problem", f"{exc} — nothing was changed.")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        titles = {404: "Not found", 405: "Method not allowed", 422: "Bad request"}
        response = _error(request, exc.status_code, titles.get(exc.status_code, "Error"),
                          str(exc.detail))
        response.headers.update(exc.headers or {})  # WWW-Authenticate on a 401
        return response

    from fastapi.exceptions import RequestValidationError

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'/'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return _error(request, 400, "Bad request", problems)


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory webapp.app:app_from_env``: the archive from the environment
    (``DAFTAR_DATABASE_URL``, else ``DAFTAR_HOME/archive.sqlite``), HTTPS when
    ``DAFTAR_HTTPS=1`` (as ``daftar serve --https``)."""
    import os

    from archive.access import refuse_env_token

    refuse_env_token()
    return create_app(None, https_only=os.environ.get("DAFTAR_HTTPS") == "1")
