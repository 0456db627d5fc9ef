"""Error messages that name their field, once each, in the order the form is laid out.

Django's built-in messages ("This field is required.") do not say which field they are
about, so an error summary of them is useless to a screen-reader user. `named` rewrites
those few built-in messages with the field's label; the forms' own messages already
name their field and pass through unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms

_GENERIC = [
    (re.compile(r"^This field is required\.$"), "required"),
    (re.compile(r"^Ensure this value is greater than or equal to (?P<n>[\d.,-]+)\.$"), "min"),
    (re.compile(r"^Ensure this value is less than or equal to (?P<n>[\d.,-]+)\.$"), "max"),
    (re.compile(r"^Ensure this value has at most (?P<n>\d+) characters"), "max_length"),
    (re.compile(r"^Ensure this value has at least (?P<n>\d+) characters"), "min_length"),
    (re.compile(r"^Enter a whole number\.$"), "whole"),
    (re.compile(r"^Enter a number\.$"), "number"),
    (re.compile(r"^Enter a valid date\.$"), "date"),
    (re.compile(r"^Enter a valid email address\.$"), "email"),
    (re.compile(r"^Select a valid choice\. (?P<v>.*) is not one of the available"), "value"),
    (re.compile(r"^Select a valid choice\."), "choice"),
]


def _label(field: forms.BoundField) -> str:
    return str(field.label or field.name.replace("_", " ").capitalize()).rstrip(":")


def _object(label: str) -> str:
    """'Due date' → 'the due date'; an acronym or a question stays as written."""
    first = label.split(" ", 1)[0]
    if label.endswith("?") or first.isupper() or ":" in label:
        return f"'{label}'" if label.endswith("?") else label
    return f"the {label[0].lower()}{label[1:]}"


def named(field: forms.BoundField, message: str) -> str:
    label = _label(field)
    for pattern, kind in _GENERIC:
        match = pattern.match(message)
        if not match:
            continue
        n, v = match.groupdict().get("n"), match.groupdict().get("v")
        choosing = field.widget_type in ("select", "radioselect", "checkboxselectmultiple")
        return {
            "required": (
                f"Answer {_object(label)}."
                if label.endswith("?")
                else f"Select {_object(label)}."
                if choosing
                else f"Enter {_object(label)}."
            ),
            "min": f"{label} must be {n} or more.",
            "max": f"{label} must be {n} or less.",
            "max_length": f"{label} must be {n} characters or fewer.",
            "min_length": f"{label} must be at least {n} characters.",
            "whole": f"{label} must be a whole number, like 3.",
            "number": f"{label} must be a number.",
            "date": f"{label} must be a real date, for example 27 3 2024.",
            "email": f"{label} must be an email address, like name@example.org.",
            "value": f"{label}: '{v}' is not one of the choices; choose one from the list.",
            "choice": f"Choose {_object(label)} from the list.",
        }[kind]
    return message


def field_errors(field: forms.BoundField) -> list[str]:
    """The field's errors, named, each once."""
    return list(dict.fromkeys(named(field, str(e)) for e in field.errors))


@dataclass(frozen=True)
class SummaryItem:
    text: str
    href: str


def summary(form: forms.BaseForm) -> list[SummaryItem]:
    """Every error once: the form's own first, then each field's in the form's order."""
    items: list[SummaryItem] = []
    seen: set[str] = set()
    for error in form.non_field_errors():
        if str(error) not in seen:
            seen.add(str(error))
            items.append(SummaryItem(str(error), ""))
    for field in form:
        for text in field_errors(field):
            if text in seen:
                continue
            seen.add(text)
            items.append(SummaryItem(text, f"#{field.id_for_label}" if field.id_for_label else ""))
    return items
