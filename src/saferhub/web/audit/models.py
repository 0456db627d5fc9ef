"""The append-only, hash-chained audit log of every read and write of personal data.

Nothing in the application updates or deletes an entry: the model refuses it through
every manager and queryset, a signal refuses it on Django's deletion collector, and
database triggers (see the migrations) refuse it whatever code asks. Each entry is dated
by the database and chained to the one before it by a SHA-256 hash (`chain.py`), so a
change made behind the application's back is detected by `saferhub audit verify`.
"""

from __future__ import annotations

from django.db import models, router, transaction

from saferhub.web.prepared import PreparedInsert


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
    ALERT = "alert", "Security alert"


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit entry."""


def _refuse(*args, **kwargs):
    raise AppendOnlyError("The audit log is append-only.")


class AuditQuerySet(models.QuerySet):
    # Every queryset method that writes UPDATE or DELETE SQL, including the private ones
    # Django's own deletion and update paths call.
    update = _update = delete = _raw_delete = bulk_update = update_or_create = _refuse

    def bulk_create(self, objs, *args, **kwargs):
        # Each entry must be dated and chained in turn, so a bulk insert is a loop. Subjects
        # are not chained, so they go in one statement: a page naming many people then
        # costs the same number of queries as one naming a few.
        if self.model is not AuditEvent:
            return super().bulk_create(objs, *args, **kwargs)
        objs = list(objs)
        with transaction.atomic(using=self.db):
            for obj in objs:
                obj.save(using=self.db)
        return objs


class AuditEvent(models.Model):
    # Set by the database clock when the entry is written (`sealing.py`), never by the caller.
    at = models.DateTimeField(db_index=True, editable=False)
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
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        # Django's internal paths (related-object deletion, refresh) use the base manager:
        # it must refuse changes too.
        base_manager_name = "objects"

    def __str__(self) -> str:
        when = f"{self.at:%Y-%m-%d %H:%M}" if self.at else "unsaved"
        return f"{when} {self.username} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise AppendOnlyError("The audit log is append-only.")
        if self.at is not None:
            raise AppendOnlyError(
                "The time of an audit entry is set by the database when it is written."
            )
        from saferhub.web.audit import sealing, stream

        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        # No savepoint: an entry that cannot be written must fail the whole transaction
        # anyway, and a savepoint costs two round trips on every page view.
        with transaction.atomic(using=using, savepoint=False):
            sealing.seal(self, using)
            super().save(*args, **kwargs)
            transaction.on_commit(lambda: stream.publish(self), using=using)

    def _do_insert(self, manager, using, fields, returning_fields, raw):
        # Every page view writes an entry: its INSERT is built once (saferhub.web.prepared).
        if raw:
            return super()._do_insert(manager, using, fields, returning_fields, raw)
        return _INSERT.insert(self, using, fields, returning_fields)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")


_INSERT = PreparedInsert()


class SubjectQuerySet(AuditQuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        # Subjects are not chained (their event is), so a listing's people go in one INSERT
        # rather than one round trip each; an upsert would be an update, so it is refused.
        objs = list(objs)
        if kwargs.get("update_conflicts") or any(obj.pk is not None for obj in objs):
            raise AppendOnlyError("The audit log is append-only.")
        with transaction.atomic(using=self.db, savepoint=False):
            return models.QuerySet.bulk_create(self, objs, *args, **kwargs)


class AuditSubject(models.Model):
    """One person an audit event is about, beyond its own `person_id`.

    A listing names many people in one event; a row per person lets the audit log, searched
    by person, find every page that disclosed them. Append-only, like the events.
    """

    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="subjects")
    person_id = models.BigIntegerField(db_index=True)

    objects = SubjectQuerySet.as_manager()

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
