"""Synthetic nominals, agencies and users for a borough like Barnet.

Calibration (scale 1):
- about 6,000 people known to police with a PNC ID, the pool for offence histories and IOM;
- 940 of them hold a probation CRN: the 786 current caseload plus 154 OMIC (BRIEF.md, seed 000);
- gender and ethnicity follow seed 000's caseload tables (92% male; the eight ethnicity groups
  in the seed's proportions, split into ONS 2021 groups);
- ages run 18-75 with the young-adult peak typical of offender populations.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

# The agencies, users and name tables live in their own modules; they are named here too,
# as before.
from saferhub.synth.agencies import AGENCIES, USERS, agency_rows, user_rows  # noqa: F401
from saferhub.synth.names import (
    ETHNICITY_WEIGHTS,
    FIRST_NAMES,
    NAME_GROUP,
    POSTCODE_DISTRICT,
    STREETS,
    SURNAMES,
    WARDS,
)
from saferhub.synth.world import SynthPerson, World

NOMINALS = 6000
PROBATION_CASELOAD = 786 + 154


# Barnet's 24 wards (2022 boundaries), with rough weights for where offenders live.
def _age(rng: random.Random) -> int:
    # Offender populations peak in the early twenties and thin out after forty.
    return min(75, 18 + int(rng.gammavariate(2.2, 7.5)))


def _date_of_birth(rng: random.Random, as_of: date) -> date:
    """A birthday giving exactly the drawn age on `as_of` (calendar years, so leap days count)."""
    age = _age(rng)
    latest = as_of - relativedelta(years=age)
    earliest = as_of - relativedelta(years=age + 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))


def _pnc_id(rng: random.Random, dob: date, serial: int, as_of: date) -> str:
    # PNC IDs look like 05/123456A: year first recorded, a serial, and a check letter.
    first_recorded = min(dob.year + 16 + rng.randrange(12), as_of.year)
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    return f"{first_recorded % 100:02d}/{serial:06d}{letters[serial % len(letters)]}"


def _unit(rng: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"  # the letters postcode units use
    return rng.choice(letters) + rng.choice(letters)


def generate_people(world: World) -> list[SynthPerson]:
    """Create the borough's nominals and put them on the world."""
    rng = world.rng("people")
    codes, weights = zip(*ETHNICITY_WEIGHTS.items(), strict=True)
    wards, ward_weights = zip(*WARDS.items(), strict=True)
    total = world.scaled(NOMINALS)
    on_probation = set(rng.sample(range(total), min(total, world.scaled(PROBATION_CASELOAD))))
    people = []
    for n in range(total):
        gender = "M" if rng.random() < (0.918 if n in on_probation else 0.85) else "F"
        ethnicity = rng.choices(codes, weights)[0]
        group = NAME_GROUP[ethnicity[0]]
        first = rng.choice(FIRST_NAMES[gender][group])
        last = rng.choice(SURNAMES[group])
        dob = _date_of_birth(rng, world.as_of)
        ward = rng.choices(wards, ward_weights)[0]
        district = POSTCODE_DISTRICT[ward]
        aliases = (f"{first[0]} {last}",) if rng.random() < 0.15 else ()
        people.append(
            SynthPerson(
                person_id=f"P{n + 1:06d}",
                first_name=first,
                last_name=last,
                aliases=aliases,
                date_of_birth=dob,
                gender=gender,
                ethnicity=ethnicity,
                ward=ward,
                address=f"{rng.randint(1, 240)} {rng.choice(STREETS)}, London",
                postcode=f"{district} {rng.randint(1, 9)}{_unit(rng)}",
                pnc_id=_pnc_id(rng, dob, 100000 + n * 7 + rng.randrange(7), world.as_of),
                crn=f"{rng.choice('BCDEX')}{100000 + n:06d}" if n in on_probation else None,
            )
        )
    world.people = people
    return people


def people_rows(people: list[SynthPerson]) -> list[dict]:
    return [
        {
            "person_id": p.person_id,
            "first_name": p.first_name,
            "last_name": p.last_name,
            "aliases": ";".join(p.aliases),
            "date_of_birth": p.date_of_birth.isoformat(),
            "gender": p.gender,
            "ethnicity": p.ethnicity,
            "address": p.address,
            "postcode": p.postcode,
            "ward": p.ward,
            "pnc_id": p.pnc_id or "",
            "crn": p.crn or "",
        }
        for p in people
    ]


# The demo partnership: (name, kind, programmes).
