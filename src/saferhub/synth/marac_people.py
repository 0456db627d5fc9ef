"""The people in synthetic MARAC cases: victims and perpetrators, minted with their own id
series ("V…", "D…"), and about a third of perpetrators drawn from the nominals already
known to the police (`synth/people.py`).
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from saferhub.rules.demographics import age_on
from saferhub.synth.names import (
    FIRST_NAMES,
    NAME_GROUP,
    POSTCODE_DISTRICT,
    STREETS,
    SURNAMES,
    WARDS,
)
from saferhub.synth.world import SynthPerson, World

# Victim ethnicity: roughly Barnet's adult population (2021 census), with some not stated.
VICTIM_ETHNICITY = {
    "W1": 34, "W2": 2, "W3": 0.5, "W4": 1.5, "W5": 16, "A1": 0.6, "A2": 2.5, "A3": 8, "A4": 1.5,
    "A5": 6, "B1": 5.5, "B2": 1.3, "B3": 1, "M1": 1.3, "M2": 1, "M3": 1.1, "M4": 2, "O1": 2.5,
    "O2": 5, "NS": 6,
}  # fmt: skip
# Age at referral: (low, high, weight). 16-17 year olds are about 2% of MARAC victims.
VICTIM_AGES = [(16, 17, 2), (18, 24, 18), (25, 34, 32), (35, 44, 26), (45, 54, 13), (55, 85, 9)]
RELATIONSHIPS = {
    "Intimate partner": 52,
    "Ex-partner": 33,
    "Son or daughter": 7,
    "Other family member": 8,
}


def poisson(rng: random.Random, mean: float) -> int:
    if mean > 50:  # Knuth's method underflows for large means; a normal is close enough there
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def pick(rng: random.Random, weights: dict) -> str:
    keys, values = zip(*weights.items(), strict=True)
    return rng.choices(keys, values)[0]


class CasePeople:
    """Mints victims and perpetrators with their own id series."""

    def __init__(self, rng: random.Random, world: World) -> None:
        self.rng = rng
        self.as_of = world.as_of
        self.minted: list[SynthPerson] = []
        self.serial = {"V": 0, "D": 0}
        # Known nominals who can appear as perpetrators: adult men on the police computer.
        self.known = [
            p
            for p in world.people
            if p.gender == "M" and p.pnc_id and age_on(p.date_of_birth, world.as_of) >= 18
        ]

    def mint(
        self, prefix: str, gender: str, age: int, on: date, ward: str | None = None
    ) -> SynthPerson:
        rng = self.rng
        self.serial[prefix] += 1
        ethnicity = pick(rng, VICTIM_ETHNICITY)
        group = NAME_GROUP[ethnicity[0]]
        names = FIRST_NAMES["F" if gender == "F" else "M"][group]
        ward = ward or pick(rng, WARDS)
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        person = SynthPerson(
            person_id=f"{prefix}{self.serial[prefix]:06d}",
            first_name=rng.choice(names),
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

    def victim(self, on: date) -> SynthPerson:
        roll = self.rng.random()
        gender = "F" if roll < 0.905 else ("M" if roll < 0.998 else "X")
        low, high, _ = self.rng.choices(VICTIM_AGES, [w for *_, w in VICTIM_AGES])[0]
        return self.mint("V", gender, self.rng.randint(low, high), on)

    def perpetrator(self, victim: SynthPerson, relationship: str, on: date) -> SynthPerson:
        rng = self.rng
        victim_age = age_on(victim.date_of_birth, on)
        if relationship == "Son or daughter":
            age = max(16, victim_age - rng.randint(20, 35))
        elif relationship == "Other family member":
            age = max(16, victim_age + rng.randint(-10, 25))
        else:
            age = max(16, victim_age + rng.randint(-4, 8))
        if relationship in {"Intimate partner", "Ex-partner"} and age >= 18 and rng.random() < 0.35:
            candidates = [p for p in self.known if abs(age_on(p.date_of_birth, on) - age) <= 5]
            if candidates and victim.gender != "M":
                return rng.choice(candidates)
        if victim.gender == "M" and relationship in {"Intimate partner", "Ex-partner"}:
            gender = "M" if rng.random() < 0.3 else "F"
        elif victim.gender == "F" and relationship in {"Intimate partner", "Ex-partner"}:
            gender = "F" if rng.random() < 0.03 else "M"
        else:
            gender = "M" if rng.random() < 0.8 else "F"
        ward = victim.ward if relationship != "Ex-partner" else None
        return self.mint("D", gender, age, on, ward)
