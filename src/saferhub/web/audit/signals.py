"""Audit every create, update and delete of personal data, whoever makes it."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from saferhub.web.audit.log import record_write
from saferhub.web.audit.personal import PersonalData


@receiver(post_save)
def _audit_save(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, PersonalData):
        return
    changed = kwargs.get("update_fields")
    detail = {"fields": sorted(changed)} if changed else {}
    record_write(
        "create" if created else "update",
        instance,
        person_id=instance.audit_person_id,
        detail=detail,
    )


@receiver(post_delete)
def _audit_delete(sender, instance, **kwargs):
    if isinstance(instance, PersonalData):
        record_write("delete", instance, person_id=instance.audit_person_id)
