"""The audit log, for administrators: filter by user, person, action and date.

Reading the log is itself recorded in it, with the filters used, and recent security
alerts are shown above the entries.
"""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from saferhub.web.access import allow
from saferhub.web.accounts.models import Role
from saferhub.web.audit.alerts import recent_alerts
from saferhub.web.audit.log import record
from saferhub.web.audit.models import AuditAction, AuditEvent, AuditSubject
from saferhub.web.date_input import DateInputField


class AuditFilter(forms.Form):
    username = forms.CharField(label="Username", required=False, max_length=150)
    person = forms.IntegerField(label="Person number", required=False, min_value=1)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *AuditAction.choices]
    )
    since = DateInputField(label="From", required=False)
    until = DateInputField(label="To", required=False)


@allow(Role.ADMINISTRATOR)
def log(request: HttpRequest) -> HttpResponse:
    form = AuditFilter(request.GET or None)
    events = AuditEvent.objects.all()
    if form.is_valid():
        data = form.cleaned_data
        if data["username"]:
            events = events.filter(username__iexact=data["username"])
        if data["person"]:
            # A listing names its people as subjects, not in person_id.
            named = AuditSubject.objects.filter(event=OuterRef("pk"), person_id=data["person"])
            events = events.filter(Q(person_id=data["person"]) | Exists(named))
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["since"]:
            events = events.filter(at__date__gte=data["since"])
        if data["until"]:
            events = events.filter(at__date__lte=data["until"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filters = {k: v for k, v in request.GET.items() if k in form.fields and v}
    record(
        request,
        "view",
        summary="Viewed the audit log" + (" (filtered)" if filters else ""),
        detail={"filters": filters, "page": page.number},
    )
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "alerts": list(recent_alerts()[:20]),
        },
    )
