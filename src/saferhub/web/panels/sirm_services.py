"""Writes for serious violence incidents and the SIRM: record, decide, override, hold.

Each is a keyword-only function in one transaction that records its own audit event; the
decision comes from the pure rule in `saferhub.rules.sirm`, never from the view.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from saferhub.rules.panels import CaseState, FieldProblem, RecordError
from saferhub.rules.sirm import Decision, IncidentFacts, Route, decide, override
from saferhub.web.accounts.models import Agency
from saferhub.web.audit.log import record_create, record_write
from saferhub.web.panels.models import Case, Incident
from saferhub.web.people.models import Person
from saferhub.web.versioning import compare_and_swap

FACT_FIELDS = (
    "victim_age",
    "suspect_age",
    "borough_resident",
    "osman_warning",
    "gang_link",
    "known_to_childrens_services",
    "children_in_household",
)
ROUTE_CRITERIA = {
    Route.SIRM: "under_25_with_criterion",
    Route.ADULTS_AT_RISK: "serious_violence",
}


def facts_of(incident: Incident) -> IncidentFacts:
    return IncidentFacts(**{name: getattr(incident, name) for name in FACT_FIELDS})


def _reasons(decision: Decision) -> list[dict]:
    return [{"met": r.met, "text": r.text} for r in decision.reasons]


def _open_case(incident: Incident, route: Route, user, on: date) -> Case | None:
    """The panel case the route asks for; none for "neither"."""
    from saferhub.web.panels.services import reference_for

    if route is Route.NEITHER:
        return None
    panel = route.value
    if route is Route.SIRM:
        criterion = (
            "children_in_household" if incident.children_in_household else "under_25_with_criterion"
        )
        if incident.overridden:
            criterion = "coordinator_decision"
    else:
        criterion = "serious_violence" if not incident.overridden else "professional_judgement"
    case = Case.objects.create(
        panel=panel,
        reference=f"new-i{incident.pk}"[:16],
        victim=incident.person,
        referral_date=on,
        referring_agency=incident.reporting_agency,
        referred_by=user,
        criteria=[criterion],
        professional_judgement_reason=incident.override_reason,
    )
    # The reference needs the new id; set in the same transaction, the create event carries it.
    case.reference = reference_for(case)
    Case.objects.filter(pk=case.pk).update(reference=case.reference)
    record_create(None, case, detail={"incident": incident.reference})
    return case


@transaction.atomic
def record_incident(
    *,
    user,
    reporting_agency: Agency,
    person: Person,
    occurred_at: datetime,
    facts: IncidentFacts,
    summary: str,
    on: date,
) -> Incident:
    """Record the incident, apply the rule, and open the case it calls for."""
    decision = decide(facts)
    incident = Incident.objects.create(
        reference=f"new-{person.pk}-{on:%y%m%d}"[:16],
        occurred_at=occurred_at,
        recorded_by=user,
        reporting_agency=reporting_agency,
        person=person,
        summary=summary.strip(),
        suggested_route=decision.route.value,
        route=decision.route.value,
        reasons=_reasons(decision),
        **{name: getattr(facts, name) for name in FACT_FIELDS},
    )
    incident.reference = f"SV{incident.pk:06d}"
    Incident.objects.filter(pk=incident.pk).update(reference=incident.reference)
    case = _open_case(incident, decision.route, user, on)
    if case is not None:
        Incident.objects.filter(pk=incident.pk).update(case=case)
        incident.case = case
    record_create(
        None,
        incident,
        detail={
            "decision": decision.route.value,
            "reasons": [r["text"] for r in _reasons(decision) if r["met"]],
            "case": case.reference if case else None,
        },
    )
    return incident


@transaction.atomic
def override_route(
    *, incident: Incident, version: int, route: str, reason: str, user, on: date
) -> Incident:
    """A coordinator sends the incident elsewhere than the rule did, with a recorded reason.

    The case the rule opened is closed (it was never heard) and the chosen route's case opened.
    """
    from saferhub.rules.sirm import Reason
    from saferhub.web.panels.services import move

    rule = Decision(
        Route(incident.suggested_route),
        tuple(Reason(r["met"], r["text"]) for r in incident.reasons),
        overridden=incident.overridden,
        suggested=Route(incident.suggested_route),
    )
    current = Decision(Route(incident.route), rule.reasons, incident.overridden)
    if incident.sirm_held_at is not None:
        raise RecordError(
            FieldProblem("route", "The SIRM has been held, so the decision can no longer change.")
        )
    chosen = override(current if incident.overridden else rule, route, reason)
    old_case = incident.case
    if old_case is not None and old_case.state not in (CaseState.REFERRED, CaseState.CLOSED):
        raise RecordError(
            FieldProblem(
                "route",
                f"Case {old_case.reference} is already {old_case.state.label.lower()}, so the "
                "decision can no longer change here. Move that case on from its own page.",
            )
        )
    if old_case is not None and old_case.state is CaseState.REFERRED:
        move(
            old_case,
            CaseState.CLOSED,
            f"Sent elsewhere by the coordinator: {chosen.override_reason}"[:300],
            on=on,
        )
    compare_and_swap(
        incident,
        version=version,
        route=chosen.route.value,
        override_reason=chosen.override_reason,
    )
    case = _open_case(incident, chosen.route, user, on)
    Incident.objects.filter(pk=incident.pk).update(case=case)
    incident.case = case
    record_write(
        "update",
        incident,
        person_id=incident.person_id,
        detail={
            "override": True,
            "from": rule.route.value,
            "to": chosen.route.value,
            "reason": chosen.override_reason,
        },
    )
    return incident


@transaction.atomic
def record_sirm_held(*, incident: Incident, version: int, held_at: datetime, now: datetime):
    """Record when the SIRM met; the 24-hour measure reads this time."""
    if incident.route != Route.SIRM.value:
        raise RecordError(FieldProblem("held_at", "This incident is not going to a SIRM."))
    if incident.sirm_held_at is not None:
        raise RecordError(
            FieldProblem("held_at", f"The SIRM for {incident.reference} is already recorded.")
        )
    if held_at < incident.occurred_at:
        raise RecordError(
            FieldProblem("held_at", "The SIRM cannot have met before the incident happened.")
        )
    if held_at > now:
        raise RecordError(FieldProblem("held_at", "The time the SIRM met cannot be in the future."))
    return compare_and_swap(incident, version=version, sirm_held_at=held_at)
