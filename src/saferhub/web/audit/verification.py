"""Checking the whole audit log's hash chain: the service behind `saferhub audit verify`."""

from __future__ import annotations

from saferhub.web.audit.chain import HASHED_FIELDS, Verdict, verify
from saferhub.web.audit.models import AuditEvent


def verify_log(using: str = "default", anchor: str | None = None) -> Verdict:
    """Read every entry in id order, a chunk at a time, and check each link."""
    rows = (
        AuditEvent.objects.using(using)
        .order_by("id")
        .values("id", "prev_hash", "hash", *HASHED_FIELDS)
        .iterator(chunk_size=5000)
    )
    return verify(rows, anchor)
