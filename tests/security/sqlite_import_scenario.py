"""A large caseload upload on SQLite while someone else browses, run as its own process.

The test suite's database is in memory; this needs the real settings on a database file
(WAL, busy timeout, the owner-only backend), so `test_sqlite_import.py` runs it in a child
process with SAFERHUB_DATA_DIR set, and reads the JSON it prints.

Usage: python -m tests.security.sqlite_import_scenario ROWS
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
import time
from pathlib import Path


def write_extract(path: Path, rows: int) -> None:
    from tests.measures.needs_rows import person

    template = person("X000000", needs=("ete",))
    columns = list(template)
    line = ",".join(template[c] for c in columns[1:])
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(columns) + "\n")
        handle.writelines(f"X{i:06d},{line}\n" for i in range(rows))


def write_lock_held(database: Path) -> bool:
    """True while another connection holds SQLite's write lock."""
    probe = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()
    return False


def main(rows: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.web.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from saferhub.web.accounts.models import Agency, AgencyKind, Role, User
    from saferhub.web.audit.models import AuditEvent
    from saferhub.web.needs.models import CaseloadEntry
    from saferhub.web.people.models import Person

    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        busy_timeout_ms = cursor.fetchone()[0]
    probation = Agency.objects.create(name="Probation Service", kind=AgencyKind.PROBATION)
    loader = User.objects.create(username="loader", agency=probation, role=Role.PRACTITIONER)
    # Each view of a person's record reads it and writes an audit event: the write has to
    # wait its turn behind the import's transaction, so this is the page that used to fail.
    reader = User.objects.create(username="reader", agency=probation, role=Role.ADMINISTRATOR)
    person = Person.objects.create(first_name="Ann", last_name="Example")
    extract = data_dir / "caseload.csv"
    write_extract(extract, rows)
    connection.close()

    result: dict = {"journal_mode": journal_mode, "busy_timeout_ms": busy_timeout_ms}
    views: list[dict] = []
    done = threading.Event()

    def upload() -> None:
        client = Client(raise_request_exception=False)
        client.force_login(loader)
        started = time.perf_counter()
        with extract.open("rb") as handle:
            response = client.post(
                "/needs/load/", {"extract": handle, "area": "Barnet", "as_of": "2021-10-15"}
            )
        result["upload_status"] = response.status_code
        result["upload_seconds"] = round(time.perf_counter() - started, 1)
        done.set()

    database = Path(settings.DATABASES["default"]["NAME"])
    locked_at: list[float] = []

    def watch() -> None:
        # Sampled apart from the views, so a view that waited for the import's write lock
        # (and found it gone by the time it ended) still counts as overlapping it.
        while not done.is_set():
            if write_lock_held(database):
                locked_at.append(time.perf_counter())
            time.sleep(0.01)

    def browse() -> None:
        client = Client(raise_request_exception=False)
        client.force_login(reader)
        while not done.is_set():
            started = time.perf_counter()
            try:
                status = client.get(f"/people/{person.pk}/").status_code
            except Exception as exc:
                status = f"{type(exc).__name__}: {exc}"
            views.append({"started": started, "status": status, "ended": time.perf_counter()})
            time.sleep(0.1)

    threads = [threading.Thread(target=f) for f in (upload, browse, watch)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result["entries"] = CaseloadEntry.objects.count()
    result["audited_views"] = AuditEvent.objects.filter(action="view", person_id=person.pk).count()
    result["views"] = len(views)
    result["views_during_write"] = sum(
        any(v["started"] <= t <= v["ended"] for t in locked_at) for v in views
    )
    result["failed_views"] = [v for v in views if v["status"] != 200]
    slowest = max((v["ended"] - v["started"] for v in views), default=0)
    result["slowest_view_seconds"] = round(slowest, 1)
    return result


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
