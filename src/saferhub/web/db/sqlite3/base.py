"""Django's SQLite backend, keeping the database file readable by its owner only.

The demo's database holds (synthetic, but realistic) personal data, and a real partnership
may run on SQLite too. SQLite creates a new file with the process's umask, usually
world-readable, and gives its -wal and -shm files the database file's permissions. So the
file is created owner-only before SQLite opens it, and an existing file (or -wal/-shm) that
others can read is tightened each time a connection opens.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from django.db.backends.sqlite3 import base

OWNER_ONLY = 0o600
COMPANIONS = ("", "-wal", "-shm", "-journal")


def database_file(name: object) -> Path | None:
    """The file behind a database NAME, or None for an in-memory or URI database."""
    text = str(name)
    if not text or text == ":memory:" or text.startswith("file:") or "mode=memory" in text:
        return None
    return Path(text)


def make_private(path: Path) -> None:
    """Create `path` owner-only if it is missing; tighten it and its companions if not."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY))
    except FileExistsError:
        pass
    except OSError:
        return  # e.g. a missing folder: let SQLite report it in its own words
    for suffix in COMPANIONS:
        companion = path.with_name(path.name + suffix)
        try:
            mode = stat.S_IMODE(companion.stat().st_mode)
            if mode & 0o077:
                companion.chmod(mode & 0o700)
        except OSError:
            continue  # not there (yet), or not ours to change


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        path = database_file(conn_params.get("database", ""))
        if path is not None:
            make_private(path)
        connection = super().get_new_connection(conn_params)
        if path is not None:
            make_private(path)  # the -wal and -shm files appear as the connection opens
        return connection
