"""ASB cases, their incidents and people, case reviews ("Community Trigger"), tools and powers.

Every model that holds personal data subclasses PersonalData, so each write is audited;
editable records subclass Versioned, so no edit silently overwrites another.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saferhub.web.accounts.models import Agency
from saferhub.web.audit.personal import PersonalData
from saferhub.web.people.models import Person
from saferhub.web.versioning import Versioned


class Category(models.TextChoices):
    """The national ASB categories (Home Office counting rules for ASB incidents)."""

    PERSONAL = "personal", "Personal"
    NUISANCE = "nuisance", "Nuisance"
    ENVIRONMENTAL = "environmental", "Environmental"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class AsbCase(Versioned, PersonalData):
    """One ASB case: the harm to one or more complainants, worked by several agencies.

    Other apps (the Community Safety MARAC) refer to a case by its `reference`.
    """

    reference = models.CharField(max_length=16, unique=True)
    summary = models.CharField("summary of the problem", max_length=300)
    category = models.CharField(max_length=16, choices=Category.choices)
    location = models.CharField(max_length=200, blank=True)
    ward = models.CharField(max_length=100, blank=True)
    opened_on = models.DateField()
    status = models.CharField(max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    # The case's agencies see its people until this day plus the grace period, then no more.
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=300, blank=True)
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = "ASB case"
        indexes = [
            models.Index(fields=["status", "opened_on"]),
            models.Index(fields=["-opened_on", "-id"], name="asb_case_newest_first"),
        ]

    @property
    def audit_person_id(self) -> int | None:
        return None

    def __str__(self) -> str:
        return f"ASB case {self.reference}"


class CaseAgency(models.Model):
    """An agency working the case: its officers see the case and its people."""

    case = models.ForeignKey(AsbCase, on_delete=models.CASCADE, related_name="agencies")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="asb_cases")
    since = models.DateField()

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], name="asb_agency_once_per_case")
        ]
        indexes = [models.Index(fields=["agency", "case"])]

    def __str__(self) -> str:
        return str(self.agency)


class Complainant(PersonalData):
    """A victim of the behaviour: a person, or a household named by its address."""

    case = models.ForeignKey(AsbCase, on_delete=models.CASCADE, related_name="complainants")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    household = models.CharField("household address", max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(household=""),
                name="asb_complainant_is_person_or_household",
            )
        ]

    @property
    def key(self) -> str:
        """Who made a complaint, as the threshold rule compares complainants."""
        return f"complainant-{self.pk}"

    def __str__(self) -> str:
        return str(self.person) if self.person_id else f"Household at {self.household}"


class Respondent(PersonalData):
    """A person causing the harm (the "respondent" in ASB legislation)."""

    case = models.ForeignKey(AsbCase, on_delete=models.CASCADE, related_name="respondents")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="asb_respondent_once")
        ]

    def __str__(self) -> str:
        return str(self.person)


class Incident(Versioned, PersonalData):
    """One incident, and the complaint about it: who complained and when."""

    case = models.ForeignKey(AsbCase, on_delete=models.CASCADE, related_name="incidents")
    occurred_on = models.DateField("date of the incident")
    occurred_at = models.TimeField("time of the incident", null=True, blank=True)
    location = models.CharField(max_length=200)
    ward = models.CharField(max_length=100, blank=True)
    category = models.CharField(max_length=16, choices=Category.choices)
    description = models.TextField(blank=True)
    complainant = models.ForeignKey(
        Complainant, on_delete=models.SET_NULL, null=True, blank=True, related_name="complaints"
    )
    reported_on = models.DateField("date the complaint was made")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["occurred_on"])]

    @property
    def audit_person_id(self) -> int | None:
        return self.complainant.person_id if self.complainant_id else None

    def __str__(self) -> str:
        return f"Incident on {self.occurred_on:%d %B %Y}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class CaseAction(Versioned, PersonalData):
    case = models.ForeignKey(AsbCase, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default="open")

    class Meta:
        ordering = ["due_date", "id"]

    @property
    def audit_person_id(self) -> int | None:
        return None

    def __str__(self) -> str:
        return self.description


class ReviewStatus(models.TextChoices):
    NOT_MET = "not_met", "Threshold not met"
    IN_REVIEW = "in_review", "Review under way"
    COMPLETED = "completed", "Review completed"


class Review(Versioned, PersonalData):
    """A request for an ASB case review, the threshold decision, and the review it opens."""

    case = models.ForeignKey(AsbCase, on_delete=models.PROTECT, related_name="reviews")
    applicant = models.ForeignKey(Complainant, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField("date the review was asked for")
    complaints = models.ManyToManyField(Incident, related_name="+", blank=True)
    status = models.CharField(max_length=12, choices=ReviewStatus.choices)
    threshold_met = models.BooleanField()
    limb = models.CharField(max_length=12, blank=True)
    explanation = models.CharField(max_length=500)
    # The threshold in force when the request was checked, so the record explains itself later.
    threshold = models.JSONField(default=dict)
    due_on = models.DateField(null=True, blank=True)
    decision = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    letter = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_on", "-id"]
        indexes = [models.Index(fields=["status", "due_on"])]

    @property
    def audit_person_id(self) -> int | None:
        return self.applicant.person_id

    def __str__(self) -> str:
        return f"Case review {self.pk} of {self.case.reference}"


class Recommendation(Versioned, PersonalData):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    text = models.CharField(max_length=500)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    @property
    def audit_person_id(self) -> int | None:
        return None

    def __str__(self) -> str:
        return self.text


class ToolKind(models.TextChoices):
    """The tools and powers counted monthly; labels match the partner series names."""

    INJUNCTION = "injunction", "ASB injunction"
    CBO = "cbo", "Criminal Behaviour Order"
    CPN_WARNING = "cpn_warning", "CPN written warning"
    CPN = "cpn", "Community Protection Notice"
    CPN_BREACH = "cpn_breach", "CPN breach"
    PSPO_FPN = "pspo_fpn", "PSPO fixed penalty"
    CLOSURE = "closure", "Premises closure order"


class ToolUse(Versioned, PersonalData):
    """One use of an ASB tool or power: who used it, against whom, when, and the outcome."""

    kind = models.CharField(max_length=16, choices=ToolKind.choices)
    case = models.ForeignKey(
        AsbCase, on_delete=models.SET_NULL, null=True, blank=True, related_name="tool_uses"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    premises = models.CharField("premises address", max_length=300, blank=True)
    used_on = models.DateField("date issued, served or granted")
    ends_on = models.DateField("date it ends", null=True, blank=True)
    outcome = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-used_on", "-id"]
        indexes = [models.Index(fields=["used_on", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.used_on:%d %B %Y}"


class ReviewSettings(Versioned):
    """The partnership's case review threshold and letter; one row."""

    complaints = models.PositiveSmallIntegerField("complaints needed", default=3)
    window_months = models.PositiveSmallIntegerField("months the complaints fall in", default=6)
    report_within_months = models.PositiveSmallIntegerField(
        "months from incident to complaint", default=1
    )
    community_individuals = models.PositiveSmallIntegerField(
        "individuals for the community limb", default=5
    )
    community_window_months = models.PositiveSmallIntegerField(
        "months for the community limb", default=6
    )
    review_working_days = models.PositiveSmallIntegerField(
        "working days to complete a review", default=20
    )
    letter_template = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "review settings"

    def __str__(self) -> str:
        return "ASB case review settings"
