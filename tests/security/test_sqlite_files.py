"""Finding: the demo database was world-readable. The data folder is the owner's only
(0700); the database file, its -wal and -shm, and the demo password file are 0600."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.db.utils import ConnectionHandler

import saferhub
from saferhub.web.db.sqlite3.base import database_file, make_private

REPO = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """The usual umask, under which new files are readable by everyone."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_the_demo_keeps_its_folder_database_and_password_to_the_owner(tmp_path, open_umask):
    data_dir = tmp_path / "demo"
    data_dir.mkdir(mode=0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFERHUB_")}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["PYTHONPATH"] = str(Path(saferhub.__file__).parents[1])
    command = [sys.executable, "-m", "saferhub.cli", "demo", "--data-dir", str(data_dir)]
    result = subprocess.run(
        [*command, "--scale", "0.02", "--no-serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert mode(data_dir) == 0o700
    assert mode(data_dir / "saferhub.sqlite3") == 0o600
    assert mode(data_dir / "demo-password.txt") == 0o600
    for companion in ("saferhub.sqlite3-wal", "saferhub.sqlite3-shm"):
        if (data_dir / companion).exists():
            assert mode(data_dir / companion) == 0o600


def test_a_new_database_and_its_wal_files_are_created_owner_only(
    tmp_path, open_umask, django_db_blocker
):
    path = tmp_path / "new.sqlite3"
    handler = ConnectionHandler({"default": {"ENGINE": "saferhub.web.db.sqlite3", "NAME": path}})
    connection = handler["default"]
    # A database of the test's own, not the test database pytest-django guards.
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("CREATE TABLE t (x INTEGER)")
            cursor.execute("INSERT INTO t VALUES (1)")
        names = ["new.sqlite3", "new.sqlite3-wal", "new.sqlite3-shm"]
        modes = {name: mode(tmp_path / name) for name in names}
        connection.close()
    assert modes == dict.fromkeys(names, 0o600)


def test_an_existing_readable_database_is_tightened_when_opened(tmp_path):
    path = tmp_path / "old.sqlite3"
    for name in ("old.sqlite3", "old.sqlite3-wal", "old.sqlite3-shm"):
        (tmp_path / name).write_bytes(b"")
        (tmp_path / name).chmod(0o644)
    make_private(path)
    assert {p.name: mode(p) for p in tmp_path.iterdir()} == {
        "old.sqlite3": 0o600,
        "old.sqlite3-wal": 0o600,
        "old.sqlite3-shm": 0o600,
    }


@pytest.mark.parametrize("name", [":memory:", "file:memorydb_default?mode=memory&cache=shared", ""])
def test_in_memory_databases_have_no_file_to_protect(name):
    assert database_file(name) is None
