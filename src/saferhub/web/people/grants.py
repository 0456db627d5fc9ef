"""Grants of sight: asking for an involvement, deciding on it, sharing, ending early.

Each is a service with keyword arguments, run in one transaction, that checks who may act
with the pure rules in `saferhub.rules.need_to_know` and records its own audit event with
`detail["grant"]` naming the step, so the audit log tells the whole story of a grant.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from saferhub.rules.need_to_know import (
    Problem,
    add_months,
    involvement_problems,
    may_decide_request,
    may_end_early,
    share_problem,
)
from saferhub.web.accounts.models import Agency, Role
from saferhub.web.audit.log import changes_between, record, snapshot
from saferhub.web.people.models import Involvement, InvolvementStatus, Person, Share

DECIDED = ["status", "decided_by", "decided_at"]
ENDED = ["end", "ended_by", "ended_at"]


class GrantError(Exception):
    """A grant step the user may not take, or input that breaks the rules, by field."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def default_end(start: date) -> date:
    return add_months(start, settings.GRANT_INVOLVEMENT_DEFAULT_MONTHS) - timedelta(days=1)


@transaction.atomic
def request_involvement(
    request, *, person: Person, reason: str, start: date | None, end: date | None, today: date
) -> Involvement:
    """Ask for the user's agency to be involved. Gives sight only once approved.

    A coordinator is the approver for their agency, so their own request is approved at once
    (and audited as both steps); anyone else's waits in the coordinators' queue.
    """
    user = request.user
    if user.agency_id is None:
        raise GrantError(Problem("reason", "You need an agency to record an involvement."))
    problems = involvement_problems(
        reason=reason,
        start=start,
        end=end,
        today=today,
        date_of_birth=person.date_of_birth,
        max_months=settings.GRANT_INVOLVEMENT_MAX_MONTHS,
    )
    if problems:
        raise GrantError(*problems)
    now = timezone.now()
    involvement = Involvement.objects.create(
        person=person,
        agency_id=user.agency_id,
        reason=reason,
        start=start,
        end=end,
        status=InvolvementStatus.REQUESTED,
        requested_by=user,
        requested_at=now,
    )
    _audit(request, "create", involvement, "request", "Asked for the agency's involvement")
    if user.role == Role.COORDINATOR:
        _decide(request, involvement, InvolvementStatus.APPROVED, now)
    return involvement


def _decide(request, involvement: Involvement, status: str, now) -> None:
    before = snapshot(involvement, DECIDED)
    involvement.status = status
    involvement.decided_by = request.user
    involvement.decided_at = now
    involvement.save(update_fields=DECIDED)
    step = "approve" if status == InvolvementStatus.APPROVED else "refuse"
    what = "Approved" if step == "approve" else "Refused"
    _audit(request, "update", involvement, step, f"{what} an involvement request", before)


@transaction.atomic
def decide_request(request, *, involvement: Involvement, approve: bool) -> Involvement:
    """A coordinator of the requesting agency approves or refuses a waiting request."""
    user = request.user
    involvement = Involvement.objects.select_for_update().get(pk=involvement.pk)
    if not may_decide_request(
        role=user.role, agency_id=user.agency_id, request_agency_id=involvement.agency_id
    ):
        raise GrantError(
            Problem("involvement", "Only a coordinator of the requesting agency can decide.")
        )
    if involvement.status != InvolvementStatus.REQUESTED:
        raise GrantError(Problem("involvement", "This request has already been decided."))
    status = InvolvementStatus.APPROVED if approve else InvolvementStatus.REFUSED
    _decide(request, involvement, status, timezone.now())
    return involvement


@transaction.atomic
def grant_share(
    request, *, person: Person, agency: Agency, reason: str, start: date, end: date | None
) -> Share:
    problem = share_problem(start, end, reason)
    if problem:
        raise GrantError(Problem("reason" if "reason" in problem else "end", problem))
    share = Share.objects.create(
        person=person, agency=agency, reason=reason, start=start, end=end, granted_by=request.user
    )
    _audit(request, "create", share, "share", f"Shared the record with {agency} until {end}")
    return share


def _end_day(today: date) -> date:
    # Sight runs to the end of the `end` day, so ending today means it ended yesterday.
    return today - timedelta(days=1)


@transaction.atomic
def end_involvement(request, *, involvement: Involvement, today: date) -> Involvement:
    """End an involvement before its date: a coordinator of its agency, or an administrator."""
    user = request.user
    involvement = Involvement.objects.select_for_update().get(pk=involvement.pk)
    if not may_end_early(
        is_administrator=user.is_administrator,
        role=user.role,
        agency_id=user.agency_id,
        granting=involvement.agency_id,
    ):
        raise GrantError(
            Problem("involvement", "Only its agency's coordinator or an administrator can end it.")
        )
    if involvement.end is not None and involvement.end < today:
        raise GrantError(Problem("involvement", "This involvement has already ended."))
    before = snapshot(involvement, ENDED)
    involvement.end = _end_day(today)
    involvement.ended_by, involvement.ended_at = user, timezone.now()
    involvement.save(update_fields=ENDED)
    _audit(request, "update", involvement, "end", "Ended an involvement early", before)
    return involvement


@transaction.atomic
def end_share(request, *, share: Share, today: date) -> Share:
    """End a share early: a coordinator of the agency that gave it, or an administrator."""
    user = request.user
    share = Share.objects.select_for_update().select_related("granted_by").get(pk=share.pk)
    if not may_end_early(
        is_administrator=user.is_administrator,
        role=user.role,
        agency_id=user.agency_id,
        granting=share.granted_by.agency_id,
    ):
        raise GrantError(
            Problem("share", "Only the sharing agency's coordinator or an admin can end it.")
        )
    if share.end < today:
        raise GrantError(Problem("share", "This share has already ended."))
    before = snapshot(share, ENDED)
    share.end = _end_day(today)
    share.ended_by, share.ended_at = user, timezone.now()
    share.save(update_fields=ENDED)
    _audit(request, "update", share, "end", "Ended a share early", before)
    return share


def _audit(request, action: str, obj, step: str, summary: str, before: dict | None = None):
    """One event per grant step; an update names each changed field's old and new value."""
    changes = {} if before is None else {"changes": changes_between(before, snapshot(obj, before))}
    record(
        request,
        action,
        obj,
        person_id=obj.person_id,
        summary=summary,
        detail={
            **changes,
            "grant": step,
            "kind": obj._meta.model_name,
            "agency": str(obj.agency),
            "start": obj.start.isoformat(),
            "end": obj.end.isoformat() if obj.end else None,
        },
    )
