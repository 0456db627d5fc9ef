"""Referrals to the panels other than the DA MARAC: one person, the panel's criteria.

A referral of someone referred to the same panel in the 365 days before is a repeat, and
points at that earlier case, as the DA MARAC's repeat rule does without the perpetrator.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from saferhub.rules.panels import FieldProblem, RecordError
from saferhub.web.accounts.models import Agency
from saferhub.web.audit.log import record_create
from saferhub.web.panels.forms import NEW_PERSON, tri_state
from saferhub.web.panels.models import Case
from saferhub.web.panels.services import reference_for
from saferhub.web.people.models import Involvement, Person

REPEAT_WITHIN_DAYS = 365


def referral_reason(panel_name: str) -> str:
    return f"{panel_name} referral"


def person_from(data: dict, prefix: str, agency: Agency, today: date, reason: str) -> Person:
    """The chosen existing record, or a new one that the referring agency is involved with."""
    choice = (data.get(f"{prefix}_match") or "").strip()
    if choice and choice != NEW_PERSON:
        return Person.objects.get(pk=int(choice))
    person = Person.objects.create(
        first_name=data[f"{prefix}_first_name"].strip(),
        last_name=data[f"{prefix}_last_name"].strip(),
        date_of_birth=data.get(f"{prefix}_date_of_birth"),
        gender=data.get(f"{prefix}_gender") or "U",
        ethnicity=data.get(f"{prefix}_ethnicity") or "NS",
        address=data.get(f"{prefix}_address") or "",
        postcode=(data.get(f"{prefix}_postcode") or "").upper(),
    )
    record_create(None, person)
    involvement = Involvement.objects.create(
        person=person, agency=agency, reason=reason, start=today
    )
    record_create(None, involvement)
    return person


def previous_case(panel: str, person: Person, referral_date: date) -> Case | None:
    """The person's latest referral to the panel within the 365 days before this one."""
    return (
        Case.objects.filter(
            panel=panel,
            victim=person,
            referral_date__lte=referral_date,
            referral_date__gte=referral_date - timedelta(days=REPEAT_WITHIN_DAYS),
        )
        .order_by("-referral_date", "-id")
        .first()
    )


@transaction.atomic
def create_panel_referral(*, panel, user, today: date, data: dict) -> Case:
    """Open a case on `panel` (a PanelConfig) from a referral form's cleaned data."""
    agency = data.get("referring_agency") or user.agency
    if agency is None:
        raise RecordError(FieldProblem("referring_agency", "Choose the referring agency."))
    person = person_from(data, "victim", agency, today, referral_reason(panel.name))
    earlier = previous_case(panel.code, person, data["referral_date"])
    safe = data.get("safe_to_contact", "")
    case = Case.objects.create(
        panel=panel.code,
        reference=f"new-{person.pk}-{today:%y%m%d}"[:16],
        victim=person,
        referral_date=data["referral_date"],
        referring_agency=agency,
        referred_by=user,
        criteria=list(data.get("criteria") or []),
        professional_judgement_reason=(data.get("professional_judgement_reason") or "").strip(),
        safe_to_contact=tri_state(safe),
        contact_method=(data.get("contact_method") or "").strip() if safe == "yes" else "",
        # A reference the form found is a link; one it could not check stays as typed.
        asb_case=data.get("asb_case"),
        asb_case_reference=""
        if data.get("asb_case")
        else (data.get("asb_case_reference") or "").strip(),
        is_repeat=earlier is not None,
        previous_case=earlier,
    )
    # The reference needs the new id; set in the same transaction, the create event carries it.
    case.reference = reference_for(case)
    Case.objects.filter(pk=case.pk).update(reference=case.reference)
    record_create(None, case)
    return case
