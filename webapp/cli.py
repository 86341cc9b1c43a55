"""``daftar serve``, ``daftar user …`` and ``daftar token …``: registered on the main CLI by
``register(app)``."""

from __future__ import annotations

import datetime as dt
import sys

import typer

from pipeline.errors import BadArgsError, DaftarError
from webapp import auth

ArchiveOpt = typer.Option(None, "--archive", help="Archive: postgresql://… URL or SQLite file "
                          "(default: DAFTAR_DATABASE_URL, else DAFTAR_HOME/archive.sqlite).")
LOOPBACK = ("127.0.0.1", "::1", "localhost")
PUBLIC_READ_BANNER = """
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!!  --public-read: the JSON API is OPEN FOR READING TO ANYONE who can reach
!!  {url}api/v1
!!  every document, its text and its original file, with no token and no sign-in.
!!  (Changing anything still needs a signed-in archivist.)
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
"""


def _fail(command: str, exc: DaftarError) -> typer.Exit:
    typer.echo(f"daftar {command}: {exc}", err=True)
    return typer.Exit(int(exc.exit_code))


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (keep 127.0.0.1 behind a proxy)."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    archive: str = ArchiveOpt,
    https: bool = typer.Option(False, "--https", envvar="DAFTAR_HTTPS",
                               help="Browsers reach the app over HTTPS (TLS ends in a proxy in "
                                    "front): Secure cookies and HSTS on every response."),
    trusted_proxy: list[str] = typer.Option(
        [], "--trusted-proxy", metavar="ADDR",
        help="Address of a reverse proxy whose X-Forwarded-For/-Proto are believed (client "
             "address for sign-in throttling; https → Secure cookies). Repeatable. Without it "
             "those headers are ignored."),
    public_read: bool = typer.Option(False, "--public-read",
                                     help="Let anyone READ the JSON API without a token or "
                                          "sign-in (printed loudly at start-up)."),
) -> None:
    """Run the archivists' review web app (and the JSON API under /api/v1)."""
    from archive.access import refuse_env_token
    from archive.budget import run_server
    from webapp.app import create_app

    try:
        refuse_env_token()
        application = create_app(archive, https_only=https, public_read=public_read)
    except DaftarError as exc:
        raise _fail("serve", exc) from None
    url = f"{'https' if https else 'http'}://{host}:{port}/"
    if public_read:
        typer.echo(PUBLIC_READ_BANNER.format(url=url), err=True)
    if host not in LOOPBACK and not (https or trusted_proxy):
        typer.echo(f"daftar serve: warning: listening on {host} over plain HTTP: passwords and "
                   "session cookies cross the network readable; put a TLS proxy in front "
                   "(README, Security) and use --https or --trusted-proxy", err=True)
    typer.echo(f"Daftar review app on {url} (Ctrl-C to stop)", err=True)
    # Forwarded headers are believed only from the proxies named: otherwise any client could
    # pick its own address (and escape the sign-in throttle) or claim https.
    run_server(application, host=host, port=port, log_level="info", server_header=False,
                proxy_headers=bool(trusted_proxy),
                forwarded_allow_ips=",".join(trusted_proxy) if trusted_proxy else None)


def _read_password(password_stdin: bool) -> str:
    return (sys.stdin.readline().rstrip("\r\n") if password_stdin
            else typer.prompt("Password", hide_input=True, confirmation_prompt=True))


PasswordStdinOpt = typer.Option(False, "--password-stdin",
                                help="Read the password from the first line of stdin.")


def user_add(
    username: str = typer.Argument(..., help="Login name: letters, digits, '.', '-' or '_'."),
    role: str = typer.Option(..., "--role", help="viewer (read only), archivist (edit, approve) "
                             "or admin (also manages users)."),
    password_stdin: bool = PasswordStdinOpt,
    archive: str = ArchiveOpt,
) -> None:
    """Create a review-app account (the password is checked for strength and stored as an
    argon2 hash)."""
    from webapp.store import open_store

    try:
        auth.check_role(role)
        if not username or not username.replace("-", "").replace("_", "").replace(".", "").isalnum():
            raise BadArgsError(f"bad username {username!r}: use letters, digits, '.', '-' or '_'")
        password_hash = auth.hash_password(_read_password(password_stdin), username=username,
                                           role=role)
        with open_store(archive) as store:
            if store.get_user(username) is not None:
                raise BadArgsError(f"user {username!r} already exists")
            store.add_user(username, password_hash, role)
    except DaftarError as exc:
        raise _fail("user add", exc) from None
    typer.echo(f"added {username} ({role})")


