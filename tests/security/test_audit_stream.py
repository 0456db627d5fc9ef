"""Finding: the only copy of the audit log was in the database it protects.

Each committed entry can also be written as one JSON line to a log stream (standard
output, standard error or a file, set by SAFERHUB_AUDIT_LOG) for an off-box copy.
"""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction

from saferhub.web.audit.log import record
from saferhub.web.audit.models import AuditEvent
from saferhub.web.audit.stream import JsonLinesFormatter

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture
def stream():
    """The `saferhub.audit` logger, switched on and written to a buffer."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonLinesFormatter())
    logger = logging.getLogger("saferhub.audit")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield buffer
    logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.mark.django_db
def test_a_committed_entry_is_written_as_one_json_line(stream, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = record(None, "view", person_id=4, summary="Viewed a record", detail={"n": 1})
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert line["id"] == event.pk and line["hash"] == event.hash
    assert line["prev_hash"] == event.prev_hash and line["detail"] == {"n": 1}
    assert line["at"] == event.at.isoformat() and line["person_id"] == 4


@pytest.mark.django_db
def test_an_entry_that_is_rolled_back_is_never_shipped(stream, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        record(None, "view", summary="Rolled back")
        raise RuntimeError("the service failed")
    assert stream.getvalue() == ""
    assert not AuditEvent.objects.filter(summary="Rolled back").exists()


def _shell(tmp_path: Path, code: str, **variables: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAFERHUB_")}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        SAFERHUB_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="saferhub.web.settings",
        PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
        **variables,
    )
    return subprocess.run(
        [sys.executable, "-m", "saferhub.cli", "manage", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_saferhub_audit_log_sends_entries_to_a_file(tmp_path):
    copy = tmp_path / "audit.jsonl"
    result = _shell(
        tmp_path,
        "from django.core.management import call_command; call_command('migrate', verbosity=0)\n"
        "from saferhub.web.audit.log import record\n"
        "record(None, 'view', summary='Shipped')",
        SAFERHUB_AUDIT_LOG=str(copy),
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in copy.read_text().splitlines()]
    assert [line["summary"] for line in lines] == ["Shipped"]


def test_a_relative_audit_log_path_is_refused_with_a_hint(tmp_path):
    result = _shell(tmp_path, "pass", SAFERHUB_AUDIT_LOG="audit.jsonl")
    assert result.returncode == 4
    assert "SAFERHUB_AUDIT_LOG is 'audit.jsonl'. Set it to stdout, stderr or an absolute" in (
        result.stderr
    )
