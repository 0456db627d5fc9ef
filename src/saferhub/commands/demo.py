"""`saferhub demo`, `saferhub serve` and `saferhub manage`: running the web app."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import time
from pathlib import Path

import typer
from rich.console import Console

from saferhub.commands import app
from saferhub.errors import ConfigurationError, EnvironmentProblem

console = Console()
DEMO_SEED = 2023


def _check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise EnvironmentProblem(
                f"Port {port} on {host} is already in use ({exc.strerror}).",
                f"Stop whatever is using it, or choose another port with --port {port + 1}.",
            ) from None


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise ConfigurationError(str(exc)) from None
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        # SQLite can't create the folder its file lives in.
        try:
            Path(settings.DATA_DIR).mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise EnvironmentProblem(
                f"Cannot create the data folder {settings.DATA_DIR}: {exc.strerror}.",
                "Set SAFERHUB_DATA_DIR to a folder this user can write.",
            ) from None


def _migrate() -> None:
    from django.core.management import call_command
    from django.db import DatabaseError

    try:
        call_command("migrate", verbosity=0, interactive=False)
    except DatabaseError as exc:
        from django.conf import settings

        name = settings.DATABASES["default"]["NAME"]
        raise EnvironmentProblem(
            f"Cannot open or update the database {name}: {exc}.",
            "Check the file is readable and writable and is a SaferHub database, "
            "or start again with --reset.",
        ) from None


def _check_sqlite_file(path: Path) -> None:
    """Fail early, and clearly, on a database file that is not SQLite or cannot be read."""
    if not path.exists():
        return
    if not os.access(path, os.R_OK | os.W_OK):
        raise EnvironmentProblem(
            f"The demo database {path} cannot be read or written by this user.",
            "Fix its permissions, or start again with --reset.",
        )
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            connection.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise EnvironmentProblem(
            f"The demo database {path} is unreadable ({exc}).",
            "Start again with: saferhub demo --reset",
        ) from None


def _serve(host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": 4,
                "worker_class": "gthread",
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
                "timeout": 60,
            }.items():
                self.cfg.set(key, value)

        def load(self):
            from saferhub.web.wsgi import application

            return application

    Server().run()


@app.command()
def demo(
    port: int = typer.Option(8000, "--port", help="Port to serve on, on 127.0.0.1."),
    reset: bool = typer.Option(False, "--reset", help="Delete the demo data and start again."),
    data_dir: Path = typer.Option(
        Path("var"),
        "--data-dir",
        envvar="SAFERHUB_DATA_DIR",
        help="Where the demo keeps its database and files.",
    ),
    scale: float = typer.Option(
        1.0, "--scale", help="Size of the synthetic partnership (first run only)."
    ),
    workers: int = typer.Option(2, "--workers", help="Web server worker processes."),
    no_serve: bool = typer.Option(
        False, "--no-serve", help="Prepare the data and exit without serving."
    ),
) -> None:
    """Run SaferHub on embedded SQLite with a synthetic partnership: the quickest way to try it."""
    started = time.perf_counter()
    host = "127.0.0.1"
    from saferhub.synth.partnership import check_scale

    check_scale(scale)
    data_dir = data_dir.resolve()
    if "DATABASE_URL" in os.environ:
        console.print(
            "[yellow]The demo always uses its own SQLite database; ignoring DATABASE_URL.[/]"
        )
        del os.environ["DATABASE_URL"]
    os.environ.pop("SAFERHUB_MIGRATE_DATABASE_URL", None)  # the owner's URL for that database
    os.environ["SAFERHUB_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("SAFERHUB_ENV", "development")
    if not no_serve:
        _check_port_free(host, port)
    if reset and data_dir.exists():
        for name in (
            "saferhub.sqlite3",
            "saferhub.sqlite3-wal",
            "saferhub.sqlite3-shm",
            "demo-password.txt",
        ):
            (data_dir / name).unlink(missing_ok=True)
        shutil.rmtree(data_dir / "extracts", ignore_errors=True)
        console.print(f"Removed the demo data in {data_dir}.")
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        # The demo's folder holds its database, password and extracts: for this user only.
        data_dir.chmod(0o700)
    except OSError as exc:
        raise EnvironmentProblem(
            f"Cannot create the data folder {data_dir}: {exc.strerror}."
        ) from None
    database = data_dir / "saferhub.sqlite3"
    _check_sqlite_file(database)
    if not (data_dir / "demo-password.txt").exists() and database.exists():
        # A database without its password file came from elsewhere: its users can't sign in.
        console.print("[yellow]No demo password file found; the demo users get a new password.[/]")

    _setup_django()
    from saferhub.web import demo as demo_data

    with console.status("Preparing the database…"):
        _migrate()
    if demo_data.is_loaded():
        console.print(f"Using the demo data already in {data_dir} (start again with --reset).")
        if not (data_dir / "demo-password.txt").exists():
            _reset_demo_passwords()
    else:
        from saferhub.synth.partnership import generate, write_extracts

        extract_dir = data_dir / "extracts"
        with console.status(
            f"Generating the synthetic partnership (seed {DEMO_SEED}, scale {scale})…"
        ):
            write_extracts(generate(DEMO_SEED, scale), extract_dir)
        with console.status("Loading it into the database…"):
            counts = demo_data.load_partnership(extract_dir)
        console.print("Loaded: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    _print_sign_ins(host, port, demo_data)
    console.print(f"Ready in {time.perf_counter() - started:.1f} s.")
    if no_serve:
        return
    console.print("Press Ctrl+C to stop.")
    _serve(host, port, workers)


def _reset_demo_passwords() -> None:
    from saferhub.web import demo as demo_data
    from saferhub.web.accounts.models import User

    password = demo_data.demo_password()
    for user in User.objects.filter(username__in=[s.username for s in demo_data.sign_ins()]):
        user.set_password(password)
        user.save(update_fields=["password"])


def _print_sign_ins(host: str, port: int, demo_data) -> None:
    console.print(f"\n[bold]SaferHub is at http://{host}:{port}/[/]")
    console.print(
        f"Sign in with any of these usernames and the password [bold]{demo_data.demo_password()}[/]"
    )
    # Plain lines, not a table: they must survive narrow terminals and log files uncut.
    for sign_in in demo_data.sign_ins():
        typer.echo(f"  {sign_in.username:<24} {sign_in.description}")
    console.print()


@app.command()
def serve(
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to bind; 0.0.0.0 behind a proxy."
    ),
    workers: int = typer.Option(2, "--workers", help="Worker processes (about 2 per core)."),
) -> None:
    """Serve SaferHub with a production WSGI server against DATABASE_URL."""
    _check_port_free(host, port)
    _setup_django()
    console.print(f"Serving SaferHub on http://{host}:{port}/ with {workers} workers.")
    _serve(host, port, workers)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `saferhub manage migrate` or `check --deploy`."""
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["saferhub manage", *ctx.args])
