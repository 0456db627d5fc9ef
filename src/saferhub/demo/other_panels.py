"""Load the other panels' synthetic activity (panel_cases.csv, panel_actions.csv,
sirm_incidents.csv) into the panel engine, after the DA MARAC.

Each incident goes through the SIRM rule here, as a recorded one does on the page: the
extract gives the facts, never the decision.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from saferhub.rules.panels import CaseState
from saferhub.rules.sirm import CRITERIA, IncidentFacts, Route, decide
from saferhub.sources.dates import parse_date
from saferhub.sources.partnership import Row, read_rows
from saferhub.web.accounts.models import Agency
from saferhub.web.panels.models import (
    Action,
    ActionStatus,
    Attendance,
    Case,
    Incident,
    Listing,
    Meeting,
    RiskArea,
)
from saferhub.web.panels.services import reference_for
from saferhub.web.people.models import Involvement

RISK_FOR = {
    "housing": RiskArea.HOUSING,
    "health": RiskArea.HEALTH,
    "childrens_services": RiskArea.CHILDREN,
}
REASONS = {
    "asb_marac": "Community Safety MARAC referral",
    "adults_at_risk": "Adults at Risk Panel referral",
    "sirm": "Serious Incident Response Meeting referral",
}


def _read(path: Path) -> list[Row]:
    # The same reader and date grammar as every other extract the demo loads.
    return read_rows(path) if path.exists() else []


def _day(text: str) -> date | None:
    return parse_date(text)


def _agency(panel: str, kind: str) -> Agency | None:
    members = [a for a in Agency.objects.order_by("name") if a.in_programme(panel)]
    return next((a for a in members if a.kind == kind), members[0] if members else None)


def _status(row: dict, as_of: date) -> str:
    if row["closed_on"]:
        return CaseState.CLOSED
    if row["reviewed_on"]:
        return CaseState.REVIEW
    if row["heard"] == "true":
        return CaseState.ACTIONS
    return CaseState.LISTED


def load(extract_dir: Path, people: dict[str, int], as_of: date) -> dict[str, int]:
    rows = _read(extract_dir / "panel_cases.csv")
    action_rows = _read(extract_dir / "panel_actions.csv")
    incident_rows = _read(extract_dir / "sirm_incidents.csv")
    if not rows and not incident_rows:
        return {}
    agencies = {
        (panel, kind): _agency(panel, kind)
        for panel in ("asb_marac", "adults_at_risk", "sirm")
        for kind in (
            "police",
            "housing",
            "community_safety",
            "health",
            "probation",
            "youth_justice",
            "childrens_services",
        )
    }
    if any(a is None for a in agencies.values()):
        return {}
    meetings: dict[tuple[str, str], Meeting] = {}
    for row in rows:
        for day in [d for d in row["meeting_dates"].split(";") if d]:
            meetings.setdefault(
                (row["panel"], day),
                Meeting(panel=row["panel"], date=date.fromisoformat(day), held=_day(day) <= as_of),
            )
    Meeting.objects.bulk_create(meetings.values(), batch_size=500)

    cases = []
    for row in rows:
        days = [d for d in row["meeting_dates"].split(";") if d]
        heard = row["heard"] == "true"
        cases.append(
            Case(
                panel=row["panel"],
                reference=f"tmp-{row['case_id']}",
                victim_id=people[row["person_id"]],
                referral_date=date.fromisoformat(row["referral_date"]),
                referring_agency=agencies[(row["panel"], row["referring_agency"])],
                status=_status(row, as_of),
                criteria=[c for c in row["criteria"].split(";") if c],
                asb_case_reference=row["asb_case_reference"],
                is_repeat=bool(row["previous_case_id"]),
                heard_date=_day(days[0]) if heard else None,
                reviewed_on=_day(row["reviewed_on"]),
                closed_on=_day(row["closed_on"]),
                closure_reason="Risk reduced; agreed by the panel" if row["closed_on"] else "",
            )
        )
    Case.objects.bulk_create(cases, batch_size=500)
    by_id = {row["case_id"]: case for row, case in zip(rows, cases, strict=True)}
    for row, case in zip(rows, cases, strict=True):
        case.reference = reference_for(case)
        case.previous_case = by_id.get(row["previous_case_id"])
    Case.objects.bulk_update(cases, ["reference", "previous_case"], batch_size=500)

    listings, involvements, positions = [], [], {}
    for row, case in zip(rows, cases, strict=True):
        for day in [d for d in row["meeting_dates"].split(";") if d]:
            meeting = meetings[(row["panel"], day)]
            if meeting.date > as_of and case.status == CaseState.CLOSED:
                continue
            positions[meeting.pk] = positions.get(meeting.pk, 0) + 1
            listings.append(
                Listing(
                    meeting=meeting,
                    case=case,
                    position=positions[meeting.pk],
                    heard=meeting.date <= as_of and row["heard"] == "true",
                )
            )
        involvements.append(
            Involvement(
                person_id=case.victim_id,
                agency_id=case.referring_agency_id,
                reason=REASONS[row["panel"]],
                start=case.referral_date,
            )
        )
    Listing.objects.bulk_create(listings, batch_size=1000)

    actions = [
        Action(
            case=by_id[row["case_id"]],
            meeting=meetings.get((by_id[row["case_id"]].panel, row["agreed_date"])),
            owner_agency=agencies[(by_id[row["case_id"]].panel, row["owner_agency"])],
            description=row["description"],
            risk_addressed=RISK_FOR.get(row["owner_agency"], RiskArea.VICTIM_SAFETY),
            due_date=date.fromisoformat(row["due_date"]),
            status=ActionStatus.DONE if row["status"] == "done" else ActionStatus.OPEN,
            completed_date=_day(row["due_date"]) if row["status"] == "done" else None,
        )
        for row in action_rows
    ]
    Action.objects.bulk_create(actions, batch_size=1000)
    attendance = [
        Attendance(meeting=m, agency=a, present=True)
        for (panel, _), m in meetings.items()
        if m.held
        for a in {
            agencies[(panel, k)].pk: agencies[(panel, k)]
            for k in ("police", "housing", "community_safety")
        }.values()
    ]
    Attendance.objects.bulk_create(attendance, batch_size=1000)

    incidents = _load_incidents(incident_rows, people, agencies, involvements)
    Involvement.objects.bulk_create(involvements, batch_size=1000)
    return {
        "panel_cases": len(cases),
        "panel_actions": len(actions),
        "panel_meetings": len(meetings),
        "sirm_incidents": incidents,
    }


def _load_incidents(rows, people, agencies, involvements) -> int:
    count = 0
    for row in rows:
        occurred = datetime.fromisoformat(row["occurred_at"])
        facts = IncidentFacts(
            victim_age=int(row["victim_age"]) if row["victim_age"] else None,
            suspect_age=int(row["suspect_age"]) if row["suspect_age"] else None,
            children_in_household=row["children_in_household"] == "true",
            **{code: row[code] == "true" for code in CRITERIA},
        )
        decision = decide(facts)
        reporter = agencies[("sirm", "police")]
        person_id = people[row["person_id"]]
        case = None
        held = datetime.fromisoformat(row["sirm_held_at"]) if row["sirm_held_at"] else None
        if decision.route is not Route.NEITHER:
            panel = decision.route.value
            day = occurred.date()
            case = Case.objects.create(
                panel=panel,
                reference=f"tmp-{row['incident_id']}",
                victim_id=person_id,
                referral_date=day,
                referring_agency=agencies[(panel, "police")],
                status=CaseState.ACTIONS if held else CaseState.REFERRED,
                criteria=[
                    "children_in_household"
                    if facts.children_in_household
                    else "under_25_with_criterion"
                ]
                if panel == "sirm"
                else ["serious_violence"],
                heard_date=held.date() if held else None,
            )
            case.reference = reference_for(case)
            Case.objects.filter(pk=case.pk).update(reference=case.reference)
            involvements.append(
                Involvement(
                    person_id=person_id,
                    agency_id=case.referring_agency_id,
                    reason=REASONS[panel],
                    start=day,
                )
            )
        Incident.objects.create(
            reference=row["incident_id"],
            occurred_at=occurred,
            reporting_agency=reporter,
            person_id=person_id,
            victim_age=facts.victim_age,
            suspect_age=facts.suspect_age,
            children_in_household=facts.children_in_household,
            suggested_route=decision.route.value,
            route=decision.route.value,
            reasons=[{"met": r.met, "text": r.text} for r in decision.reasons],
            case=case,
            sirm_held_at=held,
            **{code: getattr(facts, code) for code in CRITERIA},
        )
        count += 1
    return count
