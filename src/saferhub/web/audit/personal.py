"""The marker for models that hold personal data: every write to them is audited."""

from __future__ import annotations

from django.db import models


class PersonalData(models.Model):
    """Abstract base: saving or deleting an instance writes an audit entry.

    Subclasses say which person a row is about through `audit_person_id`.
    """

    class Meta:
        abstract = True

    @property
    def audit_person_id(self) -> int | None:
        return getattr(self, "person_id", None)
