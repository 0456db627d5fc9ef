"""Synthetic Domestic Abuse MARAC activity: referrals, meetings, actions and the people in them.

Calibration (scale 1), from seed 004 §4 and BRIEF:
- about 120 referrals a quarter (seed: 113-145), about 9 a week, heard at a weekly
  Thursday meeting; a meeting takes at most 15 cases and the rest wait a week;
- about 20% repeats (seed: 16-24%), found by `rules.marac.RepeatRule`, not assumed;
- victims over 90% female, about 9% male, 1.7% LGBT+, 6.7% disabled; about 45% of
  cases have children in the household, about 1.5 children per such family;
- each heard case gets 3-6 actions with an owner agency and a due date; about 15% are
  late, and those that fell due in the six weeks before the as-of date are still open,
  i.e. overdue (older late actions were chased and done).

The activity covers the six financial quarters ending with the quarter that holds
`world.as_of` (2022/23 Q1 to 2023/24 Q2 by default), so the five quarters seed 004
tabulates all have a year of history behind their repeat flags except the first.
Cases referred in the days before the as-of date are already listed for the coming
meetings.
Victims ("V…") and most perpetrators ("D…") are minted here; about a third of
perpetrators are nominals already known to the police ("P…" from `synth/people.py`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from saferhub.rules.demographics import age_on
from saferhub.rules.marac import PreviousReferral, RepeatRule
from saferhub.rules.panels import DA_MARAC
from saferhub.rules.periods import Month
from saferhub.synth.marac_people import RELATIONSHIPS, VICTIM_AGES, VICTIM_ETHNICITY  # noqa: F401
from saferhub.synth.marac_people import CasePeople as _People
from saferhub.synth.marac_people import pick as _pick
from saferhub.synth.marac_people import poisson as _poisson
from saferhub.synth.people import people_rows
from saferhub.synth.world import SynthPerson, World

REFERRALS_PER_WEEK = 9.2  # 120 a quarter / 13 weeks
QUARTERS = 6
MEETING_WEEKDAY = 3  # Thursday
REPEAT_SHARE = 0.22  # chance a referral is a victim referred in the past year (some will not count)
LATE_RE_REFERRAL_SHARE = 0.03  # referred again after more than a year: not a repeat
REVIEW_AFTER_DAYS = DA_MARAC.review_after_days
LATE_SHARE = 0.15  # actions not done by their due date
CHASED_WITHIN_DAYS = 42  # a late action is done within six weeks of falling due

PARTNER_AGENCIES = {
    "IDVA service": 10, "Children's services": 9, "Housing": 5, "Health": 7, "Mental health": 3,
    "Probation": 2, "Adult social care": 2, "Substance misuse": 1, "Education": 1,
}  # fmt: skip
CONTACT_METHODS = [
    "Mobile phone, any time",
    "Mobile phone, weekdays 10am to 2pm only",
    "Text first, then call",
    "Through the IDVA only",
    "Email only",
    "At the GP surgery",
]
PJ_REASONS = [
    "Recent separation and threats made through the children",
    "Victim minimises the abuse; pattern of coercive control seen by several agencies",
    "Perpetrator released from custody this month and has asked where the victim lives",
    "Stalking behaviour escalating since the victim moved",
    "Honour-based abuse concerns raised by the school",
]
# (risk addressed, owner agency, action wording, share of actions)
ACTION_TEMPLATES = [
    ("Victim safety", "IDVA service", "Contact the victim and complete a safety plan", 18),
    ("Victim safety", "Police", "Mark the victim's address for an urgent response", 12),
    ("Housing", "Housing", "Review housing options and fit additional locks", 10),
    ("Children's safety", "Children's services", "Tell the social worker the outcome", 11),
    ("Children's safety", "Education", "Inform the school's designated safeguarding lead", 5),
    ("Health", "Health", "Flag the risk on the GP record and offer a follow-up", 9),
    ("Health", "Mental health", "Review the victim's mental health support", 5),
    ("Perpetrator behaviour", "Police", "Review outstanding offences and consider arrest", 8),
    ("Perpetrator behaviour", "Probation", "Check licence conditions with the offender manager", 5),
    ("Perpetrator behaviour", "Substance misuse", "Offer the perpetrator an alcohol check", 3),
    ("Information sharing", "Adult social care", "Check for open safeguarding enquiries", 4),
    ("Information sharing", "Police", "Share the incident history with the chair", 5),
]  # fmt: skip
OUTCOMES = [
    "Completed; the victim engaged",
    "Completed",
    "Completed; no further action needed",
    "Attempted; the victim declined",
]


@dataclass
class _Case:
    case_id: str
    victim: SynthPerson
    perpetrators: list[SynthPerson]
    relationships: list[str]
    referral_date: date
    referring_agency: str
    criteria: list[str]
    checklist_score: int
    pj_reason: str
    incidents_12m: int
    children_ages: list[int]
    safe_to_contact: bool
    contact_method: str
    lgbt: bool
    disabled: bool
    idva_allocated: bool
    meeting_date: date | None = None
    is_repeat: bool = False
    previous_case_id: str = ""
    status: str = "referred"
    actions: list[dict] = field(default_factory=list)


def _meeting_on_or_after(day: date) -> date:
    return day + timedelta(days=(MEETING_WEEKDAY - day.weekday()) % 7)


def _first_day(world: World) -> date:
    return (Month.of(world.as_of).financial_quarter + (1 - QUARTERS)).start


def _new_case(rng: random.Random, people: _People, case_id: str, day: date) -> _Case:
    victim = people.victim(day)
    return _details(rng, people, case_id, day, victim, None)


def _details(
    rng: random.Random,
    people: _People,
    case_id: str,
    day: date,
    victim: SynthPerson,
    earlier: _Case | None,
) -> _Case:
    if earlier is not None and rng.random() < 0.9:
        perpetrators, relationships = list(earlier.perpetrators), list(earlier.relationships)
    else:
        count = 1 if rng.random() < 0.93 else 2
        relationships = [_pick(rng, RELATIONSHIPS) for _ in range(count)]
        perpetrators = [people.perpetrator(victim, r, day) for r in relationships]
    agency = "Police" if rng.random() < 0.58 else _pick(rng, PARTNER_AGENCIES)
    criteria = []
    if rng.random() < 0.68:
        criteria.append("visible_high_risk")
        score = rng.randint(14, 22)
    else:
        score = rng.randint(5, 13)
    pj_reason = ""
    if not criteria or rng.random() < 0.08:
        if rng.random() < 0.8:
            criteria.append("professional_judgement")
            pj_reason = rng.choice(PJ_REASONS)
        else:
            criteria.append("potential_escalation")
    incidents = rng.randint(3, 7) if "potential_escalation" in criteria else rng.randint(0, 3)
    if earlier is not None:
        children = list(earlier.children_ages)
    elif rng.random() < 0.45:
        children = sorted(
            rng.randint(0, 17) for _ in range(1 if rng.random() < 0.6 else rng.randint(2, 4))
        )
    else:
        children = []
    safe = rng.random() < 0.82
    return _Case(
        case_id=case_id,
        victim=victim,
        perpetrators=perpetrators,
        relationships=relationships,
        referral_date=day,
        referring_agency=agency,
        criteria=criteria,
        checklist_score=score,
        pj_reason=pj_reason,
        incidents_12m=incidents,
        children_ages=children,
        safe_to_contact=safe,
        contact_method=rng.choice(CONTACT_METHODS) if safe else "",
        lgbt=earlier.lgbt if earlier else rng.random() < 0.017,
        disabled=earlier.disabled if earlier else rng.random() < 0.067,
        idva_allocated=rng.random() < (0.9 if safe else 0.6),
    )


def _referrals(rng: random.Random, world: World, people: _People) -> list[_Case]:
    start, end = _first_day(world), world.as_of
    cases: list[_Case] = []
    last_by_victim: dict[str, _Case] = {}
    week = start - timedelta(days=start.weekday())
    while week <= end:
        for _ in range(_poisson(rng, REFERRALS_PER_WEEK * world.scale)):
            day = week + timedelta(days=rng.randrange(5))
            if not start <= day <= end:
                continue
            case_id = f"M{len(cases) + 1:06d}"
            roll = rng.random()
            pool: list[_Case] = []
            if roll < REPEAT_SHARE + LATE_RE_REFERRAL_SHARE:
                recent = roll < REPEAT_SHARE
                pool = [
                    c
                    for c in last_by_victim.values()
                    if (day - c.referral_date).days >= 28
                    and ((day - c.referral_date).days <= 365) == recent
                ]
            if pool:
                earlier = rng.choice(pool)
                case = _details(rng, people, case_id, day, earlier.victim, earlier)
            else:
                case = _new_case(rng, people, case_id, day)
            cases.append(case)
            last_by_victim[case.victim.person_id] = case
        week += timedelta(days=7)
    cases.sort(key=lambda c: (c.referral_date, c.case_id))
    return cases


def _flag_repeats(cases: list[_Case]) -> None:
    rule = RepeatRule()
    history: dict[str, list[PreviousReferral]] = {}
    for case in cases:
        perpetrator_ids = [p.person_id for p in case.perpetrators]
        earlier = history.setdefault(case.victim.person_id, [])
        check = rule.check(case.referral_date, earlier, perpetrator_ids)
        case.is_repeat = check.is_repeat
        if check.is_repeat:
            case.previous_case_id = check.previous.case_id
            if "repeat" not in case.criteria:
                case.criteria.append("repeat")
        earlier.append(
            PreviousReferral(case.case_id, case.referral_date, frozenset(perpetrator_ids))
        )


def _list_and_hear(cases: list[_Case], as_of: date) -> None:
    listed: dict[date, int] = {}
    for case in cases:
        meeting = _meeting_on_or_after(case.referral_date + timedelta(days=7))
        while listed.get(meeting, 0) >= DA_MARAC.case_cap:
            meeting += timedelta(days=7)
        days_waiting = (as_of - case.referral_date).days
        if days_waiting < 2:
            case.status = "referred"
            continue
        if days_waiting < 4:
            case.status = "screened"
            continue
        listed[meeting] = listed.get(meeting, 0) + 1
        case.meeting_date = meeting
        if meeting > as_of:
            case.status = "listed"
        elif meeting == as_of:
            case.status = "heard"


def _actions(rng: random.Random, case: _Case, as_of: date, serial: list[int]) -> None:
    heard = case.meeting_date
    candidates = [t for t in ACTION_TEMPLATES if case.children_ages or t[0] != "Children's safety"]
    chosen: list[tuple[str, str, str, int]] = []
    for _ in range(rng.randint(3, 6)):
        pick = rng.choices(candidates, [t[3] for t in candidates])[0]
        candidates.remove(pick)
        chosen.append(pick)
    for risk, owner, wording, _ in chosen:
        serial[0] += 1
        due = heard + timedelta(days=rng.choice([7, 14, 14, 28, 28, 42]))
        done_by = heard + timedelta(
            days=max(1, int(rng.expovariate(1 / ((due - heard).days * 0.7))))
        )
        # About 15% of actions are not done on time. The coordinator chases them, so they are
        # done in the end: only those that fell due in the last few weeks are still overdue.
        late = rng.random() < LATE_SHARE
        done_by = min(done_by, due)  # an action done after its due date is a late one
        if late and (as_of - due).days > CHASED_WITHIN_DAYS:
            late, done_by = False, due + timedelta(days=CHASED_WITHIN_DAYS // 2)
        done = not late and done_by <= as_of
        case.actions.append(
            {
                "action_id": f"A{serial[0]:07d}",
                "case_id": case.case_id,
                "owner_agency": owner,
                "risk_addressed": risk,
                "description": wording,
                "agreed_date": heard.isoformat(),
                "due_date": due.isoformat(),
                "status": "done" if done else "open",
                "completed_date": done_by.isoformat() if done else "",
                "outcome": rng.choice(OUTCOMES) if done else "",
            }
        )


def _after_hearing(rng: random.Random, cases: list[_Case], as_of: date) -> None:
    serial = [0]
    for case in cases:
        if case.meeting_date is None or case.meeting_date > as_of:
            continue
        _actions(rng, case, as_of, serial)
        if case.meeting_date == as_of:
            continue
        reviewed = case.meeting_date + timedelta(days=REVIEW_AFTER_DAYS) <= as_of
        all_done = all(a["status"] == "done" for a in case.actions)
        if reviewed and all_done:
            case.status = "closed"
        elif reviewed:
            case.status = "review"
        else:
            case.status = "actions"


def _case_row(case: _Case) -> dict:
    return {
        "case_id": case.case_id,
        "victim_id": case.victim.person_id,
        "perpetrator_ids": ";".join(p.person_id for p in case.perpetrators),
        "relationships": ";".join(case.relationships),
        "referral_date": case.referral_date.isoformat(),
        "referring_agency": case.referring_agency,
        "referring_agency_type": "police" if case.referring_agency == "Police" else "partner",
        "criteria": ";".join(case.criteria),
        "checklist_score": case.checklist_score,
        "professional_judgement_reason": case.pj_reason,
        "incidents_12m": case.incidents_12m,
        "children_in_household": len(case.children_ages),
        "children_ages": ";".join(str(a) for a in case.children_ages),
        "victim_lgbt": "true" if case.lgbt else "false",
        "victim_disabled": "true" if case.disabled else "false",
        "safe_to_contact": "true" if case.safe_to_contact else "false",
        "contact_method": case.contact_method,
        "idva_allocated": "true" if case.idva_allocated else "false",
        "meeting_date": case.meeting_date.isoformat() if case.meeting_date else "",
        "status": case.status,
        "is_repeat": "true" if case.is_repeat else "false",
        "previous_case_id": case.previous_case_id,
    }


def generate(world: World) -> dict[str, list[dict]]:
    """marac_cases.csv, marac_actions.csv and the minted victims and perpetrators (people.csv).

    Columns are documented in docs/formats/marac-extract.md.
    """
    rng = world.rng("marac")
    people = _People(rng, world)
    cases = _referrals(rng, world, people)
    _flag_repeats(cases)
    _list_and_hear(cases, world.as_of)
    _after_hearing(rng, cases, world.as_of)
    return {
        "marac_cases.csv": [_case_row(c) for c in cases],
        "marac_actions.csv": [a for c in cases for a in c.actions],
        "people.csv": people_rows(people.minted),
    }


def canonical_cases(cases: list[dict], people: list[dict]) -> list[dict]:
    """The cases heard, as rows of the canonical table `measures.marac` counts over.

    `people` must hold every victim and perpetrator: the partnership's whole people.csv,
    since some perpetrators are nominals from `synth/people.py`. Ages are taken on the
    referral date.
    """
    births = {p["person_id"]: p for p in people}
    rows = []
    for case in cases:
        if not case["meeting_date"]:
            continue
        referred = date.fromisoformat(case["referral_date"])
        victim = births[case["victim_id"]]
        ages = [
            age_on(date.fromisoformat(births[pid]["date_of_birth"]), referred)
            for pid in case["perpetrator_ids"].split(";")
            if pid
        ]
        rows.append(
            {
                "case_id": case["case_id"],
                "date_heard": date.fromisoformat(case["meeting_date"]),
                "victim_gender": victim["gender"],
                "victim_lgbt": case["victim_lgbt"] == "true",
                "victim_disabled": case["victim_disabled"] == "true",
                "victim_ethnicity": victim["ethnicity"],
                "victim_age": age_on(date.fromisoformat(victim["date_of_birth"]), referred),
                "youngest_perpetrator_age": min(ages) if ages else None,
                "children_in_household": int(case["children_in_household"]),
                "referring_agency_type": case["referring_agency_type"],
                "is_repeat": case["is_repeat"] == "true",
            }
        )
    return rows
