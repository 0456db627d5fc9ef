"""Template helpers for GOV.UK Frontend markup: named errors, date parts, sorting, paging.

Registered as the `govuk` template library in settings (`{% load govuk %}`).
"""

from __future__ import annotations

from django import template

from saferhub.web import form_errors
from saferhub.web.date_input import PARTS
from saferhub.web.tables import page_links

register = template.Library()


@register.filter
def named_errors(field) -> list[str]:
    return form_errors.field_errors(field)


@register.filter
def error_summary(form) -> list[form_errors.SummaryItem]:
    return form_errors.summary(form) if form is not None and form.errors else []


@register.filter
def date_parts(field) -> list[dict]:
    """Day, month and year boxes with their values, for core/date_input.html."""
    value = field.value()
    if isinstance(value, list | tuple):
        values = [str(v or "") for v in value]
    else:
        values = [v or "" for v in field.field.widget.decompress(_as_date(field, value))]
    widths = {"day": 2, "month": 2, "year": 4}
    return [
        {"part": part, "label": part.capitalize(), "value": v, "width": widths[part]}
        for part, v in zip(PARTS, values, strict=True)
    ]


def _as_date(field, value):
    if isinstance(value, str) and value:
        try:
            return field.field.to_python(value)
        except Exception:  # an unreadable posted value is shown empty, its error beside it
            return None
    return value


@register.simple_tag
def sort_header(sorting, key: str) -> dict:
    return sorting.header(key)


@register.inclusion_tag("core/pagination.html", takes_context=True)
def pagination(context, page, noun: str = "results") -> dict:
    return {**page_links(context["request"], page), "noun": noun}


@register.filter
def with_article(noun) -> str:
    """'administrator' → 'an administrator'; 'coordinator' → 'a coordinator'."""
    text = str(noun)
    return f"{'an' if text[:1].lower() in 'aeiou' else 'a'} {text}"


@register.filter
def audit_rows(detail) -> list:
    from saferhub.web.audit.describe import describe

    return describe(detail)
