"""Findings: on SQLite, page views failed with "database is locked" while a large extract
loaded, and a 300,000-row upload failed with "too many SQL variables".

The scenario runs in its own process on a database file with the real settings (the test
database is in memory): one user uploads a 300,000-row caseload extract through the web
page while another keeps opening a person's record, which reads and writes an audit event.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import saferhub

REPO = Path(__file__).resolve().parents[2]
ROWS = 300_000  # 38 MB as CSV, within the 100 MB upload limit


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> dict:
    data_dir = tmp_path_factory.mktemp("sqlite") / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFERHUB_")}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["SAFERHUB_ENV"] = "development"
    env["SAFERHUB_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = os.pathsep.join([str(Path(saferhub.__file__).parents[1]), str(REPO)])
    result = subprocess.run(
        [sys.executable, "-m", "tests.security.sqlite_import_scenario", str(ROWS)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_settings_take_effect_on_a_live_connection(scenario):
    assert scenario["journal_mode"] == "wal"
    assert scenario["busy_timeout_ms"] >= 30_000


def test_a_300k_row_upload_loads_on_sqlite(scenario):
    assert scenario["upload_status"] == 302
    assert scenario["entries"] == ROWS


def test_page_views_carry_on_while_the_import_writes(scenario):
    assert scenario["views_during_write"] >= 1, "no page view overlapped the import's write"
    assert scenario["failed_views"] == []
    # Each view wrote its audit event: the write waited its turn instead of failing.
    assert scenario["audited_views"] == scenario["views"]


@pytest.mark.django_db
def test_crns_are_looked_up_in_chunks_and_a_replaced_extract_is_one_audit_event(
    tmp_path, monkeypatch
):
    from saferhub.sources.caseload import read_caseload
    from saferhub.web.audit.models import AuditEvent
    from saferhub.web.needs import data
    from saferhub.web.needs.models import CaseloadEntry
    from saferhub.web.people.models import IdentifierKind
    from tests.factories import IdentifierFactory
    from tests.measures.needs_rows import person, write_csv

    monkeypatch.setattr(data, "CHUNK", 2)  # five CRNs: three lookups
    known = [IdentifierFactory(kind=IdentifierKind.CRN, value=f"X00000{i}") for i in (0, 2, 4)]
    caseload = read_caseload(
        write_csv(tmp_path / "c.csv", [person(f"X00000{i}") for i in range(5)])
    )
    first = data.store(caseload, area="Barnet", loaded_by="probation.officer")
    second = data.store(caseload, area="Barnet", loaded_by="probation.officer")
    linked = dict(CaseloadEntry.objects.values_list("crn", "person_id"))
    assert linked == {
        "X000000": known[0].person_id,
        "X000001": None,
        "X000002": known[1].person_id,
        "X000003": None,
        "X000004": known[2].person_id,
    }
    assert set(CaseloadEntry.objects.values_list("extract_id", flat=True)) == {second.pk}
    removed = AuditEvent.objects.get(action="delete", object_id=str(first.pk))
    assert removed.detail == {"people": 5}
    assert not AuditEvent.objects.filter(object_type="needs.CaseloadEntry").exists()


@pytest.mark.django_db(transaction=True)
def test_an_import_that_fails_part_way_leaves_the_earlier_extract_whole(tmp_path, monkeypatch):
    from saferhub.sources.caseload import read_caseload
    from saferhub.web import bulk_insert
    from saferhub.web.needs import data
    from saferhub.web.needs.models import CaseloadEntry, CaseloadExtract
    from tests.measures.needs_rows import person, write_csv

    def caseload(name, count):
        rows = [person(f"{name}{i:06d}") for i in range(count)]
        return read_caseload(write_csv(tmp_path / f"{name}.csv", rows))

    earlier = data.store(caseload("A", 4), area="Barnet", loaded_by="probation.officer")
    real_insert = bulk_insert.insert

    def insert_then_fail(prepared, **same):
        real_insert(prepared, **same)
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(bulk_insert, "insert", insert_then_fail)
    with pytest.raises(RuntimeError, match="disk filled up"):
        data.store(caseload("B", 6), area="Barnet", loaded_by="probation.officer")
    assert list(CaseloadExtract.objects.values_list("pk", flat=True)) == [earlier.pk]
    assert sorted(CaseloadEntry.objects.values_list("crn", flat=True)) == [
        f"A{i:06d}" for i in range(4)
    ]
