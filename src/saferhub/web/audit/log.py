"""Writing audit entries.

Views call `record` for what a user saw or did; write services call `record_create`,
`record_change` (or the `recording_change` context manager) and `record_delete` for each
write of personal data they make. See docs/developing.md, "Writing a service".
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

from django.db import models, transaction

from saferhub.web.audit.chain import json_safe
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
    if person_id is None and obj is not None:
        person_id = getattr(obj, "audit_person_id", None)
    # The event's own person is found by its person_id, which every search by person reads
    # beside the subjects; a record naming only its own person then writes one row, not two.
    others = [pk for pk in ids if pk != person_id]
    with transaction.atomic():
        event = _write(
            actor,
            action,
            obj,
            person_id=person_id,
            summary=summary,
            detail={**(detail or {}), "person_ids": ids},
        )
        if others:
            AuditSubject.objects.bulk_create(
                AuditSubject(event=event, person_id=pk) for pk in others
            )
    return event


def record_write(
    action: str, obj: models.Model, *, person_id: int | None, detail: dict | None = None
):
    """A write event by the current actor. Services use `record_create`, `record_change`
    and `record_delete` below, which say what the event holds."""
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


# --- Writes of personal data ------------------------------------------------------------
# Each write service records its own events through these helpers (no global signals), so
# a write the service did not make, such as deleting an unrelated model, writes no audit
# rows, and a write that fails rolls its event back with it.


def audited_fields(model: type[models.Model], names: Iterable[str] | None = None) -> list:
    """The fields whose changes a person made: not the key, save times or the version."""
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and not getattr(f, "auto_now", False) and f.name != "version"
    ]
    if names is not None:
        wanted = set(names)
        fields = [f for f in fields if f.name in wanted or f.attname in wanted]
    return fields


def snapshot(obj: models.Model | None, names: Iterable[str] | None = None) -> dict:
    """The audited field values of `obj` as JSON (foreign keys as ids); {} for None."""
    if obj is None:
        return {}
    return {f.name: json_safe(f.value_from_object(obj)) for f in audited_fields(type(obj), names)}


def stored_snapshot(obj: models.Model, names: Iterable[str] | None = None) -> dict:
    """What is saved for `obj` now (not what its instance holds), as `snapshot` gives it."""
    stored = type(obj)._base_manager.filter(pk=obj.pk).first() if obj.pk is not None else None
    return snapshot(stored, names)


def changes_between(before: dict, after: dict) -> dict:
    """{field: [old, new]} for each field whose value differs."""
    return {
        name: [before.get(name), after[name]] for name in after if before.get(name) != after[name]
    }


def _actor(actor_or_request) -> Actor | None:
    if actor_or_request is None or isinstance(actor_or_request, Actor):
        return actor_or_request or current_actor()
    return _actor_from_request(actor_or_request)


def record_create(
    actor_or_request, obj: models.Model, *, summary: str = "", detail: dict | None = None
) -> AuditEvent:
    """A new record of personal data. `actor_or_request` None means the current actor."""
    return _write(
        _actor(actor_or_request), "create", obj, person_id=None, summary=summary, detail=detail
    )


def record_change(
    actor_or_request,
    obj: models.Model,
    before: dict,
    after: dict | None = None,
    *,
    summary: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    """An update: the old and new value of each field that changed, as `{"changes": …}`."""
    after = snapshot(obj, before.keys()) if after is None else after
    return _write(
        _actor(actor_or_request),
        "update",
        obj,
        person_id=None,
        summary=summary,
        detail={**(detail or {}), "changes": changes_between(before, after)},
    )


def record_delete(
    actor_or_request, obj: models.Model, *, summary: str = "", detail: dict | None = None
) -> AuditEvent:
    return _write(
        _actor(actor_or_request), "delete", obj, person_id=None, summary=summary, detail=detail
    )


@contextlib.contextmanager
def recording_change(
    obj: models.Model,
    *,
    actor_or_request=None,
    fields: Iterable[str] | None = None,
    summary: str = "",
    detail: dict | None = None,
) -> Iterator[None]:
    """Snapshot what is saved for `obj`, run the write, then record what changed.

    Runs in a transaction, so a write that fails leaves neither the change nor its event.
    """
    names = list(fields) if fields is not None else None
    with transaction.atomic():
        before = stored_snapshot(obj, names)
        yield
        record_change(
            actor_or_request, obj, before, snapshot(obj, names), summary=summary, detail=detail
        )
