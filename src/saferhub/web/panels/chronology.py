"""Panel events for a person's chronology: referrals as victim or perpetrator, meetings that
listed the case, its actions and its closure.

Each event shows only to users who may see its case (`privacy.panel_cases`): agencies in the
panel's programme, while the case is open or within the grace period after it closed.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q
from django.urls import reverse

from saferhub.web.panels.models import PANEL_CHOICES, Action, Case, Listing, Perpetrator
from saferhub.web.panels.privacy import in_sight
from saferhub.web.people.models import Person
from saferhub.web.people.picture import Contribution, Event, Relation, Warning

LABELS = dict(PANEL_CHOICES)
SHORT = {"da_marac": "MARAC", "asb_marac": "CS MARAC", "adults_at_risk": "Adults at Risk"}


def visible_cases(user, on: date):
    """Every panel case the user may see, across the panels their agency is a member of."""
    panels = [code for code, _ in PANEL_CHOICES if user.in_programme(code)]
    cases = Case.objects.filter(panel__in=panels)
    if user.is_administrator:
        return cases
    return cases.filter(in_sight(on))


def contribution(person: Person, user, on: date) -> Contribution:
    if not user.is_authenticated:
        return Contribution()
    cases = (
        visible_cases(user, on)
        .filter(Q(victim=person) | Q(perpetrators__person=person))
        .distinct()
        .select_related("referring_agency")
        .prefetch_related(
            Prefetch("perpetrators", Perpetrator.objects.order_by("id")),
            Prefetch("listings", Listing.objects.select_related("meeting")),
            Prefetch("actions", Action.objects.select_related("owner_agency")),
        )
    )
    events, relations, warnings = [], [], []
    for case in cases:
        short = SHORT.get(case.panel, case.get_panel_display())
        url = reverse("panels:case", args=[case.pk])
        is_victim = case.victim_id == person.pk
        mine = [p for p in case.perpetrators.all() if p.person_id == person.pk]
        role = "victim" if is_victim else "perpetrator"
        if mine and not is_victim:
            role = f"perpetrator ({mine[0].get_relationship_display().lower()})"
        agency = case.referring_agency
        events.append(
            Event(
                case.referral_date,
                case.panel,
                short,
                f"Referred to {short} as {role}: case {case.reference}",
                "",
                agency.pk,
                str(agency),
                url,
            )
        )
        for listing in case.listings.all():
            heard = "heard" if listing.heard else "listed"
            events.append(
                Event(
                    listing.meeting.date,
                    case.panel,
                    short,
                    f"Case {case.reference} {heard} at the {short} meeting",
                    "",
                    url=url,
                )
            )
        for action in case.actions.all():
            state = action.get_status_display().lower()
            if action.is_overdue(on):
                state = "overdue"
            events.append(
                Event(
                    action.completed_date or action.due_date,
                    case.panel,
                    short,
                    f"Action for {action.owner_agency} ({state}), case {case.reference}",
                    action.description,
                    action.owner_agency_id,
                    str(action.owner_agency),
                    url,
                )
            )
        if case.closed_on:
            events.append(
                Event(
                    case.closed_on,
                    case.panel,
                    short,
                    f"Case {case.reference} closed",
                    case.closure_reason,
                    url=url,
                )
            )
        if is_victim:
            relations.extend(
                Relation(
                    p.person_id,
                    f"Perpetrator ({p.get_relationship_display().lower()}) in {short} case "
                    f"{case.reference}",
                    url,
                )
                for p in case.perpetrators.all()
            )
        else:
            relations.append(
                Relation(case.victim_id, f"Victim in {short} case {case.reference}", url)
            )
        if case.closed_on is None:
            warnings.append(
                Warning(
                    f"{short} victim: do not disclose their address or whereabouts"
                    if is_victim
                    else f"{short} perpetrator: a victim is at high risk of harm",
                    "red",
                )
            )
    return Contribution(events=events, relations=relations, warnings=warnings)
