"""Link a Community Safety MARAC case to the ASB case it is about (coordinators)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from saferhub.rules.panels import RecordError
from saferhub.web.access import allow
from saferhub.web.panels.asb_links import LINKED_PANEL, link_asb_case
from saferhub.web.panels.privacy import COORDINATORS
from saferhub.web.panels.registry import go, panel_of
from saferhub.web.panels.views import audit_case, case_for
from saferhub.web.versioning import StaleRecord, VersionedForm


class AsbLinkForm(VersionedForm):
    asb_case_reference = forms.CharField(
        label="ASB case reference",
        help_text="As on the ASB case page, for example ASB000123. You can link only a case "
        "you can see.",
        max_length=40,
        error_messages={"required": "Enter the ASB case reference."},
    )


@allow(*COORDINATORS, programme=LINKED_PANEL)
def case_asb(request: HttpRequest, pk: int) -> HttpResponse:
    if panel_of(request).code != LINKED_PANEL:
        raise Http404("Only Community Safety MARAC cases link to ASB cases")
    found = case_for(request, pk)
    initial = {"version": found.version, "asb_case_reference": found.asb_case_reference}
    form = AsbLinkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            link_asb_case(
                case=found,
                user=request.user,
                reference=form.cleaned_data["asb_case_reference"],
                version=form.cleaned_data["version"],
            )
        except StaleRecord as exc:
            form.refuse_stale(exc)
        except RecordError as exc:
            for problem in exc.problems:
                form.add_error("asb_case_reference", problem.message)
        else:
            messages.success(request, f"Case {found.reference} linked to its ASB case.")
            return go(request, "case", pk=found.pk)
    audit_case(request, found, "Opened the ASB link page for")
    return render(request, "panels/asb_link.html", {"case": found, "form": form})
