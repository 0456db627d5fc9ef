"""The marker for models that hold personal data: every write to them is audited."""

from __future__ import annotations

from django.db import models


class PersonalData(models.Model):
    """Abstract base: the service that saves or deletes an instance records an audit event.

    The events are explicit (`saferhub.web.audit.log.record_create`, `record_change`,
    `record_delete`); tests/security/test_services_audit.py fails on a bulk write to one of
    these models outside the places that record their own event. Subclasses say which
    person a row is about through `audit_person_id`.
    """

    class Meta:
        abstract = True

    @property
    def audit_person_id(self) -> int | None:
        return getattr(self, "person_id", None)
