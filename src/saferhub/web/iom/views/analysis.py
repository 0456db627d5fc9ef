"""Selection list, de-selection review, the IOM board section and the partnership's settings."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from saferhub.app import iom as app
from saferhub.errors import SaferHubError
from saferhub.rules.iom_scoring import ScoringMatrix
from saferhub.rules.periods import Month
from saferhub.web.access import allow
from saferhub.web.audiences import board_audience
from saferhub.web.audit.log import record
from saferhub.web.demo import marked
from saferhub.web.iom import services
from saferhub.web.iom.forms import ContactPlanForm
from saferhub.web.iom.models import IomSettings, Membership
from saferhub.web.iom.services import ANALYSTS, BOARD_READERS, COORDINATORS, IOM
from saferhub.web.iom.views import page
from saferhub.web.people.access import today, visible_people
from saferhub.web.people.listing import not_shown_note, record_listing, split
from saferhub.web.people.models import Identifier, IdentifierKind
from saferhub.web.versioning import StaleRecord

SHOWN = 30


@allow(*ANALYSTS, programme=IOM)
def selection(request: HttpRequest) -> HttpResponse:
    day = today()
    matrix = ScoringMatrix()
    # The same list, worked out by the same function, as the board pack's casework section.
    ranked = app.selection(day, SHOWN)
    wanted = {row["pnc_id"] for row in ranked}
    # Only people the viewer may see are named; the rest are counted. A row's PNC ID and
    # offence history identify a person as surely as a name does, so they go too.
    person_of_pnc = dict(
        Identifier.objects.filter(kind=IdentifierKind.PNC, value__in=wanted).values_list(
            "value", "person_id"
        )
    )
    listed = split(request.user, ranked, lambda row: person_of_pnc.get(row["pnc_id"]))
    people = visible_people(request.user).in_bulk(listed.person_ids)
    rows = [{**row, "person": people[person_of_pnc[row["pnc_id"]]]} for row in listed.shown]
    record_listing(
        request,
        summary=f"Viewed the IOM selection list ({len(rows)} people shown, "
        f"{listed.hidden} not shown)",
        person_ids=listed.person_ids,
        hidden=listed.hidden,
    )
    return page(
        request,
        "iom/selection.html",
        {
            "rows": rows,
            "not_shown": listed.not_shown_note,
            "day": day,
            "matrix": matrix,
            "can_add": request.user.role in COORDINATORS,
        },
    )


@allow(*COORDINATORS, programme=IOM)
def deselection(request: HttpRequest) -> HttpResponse:
    day = today()
    months = IomSettings.current().offence_free_months
    since = (Month.of(day) - months).last_day
    found = app.deselection(day, since)
    current = {
        m.pnc_id: m
        for m in services.cohort_memberships(request.user).filter(leave_date__isnull=True)
    }
    # The review ranks the whole cohort; only members the viewer may see are in `current`.
    rows = [
        {**row, "membership": current[row["pnc_id"]]} for row in found if row["pnc_id"] in current
    ]
    hidden = len(found) - len(rows)
    record_listing(
        request,
        summary=f"Viewed the IOM de-selection review ({len(rows)} members shown)",
        person_ids=[row["membership"].person_id for row in rows],
        hidden=hidden,
    )
    return page(
        request,
        "iom/deselection.html",
        {
            "rows": rows,
            "not_shown": not_shown_note(hidden),
            "day": day,
            "months": months,
            "since": since,
        },
    )


@allow(*BOARD_READERS, programme=IOM)
def board(request: HttpRequest) -> HttpResponse:
    # The last complete month: the board reports on figures that are in, never on a future day.
    last_month = Month.of(today().replace(day=1) - timedelta(days=1))
    error = None
    try:
        to = Month.parse(request.GET["to"]) if request.GET.get("to") else last_month
    except SaferHubError as exc:
        to, error = last_month, exc.message
    audience = board_audience(request)
    fragment = None
    if Membership.objects.exists():
        fragment = app.board_fragment(to, audience, marked)
    record(
        request, "view", summary=f"Viewed the IOM board section to {to.key} ({audience} version)"
    )
    return page(
        request,
        "iom/board.html",
        {"fragment": fragment, "to": to, "error": error, "audience": audience.value},
    )


@allow(*COORDINATORS, programme=IOM)
def settings_page(request: HttpRequest) -> HttpResponse:
    current = IomSettings.current()
    form = ContactPlanForm(
        request.POST or None,
        plan=current.plan(),
        initial={"offence_free_months": current.offence_free_months, "version": current.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_settings(
                current=current,
                version=form.cleaned_data["version"],
                contact_plan=form.plan_settings(),
                offence_free_months=form.cleaned_data["offence_free_months"],
            )
        except StaleRecord as exc:
            form.refuse_stale(exc)
        else:
            record(
                request, "change", current, summary="Changed the IOM contact plan and review period"
            )
            messages.success(request, "IOM settings saved.")
            return redirect("iom:cohort")
    return page(
        request,
        "iom/form.html",
        {
            "form": form,
            "title": "IOM contact plan and review period",
            "intro": "Contact is matched to the tier. By default Red and Amber get daily "
            "contact and Green 2 to 3 contacts a week; Blue (in custody) has no community "
            "contact plan.",
            "button": "Save the settings",
        },
    )
