"""Synthetic Community Safety MARAC, Adults at Risk Panel and SIRM activity.

Calibration (scale 1), from BRIEF:
- the Community Safety MARAC meets every 6 weeks, takes about 4 new cases a meeting and
  holds about 19 open cases: a case stays open for about 5 meetings (30 weeks);
- the Adults at Risk Panel meets monthly; we give it about 3 new cases a meeting (a local
  choice: no published figure);
- about 2 serious violence incidents a month go through the SIRM rule; about 85% of SIRMs
  meet within 24 hours, the rest late. Two incidents on the day before the as-of date have
  no SIRM yet, so the demo opens with clocks running.

Activity covers the six financial quarters ending with the quarter that holds
`world.as_of`. The people are nominals from `synth/people.py` (no one is minted here), and
nothing reads the clock: the as-of date is the reference for every status.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from saferhub.rules.demographics import age_on
from saferhub.rules.panels import ADULTS_AT_RISK, ASB_MARAC
from saferhub.rules.sirm import CRITERIA, IncidentFacts, Route, decide
from saferhub.synth.world import World, quarter_start

QUARTERS = 6
CS_NEW_PER_MEETING = 4
CS_MEETINGS_OPEN = (3, 7)  # a case stays open for 3 to 7 meetings: about 5, so about 19 open
AAR_NEW_PER_MEETING = 3
AAR_MEETINGS_OPEN = (2, 5)
INCIDENTS_PER_MONTH = 2
SIRM_ON_TIME_SHARE = 0.85
REPEAT_SHARE = 0.1
CS_CRITERIA = [c.code for c in ASB_MARAC.referral_criteria]
AAR_CRITERIA = [c.code for c in ADULTS_AT_RISK.referral_criteria]
ACTIONS = {
    "asb_marac": [
        ("housing", "Visit the household with the housing officer about the complaints"),
        ("police", "Patrol the block at the times reported; record any incident"),
        ("community_safety", "Consider a Community Protection Notice warning"),
        ("health", "Offer the victim a mental health assessment"),
    ],
    "adults_at_risk": [
        ("probation", "Review the licence conditions and the exclusion zone"),
        ("police", "Share the intelligence picture with the neighbourhood team"),
        ("youth_justice", "Offer mentoring through the violence reduction programme"),
        ("housing", "Assess a move away from the area"),
    ],
    "sirm": [
        ("police", "Safety plan for the young person within 48 hours"),
        ("childrens_services", "Check on the children in the household"),
        ("youth_justice", "Allocate a worker and make contact this week"),
    ],
}
CASE_COLUMNS = (
    "case_id",
    "panel",
    "person_id",
    "referral_date",
    "referring_agency",
    "criteria",
    "asb_case_reference",
    "meeting_dates",
    "heard",
    "reviewed_on",
    "closed_on",
    "previous_case_id",
)


def _first_day(world: World) -> date:
    start = quarter_start(world.as_of)
    for _ in range(QUARTERS - 1):
        start = quarter_start(start - timedelta(days=1))
    return start


def _meetings(first: date, as_of: date, every_weeks: int | None) -> list[date]:
    """Meetings from `first` until three months after the as-of date (some are to come)."""
    days, day, month = [], first, 0
    while day <= as_of + timedelta(days=92):
        days.append(day)
        if every_weeks:
            day = day + timedelta(weeks=every_weeks)
        else:
            month += 1
            year, mon = (
                first.year + (first.month - 1 + month) // 12,
                (first.month - 1 + month) % 12 + 1,
            )
            day = date(year, mon, min(first.day, 28))
    return days


def _panel_cases(
    rng: random.Random,
    world: World,
    panel: str,
    meetings: list[date],
    new_per_meeting: int,
    open_for: tuple[int, int],
    pool: list,
    serial: list[int],
) -> tuple[list[dict], list[dict]]:
    cases, actions, last_referral = [], [], {}
    owners = ACTIONS[panel]
    for index, meeting in enumerate(meetings):
        if meeting > world.as_of + timedelta(days=60):
            break
        for _ in range(world.scaled(new_per_meeting + rng.choice((-1, 0, 0, 1)))):
            referred = meeting - timedelta(days=rng.randint(5, 30))
            if referred > world.as_of:
                continue
            earlier = [
                pid for pid, (day, _) in last_referral.items() if 0 < (referred - day).days <= 365
            ]
            if earlier and rng.random() < REPEAT_SHARE:
                person_id = rng.choice(sorted(earlier))
                previous = last_referral[person_id][1]
            else:
                person_id, previous = rng.choice(pool).person_id, ""
            serial[0] += 1
            case_id = f"{panel[:2].upper()}{serial[0]:05d}"
            last_referral[person_id] = (referred, case_id)
            stays = rng.randint(*open_for)
            heard_at = meetings[index : index + stays + 1]
            held = [d for d in heard_at if d <= world.as_of]
            reviewed = held[1] if len(held) > 1 else None
            # A late review: the panel heard it again one meeting later than it should.
            if reviewed and rng.random() < 0.15 and len(held) > 2:
                reviewed = held[2]
            closed = heard_at[-1] if heard_at[-1] <= world.as_of and len(heard_at) > stays else None
            criteria = (
                [rng.choice(CS_CRITERIA[:3])]
                if panel == "asb_marac"
                else [rng.choice(AAR_CRITERIA[:2])]
            )
            cases.append(
                {
                    "case_id": case_id,
                    "panel": panel,
                    "person_id": person_id,
                    "referral_date": referred.isoformat(),
                    "referring_agency": rng.choice(["police", "housing", "community_safety"]),
                    "criteria": ";".join(criteria),
                    "asb_case_reference": f"ASB-{referred.year}-{rng.randint(1, 9999):04d}"
                    if panel == "asb_marac" and rng.random() < 0.7
                    else "",
                    "meeting_dates": ";".join(d.isoformat() for d in heard_at),
                    "heard": "true" if held else "false",
                    "reviewed_on": reviewed.isoformat() if reviewed else "",
                    "closed_on": closed.isoformat() if closed else "",
                    "previous_case_id": previous,
                }
            )
            if held:
                for kind, text in rng.sample(owners, k=min(len(owners), rng.randint(2, 3))):
                    due = held[0] + timedelta(days=rng.choice((14, 28, 42)))
                    done = due <= world.as_of and rng.random() < 0.85
                    actions.append(
                        {
                            "case_id": case_id,
                            "agreed_date": held[0].isoformat(),
                            "owner_agency": kind,
                            "description": text,
                            "due_date": due.isoformat(),
                            "status": "done" if done else "open",
                        }
                    )
    return cases, actions


def _incidents(rng: random.Random, world: World, young: list, first: date) -> list[dict]:
    rows: list[dict] = []
    day = first
    serial = 0
    while day < world.as_of:
        month_end = min(date(day.year + day.month // 12, day.month % 12 + 1, 1), world.as_of)
        for _ in range(world.scaled(INCIDENTS_PER_MONTH + rng.choice((-1, 0, 1)))):
            span = (month_end - day).days
            when = datetime.combine(
                day + timedelta(days=rng.randrange(max(span, 1))),
                time(rng.randint(0, 23), rng.choice((0, 15, 30, 45))),
                tzinfo=UTC,
            )
            if when.date() >= world.as_of - timedelta(days=1):
                continue
            serial += 1
            rows.append(_incident(rng, serial, when, rng.choice(young), world))
        day = month_end
    # Two incidents the day before: their SIRMs have not met yet, so clocks run in the demo.
    for hour in (18, 22):
        serial += 1
        when = datetime.combine(world.as_of - timedelta(days=1), time(hour, 30), tzinfo=UTC)
        rows.append(_incident(rng, serial, when, rng.choice(young), world, force_open=True))
    return rows


def _incident(rng, serial, when, person, world, force_open=False) -> dict:
    age = age_on(person.date_of_birth, when.date())
    facts = {code: rng.random() < 0.35 for code in CRITERIA}
    if force_open:
        facts["gang_link"] = True
    children = rng.random() < 0.1
    suspect = rng.choice((None, rng.randint(15, 40)))
    route = decide(IncidentFacts(age, suspect, children_in_household=children, **facts)).route
    held = ""
    if route is Route.SIRM and not force_open:
        hours = rng.uniform(2, 23.5) if rng.random() < SIRM_ON_TIME_SHARE else rng.uniform(25, 60)
        held = (when + timedelta(hours=hours)).replace(second=0, microsecond=0).isoformat()
    return {
        "incident_id": f"SV{serial:05d}",
        "occurred_at": when.isoformat(),
        "person_id": person.person_id,
        "victim_age": str(age),
        "suspect_age": "" if suspect is None else str(suspect),
        **{code: "true" if value else "false" for code, value in facts.items()},
        "children_in_household": "true" if children else "false",
        "sirm_held_at": held,
    }


def generate(world: World) -> dict[str, list[dict]]:
    """panel_cases.csv, panel_actions.csv and sirm_incidents.csv (docs/panels.md, "Demo data")."""
    rng = world.rng("panels")
    first = _first_day(world)
    adults = sorted(
        (p for p in world.people if 19 <= age_on(p.date_of_birth, world.as_of) <= 70),
        key=lambda p: p.person_id,
    )
    young = (
        sorted(
            (p for p in world.people if 16 <= age_on(p.date_of_birth, world.as_of) <= 24),
            key=lambda p: p.person_id,
        )
        or adults
    )
    if not adults:
        return {}
    serial = [0]
    cs_cases, cs_actions = _panel_cases(
        rng,
        world,
        "asb_marac",
        _meetings(first + timedelta(days=3), world.as_of, 6),
        CS_NEW_PER_MEETING,
        CS_MEETINGS_OPEN,
        adults,
        serial,
    )
    aar_cases, aar_actions = _panel_cases(
        rng,
        world,
        "adults_at_risk",
        _meetings(first + timedelta(days=9), world.as_of, None),
        AAR_NEW_PER_MEETING,
        AAR_MEETINGS_OPEN,
        adults,
        serial,
    )
    return {
        "panel_cases.csv": cs_cases + aar_cases,
        "panel_actions.csv": cs_actions + aar_actions,
        "sirm_incidents.csv": _incidents(rng, world, young, first),
    }
