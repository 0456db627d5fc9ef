"""The synthetic IOM cohort: spells on the programme, tiers, custody and pathway referrals.

Calibrated to seed 004 (8.1.10 to 8.1.13, 8.1.15, 8.1.20) at scale 1, on the as-of date:

- 86 members, 72 statutory and 14 non-statutory; 90 on the previous quarter end and 105 the
  quarter before (8.1.10);
- tiers Red 32, Amber 19, Blue 27 (the Blue ones are in custody) and Green 8 (the seed's
  Green count is not legible; 8 is what is left of 86);
- 95% male, about 61% White, ages 18-24: 21, 25-34: 22, 35-44: 20, 45+: 23.

Their offending is calibrated to seed 002 (1.26): 2.91 offences per offender-year at
liberty in the 12 months before joining, 1.65 after (43% fewer). `synth.offences` places
the offences using the plan made here; this module writes the cohort files.

Everything is planned by `plan(world)`, which is deterministic for a world, so
`synth.offences` and this module see the same cohort.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from saferhub.rules.demographics import PROBATION_GROUP, age_on
from saferhub.rules.iom_tiers import Tier
from saferhub.sources.cohort import (
    COHORT_FILE,
    CONTACTS_FILE,
    NON_STATUTORY,
    PATHWAYS_FILE,
    STATUTORY,
    TIERS_FILE,
)

# Pathways and contacts live in `iom_activity.py`; their tables are named here too, as before.
from saferhub.synth.iom_activity import (  # noqa: F401
    CONTACT_CHANCE,
    CONTACT_METHOD_WEIGHTS,
    CONTACT_OUTCOME_WEIGHTS,
    CONTACT_WEEKS,
    PATHWAY_SUCCESS,
    PROVIDERS,
    contact_rows,
    pathway_rows,
)
from saferhub.synth.iom_activity import day_between as _day_between
from saferhub.synth.iom_activity import pick as _pick
from saferhub.synth.world import SynthPerson, World, before_quarter, quarter_start

CURRENT = 86
STATUTORY_NOW = 72
TIERS_NOW = {Tier.RED: 32, Tier.AMBER: 19, Tier.BLUE: 27, Tier.GREEN: 8}
AGE_BANDS_NOW = ((18, 24, 21), (25, 34, 22), (35, 44, 20), (45, 120, 23))
MALE_SHARE = 0.95
WHITE_SHARE = 0.61
JOINED_LAST_QUARTER = 12
JOINED_QUARTER_BEFORE = 10
LEFT_LAST_QUARTER = 16  # 86 now - 12 joiners + 16 leavers = 90 a quarter ago
LEFT_QUARTER_BEFORE = 25  # 90 - 10 joiners + 25 leavers = 105 two quarters ago
EARLIER_LEAVERS_A_YEAR = 30
# The programme started this long before the as-of quarter (1 April 2019 by default), so
# every as-of date has the same number of earlier leavers behind the current cohort.
PROGRAMME_YEARS, PROGRAMME_MONTHS = 4, 3

RATE_BEFORE = 2.91
RATE_AFTER = 1.65

JOIN_REASONS = (
    ("Selected by the scoring matrix", 0.75),
    ("Professional judgement: escalating violence", 0.15),
    ("Professional judgement: released from custody with high needs", 0.10),
)
LEAVE_REASONS = (
    ("De-selected: offence-free and engaging", 0.45),
    ("Sentence to long-term custody", 0.2),
    ("Licence ended, risk reduced", 0.2),
    ("Moved out of the area", 0.15),
)
REVIEW_REASONS = {
    Tier.RED: ("Quarterly review: risk of violence increased", "Quarterly review: not engaging"),
    Tier.AMBER: ("Quarterly review: engaging with some concerns", "Quarterly review: risk stable"),
    Tier.GREEN: ("Quarterly review: engaging well, offence-free", "Quarterly review: risk reduced"),
}
PRACTITIONERS = (
    "A. Okoro",
    "B. Fletcher",
    "C. Mendes",
    "D. Kaur",
    "E. Walsh",
    "F. Adebayo",
    "G. Novak",
    "H. Pereira",
)
OFFICERS = ("PC 1142 Reid", "PC 2207 Hassan", "DC 0918 Lloyd", "PC 3310 Byrne")


@dataclass
class Membership:
    """One planned spell on the programme."""

    person: SynthPerson
    join: date
    leave: date | None
    management: str
    join_reason: str
    leave_reason: str | None
    practitioner: str
    officer: str
    custody: list[tuple[date, date | None]] = field(default_factory=list)
    tiers: list[tuple[Tier, date, str]] = field(default_factory=list)

    @property
    def pnc_id(self) -> str:
        return self.person.pnc_id or ""

    def last_day(self, as_of: date) -> date:
        return min(self.leave or as_of, as_of)


def _eighteenth(person: SynthPerson) -> date:
    born = person.date_of_birth
    try:
        return born.replace(year=born.year + 18)
    except ValueError:  # 29 February
        return born.replace(year=born.year + 18, day=28)


def _choose_current(world: World, rng: random.Random, pool: list[SynthPerson]) -> list[SynthPerson]:
    """The members on the as-of date, filling the seed's age, gender and ethnicity quotas."""
    size = world.scaled(CURRENT)
    bands = [(low, high, world.scaled(n * size / CURRENT)) for low, high, n in AGE_BANDS_NOW]
    women_left = size - round(MALE_SHARE * size)
    white_left = round(WHITE_SHARE * size)
    others_left = size - white_left
    chosen: list[SynthPerson] = []
    for low, high, wanted in bands:
        in_band = [p for p in pool if low <= age_on(p.date_of_birth, world.as_of) <= high]
        rng.shuffle(in_band)
        taken = 0
        for person in in_band:
            if taken == wanted or len(chosen) == size:
                break
            white = PROBATION_GROUP.get(person.ethnicity, "").startswith("White")
            if person.gender == "F" and women_left <= 0:
                continue
            if (white and white_left <= 0) or (not white and others_left <= 0):
                continue
            chosen.append(person)
            taken += 1
            women_left -= person.gender == "F"
            white_left -= white
            others_left -= not white
    rest = [p for p in pool if p not in chosen]
    chosen += rng.sample(rest, max(0, size - len(chosen)))
    return chosen


