"""Meetings: the agenda from listed cases, each agency's research, attendance and minutes."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.db import IntegrityError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from saferhub.reports.safe_cells import XLSX_CONTENT_TYPE, append, new_workbook, workbook_bytes
from saferhub.rules.panels import RecordError
from saferhub.web.access import allow, forbidden
from saferhub.web.audit.log import record
from saferhub.web.panels import services
from saferhub.web.panels.agenda import visible_agenda
from saferhub.web.panels.meeting_forms import MeetingForm, MinutesForm, ResearchForm
from saferhub.web.panels.models import Listing, Meeting, Research
from saferhub.web.panels.privacy import (
    CASE_READERS,
    CLOSED_LONG_AGO,
    COORDINATORS,
    PANEL,
    WRITERS,
    panel_cases,
)
from saferhub.web.panels.registry import go, panel_of, short_name
from saferhub.web.panels.views import meeting_for, stale_message
from saferhub.web.people.access import today
from saferhub.web.people.listing import not_shown_note
from saferhub.web.tables import paginate
from saferhub.web.versioning import MISSING_VERSION, StaleRecord, posted_version


@allow(*CASE_READERS, programme=PANEL)
def meetings(request: HttpRequest) -> HttpResponse:
    on = today()
    rows = Meeting.objects.filter(panel=panel_of(request).code).annotate(
        listed=Count("listings"), heard=Count("listings", filter=Q(listings__heard=True))
    )
    record(request, "view", summary=f"Viewed the {short_name(panel_of(request).code)} meetings")
    return render(
        request,
        "panels/meetings.html",
        {
            "upcoming": rows.filter(date__gte=on).order_by("date")[:12],
            "past": paginate(request, rows.filter(date__lt=on).order_by("-date"), per_page=26),
            "config": panel_of(request),
            "is_coordinator": request.user.role in COORDINATORS,
        },
    )


@allow(*COORDINATORS, programme=PANEL)
def meeting_new(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None, today=today())
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.arrange_meeting(
                meeting_date=form.cleaned_data["date"],
                chair=form.cleaned_data["chair"],
                panel=panel_of(request).code,
            )
        except IntegrityError:
            form.add_error("date", "There is already a meeting on that date.")
        else:
            messages.success(request, f"{meeting} arranged.")
            return go(request, "meeting", pk=meeting.pk)
    record(
        request,
        "view",
        summary=f"Opened the form to arrange a {short_name(panel_of(request).code)} meeting",
    )
    return render(request, "panels/form.html", {"form": form, "title": "Arrange a meeting"})


@allow(*CASE_READERS, programme=PANEL)
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = meeting_for(request, pk)
    agenda = visible_agenda(request.user, panel_of(request).code, found)
    listings, hidden = agenda.listings, agenda.hidden
    members = services.member_agency_list(panel_of(request).code)
    attendance = {a.agency_id: a for a in found.attendance.all()}
    record(
        request,
        "view",
        found,
        summary=f"Viewed the agenda of {found}",
        detail={"cases": agenda.references, "not_shown": hidden},
        person_ids=agenda.person_ids,
    )
    on = today()
    return render(
        request,
        "panels/meeting.html",
        {
            "meeting": found,
            "listings": listings,
            "listed": len(listings) + hidden,
            "not_shown": not_shown_note(hidden, CLOSED_LONG_AGO),
            "warning": len(listings) + hidden > panel_of(request).case_cap,
            "config": panel_of(request),
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
    version = posted_version(request.POST)
    if version is None:
        messages.error(request, MISSING_VERSION)
        return go(request, "meeting", pk=pk)
    try:
        case = services.hear(item, today(), version=version)
    except RecordError as exc:
        messages.error(request, exc.problems[0].message)
        return go(request, "meeting", pk=pk)
    except StaleRecord as exc:
        stale_message(request, exc, item.case.reference)
        return go(request, "meeting", pk=pk)
    messages.success(request, f"Case {case.reference} heard. Record its actions.")
    return go(request, "action-new", pk=case.pk)


@allow(*WRITERS, programme=PANEL)
def research(request: HttpRequest, pk: int, listing: int) -> HttpResponse:
    found = meeting_for(request, pk)
    item = get_object_or_404(
        Listing.objects.select_related("case", "case__victim"),
        pk=listing,
        meeting=found,
        case__in=panel_cases(request.user, panel_of(request).code),
    )
    agency = request.user.agency
    if agency is None:
        return forbidden(request, "You need an agency to share research.")
    existing = Research.objects.filter(listing=item, agency=agency).first()
    form = ResearchForm(
        request.POST or None,
        initial={
            "text": existing.text if existing else "",
            "version": existing.version if existing else 0,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_research(
                listing=item,
                agency=agency,
                user=request.user,
                text=form.cleaned_data["text"],
                version=form.cleaned_data["version"],
            )
        except StaleRecord as exc:
            form.refuse_stale(exc)
        except RecordError as exc:
            form.add_error(None, exc.problems[0].message)
        else:
            messages.success(request, f"{agency}'s research on case {item.case.reference} saved.")
            return go(request, "meeting", pk=pk)
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
    members = services.member_agency_list(panel_of(request).code)
    current = {a.agency_id: a for a in found.attendance.all()}
    problems: list[str] = []
    rows = [(a, current.get(a.pk)) for a in members]
    if request.method == "POST":
        entries = [
            services.AttendanceEntry(
                agency=agency,
                present=request.POST.get(f"present_{agency.pk}") == "on",
                attendee=request.POST.get(f"attendee_{agency.pk}", "").strip()[:150],
                version=posted_version({"version": request.POST.get(f"version_{agency.pk}")}) or 0,
            )
            for agency in members
        ]
        try:
            services.record_attendance(meeting=found, entries=entries)
        except StaleRecord as exc:
            problems = exc.lines()
        except RecordError as exc:
            problems = [exc.problems[0].message]
        else:
            messages.success(request, f"Attendance at {found} saved.")
            return go(request, "meeting", pk=pk)
        # Keep what the user entered, against the versions saved now.
        saved = {a.agency_id: a for a in found.attendance.all()}
        rows = [
            (
                e.agency,
                SimpleNamespace(
                    present=e.present,
                    attendee=e.attendee,
                    version=saved[e.agency.pk].version if e.agency.pk in saved else 0,
                ),
            )
            for e in entries
        ]
    else:
        record(request, "view", found, summary=f"Opened attendance for {found}")
    return render(
        request, "panels/attendance.html", {"meeting": found, "rows": rows, "problems": problems}
    )


@allow(*COORDINATORS, programme=PANEL)
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    found = meeting_for(request, pk)
    form = MinutesForm(
        request.POST or None,
        initial={"chair": found.chair, "minutes": found.minutes, "version": found.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.write_minutes(
                meeting=found,
                version=form.cleaned_data["version"],
                chair=form.cleaned_data["chair"],
                minutes=form.cleaned_data["minutes"],
            )
        except StaleRecord as exc:
            form.refuse_stale(exc)
        else:
            messages.success(request, f"Minutes of {found} saved.")
            return go(request, "meeting", pk=pk)
    record(request, "view", found, summary=f"Opened the minutes of {found}")
    return render(request, "panels/form.html", {"form": form, "title": f"Minutes: {found}"})


@allow(*CASE_READERS, programme=PANEL)
def agenda_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda as a spreadsheet for the meeting: no addresses or contact details."""
    found = meeting_for(request, pk)
    agenda = visible_agenda(request.user, panel_of(request).code, found)
    listings, hidden = agenda.listings, agenda.hidden
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
                    for p in case.perpetrator_list
                ),
                ", ".join(str(c.age) for c in case.child_list) or "None",
                "Yes" if case.is_repeat else "No",
                str(case.referring_agency),
            ],
        )
    if hidden:
        append(sheet, [not_shown_note(hidden, CLOSED_LONG_AGO)])
    body = workbook_bytes(book)
    record(
        request,
        "export",
        found,
        summary=f"Exported the agenda of {found}",
        detail={"cases": agenda.references, "not_shown": hidden},
        person_ids=agenda.person_ids,
    )
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="marac-agenda-{found.date}.xlsx"'
    return response
