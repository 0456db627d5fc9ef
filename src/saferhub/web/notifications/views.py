"""Each user's choice of how notification emails reach them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from saferhub.web.access import ALL_ROLES, allow
from saferhub.web.notifications.models import Delivery, Preference
from saferhub.web.notifications.services import set_delivery


class PreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label="How should we email you about your work?",
        choices=Delivery.choices,
        error_messages={"required": "Choose how you want to be emailed."},
    )


@allow(*ALL_ROLES)
def preferences(request: HttpRequest) -> HttpResponse:
    current = (
        Preference.objects.filter(user=request.user).values_list("delivery", flat=True).first()
        or Delivery.DIGEST
    )
    form = PreferenceForm(request.POST or None, initial={"delivery": current})
    if request.method == "POST" and form.is_valid():
        set_delivery(user=request.user, delivery=form.cleaned_data["delivery"])
        messages.success(request, "Your email choice is saved.")
        return redirect("home")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "has_email": bool(request.user.email)},
    )
