"""Small template filters for the referral form's repeated person blocks."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def block(form, prefix):
    return form.block(prefix)


@register.filter
def match_field(form, prefix):
    return form[f"{prefix}_match"]
