"""The audit log's own protection on Django's deletion collector and raw saves.

Writes of personal data are audited by the services that make them (`log.record_change`
and friends), not by signals here: a global receiver made every delete of any model go
row by row, and still missed `.update()`. Querysets and the model refuse changes to the
log in `models.py`; these receivers cover the paths that go around them.
"""

from __future__ import annotations

from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver

from saferhub.web.audit.models import AppendOnlyError, AuditEvent


@receiver(pre_delete, sender=AuditEvent, dispatch_uid="audit_refuse_delete")
def _refuse_delete(sender, instance, **kwargs):
    # Having a receiver also stops the collector's "fast delete", which skips signals.
    raise AppendOnlyError("The audit log is append-only.")


@receiver(pre_save, sender=AuditEvent, dispatch_uid="audit_refuse_unsealed")
def _refuse_unsealed(sender, instance, raw=False, **kwargs):
    # Model.save(event) called past AuditEvent.save would skip the chain.
    if not instance._state.adding or not instance.hash:
        raise AppendOnlyError("Audit entries are written only through AuditEvent.save().")
