"""Panel pages: each view declares its roles and programme, checks objects, and audits reads."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.http import Http404, HttpRequest

from saferhub.web.audit.log import record
from saferhub.web.panels.models import Case, Meeting
from saferhub.web.panels.privacy import panel_cases
from saferhub.web.panels.registry import panel_of
from saferhub.web.versioning import StaleRecord


def case_for(request: HttpRequest, pk: int) -> Case:
    """The case, if the user's agency is a member of its panel; otherwise 'not found'."""
    case = (
        panel_cases(request.user, panel_of(request).code)
        .select_related("victim", "referring_agency", "idva_agency", "previous_case")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404("No such case")
    return case


def meeting_for(request: HttpRequest, pk: int) -> Meeting:
    if not request.user.in_programme(panel_of(request).code):
        raise Http404("No such meeting")
    meeting = Meeting.objects.filter(panel=panel_of(request).code, pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def audit_case(request: HttpRequest, case: Case, what: str, also: Iterable[int] = ()) -> None:
    """One event for a case page, naming everyone it shows: victim, perpetrators, `also`."""
    perpetrators = case.perpetrators.values_list("person_id", flat=True)
    record(
        request,
        "view",
        case,
        person_id=case.victim_id,
        summary=f"{what} {case.reference}",
        person_ids=[case.victim_id, *perpetrators, *also],
    )


def stale_message(request: HttpRequest, stale: StaleRecord, reference: str) -> None:
    """A button's change was refused: say so on the page the user is sent back to."""
    lines = stale.lines()
    lines[0] = (
        f"Case {reference} changed after you opened the page, so nothing was changed. "
        f"It is now {stale.record.get_status_display().lower()}."
    )
    messages.error(request, " ".join(lines[:-1]) + " Check the case and try again if needed.")
