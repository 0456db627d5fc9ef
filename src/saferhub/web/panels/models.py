"""Panel cases, meetings, research, attendance and actions.

One set of models serves every panel (`panel` holds the programme code, e.g. "da_marac");
the rules that differ between panels live in `saferhub.rules.panels`. Every model that
holds personal data subclasses PersonalData; the services record each write.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from saferhub.rules.panels import CaseState
from saferhub.web.accounts.models import Agency, Programme
from saferhub.web.audit.personal import PersonalData
from saferhub.web.people.models import Person
from saferhub.web.versioning import Versioned


def _on_panel(name: str, panel: str, pk: int) -> str:
    # Every panel mounts the same pages under its own instance namespace.
    from saferhub.web.panels.registry import namespace_of

    return reverse(f"panels:{name}", args=[pk], current_app=namespace_of(panel))


PANEL_CHOICES = [
    (Programme.DA_MARAC.value, Programme.DA_MARAC.label),
    (Programme.ASB_MARAC.value, Programme.ASB_MARAC.label),
    (Programme.ADULTS_AT_RISK.value, Programme.ADULTS_AT_RISK.label),
    (Programme.SIRM.value, Programme.SIRM.label),
]
CASE_STATES = [(s.value, s.label) for s in CaseState]


class Relationship(models.TextChoices):
    INTIMATE_PARTNER = "intimate_partner", "Intimate partner"
    EX_PARTNER = "ex_partner", "Ex-partner"
    SON_OR_DAUGHTER = "son_or_daughter", "Son or daughter"
    PARENT = "parent", "Parent"
    OTHER_FAMILY = "other_family", "Other family member"
    OTHER = "other", "Other"


class RiskArea(models.TextChoices):
    VICTIM_SAFETY = "victim_safety", "Victim safety"
    PERPETRATOR = "perpetrator", "Perpetrator behaviour"
    CHILDREN = "children", "Children's safety"
    HOUSING = "housing", "Housing"
    HEALTH = "health", "Health"
    INFORMATION = "information", "Information sharing"


class Case(Versioned, PersonalData):
    """One referral of one victim to a panel, from referral to closure."""

    panel = models.CharField(max_length=16, choices=PANEL_CHOICES, default=Programme.DA_MARAC)
    reference = models.CharField(max_length=16, unique=True)
    victim = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="panel_cases")
    referral_date = models.DateField()
    referring_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=12, choices=CASE_STATES, default=CaseState.REFERRED)
    criteria = models.JSONField(default=list, blank=True)
    checklist_version = models.CharField(max_length=80, blank=True)
    checklist_answers = models.JSONField(default=dict, blank=True)
    checklist_score = models.PositiveSmallIntegerField(null=True, blank=True)
    professional_judgement_reason = models.TextField(blank=True)
    incidents_12m = models.PositiveSmallIntegerField(null=True, blank=True)
    victim_lgbt = models.BooleanField(null=True, blank=True)
    victim_disabled = models.BooleanField(null=True, blank=True)
    safe_to_contact = models.BooleanField(null=True, blank=True)
    contact_method = models.CharField(max_length=300, blank=True)
    is_repeat = models.BooleanField(default=False)
    previous_case = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="repeats"
    )
    idva_agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    idva_name = models.CharField(max_length=150, blank=True)
    # The first meeting that heard the case: the date the quarterly statistics count it by.
    heard_date = models.DateField(null=True, blank=True)
    # The day the case's actions were last reviewed: the statistics' "review met" reads it.
    reviewed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=300, blank=True)
    # The panel's agencies see the case until this day plus the grace period, then no more.
    closed_on = models.DateField(null=True, blank=True)
    # The Community Safety MARAC's link to the ASB case the referral is about. A reference
    # typed before cases were linked, that matched no ASB case, stays as text until a user
    # links the case (web/panels/asb_links.py); once linked, the text is cleared.
    asb_case = models.ForeignKey(
        "asb.AsbCase",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="panel_cases",
    )
    asb_case_reference = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-referral_date", "-id"]
        indexes = [
            models.Index(fields=["panel", "status"]),
            models.Index(fields=["panel", "heard_date"]),
            models.Index(fields=["victim", "referral_date"]),
        ]

    @property
    def audit_person_id(self) -> int | None:
        return self.victim_id

    @property
    def state(self) -> CaseState:
        return CaseState(self.status)

    def __str__(self) -> str:
        return f"Case {self.reference}"

    def get_absolute_url(self) -> str:
        """The case page on its own panel's pages (the DA MARAC's, the CS MARAC's …)."""
        return _on_panel("case", self.panel, self.pk)


