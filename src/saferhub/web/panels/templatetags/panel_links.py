"""The Community Safety MARAC cases about an ASB case, on the ASB case page.

A tag, so the ASB case page shows them without the ASB views knowing about panels; who
sees which is decided in `saferhub.web.panels.asb_links`.
"""

from django import template

from saferhub.web.panels.asb_links import linked_panel_cases

register = template.Library()


@register.inclusion_tag("panels/_asb_panel_cases.html", takes_context=True)
def cs_marac_cases(context, asb_case):
    return {"linked": linked_panel_cases(context["request"].user, asb_case)}
