"""ASB pages for tools and powers: the list, and recording a use."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from saferhub.web.access import allow
from saferhub.web.asb import services
from saferhub.web.asb.forms import (
    ToolUseForm,
)
from saferhub.web.asb.models import (
    AsbCase,
    ToolKind,
    ToolUse,
)
from saferhub.web.asb.privacy import (
    CASE_READERS,
    PROGRAMME,
    WRITERS,
    visible_cases,
)
from saferhub.web.asb.views import case_for, form_page, show_error
from saferhub.web.audit.log import record
from saferhub.web.people.access import today, visible_people


@allow(*CASE_READERS, programme=PROGRAMME)
def tools(request: HttpRequest) -> HttpResponse:
    uses = list(ToolUse.objects.select_related("agency", "case")[:200])
    seen = set(
        visible_people(request.user)
        .filter(pk__in={u.person_id for u in uses if u.person_id})
        .values_list("pk", flat=True)
    )
    visible = set(
        visible_cases(request.user)
        .filter(pk__in={u.case_id for u in uses if u.case_id})
        .values_list("pk", flat=True)
    )
    rows = [
        {
            "use": u,
            "person": u.person if u.person_id in seen else None,
            "hidden_person": u.person_id is not None and u.person_id not in seen,
            "case": u.case if u.case_id in visible else None,
            # Premises on a case the agency does not work may be a complainant's street.
            "hidden_case": u.case_id is not None and u.case_id not in visible,
        }
        for u in uses
    ]
    named = sorted(seen)
    record(request, "view", summary="Viewed ASB tools and powers", person_ids=named)
    return render(
        request,
        "asb/tools.html",
        {"rows": rows, "can_record": request.user.role in WRITERS, "kinds": ToolKind.choices},
    )


def _tool_form(request, found: AsbCase | None):
    people = found.respondents.values("person") if found else None
    from saferhub.web.people.models import Person

    queryset = Person.objects.filter(pk__in=people) if people is not None else Person.objects.none()
    form = ToolUseForm(
        request.POST or None,
        agencies=services.member_agencies(),
        people=queryset,
        initial={"agency": request.user.agency_id, "used_on": today()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_tool_use(request, case=found, today=today(), **form.cleaned_data)
        except services.AsbError as exc:
            show_error(form, exc)
        else:
            messages.success(request, "Use of a tool or power recorded.")
            return redirect("asb:case", pk=found.pk) if found else redirect("asb:tools")
    return form_page(request, form, "Record a tool or power", found)


@allow(*WRITERS, programme=PROGRAMME)
def tool_new(request: HttpRequest) -> HttpResponse:
    return _tool_form(request, None)


@allow(*WRITERS, programme=PROGRAMME)
def case_tool_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _tool_form(request, case_for(request, pk))