class Perpetrator(PersonalData):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="perpetrators")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="one_row_per_perpetrator")
        ]

    @property
    def audit_person_id(self) -> int | None:
        return self.person_id

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relationship_display()})"


class Child(PersonalData):
    """A child in the victim's household: only the age is kept, which is all the return needs."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="children")
    age = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["age", "id"]
        verbose_name_plural = "children"
        constraints = [
            models.CheckConstraint(condition=models.Q(age__lte=17), name="child_under_18")
        ]

    @property
    def audit_person_id(self) -> int | None:
        return Case.objects.filter(pk=self.case_id).values_list("victim_id", flat=True).first()

    def __str__(self) -> str:
        return f"Child aged {self.age}"


class Meeting(Versioned, PersonalData):
    """A panel meeting; its minutes may name people, so writes are audited."""

    panel = models.CharField(max_length=16, choices=PANEL_CHOICES, default=Programme.DA_MARAC)
    date = models.DateField()
    chair = models.CharField(max_length=150, blank=True)
    minutes = models.TextField(blank=True)
    held = models.BooleanField(default=False)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "date"], name="one_meeting_a_day_per_panel")
        ]

    @property
    def audit_person_id(self) -> int | None:
        return None

    def __str__(self) -> str:
        return f"{self.get_panel_display()} meeting, {self.date:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return _on_panel("meeting", self.panel, self.pk)


class Listing(models.Model):
    """A case on a meeting's agenda."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="listings")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="listings")
    position = models.PositiveSmallIntegerField(default=0)
    heard = models.BooleanField(default=False)
    listed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="case_listed_once_a_meeting")
        ]

    def __str__(self) -> str:
        return f"Case {self.case_id} at meeting {self.meeting_id}"


class Research(Versioned, PersonalData):
    """What one agency knows about a listed case, shared ahead of the meeting."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="research")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "agency"], name="one_research_per_agency")
        ]

    @property
    def audit_person_id(self) -> int | None:
        return (
            Listing.objects.filter(pk=self.listing_id)
            .values_list("case__victim_id", flat=True)
            .first()
        )


class Attendance(Versioned):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    attendee = models.CharField(max_length=150, blank=True)
    present = models.BooleanField(default=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "agency"], name="one_attendance_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {'present' if self.present else 'absent'}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Action(Versioned, PersonalData):
    """Something one agency agreed to do about one risk in a case, by a date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=500)
    risk_addressed = models.CharField(max_length=16, choices=RiskArea.choices)
    due_date = models.DateField()
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    outcome = models.TextField(blank=True)
    completed_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["owner_agency", "status"]),
        ]

    @property
    def audit_person_id(self) -> int | None:
        return Case.objects.filter(pk=self.case_id).values_list("victim_id", flat=True).first()

    def is_overdue(self, today) -> bool:
        return self.status == ActionStatus.OPEN and self.due_date < today

    def __str__(self) -> str:
        return f"{self.description} ({self.owner_agency})"


class IncidentRoute(models.TextChoices):
    SIRM = "sirm", "A SIRM within 24 hours"
    ADULTS_AT_RISK = "adults_at_risk", "The Adults at Risk Panel"
    NEITHER = "neither", "Neither panel"


class Incident(Versioned, PersonalData):
    """A serious violence incident, the facts the SIRM rule reads, and where it was sent.

    `suggested_route` is the rule's decision, kept beside `route` so an override shows what
    the rule said; `reasons` keeps the rule's reasoning as shown when it was recorded.
    """

    reference = models.CharField(max_length=16, unique=True)
    occurred_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reporting_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="incidents")
    victim_age = models.PositiveSmallIntegerField(null=True, blank=True)
    suspect_age = models.PositiveSmallIntegerField(null=True, blank=True)
    borough_resident = models.BooleanField(default=False)
    osman_warning = models.BooleanField(default=False)
    gang_link = models.BooleanField(default=False)
    known_to_childrens_services = models.BooleanField(default=False)
    children_in_household = models.BooleanField(default=False)
    summary = models.TextField(blank=True)
    suggested_route = models.CharField(max_length=16, choices=IncidentRoute.choices)
    route = models.CharField(max_length=16, choices=IncidentRoute.choices)
    reasons = models.JSONField(default=list)
    override_reason = models.TextField(blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="incidents"
    )
    sirm_held_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["route", "occurred_at"])]

    @property
    def audit_person_id(self) -> int | None:
        return self.person_id

    @property
    def overridden(self) -> bool:
        return self.route != self.suggested_route

    def __str__(self) -> str:
        return f"Incident {self.reference}"
