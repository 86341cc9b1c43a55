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
    throttle: auth.LoginThrottle = request.app.state.login_throttle
    address = request.client.host if request.client else "unknown"
    wait = throttle.retry_after(address, username)
    if wait > 0:
        minutes = max(1, round(wait / 60))
        return _login_page(request, error=f"Too many failed sign-ins. Try again in about "
                           f"{minutes} minute{'s' if minutes > 1 else ''}.", status_code=429,
                           username=username)
    with open_store(request.app.state.archive_location) as store:
        account = store.get_user(username) if username else None
    if not auth.verify_password(account.password_hash if account else None, password):
        throttle.failed(address, username)
        return _login_page(request, error="Wrong username or password.", status_code=401,
                           username=username, next_url=str(form.get("next", "")))
    throttle.succeeded(address, username)
    request.session.clear()  # a fresh session (and CSRF token) at every sign-in
    request.session[auth.SESSION_USER] = account.username
    auth.csrf_token(request.session)
    return RedirectResponse(safe_next(str(form.get("next", ""))), status_code=303)


@router.post("/logout")
def logout(request: Request, form: Form):
    if not auth.csrf_ok(request.session, form.get(auth.CSRF_FIELD)):
        raise CsrfRejected()
    request.session.clear()
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
            store.add_user(username, auth.hash_password(str(form.get("password", ""))), role)
        except BadArgsError as exc:
            return render(request, "users.html", {"users": store.list_users(), "error": str(exc)},
                          status_code=400, user=user)
        flash(request, f"Added {username} ({role}).", "success")
        return RedirectResponse("/admin/users", status_code=303)
