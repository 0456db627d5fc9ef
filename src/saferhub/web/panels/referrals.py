"""Making a referral: who the member agencies are, likely duplicates and repeats, and the
write service that records a new case with its people.

`create_referral` takes plain keyword arguments (`referral_from_form` turns a valid referral
form into them), runs in one transaction and records an audit event for each record it
creates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q

from saferhub.rules.marac import (
    DuplicateCandidate,
    PreviousReferral,
    RepeatCheck,
    RepeatRule,
)
from saferhub.rules.panels import DEFAULT_PANELS, FieldProblem, RecordError
from saferhub.web.accounts.models import Agency
from saferhub.web.audit.log import record_create, recording_change
from saferhub.web.panels.forms import NEW_PERSON, ReferralForm, checklist, tri_state
from saferhub.web.panels.models import Case, Child, Perpetrator
from saferhub.web.panels.privacy import PANEL, matchable_people
from saferhub.web.people.duplicates import referral_matches
from saferhub.web.people.models import Involvement, Person

# The involvement a referral gives its agency; it ends with the person's last open case.
REFERRAL_REASON = "Domestic abuse referral"
REFERENCE_PREFIX = {"da_marac": "M", "asb_marac": "C", "adults_at_risk": "A", "sirm": "S"}
MAX_CANDIDATES = 5
# The other panels' referrals give involvements too ("Community Safety MARAC referral" …).
REFERRAL_REASONS = [
    REFERRAL_REASON,
    *(f"{p.name} referral" for code, p in DEFAULT_PANELS.items() if code != "da_marac"),
]


def reference_for(case: Case) -> str:
    return f"{REFERENCE_PREFIX.get(case.panel, 'X')}{case.pk:06d}"


def member_agency_list(panel: str = PANEL) -> list[Agency]:
    """The panel's member agencies, by name, in one query."""
    # Agencies are few (tens), and SQLite has no JSON containment lookup, so filter in Python.
    return [a for a in Agency.objects.order_by("name") if a.in_programme(panel)]


def member_agencies(panel: str = PANEL):
    """The member agencies as a queryset, for a form's choice of agency."""
    return Agency.objects.filter(pk__in=[a.pk for a in member_agency_list(panel)]).order_by("name")


# --- duplicates and repeats -----------------------------------------------------------------


def _swapped(day: date) -> date | None:
    try:
        return date(day.year, day.day, day.month)
    except ValueError:
        return None


def find_candidates(
    user, first: str, last: str, dob: date | None, panel: str = PANEL
) -> list[DuplicateCandidate]:
    """Likely duplicates of the person being entered, among people the user may be offered."""
    nearby = Q(last_name__iexact=last.strip()) | Q(first_name__iexact=last.strip())
    if dob:
        nearby |= Q(date_of_birth=dob)
        swapped = _swapped(dob)
        if swapped:
            nearby |= Q(date_of_birth=swapped)
    pool = matchable_people(user, panel).filter(nearby)[:500]
    return referral_matches(pool, first, last, dob)[:MAX_CANDIDATES]


def previous_referrals(person_pk: int, panel: str = PANEL, before: Case | None = None):
    cases = Case.objects.filter(panel=panel, victim_id=person_pk).prefetch_related("perpetrators")
    if before is not None:
        cases = cases.exclude(pk=before.pk)
    return [
        PreviousReferral(
            c.reference, c.referral_date, frozenset(str(p.person_id) for p in c.perpetrators.all())
        )
        for c in cases
    ]


REPEAT_FIELDS = ["is_repeat", "previous_case", "criteria"]


def recheck_repeat(case: Case) -> Case:
    """Flag the case as a repeat, or not, from the victim's other referrals (after a merge)."""
    perpetrators = [str(p.person_id) for p in case.perpetrators.all()]
    check = RepeatRule().check(
        case.referral_date,
        previous_referrals(case.victim_id, case.panel, before=case),
        perpetrators,
    )
    with recording_change(case, fields=REPEAT_FIELDS):
        case.is_repeat = check.is_repeat
        case.previous_case = (
            Case.objects.filter(reference=check.previous.case_id).first()
            if check.is_repeat
            else None
        )
        criteria = [c for c in case.criteria if c != "repeat"]
        case.criteria = [*criteria, "repeat"] if check.is_repeat else criteria
        case.save(update_fields=[*REPEAT_FIELDS, "updated_at"])
    return case


def candidates_by_pk(candidates: list[DuplicateCandidate]) -> dict[int, Person]:
    return Person.objects.in_bulk([int(c.person_id) for c in candidates])


# --- referral ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonEntry:
    """A person named on a referral: an existing record (`match`) or a new one."""

    match: str = ""
    first_name: str = ""
    last_name: str = ""
    date_of_birth: date | None = None
    gender: str = "U"
    ethnicity: str = "NS"
    address: str = ""
    postcode: str = ""
    relationship: str = ""


