"""A synthetic probation caseload extract, calibrated to Barnet's needs analysis (seed 000).

At scale 1 the caseload is 786 current cases (629 in the community and 157 in custody
with 8 months or less to serve) plus 154 OMIC cases (seed 000 lines 22-24; the split of
the 786 follows the seed's IOM row, line 76, whose 629 + 311 is exactly 786 + 154).
Gender and ethnicity by setting, the share with an OASys assessment, each need's
prevalence among the assessed and each registration's prevalence follow the seed's
tables for community and custody. Ages are not in the seed: they follow an assumed
shape for an adult probation caseload, centred on the early thirties.

People come from `world.people` where they have a CRN, so the caseload's people are the
same people the other extracts name. If the world has fewer than the caseload needs,
the generator makes up the rest (with their own CRNs), so it also works on its own, for
example for the national-scale benchmark.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from saferhub.rules import needs as rules
from saferhub.sources.caseload import ALL_COLUMNS
from saferhub.synth.world import SynthPerson, World

FILE_NAME = "caseload.csv"

# Scale-1 counts per setting (seed 000 lines 22-24 and 76).
SETTING_COUNTS = {rules.COMMUNITY: 629, rules.CUSTODY: 157, rules.OMIC: 154}

# Seed 000 lines 111-112: gender by setting group.
GENDER_COUNTS = {"Community": {"Male": 567, "Female": 63}, "Custody": {"Male": 302, "Female": 15}}

# Seed 000 lines 151-158: ethnicity by setting group, in rules.ETHNIC_GROUPS order.
ETHNICITY_COUNTS = {
    "Community": (12, 48, 137, 34, 27, 273, 7, 92),
    "Custody": (5, 23, 92, 27, 14, 123, 1, 32),
}

# Seed 000 lines 31-40: assessed people per setting group, and each need's "yes" count.
ASSESSED = {"Community": (591, 630), "Custody": (244, 317)}  # (assessed, everyone)
NEED_YES = {
    "Community": (117, 424, 200, 199, 281, 176, 121, 185, 576, 503),
    "Custody": (98, 152, 136, 126, 178, 111, 57, 89, 233, 207),
}

# Seed 000 lines 75-83: (yes, yes + no) per registration and setting group.
REGISTRATION_YES = {
    "Community": ((168, 630), (27, 629), (4, 629), (9, 630), (3, 630), (88, 630), (58, 630),
                  (30, 630), (97, 630)),
    "Custody": ((170, 317), (15, 311), (3, 311), (3, 317), (2, 317), (32, 317), (30, 317),
                (25, 317), (67, 317)),
}  # fmt: skip

# Assumed age shape (not in the seeds): (youngest, oldest, share).
AGE_SHAPE = ((18, 25, 0.20), (26, 35, 0.33), (36, 49, 0.31), (50, 64, 0.14), (65, 80, 0.02))

# Sentences by setting: (code, share). Community orders and licences dominate the
# community caseload; long custodial sentences are the OMIC caseload.
SENTENCE_SHARES = {
    rules.COMMUNITY: (
        ("community_order", 0.36),
        ("suspended_sentence_order", 0.24),
        ("licence", 0.34),
        ("post_sentence_supervision", 0.06),
    ),
    rules.CUSTODY: (("determinate_custody", 0.92), ("extended_determinate", 0.08)),
    rules.OMIC: (
        ("determinate_custody", 0.62),
        ("extended_determinate", 0.2),
        ("indeterminate", 0.18),
    ),
}
TIER_LETTERS = (("A", 0.06), ("B", 0.34), ("C", 0.4), ("D", 0.2))
UNTIERED = 0.02

# An ONS 2021 category to record for each group, so the extract exercises the mapping.
RECORDED_ETHNICITY = {
    rules.ARAB: ("Other ethnic group: Arab",),
    rules.ASIAN: (
        "Asian, Asian British or Asian Welsh: Indian",
        "Asian, Asian British or Asian Welsh: Pakistani",
        "Asian, Asian British or Asian Welsh: Bangladeshi",
        "Asian, Asian British or Asian Welsh: Other Asian",
    ),
    rules.BLACK: (
        "Black, Black British, Black Welsh, Caribbean or African: African",
        "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
        "Black, Black British, Black Welsh, Caribbean or African: Other Black",
    ),
    rules.MIXED: (
        "Mixed or Multiple ethnic groups: White and Black Caribbean",
        "Mixed or Multiple ethnic groups: White and Asian",
        "Mixed or Multiple ethnic groups: Other Mixed or Multiple ethnic groups",
    ),
    rules.OTHER: ("Other ethnic group: Any other ethnic group",),
    rules.WHITE: (
        "White: English, Welsh, Scottish, Northern Irish or British",
        "White: Other White",
        "White: Irish",
    ),
    rules.REFUSAL: ("Refusal",),
    rules.NO_DATA: ("Not stated",),
}


def generate(world: World) -> dict[str, list[dict[str, str]]]:
    """The caseload extract for this world: {"caseload.csv": rows}, one row per person."""
    rng = world.rng("caseload")
    counts = {setting: world.scaled(n) for setting, n in SETTING_COUNTS.items()}
    total = sum(counts.values())
    known = sorted((p for p in world.people if p.crn), key=lambda p: p.crn or "")[:total]
    settings = _settings_for_known(known, counts, rng)
    remaining = dict(counts)
    for setting in settings:
        remaining[setting] -= 1
    rows = [
        _row(person, setting, world.as_of, rng)
        for person, setting in zip(known, settings, strict=True)
    ]
    taken = {p.crn for p in known}
    made_up = [s for s, n in remaining.items() for _ in range(n)]
    rng.shuffle(made_up)
    serial = 0
    for setting in made_up:
        serial, crn = _next_crn(serial, taken)
        person = _made_up_person(crn, setting, world.as_of, rng)
        rows.append(_row(person, setting, world.as_of, rng))
    return {FILE_NAME: rows}


def _settings_for_known(
    people: list[SynthPerson], counts: dict[str, int], rng: random.Random
) -> list[str]:
    """Settings for people who already have a gender, keeping the seed's gender-by-setting mix."""
    if not people:
        return []
    share = {
        g: GENDER_COUNTS["Community"][g]
        / (GENDER_COUNTS["Community"][g] + GENDER_COUNTS["Custody"][g])
        for g in ("Male", "Female")
    }
    # Weighted sampling without replacement (Efraimidis and Spirakis): higher weight,
    # likelier to be among the community places.
    keys = [rng.random() ** (1 / share.get(p.gender, share["Male"])) for p in people]
    order = sorted(range(len(people)), key=lambda i: keys[i], reverse=True)
    community = set(order[: counts[rules.COMMUNITY]])
    custody_places = [rules.CUSTODY] * counts[rules.CUSTODY] + [rules.OMIC] * counts[rules.OMIC]
    rng.shuffle(custody_places)
    settings: list[str] = []
    for index in range(len(people)):
        if index in community:
            settings.append(rules.COMMUNITY)
        elif custody_places:
            settings.append(custody_places.pop())
        else:
            settings.append(rules.COMMUNITY)  # fewer custody places than people left
    return settings


