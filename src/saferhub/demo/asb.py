"""Load the synthetic ASB extract (docs/formats/asb-extract.md) for the demo.

`saferhub demo` calls `load(extract_dir, people)` after the people are in, inside its own
transaction and "import" audit event. Cases, incidents and tool uses are inserted in bulk;
case review requests go through the same service as the page, so the threshold is decided
by the rule, and the review's deadline by the bank holiday calendar.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from saferhub.rules.need_to_know import programme_sight_ends
from saferhub.sources.dates import parse_date
from saferhub.sources.partnership import Row, read_rows
from saferhub.web.accounts.models import Agency
from saferhub.web.asb import services
from saferhub.web.asb.models import (
    AsbCase,
    CaseAgency,
    CaseStatus,
    Complainant,
    Incident,
    Respondent,
    ReviewStatus,
    ToolUse,
)
from saferhub.web.asb.privacy import SIGHT_REASON
from saferhub.web.people.models import Involvement


def _read(path: Path) -> list[Row]:
    # The same reader and date grammar as every other extract the demo loads.
    return read_rows(path) if path.exists() else []


def _day(text: str) -> date | None:
    return parse_date(text)


def load(extract_dir: Path, people: dict[str, int]) -> dict[str, int]:
    rows = _read(extract_dir / "asb_cases.csv")
    if not rows:
        return {}
    agencies = {a.name: a for a in Agency.objects.all()}
    cases = AsbCase.objects.bulk_create(
        [
            AsbCase(
                reference=f"tmp-{r['case_id']}",
                summary=r["summary"],
                category=r["category"],
                location=r["location"],
                ward=r["ward"],
                opened_on=date.fromisoformat(r["opened_on"]),
                status=CaseStatus.CLOSED if r["closed_on"] else CaseStatus.OPEN,
                closed_on=_day(r["closed_on"]),
                closure_reason="Resolved" if r["closed_on"] else "",
                lead_agency=agencies[r["lead_agency"]],
            )
            for r in rows
        ],
        batch_size=1000,
    )
    for case in cases:
        case.reference = services.reference_for(case)
    AsbCase.objects.bulk_update(cases, ["reference"], batch_size=1000)
    by_id = {r["case_id"]: c for r, c in zip(rows, cases, strict=True)}
    working = {
        r["case_id"]: [agencies[name] for name in r["agencies"].split(";") if name] for r in rows
    }
    CaseAgency.objects.bulk_create(
        [
            CaseAgency(case=by_id[cid], agency=agency, since=by_id[cid].opened_on)
            for cid, listed in working.items()
            for agency in listed
        ],
        batch_size=2000,
    )

    complainant_rows = _read(extract_dir / "asb_complainants.csv")
    complainants = Complainant.objects.bulk_create(
        [
            Complainant(
                case=by_id[r["case_id"]],
                person_id=people[r["person_id"]] if r["person_id"] else None,
                household=r["household"],
            )
            for r in complainant_rows
        ],
        batch_size=2000,
    )
    numbered = {
        (r["case_id"], r["number"]): c for r, c in zip(complainant_rows, complainants, strict=True)
    }
    respondent_rows = [
        r for r in _read(extract_dir / "asb_respondents.csv") if r["person_id"] in people
    ]
    Respondent.objects.bulk_create(
        [
            Respondent(case=by_id[r["case_id"]], person_id=people[r["person_id"]])
            for r in respondent_rows
        ],
        batch_size=2000,
    )
    incident_rows = _read(extract_dir / "asb_incidents.csv")
    Incident.objects.bulk_create(
        [
            Incident(
                case=by_id[r["case_id"]],
                occurred_on=date.fromisoformat(r["occurred_on"]),
                occurred_at=time.fromisoformat(r["occurred_at"]) if r["occurred_at"] else None,
                location=r["location"],
                ward=r["ward"],
                category=r["category"],
                complainant=numbered.get((r["case_id"], r["complainant"])),
                reported_on=date.fromisoformat(r["reported_on"]),
            )
            for r in incident_rows
        ],
        batch_size=2000,
    )
    _give_sight(rows, by_id, working, complainant_rows, respondent_rows, people)
    uses = _tool_uses(extract_dir, by_id, agencies, people)
    reviews = _reviews(extract_dir, by_id, numbered, agencies)
    return {
        "ASB cases": len(cases),
        "ASB incidents": len(incident_rows),
        "ASB case reviews": reviews,
        "ASB tool uses": uses,
    }


def _give_sight(rows, by_id, working, complainant_rows, respondent_rows, people) -> None:
    """Each agency working a case sees its people while it is open, and for the grace after."""
    grace = settings.GRANT_PROGRAMME_GRACE_DAYS
    people_of: dict[str, set[int]] = {}
    for r in complainant_rows:
        if r["person_id"]:
            people_of.setdefault(r["case_id"], set()).add(people[r["person_id"]])
    for r in respondent_rows:
        people_of.setdefault(r["case_id"], set()).add(people[r["person_id"]])
    involvements = []
    for r in rows:
        case = by_id[r["case_id"]]
        end = programme_sight_ends(case.closed_on, grace) if case.closed_on else None
        for person_id in sorted(people_of.get(r["case_id"], ())):
            for agency in working[r["case_id"]]:
                involvements.append(
                    Involvement(
                        person_id=person_id,
                        agency=agency,
                        reason=SIGHT_REASON,
                        start=case.opened_on,
                        end=end,
                    )
                )
    Involvement.objects.bulk_create(involvements, batch_size=2000)


def _tool_uses(extract_dir, by_id, agencies, people) -> int:
    made = ToolUse.objects.bulk_create(
        [
            ToolUse(
                kind=r["kind"],
                case=by_id.get(r["case_id"]),
                agency=agencies[r["agency"]],
                person_id=people.get(r["person_id"]) if r["person_id"] else None,
                premises=r["premises"] or ("" if r["person_id"] in people else "Not recorded"),
                used_on=date.fromisoformat(r["used_on"]),
                ends_on=_day(r["ends_on"]),
                outcome=r["outcome"],
            )
            for r in _read(extract_dir / "asb_tool_uses.csv")
        ],
        batch_size=2000,
    )
    return len(made)


def _reviews(extract_dir, by_id, numbered, agencies) -> int:
    today = timezone.localdate()
    count = 0
    for r in _read(extract_dir / "asb_reviews.csv"):
        case = by_id[r["case_id"]]
        applicant = numbered[(r["case_id"], r["applicant"])]
        asked = date.fromisoformat(r["requested_on"])
        review = services.request_review(
            None,
            case=case,
            applicant=applicant,
            requested_on=asked,
            complaints=case.incidents.filter(complainant=applicant, reported_on__lte=asked),
            today=max(today, asked),
        )
        count += 1
        completed = _day(r["completed_on"])
        if review.status != ReviewStatus.IN_REVIEW or completed is None:
            continue
        for item in filter(None, r["recommendations"].split(";")):
            agency, text = item.split("|", 1)
            services.add_recommendation(
                None, review=review, text=text, owner_agency=agencies[agency], due_date=None
            )
        services.complete_review(
            None,
            review=review,
            version=review.version,
            decision=r["decision"],
            completed_on=completed,
            today=max(today, completed),
        )
    return count
