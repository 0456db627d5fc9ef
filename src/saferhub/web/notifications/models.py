"""Email notifications: each user's choice of delivery, and the notices waiting to go.

A notice names a case by its reference and a date, never a person: email leaves the
system, so it carries only what tells the reader to sign in and look.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Delivery(models.TextChoices):
    DIGEST = "digest", "One email a day with everything new (the daily digest)"
    IMMEDIATE = "immediate", "An email as soon as something happens"


class Preference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.DIGEST)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.delivery}"


class Kind(models.TextChoices):
    ALLOCATED = "allocated", "Action allocated"
    OVERDUE = "overdue", "Action overdue"
    LISTED = "listed", "Case listed for a meeting"


class Notice(models.Model):
    """One thing to tell one user; `key` makes each notice once per user (e.g. overdue)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=80)
    text = models.CharField(max_length=300)
    path = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="one_notice_per_key")
        ]
        indexes = [models.Index(fields=["sent_at", "recipient"])]

    def __str__(self) -> str:
        return self.text
