"""What the ASB pages do to the database: open and work cases, check and run case reviews,
record tools and powers.

Each write is a function with keyword arguments, in one transaction, that records its own
audit event; views, the demo loader and tests call the same functions.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Collection, Iterable
from datetime import date, time

from django.db import transaction

from saferhub.rules.asb import (
    Complaint,
    ThresholdConfig,
    ThresholdResult,
    add_working_days,
    check_threshold,
)
from saferhub.sources.bank_holidays import around
from saferhub.web.accounts.models import Agency
from saferhub.web.asb.models import (
    ActionStatus,
    AsbCase,
    CaseAction,
    CaseAgency,
    CaseStatus,
    Complainant,
    Incident,
    Recommendation,
    Respondent,
    Review,
    ReviewSettings,
    ReviewStatus,
    ToolUse,
)
from saferhub.web.asb.privacy import PROGRAMME, end_sight, give_sight
from saferhub.web.audit.log import record
from saferhub.web.people.models import Person
from saferhub.web.versioning import compare_and_swap

REFERENCE_PREFIX = "ASB"

DEFAULT_LETTER = """Dear $applicant,

You asked on $requested_on for a review of how agencies have responded to the anti-social \
behaviour you reported (case $reference).

$threshold

The review panel met and decided:
$decision

What agencies will do next:
$recommendations

If you are not satisfied with how the review was carried out, please reply to this letter and \
we will explain how to ask for the decision to be looked at again.

Yours sincerely,
The Community Safety Team
"""
# The words a partnership's letter may use; anything else in the template is left as written.
LETTER_FIELDS = (
    "applicant",
    "reference",
    "requested_on",
    "completed_on",
    "threshold",
    "decision",
    "recommendations",
)


class AsbError(Exception):
    """A step the user may not take now; `field` names where the form shows it."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def reference_for(case: AsbCase) -> str:
    return f"{REFERENCE_PREFIX}{case.pk:06d}"


def member_agencies():
    """Agencies in the ASB programme, for forms' choices."""
    # Agencies are few, and SQLite has no JSON containment lookup, so filter in Python.
    ids = [a.pk for a in Agency.objects.all() if a.in_programme(PROGRAMME)]
    return Agency.objects.filter(pk__in=ids).order_by("name")


# --- cases ------------------------------------------------------------------------------------


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


# --- case reviews -----------------------------------------------------------------------------


def review_settings() -> ReviewSettings:
    found = ReviewSettings.objects.order_by("pk").first()
    return found or ReviewSettings(letter_template=DEFAULT_LETTER)


def threshold_config(settings_row: ReviewSettings | None = None) -> ThresholdConfig:
    row = settings_row or review_settings()
    return ThresholdConfig(
        complaints=row.complaints,
        window_months=row.window_months,
        report_within_months=row.report_within_months,
        community_individuals=row.community_individuals,
        community_window_months=row.community_window_months,
        review_working_days=row.review_working_days,
    )


def complaints_of(case: AsbCase) -> list[Complaint]:
    """The case's complaints in the rule's terms: the case is the issue."""
    return [
        Complaint(str(i.pk), i.complainant.key, i.occurred_on, i.reported_on, case.reference)
        for i in case.incidents.select_related("complainant").filter(complainant__isnull=False)
    ]


def assess(
    *,
    case: AsbCase,
    applicant: Complainant,
    requested_on: date,
    chosen: Collection[int] | None = None,
    config: ThresholdConfig | None = None,
) -> ThresholdResult:
    """The threshold for a request: the applicant's complaints cited (all, by default), and
    every complainant's complaints for the community limb."""
    config = config or threshold_config()
    every = complaints_of(case)
    if chosen is not None:
        wanted = {str(pk) for pk in chosen}
        every = [c for c in every if c.complainant != applicant.key or c.id in wanted]
    return check_threshold(
        applicant=applicant.key,
        complaints=every,
        applied_on=requested_on,
        issue=case.reference,
        config=config,
    )


@transaction.atomic
def request_review(
    request,
    *,
    case: AsbCase,
    applicant: Complainant,
    requested_on: date,
    complaints: Iterable[Incident],
    today: date,
    holidays: Collection[date] | None = None,
) -> Review:
    """Record a review request, check the threshold, and open the review when it is met."""
    if applicant.case_id != case.pk:
        raise AsbError("applicant", "Choose one of this case's complainants.")
    if requested_on > today:
        raise AsbError("requested_on", "The date of the request must be today or in the past.")
    if case.reviews.filter(status=ReviewStatus.IN_REVIEW).exists():
        raise AsbError(None, "This case already has a review under way: complete it first.")
    complaints = list(complaints)
    if any(i.case_id != case.pk or i.complainant_id != applicant.pk for i in complaints):
        raise AsbError("complaints", "Choose only complaints the applicant made on this case.")
    settings_row = review_settings()
    config = threshold_config(settings_row)
    result = assess(
        case=case,
        applicant=applicant,
        requested_on=requested_on,
        chosen=[i.pk for i in complaints],
        config=config,
    )
    due_on = None
    if result.met:
        calendar = holidays if holidays is not None else around(requested_on)
        due_on = add_working_days(requested_on, config.review_working_days, calendar)
    review = Review.objects.create(
        case=case,
        applicant=applicant,
        requested_on=requested_on,
        status=ReviewStatus.IN_REVIEW if result.met else ReviewStatus.NOT_MET,
        threshold_met=result.met,
        limb=result.limb or "",
        explanation=result.explanation[:500],
        threshold={
            "complaints": config.complaints,
            "window_months": config.window_months,
            "report_within_months": config.report_within_months,
            "community_individuals": config.community_individuals,
            "community_window_months": config.community_window_months,
            "review_working_days": config.review_working_days,
        },
        due_on=due_on,
        requested_by=request.user if request is not None else None,
    )
    review.complaints.set(complaints)
    record(
        request,
        "create",
        review,
        summary=f"Recorded a case review request on {case.reference}: "
        + ("threshold met" if result.met else "threshold not met"),
        detail={"met": result.met, "limb": result.limb, "counted": len(result.counted)},
    )
    return review


