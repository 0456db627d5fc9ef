"""Who sees which serious violence incidents: need-to-know, as for panel cases.

An incident names a young person, so a member of the SIRM programme sees it while its case
is in sight on a panel the user's agency belongs to (open, or closed within the grace), or
while the user may see the person anyway (their agency is involved). Others are counted,
never named.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from saferhub.web.panels.models import Incident
from saferhub.web.panels.privacy import panel_cases
from saferhub.web.people.access import visible_people

SIRM = "sirm"


def all_incidents(user) -> QuerySet[Incident]:
    if not user.is_authenticated or not user.in_programme(SIRM):
        return Incident.objects.none()
    return Incident.objects.all()


def visible_incidents(user, on: date | None = None) -> QuerySet[Incident]:
    incidents = all_incidents(user)
    if user.is_authenticated and user.is_administrator:
        return incidents
    in_sight = Q(case__in=panel_cases(user, SIRM, on)) | Q(
        case__in=panel_cases(user, "adults_at_risk", on)
    )
    return incidents.filter(in_sight | Q(person__in=visible_people(user, on)))
