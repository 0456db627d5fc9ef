"""The append-only audit log of every read and write of personal data.

Nothing in the application updates or deletes an entry: the model refuses it, the
queryset refuses it, and database triggers (see the migrations) refuse it too.
"""

from __future__ import annotations

from django.db import models


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    EXPORT = "export", "Exported"
    IMPORT = "import", "Imported"
    SIGN_IN = "sign-in", "Signed in"
    SIGN_OUT = "sign-out", "Signed out"
    SIGN_IN_FAILED = "sign-in-failed", "Sign-in failed"
    DENIED = "denied", "Access refused"


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only.")

    _raw_delete = delete


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Plain copies, not foreign keys: the record must outlive the user or person it names.
    user_id = models.BigIntegerField(null=True, db_index=True)
    username = models.CharField(max_length=150)
    agency = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    person_id = models.BigIntegerField(null=True, db_index=True)
    summary = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        when = f"{self.at:%Y-%m-%d %H:%M}" if self.at else "unsaved"
        return f"{when} {self.username} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")


class AuditSubject(models.Model):
    """One person an audit event is about, beyond its own `person_id`.

    A listing names many people in one event; a row per person lets the audit log, searched
    by person, find every page that disclosed them. Append-only, like the events.
    """

    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="subjects")
    person_id = models.BigIntegerField(db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "person_id"], name="one_subject_per_person")
        ]

    def __str__(self) -> str:
        return f"person {self.person_id} in event {self.event_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")
