"""Command registry. Each module registers its commands on `app` or `report_app`.

Exit codes (documented in docs/cli.md): 0 success; 2 usage error; 3 bad input file;
4 invalid configuration; 5 environment problem (port in use, unreadable database);
6 the audit log's hash chain is broken (`saferhub audit verify`).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable

import typer
from rich.console import Console
from rich.markup import escape

from saferhub import __version__
from saferhub.errors import SaferHubError

app = typer.Typer(
    name="saferhub",
    help="SaferHub: the partnership information system for Community Safety Partnerships.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
report_app = typer.Typer(
    help="Write board-pack reports (HTML, XLSX, PDF, JSON) from files or the app's database.",
    no_args_is_help=True,
)
app.add_typer(report_app, name="report")

# soft_wrap: hints hold commands to copy, which must not be broken across lines.
err_console = Console(stderr=True, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"saferhub {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """SaferHub command line."""


@functools.cache
def _command() -> Callable[..., object]:
    # Typer rebuilds the Click command from the functions' signatures on every call,
    # which is most of the cost of a quick command run in process many times (tests).
    return typer.main.get_command(app)


def main(args: list[str] | None = None) -> None:
    """Run the CLI, turning user errors into a message and an exit code, never a traceback.

    Typer's standalone mode already turns usage errors into exit code 2.
    """
    try:
        _command()(args=args, prog_name="saferhub")
    except SaferHubError as exc:
        # Messages quote values from files, which must never be read as Rich markup.
        err_console.print(f"[bold red]Error:[/] {escape(exc.message)}", highlight=False)
        if exc.hint:
            err_console.print(escape(exc.hint), highlight=False)
        sys.exit(exc.exit_code)


# Each module below registers its commands when imported.
from saferhub.commands import (  # noqa: E402, F401
    audit,
    check,
    demo,
    notify,
    people,
    report_board_pack,
    report_crime,
    report_iom,
    report_marac,
    report_needs,
    retention,
    sar,
    serve,
    synth,
)
