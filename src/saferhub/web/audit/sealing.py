"""Appending an entry to the chain: one writer at a time, dated by the database.

The chain lock is held until the surrounding transaction commits, so the next writer
reads a latest entry that is already committed and cannot fork the chain. On PostgreSQL
the lock is a transaction-level advisory lock (it needs no privilege on the table, so the
app role can take it while holding only INSERT and SELECT); on SQLite the database's own
write lock does the same, because SaferHub opens every transaction with BEGIN IMMEDIATE.
"""

from __future__ import annotations

import datetime as dt

from django.db import connections
from django.utils import timezone

from saferhub.web.audit.chain import GENESIS, HASHED_FIELDS, entry_hash, json_safe

# Any fixed number shared by the app and the insert trigger (migration 0004).
CHAIN_LOCK_KEY = 7_245_330_104


def _lock_clock_and_latest(model, using: str) -> tuple[dt.datetime, dict | None]:
    """Take the chain lock; the time now and the latest entry's hash and time (None if none)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            # Two statements in one round trip, as every page view writes an entry. Each
            # statement sees what committed before it began, and the second begins only once
            # the first holds the lock: the clock and the latest entry are read with the lock
            # ours, so a wait cannot date the entry early or miss an entry written meanwhile.
            # Both names are the app's own (the key a constant, the table the model's,
            # quoted): nothing from outside reaches the SQL.
            cursor.execute(
                f"SELECT pg_advisory_xact_lock({int(CHAIN_LOCK_KEY)}); "  # noqa: S608
                "SELECT clock_timestamp(), latest.hash, latest.at FROM (SELECT 1) AS one "
                f"LEFT JOIN LATERAL (SELECT hash, at FROM {table} ORDER BY id DESC LIMIT 1) "
                "AS latest ON true"
            )
            cursor.nextset()
            now, latest_hash, latest_at = cursor.fetchone()
        latest = None if latest_hash is None else {"hash": latest_hash, "at": latest_at}
        return now, latest
    # SQLite runs in this process, so its clock is ours; its write lock is already held.
    latest = model._base_manager.using(using).order_by("-id").values("hash", "at").first()
    return timezone.now(), latest


def seal(event, using: str) -> None:
    """Date the unsaved `event` and link it to the latest entry. Call inside a transaction."""
    now, latest = _lock_clock_and_latest(type(event), using)
    prev_hash = latest["hash"] if latest else GENESIS
    # A clock stepped backwards must not date an entry before the one it follows.
    event.at = max(now, latest["at"]) if latest else now
    event.detail = json_safe(event.detail or {})
    ip_field = type(event)._meta.get_field("ip_address")
    event.ip_address = ip_field.get_prep_value(event.ip_address) or None
    event.prev_hash = prev_hash
    event.hash = entry_hash({name: getattr(event, name) for name in HASHED_FIELDS}, prev_hash)
