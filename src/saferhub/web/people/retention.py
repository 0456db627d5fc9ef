"""Retention: removing records once their retention period has passed.

Each record type has a period counted from an event (a case's closure, leaving IOM, the
end of an involvement). The defaults below are a starting point for the partnership to
set in its retention schedule (`RETENTION_PERIODS` in the settings overrides any of them);
docs/retention.md explains them. Nothing about a person on legal hold is removed, and the
audit log is never removed here.

A removal records one audit entry naming only the record's type and number (and those of
the rows removed with it), never its content: the audit shows that something was removed
and when, without keeping what retention exists to forget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import models, router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone

from saferhub.errors import SaferHubError
from saferhub.web.audit.log import record, record_create
from saferhub.web.people.linkage_models import LegalHold, PersonMerge
from saferhub.web.people.merge import person_links
from saferhub.web.people.models import Flag, Involvement, Person, Share
from saferhub.web.versioning import compare_and_swap

# Years after the event named in `Rule.counted_from`.
DEFAULT_PERIODS: dict[str, int] = {
    "marac_case": 6,
    "iom_membership": 6,
    "flag": 6,
    "involvement": 1,
    "share": 1,
    "person_merge": 6,
    "person": 6,
}


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    counted_from: str
    expired: Callable[[date], models.QuerySet]
    people_of: Callable[[models.Model], list[int]]


@dataclass
class Expired:
    rule: Rule
    record: models.Model
    person_ids: list[int]
    # Kept apart from `record.pk`, which Django clears once the row is removed.
    record_id: int = field(init=False)

    def __post_init__(self) -> None:
        self.record_id = self.record.pk

    @property
    def label(self) -> str:
        return self.record._meta.label


def periods() -> dict[str, int]:
    return {**DEFAULT_PERIODS, **getattr(settings, "RETENTION_PERIODS", {})}


def _years_before(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _rules() -> list[Rule]:
    from saferhub.web.iom.models import Membership
    from saferhub.web.panels.models import Case, Perpetrator

    def cutoff(key: str, today: date) -> date:
        return _years_before(today, periods()[key])

    def case_people(case) -> list[int]:
        return [
            case.victim_id,
            *Perpetrator.objects.filter(case=case).values_list("person_id", flat=True),
        ]

    return [
        Rule(
            "marac_case", "MARAC case", "closure",
            lambda t: Case.objects.filter(
                closed_on__isnull=False, closed_on__lt=cutoff("marac_case", t)
            ),
            case_people,
        ),
        Rule(
            "iom_membership", "IOM spell", "leaving IOM",
            lambda t: Membership.objects.filter(
                leave_date__isnull=False, leave_date__lt=cutoff("iom_membership", t)
            ),
            lambda m: [m.person_id],
        ),
        Rule(
            "flag", "Flag", "its end",
            lambda t: Flag.objects.filter(end__isnull=False, end__lt=cutoff("flag", t)),
            lambda f: [f.person_id],
        ),
        Rule(
            "involvement", "Involvement", "its end",
            lambda t: Involvement.objects.filter(
                end__isnull=False, end__lt=cutoff("involvement", t)
            ),
            lambda i: [i.person_id],
        ),
        Rule(
            "share", "Share", "its end",
            lambda t: Share.objects.filter(end__lt=cutoff("share", t)),
            lambda s: [s.person_id],
        ),
        Rule(
            "person_merge", "Record of a merge", "the merge",
            lambda t: PersonMerge.objects.filter(
                merged_at__date__lt=cutoff("person_merge", t)
            ),
            lambda m: [m.kept_id, m.merged_id],
        ),
    ]  # fmt: skip


def _held() -> set[int]:
    return set(LegalHold.objects.filter(lifted_at__isnull=True).values_list("person_id", flat=True))


# Rows that go with the person's own record, so do not keep it alive on their own.
_PART_OF_PERSON = {"people.Alias", "people.Identifier", "people.LegalHold"}


def _empty_people(today: date, removed: set[tuple[str, int]]) -> list[Person]:
    """People last changed before the period, with nothing else held about them.

    Rows that this run removes anyway (`removed`) do not count as held. One query per
    kind of record, whatever the number of people.
    """
    referenced: set[int] = set()
    for link in person_links():
        label = link.model._meta.label
        if label in _PART_OF_PERSON:
            continue
        rows = link.model._base_manager.filter(**{f"{link.attname}__isnull": False})
        for person_id, pk in rows.values_list(link.attname, "pk").iterator():
            if (label, pk) not in removed:
                referenced.add(person_id)
    old = Person.objects.filter(updated_at__date__lt=_years_before(today, periods()["person"]))
    return [p for p in old.order_by("pk").iterator() if p.pk not in referenced]


PERSON_RULE = Rule(
    "person",
    "Person with nothing else held",
    "the last change to their record",
    lambda today: Person.objects.none(),  # found by `_empty_people`, after the other rules
    lambda p: [p.pk],
)


def expired(today: date) -> tuple[list[Expired], list[Expired]]:
    """(what may be removed, what is kept only because of a legal hold), as of `today`."""
    held = _held()
    removable: list[Expired] = []
    on_hold: list[Expired] = []
    for rule in _rules():
        for row in rule.expired(today).order_by("pk"):
            people = [pk for pk in rule.people_of(row) if pk is not None]
            item = Expired(rule, row, people)
            (on_hold if held & set(people) else removable).append(item)
    removed = {(e.record._meta.label, e.record.pk) for e in removable}
    removed |= {(child._meta.label, child.pk) for e in removable for child in _collected(e.record)}
    for person in _empty_people(today, removed):
        item = Expired(PERSON_RULE, person, [person.pk])
        (on_hold if person.pk in held else removable).append(item)
    return removable, on_hold


def _collected(row: models.Model) -> list[models.Model]:
    collector = Collector(using=router.db_for_write(type(row)))
    collector.collect([row])
    found = [obj for instances in collector.data.values() for obj in instances]
    for qs in collector.fast_deletes:
        found.extend(qs)
    return found


def apply(today: date, request=None) -> tuple[list[Expired], list[Expired]]:
    """Remove everything expired, in one transaction, with one audit entry per removal."""
    removable, on_hold = expired(today)
    # One entry per removal with types and numbers only: no name or content is kept.
    with transaction.atomic():
        for item in removable:
            rows = _collected(item.record)
            removed = sorted({(r._meta.label, r.pk) for r in rows}, key=str)
            label, pk = item.label, item.record_id
            item.record.delete()
            record(
                request,
                "delete",
                person_id=item.person_ids[0] if item.person_ids else None,
                summary=f"Removed under the retention schedule: {label} {pk}",
                detail={
                    "rule": item.rule.key,
                    "type": label,
                    "id": pk,
                    "removed": [[t, i] for t, i in removed],
                    "person_ids": item.person_ids,
                },
            )
    return removable, on_hold


__all__ = ["DEFAULT_PERIODS", "Expired", "apply", "expired", "periods"]


class HoldRefused(SaferHubError):
    exit_code = 3


REASON_NEEDED = "Give a reason for the legal hold."
LIFT_REASON_NEEDED = "Give a reason for lifting the legal hold."
CLI_REASON = "On the command line, add --reason."  # the hint; pages show only the message


def active_holds(person_id: int | None = None):
    """The holds in place now (all people, or one), newest first."""
    holds = LegalHold.objects.filter(lifted_at__isnull=True).select_related("placed_by")
    return holds if person_id is None else holds.filter(person_id=person_id)


def place_hold(*, person_id: int, reason: str, user=None) -> LegalHold:
    """Keep everything about a person, whatever its age, until the hold is lifted."""
    reason = (reason or "").strip()
    if not reason:
        raise HoldRefused(REASON_NEEDED, CLI_REASON)
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise HoldRefused(f"No person with number {person_id} is recorded.")
    with transaction.atomic():
        hold = LegalHold.objects.create(person=person, reason=reason[:500], placed_by=user)
        record_create(None, hold, summary=f"Placed a legal hold on person {person_id}")
    return hold


def lift_hold(*, hold: LegalHold, reason: str, version: int, user=None) -> LegalHold:
    """End one hold, saying why. Refused if it is already lifted or changed since `version`
    (StaleRecord): two people cannot both lift it, nor one lift it twice."""
    reason = (reason or "").strip()
    if not reason:
        raise HoldRefused(LIFT_REASON_NEEDED)
    if hold.lifted_at is not None:
        raise HoldRefused("This legal hold has already been lifted.")
    return compare_and_swap(
        hold,
        version=version,
        lifted_at=timezone.now(),
        lifted_by=user,
        lift_reason=reason[:500],
    )


def lift_holds(*, person_id: int, reason: str = "", user=None) -> int:
    """End the person's current holds; returns how many were lifted."""
    reason = (reason or "").strip()
    if not reason:
        raise HoldRefused(LIFT_REASON_NEEDED, CLI_REASON)
    lifted = 0
    with transaction.atomic():
        for item in LegalHold.objects.select_for_update().filter(
            person_id=person_id, lifted_at__isnull=True
        ):
            lift_hold(hold=item, reason=reason, version=item.version, user=user)
            lifted += 1
    if not lifted:
        raise HoldRefused(f"Person {person_id} has no legal hold to lift.")
    return lifted
