"""IOM pages: each view declares its roles and the IOM programme, checks need-to-know for
the person, and audits what it shows.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import resolve, reverse

from saferhub.web.access import rule_of
from saferhub.web.audit.log import record
from saferhub.web.iom.models import Membership, PathwayReferral
from saferhub.web.iom.services import cohort_memberships


def membership_for(request: HttpRequest, pk: int) -> Membership:
    """The spell, if the user may see its person; otherwise 'not found'."""
    membership = cohort_memberships(request.user).filter(pk=pk).first()
    if membership is None:
        raise Http404("No such IOM member")
    return membership


def referral_for(request: HttpRequest, pk: int) -> PathwayReferral:
    referral = (
        PathwayReferral.objects.filter(pk=pk, membership__in=cohort_memberships(request.user))
        .select_related("membership__person")
        .first()
    )
    if referral is None:
        raise Http404("No such referral")
    return referral


def audit_member(request: HttpRequest, membership: Membership, what: str) -> None:
    record(
        request,
        "view",
        membership,
        person_id=membership.person_id,
        summary=f"{what} (IOM spell from {membership.join_date:%d %b %Y})",
    )


IOM_PAGES = [
    ("iom:cohort", "Cohort"),
    ("iom:board", "Board section"),
    ("iom:selection", "Selection list"),
    ("iom:deselection", "De-selection review"),
    ("iom:settings", "Contact plan"),
]


def iom_nav(user) -> list[tuple[str, str]]:
    """The IOM pages this user may open, as (url, label)."""
    links = []
    for name, label in IOM_PAGES:
        url = reverse(name)
        rule = rule_of(resolve(url).func)
        if rule is not None and rule.permits(user):
            links.append((url, label))
    return links


def page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, template, {**context, "iom_nav": iom_nav(request.user)})
