"""The records a user opened lately, from the audit log, kept to those they may still see."""

from __future__ import annotations

from datetime import date

from saferhub.web.audit.models import AuditAction, AuditEvent
from saferhub.web.people.access import visible_people
from saferhub.web.people.models import Person

LOOK_BACK = 200


def recently_viewed(user, on: date, limit: int = 8) -> list[Person]:
    """The user's last views of person records, newest first, one entry per person."""
    ids = (
        AuditEvent.objects.filter(
            user_id=user.pk,
            action=AuditAction.VIEW,
            object_type=Person._meta.label,
            person_id__isnull=False,
        )
        .order_by("-at", "-id")
        .values_list("person_id", flat=True)[:LOOK_BACK]
    )
    ordered = list(dict.fromkeys(ids))
    people = {
        p.pk: p
        for p in visible_people(user, on)
        .filter(pk__in=ordered)
        .only("pk", "first_name", "last_name", "date_of_birth")
    }
    return [people[pk] for pk in ordered if pk in people][:limit]
