"""Meetings: the agenda from listed cases, each agency's research, attendance and minutes."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from saferhub.reports.safe_cells import XLSX_CONTENT_TYPE, append, new_workbook, workbook_bytes
from saferhub.rules.panels import DA_MARAC, RecordError
from saferhub.web.access import allow, forbidden
from saferhub.web.audit.log import record
from saferhub.web.panels import services
from saferhub.web.panels.forms import MeetingForm, MinutesForm, ResearchForm
from saferhub.web.panels.models import Attendance, Listing, Meeting, Perpetrator, Research
from saferhub.web.panels.privacy import CASE_READERS, COORDINATORS, PANEL, WRITERS
from saferhub.web.panels.views import meeting_for
from saferhub.web.people.access import today


@allow(*CASE_READERS, programme=PANEL)
def meetings(request: HttpRequest) -> HttpResponse:
    on = today()
    rows = Meeting.objects.filter(panel=PANEL).annotate(
        listed=Count("listings"), heard=Count("listings", filter=Q(listings__heard=True))
    )
    record(request, "view", summary="Viewed the MARAC meetings")
    return render(
        request,
        "panels/meetings.html",
        {
            "upcoming": rows.filter(date__gte=on).order_by("date")[:12],
            "past": rows.filter(date__lt=on).order_by("-date")[:26],
            "config": DA_MARAC,
            "is_coordinator": request.user.role in COORDINATORS,
        },
    )


@allow(*COORDINATORS, programme=PANEL)
def meeting_new(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None, today=today())
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                meeting = Meeting.objects.create(
                    panel=PANEL, date=form.cleaned_data["date"], chair=form.cleaned_data["chair"]
                )
        except IntegrityError:
            form.add_error("date", "There is already a meeting on that date.")
        else:
            messages.success(request, f"{meeting} arranged.")
            return redirect("panels:meeting", pk=meeting.pk)
    record(request, "view", summary="Opened the form to arrange a MARAC meeting")
    return render(request, "panels/form.html", {"form": form, "title": "Arrange a meeting"})


def _agenda(meeting: Meeting):
    return meeting.listings.select_related(
        "case", "case__victim", "case__referring_agency", "case__previous_case"
    ).prefetch_related(
        Prefetch("case__perpetrators", queryset=Perpetrator.objects.select_related("person")),
        "case__children",
        Prefetch("research", queryset=Research.objects.select_related("agency")),
    )


@allow(*CASE_READERS, programme=PANEL)
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = meeting_for(request, pk)
    listings = list(_agenda(found))
    members = services.member_agency_list()
    attendance = {a.agency_id: a for a in found.attendance.all()}
    record(
        request,
        "view",
        found,
        summary=f"Viewed the agenda of {found}",
        detail={"cases": [item.case.reference for item in listings]},
    )
    on = today()
    return render(
        request,
        "panels/meeting.html",
        {
            "meeting": found,
            "listings": listings,
            "warning": len(listings) > DA_MARAC.case_cap,
            "config": DA_MARAC,
            "attendance": [(a, attendance.get(a.pk)) for a in members],
            "is_coordinator": request.user.role in COORDINATORS,
            "can_research": request.user.role in WRITERS and request.user.agency_id is not None,
            "can_hear": request.user.role in COORDINATORS and found.date <= on,
            "my_agency": request.user.agency_id,
        },
    )


@allow(*COORDINATORS, programme=PANEL)
@require_POST
def hear(request: HttpRequest, pk: int, listing: int) -> HttpResponse:
    found = meeting_for(request, pk)
    item = get_object_or_404(
        Listing.objects.select_related("case", "meeting"), pk=listing, meeting=found
    )
    try:
        case = services.hear(item, today())
    except RecordError as exc:
        messages.error(request, exc.problems[0].message)
        return redirect("panels:meeting", pk=pk)
    messages.success(request, f"Case {case.reference} heard. Record its actions.")
    return redirect("panels:action-new", pk=case.pk)


@allow(*WRITERS, programme=PANEL)
def research(request: HttpRequest, pk: int, listing: int) -> HttpResponse:
    found = meeting_for(request, pk)
    item = get_object_or_404(
        Listing.objects.select_related("case", "case__victim"), pk=listing, meeting=found
    )
    agency = request.user.agency
    if agency is None:
        return forbidden(request, "You need an agency to share research.")
    existing = Research.objects.filter(listing=item, agency=agency).first()
    form = ResearchForm(request.POST or None, initial={"text": existing.text if existing else ""})
    if request.method == "POST" and form.is_valid():
        Research.objects.update_or_create(
            listing=item,
            agency=agency,
            defaults={"text": form.cleaned_data["text"], "submitted_by": request.user},
        )
        messages.success(request, f"{agency}'s research on case {item.case.reference} saved.")
        return redirect("panels:meeting", pk=pk)
    record(
        request,
        "view",
        item.case,
        person_id=item.case.victim_id,
        summary=f"Opened research for case {item.case.reference}",
    )
    return render(
        request,
        "panels/form.html",
        {
            "form": form,
            "case": item.case,
            "title": f"{agency}'s research: case {item.case.reference}, {found}",
        },
    )


@allow(*COORDINATORS, programme=PANEL)
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    found = meeting_for(request, pk)
    members = services.member_agency_list()
    current = {a.agency_id: a for a in found.attendance.all()}
    if request.method == "POST":
        with transaction.atomic():
            for agency in members:
                present = request.POST.get(f"present_{agency.pk}") == "on"
                attendee = request.POST.get(f"attendee_{agency.pk}", "").strip()[:150]
                Attendance.objects.update_or_create(
                    meeting=found,
                    agency=agency,
                    defaults={"present": present, "attendee": attendee},
                )
        messages.success(request, f"Attendance at {found} saved.")
        return redirect("panels:meeting", pk=pk)
    record(request, "view", found, summary=f"Opened attendance for {found}")
    return render(
        request,
        "panels/attendance.html",
        {"meeting": found, "rows": [(a, current.get(a.pk)) for a in members]},
    )


@allow(*COORDINATORS, programme=PANEL)
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    found = meeting_for(request, pk)
    form = MinutesForm(
        request.POST or None, initial={"chair": found.chair, "minutes": found.minutes}
    )
    if request.method == "POST" and form.is_valid():
        found.chair, found.minutes = form.cleaned_data["chair"], form.cleaned_data["minutes"]
        found.save(update_fields=["chair", "minutes"])
        messages.success(request, f"Minutes of {found} saved.")
        return redirect("panels:meeting", pk=pk)
    record(request, "view", found, summary=f"Opened the minutes of {found}")
    return render(request, "panels/form.html", {"form": form, "title": f"Minutes: {found}"})


@allow(*CASE_READERS, programme=PANEL)
def agenda_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda as a spreadsheet for the meeting: no addresses or contact details."""
    found = meeting_for(request, pk)
    listings = list(_agenda(found))
    # Names are typed in by users; safe_cells keeps one like "=HYPERLINK(...)" as text.
    book = new_workbook("Agenda")
    sheet = book.active
    append(
        sheet,
        ["Position", "Case", "Victim", "Perpetrators", "Children (ages)", "Repeat", "Referred by"],
    )
    for item in listings:
        case = item.case
        append(
            sheet,
            [
                item.position,
                case.reference,
                case.victim.full_name,
                "; ".join(
                    f"{p.person.full_name} ({p.get_relationship_display()})"
                    for p in case.perpetrators.all()
                ),
                ", ".join(str(c.age) for c in case.children.all()) or "None",
                "Yes" if case.is_repeat else "No",
                str(case.referring_agency),
            ],
        )
    body = workbook_bytes(book)
    record(
        request,
        "export",
        found,
        summary=f"Exported the agenda of {found}",
        detail={"cases": [item.case.reference for item in listings]},
    )
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="marac-agenda-{found.date}.xlsx"'
    return response
