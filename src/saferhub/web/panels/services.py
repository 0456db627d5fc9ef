"""What the panel pages do to the database: refer, list, hear, act, move a case on.

Views gather input and call one of these; each runs in one transaction and applies the
pure rules from `saferhub.rules.panels` and `saferhub.rules.marac`.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from saferhub.rules.marac import (
    DuplicateCandidate,
    PersonDetails,
    PreviousReferral,
    RepeatRule,
    possible_duplicates,
)
from saferhub.rules.need_to_know import programme_sight_ends
from saferhub.rules.panels import (
    DA_MARAC,
    CapWarning,
    CaseState,
    FieldProblem,
    PanelConfig,
    RecordError,
    cap_warning,
    check_new_listing,
    transition,
)
from saferhub.web.accounts.models import Agency
from saferhub.web.panels.forms import NEW_PERSON, ReferralForm, checklist, tri_state
from saferhub.web.panels.models import (
    Action,
    ActionStatus,
    Case,
    Child,
    Listing,
    Meeting,
    Perpetrator,
)
from saferhub.web.panels.privacy import PANEL, matchable_people
from saferhub.web.people.models import Involvement, Person

# The involvement a referral gives its agency; it ends with the person's last open case.
REFERRAL_REASON = "Domestic abuse referral"
REFERENCE_PREFIX = {"da_marac": "M", "asb_marac": "C", "adults_at_risk": "A"}
MAX_CANDIDATES = 5


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


def find_candidates(user, first: str, last: str, dob: date | None) -> list[DuplicateCandidate]:
    """Likely duplicates of the person being entered, among people the user may be offered."""
    nearby = Q(last_name__iexact=last.strip()) | Q(first_name__iexact=last.strip())
    if dob:
        nearby |= Q(date_of_birth=dob)
        swapped = _swapped(dob)
        if swapped:
            nearby |= Q(date_of_birth=swapped)
    pool = matchable_people(user).filter(nearby)[:500]
    details = [PersonDetails(str(p.pk), p.first_name, p.last_name, p.date_of_birth) for p in pool]
    return possible_duplicates(PersonDetails(None, first, last, dob), details)[:MAX_CANDIDATES]


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


def recheck_repeat(case: Case) -> Case:
    """Flag the case as a repeat, or not, from the victim's other referrals (after a merge)."""
    perpetrators = [str(p.person_id) for p in case.perpetrators.all()]
    check = RepeatRule().check(
        case.referral_date,
        previous_referrals(case.victim_id, case.panel, before=case),
        perpetrators,
    )
    case.is_repeat = check.is_repeat
    case.previous_case = (
        Case.objects.filter(reference=check.previous.case_id).first() if check.is_repeat else None
    )
    criteria = [c for c in case.criteria if c != "repeat"]
    case.criteria = [*criteria, "repeat"] if check.is_repeat else criteria
    case.save(update_fields=["is_repeat", "previous_case", "criteria", "updated_at"])
    return case


def candidates_by_pk(candidates: list[DuplicateCandidate]) -> dict[int, Person]:
    return Person.objects.in_bulk([int(c.person_id) for c in candidates])


# --- referral ---------------------------------------------------------------------------------


def _person_from(form: ReferralForm, prefix: str, agency: Agency, today: date) -> Person:
    data = form.cleaned_data
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
    # The referring agency is involved from the start, as when any agency records a person.
    Involvement.objects.create(person=person, agency=agency, reason=REFERRAL_REASON, start=today)
    return person


@transaction.atomic
def create_referral(form: ReferralForm, user, today: date, panel: str = PANEL) -> Case:
    data = form.cleaned_data
    agency = data.get("referring_agency") or user.agency
    if agency is None:
        raise RecordError(FieldProblem("referring_agency", "Choose the referring agency."))
    victim = _person_from(form, "victim", agency, today)
    perpetrators = [
        (_person_from(form, prefix, agency, today), data[f"{prefix}_relationship"])
        for prefix in ("p1", "p2")
        if (data.get(f"{prefix}_first_name") or "").strip()
    ]
    if any(p.pk == victim.pk for p, _ in perpetrators):
        raise RecordError(FieldProblem("perpetrators", "A perpetrator cannot be the victim."))
    repeat = form.repeat
    previous = None
    if repeat is not None and repeat.is_repeat and repeat.previous is not None:
        previous = Case.objects.filter(reference=repeat.previous.case_id).first()
    case = Case.objects.create(
        panel=panel,
        reference=f"new-{victim.pk}-{today:%y%m%d}"[:16],
        victim=victim,
        referral_date=data["referral_date"],
        referring_agency=agency,
        referred_by=user,
        criteria=[c.value for c in form.assessment.met],
        checklist_version=f"{checklist().name} v{checklist().version}",
        checklist_answers=form.checklist_answers(),
        checklist_score=form.checklist_result.score,
        professional_judgement_reason=(data.get("professional_judgement_reason") or "").strip()
        if data.get("professional_judgement")
        else "",
        incidents_12m=data.get("incidents_12m"),
        victim_lgbt=tri_state(data.get("victim_lgbt", "")),
        victim_disabled=tri_state(data.get("victim_disabled", "")),
        safe_to_contact=tri_state(data.get("safe_to_contact", "")),
        contact_method=(data.get("contact_method") or "").strip()
        if data.get("safe_to_contact") == "yes"
        else "",
        is_repeat=bool(repeat and repeat.is_repeat),
        previous_case=previous,
    )
    Case.objects.filter(pk=case.pk).update(reference=reference_for(case))
    case.reference = reference_for(case)
    for person, relationship in perpetrators:
        Perpetrator.objects.create(case=case, person=person, relationship=relationship)
    for age in data.get("children_ages") or []:
        Child.objects.create(case=case, age=age)
    return case


