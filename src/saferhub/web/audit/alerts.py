"""Alerts on many refusals by one user in a short time: someone probing for records.

When a user's refused requests within the window reach the threshold (settings
AUDIT_ALERT_REFUSALS and AUDIT_ALERT_MINUTES), an `alert` entry is written to the audit
log, which administrators see at the top of the audit page, and a WARNING goes to the
`saferhub.security` logger for a SIEM to collect. One alert per user per window.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction

from saferhub.web.audit.models import AuditAction, AuditEvent

logger = logging.getLogger("saferhub.security")


def _same_user(event: AuditEvent) -> dict:
    if event.user_id is not None:
        return {"user_id": event.user_id}
    return {"user_id": None, "username": event.username, "ip_address": event.ip_address}


def check_refusals(event: AuditEvent) -> AuditEvent | None:
    """Called after each refusal is recorded; returns the alert entry when one is raised."""
    threshold = settings.AUDIT_ALERT_REFUSALS
    minutes = settings.AUDIT_ALERT_MINUTES
    since = event.at - dt.timedelta(minutes=minutes)
    mine = AuditEvent.objects.filter(at__gt=since, **_same_user(event))
    if mine.filter(action=AuditAction.ALERT).exists():
        return None
    refusals = mine.filter(action=AuditAction.DENIED).count()
    if refusals < threshold:
        return None
    message = (
        f"{refusals} refused requests by {event.username} in {minutes} minutes "
        f"(last from {event.ip_address or 'an unknown address'})"
    )
    alert = AuditEvent.objects.create(
        user_id=event.user_id,
        username=event.username,
        agency=event.agency,
        ip_address=event.ip_address,
        action=AuditAction.ALERT,
        summary=message[:300],
        detail={"refusals": refusals, "minutes": minutes, "threshold": threshold},
    )
    transaction.on_commit(
        lambda: logger.warning(
            "Security alert: %s. Audit entry %s.",
            message,
            alert.pk,
            extra={"audit_alert": alert.pk, "username": event.username},
        )
    )
    return alert


def recent_alerts(days: int = 7):
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    return AuditEvent.objects.filter(action=AuditAction.ALERT, at__gte=since)
