"""Opening and working ASB cases: people, agencies, incidents, actions, closing."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, time

from django.db import transaction

from saferhub.web.accounts.models import Agency
from saferhub.web.asb.models import (
    ActionStatus,
    AsbCase,
    CaseAction,
    CaseAgency,
    CaseStatus,
    Complainant,
    Incident,
    Respondent,
    ReviewStatus,
)
from saferhub.web.asb.privacy import PROGRAMME, end_sight, give_sight
from saferhub.web.asb.services.errors import AsbError
from saferhub.web.audit.log import record
from saferhub.web.people.models import Person
from saferhub.web.versioning import compare_and_swap

REFERENCE_PREFIX = "ASB"


def reference_for(case: AsbCase) -> str:
    return f"{REFERENCE_PREFIX}{case.pk:06d}"


def member_agencies():
    """Agencies in the ASB programme, for forms' choices."""
    # Agencies are few, and SQLite has no JSON containment lookup, so filter in Python.
    ids = [a.pk for a in Agency.objects.all() if a.in_programme(PROGRAMME)]
    return Agency.objects.filter(pk__in=ids).order_by("name")


@transaction.atomic
def open_case(
    request,
    *,
    summary: str,
    category: str,
    location: str,
    ward: str,
    opened_on: date,
    agencies: Iterable[Agency] = (),
) -> AsbCase:
    """Open a case led by the user's agency; the other agencies named work it too."""
    user = request.user
    if user.agency_id is None:
        raise AsbError(None, "You need an agency to open an ASB case.")
    case = AsbCase.objects.create(
        # A unique placeholder until the id gives the reference, in this same transaction.
        reference=f"tmp-{secrets.token_hex(6)}",
        summary=summary.strip(),
        category=category,
        location=location.strip(),
        ward=ward.strip(),
        opened_on=opened_on,
        lead_agency_id=user.agency_id,
        opened_by=user,
    )
    case.reference = reference_for(case)
    case.save(update_fields=["reference"])
    working = {user.agency_id, *(a.pk for a in agencies)}
    CaseAgency.objects.bulk_create(
        [CaseAgency(case=case, agency_id=pk, since=opened_on) for pk in sorted(working)]
    )
    record(request, "create", case, summary=f"Opened ASB case {case.reference}")
    return case


@transaction.atomic
def add_agency(request, *, case: AsbCase, agency: Agency, on: date) -> CaseAgency:
    if case.agencies.filter(agency=agency).exists():
        raise AsbError("agency", f"{agency} already works this case.")
    working = CaseAgency.objects.create(case=case, agency=agency, since=on)
    from saferhub.web.asb.privacy import people_of

    if case.status == CaseStatus.OPEN:
        give_sight(case, people_of(case), [agency.pk], on)
    record(request, "update", case, summary=f"{agency} now works ASB case {case.reference}")
    return working


def _new_person(first_name: str, last_name: str, date_of_birth: date | None) -> Person:
    return Person.objects.create(
        first_name=first_name.strip(), last_name=last_name.strip(), date_of_birth=date_of_birth
    )


def _working_agencies(case: AsbCase) -> list[int]:
    return list(case.agencies.values_list("agency_id", flat=True))


@transaction.atomic
def add_complainant(
    request,
    *,
    case: AsbCase,
    on: date,
    first_name: str = "",
    last_name: str = "",
    date_of_birth: date | None = None,
    household: str = "",
) -> Complainant:
    """A complainant is a new person, or a household named by its address."""
    if first_name.strip() and last_name.strip():
        person = _new_person(first_name, last_name, date_of_birth)
        complainant = Complainant.objects.create(case=case, person=person)
        give_sight(case, [person.pk], _working_agencies(case), on)
    elif household.strip():
        complainant = Complainant.objects.create(case=case, household=household.strip())
    else:
        raise AsbError("first_name", "Enter the complainant's first and last name, or an address.")
    record(
        request,
        "create",
        complainant,
        summary=f"Added a complainant to ASB case {case.reference}",
    )
    return complainant


@transaction.atomic
def add_respondent(
    request,
    *,
    case: AsbCase,
    on: date,
    first_name: str,
    last_name: str,
    date_of_birth: date | None = None,
) -> Respondent:
    person = _new_person(first_name, last_name, date_of_birth)
    respondent = Respondent.objects.create(case=case, person=person)
    give_sight(case, [person.pk], _working_agencies(case), on)
    record(
        request,
        "create",
        respondent,
        summary=f"Added a person causing harm to ASB case {case.reference}",
    )
    return respondent


@transaction.atomic
def log_incident(
    request,
    *,
    case: AsbCase,
    occurred_on: date,
    occurred_at: time | None,
    location: str,
    ward: str,
    category: str,
    description: str,
    complainant: Complainant | None,
    reported_on: date,
    today: date,
) -> Incident:
    if case.status != CaseStatus.OPEN:
        raise AsbError(None, f"Case {case.reference} is closed: reopen work on a new case.")
    if occurred_on > today:
        raise AsbError("occurred_on", "The date of the incident must be today or in the past.")
    if reported_on > today:
        raise AsbError("reported_on", "The date of the complaint must be today or in the past.")
    if reported_on < occurred_on:
        raise AsbError(
            "reported_on", "The complaint cannot be made before the incident: check both dates."
        )
    if complainant is not None and complainant.case_id != case.pk:
        raise AsbError("complainant", "Choose one of this case's complainants.")
    incident = Incident.objects.create(
        case=case,
        occurred_on=occurred_on,
        occurred_at=occurred_at,
        location=location.strip(),
        ward=ward.strip(),
        category=category,
        description=description.strip(),
        complainant=complainant,
        reported_on=reported_on,
        recorded_by=request.user if request is not None else None,
    )
    record(request, "create", incident, summary=f"Logged an incident on {case.reference}")
    return incident


@transaction.atomic
def add_action(
    request, *, case: AsbCase, description: str, owner_agency: Agency, due_date: date
) -> CaseAction:
    action = CaseAction.objects.create(
        case=case, description=description.strip(), owner_agency=owner_agency, due_date=due_date
    )
    record(request, "create", action, summary=f"Added an action to {case.reference}")
    return action


@transaction.atomic
def complete_action(request, *, action: CaseAction, version: int) -> CaseAction:
    """Mark an action done; a second "done" records nothing."""
    if action.status == ActionStatus.DONE:
        raise AsbError(None, "This action is already done.")
    compare_and_swap(action, version=version, status=ActionStatus.DONE)
    record(request, "update", action, summary=f"Marked an action done on {action.case.reference}")
    return action


@transaction.atomic
def close_case(request, *, case: AsbCase, version: int, reason: str, on: date) -> AsbCase:
    """Close the case; its agencies' sight of its people ends after the grace period."""
    if case.status == CaseStatus.CLOSED:
        raise AsbError(None, f"Case {case.reference} is already closed.")
    if case.reviews.filter(status=ReviewStatus.IN_REVIEW).exists():
        raise AsbError(None, "Complete the case review before closing the case.")
    compare_and_swap(
        case,
        version=version,
        status=CaseStatus.CLOSED,
        closed_on=on,
        closure_reason=reason.strip()[:300],
    )
    end_sight(case)
    record(request, "update", case, summary=f"Closed ASB case {case.reference}")
    return case
