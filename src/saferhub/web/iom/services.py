"""What the IOM pages do to the database. Views stay thin: they validate a form, call one
function here, and show the result. Each write function takes keyword arguments, runs in
one transaction and records its own audit events (`saferhub.web.audit.log`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from saferhub.errors import SaferHubError
from saferhub.rules.iom_tiers import Compliance, ContactPlan, compliance, tier_spans
from saferhub.rules.need_to_know import programme_sight_ends
from saferhub.web.accounts.models import Agency, Programme, Role
from saferhub.web.audit.log import record_change, record_create, snapshot
from saferhub.web.iom.models import (
    Contact,
    IomSettings,
    Membership,
    PathwayReferral,
    Selection,
    SelectionDecision,
    TierRecord,
)
from saferhub.web.people.access import visible_people
from saferhub.web.people.models import IdentifierKind, Involvement, Person
from saferhub.web.versioning import compare_and_swap

IOM = Programme.IOM.value
READERS = (Role.VIEWER, Role.PRACTITIONER, Role.COORDINATOR, Role.ADMINISTRATOR)
WRITERS = (Role.PRACTITIONER, Role.COORDINATOR, Role.ADMINISTRATOR)
COORDINATORS = (Role.COORDINATOR, Role.ADMINISTRATOR)
ANALYSTS = (Role.COORDINATOR, Role.ANALYST, Role.ADMINISTRATOR)
BOARD_READERS = (Role.VIEWER, Role.PRACTITIONER, Role.COORDINATOR, Role.ANALYST, Role.ADMINISTRATOR)
INVOLVEMENT_REASON = "IOM cohort member"
COMPLIANCE_DAYS = 28


def pnc_of(person: Person) -> str | None:
    identifier = person.identifiers.filter(kind=IdentifierKind.PNC).first()
    return identifier.value if identifier else None


def find_visible_by_pnc(user, pnc_id: str) -> Person | None:
    return (
        visible_people(user)
        .filter(identifiers__kind=IdentifierKind.PNC, identifiers__value=pnc_id)
        .first()
    )


def iom_agencies() -> list[Agency]:
    return [agency for agency in Agency.objects.all() if agency.in_programme(IOM)]


def cohort_memberships(user) -> QuerySet[Membership]:
    """Spells on the programme of people this user may see."""
    return Membership.objects.filter(person__in=visible_people(user)).select_related("person")


@transaction.atomic
def add_member(
    *,
    person: Person,
    pnc_id: str,
    join_date: date,
    by_judgement: bool,
    join_reason: str,
    management: str,
    lead_practitioner: str,
    police_officer: str,
    tier: str,
    user,
) -> Membership:
    membership = Membership.objects.create(
        person=person,
        pnc_id=pnc_id,
        join_date=join_date,
        selection=Selection.JUDGEMENT if by_judgement else Selection.MATRIX,
        join_reason=join_reason,
        management=management,
        lead_practitioner=lead_practitioner,
        police_officer=police_officer,
        created_by=user,
    )
    record_create(None, membership)
    record_create(
        None,
        TierRecord.objects.create(
            membership=membership,
            tier=tier,
            from_date=join_date,
            reason=f"Joined: {join_reason}",
            recorded_by=user,
        ),
    )
    record_create(
        None,
        SelectionDecision.objects.create(
            person=person,
            decision="add",
            reason=("Professional judgement: " if by_judgement else "Selection matrix: ")
            + join_reason,
            decided_on=join_date,
            decided_by=user,
            membership=membership,
        ),
    )
    # The IOM agencies work with the member, so need-to-know lets them see the record.
    for agency in iom_agencies():
        record_create(
            None,
            Involvement.objects.create(
                person=person, agency=agency, reason=INVOLVEMENT_REASON, start=join_date
            ),
        )
    return membership


class AlreadyDone(SaferHubError):
    """A state change asked for twice: the second records nothing."""


@transaction.atomic
def leave(*, membership: Membership, version: int, leave_date: date, reason: str, user) -> None:
    """Take the member off the programme, once: a second or stale leave records nothing."""
    if membership.leave_date is not None:
        raise AlreadyDone(
            f"{membership.person} already left the programme on "
            f"{membership.leave_date:%d %B %Y}; nothing more was recorded."
        )
    # The swap comes first: when it is refused, no decision is recorded.
    compare_and_swap(membership, version=version, leave_date=leave_date, leave_reason=reason)
    decision = SelectionDecision.objects.create(
        person=membership.person,
        decision="remove",
        reason=reason,
        decided_on=leave_date,
        decided_by=user,
        membership=membership,
    )
    record_create(None, decision)
    # The IOM agencies keep sight for a grace period after the spell, to close their work.
    last_day = programme_sight_ends(leave_date, settings.GRANT_PROGRAMME_GRACE_DAYS)
    for involvement in Involvement.objects.filter(
        person=membership.person, reason=INVOLVEMENT_REASON, end__isnull=True
    ):
        before = snapshot(involvement, ["end"])
        involvement.end = last_day
        involvement.save(update_fields=["end"])
        record_change(None, involvement, before)


@transaction.atomic
def change_tier(
    *, membership: Membership, version: int, tier: str, from_date: date, reason: str, user
) -> TierRecord:
    """Record a tier change against the spell as the user saw it.

    The tier is part of the spell's state, so the change takes the spell's version: two
    people changing the tier from the same page cannot both succeed unseen.
    """
    compare_and_swap(membership, version=version, audit={"tier": tier})
    made = TierRecord.objects.create(
        membership=membership, tier=tier, from_date=from_date, reason=reason, recorded_by=user
    )
    record_create(None, made)
    return made


@transaction.atomic
def log_contact(
    *,
    membership: Membership,
    contact_date: date,
    outcome: str,
    method: str,
    notes: str,
    user,
) -> Contact:
    contact = Contact.objects.create(
        membership=membership,
        contact_date=contact_date,
        outcome=outcome,
        method=method,
        notes=notes,
        agency=user.agency,
        recorded_by=user,
    )
    record_create(None, contact)
    return contact


@transaction.atomic
def refer(
    *, membership: Membership, pathway: str, provider: str, referral_date: date, notes: str
) -> PathwayReferral:
    referral = PathwayReferral.objects.create(
        membership=membership,
        pathway=pathway,
        provider=provider,
        referral_date=referral_date,
        notes=notes,
    )
    record_create(None, referral)
    return referral


@transaction.atomic
def record_outcome(
    *, referral: PathwayReferral, version: int, outcome: str, outcome_date: date, notes: str
) -> PathwayReferral:
    changes: dict = {"outcome": outcome, "outcome_date": outcome_date}
    if notes:
        changes["notes"] = notes
    return compare_and_swap(referral, version=version, **changes)


@transaction.atomic
def save_settings(
    *, current: IomSettings, version: int, contact_plan: dict, offence_free_months: int
) -> IomSettings:
    return compare_and_swap(
        current,
        version=version,
        contact_plan=contact_plan,
        offence_free_months=offence_free_months,
    )


@dataclass(frozen=True)
class Week:
    first: date
    last: date
    result: Compliance


def member_compliance(
    membership: Membership, first: date, last: date, plan: ContactPlan
) -> Compliance:
    """Contacts logged from `first` to `last` against the plan for the tiers the member was in."""
    first = max(first, membership.join_date)
    if membership.leave_date is not None:
        last = min(last, membership.leave_date)
    spans = tier_spans(membership.history(), first, last) if first <= last else []
    outcomes = [c.outcome for c in membership.contacts.all() if first <= c.contact_date <= last]
    return compliance(spans, plan, outcomes)


def weekly_compliance(
    membership: Membership, last: date, plan: ContactPlan, weeks: int = 4
) -> list[Week]:
    result = []
    for k in range(weeks - 1, -1, -1):
        week_last = last - timedelta(days=7 * k)
        week_first = week_last - timedelta(days=6)
        result.append(
            Week(week_first, week_last, member_compliance(membership, week_first, week_last, plan))
        )
    return result


@dataclass(frozen=True)
class CohortRow:
    membership: Membership
    tier: str | None
    compliance: Compliance


def on_programme(day: date) -> Q:
    return Q(join_date__lte=day) & (Q(leave_date__isnull=True) | Q(leave_date__gte=day))


def hidden_member_count(user, day: date) -> int:
    """Members on the programme on `day` whom the user may not see: counted, never named."""
    everyone = Membership.objects.filter(on_programme(day)).values("person_id").distinct()
    seen = cohort_memberships(user).filter(on_programme(day)).values("person_id").distinct()
    return everyone.count() - seen.count()


def cohort_rows(user, day: date, plan: ContactPlan, tier: str | None = None) -> list[CohortRow]:
    """Members on the programme on `day` whom the user may see, with tier and compliance."""
    current = (
        cohort_memberships(user)
        .filter(on_programme(day))
        .prefetch_related("tier_changes", "contacts")
        .order_by("person__last_name", "person__first_name")
    )
    first = day - timedelta(days=COMPLIANCE_DAYS - 1)
    rows = []
    for membership in current:
        member_tier = membership.tier_on(day)
        if tier and member_tier != tier:
            continue
        rows.append(
            CohortRow(membership, member_tier, member_compliance(membership, first, day, plan))
        )
    return rows
