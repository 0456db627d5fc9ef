"""The board's action plan (actions, their dated updates and RAG history) and forward plan.

These are partnership business records, not personal data: owners and leads are staff
named in their work role. Every write is still audited by the service that makes it, and
the editable records subclass Versioned, so no edit silently overwrites another.

An action's RAG changes only through an update (`PlanActionUpdate`), so the sequence of
its updates is its complete RAG history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from saferhub.web.accounts.models import Agency
from saferhub.web.versioning import Versioned


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ItemKind(models.TextChoices):
    REPORT = "report", "Report"
    PRESENTATION = "presentation", "Presentation"
    DECISION = "decision", "Decision"
    VERBAL = "verbal", "Verbal update"


class ItemStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    PRESENTED = "presented", "Presented"
    DEFERRED = "deferred", "Deferred"


class PlanAction(Versioned):
    """One action on the board's action plan."""

    title = models.CharField("action", max_length=200)
    description = models.TextField(blank=True)
    priority = models.CharField("priority or objective", max_length=200, blank=True)
    owner = models.CharField("owner", max_length=120)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField("due date")
    rag = models.CharField("RAG status", max_length=8, choices=Rag.choices)
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default="open")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("boardplan:action", args=[self.pk])


class PlanActionUpdate(models.Model):
    """A dated progress note on an action and the RAG its owner gave it then. Never edited:
    a correction is a new update, so the history stays as the board saw it."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField("date of the update")
    text = models.TextField("update")
    rag = models.CharField("RAG status", max_length=8, choices=Rag.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as written, so the history still says who wrote it after an account is removed.
    author_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.action} – {self.on:%d %B %Y} ({self.get_rag_display()})"


class ForwardPlanItem(Versioned):
    """An item coming to a board meeting: a report, a presentation or a decision."""

    meeting_date = models.DateField("meeting date")
    title = models.CharField("item", max_length=200)
    lead = models.CharField("lead officer", max_length=120, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField("kind of item", max_length=16, choices=ItemKind.choices)
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=ItemStatus.choices, default="planned")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting_date", "id"]
        indexes = [models.Index(fields=["meeting_date"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.meeting_date:%d %B %Y})"