def _next_crn(serial: int, taken: set[str | None]) -> tuple[int, str]:
    while True:
        letter = chr(ord("A") + (serial // 1_000_000) % 26)
        crn = f"{letter}{serial % 1_000_000:06d}"
        serial += 1
        if crn not in taken:
            return serial, crn


class _Choice:
    """A weighted choice, its cumulative weights worked out once (it is drawn a million
    times for a national extract)."""

    def __init__(self, options: Iterable[tuple[Any, float]]) -> None:
        self.values: list[Any] = []
        self.bounds: list[float] = []
        total = 0.0
        for value, weight in options:
            total += weight
            self.values.append(value)
            self.bounds.append(total)
        self.total = total

    def draw(self, rng: random.Random) -> Any:
        return self.values[
            min(bisect(self.bounds, rng.random() * self.total), len(self.values) - 1)
        ]


_GENDER = {g: _Choice(counts.items()) for g, counts in GENDER_COUNTS.items()}
_ETHNICITY = {
    g: _Choice(zip(rules.ETHNIC_GROUPS, counts, strict=True))
    for g, counts in ETHNICITY_COUNTS.items()
}
_AGE = _Choice(((youngest, oldest), share) for youngest, oldest, share in AGE_SHAPE)
_SENTENCE = {setting: _Choice(shares) for setting, shares in SENTENCE_SHARES.items()}
_TIER_LETTER = _Choice(TIER_LETTERS)
# Per setting group: the chance of an assessment, of each need given one, of each registration.
_ASSESSED = {g: assessed / everyone for g, (assessed, everyone) in ASSESSED.items()}
_NEED_CHANCE = {
    g: [
        (rules.need_column(n.code), yes / ASSESSED[g][0])
        for n, yes in zip(rules.NEEDS, NEED_YES[g], strict=True)
    ]
    for g in NEED_YES
}
_REGISTRATION_CHANCE = {
    g: [
        (rules.registration_column(r.code), yes / of)
        for r, (yes, of) in zip(rules.REGISTRATIONS, REGISTRATION_YES[g], strict=True)
    ]
    for g in REGISTRATION_YES
}
_COLUMNS = [c for c in ALL_COLUMNS if c != "age"]  # the synthetic extract gives dates of birth
_NOT_ASSESSED = {rules.need_column(n.code): "not assessed" for n in rules.NEEDS}


def _made_up_person(crn: str, setting: str, as_of: date, rng: random.Random) -> SynthPerson:
    group = rules.SETTING_GROUP[setting]
    youngest, oldest = _AGE.draw(rng)
    age_days = rng.randint(youngest * 365 + 1, oldest * 365 + 364)
    return SynthPerson(
        person_id=f"C{crn}",
        first_name="",
        last_name="",
        aliases=(),
        date_of_birth=as_of - timedelta(days=age_days),
        gender=_GENDER[group].draw(rng),
        ethnicity=rng.choice(RECORDED_ETHNICITY[_ETHNICITY[group].draw(rng)]),
        ward="",
        address="",
        postcode="",
        crn=crn,
    )


def _row(person: SynthPerson, setting: str, as_of: date, rng: random.Random) -> dict[str, str]:
    group = rules.SETTING_GROUP[setting]
    row = dict.fromkeys(_COLUMNS, "")
    row["crn"] = person.crn or ""
    row["setting"] = setting
    row["sentence_type"] = _SENTENCE[setting].draw(rng)
    row["gender"] = person.gender
    row["ethnicity"] = person.ethnicity
    row["date_of_birth"] = person.date_of_birth.isoformat()
    draw = rng.random
    if draw() < _ASSESSED[group]:
        row["assessment_date"] = (as_of - timedelta(days=rng.randint(0, 364))).isoformat()
        for column, chance in _NEED_CHANCE[group]:
            row[column] = "yes" if draw() < chance else "no"
    else:
        row.update(_NOT_ASSESSED)
    for column, chance in _REGISTRATION_CHANCE[group]:
        row[column] = "yes" if draw() < chance else "no"
    if draw() >= UNTIERED:
        row["tier"] = _TIER_LETTER.draw(rng) + str(rng.randint(0, 3))
    return row
