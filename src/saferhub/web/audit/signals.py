"""Audit every create, update and delete of personal data, whoever makes it.

An update records the old and new value of each field that changed: the old row is read
just before the save. The audit log itself refuses deletion through Django's deletion
collector here (querysets and the model refuse it in `models.py`).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from saferhub.web.audit.chain import json_safe
from saferhub.web.audit.log import record_write
from saferhub.web.audit.models import AppendOnlyError, AuditEvent
from saferhub.web.audit.personal import PersonalData


@receiver(pre_delete, sender=AuditEvent, dispatch_uid="audit_refuse_delete")
def _refuse_delete(sender, instance, **kwargs):
    # Having a receiver also stops the collector's "fast delete", which skips signals.
    raise AppendOnlyError("The audit log is append-only.")


@receiver(pre_save, sender=AuditEvent, dispatch_uid="audit_refuse_unsealed")
def _refuse_unsealed(sender, instance, raw=False, **kwargs):
    # Model.save(event) called past AuditEvent.save would skip the chain.
    if not instance._state.adding or not instance.hash:
        raise AppendOnlyError("Audit entries are written only through AuditEvent.save().")


def _values(instance, fields) -> dict:
    return {field.name: json_safe(field.value_from_object(instance)) for field in fields}


@receiver(pre_save, dispatch_uid="audit_capture_old_values")
def _capture_old_values(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not isinstance(instance, PersonalData) or instance._state.adding:
        return
    # Timestamps Django stamps on every save, and the record's version (bumped by every
    # save, see web/versioning.py), are not changes anyone made.
    fields = [
        f
        for f in sender._meta.concrete_fields
        if not f.primary_key and not getattr(f, "auto_now", False) and f.name != "version"
    ]
    if update_fields is not None:
        fields = [f for f in fields if f.name in update_fields or f.attname in update_fields]
    old = sender._base_manager.using(kwargs.get("using")).filter(pk=instance.pk).first()
    instance._audit_old_values = _values(old, fields) if old is not None else None


@receiver(post_save, dispatch_uid="audit_save")
def _audit_save(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, PersonalData):
        return
    detail = {}
    old = None if created else instance.__dict__.pop("_audit_old_values", None)
    if old is not None:
        new = _values(instance, [sender._meta.get_field(name) for name in old])
        detail = {
            "changes": {name: [old[name], new[name]] for name in old if old[name] != new[name]}
        }
    record_write(
        "create" if created else "update",
        instance,
        person_id=instance.audit_person_id,
        detail=detail,
    )


@receiver(post_delete, dispatch_uid="audit_delete")
def _audit_delete(sender, instance, **kwargs):
    if isinstance(instance, PersonalData):
        record_write("delete", instance, person_id=instance.audit_person_id)
