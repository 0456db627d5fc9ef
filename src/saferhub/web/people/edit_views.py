"""Changing a person's details and flags. A form loaded before someone else saved is
refused, showing what changed, with the user's entries kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from saferhub.web.access import allow
from saferhub.web.audit.log import record
from saferhub.web.people import edits
from saferhub.web.people.access import today
from saferhub.web.people.forms import FlagChangeForm, PersonChangeForm
from saferhub.web.people.views import WRITERS, _person_for
from saferhub.web.versioning import StaleRecord, refuse_stale

PERSON_FIELDS = PersonChangeForm.Meta.fields
FLAG_FIELDS = FlagChangeForm.Meta.fields


@allow(*WRITERS)
def edit_person(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for(request, pk)
    form = PersonChangeForm(
        request.POST or None, instance=person, today=today(), initial={"version": person.version}
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in PERSON_FIELDS}
        try:
            edits.change_person(person=person, version=form.cleaned_data["version"], **values)
        except StaleRecord as exc:
            refuse_stale(form, exc)
        else:
            messages.success(request, f"{person.full_name}'s details saved.")
            return redirect("people:detail", pk=person.pk)
    else:
        record(request, "view", person, summary=f"Opened the details of {person} to change them")
    return render(
        request,
        "people/form.html",
        {"form": form, "title": f"Change the details: {person.full_name}", "person": person},
    )


@allow(*WRITERS)
def edit_flag(request: HttpRequest, pk: int, flag: int) -> HttpResponse:
    person = _person_for(request, pk)
    found = get_object_or_404(person.flags, pk=flag)
    form = FlagChangeForm(request.POST or None, instance=found, initial={"version": found.version})
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in FLAG_FIELDS}
        try:
            edits.change_flag(flag=found, version=form.cleaned_data["version"], **values)
        except StaleRecord as exc:
            refuse_stale(form, exc)
        else:
            messages.success(request, f"Flag saved for {person.full_name}.")
            return redirect("people:detail", pk=person.pk)
    else:
        record(request, "view", found, summary=f"Opened the {found} flag of {person} to change it")
    return render(
        request,
        "people/form.html",
        {"form": form, "title": f"Change the flag: {person.full_name}", "person": person},
    )
