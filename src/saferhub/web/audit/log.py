"""Writing audit entries. Views call `record`; model signals call `record_write`."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models, transaction

from saferhub.web.audit.context import Actor, client_ip, current_actor
from saferhub.web.audit.models import AuditAction, AuditEvent, AuditSubject


def _actor_from_request(request) -> Actor:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Actor(user.pk, user.username, str(user.agency or ""), client_ip(request))
    return Actor(None, "anonymous", "", client_ip(request))


def record(
    request,
    action: str,
    obj: models.Model | None = None,
    *,
    person_id: int | None = None,
    summary: str = "",
    detail: dict | None = None,
    person_ids: Iterable[int] | None = None,
) -> AuditEvent:
    """Record what the signed-in user did in this request.

    `person_ids` names every person a page or export showed (a listing), so a search of
    the audit by person finds the listing too.
    """
    actor = _actor_from_request(request) if request is not None else current_actor()
    if person_ids is None:
        return _write(actor, action, obj, person_id=person_id, summary=summary, detail=detail)
    ids = sorted({int(pk) for pk in person_ids})
    with transaction.atomic():
        event = _write(
            actor,
            action,
            obj,
            person_id=person_id,
            summary=summary,
            detail={**(detail or {}), "person_ids": ids},
        )
        AuditSubject.objects.bulk_create(AuditSubject(event=event, person_id=pk) for pk in ids)
    return event


def record_write(
    action: str, obj: models.Model, *, person_id: int | None, detail: dict | None = None
):
    return _write(current_actor(), action, obj, person_id=person_id, detail=detail)


def _write(actor, action, obj, *, person_id, summary="", detail=None) -> AuditEvent:
    actor = actor or Actor(None, "system", "", None)
    if obj is not None and person_id is None:
        person_id = getattr(obj, "audit_person_id", None)
    event = AuditEvent.objects.create(
        user_id=actor.user_id,
        username=actor.label,
        agency=actor.agency,
        ip_address=actor.ip,
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        person_id=person_id,
        summary=(summary or (str(obj) if obj is not None else ""))[:300],
        detail=detail or {},
    )
    if action == AuditAction.DENIED:
        from saferhub.web.audit.alerts import check_refusals

        check_refusals(event)
    return event
