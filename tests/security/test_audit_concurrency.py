"""Finding: concurrent writers could each chain to the same latest entry and fork the log.

Appends are serialised (an advisory lock held to commit on PostgreSQL, the write lock on
SQLite), so writers in parallel threads, each on its own connection, make one chain.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, transaction

from saferhub.web.audit.log import record
from saferhub.web.audit.models import AuditEvent
from saferhub.web.audit.verification import verify_log

pytestmark = pytest.mark.django_db(transaction=True)

SRC = Path(__file__).resolve().parents[2] / "src"
WRITERS = 4
EACH = 15


def test_parallel_writers_make_one_unbroken_chain():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip(
            "SQLite's in-memory test database shares one cache between threads, which "
            "refuses rather than waits for a lock; run with a PostgreSQL DATABASE_URL."
        )
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def write(writer: int) -> None:
        from django.db import connections

        try:
            start.wait()
            for n in range(EACH):
                # A service writes its entry inside its own, longer transaction.
                with transaction.atomic():
                    record(None, "view", summary=f"writer {writer} entry {n}")
                    AuditEvent.objects.count()
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    prev_hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(prev_hashes) == WRITERS * EACH
    assert len(set(prev_hashes)) == len(prev_hashes), "two entries follow the same entry"
    verdict = verify_log()
    assert verdict.intact and verdict.checked == WRITERS * EACH


WRITER_SCRIPT = """
from django.db import transaction
from saferhub.web.audit.log import record
for n in range({each}):
    with transaction.atomic():
        record(None, "view", summary="writer {writer} entry %d" % n)
"""


@pytest.mark.django_db(transaction=False)
def test_parallel_processes_on_a_sqlite_file_make_one_unbroken_chain(tmp_path):
    """The demo's SQLite file, written by separate processes as Gunicorn's workers do."""
    if connection.vendor != "sqlite":
        pytest.skip("Checks SQLite's file locking; the threaded test covers PostgreSQL.")
    env = {
        **os.environ,
        "SAFERHUB_DATA_DIR": str(tmp_path),
        "SAFERHUB_ENV": "development",
        "DJANGO_SETTINGS_MODULE": "saferhub.web.settings",
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    django_admin = [sys.executable, "-m", "django"]
    subprocess.run([*django_admin, "migrate", "-v0"], env=env, check=True, timeout=120)
    writers = [
        subprocess.Popen(
            [*django_admin, "shell", "-c", WRITER_SCRIPT.format(each=EACH, writer=w)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(3)
    ]
    errors = [w.communicate(timeout=120)[1] for w in writers]
    assert all(w.returncode == 0 for w in writers), errors
    verify = subprocess.run(
        [sys.executable, "-m", "saferhub.cli", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert verify.returncode == 0, verify.stderr
    assert f"intact: {3 * EACH} entries checked" in verify.stdout
