"""``daftar serve`` and ``daftar user add``: registered on the main CLI by ``register(app)``."""

from __future__ import annotations

import sys

import typer

from pipeline.errors import BadArgsError, DaftarError
from webapp import auth


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on (keep 127.0.0.1 behind a proxy)."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    archive: str = typer.Option(None, "--archive", help="Archive: postgresql://… URL or SQLite file "
                                "(default: DAFTAR_DATABASE_URL, else DAFTAR_HOME/archive.sqlite)."),
) -> None:
    """Run the archivists' review web app."""
    from archive.budget import run_server
    from webapp.app import create_app

    typer.echo(f"Daftar review app on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    run_server(create_app(archive), host=host, port=port, log_level="info",
               proxy_headers=True, server_header=False)


def user_add(
    username: str = typer.Argument(..., help="Login name: letters, digits, '.', '-' or '_'."),
    role: str = typer.Option(..., "--role", help="viewer (read only), archivist (edit, approve) "
                             "or admin (also manages users)."),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the password from the first line of stdin."),
    archive: str = typer.Option(None, "--archive", help="Archive location (as for serve)."),
) -> None:
    """Create a review-app account (the password is stored as an argon2 hash)."""
    from webapp.store import open_store

    try:
        auth.check_role(role)
        if not username or not username.replace("-", "").replace("_", "").replace(".", "").isalnum():
            raise BadArgsError(f"bad username {username!r}: use letters, digits, '.', '-' or '_'")
        password = (sys.stdin.readline().rstrip("\r\n") if password_stdin
                    else typer.prompt("Password", hide_input=True, confirmation_prompt=True))
        password_hash = auth.hash_password(password)
        with open_store(archive) as store:
            if store.get_user(username) is not None:
                raise BadArgsError(f"user {username!r} already exists")
            store.add_user(username, password_hash, role)
    except DaftarError as exc:
        typer.echo(f"daftar user add: {exc}", err=True)
        raise typer.Exit(int(exc.exit_code)) from None
    typer.echo(f"added {username} ({role})")


def register(app: typer.Typer) -> None:
    """Add ``serve`` and the ``user`` command group to the main ``daftar`` CLI."""
    app.command("serve")(serve)
    users = typer.Typer(help="Manage review-app accounts.", no_args_is_help=True)
    users.command("add")(user_add)
    app.add_typer(users, name="user")


def main() -> None:
    """``python -m webapp.cli serve|user add …`` — the same commands without the full CLI."""
    app = typer.Typer(help="Daftar review app.", no_args_is_help=True)
    register(app)
    app()


if __name__ == "__main__":
    main()
