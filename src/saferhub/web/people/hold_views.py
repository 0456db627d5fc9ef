"""Legal holds from the person record: administrators place and lift them, each with a
reason, and see every hold; everyone who may see a person sees that they are on hold.

Only administrators place and lift holds: a hold overrides the partnership's retention
schedule for every agency's records about the person, a decision for whoever answers for
the data (docs/retention.md), not for one agency's casework. The writes are the retention
service's own (`saferhub.web.people.retention`), the same the command line uses.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from saferhub.web.access import allow
from saferhub.web.accounts.models import Role
from saferhub.web.audit.log import record
from saferhub.web.people.linkage_models import LegalHold
from saferhub.web.people.listing import record_listing
from saferhub.web.people.retention import (
    LIFT_REASON_NEEDED,
    REASON_NEEDED,
    HoldRefused,
    lift_hold,
    place_hold,
)
from saferhub.web.people.views import _person_for
from saferhub.web.versioning import StaleRecord, VersionedForm, refuse_stale

HOLDERS = (Role.ADMINISTRATOR,)


class PlaceHoldForm(forms.Form):
    reason = forms.CharField(
        label="Why must everything about this person be kept?",
        help_text="For example a civil claim, an inquiry or a domestic homicide review, with "
        "its reference. Retention will remove nothing about the person until the hold is lifted.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REASON_NEEDED},
    )


class LiftHoldForm(VersionedForm):
    reason = forms.CharField(
        label="Why is the hold no longer needed?",
        help_text="For example: the claim was settled. Retention will then apply as usual.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": LIFT_REASON_NEEDED},
    )


@allow(*HOLDERS)
def place(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for(request, pk)
    form = PlaceHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            place_hold(person_id=person.pk, reason=form.cleaned_data["reason"], user=request.user)
        except HoldRefused as exc:
            form.add_error("reason", exc.message)
        else:
            messages.success(request, f"{person.full_name} is on legal hold.")
            return redirect("people:detail", pk=person.pk)
    else:
        record(request, "view", person, summary=f"Opened the legal hold form for {person}")
    return render(
        request,
        "people/form.html",
        {"form": form, "person": person, "title": f"Place a legal hold on {person.full_name}"},
    )


@allow(*HOLDERS)
def lift(request: HttpRequest, pk: int) -> HttpResponse:
    hold = LegalHold.objects.select_related("person").filter(pk=pk).first()
    if hold is None:
        raise Http404("No such legal hold")
    person = _person_for(request, hold.person_id)
    if hold.lifted_at is not None:
        messages.error(request, "This legal hold has already been lifted.")
        return redirect("people:detail", pk=person.pk)
    form = LiftHoldForm(request.POST or None, initial={"version": hold.version})
    if request.method == "POST" and form.is_valid():
        try:
            lift_hold(
                hold=hold,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
                user=request.user,
            )
        except StaleRecord as exc:
            refuse_stale(form, exc)
        except HoldRefused as exc:
            form.add_error("reason", exc.message)
        else:
            messages.success(request, f"The legal hold on {person.full_name} is lifted.")
            return redirect("people:detail", pk=person.pk)
    else:
        record(request, "view", hold, summary=f"Opened the form to lift a legal hold on {person}")
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "person": person,
            "title": f"Lift the legal hold on {person.full_name}",
            "intro": f"Placed {hold.placed_at:%-d %B %Y}: {hold.reason}",
        },
    )


@allow(*HOLDERS)
def holds(request: HttpRequest) -> HttpResponse:
    every = list(
        LegalHold.objects.select_related("person", "placed_by", "lifted_by").order_by(
            "lifted_at", "-placed_at"
        )
    )
    record_listing(
        request,
        summary="Listed the legal holds",
        person_ids=[h.person_id for h in every],
    )
    return render(
        request,
        "people/legal_holds.html",
        {
            "active": [h for h in every if h.lifted_at is None],
            "lifted": [h for h in every if h.lifted_at is not None],
        },
    )
