"""Sign-in, sign-out and (for admins) accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from pipeline.errors import BadArgsError
from webapp import auth
from webapp.store import open_store
from webapp.web import CsrfRejected, flash, form_data, guarded, render, safe_next, session_user

router = APIRouter()
Form = Annotated[FormData, Depends(form_data)]


def _login_page(request: Request, *, error: str | None = None, status_code: int = 200,
                username: str = "", next_url: str = ""):
    return render(request, "login.html", {"error": error, "username": username,
                                          "next": next_url}, status_code=status_code)


@router.get("/")
def home(request: Request):
    with open_store(request.app.state.archive_location) as store:
        if session_user(request, store) is None:
            return _login_page(request)
    return RedirectResponse("/queue", status_code=303)


@router.get("/login")
def login_form(request: Request, next: str = ""):
    return _login_page(request, next_url=safe_next(next) if next else "")


@router.post("/login")
def login(request: Request, form: Form):
    if not auth.csrf_ok(request.session, form.get(auth.CSRF_FIELD)):
        raise CsrfRejected()
    username = str(form.get("username", "")).strip()
    password = str(form.get("password", ""))
    next_url = str(form.get("next", ""))
    throttle: auth.LoginThrottle = request.app.state.login_throttle
    address = request.client.host if request.client else "unknown"
    with open_store(request.app.state.archive_location) as store:
        wait = throttle.retry_after(store, address, username)
        if wait > 0:
            minutes = max(1, round(wait / 60))
            response = _login_page(request, error=f"Too many failed sign-ins. Try again in "
                                   f"about {minutes} minute{'s' if minutes > 1 else ''}.",
                                   status_code=429, username=username)
            response.headers["Retry-After"] = str(max(1, round(wait)))
            return response
        account = store.get_user(username) if username else None
        if not auth.verify_password(account.password_hash if account else None, password):
            throttle.failed(store, address, username)
            return _login_page(request, error="Wrong username or password.", status_code=401,
                               username=username, next_url=next_url)
        if account.disabled:  # said only to someone who knows the password
            return _login_page(request, error="This account is disabled; ask an admin.",
                               status_code=403, username=username)
        throttle.succeeded(store, address, username)
        request.app.state.sessions.start(store, request.session, account.username)
    return RedirectResponse(safe_next(next_url), status_code=303)


@router.post("/logout")
def logout(request: Request, form: Form):
    """Sign out: ends every session of the account, so a copied cookie is worthless too."""
    if not auth.csrf_ok(request.session, form.get(auth.CSRF_FIELD)):
        raise CsrfRejected()
    with open_store(request.app.state.archive_location) as store:
        user = session_user(request, store)
        request.app.state.sessions.end_all(store, request.session,
                                           user.username if user else None)
    return RedirectResponse("/", status_code=303)


@router.get("/admin/users")
def users(request: Request):
    with guarded(request, "admin") as (store, user):
        return render(request, "users.html", {"users": store.list_users()}, user=user)


@router.post("/admin/users")
def add_user(request: Request, form: Form):
    with guarded(request, "admin", form) as (store, user):
        username = str(form.get("username", "")).strip()
        try:
            if not username or not username.replace("-", "").replace("_", "").replace(".", "").isalnum():
                raise BadArgsError("a username is letters, digits, '.', '-' or '_'")
            if store.get_user(username) is not None:
                raise BadArgsError(f"user {username!r} already exists")
            role = auth.check_role(str(form.get("role", "")))
            store.add_user(username, auth.hash_password(str(form.get("password", "")),
                                                        username=username, role=role), role)
        except BadArgsError as exc:
            return render(request, "users.html", {"users": store.list_users(), "error": str(exc)},
                          status_code=400, user=user)
        flash(request, f"Added {username} ({role}).", "success")
        return RedirectResponse("/admin/users", status_code=303)
