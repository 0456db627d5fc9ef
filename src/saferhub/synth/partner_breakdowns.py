"""Synthetic partner breakdowns for the partnership borough: `partner_breakdowns.csv`.

The `area, period, measure, category, value` format (docs/formats/partner-breakdowns.md),
for every month the crime extracts cover: CCTV incidents by ward, incident type and hour,
Prevent referrals (and the national figures), hate crime by strand and ASB tools and powers.

Each CCTV incident, Prevent referral and hate crime is drawn one at a time and then counted,
so the ward, type and hour splits add up to the same month's incidents, and age, gender and
type of concern split the same referrals, as real returns do. A hate crime is flagged under
each strand it fits (an antisemitic crime is also racist or religious), so the strands add
up to more than the total.

Calibration (roughly the levels in Barnet's published board papers, November 2023): about
80 CCTV incidents a month, spread over wards and incident types like the four months to
September 2023, quiet between 04:00 and 07:59; about 15 Prevent referrals a quarter, mostly
male and under 18; about 60 hate crimes a month; tools and powers at the monthly levels of
June to September 2023. National Prevent referrals: about 570 a month, with shares close to
the Home Office's published ones. No real count is copied: every number is drawn.
"""

from __future__ import annotations

import random
from collections import Counter

from saferhub.rules.periods import Month, month_range
from saferhub.sources.partner_breakdowns import HATE_STRANDS
from saferhub.synth.crime_counts import (
    PARTNERSHIP_BOROUGH,
    SEASONALITY,
    YEARS,
    last_complete_month,
)
from saferhub.synth.crime_counts import _draw as draw  # the same over-dispersed counts
from saferhub.synth.names import WARDS
from saferhub.synth.world import World

FILE = "partner_breakdowns.csv"
NATIONAL = "National"

CCTV_PER_MONTH = 80.0
# Relative CCTV incidents by ward (cameras cluster in town centres).
CCTV_WARDS = {ward: 1.0 for ward in WARDS} | {
    "Edgware": 13.0,
    "Finchley Church End": 10.0,
    "Burnt Oak": 10.0,
    "Golders Green": 9.0,
    "Cricklewood": 7.0,
    "Hendon": 7.0,
    "East Barnet": 3.5,
    "Mill Hill": 3.0,
    "Woodhouse": 3.0,
    "High Barnet": 3.0,
    "Colindale North": 2.5,
    "East Finchley": 2.5,
}
CCTV_TYPES = {
    "Alarm": 4,
    "ASB - environmental": 11,
    "ASB - nuisance": 14,
    "ASB - personal": 3,
    "Assault": 32,
    "Burglary": 2,
    "Criminal damage": 1,
    "Domestic": 3,
    "Fire": 2,
    "Firearm": 6,
    "Hoax call": 7,
    "Knife crime": 9,
    "Missing person": 7,
    "Other": 75,
    "Robbery": 21,
    "Road traffic collision": 14,
    "Sexual offence": 4,
    "Shoplifting": 13,
    "Stop and search": 2,
    "Suspicious behaviour": 21,
    "Suspicious package": 2,
    "Theft": 4,
    "Vehicle incident": 11,
    "Violence against the person": 3,
    "Welfare concern": 43,
}
# Relative incidents by the hour they began: quiet before dawn, busiest late afternoon.
CCTV_HOURS = (
    3,
    2.5,
    2,
    1.5,
    0.7,
    0.5,
    0.6,
    1,
    2,
    3,
    3.5,
    4,
    4.5,
    5,
    5.5,
    6,
    6.5,
    6.5,
    6,
    5.5,
    5,
    4.5,
    4,
    3.5,
)

PREVENT_PER_MONTH = 5.0
PREVENT_NATIONAL_PER_MONTH = 570.0
# (category, local probability, national probability), one draw per dimension.
PREVENT_AGE = (("Under 18", 0.68, 0.52), ("Over 18", 0.30, 0.46), ("Age not known", 0.02, 0.02))
PREVENT_GENDER = (("Male", 0.78, 0.88), ("Female", 0.22, 0.11), ("Gender not known", 0.0, 0.01))
PREVENT_CONCERN = (
    ("Islamist", 0.40, 0.16),
    ("Extreme right-wing", 0.17, 0.26),
    ("Mixed, unclear or unstable", 0.35, 0.45),
    ("Conflicted", 0.03, 0.04),
    ("No ideology or counter-terrorism risk", 0.05, 0.09),
)