def user_password(
    username: str = typer.Argument(..., help="The account."),
    password_stdin: bool = PasswordStdinOpt,
    archive: str = ArchiveOpt,
) -> None:
    """Set a new password; every session of the account ends."""
    from webapp.store import open_store

    try:
        with open_store(archive) as store:
            account = store.get_user(username)
            if account is None:
                raise BadArgsError(f"no user {username!r}")
            store.set_password(username, auth.hash_password(
                _read_password(password_stdin), username=username, role=account.role))
    except DaftarError as exc:
        raise _fail("user password", exc) from None
    typer.echo(f"password of {username} changed; its sessions are ended")


def _set_disabled(username: str, archive: str | None, disabled: bool) -> None:
    from webapp.store import open_store

    command = "user disable" if disabled else "user enable"
    try:
        with open_store(archive) as store:
            store.set_disabled(username, disabled)
    except DaftarError as exc:
        raise _fail(command, exc) from None
    typer.echo(f"{username} {'disabled; its sessions are ended' if disabled else 'enabled'}")


def user_disable(username: str = typer.Argument(..., help="The account."),
                 archive: str = ArchiveOpt) -> None:
    """Stop an account signing in; every session of it ends."""
    _set_disabled(username, archive, True)


def user_enable(username: str = typer.Argument(..., help="The account."),
                archive: str = ArchiveOpt) -> None:
    """Let a disabled account sign in again."""
    _set_disabled(username, archive, False)


def token_create(
    name: str = typer.Option(..., "--name", help="What the token is for, e.g. the client system."),
    role: str = typer.Option("viewer", "--role", help="viewer (read) or archivist."),
    archive: str = ArchiveOpt,
) -> None:
    """Create an API token and print it once (only its SHA-256 digest is kept)."""
    from archive import open_archive
    from archive.access import iso, new_token, secret_digest

    token = new_token()
    try:
        with open_archive(archive) as store:
            store.add_api_token(name, secret_digest(token), role,
                                iso(dt.datetime.now(dt.timezone.utc)))
    except DaftarError as exc:
        raise _fail("token create", exc) from None
    typer.echo(token)
    typer.echo(f"token {name!r} ({role}) created: shown only now; send it as "
               "'Authorization: Bearer <token>'", err=True)


def token_list(archive: str = ArchiveOpt) -> None:
    """API tokens: name, role, when created, when last used."""
    from archive import open_archive

    try:
        with open_archive(archive) as store:
            tokens = store.api_tokens()
    except DaftarError as exc:
        raise _fail("token list", exc) from None
    rows = [("NAME", "ROLE", "CREATED", "LAST USED")] + [
        (t.name, t.role, _minute(t.created_at), _minute(t.last_used_at) or "never")
        for t in tokens]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3])


def _minute(value: str | None) -> str:
    return value[:16].replace("T", " ") + " UTC" if value else ""


def token_revoke(name: str = typer.Argument(..., help="The token's name."),
                 archive: str = ArchiveOpt) -> None:
    """Revoke an API token: it is refused from the next request on."""
    from archive import open_archive

    try:
        with open_archive(archive) as store:
            store.revoke_api_token(name)
    except DaftarError as exc:
        raise _fail("token revoke", exc) from None
    typer.echo(f"token {name!r} revoked")


def register(app: typer.Typer) -> None:
    """Add ``serve`` and the ``user`` and ``token`` command groups to the main CLI."""
    app.command("serve")(serve)
    users = typer.Typer(help="Manage review-app accounts.", no_args_is_help=True)
    users.command("add")(user_add)
    users.command("password")(user_password)
    users.command("disable")(user_disable)
    users.command("enable")(user_enable)
    app.add_typer(users, name="user")
    tokens = typer.Typer(help="Manage API tokens.", no_args_is_help=True)
    tokens.command("create")(token_create)
    tokens.command("list")(token_list)
    tokens.command("revoke")(token_revoke)
    app.add_typer(tokens, name="token")


def main() -> None:
    """``python -m webapp.cli serve|user …|token …`` — the same commands without the full CLI."""
    app = typer.Typer(help="Daftar review app.", no_args_is_help=True)
    register(app)
    app()


if __name__ == "__main__":
    main()