# --- lifecycle --------------------------------------------------------------------------------


def move(case: Case, target: CaseState, reason: str = "", on: date | None = None) -> Case:
    """Move a case to `target`, or raise TransitionError naming the moves allowed."""
    new_state = transition(case.state, target)
    case.status = new_state.value
    fields = ["status", "updated_at"]
    if new_state is CaseState.CLOSED:
        case.closure_reason = reason.strip()[:300]
        case.closed_on = on or timezone.localdate()
        fields += ["closure_reason", "closed_on"]
    case.save(update_fields=fields)
    if new_state is CaseState.CLOSED:
        end_referral_sight(case)
    return case


def end_referral_sight(case: Case) -> None:
    """The referral's involvements end with the case plus the grace, unless another of the
    person's cases is still open (that case's own closure ends them then)."""
    last_day = programme_sight_ends(case.closed_on, settings.GRANT_PROGRAMME_GRACE_DAYS)
    people = [case.victim_id, *case.perpetrators.values_list("person_id", flat=True)]
    for person_id in people:
        still_open = (
            Case.objects.exclude(status=CaseState.CLOSED)
            .filter(Q(victim_id=person_id) | Q(perpetrators__person_id=person_id))
            .exists()
        )
        if still_open:
            continue
        for involvement in Involvement.objects.filter(
            person_id=person_id, reason=REFERRAL_REASON, end__isnull=True
        ):
            involvement.end = last_day
            involvement.save(update_fields=["end"])


@transaction.atomic
def list_case(
    case: Case,
    meeting_date: date,
    today: date,
    *,
    confirm_over_cap: bool,
    config: PanelConfig = DA_MARAC,
) -> tuple[Listing | None, CapWarning | None]:
    """List a case for the meeting on `meeting_date`, creating the meeting if needed.

    Returns (listing, None) when listed, or (None, warning) when the meeting is full and the
    coordinator has not yet confirmed: the cap warns, it does not refuse.
    """
    check_new_listing(meeting_date, today)
    if case.state is CaseState.REFERRED:
        move(case, CaseState.SCREENED)
    transition(case.state, CaseState.LISTED)  # refuse before touching the meeting
    meeting, _ = Meeting.objects.get_or_create(panel=case.panel, date=meeting_date)
    if Listing.objects.filter(meeting=meeting, case=case).exists():
        raise RecordError(
            FieldProblem("meeting_date", "The case is already on that meeting's agenda.")
        )
    listed = meeting.listings.count()
    warning = cap_warning(config, meeting_date, listed)
    if warning and not confirm_over_cap:
        return None, warning
    listing = Listing.objects.create(meeting=meeting, case=case, position=listed + 1)
    move(case, CaseState.LISTED)
    return listing, warning


@transaction.atomic
def hear(listing: Listing, today: date) -> Case:
    meeting, case = listing.meeting, listing.case
    if meeting.date > today:
        raise RecordError(
            FieldProblem("meeting", f"The meeting on {meeting.date:%d %B %Y} has not happened yet.")
        )
    move(case, CaseState.HEARD)
    if case.heard_date is None:
        case.heard_date = meeting.date
        case.save(update_fields=["heard_date", "updated_at"])
    listing.heard = True
    listing.save(update_fields=["heard"])
    if not meeting.held:
        meeting.held = True
        meeting.save(update_fields=["held"])
    return case


@transaction.atomic
def add_action(case: Case, meeting: Meeting | None, **values) -> Action:
    action = Action.objects.create(case=case, meeting=meeting, **values)
    if case.state is CaseState.HEARD:
        move(case, CaseState.ACTIONS)
    return action


@transaction.atomic
def update_action(action: Action, *, status: str, outcome: str, completed_date: date | None):
    action.status = status
    action.outcome = outcome.strip()
    action.completed_date = completed_date if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "outcome", "completed_date"])
    return action


def overdue_by_agency(today: date, panel: str = PANEL) -> list[dict]:
    """Open and overdue action counts for each owner agency, most overdue first."""
    rows = (
        Action.objects.filter(case__panel=panel, status=ActionStatus.OPEN)
        .values("owner_agency_id", "owner_agency__name")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
        .order_by("-overdue", "owner_agency__name")
    )
    return list(rows)
