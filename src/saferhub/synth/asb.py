"""Synthetic ASB activity: cases, incidents, the people in them, case reviews, tools and powers.

Calibration (scale 1). No published Barnet figures give ASB case volumes, so these are
plausible orders of magnitude for an outer London borough, stated here so they can be
changed in one place:
- about 50 new ASB cases a quarter, each with 1-3 complainants (a fifth of them
  households) and usually one or two people causing the harm, some already known to
  the police; 2-8 incidents a case, most reported within days, one in ten after more than
  a month (so some complaints do not count towards a case review);
- about 3 case review requests a quarter; most meet the threshold. Reviews are completed in
  15-35 calendar days, so a few run past their 20 working days; one asked for six weeks
  before the as-of date is still open, so the coordinator's dashboard shows an overdue one;
- tools and powers a month: about 12 CPN warnings, 4 CPNs, 1.5 CPN breaches, 6 PSPO fixed
  penalties, 0.8 injunctions, 1 Criminal Behaviour Order, 0.3 premises closure orders.

The activity covers the six financial quarters ending with the quarter that holds
`world.as_of`. Complainants ("K…") and people causing harm ("R…") are minted here; about
a third of those causing harm are nominals already known to the police ("P…").
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from saferhub.rules.demographics import age_on
from saferhub.rules.periods import Month
from saferhub.synth.marac import VICTIM_ETHNICITY, _pick, _poisson
from saferhub.synth.people import (
    FIRST_NAMES,
    NAME_GROUP,
    POSTCODE_DISTRICT,
    STREETS,
    SURNAMES,
    WARDS,
    people_rows,
)
from saferhub.synth.world import SynthPerson, World

QUARTERS = 6
HOURS = [8, 13, 17, 19, 21, 22, 22, 23]
CASES_PER_QUARTER = 50
REVIEWS_PER_QUARTER = 3
CATEGORIES = {"personal": 35, "nuisance": 55, "environmental": 10}
COUNCIL = "Barnet Council Community Safety"
POLICE = "Metropolitan Police – North West BCU"
HOUSING = "Barnet Homes"
LEADS = {COUNCIL: 50, HOUSING: 30, POLICE: 20}
TOOLS_PER_MONTH = {
    "cpn_warning": 12,
    "cpn": 4,
    "cpn_breach": 1.5,
    "pspo_fpn": 6,
    "injunction": 0.8,
    "cbo": 1.0,
    "closure": 0.3,
}
AGAINST_PREMISES = {"closure"}
SUMMARIES = {
    "personal": ["Threats and intimidation of a neighbour", "Harassment on the stairwell",
                 "Abuse shouted at a family", "Targeted harassment of a disabled resident"],
    "nuisance": ["Loud music late at night", "Drug dealing from a flat",
                 "Youths gathering and noise", "Off-road bikes on the estate",
                 "Street drinking outside shops"],
    "environmental": ["Fly-tipping in the alley", "Graffiti on the underpass",
                      "Dumped cars on the service road"],
}  # fmt: skip
OUTCOMES = ["Complied", "Complied after a visit", "Not complied: escalated", "Appealed", ""]
DECISIONS = [
    "The panel found agencies had responded, but not together; a joint plan is agreed.",
    "The panel found the complaints were not joined up between housing and police.",
    "The panel found the response was reasonable and recommends continued patrols.",
]
RECOMMENDATIONS = [
    (HOUSING, "Serve a tenancy warning and review the tenancy"),
    (POLICE, "Add the location to the ward's patrol plan"),
    (COUNCIL, "Consider a Community Protection Notice warning"),
    (COUNCIL, "Offer the complainant a single point of contact"),
    (HOUSING, "Install CCTV on the stairwell"),
]


@dataclass
class _Case:
    case_id: str
    opened_on: date
    category: str
    ward: str
    location: str
    lead: str
    agencies: list[str]
    closed_on: date | None = None
    complainants: list[dict] = field(default_factory=list)
    respondents: list[str] = field(default_factory=list)
    incidents: list[dict] = field(default_factory=list)


class _People:
    def __init__(self, rng: random.Random, world: World) -> None:
        self.rng = rng
        self.minted: list[SynthPerson] = []
        self.serial = {"K": 0, "R": 0}
        self.known = [
            p for p in world.people if p.pnc_id and 16 <= age_on(p.date_of_birth, world.as_of) <= 45
        ]

    def mint(self, prefix: str, age: int, on: date, ward: str) -> SynthPerson:
        rng = self.rng
        self.serial[prefix] += 1
        gender = "F" if rng.random() < (0.55 if prefix == "K" else 0.2) else "M"
        ethnicity = _pick(rng, VICTIM_ETHNICITY)
        group = NAME_GROUP[ethnicity[0]]
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        person = SynthPerson(
            person_id=f"{prefix}{self.serial[prefix]:06d}",
            first_name=rng.choice(FIRST_NAMES[gender][group]),
            last_name=rng.choice(SURNAMES[group]),
            aliases=(),
            date_of_birth=on - timedelta(days=age * 365 + rng.randrange(365)),
            gender=gender,
            ethnicity=ethnicity,
            ward=ward,
            address=f"{rng.randint(1, 240)} {rng.choice(STREETS)}, London",
            postcode=(
                f"{POSTCODE_DISTRICT[ward]} "
                f"{rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
            ),
        )
        self.minted.append(person)
        return person

    def respondent(self, on: date, ward: str) -> str:
        if self.known and self.rng.random() < 0.33:
            return self.rng.choice(self.known).person_id
        return self.mint("R", self.rng.randint(15, 50), on, ward).person_id


def _first_day(as_of: date) -> date:
    return (Month.of(as_of).financial_quarter + (1 - QUARTERS)).start


def _incident(rng: random.Random, case: _Case, on: date, complainant: str, late: bool) -> dict:
    delay = rng.randint(32, 70) if late else rng.choice([0, 0, 0, 1, 1, 2, 3, 7])
    return {
        "case_id": case.case_id,
        "occurred_on": on,
        "occurred_at": f"{rng.choice(HOURS):02d}:{rng.choice([0, 15, 30, 45]):02d}",
        "location": case.location,
        "ward": case.ward,
        "category": case.category,
        "complainant": complainant,
        "reported_on": on + timedelta(days=delay),
    }


def _cases(rng: random.Random, world: World, people: _People) -> list[_Case]:
    as_of = world.as_of
    first = _first_day(as_of)
    span = (as_of - first).days
    count = world.scaled(CASES_PER_QUARTER * QUARTERS * span / (QUARTERS * 91.3))
    cases = []
    for n in range(count):
        opened = first + timedelta(days=rng.randrange(max(span, 1)))
        category = _pick(rng, CATEGORIES)
        ward = _pick(rng, WARDS)
        lead = _pick(rng, LEADS)
        others = [a for a in LEADS if a != lead]
        agencies = [lead, *rng.sample(others, rng.randint(1, 2))]
        case = _Case(
            f"S{n + 1:06d}",
            opened,
            category,
            ward,
            f"{rng.choice(STREETS)}",
            lead,
            agencies,
        )
        if (as_of - opened).days > 120 and rng.random() < 0.85:
            case.closed_on = min(as_of, opened + timedelta(days=rng.randint(60, 200)))
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
            if rng.random() < 0.2:
                case.complainants.append({"household": f"{rng.randint(1, 240)} {case.location}"})
            else:
                person = people.mint("K", rng.randint(18, 85), opened, ward)
                case.complainants.append({"person_id": person.person_id})
        if category != "environmental" or rng.random() < 0.3:
            for _ in range(rng.choice([1, 1, 1, 2])):
                case.respondents.append(people.respondent(opened, ward))
        last = case.closed_on or as_of
        for _ in range(rng.randint(2, 8)):
            on = (
                opened
                - timedelta(days=30)
                + timedelta(days=rng.randrange((last - opened).days + 31))
            )
            incident = _incident(
                rng, case, on, str(rng.randrange(len(case.complainants))), rng.random() < 0.1
            )
            if incident["reported_on"] <= as_of:
                case.incidents.append(incident)
        cases.append(case)
    return cases


def _reviews(rng: random.Random, world: World, cases: list[_Case]) -> list[dict]:
    """Case review requests: the applicant's complaints are added to the case first, so the
    threshold is decided by the rule when the demo loads them, not assumed here."""
    as_of = world.as_of
    wanted = world.scaled(REVIEWS_PER_QUARTER * QUARTERS)
    candidates = [c for c in cases if c.closed_on is None or (c.closed_on - c.opened_on).days > 90]
    chosen = rng.sample(candidates, min(wanted, len(candidates)))
    rows = []
    for index, case in enumerate(chosen):
        if index == 0:
            asked = as_of - timedelta(days=42)  # the overdue one on the dashboard
        else:
            latest = min(case.closed_on or as_of, as_of) - timedelta(days=40)
            asked = case.opened_on + timedelta(days=rng.randint(30, 90))
            asked = min(asked, latest)
        if asked <= case.opened_on:
            asked = case.opened_on + timedelta(days=1)
        if asked > as_of:
            continue
        applicant = "0"
        prompt = rng.random() < 0.8 or index == 0
        for k in range(rng.randint(3, 5)):
            on = asked - timedelta(days=10 + 25 * k)
            late = not prompt and k == 0
            incident = _incident(rng, case, on, applicant, late)
            if incident["reported_on"] > asked:
                incident["reported_on"] = asked
                incident["occurred_on"] = min(incident["occurred_on"], asked)
            case.incidents.append(incident)
        completed = None
        if index != 0 and (as_of - asked).days > 40:
            completed = asked + timedelta(days=rng.randint(15, 35))
        rows.append(
            {
                "case_id": case.case_id,
                "applicant": applicant,
                "requested_on": asked,
                "completed_on": completed or "",
                "decision": rng.choice(DECISIONS) if completed else "",
                "recommendations": ";".join(
                    f"{agency}|{text}"
                    for agency, text in rng.sample(RECOMMENDATIONS, rng.randint(1, 3))
                )
                if completed
                else "",
            }
        )
        if case.closed_on is not None and completed is not None:
            case.closed_on = max(case.closed_on, completed)
        elif case.closed_on is not None:
            case.closed_on = None
    return rows


def _tool_uses(rng: random.Random, world: World, cases: list[_Case]) -> list[dict]:
    as_of = world.as_of
    first = Month.of(_first_day(as_of))
    rows = []
    month = first
    while month.first_day <= as_of:
        days = (min(month.last_day, as_of) - month.first_day).days + 1
        active = [
            c
            for c in cases
            if c.opened_on <= month.last_day and (c.closed_on or as_of) >= month.first_day
        ]
        for kind, rate in TOOLS_PER_MONTH.items():
            for _ in range(_poisson(rng, world.scale * rate * days / 30.4)):
                used = month.first_day + timedelta(days=rng.randrange(days))
                case = rng.choice(active) if active and rng.random() < 0.7 else None
                person = ""
                premises = ""
                if kind not in AGAINST_PREMISES and case is not None and case.respondents:
                    person = rng.choice(case.respondents)
                else:
                    premises = f"{rng.randint(1, 240)} {rng.choice(STREETS)}"
                rows.append(
                    {
                        "kind": kind,
                        "case_id": case.case_id if case else "",
                        "agency": POLICE if rng.random() < 0.3 else COUNCIL,
                        "person_id": person,
                        "premises": premises,
                        "used_on": used,
                        "ends_on": used + timedelta(days=730)
                        if kind in ("cbo", "injunction")
                        else "",
                        "outcome": rng.choice(OUTCOMES),
                    }
                )
        month = month + 1
    return rows


def generate(world: World) -> dict[str, list[dict]]:
    """asb_cases.csv, asb_complainants.csv, asb_respondents.csv, asb_incidents.csv,
    asb_reviews.csv, asb_tool_uses.csv and the people minted (people.csv).

    Columns are documented in docs/formats/asb-extract.md.
    """
    rng = world.rng("asb")
    people = _People(rng, world)
    cases = _cases(rng, world, people)
    reviews = _reviews(rng, world, cases)
    uses = _tool_uses(rng, world, cases)
    extracts = {
        "asb_cases.csv": [
            {
                "case_id": c.case_id,
                "opened_on": c.opened_on,
                "category": c.category,
                "ward": c.ward,
                "location": c.location,
                "summary": rng.choice(SUMMARIES[c.category]),
                "lead_agency": c.lead,
                "agencies": ";".join(c.agencies),
                "closed_on": c.closed_on or "",
            }
            for c in cases
        ],
        "asb_complainants.csv": [
            {
                "case_id": c.case_id,
                "number": str(i),
                "person_id": who.get("person_id", ""),
                "household": who.get("household", ""),
            }
            for c in cases
            for i, who in enumerate(c.complainants)
        ],
        "asb_respondents.csv": [
            {"case_id": c.case_id, "person_id": pid}
            for c in cases
            for pid in dict.fromkeys(c.respondents)
        ],
        "asb_incidents.csv": sorted(
            (i for c in cases for i in c.incidents), key=lambda i: (i["case_id"], i["occurred_on"])
        ),
        "asb_reviews.csv": reviews,
        "asb_tool_uses.csv": sorted(uses, key=lambda u: u["used_on"]),
        "people.csv": people_rows(people.minted),
    }
    return {name: [_text(row) for row in rows] for name, rows in extracts.items()}


def _text(row: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()}
