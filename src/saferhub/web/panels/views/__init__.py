"""Panel pages: each view declares its roles and programme, checks objects, and audits reads."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404, HttpRequest

from saferhub.web.audit.log import record
from saferhub.web.panels.models import Case, Meeting
from saferhub.web.panels.privacy import PANEL, panel_cases


def case_for(request: HttpRequest, pk: int) -> Case:
    """The case, if the user's agency is a member of its panel; otherwise 'not found'."""
    case = (
        panel_cases(request.user)
        .select_related("victim", "referring_agency", "idva_agency", "previous_case")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404("No such case")
    return case


def meeting_for(request: HttpRequest, pk: int) -> Meeting:
    if not request.user.in_programme(PANEL):
        raise Http404("No such meeting")
    meeting = Meeting.objects.filter(panel=PANEL, pk=pk).first()
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
