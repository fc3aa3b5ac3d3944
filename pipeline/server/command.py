"""`vanban serve`: run the upload server with uvicorn.

The token: `--token` or the environment variable `VANBAN_TOKEN`. Bound beyond loopback
(`--host 0.0.0.0`), the server refuses to start without one. On loopback without one, it
makes one up and prints it (with the login address), so a clerk at the machine can start
it with no setup; it lasts until the server stops.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer

from pipeline.store.duckdb import DEFAULT_DB

TOKEN_ENV = "VANBAN_TOKEN"


def resolve_token(host: str, token: Optional[str]) -> tuple[str, bool]:
    """The token to use and whether it was generated; raises `ValueError` when one is needed."""
    from pipeline.server.auth import MIN_TOKEN_CHARS, generate_token, is_loopback
    token = (token or os.environ.get(TOKEN_ENV) or "").strip()
    if token:
        if not is_loopback(host) and len(token) < MIN_TOKEN_CHARS:
            raise ValueError(f"bound to {host}, the token must have at least {MIN_TOKEN_CHARS} characters")
        return token, False
    if not is_loopback(host):
        raise ValueError(f"refusing to listen on {host} without a token: set {TOKEN_ENV} or pass --token "
                         "(e.g. VANBAN_TOKEN=$(python -c 'import secrets; print(secrets.token_urlsafe(24))'))")
    return generate_token(), True


def serve_command(
        db: Path = typer.Option(DEFAULT_DB, "--db", help="DuckDB database file."),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (127.0.0.1: this machine only)."),
        port: int = typer.Option(8000, "--port", help="Port to listen on."),
        token: Optional[str] = typer.Option(None, "--token", help=f"Access token (default: ${TOKEN_ENV}).",
                                            show_default=False),
        max_upload_mb: float = typer.Option(50.0, "--max-upload-mb", help="Largest file accepted, in MB."),
        upload_dir: Optional[Path] = typer.Option(None, "--upload-dir",
                                                  help="Where uploaded files are kept, by sha256 "
                                                       "(default: uploads/ beside the database).")) -> None:
    """Serve the upload page and API: upload notices, read them as the pipeline did, search.

    Example: vanban serve --port 8000 --token s3cret-long-token   (then open http://127.0.0.1:8000)
    """
    import uvicorn
    from rich.markup import escape

    from pipeline.cliout import err
    from pipeline.errors import VanbanError
    from pipeline.server.app import create_app

    try:
        token, generated = resolve_token(host, token)
    except ValueError as e:
        err.print(f"[bold red]error:[/] {escape(str(e))}")
        raise typer.Exit(2)
    try:
        app = create_app(db, token, max_upload_bytes=int(max_upload_mb * 1024 * 1024), upload_dir=upload_dir)
    except VanbanError as e:
        err.print(f"[bold red]error:[/] {escape(str(e))}")
        raise typer.Exit(2)
    shown = f"[{host}]" if ":" in host else host
    err.print(f"vanban serving {escape(str(db))} at [bold]http://{shown}:{port}/[/]")
    if generated:
        err.print(f"no {TOKEN_ENV} set: this run's access token is [bold]{token}[/]\n"
                  f"  page: log in with it; API: Authorization: Bearer {token}")
    uvicorn.run(app, host=host, port=port, log_level="info", timeout_graceful_shutdown=30)


if __name__ == "__main__":
    typer.run(serve_command)
