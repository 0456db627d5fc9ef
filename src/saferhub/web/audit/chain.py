"""The hash chain that makes the audit log tamper-evident.

Each entry stores the SHA-256 of a canonical JSON of its own fields and the hash of the
entry before it. Changing, removing or inserting an entry anywhere but at the end breaks
the chain from that point on, and `verify` names the first entry where it breaks.

This module is pure (no Django): it hashes and checks plain dictionaries, so the
migration that seals old entries, the model that writes new ones and the verifier all
use one definition. Changing the canonical form would break every existing chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

GENESIS = "0" * 64
# The fields that are hashed, in the order the columns are documented; `id` is not hashed
# because the database assigns it after the hash is made: the chain itself fixes the order.
HASHED_FIELDS = (
    "at",
    "user_id",
    "username",
    "agency",
    "ip_address",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "summary",
    "detail",
)
# Integers beyond this lose precision as JSON numbers in some databases' JSON types.
_EXACT_INT = 2**53


def json_safe(value: object) -> object:
    """Turn a value into plain JSON that reads back from any database exactly as written.

    Dates become ISO strings; decimals, UUIDs and other objects become strings. Whole-number
    floats become integers, because PostgreSQL's jsonb gives `1.0` back as `1`.
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value if abs(value) < _EXACT_INT else str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer():
            return int(value) if abs(value) < _EXACT_INT else repr(value)
        return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [json_safe(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return str(value)


def canonical_time(at: dt.datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("An audit time must carry its time zone.")
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical(fields: Mapping[str, object], prev_hash: str) -> bytes:
    """The exact bytes that are hashed for one entry."""
    content = {name: fields.get(name) for name in HASHED_FIELDS}
    content["at"] = canonical_time(fields["at"])
    content["detail"] = json_safe(content["detail"] or {})
    content["prev_hash"] = prev_hash
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def entry_hash(fields: Mapping[str, object], prev_hash: str) -> str:
    return hashlib.sha256(canonical(fields, prev_hash)).hexdigest()


@dataclass(frozen=True)
class Break:
    event_id: int
    at: dt.datetime
    reason: str


@dataclass(frozen=True)
class Verdict:
    checked: int
    broken: Break | None
    # The previous hash the first surviving entry names, when earlier entries were removed
    # by a retention purge; None when the log starts at the beginning.
    starts_after: str | None
    last_hash: str | None
    # Whether an entry with the hash a reader noted earlier is still in the chain.
    anchor_found: bool | None = None

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify(entries: Iterable[Mapping[str, object]], anchor: str | None = None) -> Verdict:
    """Check entries in id order; stop at the first one that does not fit the chain.

    `anchor` is a hash noted from an earlier run or the off-box copy: a log rewritten from
    the start can be a consistent chain, but it no longer passes through that hash.
    """
    found = None if anchor is None else False
    previous: str | None = None
    starts_after = None
    checked = 0
    for entry in entries:
        if previous is None:
            if entry["prev_hash"] != GENESIS:
                starts_after = str(entry["prev_hash"])
        elif entry["prev_hash"] != previous:
            return Verdict(
                checked,
                Break(
                    entry["id"],
                    entry["at"],
                    "it does not follow the entry before it: an entry was removed or inserted here",
                ),
                starts_after,
                previous,
                found,
            )
        if entry_hash(entry, str(entry["prev_hash"])) != entry["hash"]:
            return Verdict(
                checked,
                Break(
                    entry["id"], entry["at"], "its contents do not match its hash: it was changed"
                ),
                starts_after,
                previous,
                found,
            )
        previous = str(entry["hash"])
        if previous == anchor:
            found = True
        checked += 1
    return Verdict(checked, None, starts_after, previous, found)
