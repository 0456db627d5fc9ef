"""Who sees which ASB cases, and the sight of their people that working a case gives.

Route-level rules (roles and the ASB programme) are declared on each view. On top, a user
sees a case only while their agency works it, and only until its closure plus the grace
period (administrators see every case). Each agency working a case gets an involvement
with each of its people, which ends with the case plus the grace, as for panels.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from saferhub.rules.need_to_know import programme_sight_ends
from saferhub.web.accounts.models import Programme, Role
from saferhub.web.asb.models import AsbCase, CaseAgency, CaseStatus, Complainant, Respondent
from saferhub.web.people.models import Involvement

PROGRAMME = Programme.ASB.value
CASE_READERS = (Role.VIEWER, Role.PRACTITIONER, Role.COORDINATOR, Role.ADMINISTRATOR)
WRITERS = (Role.PRACTITIONER, Role.COORDINATOR, Role.ADMINISTRATOR)
COORDINATORS = (Role.COORDINATOR, Role.ADMINISTRATOR)
STATISTICS_READERS = (Role.COORDINATOR, Role.ANALYST, Role.ADMINISTRATOR)
OVERVIEW_READERS = (*CASE_READERS, Role.ANALYST)
# The involvement that working an ASB case gives an agency with each of the case's people.
SIGHT_REASON = "Working an ASB case"
NOT_WORKING = "your agency is not working them, or they closed too long ago"


def in_sight(on: date) -> Q:
    grace = timedelta(days=settings.GRANT_PROGRAMME_GRACE_DAYS)
    return Q(closed_on__isnull=True) | Q(closed_on__gte=on - grace)


def all_cases(user) -> QuerySet[AsbCase]:
    """Every case, in sight or not, for counting; none outside the programme."""
    if not user.is_authenticated or not user.in_programme(PROGRAMME):
        return AsbCase.objects.none()
    return AsbCase.objects.all()


def visible_cases(user, on: date | None = None) -> QuerySet[AsbCase]:
    """The cases the user may see: their agency works it, and it is open or recently closed."""
    cases = all_cases(user)
    if user.is_authenticated and user.is_administrator:
        return cases
    if user.agency_id is None:
        return AsbCase.objects.none()
    working = CaseAgency.objects.filter(case=OuterRef("pk"), agency_id=user.agency_id)
    return cases.filter(Exists(working)).filter(in_sight(on or timezone.localdate()))


def hidden_count(user, cases: QuerySet[AsbCase], on: date | None = None) -> int:
    """How many of `cases` the user may not see."""
    if user.is_administrator:
        return 0
    if user.agency_id is None:
        return cases.count()
    # Counted from the agency's links (one per case it works), which PostgreSQL answers with
    # one hash join; a filtered count over every case would probe the links case by case.
    seen = CaseAgency.objects.filter(
        agency_id=user.agency_id, case__in=cases.filter(in_sight(on or timezone.localdate()))
    )
    return cases.count() - seen.count()


def people_of(case: AsbCase) -> list[int]:
    complainants = Complainant.objects.filter(case=case, person__isnull=False)
    return sorted(
        {
            *complainants.values_list("person_id", flat=True),
            *Respondent.objects.filter(case=case).values_list("person_id", flat=True),
        }
    )


def give_sight(case: AsbCase, person_ids: list[int], agency_ids: list[int], on: date) -> None:
    """Each agency working the case sees each of its people, from today until the case ends."""
    existing = set(
        Involvement.objects.filter(
            person_id__in=person_ids,
            agency_id__in=agency_ids,
            reason=SIGHT_REASON,
            end__isnull=True,
        ).values_list("person_id", "agency_id")
    )
    for person_id in person_ids:
        for agency_id in agency_ids:
            if (person_id, agency_id) not in existing:
                Involvement.objects.create(
                    person_id=person_id, agency_id=agency_id, reason=SIGHT_REASON, start=on
                )


def end_sight(case: AsbCase) -> None:
    """The case's involvements end with it plus the grace, unless another open ASB case of the
    same agency holds the same person (that case's closure ends them then)."""
    last_day = programme_sight_ends(case.closed_on, settings.GRANT_PROGRAMME_GRACE_DAYS)
    agencies = list(case.agencies.values_list("agency_id", flat=True))
    for person_id in people_of(case):
        open_cases = AsbCase.objects.filter(status=CaseStatus.OPEN).filter(
            Q(complainants__person_id=person_id) | Q(respondents__person_id=person_id)
        )
        for involvement in Involvement.objects.filter(
            person_id=person_id, agency_id__in=agencies, reason=SIGHT_REASON, end__isnull=True
        ):
            if open_cases.filter(agencies__agency_id=involvement.agency_id).exists():
                continue
            involvement.end = last_day
            involvement.save(update_fields=["end"])
