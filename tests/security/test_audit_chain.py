"""Finding: the log kept no proof of its own integrity; a change behind the app left no trace.

Each entry now carries a SHA-256 hash over its fields, its detail and the previous entry's
hash. `saferhub audit verify` names the first entry that was changed, removed or inserted.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from typer.testing import CliRunner

from saferhub.commands import app
from saferhub.web.audit.chain import GENESIS, entry_hash
from saferhub.web.audit.log import record
from saferhub.web.audit.models import AuditEvent
from saferhub.web.audit.verification import verify_log
from tests.security.audit_helpers import as_database_owner

# Tampering happens in another session (as the owner), so the entries must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def entries() -> list[AuditEvent]:
    # Values a database might give back in another form: an IPv6 address, a whole float, a date.
    first = AuditEvent.objects.create(
        username="zoë", action="view", ip_address="2001:DB8::1", detail={"on": date(2024, 2, 29)}
    )
    return [first] + [
        record(None, "view", person_id=7, summary=f"Viewed record {n}", detail={"n": n, "x": 1.0})
        for n in range(4)
    ]


def test_each_entry_is_chained_to_the_one_before(entries):
    assert entries[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.hash
    stored = AuditEvent.objects.values().get(pk=entries[2].pk)
    assert stored["hash"] == entry_hash(stored, stored["prev_hash"])
    assert len({e.hash for e in entries}) == 5


def test_an_untouched_log_verifies_as_intact(entries):
    verdict = verify_log()
    assert verdict.intact and verdict.checked == 5 and verdict.last_hash == entries[-1].hash


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE audit_auditevent SET summary = 'Nothing to see' WHERE id = %s",
        'UPDATE audit_auditevent SET detail = \'{"n": 99, "x": 1}\' WHERE id = %s',
        "UPDATE audit_auditevent SET person_id = 8 WHERE id = %s",
    ],
    ids=["summary", "detail", "person"],
)
def test_a_changed_entry_is_named(entries, change):
    as_database_owner(change, [entries[2].pk])
    verdict = verify_log()
    assert verdict.broken.event_id == entries[2].pk
    assert "changed" in verdict.broken.reason
    assert verdict.checked == 2


def test_a_removed_entry_breaks_the_chain_at_the_next(entries):
    as_database_owner("DELETE FROM audit_auditevent WHERE id = %s", [entries[1].pk])
    verdict = verify_log()
    assert verdict.broken.event_id == entries[2].pk
    assert "removed or inserted" in verdict.broken.reason


def test_the_cli_reports_intact_with_exit_code_0(entries):
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "intact: 5 entries checked" in result.output
    assert entries[-1].hash in result.output


def test_the_cli_names_the_first_break_with_exit_code_6(entries, capsys):
    from saferhub.commands import main

    as_database_owner("UPDATE audit_auditevent SET username = 'x' WHERE id = %s", [entries[3].pk])
    with pytest.raises(SystemExit) as exited:
        main(["audit", "verify"])
    assert exited.value.code == 6
    assert f"broken at entry {entries[3].pk}" in capsys.readouterr().err


def test_a_log_rewritten_from_the_start_no_longer_holds_a_noted_hash(entries, capsys):
    """A consistent forgery from scratch passes the links; the noted hash exposes it."""
    from saferhub.commands import main
    from saferhub.web.audit.chain import HASHED_FIELDS

    noted = entries[2].hash
    rows = list(AuditEvent.objects.order_by("id").values("id", *HASHED_FIELDS))
    previous = GENESIS
    for row in rows:  # re-seal every entry, with one changed, as the owner could
        if row["id"] == entries[1].pk:
            row["summary"] = "Nothing to see"
        digest = entry_hash(row, previous)
        as_database_owner(
            "UPDATE audit_auditevent SET summary = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [row["summary"], previous, digest, row["id"]],
        )
        previous = digest
    assert verify_log().intact
    with pytest.raises(SystemExit) as exited:
        main(["audit", "verify", "--anchor", noted])
    assert exited.value.code == 6
    assert f"No entry in the audit log has the hash {noted}" in capsys.readouterr().err


def test_a_noted_hash_still_in_the_log_passes(entries):
    result = CliRunner().invoke(app, ["audit", "verify", "--anchor", entries[2].hash.upper()])
    assert result.exit_code == 0, result.output


def test_a_bulk_insert_is_dated_and_chained_entry_by_entry():
    made = AuditEvent.objects.bulk_create(
        [AuditEvent(username="loader", action="import", summary=f"Batch {n}") for n in range(3)]
    )
    assert [e.prev_hash for e in made[1:]] == [e.hash for e in made[:-1]]
    assert verify_log().intact
