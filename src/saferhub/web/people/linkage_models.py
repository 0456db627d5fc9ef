"""Duplicate people: pairs found by the matcher, merges that can be undone, and legal holds.

The people named by a candidate or merge are held as ids, not foreign keys, where the
row must outlive a person (a merge removes one) or must not be carried by a merge.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saferhub.web.audit.personal import PersonalData
from saferhub.web.people.models import Person
from saferhub.web.versioning import Versioned


class CandidateStatus(models.TextChoices):
    OPEN = "open", "Waiting for review"
    MERGED = "merged", "Merged"
    DISMISSED = "dismissed", "Not the same person"


class DuplicateCandidate(models.Model):
    """Two people the matcher scored as possibly the same, waiting for a coordinator."""

    left = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    match_weight = models.FloatField()
    found_at = models.DateTimeField(auto_now=True)
    status = models.CharField(
        max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-match_weight", "left_id", "right_id"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="one_candidate_per_pair"),
            models.CheckConstraint(
                condition=models.Q(left__lt=models.F("right")), name="candidate_left_below_right"
            ),
        ]

    def __str__(self) -> str:
        return f"Possible duplicate: people {self.left_id} and {self.right_id}"


class PersonMerge(models.Model):
    """One person's records moved onto another, with what is needed to undo it.

    `merged_record` is the removed person's own row as Django serialises it; `moved` lists
    each row that was re-pointed, as [model label, primary key, field name].
    """

    kept_id = models.BigIntegerField(db_index=True)
    merged_id = models.BigIntegerField(db_index=True)
    reason = models.CharField(max_length=500)
    merged_record = models.JSONField()
    moved = models.JSONField(default=list)
    match_weight = models.FloatField(null=True, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"Merge of person {self.merged_id} into {self.kept_id}"

    @property
    def undone(self) -> bool:
        return self.undone_at is not None


class LegalHold(Versioned, PersonalData):
    """While a hold is in place, retention removes nothing about this person.

    Placed and lifted only through `saferhub.web.people.retention` (the CLI and the web
    pages both call it), each with a reason; lifting is a versioned update, so two people
    lifting the same hold at once cannot both succeed.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="legal_holds")
    reason = models.CharField(max_length=500)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    placed_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lift_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-placed_at"]

    def __str__(self) -> str:
        return "Legal hold" + (" (lifted)" if self.lifted_at else "")
