"""Referrals and cases: refer, find, read, screen, list for a meeting, allocate an IDVA."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from saferhub.rules.marac import Criterion
from saferhub.rules.panels import CaseState, RecordError, allowed_next
from saferhub.web.access import allow, forbidden
from saferhub.web.audit.log import record
from saferhub.web.panels import services
from saferhub.web.panels.asb_links import LINKED_PANEL, asb_link_for
from saferhub.web.panels.case_forms import IdvaForm, ListingForm, StatusForm
from saferhub.web.panels.forms import ReferralForm, checklist
from saferhub.web.panels.models import Action, ActionStatus, Meeting
from saferhub.web.panels.privacy import (
    CASE_READERS,
    CLOSED_LONG_AGO,
    COORDINATORS,
    OVERVIEW_READERS,
    PANEL,
    STATISTICS_READERS,
    WRITERS,
    all_panel_cases,
    panel_cases,
    sees_contact_details,
    with_update_rights,
)
from saferhub.web.panels.registry import go, panel_of, short_name
from saferhub.web.panels.views import audit_case, case_for, stale_message
from saferhub.web.people.access import today
from saferhub.web.people.listing import not_shown_note
from saferhub.web.people.models import Person
from saferhub.web.tables import Sorting, paginate
from saferhub.web.versioning import MISSING_VERSION, StaleRecord, posted_version

# The columns the case list sorts by, and what each sorts on.
CASE_SORTS = {
    "case": ("reference",),
    "victim": ("victim__last_name", "victim__first_name"),
    "referred": ("referral_date", "reference"),
    "by": ("referring_agency__name", "-referral_date"),
    "stage": ("status", "-referral_date"),
}
# The moves a coordinator makes from the case page; listing has its own page.
STATUS_ACTIONS = {
    CaseState.SCREENED: "Mark as screened",
    CaseState.REVIEW: "Move to review",
    CaseState.CLOSED: "Close the case",
}


@allow(*OVERVIEW_READERS, programme=PANEL)
def home(request: HttpRequest) -> HttpResponse:
    on = today()
    cases = panel_cases(request.user, panel_of(request).code)
    by_status = dict(cases.values_list("status").annotate(n=Count("id")))
    upcoming = (
        Meeting.objects.filter(panel=panel_of(request).code, date__gte=on).order_by("date").first()
    )
    overdue = Action.objects.filter(
        case__panel=panel_of(request).code, status=ActionStatus.OPEN, due_date__lt=on
    )
    record(request, "view", summary=f"Viewed the {short_name(panel_of(request).code)} overview")
    return render(
        request,
        "panels/home.html",
        {
            "config": panel_of(request),
            "states": [(s, by_status.get(s.value, 0)) for s in CaseState],
            "upcoming": upcoming,
            "upcoming_count": upcoming.listings.count() if upcoming else 0,
            "overdue_count": overdue.count(),
            "my_overdue": overdue.filter(owner_agency_id=request.user.agency_id).count(),
            "can_refer": request.user.role in WRITERS,
            "can_read_cases": request.user.role in CASE_READERS,
            "can_see_statistics": request.user.role in STATISTICS_READERS,
        },
    )


@allow(*WRITERS, programme=PANEL)
def refer(request: HttpRequest) -> HttpResponse:
    on = today()
    form = ReferralForm(
        request.POST or None,
        today=on,
        agencies=services.member_agencies(panel_of(request).code),
        find_candidates=lambda first, last, dob: services.find_candidates(
            request.user, first, last, dob
        ),
        previous_referrals=services.previous_referrals,
        initial={"referral_date": on, "referring_agency": request.user.agency_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.create_referral(
                user=request.user, today=on, **services.referral_from_form(form)
            )
        except RecordError as exc:
            for problem in exc.problems:
                form.add_error(
                    problem.field if problem.field in form.fields else None, problem.message
                )
        else:
            note = " It is a repeat referral." if case.is_repeat else ""
            messages.success(request, f"Referral {case.reference} made.{note}")
            return go(request, "case", pk=case.pk)
    if request.method == "GET":
        record(request, "view", summary="Opened the MARAC referral form")
    offered = {
        prefix: [(c, people.get(int(c.person_id))) for c in candidates]
        for prefix, candidates in form.candidates.items()
        if candidates
        for people in [services.candidates_by_pk(candidates)]
    }
    if offered:
        record(
            request,
            "search",
            summary="Checked a referral for duplicate people",
            detail={"offered": sum(len(v) for v in offered.values())},
            person_ids=[p.pk for v in offered.values() for _, p in v if p is not None],
        )
    return render(
        request,
        "panels/refer.html",
        {
            "form": form,
            "config": panel_of(request),
            "offered": offered,
            "checklist": checklist(),
            "threshold": checklist().threshold,
            "blocks": [
                ("victim", "Victim"),
                ("p1", "Perpetrator 1"),
                ("p2", "Perpetrator 2 (if any)"),
            ],
        },
    )


@allow(*CASE_READERS, programme=PANEL)
def cases(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    found = panel_cases(request.user, panel_of(request).code).select_related(
        "victim", "referring_agency"
    )
    every = all_panel_cases(request.user, panel_of(request).code)
    if status in CaseState._value2member_map_:
        found = found.filter(status=status)
        every = every.filter(status=status)
    hidden = 0
    if text:
        # Search only what the user may see; counting hidden matches of a name would confirm
        # that a named person had a case.
        words = text.split()
        query = Q(reference__iexact=text)
        for word in words[:3]:
            query |= Q(victim__last_name__icontains=word) | Q(victim__first_name__icontains=word)
        found = found.filter(query)
    else:
        hidden = every.count() - found.count()
    sorting = Sorting.from_request(request, CASE_SORTS, "referred", descending=True)
    page = paginate(request, sorting.apply(found))
    total = page.paginator.count
    shown = list(page)
    record(
        request,
        "search" if text else "view",
        summary=f"Searched {short_name(panel_of(request).code)} cases for '{text}'"
        if text
        else f"Viewed the {short_name(panel_of(request).code)} case list",
        detail={"query": text, "status": status, "results": total, "not_shown": hidden},
        person_ids=[c.victim_id for c in shown],
    )
    return render(
        request,
        "panels/cases.html",
        {
            "cases": shown,
            "page": page,
            "sorting": sorting,
            "not_shown": not_shown_note(hidden, CLOSED_LONG_AGO),
            "total": total,
            "q": text,
            "status": status,
            "states": list(CaseState),
        },
    )


@allow(*CASE_READERS, programme=PANEL)
def case(request: HttpRequest, pk: int) -> HttpResponse:
    found = case_for(request, pk)
    is_coordinator = request.user.role in COORDINATORS
    previous_actions = []
    if found.previous_case_id:
        previous_actions = list(found.previous_case.actions.select_related("owner_agency"))
    duplicates = []
    if is_coordinator:
        candidates = services.find_candidates(
            request.user,
            found.victim.first_name,
            found.victim.last_name,
            found.victim.date_of_birth,
        )
        people = services.candidates_by_pk(candidates)
        duplicates = [
            (c, people[int(c.person_id)]) for c in candidates if int(c.person_id) in people
        ]
    audit_case(
        request, found, f"Viewed {short_name(found.panel)} case", also=[p.pk for _, p in duplicates]
    )
    moves = [s for s in allowed_next(found.state) if s in STATUS_ACTIONS]
    config = panel_of(request)
    is_da = config.code == "da_marac"
    return render(
        request,
        "panels/case.html" if is_da else "panels/panel_case.html",
        {
            "case": found,
            "victim": found.victim,
            "age": found.victim.age(found.referral_date),
            "contact_visible": sees_contact_details(request.user, found),
            "perpetrators": found.perpetrators.select_related("person"),
            "children": found.children.all(),
            "criteria": [(c, c.value in found.criteria) for c in Criterion]
            if is_da
            else [(c, c.code in found.criteria) for c in config.referral_criteria],
            "incidents": found.incidents.all(),
            "threshold": checklist().threshold,
            "listings": found.listings.select_related("meeting").order_by("meeting__date"),
            "actions": with_update_rights(
                request.user,
                found.actions.select_related("owner_agency", "meeting"),
                found.panel,
            ),
            "previous_actions": previous_actions,
            "repeats": found.repeats.all(),
            "duplicates": duplicates,
            "asb_link": asb_link_for(request.user, found) if found.panel == LINKED_PANEL else None,
            "today": today(),
            "is_coordinator": is_coordinator,
            "can_list": is_coordinator
            and found.state in (CaseState.REFERRED, CaseState.SCREENED, CaseState.REVIEW),
            "moves": [(s, STATUS_ACTIONS[s]) for s in moves] if is_coordinator else [],
            "can_add_action": is_coordinator
            and found.state in (CaseState.HEARD, CaseState.ACTIONS, CaseState.REVIEW),
        },
    )


@allow(*COORDINATORS, programme=PANEL)
@require_POST
def case_status(request: HttpRequest, pk: int) -> HttpResponse:
    found = case_for(request, pk)
    form = StatusForm(request.POST)
    if "version" in form.errors:
        messages.error(request, MISSING_VERSION)
        return go(request, "case", pk=pk)
    if not form.is_valid() or form.cleaned_data["target"] not in CaseState._value2member_map_:
        messages.error(request, "Choose what to do with the case.")
        return go(request, "case", pk=pk)
    target = CaseState(form.cleaned_data["target"])
    reason = form.cleaned_data.get("reason", "")
    if target is CaseState.CLOSED and not reason.strip():
        messages.error(request, "Give the reason for closing the case.")
        return go(request, "case", pk=pk)
    try:
        services.move(found, target, reason, version=form.cleaned_data["version"])
    except RecordError as exc:
        messages.error(request, exc.problems[0].message)
    except StaleRecord as exc:
        stale_message(request, exc, found.reference)
    else:
        messages.success(request, f"Case {found.reference} is now {target.label.lower()}.")
    return go(request, "case", pk=pk)


@allow(*COORDINATORS, programme=PANEL)
def case_listing(request: HttpRequest, pk: int) -> HttpResponse:
    found = case_for(request, pk)
    on = today()
    upcoming = (
        Meeting.objects.filter(panel=panel_of(request).code, date__gte=on).order_by("date").first()
    )
    initial = {"meeting_date": upcoming.date if upcoming else on, "version": found.version}
    form = ListingForm(request.POST or None, today=on, initial=initial)
    warning = None
    if request.method == "POST" and form.is_valid():
        try:
            listing, warning = services.list_case(
                found,
                form.cleaned_data["meeting_date"],
                on,
                confirm_over_cap=form.cleaned_data["confirm_over_cap"],
                config=panel_of(request),
                version=form.cleaned_data["version"],
            )
        except StaleRecord as exc:
            form.refuse_stale(exc)
        except RecordError as exc:
            for problem in exc.problems:
                form.add_error(
                    "meeting_date" if problem.field == "meeting_date" else None, problem.message
                )
        else:
            if listing is not None:
                note = f" {warning.message}" if warning else ""
                messages.success(
                    request, f"Case {found.reference} listed for {listing.meeting}.{note}"
                )
                return go(request, "meeting", pk=listing.meeting_id)
    audit_case(request, found, "Opened the listing page for")
    return render(
        request,
        "panels/listing.html",
        {"case": found, "form": form, "warning": warning},
    )


@allow(*COORDINATORS, programme=PANEL)
def case_idva(request: HttpRequest, pk: int) -> HttpResponse:
    found = case_for(request, pk)
    form = IdvaForm(
        request.POST or None,
        agencies=services.member_agencies(panel_of(request).code),
        initial={
            "idva_agency": found.idva_agency_id,
            "idva_name": found.idva_name,
            "version": found.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.allocate_idva(
                case=found,
                version=form.cleaned_data["version"],
                idva_agency=form.cleaned_data["idva_agency"],
                idva_name=form.cleaned_data["idva_name"],
            )
        except StaleRecord as exc:
            form.refuse_stale(exc)
        else:
            messages.success(request, f"IDVA allocated to case {found.reference}.")
            return go(request, "case", pk=pk)
    audit_case(request, found, "Opened IDVA allocation for")
    return render(
        request,
        "panels/form.html",
        {"form": form, "case": found, "title": f"Allocate an IDVA: case {found.reference}"},
    )


@allow(*COORDINATORS, programme=PANEL)
@require_POST
def case_victim(request: HttpRequest, pk: int) -> HttpResponse:
    """Use an existing record for the victim: the coordinator confirms a likely duplicate."""
    found = case_for(request, pk)
    try:
        chosen_pk = int(request.POST.get("person", ""))
    except ValueError:
        chosen_pk = None
    candidates = services.find_candidates(
        request.user, found.victim.first_name, found.victim.last_name, found.victim.date_of_birth
    )
    if chosen_pk is None or str(chosen_pk) not in {c.person_id for c in candidates}:
        return forbidden(request, "That record was not offered as a likely duplicate.")
    if found.perpetrators.filter(person_id=chosen_pk).exists():
        messages.error(request, "That record is a perpetrator on this case.")
        return go(request, "case", pk=pk)
    version = posted_version(request.POST)
    if version is None:
        messages.error(request, MISSING_VERSION)
        return go(request, "case", pk=pk)
    chosen = Person.objects.get(pk=chosen_pk)
    old = found.victim
    try:
        services.use_existing_victim(case=found, version=version, person=chosen)
    except StaleRecord as exc:
        stale_message(request, exc, found.reference)
        return go(request, "case", pk=pk)
    record(
        request,
        "update",
        found,
        person_id=chosen.pk,
        summary=f"Case {found.reference}: victim record {old.pk} replaced by {chosen.pk}",
        detail={"from_person": old.pk, "to_person": chosen.pk},
    )
    messages.success(request, f"Case {found.reference} now uses the record of {chosen.full_name}.")
    return go(request, "case", pk=pk)
