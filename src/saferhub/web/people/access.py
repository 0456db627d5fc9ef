"""Need-to-know in the database: the query form of `rules.need_to_know.may_see`."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from saferhub.rules.need_to_know import Span, may_see
from saferhub.web.people.models import Involvement, InvolvementStatus, Person, Share


def today() -> date:
    return timezone.localdate()


def visible_people(user, on: date | None = None) -> QuerySet[Person]:
    """The people this user may see today."""
    on = on or today()
    if not user.is_authenticated:
        return Person.objects.none()
    if user.is_administrator:
        return Person.objects.all()
    if user.agency_id is None:
        return Person.objects.none()
    current = Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on))
    involved = Involvement.objects.filter(
        current,
        person=OuterRef("pk"),
        agency_id=user.agency_id,
        status=InvolvementStatus.APPROVED,
    )
    shared = Share.objects.filter(current, person=OuterRef("pk"), agency_id=user.agency_id)
    return Person.objects.filter(Exists(involved) | Exists(shared))


def can_see(user, person: Person, on: date | None = None) -> bool:
    on = on or today()
    if not user.is_authenticated:
        return False
    return may_see(
        is_administrator=user.is_administrator,
        agency_id=user.agency_id,
        involvements=[
            Span(i.agency_id, i.start, i.end, approved=i.approved)
            for i in person.involvements.all()
        ],
        shares=[Span(s.agency_id, s.start, s.end) for s in person.shares.all()],
        today=on,
    )
