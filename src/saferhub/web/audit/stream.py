"""An off-box copy of the audit log: each committed entry as one JSON line.

Entries go to the `saferhub.audit` logger, which settings connect to standard output, standard
error or a file when SAFERHUB_AUDIT_LOG is set (docs/deployment.md), so a log shipper or
SIEM can keep a copy the database's owner cannot rewrite. Each line carries the entry's hash
and the previous hash, so the copy also anchors the chain: a rewritten database no longer
matches it.
"""

from __future__ import annotations

import json
import logging

from saferhub.web.audit.chain import HASHED_FIELDS, json_safe

logger = logging.getLogger("saferhub.audit")

# The copy carries what is hashed plus the database id and the links, so it can be checked.
FIELDS = ("id", *HASHED_FIELDS, "prev_hash", "hash")


def as_dict(event) -> dict:
    return {name: json_safe(getattr(event, name)) for name in FIELDS}


def publish(event) -> None:
    """Called once the entry is committed, so a rolled-back entry is never shipped."""
    if logger.isEnabledFor(logging.INFO):
        logger.info("audit entry %s", event.pk, extra={"audit_entry": as_dict(event)})


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line: the audit entry's fields, or the message for other records."""

    def format(self, record: logging.LogRecord) -> str:
        entry = getattr(record, "audit_entry", None)
        if entry is None:
            entry = {
                "logger": record.name,
                "level": record.levelname,
                "message": record.getMessage(),
            }
        return json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
