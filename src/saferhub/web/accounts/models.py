"""Agencies, the programmes they belong to, and the people who sign in."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models


class AgencyKind(models.TextChoices):
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation"
    COMMUNITY_SAFETY = "community_safety", "Council community safety"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    HEALTH = "health", "Health"
    HOUSING = "housing", "Housing"
    CHILDRENS_SERVICES = "childrens_services", "Children's services"
    VOLUNTARY = "voluntary", "Voluntary sector"


class Programme(models.TextChoices):
    """The multi-agency programmes whose records only member agencies may see."""

    IOM = "iom", "Integrated Offender Management"
    DA_MARAC = "da_marac", "Domestic Abuse MARAC"
    ASB_MARAC = "asb_marac", "Community Safety MARAC"
    ADULTS_AT_RISK = "adults_at_risk", "Adults at Risk Panel"
    ASB = "asb", "ASB cases and case reviews"
    SIRM = "sirm", "Serious Incident Response Meeting"


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=AgencyKind.choices)
    programmes = models.JSONField(
        default=list, blank=True, help_text="Codes of the programmes this agency is a member of."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    def in_programme(self, programme: str) -> bool:
        return programme in (self.programmes or [])


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    PRACTITIONER = "practitioner", "Practitioner"
    COORDINATOR = "coordinator", "Coordinator"
    ANALYST = "analyst", "Analyst"
    ADMINISTRATOR = "administrator", "Administrator"


class UserManager(DjangoUserManager):
    """Users with their agency: every page reads the signed-in user's agency (need-to-know,
    the menu, the header), so the sign-in backend's lookup brings it in the same query."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("agency")


class User(AbstractUser):
    """Someone who signs in. Belongs to one agency and holds one role."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="users")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.VIEWER)

    objects = UserManager()

    class Meta:
        ordering = ["username"]

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def in_programme(self, programme: str) -> bool:
        return self.is_administrator or bool(self.agency and self.agency.in_programme(programme))