def _entry(data: dict, prefix: str) -> PersonEntry:
    return PersonEntry(
        match=(data.get(f"{prefix}_match") or "").strip(),
        first_name=(data.get(f"{prefix}_first_name") or "").strip(),
        last_name=(data.get(f"{prefix}_last_name") or "").strip(),
        date_of_birth=data.get(f"{prefix}_date_of_birth"),
        gender=data.get(f"{prefix}_gender") or "U",
        ethnicity=data.get(f"{prefix}_ethnicity") or "NS",
        address=data.get(f"{prefix}_address") or "",
        postcode=data.get(f"{prefix}_postcode") or "",
        relationship=data.get(f"{prefix}_relationship") or "",
    )


def referral_from_form(form: ReferralForm) -> dict:
    """A valid referral form's answers as `create_referral`'s keyword arguments."""
    data = form.cleaned_data
    judged = bool(data.get("professional_judgement"))
    safe = data.get("safe_to_contact") == "yes"
    return {
        "referring_agency": data.get("referring_agency"),
        "victim": _entry(data, "victim"),
        "perpetrators": [
            _entry(data, prefix)
            for prefix in ("p1", "p2")
            if (data.get(f"{prefix}_first_name") or "").strip()
        ],
        "referral_date": data["referral_date"],
        "criteria": [c.value for c in form.assessment.met],
        "checklist_answers": form.checklist_answers(),
        "checklist_score": form.checklist_result.score,
        "professional_judgement_reason": (
            (data.get("professional_judgement_reason") or "").strip() if judged else ""
        ),
        "incidents_12m": data.get("incidents_12m"),
        "victim_lgbt": tri_state(data.get("victim_lgbt", "")),
        "victim_disabled": tri_state(data.get("victim_disabled", "")),
        "safe_to_contact": tri_state(data.get("safe_to_contact", "")),
        "contact_method": (data.get("contact_method") or "").strip() if safe else "",
        "repeat": form.repeat,
        "children_ages": list(data.get("children_ages") or []),
    }


def _person_from(entry: PersonEntry, agency: Agency, today: date) -> Person:
    if entry.match and entry.match != NEW_PERSON:
        return Person.objects.get(pk=int(entry.match))
    person = Person.objects.create(
        first_name=entry.first_name.strip(),
        last_name=entry.last_name.strip(),
        date_of_birth=entry.date_of_birth,
        gender=entry.gender or "U",
        ethnicity=entry.ethnicity or "NS",
        address=entry.address,
        postcode=entry.postcode.upper(),
    )
    record_create(None, person)
    # The referring agency is involved from the start, as when any agency records a person.
    involvement = Involvement.objects.create(
        person=person, agency=agency, reason=REFERRAL_REASON, start=today
    )
    record_create(None, involvement)
    return person


@transaction.atomic
def create_referral(
    *,
    user,
    today: date,
    referring_agency: Agency | None,
    victim: PersonEntry,
    perpetrators: list[PersonEntry],
    referral_date: date,
    criteria: list[str],
    checklist_answers: dict[str, str],
    checklist_score: int,
    professional_judgement_reason: str = "",
    incidents_12m: int | None = None,
    victim_lgbt: bool | None = None,
    victim_disabled: bool | None = None,
    safe_to_contact: bool | None = None,
    contact_method: str = "",
    repeat: RepeatCheck | None = None,
    children_ages: list[int] | None = None,
    panel: str = PANEL,
) -> Case:
    agency = referring_agency or user.agency
    if agency is None:
        raise RecordError(FieldProblem("referring_agency", "Choose the referring agency."))
    victim_record = _person_from(victim, agency, today)
    named = [(_person_from(entry, agency, today), entry.relationship) for entry in perpetrators]
    if any(p.pk == victim_record.pk for p, _ in named):
        raise RecordError(FieldProblem("perpetrators", "A perpetrator cannot be the victim."))
    previous = None
    if repeat is not None and repeat.is_repeat and repeat.previous is not None:
        previous = Case.objects.filter(reference=repeat.previous.case_id).first()
    case = Case(
        panel=panel,
        victim=victim_record,
        referral_date=referral_date,
        referring_agency=agency,
        referred_by=user,
        criteria=list(criteria),
        checklist_version=f"{checklist().name} v{checklist().version}",
        checklist_answers=checklist_answers,
        checklist_score=checklist_score,
        professional_judgement_reason=professional_judgement_reason,
        incidents_12m=incidents_12m,
        victim_lgbt=victim_lgbt,
        victim_disabled=victim_disabled,
        safe_to_contact=safe_to_contact,
        contact_method=contact_method,
        is_repeat=bool(repeat and repeat.is_repeat),
        previous_case=previous,
    )
    case.reference = f"new-{victim_record.pk}-{today:%y%m%d}"[:16]
    case.save(force_insert=True)
    # The reference needs the new row's key. Setting it is part of creating the case (no
    # one else can have loaded it yet), so it keeps version 1; the create event below
    # carries the final reference.
    case.reference = reference_for(case)
    Case.objects.filter(pk=case.pk).update(reference=case.reference)
    record_create(None, case)
    for person, relationship in named:
        record_create(
            None, Perpetrator.objects.create(case=case, person=person, relationship=relationship)
        )
    for age in children_ages or []:
        record_create(None, Child.objects.create(case=case, age=age))
    return case
