"""Who sees which panel records: programme membership, contact details, duplicate candidates.

Route-level rules (roles and programme) are declared on each view. These helpers add the
object-level checks a view makes on top, so no query can reach cases of a panel whose
programme the user's agency is not a member of.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from saferhub.rules.panels import may_see_contact_details
from saferhub.web.accounts.models import Programme, Role
from saferhub.web.panels.models import Case, Perpetrator
from saferhub.web.people.access import visible_people
from saferhub.web.people.models import Person

PANEL = Programme.DA_MARAC.value
CASE_READERS = (Role.VIEWER, Role.PRACTITIONER, Role.COORDINATOR, Role.ADMINISTRATOR)
WRITERS = (Role.PRACTITIONER, Role.COORDINATOR, Role.ADMINISTRATOR)
COORDINATORS = (Role.COORDINATOR, Role.ADMINISTRATOR)
STATISTICS_READERS = (Role.COORDINATOR, Role.ANALYST, Role.ADMINISTRATOR)
# The overview shows counts only, so analysts may see it: it is their way to the statistics.
OVERVIEW_READERS = (*CASE_READERS, Role.ANALYST)


CLOSED_LONG_AGO = "their case closed too long ago for the panel's agencies to see it"


def in_sight(on: date) -> Q:
    """Cases whose people the panel's agencies still see: open, or closed within the grace."""
    grace = timedelta(days=settings.GRANT_PROGRAMME_GRACE_DAYS)
    return Q(closed_on__isnull=True) | Q(closed_on__gte=on - grace)


def all_panel_cases(user, panel: str = PANEL) -> QuerySet[Case]:
    """Every case of the panel, in sight or not, for counting; none outside the programme."""
    if not user.is_authenticated or not user.in_programme(panel):
        return Case.objects.none()
    return Case.objects.filter(panel=panel)


def panel_cases(user, panel: str = PANEL, on: date | None = None) -> QuerySet[Case]:
    """The panel's cases the user may see: none outside the panel's programme, and a closed
    case only until its closure plus the grace period (administrators see every case)."""
    cases = all_panel_cases(user, panel)
    if user.is_authenticated and user.is_administrator:
        return cases
    return cases.filter(in_sight(on or timezone.localdate()))


def sees_contact_details(user, case: Case) -> bool:
    if user.is_administrator:
        return True
    agency_id = user.agency_id
    return may_see_contact_details(
        role=user.role,
        is_referring_agency=agency_id is not None and agency_id == case.referring_agency_id,
        is_idva_agency=agency_id is not None and agency_id == case.idva_agency_id,
    )


def matchable_people(user, panel: str = PANEL) -> QuerySet[Person]:
    """People a duplicate check may offer: those the user may see, and the people of the
    panel's cases still in sight.

    Offering anyone else would disclose that a record exists to someone with no need to know.
    """
    visible = visible_people(user)
    if not user.in_programme(panel):
        return visible
    cases = panel_cases(user, panel)
    in_panel = Q(pk__in=cases.values("victim_id")) | Q(
        pk__in=Perpetrator.objects.filter(case__in=cases).values("person_id")
    )
    return Person.objects.filter(Q(pk__in=visible.values("pk")) | in_panel).distinct()


def may_update_action(user, action, panel: str = PANEL) -> bool:
    """The owner agency's writers and the panel's coordinators update an action; others only
    read it. `panel` is the panel whose pages show it (each panel has its own members)."""
    if user.role not in WRITERS or not user.in_programme(panel):
        return False
    return user.role in COORDINATORS or action.owner_agency_id == user.agency_id


def with_update_rights(user, actions, panel: str = PANEL) -> list:
    """The actions, each marked `may_update`, so a page links only those the user may open."""
    marked = list(actions)
    for action in marked:
        action.may_update = may_update_action(user, action, panel)
    return marked
