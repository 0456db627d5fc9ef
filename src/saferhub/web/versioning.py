"""Record versions: no edit silently overwrites another made since the form was loaded.

Every editable record carries a `version` (1 when created). A form carries the version it
was loaded with, and the write is a compare-and-swap: `UPDATE … SET version = version + 1
WHERE pk = ? AND version = ?`. Zero rows means someone else saved first, so the write is
refused with `StaleRecord`, which names each field where what is saved now differs from
what the user sent. The swap happens inside `Model.save()`, so no save skips it; a queryset
`.update()` would. `compare_and_swap` records the update's audit event itself, with the old
value of each field read at the version that was swapped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.db import models, transaction

from saferhub.errors import SaferHubError

SHOWN_CHARACTERS = 200


@dataclass(frozen=True)
class Change:
    """One field where the user's value and the value saved now differ."""

    field: str
    label: str
    yours: str
    current: str


class StaleRecord(SaferHubError):
    """Someone else saved the record after this user loaded it; nothing was written."""

    def __init__(self, record: models.Model, current: models.Model, changes: list[Change]):
        self.record = current
        self.changes = changes
        self.current_version: int = current.version
        super().__init__(
            f"Someone else changed this record ({current}) after you opened it, "
            "so nothing you entered has been saved."
        )

    def lines(self, labels: Mapping[str, str] | None = None) -> list[str]:
        """The message, then one line per differing field: label: yours → saved now."""
        labels = labels or {}
        shown = [
            f"{labels.get(c.field, c.label)}: your value “{c.yours}” → "
            f"value saved now “{c.current}”"
            for c in self.changes
        ]
        return [
            self.message,
            *shown,
            "Check your entries against what is saved now, then save again if you still "
            "want to make your change.",
        ]


def shown(record: models.Model, name: str) -> str:
    """A field's value as a person reads it: choice labels, names, dates, blanks."""
    field = record._meta.get_field(name)
    value = getattr(record, field.attname)
    if value is None or value == "":
        return "(blank)"
    if field.is_relation:
        text = str(getattr(record, field.name))
    elif field.choices:
        text = str(dict(field.flatchoices).get(value, value))
    elif isinstance(value, bool):
        text = "Yes" if value else "No"
    elif isinstance(value, date):
        text = f"{value:%d %B %Y}"
    elif isinstance(value, dict | list):
        text = json.dumps(value, sort_keys=True)
    else:
        text = str(value)
    if len(text) > SHOWN_CHARACTERS:
        text = text[: SHOWN_CHARACTERS - 1] + "…"
    return text


def differences(yours: models.Model, current: models.Model, names: list[str]) -> list[Change]:
    changes = []
    for name in names:
        field = yours._meta.get_field(name)
        if getattr(field, "auto_now", False):
            continue  # a save time always differs and says nothing about the content
        if getattr(yours, field.attname) != getattr(current, field.attname):
            label = str(field.verbose_name)
            label = label[:1].upper() + label[1:]
            changes.append(Change(name, label, shown(yours, name), shown(current, name)))
    return changes


class Versioned(models.Model):
    """Abstract base: every update of a saved row is a compare-and-swap on `version`."""

    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Goes up by one with every saved change."
    )

    class Meta:
        abstract = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        # Django's own UPDATE, narrowed to the version this instance was loaded (or told) at.
        # `_do_update` is Django's internal hook for that statement (django-concurrency
        # overrides the same one); tests/security/test_versions_mechanism.py fails if an
        # upgrade stops routing saves through it.
        version_field = self._meta.get_field("version")
        expected = self.version
        written = [v for v in values if v[0] is not version_field]
        swapped = [*written, (version_field, None, expected + 1)]
        if base_qs.filter(pk=pk_val, version=expected)._update(swapped) > 0:
            self.version = expected + 1
            return True
        current = base_qs.filter(pk=pk_val).first()
        if current is None:
            return False  # the row is gone: Django's usual handling applies
        names = [field.name for field, _, _ in written]
        raise StaleRecord(self, current, differences(self, current, names))


def compare_and_swap(
    record: Versioned, *, version: int, audit: dict | None = None, **changes: Any
) -> Versioned:
    """Write `changes` to `record` only if it is still at `version`; else raise StaleRecord.

    The record's `auto_now` fields (e.g. `updated_at`) are written too, so they stay true.
    The write is audited as one update event naming each changed field's old and new value
    (`audit` adds to the event's detail); a refused write records nothing.
    """
    from saferhub.web.audit.log import record_change, snapshot

    # The row as saved at `version`: if the swap succeeds, these were the values it replaced.
    stored = type(record)._base_manager.filter(pk=record.pk, version=version).first()
    before = snapshot(stored, changes) if stored is not None else {}
    for name, value in changes.items():
        setattr(record, name, value)
    record.version = version
    stamps = [
        f.name
        for f in record._meta.concrete_fields
        if getattr(f, "auto_now", False) and f.name not in changes
    ]
    with transaction.atomic():
        record.save(update_fields=[*changes, *stamps, "version"])
        record_change(None, record, before, snapshot(record, changes), detail=audit)
    return record


def posted_version(data: Mapping[str, Any]) -> int | None:
    """The version a plain form (a button) was loaded with, or None if missing or garbled."""
    try:
        value = int(data.get("version", ""))
    except (TypeError, ValueError):
        return None
    return value if value >= 0 else None


MISSING_VERSION = (
    "This page was opened before the record could be checked for changes. "
    "Reload the page and try again."
)


class VersionField(forms.IntegerField):
    """The hidden field holding the version the form was loaded with."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault(
            "error_messages", {"required": MISSING_VERSION, "invalid": MISSING_VERSION}
        )
        super().__init__(**kwargs)


class VersionedForm(forms.Form):
    """A form that carries its record's version and can explain a refused, stale save."""

    version = VersionField()

    def refuse_stale(self, stale: StaleRecord) -> None:
        refuse_stale(self, stale)


def refuse_stale(form: forms.BaseForm, stale: StaleRecord) -> None:
    """Show why the save was refused, keep the user's input, and carry the current version.

    With the current version in the form, saving again is a deliberate choice made after
    seeing what changed, not a silent overwrite.
    """
    labels = {name: str(field.label) for name, field in form.fields.items() if field.label}
    for line in stale.lines(labels):
        form.add_error(None, line)
    data = form.data.copy()
    data[form.add_prefix("version")] = str(stale.current_version)
    form.data = data
