"""Nominals: the people the partnership works with, and who may see them.

Every model here holds personal data (PersonalData): the services record every write and
every read goes through `people.access`.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from saferhub.rules.demographics import ETHNICITIES, GENDERS, age_on
from saferhub.rules.need_to_know import INVOLVEMENT_REASONS
from saferhub.web.accounts.models import Agency
from saferhub.web.audit.personal import PersonalData
from saferhub.web.versioning import Versioned

REASON_LABELS = dict(INVOLVEMENT_REASONS)


class Person(Versioned, PersonalData):
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, db_index=True)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=1, choices=GENDERS, default="U")
    ethnicity = models.CharField(
        max_length=2, choices=[(c, label) for c, label, _ in ETHNICITIES], default="NS"
    )
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    ward = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    @property
    def audit_person_id(self) -> int | None:
        return self.pk

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age(self, today: date) -> int | None:
        return age_on(self.date_of_birth, today) if self.date_of_birth else None

    def __str__(self) -> str:
        return self.full_name


class Alias(PersonalData):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return self.name


class IdentifierKind(models.TextChoices):
    PNC = "pnc", "PNC ID"
    CRN = "crn", "Probation CRN"
    LOCAL = "local", "Local ID"


class Identifier(PersonalData):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=8, choices=IdentifierKind.choices)
    value = models.CharField(max_length=40)
    issuer = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "value", "issuer"], name="unique_identifier"),
            models.UniqueConstraint(
                fields=["kind", "value"],
                condition=models.Q(issuer__isnull=True),
                name="unique_national_identifier",
            ),
        ]
        indexes = [models.Index(fields=["value"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class FlagKind(models.TextChoices):
    MAPPA = "mappa", "MAPPA"
    IOM = "iom", "IOM"
    PPO = "ppo", "PPO"
    CARE_LEAVER = "care_leaver", "Care leaver"
    ARMED_FORCES = "armed_forces", "Armed forces"
    MENTAL_HEALTH = "mental_health", "Mental health issues"
    SUICIDE_SELF_HARM = "suicide_self_harm", "Suicide/self-harm"
    STREET_GANGS = "street_gangs", "Street gangs"
    WEAPONS = "weapons", "Weapons"
    SMD_HOMELESSNESS = "smd_homelessness", "SMD: homelessness"
    SMD_SUBSTANCE = "smd_substance_misuse", "SMD: substance misuse"
    SMD_OFFENDING = "smd_offending", "SMD: offending"
    SMD_MENTAL_HEALTH = "smd_mental_health", "SMD: mental health"
    SMD_DOMESTIC_ABUSE = "smd_domestic_abuse", "SMD: domestic abuse"


class MappaCategory(models.IntegerChoices):
    CAT1 = 1, "Category 1: registered sexual offender"
    CAT2 = 2, "Category 2: violent offender"
    CAT3 = 3, "Category 3: other dangerous offender"
    CAT4 = 4, "Category 4: terrorism and terrorism-risk offender"


class MappaLevel(models.IntegerChoices):
    LEVEL1 = 1, "Level 1: ordinary agency management"
    LEVEL2 = 2, "Level 2: active multi-agency management"
    LEVEL3 = 3, "Level 3: active multi-agency management (senior)"


class Flag(Versioned, PersonalData):
    """A registration or flag on a person, in force from `start` to `end`."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=24, choices=FlagKind.choices)
    mappa_category = models.PositiveSmallIntegerField(
        choices=MappaCategory.choices, null=True, blank=True
    )
    mappa_level = models.PositiveSmallIntegerField(
        choices=MappaLevel.choices, null=True, blank=True
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True)
    notes = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["kind", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="flag_ends_after_start",
            )
        ]

    def in_force(self, today: date) -> bool:
        return self.start <= today and (self.end is None or today <= self.end)

    def __str__(self) -> str:
        text = self.get_kind_display()
        if self.kind == FlagKind.MAPPA and self.mappa_category:
            text += f" cat {self.mappa_category}"
            if self.mappa_level:
                text += f" level {self.mappa_level}"
        return text


class InvolvementStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class Involvement(PersonalData):
    """An agency working with a person: the basis of need-to-know.

    Programmes and the recording of a person create approved involvements; one asked for by
    hand starts as a request and gives no sight until a coordinator of its agency approves.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="involvements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="involvements")
    reason = models.CharField(max_length=300)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=InvolvementStatus.choices, default=InvolvementStatus.APPROVED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-start"]
        indexes = [
            models.Index(fields=["agency", "person"]),
            models.Index(fields=["agency", "status"]),
        ]

    @property
    def approved(self) -> bool:
        return self.status == InvolvementStatus.APPROVED

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason, self.reason)

    def __str__(self) -> str:
        return f"{self.agency} since {self.start:%d %b %Y}"


class Share(PersonalData):
    """An explicit, time-limited grant of sight of one record to another agency."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="shares")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="shares")
    reason = models.CharField(max_length=500)
    start = models.DateField()
    end = models.DateField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-end"]

    def __str__(self) -> str:
        return f"Shared with {self.agency} until {self.end:%d %b %Y}"


class NoteVisibility(models.TextChoices):
    AGENCY = "agency", "My agency only"
    PARTNERSHIP = "partnership", "Every agency that may see this person"


class Note(Versioned, PersonalData):
    """A practitioner's note on a person, for their own agency or the whole partnership.

    A partnership note shows to anyone who may see the person; an agency note only to the
    writer's agency, so a note can hold what the agency may not yet share.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notes")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    text = models.TextField()
    visibility = models.CharField(
        max_length=12, choices=NoteVisibility.choices, default=NoteVisibility.AGENCY
    )
    written_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_on", "-id"]
        indexes = [models.Index(fields=["person", "agency"])]

    def __str__(self) -> str:
        return f"Note on {self.written_on:%d %b %Y}"


class DataVersion(models.Model):
    """One row per app: a token every write to that app's data replaces, in its transaction.

    Cached figures are keyed by it (saferhub.app.data_version), so every process serving
    the app sees a write at once: the token lives in the shared database, not in one
    process's memory. A random token rather than a counter, because a rolled-back write
    would hand its number to the next write, and figures cached from the rolled-back
    state would then be taken for the new one.
    """

    area = models.CharField(max_length=32, unique=True)  # an app label, e.g. "iom"
    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"Data version of {self.area}: {self.token}"


# Registered with the people app; kept in their own module by concept.
from saferhub.web.people.linkage_models import (  # noqa: E402, F401
    CandidateStatus,
    DuplicateCandidate,
    LegalHold,
    PersonMerge,
)