def stored_config(review: Review) -> ThresholdConfig:
    return ThresholdConfig(**review.threshold) if review.threshold else threshold_config()


def result_of(review: Review) -> ThresholdResult:
    """The threshold check as it was made, from the request's cited complaints."""
    return assess(
        case=review.case,
        applicant=review.applicant,
        requested_on=review.requested_on,
        chosen=list(review.complaints.values_list("pk", flat=True)),
        config=stored_config(review),
    )


@transaction.atomic
def add_recommendation(
    request, *, review: Review, text: str, owner_agency: Agency, due_date: date | None
) -> Recommendation:
    if review.status != ReviewStatus.IN_REVIEW:
        raise AsbError(None, "Recommendations can be added only while the review is under way.")
    made = Recommendation.objects.create(
        review=review, text=text.strip(), owner_agency=owner_agency, due_date=due_date
    )
    record(request, "create", made, summary=f"Added a recommendation to {review}")
    return made


def letter_for(review: Review, decision: str, completed_on: date, template: str) -> str:
    """The letter to the applicant, from the partnership's template.

    `string.Template` substitutes only the named words, so a template cannot run code or
    reach into the records, whatever a coordinator writes in it.
    """
    recommendations = "\n".join(
        f"- {r.text} ({r.owner_agency})"
        for r in review.recommendations.select_related("owner_agency")
    )
    values = {
        "applicant": str(review.applicant),
        "reference": review.case.reference,
        "requested_on": f"{review.requested_on:%d %B %Y}",
        "completed_on": f"{completed_on:%d %B %Y}",
        "threshold": review.explanation,
        "decision": decision.strip(),
        "recommendations": recommendations or "- No further action was recommended.",
    }
    return string.Template(template or DEFAULT_LETTER).safe_substitute(values)


@transaction.atomic
def complete_review(
    request, *, review: Review, version: int, decision: str, completed_on: date, today: date
) -> Review:
    """Record the panel's decision, complete the review and write the letter."""
    if review.status != ReviewStatus.IN_REVIEW:
        raise AsbError(None, "This review is not under way, so it cannot be completed.")
    if not decision.strip():
        raise AsbError("decision", "Enter the panel's decision.")
    if completed_on > today:
        raise AsbError("completed_on", "The date of completion must be today or in the past.")
    if completed_on < review.requested_on:
        raise AsbError("completed_on", "The review cannot be completed before it was asked for.")
    letter = letter_for(review, decision, completed_on, review_settings().letter_template)
    compare_and_swap(
        review,
        version=version,
        decision=decision.strip(),
        completed_on=completed_on,
        status=ReviewStatus.COMPLETED,
        letter=letter,
    )
    record(request, "update", review, summary=f"Completed {review}")
    return review


@transaction.atomic
def save_settings(request, *, version: int, **values) -> ReviewSettings:
    """Change the threshold or the letter; the rules check the numbers first."""
    ThresholdConfig(**{k: v for k, v in values.items() if k != "letter_template"})
    row = ReviewSettings.objects.order_by("pk").first()
    if row is None:
        row = ReviewSettings.objects.create(letter_template=DEFAULT_LETTER)
    compare_and_swap(row, version=version, **values)
    record(
        request,
        "update",
        row,
        summary="Changed the ASB case review settings",
        detail={k: v for k, v in values.items() if k != "letter_template"},
    )
    return row


# --- tools and powers -------------------------------------------------------------------------


@transaction.atomic
def record_tool_use(
    request,
    *,
    kind: str,
    agency: Agency,
    used_on: date,
    today: date,
    ends_on: date | None = None,
    person: Person | None = None,
    premises: str = "",
    case: AsbCase | None = None,
    outcome: str = "",
) -> ToolUse:
    if used_on > today:
        raise AsbError("used_on", "The date must be today or in the past.")
    if ends_on is not None and ends_on < used_on:
        raise AsbError("ends_on", "The end date must be on or after the date it was used.")
    if person is None and not premises.strip():
        raise AsbError("person", "Say whom it was used against: a person on the case, or premises.")
    use = ToolUse.objects.create(
        kind=kind,
        agency=agency,
        officer=request.user if request is not None else None,
        used_on=used_on,
        ends_on=ends_on,
        person=person,
        premises=premises.strip(),
        case=case,
        outcome=outcome.strip(),
    )
    record(request, "create", use, summary=f"Recorded {use}")
    return use