HATE_PER_MONTH = 60.0
# A hate crime's main strand, and the strands it is also flagged under.
HATE_KINDS = (
    (0.62, ("Racist or religious",)),
    (0.15, ("Racist or religious", "Antisemitic")),
    (0.06, ("Racist or religious", "Islamophobic")),
    (0.05, ("Disability",)),
    (0.08, ("Homophobic",)),
    (0.02, ("Transgender",)),
    (0.02, ("Homophobic", "Transgender")),
)
# Uses a month, at Barnet's published levels for June to September 2023; PSPO fines began
# ten months before the last month, as the December 2022 order did.
TOOLS = (
    ("ASB injunction", 0.1),
    ("Criminal Behaviour Order", 0.1),
    ("CPN written warning", 12.0),
    ("Community Protection Notice", 1.0),
    ("CPN breach", 0.1),
    ("PSPO fixed penalty", 20.0),
    ("Premises closure order", 0.25),
)


def _split(rng: random.Random, n: int, weights: dict[str, float]) -> Counter:
    return Counter(rng.choices(list(weights), weights=list(weights.values()), k=n))


def generate(world: World) -> dict[str, list[dict]]:
    rng = world.rng("partner_breakdowns")
    last = last_complete_month(world.as_of)
    months = month_range(last - (12 * YEARS - 1), last)  # type: ignore[arg-type]
    rows: list[dict] = []

    def add(area: str, month: Month, measure: str, counts: dict, categories) -> None:
        for category in categories:
            rows.append(
                {
                    "area": area,
                    "period": month.key,
                    "measure": measure,
                    "category": category,
                    "value": counts.get(category, 0),
                }
            )

    hours = {f"{h:02d}": w for h, w in enumerate(CCTV_HOURS)}
    pspo_start = last - 9
    for month in months:
        season = SEASONALITY["Violence Against the Person"][month.month - 1]
        incidents = draw(rng, CCTV_PER_MONTH * season)
        add(
            PARTNERSHIP_BOROUGH,
            month,
            "CCTV incidents by ward",
            _split(rng, incidents, CCTV_WARDS),
            sorted(CCTV_WARDS),
        )
        add(
            PARTNERSHIP_BOROUGH,
            month,
            "CCTV incidents by incident type",
            _split(rng, incidents, CCTV_TYPES),
            CCTV_TYPES,
        )
        add(
            PARTNERSHIP_BOROUGH,
            month,
            "CCTV incidents by hour",
            _split(rng, incidents, hours),
            hours,
        )
        for area, measure, mean, which in (
            (PARTNERSHIP_BOROUGH, "Prevent referrals", PREVENT_PER_MONTH, 1),
            (NATIONAL, "Prevent referrals national", PREVENT_NATIONAL_PER_MONTH, 2),
        ):
            referrals = draw(rng, mean)
            counts: Counter = Counter({"Total": referrals})
            order = ["Total"]
            for dimension in (PREVENT_AGE, PREVENT_GENDER, PREVENT_CONCERN):
                weights = {d[0]: d[which] for d in dimension}
                counts.update(_split(rng, referrals, weights))
                order += list(weights)
            add(area, month, measure, counts, order)
        crimes = draw(rng, HATE_PER_MONTH * season)
        kinds = rng.choices(
            [k[1] for k in HATE_KINDS], weights=[k[0] for k in HATE_KINDS], k=crimes
        )
        strands = Counter(strand for kind in kinds for strand in kind)
        strands["All hate crime"] = crimes
        add(PARTNERSHIP_BOROUGH, month, "Hate crime", strands, ("All hate crime", *HATE_STRANDS))
        uses = {
            name: 0 if name == "PSPO fixed penalty" and month < pspo_start else draw(rng, mean)
            for name, mean in TOOLS
        }
        add(PARTNERSHIP_BOROUGH, month, "ASB tools and powers", uses, uses)
    return {FILE: rows}
