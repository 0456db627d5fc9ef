"""Panel events for a person's chronology: referrals as victim or perpetrator, meetings that
listed the case, its actions and its closure.

Each event shows only to users who may see its case (`privacy.panel_cases`): agencies in the
panel's programme, while the case is open or within the grace period after it closed.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from saferhub.web.panels.models import (
    PANEL_CHOICES,
    Action,
    ActionStatus,
    Case,
    Listing,
    Perpetrator,
    Relationship,
)
from saferhub.web.panels.privacy import in_sight
from saferhub.web.panels.registry import namespace_of
from saferhub.web.people.models import Person
from saferhub.web.people.picture import Contribution, Event, Relation, Warning, absent

# Whether any panel case names the person, asked in their own query (picture.presence).
PRESENCE = {
    "panel_victim": Exists(Case.objects.filter(victim=OuterRef("pk"))),
    "panel_perpetrator": Exists(Perpetrator.objects.filter(person=OuterRef("pk"))),
}

LABELS = dict(PANEL_CHOICES)
SHORT = {"da_marac": "MARAC", "asb_marac": "CS MARAC", "adults_at_risk": "Adults at Risk"}


def visible_cases(user, on: date):
    """Every panel case the user may see, across the panels their agency is a member of."""
    panels = [code for code, _ in PANEL_CHOICES if user.in_programme(code)]
    cases = Case.objects.filter(panel__in=panels)
    if user.is_administrator:
        return cases
    return cases.filter(in_sight(on))


RELATIONSHIPS = dict(Relationship.choices)
ACTION_STATES = dict(ActionStatus.choices)


def _by_case(rows) -> dict[int, list[dict]]:
    grouped: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["case_id"]].append(row)
    return grouped


def contribution(person: Person, user, on: date) -> Contribution:
    if not user.is_authenticated or (
        absent(person, "panel_victim") and absent(person, "panel_perpetrator")
    ):
        return Contribution()
    # Plain values, not model instances: this runs on every opening of a record.
    cases = list(
        visible_cases(user, on)
        .filter(Q(victim=person) | Q(perpetrators__person=person))
        .distinct()
        .values(
            "pk",
            "panel",
            "reference",
            "victim_id",
            "referral_date",
            "closed_on",
            "closure_reason",
            "referring_agency_id",
            "referring_agency__name",
        )
    )
    if not cases:  # most people are in no panel case: spare the record those queries
        return Contribution()
    ids = [case["pk"] for case in cases]
    perpetrators = _by_case(
        Perpetrator.objects.filter(case_id__in=ids)
        .order_by("id")
        .values("case_id", "person_id", "relationship")
    )
    listings = _by_case(
        Listing.objects.filter(case_id__in=ids).values("case_id", "heard", "meeting__date")
    )
    actions = _by_case(
        Action.objects.filter(case_id__in=ids)
        .order_by("due_date", "id")
        .values(
            "case_id",
            "status",
            "due_date",
            "completed_date",
            "description",
            "owner_agency_id",
            "owner_agency__name",
        )
    )
    events, relations, warnings = [], [], []
    for case in cases:
        panel, reference = case["panel"], case["reference"]
        short = SHORT.get(panel, LABELS.get(panel, panel))
        url = reverse("panels:case", args=[case["pk"]], current_app=namespace_of(panel))
        is_victim = case["victim_id"] == person.pk
        role = "victim"
        if not is_victim:
            mine = [p for p in perpetrators[case["pk"]] if p["person_id"] == person.pk]
            relationship = RELATIONSHIPS.get(mine[0]["relationship"], "") if mine else ""
            role = f"perpetrator ({relationship.lower()})" if relationship else "perpetrator"
        events.append(
            Event(
                case["referral_date"],
                panel,
                short,
                f"Referred to {short} as {role}: case {reference}",
                "",
                case["referring_agency_id"],
                case["referring_agency__name"],
                url,
            )
        )
        for listing in listings[case["pk"]]:
            heard = "heard" if listing["heard"] else "listed"
            events.append(
                Event(
                    listing["meeting__date"],
                    panel,
                    short,
                    f"Case {reference} {heard} at the {short} meeting",
                    url=url,
                )
            )
        for action in actions[case["pk"]]:
            state = ACTION_STATES.get(action["status"], action["status"]).lower()
            if action["status"] == ActionStatus.OPEN and action["due_date"] < on:
                state = "overdue"
            events.append(
                Event(
                    action["completed_date"] or action["due_date"],
                    panel,
                    short,
                    f"Action for {action['owner_agency__name']} ({state}), case {reference}",
                    action["description"],
                    action["owner_agency_id"],
                    action["owner_agency__name"],
                    url,
                )
            )
        if case["closed_on"]:
            events.append(
                Event(
                    case["closed_on"],
                    panel,
                    short,
                    f"Case {reference} closed",
                    case["closure_reason"],
                    url=url,
                )
            )
        if is_victim:
            relations.extend(
                Relation(
                    p["person_id"],
                    f"Perpetrator ({RELATIONSHIPS.get(p['relationship'], '').lower()}) in "
                    f"{short} case {reference}",
                    url,
                )
                for p in perpetrators[case["pk"]]
            )
        else:
            relations.append(
                Relation(case["victim_id"], f"Victim in {short} case {reference}", url)
            )
        if case["closed_on"] is None:
            warnings.append(
                Warning(
                    f"{short} victim: do not disclose their address or whereabouts"
                    if is_victim
                    else f"{short} perpetrator: a victim is at high risk of harm",
                    "red",
                )
            )
    return Contribution(events=events, relations=relations, warnings=warnings)
