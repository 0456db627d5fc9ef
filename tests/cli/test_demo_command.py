"""`saferhub demo`: first run, second run, and the environment problems a user can meet.

Each run is a separate process, as a user runs it: the demo configures Django for its
own data folder, which a test process that has already loaded its settings cannot do.
A tiny scale keeps each run to a few seconds.
"""

from __future__ import annotations

import csv
import os
import re
import socket
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from saferhub.errors import ConfigurationError, EnvironmentProblem

SCALE = "0.02"


def london_today() -> date:
    """The demo's "today": the app's time zone, Europe/London, not the machine's."""
    return datetime.now(ZoneInfo("Europe/London")).date()


def run_demo(data_dir: Path, *options: str, scale: str = SCALE) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFERHUB_")}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # A wide terminal keeps Rich from wrapping the messages the tests look for.
    env["COLUMNS"] = "200"
    command = [sys.executable, "-m", "saferhub.cli", "demo", "--data-dir", str(data_dir)]
    return subprocess.run(
        [*command, "--scale", scale, *options],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def prepare(data_dir: Path, *options: str) -> subprocess.CompletedProcess:
    result = run_demo(data_dir, "--no-serve", *options)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    data_dir = tmp_path_factory.mktemp("demo")
    return data_dir, prepare(data_dir)


def test_the_first_run_loads_the_partnership_and_prints_the_sign_ins(prepared):
    data_dir, first = prepared
    assert "Loaded:" in first.stdout
    assert "people" in first.stdout
    password = (data_dir / "demo-password.txt").read_text().strip()
    assert password in first.stdout
    for username in ("probation.practitioner", "police.officer", "admin"):
        assert username in first.stdout
    assert (data_dir / "saferhub.sqlite3").exists()
    assert (data_dir / "extracts" / "people.csv").exists()


def test_the_first_run_builds_the_world_as_of_today_and_shows_each_step(prepared):
    data_dir, first = prepared
    today = london_today()
    assert f"as of {today:%-d %B %Y}" in first.stdout
    for step in ("Preparing the database", "Generating people", "Loading the crime figures"):
        assert re.search(rf"✓ {step}.* \(\d+\.\d s\)", first.stdout), first.stdout
    with (data_dir / "extracts" / "iom_contacts.csv").open(encoding="utf-8") as handle:
        latest = max(row["contact_date"] for row in csv.DictReader(handle))
    assert date.fromisoformat(latest) >= today - timedelta(days=7)


def test_the_password_file_is_readable_by_its_owner_only(prepared):
    data_dir, _ = prepared
    assert (data_dir / "demo-password.txt").stat().st_mode & 0o077 == 0


def test_a_second_run_reuses_the_data_and_the_password(prepared):
    data_dir, _ = prepared
    second = prepare(data_dir)
    assert f"Using the demo data (as of {london_today():%-d %B %Y}) already in" in second.stdout
    assert "Loaded:" not in second.stdout
    assert (data_dir / "demo-password.txt").read_text().strip() in second.stdout


def test_a_port_in_use_stops_the_demo_with_a_message_naming_the_port(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_demo(tmp_path / "data", "--port", str(port))
    assert result.returncode == EnvironmentProblem.exit_code == 5
    assert f"Port {port}" in result.stderr
    assert "already in use" in result.stderr
    assert f"--port {port + 1}" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_database_file_that_is_not_sqlite_is_reported_as_unreadable(tmp_path):
    tmp_path.joinpath("saferhub.sqlite3").write_bytes(b"this is not a database\n" * 100)
    result = run_demo(tmp_path, "--no-serve")
    assert result.returncode == EnvironmentProblem.exit_code == 5
    assert "unreadable" in result.stderr
    assert "--reset" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_reset_starts_again_from_an_unreadable_database(tmp_path):
    tmp_path.joinpath("saferhub.sqlite3").write_bytes(b"this is not a database\n" * 100)
    tmp_path.joinpath("demo-password.txt").write_text("an old password\n")
    result = prepare(tmp_path, "--reset")
    assert "Removed the demo data" in result.stdout
    assert "Loaded:" in result.stdout
    new_password = (tmp_path / "demo-password.txt").read_text().strip()
    assert new_password != "an old password"
    assert new_password in result.stdout


def test_a_scale_out_of_range_is_refused_before_anything_is_made(tmp_path):
    result = run_demo(tmp_path / "data", "--no-serve", scale="0")
    assert result.returncode == ConfigurationError.exit_code == 4
    assert "--scale" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "data" / "saferhub.sqlite3").exists()


def test_a_bad_as_of_date_is_refused_before_anything_is_made(tmp_path):
    result = run_demo(tmp_path / "data", "--no-serve", "--as-of", "2026-13-01")
    assert result.returncode == ConfigurationError.exit_code
    assert "Error: --as-of '2026-13-01' is not a date" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "data" / "saferhub.sqlite3").exists()


def test_a_crime_data_folder_without_mps_files_is_refused(tmp_path):
    (tmp_path / "crime").mkdir()
    (tmp_path / "crime" / "notes.csv").write_text("a,b\n1,2\n")
    result = run_demo(tmp_path / "data", "--no-serve", "--crime-data", str(tmp_path / "crime"))
    assert result.returncode == ConfigurationError.exit_code
    assert "holds no MPS borough crime file" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_real_crime_data_replace_the_synthetic_counts(mps_data, tmp_path):
    result = prepare(tmp_path, "--crime-data", str(mps_data))
    assert "Copying the real crime data" in result.stdout
    extracts = tmp_path / "extracts"
    assert not (extracts / "mps_borough_crime.csv").exists()
    assert (extracts / "mps_borough_crime-1.csv").read_bytes() == (
        mps_data / "borough_10_21.csv"
    ).read_bytes()
    assert (extracts / "mps_borough_crime-2.csv").exists()
    counts = re.search(r"([\d,]+) crime counts", result.stdout)
    assert counts is not None and int(counts.group(1).replace(",", "")) > 100_000


def test_a_lost_password_file_gives_every_demo_user_the_new_password(tmp_path):
    prepare(tmp_path)
    (tmp_path / "demo-password.txt").unlink()
    rerun = prepare(tmp_path)
    assert "Setting a new password for the demo users" in rerun.stdout
    password = (tmp_path / "demo-password.txt").read_text().strip()
    assert password in rerun.stdout
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, sys; django.setup(); "
            "from saferhub.web.accounts.models import User; "
            "print(all(u.check_password(sys.argv[1]) for u in User.objects.all()))",
            password,
        ],
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("SAFERHUB_")},
            "SAFERHUB_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "saferhub.web.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'saferhub.sqlite3'}",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.stdout.strip() == "True", check.stderr


def test_a_report_made_from_the_demo_database_says_it_is_demonstration_data(prepared, tmp_path):
    data_dir, _ = prepared
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFERHUB_")}
    env.pop("DATABASE_URL", None)
    env["SAFERHUB_DATA_DIR"] = str(data_dir)
    quarter = f"{date.today().year - 1}/{date.today().year % 100:02d}-Q4"
    out = tmp_path / "marac.html"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "saferhub.cli",
            "report",
            "marac",
            "--quarter",
            quarter,
            "--format",
            "html",
            "--out",
            str(out),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Demonstration data: synthetic people and figures" in out.read_text(encoding="utf-8")
