"""What the panel pages do to the database: refer, list, hear, act, move a case on.

Views gather input and call one of these; each runs in one transaction and applies the
pure rules from `saferhub.rules.panels` and `saferhub.rules.marac`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from saferhub.rules.marac import (
    DuplicateCandidate,
    PreviousReferral,
    RepeatRule,
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
from saferhub.web.audit.log import record_write
from saferhub.web.panels.forms import NEW_PERSON, ReferralForm, checklist, tri_state
from saferhub.web.panels.models import (
    Action,
    ActionStatus,
    Attendance,
    Case,
    Child,
    Listing,
    Meeting,
    Perpetrator,
    Research,
)
from saferhub.web.panels.privacy import PANEL, matchable_people
from saferhub.web.people.duplicates import referral_matches
from saferhub.web.people.models import Involvement, Person
from saferhub.web.versioning import Change, StaleRecord, compare_and_swap, differences

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
    # The reference needs the new row's key. Setting it is part of creating the case (no
    # one else can have loaded it yet), so it keeps version 1, and is audited explicitly.
    case.reference = reference_for(case)
    Case.objects.filter(pk=case.pk).update(reference=case.reference)
    record_write("update", case, person_id=case.victim_id, detail={"fields": ["reference"]})
    for person, relationship in perpetrators:
        Perpetrator.objects.create(case=case, person=person, relationship=relationship)
    for age in data.get("children_ages") or []:
        Child.objects.create(case=case, age=age)
    return case


# --- lifecycle --------------------------------------------------------------------------------


@transaction.atomic
def move(
    case: Case,
    target: CaseState,
    reason: str = "",
    on: date | None = None,
    *,
    version: int | None = None,
) -> Case:
    """Move a case to `target`, or raise TransitionError naming the moves allowed.

    With `version` (the one the user's page showed), a case changed since is refused with
    StaleRecord; a move to the state the case is already in is refused, so a second
    "close the case" records nothing. Closing a case ends the sight its referral gave.
    """
    if case.state is CaseState(target):
        raise RecordError(
            FieldProblem("status", f"Case {case.reference} is already {case.state.label.lower()}.")
        )
    new_state = transition(case.state, target)
    changes: dict = {"status": new_state.value}
    if new_state is CaseState.CLOSED:
        changes["closure_reason"] = reason.strip()[:300]
        changes["closed_on"] = on or timezone.localdate()
    compare_and_swap(case, version=case.version if version is None else version, **changes)
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
    version: int | None = None,
) -> tuple[Listing | None, CapWarning | None]:
    """List a case for the meeting on `meeting_date`, creating the meeting if needed.

    Returns (listing, None) when listed, or (None, warning) when the meeting is full and the
    coordinator has not yet confirmed: the cap warns, it does not refuse.
    """
    check_new_listing(meeting_date, today)
    if version is not None:
        case.version = version  # the checks below then run against the page the user saw
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
    # Move first: a stale case is refused before the listing is made.
    move(case, CaseState.LISTED)
    listing = Listing.objects.create(meeting=meeting, case=case, position=listed + 1)
    return listing, warning


@transaction.atomic
def hear(listing: Listing, today: date, *, version: int | None = None) -> Case:
    """Record that the meeting heard the case; a second "heard" is refused."""
    meeting, case = listing.meeting, listing.case
    if meeting.date > today:
        raise RecordError(
            FieldProblem("meeting", f"The meeting on {meeting.date:%d %B %Y} has not happened yet.")
        )
    if listing.heard:
        raise RecordError(
            FieldProblem("meeting", f"Case {case.reference} is already heard at this meeting.")
        )
    move(case, CaseState.HEARD, version=version)
    if case.heard_date is None:
        compare_and_swap(case, version=case.version, heard_date=meeting.date)
    listing.heard = True
    listing.save(update_fields=["heard"])
    if not meeting.held:
        # A plain UPDATE would skip the audit; lock the row so the flag is set once.
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if not meeting.held:
            compare_and_swap(meeting, version=meeting.version, held=True)
    return case


@transaction.atomic
def add_action(case: Case, meeting: Meeting | None, **values) -> Action:
    action = Action.objects.create(case=case, meeting=meeting, **values)
    # Lock the case: two coordinators adding actions at once both succeed, and the case
    # moves on once.
    current = Case.objects.select_for_update().get(pk=case.pk)
    if current.state is CaseState.HEARD:
        move(current, CaseState.ACTIONS)
    return action


@transaction.atomic
def update_action(
    action: Action, *, version: int, status: str, outcome: str, completed_date: date | None
) -> Action:
    """Change an action's status and outcome, if nobody else has since it was loaded."""
    if status == action.status and status != ActionStatus.OPEN and action.version != version:
        label = ActionStatus(status).label.lower()
        raise RecordError(
            FieldProblem(
                "status",
                f"This action was marked {label} after you opened this page, "
                "so nothing has been saved.",
            )
        )
    return compare_and_swap(
        action,
        version=version,
        status=status,
        outcome=outcome.strip(),
        completed_date=completed_date if status == ActionStatus.DONE else None,
    )


@transaction.atomic
def write_minutes(*, meeting: Meeting, version: int, chair: str, minutes: str) -> Meeting:
    return compare_and_swap(meeting, version=version, chair=chair.strip(), minutes=minutes)


@transaction.atomic
def allocate_idva(*, case: Case, version: int, idva_agency: Agency, idva_name: str) -> Case:
    return compare_and_swap(
        case, version=version, idva_agency=idva_agency, idva_name=idva_name.strip()
    )


@transaction.atomic
def use_existing_victim(*, case: Case, version: int, person: Person) -> Case:
    """Point the case at an existing record of the victim, then re-check the repeat rule."""
    compare_and_swap(case, version=version, victim=person)
    return recheck_repeat(case)


@transaction.atomic
def save_research(*, listing: Listing, agency: Agency, user, text: str, version: int) -> Research:
    """One agency's research on a listed case. `version` 0 means the form found none yet."""
    existing = Research.objects.select_for_update().filter(listing=listing, agency=agency).first()
    if existing is None:
        if version != 0:
            raise RecordError(
                FieldProblem("text", "This research was removed after you opened it.")
            )
        try:
            with transaction.atomic():
                return Research.objects.create(
                    listing=listing, agency=agency, text=text, submitted_by=user
                )
        except IntegrityError:
            existing = Research.objects.get(listing=listing, agency=agency)
            version = -1  # someone from the agency saved first: refuse, showing theirs
    return compare_and_swap(existing, version=version, text=text, submitted_by=user)


@dataclass(frozen=True)
class AttendanceEntry:
    agency: Agency
    present: bool
    attendee: str
    version: int  # 0 when the form showed no row for the agency


ATTENDANCE_LABELS = {"present": "present", "attendee": "who attended"}


@transaction.atomic
def record_attendance(*, meeting: Meeting, entries: list[AttendanceEntry]) -> None:
    """Save who attended. If anyone changed a row since the form was loaded, and the form
    now says something else for that agency, nothing is saved and every such row is named.
    """
    rows = Attendance.objects.select_for_update().filter(meeting=meeting)
    current = {a.agency_id: a for a in rows}
    conflicts: list[Change] = []
    for entry in entries:
        row = current.get(entry.agency.pk)
        if (row.version if row else 0) == entry.version:
            continue
        mine = Attendance(agency=entry.agency, present=entry.present, attendee=entry.attendee)
        theirs = row or Attendance(agency=entry.agency, present=False, attendee="")
        for change in differences(mine, theirs, ["present", "attendee"]):
            label = f"{entry.agency}, {ATTENDANCE_LABELS[change.field]}"
            conflicts.append(replace(change, field=f"{entry.agency.pk}", label=label))
    if conflicts:
        raise StaleRecord(meeting, meeting, conflicts)
    for entry in entries:
        row = current.get(entry.agency.pk)
        if row is None:
            Attendance.objects.create(
                meeting=meeting, agency=entry.agency, present=entry.present, attendee=entry.attendee
            )
        elif (row.present, row.attendee) != (entry.present, entry.attendee):
            compare_and_swap(
                row, version=row.version, present=entry.present, attendee=entry.attendee
            )


def overdue_by_agency(today: date, panel: str = PANEL) -> list[dict]:
    """Open and overdue action counts for each owner agency, most overdue first."""
    rows = (
        Action.objects.filter(case__panel=panel, status=ActionStatus.OPEN)
        .values("owner_agency_id", "owner_agency__name")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today)))
        .order_by("-overdue", "owner_agency__name")
    )
    return list(rows)
