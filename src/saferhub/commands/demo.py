"""`saferhub demo`: make, load and serve a synthetic partnership on this machine."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from saferhub.commands import app
from saferhub.commands.django_setup import setup_django
from saferhub.commands.serve import check_port_free, run_server
from saferhub.errors import ConfigurationError, EnvironmentProblem

console = Console()
DEMO_SEED = 2023


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
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="The day the synthetic partnership is as of, YYYY-MM-DD (first run only; "
        "default: today).",
    ),
    crime_data: Path | None = typer.Option(
        None,
        "--crime-data",
        help="Folder of real London Datastore MPS crime files and a GLA population file, "
        "used instead of synthetic crime counts (first run only).",
    ),
) -> None:
    """Run SaferHub on embedded SQLite with a synthetic partnership: the quickest way to try it."""
    started = time.perf_counter()
    host = "127.0.0.1"
    from saferhub.synth.partnership import check_scale, parse_as_of

    check_scale(scale)
    day = parse_as_of(as_of) if as_of is not None else None
    real_crime = _real_crime_files(crime_data) if crime_data is not None else None
    data_dir = data_dir.resolve()
    if "DATABASE_URL" in os.environ:
        console.print(
            "[yellow]The demo always uses its own SQLite database; ignoring DATABASE_URL.[/]"
        )
        del os.environ["DATABASE_URL"]
    os.environ.pop("SAFERHUB_MIGRATE_DATABASE_URL", None)  # the owner's URL for that database
    os.environ["SAFERHUB_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("SAFERHUB_ENV", "development")
    # Every page then shows the demonstration banner, and every report says so.
    os.environ["SAFERHUB_DEMO"] = "true"
    if not no_serve:
        check_port_free(host, port)
    if reset and data_dir.exists():
        for name in (
            "saferhub.sqlite3",
            "saferhub.sqlite3-wal",
            "saferhub.sqlite3-shm",
            "demo-password.txt",
            AS_OF_FILE,
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

    with _steps() as step:
        step("Starting Django")
        setup_django()
        from django.utils import timezone

        from saferhub.demo import partnership as demo_data

        step("Preparing the database")
        _migrate()
        if demo_data.is_loaded():
            loaded = None
            if not (data_dir / "demo-password.txt").exists():
                step("Setting a new password for the demo users")
                _reset_demo_passwords()
        else:
            day = day or timezone.localdate()
            loaded = _build(data_dir, scale, day, real_crime, step)
    if loaded is None:
        as_of_file = data_dir / AS_OF_FILE
        since = f" (as of {as_of_file.read_text().strip()})" if as_of_file.exists() else ""
        console.print(
            f"Using the demo data{since} already in {data_dir} (start again with --reset)."
        )
        if day is not None or real_crime is not None:
            console.print(
                "[yellow]--as-of and --crime-data apply when the demo data are made: "
                "add --reset to make them again.[/]"
            )
    else:
        console.print("Loaded: " + ", ".join(f"{v:,} {k}" for k, v in loaded.items()))
    _print_sign_ins(host, port, demo_data)
    console.print(f"Ready in {time.perf_counter() - started:.1f} s.")
    if no_serve:
        return
    console.print("Press Ctrl+C to stop.")
    run_server(host, port, workers)


AS_OF_FILE = "demo-as-of.txt"  # the same name as saferhub.web.demo.AS_OF_FILE
BOROUGH_CRIME_COLUMNS = {"MajorText", "MinorText", "LookUp_BoroughName"}


@contextmanager
def _steps() -> Iterator[Callable[[str], None]]:
    """A line per step, ticked off with its time when the next begins: never silent.

    On a terminal a spinner and a clock keep moving during a long step; elsewhere (a log
    file, a test) each step is printed as it ends, with how long it took.
    """
    if not console.is_terminal:
        began: list[tuple[str, float]] = []

        def plain(description: str) -> None:
            if began:
                done, at = began[-1]
                console.print(f"✓ {done} ({time.perf_counter() - at:.1f} s)", highlight=False)
            began.append((description, time.perf_counter()))

        try:
            yield plain
        except BaseException:
            if began:
                console.print(f"✗ {began[-1][0]} did not finish.", highlight=False)
            raise
        plain("")  # ticks off the last step
        return
    with Progress(
        SpinnerColumn(finished_text="[green]✓[/]"),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        current: list[int] = []

        def step(description: str) -> None:
            if current:
                progress.update(current[-1], total=1, completed=1)
            current.append(progress.add_task(description, total=None))

        try:
            yield step
        except BaseException:
            if current:
                task = progress.tasks[-1]
                progress.update(task.id, description=f"[red]{task.description}: did not finish[/]")
                progress.stop_task(current[-1])
            raise
        if current:
            progress.update(current[-1], total=1, completed=1)


def _real_crime_files(folder: Path) -> tuple[list[Path], Path]:
    """The MPS borough crime files and the GLA population file in a --crime-data folder."""
    if not folder.is_dir():
        raise ConfigurationError(
            f"--crime-data {folder} is not a folder.",
            "Give the folder holding the London Datastore MPS borough crime CSV files.",
        )
    crime, population = [], []
    for path in sorted(folder.glob("*.csv")):
        try:
            with path.open(encoding="utf-8-sig", errors="replace") as handle:
                header = handle.readline()
        except OSError as exc:
            raise EnvironmentProblem(f"Cannot read {path}: {exc.strerror}.") from None
        columns = {c.strip() for c in header.split(",")}
        if columns >= BOROUGH_CRIME_COLUMNS and "WardCode" not in columns:
            crime.append(path)
        elif {"Code", "GLA_Population_Estimate_2017"} <= columns:
            population.append(path)
    if not crime:
        raise ConfigurationError(
            f"--crime-data {folder} holds no MPS borough crime file.",
            "Use the London Datastore's borough-level recorded crime CSV "
            "(columns MajorText, MinorText, LookUp_BoroughName and one per month, YYYYMM).",
        )
    if not population:
        raise ConfigurationError(
            f"--crime-data {folder} holds no borough population file.",
            "Add the GLA borough population estimates CSV "
            "(columns Code, Area_name, GLA_Population_Estimate_2017, GLA_Household_Estimate_2017).",
        )
    return crime, population[0]


def _build(
    data_dir: Path,
    scale: float,
    day: date,
    real_crime: tuple[list[Path], Path] | None,
    step: Callable[[str], None],
) -> dict[str, int]:
    """Generate the synthetic partnership as of `day` and load it: the first run's work."""
    from saferhub.demo import partnership as demo_data
    from saferhub.synth.partnership import generate, write_extracts

    extract_dir = data_dir / "extracts"
    shutil.rmtree(extract_dir, ignore_errors=True)
    about = f" for a partnership as of {day:%-d %B %Y} (scale {scale})"
    extracts = generate(
        DEMO_SEED,
        scale,
        day,
        on_step=lambda what: step(f"Generating {what}" + (about if what == "people" else "")),
    )
    if real_crime is not None:
        # Real counts replace the synthetic ones; the synthetic partner series would not
        # line up with the real months, so they go too.
        for name in ("mps_borough_crime.csv", "borough_population.csv", "partner_measures.csv"):
            extracts.pop(name, None)
    step("Writing the extract files")
    write_extracts(extracts, extract_dir)
    if real_crime is not None:
        crime, population = real_crime
        step(f"Copying the real crime data from {crime[0].parent}")
        for number, path in enumerate(crime, start=1):
            shutil.copyfile(path, extract_dir / f"mps_borough_crime-{number}.csv")
        shutil.copyfile(population, extract_dir / "borough_population.csv")
    counts = demo_data.load_partnership(
        extract_dir, day, on_step=lambda what: step(f"Loading {what}")
    )
    (data_dir / AS_OF_FILE).write_text(f"{day:%-d %B %Y}\n")
    return counts


def _reset_demo_passwords() -> None:
    from django.contrib.auth.hashers import make_password

    from saferhub.demo import partnership as demo_data
    from saferhub.web.accounts.models import User

    # Hashing is deliberately slow, and the demo users share one password: hash it once.
    password_hash = make_password(demo_data.demo_password())
    User.objects.filter(username__in=[s.username for s in demo_data.sign_ins()]).update(
        password=password_hash
    )


def _print_sign_ins(host: str, port: int, demo_data) -> None:
    console.print(f"\n[bold]SaferHub is at http://{host}:{port}/[/]")
    console.print(
        f"Sign in with any of these usernames and the password [bold]{demo_data.demo_password()}[/]"
    )
    # Plain lines, not a table: they must survive narrow terminals and log files uncut.
    for sign_in in demo_data.sign_ins():
        typer.echo(f"  {sign_in.username:<24} {sign_in.description}")
    console.print()
