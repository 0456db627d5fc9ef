"""What the panel pages do to the database: list, hear, act, move a case on (referral is in
`referrals.py`).

Views gather input and call one of these; each takes keyword arguments, runs in one
transaction, applies the pure rules from `saferhub.rules.panels` and records its own audit
events (`saferhub.web.audit.log`; `compare_and_swap` records the versioned updates).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

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
from saferhub.web.audit.log import record_change, record_create, snapshot
from saferhub.web.notifications import services as notifications

# Referral and its lookups live in `referrals.py`; they are named here too, as before.
from saferhub.web.panels.models import (
    Action,
    ActionStatus,
    Attendance,
    Case,
    Listing,
    Meeting,
    Research,
)
from saferhub.web.panels.privacy import PANEL
from saferhub.web.panels.referrals import (  # noqa: F401
    MAX_CANDIDATES,
    REFERENCE_PREFIX,
    REFERRAL_REASON,
    REFERRAL_REASONS,
    PersonEntry,
    candidates_by_pk,
    create_referral,
    find_candidates,
    member_agencies,
    member_agency_list,
    previous_referrals,
    recheck_repeat,
    reference_for,
    referral_from_form,
)
from saferhub.web.people.models import Involvement, Person
from saferhub.web.versioning import Change, StaleRecord, compare_and_swap, differences

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
    if new_state is CaseState.REVIEW:
        changes["reviewed_on"] = on or timezone.localdate()
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
            person_id=person_id, reason__in=REFERRAL_REASONS, end__isnull=True
        ):
            before = snapshot(involvement, ["end"])
            involvement.end = last_day
            involvement.save(update_fields=["end"])
            record_change(None, involvement, before)


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
    meeting, created = Meeting.objects.get_or_create(panel=case.panel, date=meeting_date)
    if created:
        record_create(None, meeting)
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
    notifications.case_listed(listing)
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
def arrange_meeting(*, meeting_date: date, chair: str, panel: str = PANEL) -> Meeting:
    """A new meeting; a second on the same date raises IntegrityError and records nothing."""
    meeting = Meeting.objects.create(panel=panel, date=meeting_date, chair=chair.strip())
    record_create(None, meeting)
    return meeting


@transaction.atomic
def add_action(case: Case, meeting: Meeting | None, **values) -> Action:
    action = Action.objects.create(case=case, meeting=meeting, **values)
    record_create(None, action)
    # Lock the case: two coordinators adding actions at once both succeed, and the case
    # moves on once.
    current = Case.objects.select_for_update().get(pk=case.pk)
    if current.state is CaseState.HEARD:
        move(current, CaseState.ACTIONS)
    notifications.action_allocated(action)
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
                research = Research.objects.create(
                    listing=listing, agency=agency, text=text, submitted_by=user
                )
                record_create(None, research)
                return research
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
