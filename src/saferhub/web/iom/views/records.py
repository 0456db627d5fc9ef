"""Recording what happens to a member: tier changes, contacts, pathway referrals, outcomes."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from saferhub.web.access import allow
from saferhub.web.iom import services
from saferhub.web.iom.forms import ContactForm, OutcomeForm, ReferralForm, TierForm
from saferhub.web.iom.services import IOM, WRITERS
from saferhub.web.iom.views import audit_member, membership_for, page, referral_for
from saferhub.web.people.access import today
from saferhub.web.versioning import StaleRecord


def _form_page(request, form, membership, title, intro, button):
    return page(
        request,
        "iom/form.html",
        {"form": form, "title": title, "intro": intro, "button": button, "membership": membership},
    )


def _open_membership(request, pk):
    membership = membership_for(request, pk)
    if membership.leave_date is not None:
        messages.info(request, "This spell has ended; its record can no longer change.")
        return membership, redirect("iom:member", pk=membership.pk)
    return membership, None


@allow(*WRITERS, programme=IOM)
def tier(request: HttpRequest, pk: int) -> HttpResponse:
    membership, ended = _open_membership(request, pk)
    if ended:
        return ended
    form = TierForm(
        request.POST or None,
        membership=membership,
        today=today(),
        initial={"from_date": today(), "version": membership.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_tier(
                membership=membership,
                version=data["version"],
                tier=data["tier"],
                from_date=data["from_date"],
                reason=data["reason"],
                user=request.user,
            )
        except StaleRecord as exc:
            form.refuse_stale(exc)
            form.add_error(None, f"The tier now is {membership.tier_on(data['from_date'])}.")
        else:
            messages.success(request, f"Tier changed to {data['tier']}.")
            return redirect("iom:member", pk=membership.pk)
    audit_member(request, membership, "Opened the tier change form for")
    return _form_page(
        request,
        form,
        membership,
        f"Change {membership.person}'s tier",
        "Every change keeps its date and reason in the tier history.",
        "Change the tier",
    )


@allow(*WRITERS, programme=IOM)
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    membership, ended = _open_membership(request, pk)
    if ended:
        return ended
    form = ContactForm(
        request.POST or None,
        membership=membership,
        today=today(),
        initial={"contact_date": today()},
    )
    if request.method == "POST" and form.is_valid():
        services.log_contact(membership=membership, user=request.user, **form.cleaned_data)
        messages.success(request, "Contact logged.")
        return redirect("iom:member", pk=membership.pk)
    audit_member(request, membership, "Opened the contact form for")
    return _form_page(
        request,
        form,
        membership,
        f"Log a contact with {membership.person}",
        "Log planned contacts that were missed or cancelled too: compliance counts them.",
        "Log the contact",
    )


@allow(*WRITERS, programme=IOM)
def referral(request: HttpRequest, pk: int) -> HttpResponse:
    membership, ended = _open_membership(request, pk)
    if ended:
        return ended
    form = ReferralForm(
        request.POST or None,
        membership=membership,
        today=today(),
        initial={"referral_date": today()},
    )
    if request.method == "POST" and form.is_valid():
        made = services.refer(membership=membership, **form.cleaned_data)
        messages.success(request, f"{made.get_pathway_display()} referral recorded.")
        return redirect("iom:member", pk=membership.pk)
    audit_member(request, membership, "Opened the pathway referral form for")
    return _form_page(
        request,
        form,
        membership,
        f"Refer {membership.person} to a pathway",
        "Record the outcome on the referral when the service reports back.",
        "Record the referral",
    )


@allow(*WRITERS, programme=IOM)
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    made = referral_for(request, pk)
    form = OutcomeForm(
        request.POST or None,
        referral=made,
        today=today(),
        initial={"outcome_date": today(), "version": made.version},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_outcome(
                referral=made,
                version=data["version"],
                outcome=data["outcome"],
                outcome_date=data["outcome_date"],
                notes=data["notes"],
            )
        except StaleRecord as exc:
            form.refuse_stale(exc)
        else:
            messages.success(request, "Outcome recorded.")
            return redirect("iom:member", pk=made.membership_id)
    audit_member(request, made.membership, "Opened the referral outcome form for")
    return _form_page(
        request,
        form,
        made.membership,
        f"Outcome of the {made.get_pathway_display()} referral of {made.referral_date:%d %B %Y}",
        "Achieved and partially achieved outcomes count as positive in the pathway outcome rate.",
        "Record the outcome",
    )