def plan(world: World) -> list[Membership]:
    """Every spell on the programme from its start to the as-of date, in join order."""
    rng = world.rng("iom")
    as_of = world.as_of
    pool = [
        p
        for p in world.people
        if p.pnc_id and age_on(p.date_of_birth, as_of) >= 19  # 18 or over on joining
    ]
    pool.sort(key=lambda p: p.person_id)
    current = _choose_current(world, rng, pool)
    taken = {p.person_id for p in current}
    others = [p for p in pool if p.person_id not in taken]
    rng.shuffle(others)
    # Men make up most of the leavers too, as of every IOM cohort.
    others.sort(key=lambda p: (p.gender == "F") and rng.random() < 0.7)

    programme_start = before_quarter(as_of, PROGRAMME_YEARS, PROGRAMME_MONTHS)
    this_quarter = quarter_start(as_of)
    previous_start = (this_quarter - timedelta(days=1)).replace(day=1)
    previous_start = previous_start.replace(month=(previous_start.month - 1) // 3 * 3 + 1)

    spells: list[Membership] = []
    joined_last = world.scaled(JOINED_LAST_QUARTER)
    joined_before = world.scaled(JOINED_QUARTER_BEFORE)
    # Anyone who turned 18 too recently to have joined early takes a recent joiner's place.
    rng.shuffle(current)
    current.sort(key=lambda p: _eighteenth(p) < previous_start)
    for position, person in enumerate(current):
        if position < joined_last:
            first, last = this_quarter, as_of - timedelta(days=14)
        elif position < joined_last + joined_before:
            first, last = previous_start, this_quarter - timedelta(days=1)
        else:
            first, last = programme_start, previous_start - timedelta(days=1)
        join = _day_between(rng, max(first, min(_eighteenth(person), last)), last)
        spells.append(_membership(rng, person, join, None, as_of))

    leavers = iter(others)
    earlier = world.scaled(
        EARLIER_LEAVERS_A_YEAR * (previous_start - programme_start).days / 365.25
    )
    # (how many, leave from, leave to, join by): leavers of the last two quarters were on
    # the programme at both earlier quarter ends, so the seed's 105 and 90 come out exactly.
    groups = [
        (world.scaled(LEFT_LAST_QUARTER), this_quarter, as_of - timedelta(days=1), previous_start),
        (
            world.scaled(LEFT_QUARTER_BEFORE),
            previous_start,
            this_quarter - timedelta(days=2),
            previous_start,
        ),
        (earlier, programme_start + timedelta(days=120), previous_start - timedelta(days=2), None),
    ]
    for count, first, last, join_before in groups:
        for _ in range(count):
            person = next(leavers)
            leave = _day_between(rng, first, last)
            join_by = leave - timedelta(days=60)
            if join_before is not None:
                join_by = min(join_by, join_before - timedelta(days=1))
            start = max(programme_start, min(_eighteenth(person), join_by))
            spells.append(_membership(rng, person, _day_between(rng, start, join_by), leave, as_of))

    _set_current_management(world, rng, spells)
    _plan_custody_and_tiers(world, rng, spells)
    spells.sort(key=lambda m: (m.join, m.pnc_id))
    return spells


def _membership(
    rng: random.Random, person: SynthPerson, join: date, leave: date | None, as_of: date
) -> Membership:
    if leave is not None and leave <= join:
        leave = join + timedelta(days=30)
    return Membership(
        person=person,
        join=join,
        leave=leave if leave is None or leave <= as_of else None,
        management=STATUTORY if person.crn or rng.random() < 0.7 else NON_STATUTORY,
        join_reason=_pick(rng, JOIN_REASONS),
        leave_reason=_pick(rng, LEAVE_REASONS) if leave else None,
        practitioner=rng.choice(PRACTITIONERS),
        officer=rng.choice(OFFICERS),
    )


def _set_current_management(world: World, rng: random.Random, spells: list[Membership]) -> None:
    current = [m for m in spells if m.leave is None]
    statutory = world.scaled(STATUTORY_NOW * len(current) / CURRENT) if current else 0
    # Probation cases first, so those on licence are the ones with a CRN.
    ordered = sorted(current, key=lambda m: (m.person.crn is None, rng.random()))
    for position, member in enumerate(ordered):
        member.management = STATUTORY if position < statutory else NON_STATUTORY


def _plan_custody_and_tiers(world: World, rng: random.Random, spells: list[Membership]) -> None:
    as_of = world.as_of
    current = [m for m in spells if m.leave is None]
    rng.shuffle(current)
    quota = [
        tier
        for tier, n in TIERS_NOW.items()
        for _ in range(world.scaled(n * len(current) / CURRENT))
    ]
    quota += [Tier.GREEN] * max(0, len(current) - len(quota))
    final = {id(member): quota[i] for i, member in enumerate(current)}
    for member in spells:
        last = member.last_day(as_of)
        # Statutory members often join on release from prison, on licence.
        if member.management == STATUTORY and rng.random() < 0.5:
            release = member.join
            member.custody.append((release - timedelta(days=rng.randint(45, 400)), release))
        elif rng.random() < 0.25:
            release = member.join - timedelta(days=rng.randint(20, 300))
            member.custody.append((release - timedelta(days=rng.randint(14, 120)), release))
        goes_blue = final.get(id(member)) is Tier.BLUE
        if goes_blue:
            reception = _day_between(
                rng, max(member.join + timedelta(days=7), as_of - timedelta(days=240)), as_of
            )
            if reception > as_of:
                reception = as_of
            member.custody.append((reception, None))
        elif (last - member.join).days > 120 and rng.random() < 0.3:
            reception = _day_between(
                rng, member.join + timedelta(days=30), last - timedelta(days=60)
            )
            member.custody.append((reception, reception + timedelta(days=rng.randint(14, 56))))
        if member.leave_reason == "Sentence to long-term custody" and member.leave:
            release = member.leave + timedelta(days=rng.randint(180, 900))
            member.custody.append((member.leave, release if release <= as_of else None))
        member.custody.sort(key=lambda spell: spell[0])
        _plan_tiers(rng, member, as_of, final.get(id(member)))


def _plan_tiers(rng: random.Random, member: Membership, as_of: date, final: Tier | None) -> None:
    last = member.last_day(as_of)
    community = [Tier.RED, Tier.AMBER, Tier.GREEN]
    tier = rng.choices(community, (0.5, 0.35, 0.15))[0]
    changes: list[tuple[Tier, date, str]] = [(tier, member.join, member.join_reason)]
    events: list[tuple[date, str]] = []
    day = member.join + timedelta(days=rng.randint(60, 150))
    while day < last:
        events.append((day, "review"))
        day += timedelta(days=rng.randint(80, 180))
    for reception, release in member.custody:
        if member.join < reception <= last:
            events.append((reception, "custody"))
        if release and member.join < release <= last:
            events.append((release, "release"))
    in_custody = False
    for day, kind in sorted(events):
        if kind == "custody":
            in_custody = True
            changes.append((Tier.BLUE, day, "Received into custody"))
        elif kind == "release":
            in_custody = False
            changes.append(
                (rng.choice((Tier.RED, Tier.AMBER)), day, "Released from custody on licence")
            )
        elif not in_custody:
            new = rng.choice([t for t in community if t != changes[-1][0]])
            changes.append((new, day, rng.choice(REVIEW_REASONS[new])))
    if final is not None and final is not Tier.BLUE and changes[-1][0] != final:
        day = max(changes[-1][1] + timedelta(days=14), as_of - timedelta(days=40))
        if day > as_of:
            changes[-1] = (final, changes[-1][1], changes[-1][2])
        else:
            reason = REVIEW_REASONS[final][0]
            changes.append((final, day, reason))
    # One change a day at most: a later event on the same day replaces an earlier one.
    by_day: dict[date, tuple[Tier, date, str]] = {}
    for change in changes:
        by_day[change[1]] = change
    member.tiers = sorted(by_day.values(), key=lambda c: c[1])


def generate(world: World) -> dict[str, list[dict]]:
    """The IOM cohort, tier history and pathway referral extracts."""
    spells = plan(world)
    cohort = [
        {
            "pnc_id": m.pnc_id,
            "person_id": m.person.person_id,
            "join_date": m.join.isoformat(),
            "join_reason": m.join_reason,
            "leave_date": m.leave.isoformat() if m.leave else "",
            "leave_reason": m.leave_reason or "",
            "management": m.management,
            "tier": m.tiers[-1][0].value if m.tiers else "",
            "gender": {"M": "Male", "F": "Female"}.get(m.person.gender, m.person.gender),
            "ethnicity": PROBATION_GROUP.get(m.person.ethnicity, "Not stated"),
            "date_of_birth": m.person.date_of_birth.isoformat(),
            "lead_practitioner": m.practitioner,
            "police_officer": m.officer,
        }
        for m in spells
    ]
    tiers = [
        {"pnc_id": m.pnc_id, "tier": tier.value, "from_date": day.isoformat(), "reason": reason}
        for m in spells
        for tier, day, reason in m.tiers
    ]
    return {
        COHORT_FILE: cohort,
        TIERS_FILE: tiers,
        PATHWAYS_FILE: pathway_rows(world, spells),
        CONTACTS_FILE: contact_rows(world, spells),
    }
