"""Load the MARAC extract (docs/formats/marac-extract.md) into the panel engine.

`saferhub demo` calls `load(extract_dir, people)` after the people are in. The extract is
checked in full first and nothing is written unless every row is good; the caller's
transaction and audit "import" event cover the whole load.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from saferhub.errors import ProblemCollector
from saferhub.rules.panels import CaseState
from saferhub.sources.dates import DATE_HINT, not_a_date, parse_date
from saferhub.sources.partnership import Row, read_rows
from saferhub.web.accounts.models import Agency, AgencyKind, Programme
from saferhub.web.panels.models import (
    Action,
    ActionStatus,
    Attendance,
    Case,
    Child,
    Listing,
    Meeting,
    Perpetrator,
    Relationship,
    RiskArea,
)
from saferhub.web.panels.referrals import reference_for
from saferhub.web.people.models import Involvement

PANEL = Programme.DA_MARAC.value
# The extract names agencies by the role they play; the partnership's agencies by kind.
AGENCY_KIND = {
    "Police": AgencyKind.POLICE,
    "IDVA service": AgencyKind.VOLUNTARY,
    "Housing": AgencyKind.HOUSING,
    "Children's services": AgencyKind.CHILDRENS_SERVICES,
    "Education": AgencyKind.CHILDRENS_SERVICES,
    "Health": AgencyKind.HEALTH,
    "Mental health": AgencyKind.HEALTH,
    "Substance misuse": AgencyKind.HEALTH,
    "Probation": AgencyKind.PROBATION,
    "Adult social care": AgencyKind.COMMUNITY_SAFETY,
}
RELATIONSHIPS = {label: value for value, label in Relationship.choices}
RISKS = {label: value for value, label in RiskArea.choices}
STATES = {s.value for s in CaseState}
NOT_YET_HEARD = {CaseState.REFERRED.value, CaseState.SCREENED.value, CaseState.LISTED.value}


def _read(path: Path) -> list[Row]:
    return read_rows(path) if path.exists() else []


def _date(problems: ProblemCollector, row: int, column: str, text: str, required=True):
    if not text:
        if required:
            problems.add(row, column, f"is empty; give a date. {DATE_HINT}")
        return None
    day = parse_date(text)
    if day is None:
        problems.add(row, column, not_a_date(text))
    return day


def check_cases(rows: list[dict], people: dict[str, int]) -> None:
    problems = ProblemCollector("marac_cases.csv")
    for index, row in enumerate(rows):
        # Rows from `read_rows` know their line; plain dicts are numbered as a file's would be.
        number = getattr(row, "line", index + 2)
        if row["victim_id"] not in people:
            problems.add(number, "victim_id", f"{row['victim_id']} is not in people.csv.")
        perpetrators = [p for p in row["perpetrator_ids"].split(";") if p]
        for pid in perpetrators:
            if pid not in people:
                problems.add(number, "perpetrator_ids", f"{pid} is not in people.csv.")
        if row["victim_id"] in perpetrators:
            problems.add(number, "perpetrator_ids", "the victim is also listed as a perpetrator.")
        relationships = [r for r in row["relationships"].split(";") if r]
        if len(relationships) != len(perpetrators) or any(
            r not in RELATIONSHIPS for r in relationships
        ):
            problems.add(number, "relationships", "give one known relationship per perpetrator.")
        _date(problems, number, "referral_date", row["referral_date"])
        _date(problems, number, "meeting_date", row["meeting_date"], required=False)
        if row["status"] not in STATES:
            problems.add(number, "status", f"'{row['status']}' is not a case state.")
        if (
            "professional_judgement" in row["criteria"]
            and not row["professional_judgement_reason"].strip()
        ):
            problems.add(
                number,
                "professional_judgement_reason",
                "give the reasons for a professional-judgement referral.",
            )
        if row["referring_agency"] not in AGENCY_KIND:
            problems.add(
                number,
                "referring_agency",
                f"'{row['referring_agency']}' is not a known agency role.",
            )
    problems.raise_if_any()


def check_actions(rows: list[dict], case_ids: set[str]) -> None:
    problems = ProblemCollector("marac_actions.csv")
    for index, row in enumerate(rows):
        # Rows from `read_rows` know their line; plain dicts are numbered as a file's would be.
        number = getattr(row, "line", index + 2)
        if row["case_id"] not in case_ids:
            problems.add(number, "case_id", f"{row['case_id']} is not in marac_cases.csv.")
        if row["status"] not in ("open", "done"):
            problems.add(number, "status", f"'{row['status']}' must be open or done.")
        if row["risk_addressed"] not in RISKS:
            problems.add(
                number, "risk_addressed", f"'{row['risk_addressed']}' is not a known risk."
            )
        if row["owner_agency"] not in AGENCY_KIND:
            problems.add(
                number, "owner_agency", f"'{row['owner_agency']}' is not a known agency role."
            )
        _date(problems, number, "due_date", row["due_date"])
        _date(
            problems,
            number,
            "completed_date",
            row["completed_date"],
            required=row["status"] == "done",
        )
    problems.raise_if_any()


def _agency_for() -> dict[str, Agency]:
    members = [a for a in Agency.objects.order_by("name") if a.in_programme(PANEL)]
    if not members:
        return {}
    by_kind: dict[str, Agency] = {}
    for agency in members:
        by_kind.setdefault(agency.kind, agency)
    fallback = by_kind.get(AgencyKind.COMMUNITY_SAFETY, members[0])
    return {role: by_kind.get(kind, fallback) for role, kind in AGENCY_KIND.items()}


def load(extract_dir: Path, people: dict[str, int], as_of: date | None = None) -> dict[str, int]:
    """The DA MARAC, then the other panels and the SIRM incidents (`demo_panels`)."""
    from django.utils import timezone

    from saferhub.demo import other_panels as demo_panels

    counts = _load_da_marac(extract_dir, people)
    counts.update(demo_panels.load(extract_dir, people, as_of or timezone.localdate()))
    return counts


def _load_da_marac(extract_dir: Path, people: dict[str, int]) -> dict[str, int]:
    cases_rows = _read(extract_dir / "marac_cases.csv")
    action_rows = _read(extract_dir / "marac_actions.csv")
    if not cases_rows:
        return {}
    check_cases(cases_rows, people)
    check_actions(action_rows, {r["case_id"] for r in cases_rows})
    agencies = _agency_for()
    if not agencies:
        return {}

    heard_on = {r["meeting_date"] for r in cases_rows if r["status"] not in NOT_YET_HEARD}
    meetings = {
        day: Meeting(panel=PANEL, date=parse_date(day), held=day in heard_on)
        for day in sorted({r["meeting_date"] for r in cases_rows if r["meeting_date"]})
    }
    Meeting.objects.bulk_create(meetings.values(), batch_size=500)

    cases = []
    for row in cases_rows:
        heard = row["meeting_date"] and row["status"] not in NOT_YET_HEARD
        safe = row["safe_to_contact"] == "true"
        cases.append(
            Case(
                panel=PANEL,
                reference=f"tmp-{row['case_id']}",
                victim_id=people[row["victim_id"]],
                referral_date=parse_date(row["referral_date"]),
                referring_agency=agencies[row["referring_agency"]],
                status=row["status"],
                criteria=[c for c in row["criteria"].split(";") if c],
                checklist_version="Example risk checklist vexample-1",
                checklist_score=int(row["checklist_score"]),
                professional_judgement_reason=row["professional_judgement_reason"],
                incidents_12m=int(row["incidents_12m"]),
                victim_lgbt=row["victim_lgbt"] == "true",
                victim_disabled=row["victim_disabled"] == "true",
                safe_to_contact=safe,
                contact_method=row["contact_method"] if safe else "",
                is_repeat=row["is_repeat"] == "true",
                idva_agency=agencies["IDVA service"] if row["idva_allocated"] == "true" else None,
                heard_date=parse_date(row["meeting_date"]) if heard else None,
                # The extract gives no closure date; the last date it gives stands in for it.
                closed_on=max(
                    parse_date(d) for d in (row["referral_date"], row["meeting_date"]) if d
                )
                if row["status"] == CaseState.CLOSED
                else None,
            )
        )
    Case.objects.bulk_create(cases, batch_size=500)
    by_id = {row["case_id"]: case for row, case in zip(cases_rows, cases, strict=True)}
    for row, case in zip(cases_rows, cases, strict=True):
        case.reference = reference_for(case)
        case.previous_case = by_id.get(row["previous_case_id"]) if row["previous_case_id"] else None
    Case.objects.bulk_update(cases, ["reference", "previous_case"], batch_size=500)

    perpetrators, children, listings, involvements = [], [], [], []
    seen_people: set[tuple[int, int]] = set()
    for row, case in zip(cases_rows, cases, strict=True):
        pids = [p for p in row["perpetrator_ids"].split(";") if p]
        for pid, relation in zip(pids, row["relationships"].split(";"), strict=True):
            perpetrators.append(
                Perpetrator(case=case, person_id=people[pid], relationship=RELATIONSHIPS[relation])
            )
        children.extend(Child(case=case, age=int(a)) for a in row["children_ages"].split(";") if a)
        if row["meeting_date"]:
            listings.append(
                Listing(
                    meeting=meetings[row["meeting_date"]],
                    case=case,
                    heard=row["status"] not in NOT_YET_HEARD,
                )
            )
        # The referring agency is involved with the people it referred, as on a live referral.
        for pid in [row["victim_id"], *pids]:
            key = (people[pid], case.referring_agency_id)
            if key not in seen_people:
                seen_people.add(key)
                involvements.append(
                    Involvement(
                        person_id=key[0],
                        agency_id=key[1],
                        reason="Domestic abuse referral",
                        start=case.referral_date,
                    )
                )
    positions: dict[int, int] = {}
    for listing in listings:
        positions[listing.meeting.pk] = positions.get(listing.meeting.pk, 0) + 1
        listing.position = positions[listing.meeting.pk]
    Perpetrator.objects.bulk_create(perpetrators, batch_size=1000)
    Child.objects.bulk_create(children, batch_size=1000)
    Listing.objects.bulk_create(listings, batch_size=1000)
    Involvement.objects.bulk_create(involvements, batch_size=1000)

    actions = [
        Action(
            case=by_id[row["case_id"]],
            meeting=meetings.get(row["agreed_date"]),
            owner_agency=agencies[row["owner_agency"]],
            description=row["description"],
            risk_addressed=RISKS[row["risk_addressed"]],
            due_date=parse_date(row["due_date"]),
            status=ActionStatus.DONE if row["status"] == "done" else ActionStatus.OPEN,
            outcome=row["outcome"],
            completed_date=parse_date(row["completed_date"]) if row["completed_date"] else None,
        )
        for row in action_rows
    ]
    Action.objects.bulk_create(actions, batch_size=1000)

    members = sorted({a.pk: a for a in agencies.values()}.values(), key=lambda a: a.name)
    attendance = [
        Attendance(meeting=m, agency=a, present=True)
        for m in meetings.values()
        if m.held
        for a in members
    ]
    Attendance.objects.bulk_create(attendance, batch_size=1000)
    return {
        "marac_cases": len(cases),
        "marac_actions": len(actions),
        "marac_meetings": len(meetings),
    }
