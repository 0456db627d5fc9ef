"""`saferhub serve` and `saferhub manage`: running the web app against DATABASE_URL.

`saferhub demo` serves through the same server (`run_server`).
"""

from __future__ import annotations

import socket

import typer
from rich.console import Console

from saferhub.commands import app
from saferhub.commands.django_setup import setup_django
from saferhub.errors import EnvironmentProblem

console = Console()


def check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise EnvironmentProblem(
                f"Port {port} on {host} is already in use ({exc.strerror}).",
                f"Stop whatever is using it, or choose another port with --port {port + 1}.",
            ) from None


def run_server(host: str, port: int, workers: int) -> None:
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
def serve(
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to bind; 0.0.0.0 behind a proxy."
    ),
    workers: int = typer.Option(2, "--workers", help="Worker processes (about 2 per core)."),
) -> None:
    """Serve SaferHub with a production WSGI server against DATABASE_URL."""
    check_port_free(host, port)
    setup_django()
    console.print(f"Serving SaferHub on http://{host}:{port}/ with {workers} workers.")
    run_server(host, port, workers)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def manage(ctx: typer.Context) -> None:
    """Run a Django management command, e.g. `saferhub manage migrate` or `check --deploy`."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["saferhub manage", *ctx.args])
