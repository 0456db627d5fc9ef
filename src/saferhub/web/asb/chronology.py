"""ASB events for a person's chronology: cases where they complained or caused the harm,
the incidents they reported, and tools and powers used against them.

Each event shows only to users who may see its case (`privacy.visible_cases`): agencies
working the case, while it is open or within the grace period after it closed. A tool used
outside any case shows only to the agency that used it.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from saferhub.web.asb.models import Complainant, Incident, Respondent, ToolKind, ToolUse
from saferhub.web.asb.privacy import PROGRAMME, visible_cases
from saferhub.web.links import link
from saferhub.web.people.models import Person
from saferhub.web.people.picture import Contribution, Event, Relation, Warning

LABEL = "ASB"
TOOLS = dict(ToolKind.choices)


def contribution(person: Person, user, on: date) -> Contribution:
    if not user.is_authenticated or not user.in_programme(PROGRAMME):
        return Contribution()
    # Plain values, not model instances: this runs on every opening of a record.
    cases = {
        case["pk"]: case
        for case in visible_cases(user, on)
        .filter(Q(complainants__person=person) | Q(respondents__person=person))
        .distinct()
        .values("pk", "reference", "opened_on", "closed_on", "closure_reason", "lead_agency_id")
    }
    ids = list(cases)
    complained: set[int] = set()
    others: list[dict] = []
    incidents: list[dict] = []
    if ids:  # most people are in no ASB case: spare the record those queries
        complained = set(
            Complainant.objects.filter(case_id__in=ids, person=person).values_list(
                "case_id", flat=True
            )
        )
        others = list(
            Complainant.objects.filter(case_id__in=ids, person__isnull=False)
            .exclude(person=person)
            .values("case_id", "person_id")
        ) + [
            {**row, "respondent": True}
            for row in Respondent.objects.filter(case_id__in=ids)
            .exclude(person=person)
            .values("case_id", "person_id")
        ]
        incidents = list(
            Incident.objects.filter(case_id__in=ids, complainant__person=person).values(
                "case_id", "occurred_on", "category", "location"
            )
        )
    tools = ToolUse.objects.filter(person=person)
    if not user.is_administrator:
        tools = tools.filter(Q(case_id__in=ids) | Q(case__isnull=True, agency_id=user.agency_id))
    events, relations, warnings = [], [], []
    for pk, case in cases.items():
        url = link("asb:case", pk)
        role = "complainant" if pk in complained else "person causing the harm"
        events.append(
            Event(
                case["opened_on"],
                "asb",
                LABEL,
                f"ASB case {case['reference']} opened, as {role}",
                "",
                case["lead_agency_id"],
                url=url,
            )
        )
        if case["closed_on"]:
            events.append(
                Event(
                    case["closed_on"],
                    "asb",
                    LABEL,
                    f"ASB case {case['reference']} closed",
                    case["closure_reason"],
                    url=url,
                )
            )
        elif pk not in complained:
            warnings.append(Warning(f"Subject of ASB case {case['reference']}", "orange"))
    for incident in incidents:
        case = cases[incident["case_id"]]
        events.append(
            Event(
                incident["occurred_on"],
                "asb",
                LABEL,
                f"Reported an incident ({incident['category']}), case {case['reference']}",
                incident["location"],
                url=link("asb:case", incident["case_id"]),
            )
        )
    for tool in tools.values("kind", "used_on", "outcome", "agency_id", "agency__name", "case_id"):
        events.append(
            Event(
                tool["used_on"],
                "asb",
                LABEL,
                f"{TOOLS.get(tool['kind'], tool['kind'])} against them",
                tool["outcome"],
                tool["agency_id"],
                tool["agency__name"],
                link("asb:case", tool["case_id"]) if tool["case_id"] else "",
            )
        )
    for row in others:
        case = cases[row["case_id"]]
        what = "Person causing the harm" if row.get("respondent") else "Complainant"
        relations.append(
            Relation(
                row["person_id"],
                f"{what} in ASB case {case['reference']}",
                link("asb:case", row["case_id"]),
            )
        )
    return Contribution(events=events, relations=relations, warnings=warnings)
