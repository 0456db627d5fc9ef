"""Checking and running ASB case reviews (the ASB Case Review): the threshold, requests,
recommendations, decisions and their letters, and the settings."""

from __future__ import annotations

import string
from collections.abc import Collection, Iterable
from datetime import date

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
    AsbCase,
    Complainant,
    Incident,
    Recommendation,
    Review,
    ReviewSettings,
    ReviewStatus,
)
from saferhub.web.asb.services.errors import AsbError
from saferhub.web.audit.log import record
from saferhub.web.versioning import compare_and_swap

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
