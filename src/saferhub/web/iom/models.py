"""The IOM cohort in the database: spells on the programme, tier history, contacts,
pathway referrals, selection decisions, and the police offences and custody the measures read.

Every model holding personal data subclasses PersonalData; the services record every write.
The rules these records follow live in `saferhub.rules.iom_tiers`, `iom_scoring` and
`iom_pathways`; the forms and services check them before anything is saved.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from saferhub.rules.iom_pathways import OUTCOMES, PATHWAYS
from saferhub.rules.iom_tiers import CONTACT_OUTCOMES, TIER_ORDER, ContactPlan, Tier, TierChange
from saferhub.web.accounts.models import Agency
from saferhub.web.audit.personal import PersonalData
from saferhub.web.people.models import Person
from saferhub.web.versioning import Versioned


class Management(models.TextChoices):
    STATUTORY = "Statutory", "Statutory (on licence, managed by probation)"
    NON_STATUTORY = "Non-statutory", "Non-statutory (managed by IOM police)"


class Selection(models.TextChoices):
    MATRIX = "matrix", "Selected by the scoring matrix"
    JUDGEMENT = "judgement", "Added by professional judgement"


TIER_CHOICES = [(t.value, f"{t.value}: {t.description}") for t in TIER_ORDER]
PATHWAY_CHOICES = list(PATHWAYS.items())
OUTCOME_CHOICES = [(o, o.capitalize()) for o in OUTCOMES]
CONTACT_OUTCOME_CHOICES = [(o, o.capitalize()) for o in CONTACT_OUTCOMES]


class ContactMethod(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    HOME_VISIT = "home_visit", "Home visit"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"


class IomSettings(Versioned):
    """The partnership's IOM settings: its contact plan and de-selection review period."""

    contact_plan = models.JSONField(
        default=dict,
        blank=True,
        help_text='Contacts a week by tier, e.g. {"Red": 7, "Green": [2, 3]}; '
        "tiers left out keep the default.",
    )
    offence_free_months = models.PositiveSmallIntegerField(default=12)

    class Meta:
        verbose_name_plural = "IOM settings"

    def __str__(self) -> str:
        return "IOM settings"

    @classmethod
    def current(cls) -> IomSettings:
        settings_row, _ = cls.objects.get_or_create(pk=1)
        return settings_row

    def plan(self) -> ContactPlan:
        return ContactPlan.from_mapping(self.contact_plan or {})


class Membership(Versioned, PersonalData):
    """One spell on the IOM programme: from the join date to the leave date, both included."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="iom_memberships")
    pnc_id = models.CharField("PNC ID", max_length=40, db_index=True)
    join_date = models.DateField()
    selection = models.CharField(max_length=16, choices=Selection.choices, default=Selection.MATRIX)
    join_reason = models.CharField(max_length=500)
    leave_date = models.DateField(null=True, blank=True)
    leave_reason = models.CharField(max_length=500, blank=True)
    management = models.CharField(max_length=16, choices=Management.choices)
    lead_practitioner = models.CharField("Lead probation practitioner", max_length=100, blank=True)
    police_officer = models.CharField("IOM police officer", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-join_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(leave_date__isnull=True)
                | models.Q(leave_date__gte=models.F("join_date")),
                name="iom_leave_not_before_join",
            )
        ]

    def __str__(self) -> str:
        return f"IOM spell from {self.join_date:%d %b %Y}"

    def on_programme(self, day: date) -> bool:
        return self.join_date <= day and (self.leave_date is None or day <= self.leave_date)

    def history(self) -> list[TierChange]:
        return [
            TierChange(Tier(change.tier), change.from_date, change.reason)
            for change in self.tier_changes.all()
        ]

    def tier_on(self, day: date) -> str | None:
        latest = None
        for change in self.tier_changes.all():
            if change.from_date <= day:
                latest = change.tier
        return latest


class TierRecord(PersonalData):
    """A tier change: from this date the member is in this tier, for the reason given."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="tier_changes"
    )
    tier = models.CharField(max_length=8, choices=TIER_CHOICES)
    from_date = models.DateField()
    reason = models.CharField(max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["from_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "from_date"], name="iom_one_tier_change_a_day"
            )
        ]

    @property
    def audit_person_id(self) -> int | None:
        return self.membership.person_id

    def __str__(self) -> str:
        return f"{self.tier} from {self.from_date:%d %b %Y}"


class Contact(PersonalData):
    """A contact with a member, planned or made: attended, missed or cancelled."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="contacts")
    contact_date = models.DateField()
    outcome = models.CharField(max_length=10, choices=CONTACT_OUTCOME_CHOICES)
    method = models.CharField(
        max_length=16, choices=ContactMethod.choices, default=ContactMethod.FACE_TO_FACE
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-contact_date", "-pk"]
        indexes = [models.Index(fields=["membership", "contact_date"])]

    @property
    def audit_person_id(self) -> int | None:
        return self.membership.person_id

    def __str__(self) -> str:
        return f"Contact on {self.contact_date:%d %b %Y}: {self.outcome}"


class PathwayReferral(Versioned, PersonalData):
    """A referral to a pathway service and how it ended (blank while open)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="referrals")
    pathway = models.CharField(max_length=24, choices=PATHWAY_CHOICES)
    provider = models.CharField(max_length=200)
    referral_date = models.DateField()
    outcome = models.CharField(max_length=20, choices=OUTCOME_CHOICES, blank=True)
    outcome_date = models.DateField(null=True, blank=True)
    notes = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-referral_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome_date__isnull=True)
                | models.Q(outcome_date__gte=models.F("referral_date")),
                name="iom_outcome_not_before_referral",
            )
        ]

    @property
    def audit_person_id(self) -> int | None:
        return self.membership.person_id

    def __str__(self) -> str:
        return f"{self.get_pathway_display()} referral on {self.referral_date:%d %b %Y}"


class SelectionDecision(PersonalData):
    """A decision, by judgement or on review, to add someone to the cohort or take them off."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="iom_decisions")
    decision = models.CharField(max_length=8, choices=[("add", "Add"), ("remove", "Remove")])
    reason = models.CharField(max_length=500)
    score = models.FloatField(null=True, blank=True)
    decided_on = models.DateField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    membership = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} on {self.decided_on:%d %b %Y}"


class Offence(PersonalData):
    """An offence from the police extract (docs/formats/offences.md), keyed by PNC ID."""

    offence_id = models.CharField(max_length=40, unique=True)
    pnc_id = models.CharField("PNC ID", max_length=40, db_index=True)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offence_date = models.DateField()
    offence_code = models.CharField(max_length=10)
    offence_group = models.CharField(max_length=32)

    class Meta:
        ordering = ["-offence_date"]

    def __str__(self) -> str:
        return f"Offence {self.offence_id}"


class CustodySpell(PersonalData):
    """A spell in custody (docs/formats/custody.md); the release day is a day at liberty."""

    pnc_id = models.CharField("PNC ID", max_length=40, db_index=True)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reception_date = models.DateField()
    release_date = models.DateField(null=True, blank=True)
    custody_type = models.CharField(max_length=10, default="sentence")

    class Meta:
        ordering = ["-reception_date"]

    def __str__(self) -> str:
        return f"Custody from {self.reception_date:%d %b %Y}"
