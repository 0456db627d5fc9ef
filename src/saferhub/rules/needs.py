"""Probation caseload needs analysis: the codes, groupings and definitions (seed 000).

Everything here is data or a pure function, so the extract reader, the Ibis measures,
the synthetic generator and the reports share one definition of each category:

- the three settings, and the two-way Community/Custody split seed 000 tabulates;
- the ten OASys criminogenic needs and nine nDelius registrations, in seed 000's order;
- the eight ethnic groups of seed 000, the ONS 2021 categories that map onto them, and
  the seed's two-way "Black, Asian & minority ethnic" vs "White" grouping;
- age bands (18–25, 26–49, 50+ as the seed asks, plus "Under 18" for transfers);
- severe multiple disadvantage;
- percentage bases, and rounding a percentage the way the seed's spreadsheet does.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from saferhub.rules.demographics import ETHNICITIES, GENDERS, age_on


@dataclass(frozen=True, slots=True)
class Item:
    """One need, registration or category: a stable code and the label reports show."""

    code: str
    label: str


# --- Settings -------------------------------------------------------------------------

COMMUNITY, CUSTODY, OMIC = "community", "custody", "omic"
SETTINGS: tuple[Item, ...] = (
    Item(COMMUNITY, "Community"),
    Item(CUSTODY, "Custody, 8 months or less to serve"),
    Item(OMIC, "OMIC custody, more than 8 months to serve"),
)
SETTING_LABELS = {item.code: item.label for item in SETTINGS}

# Seed 000 tabulates two columns, "Community" and "Custody"; custody there is everyone in
# prison, whether or not they are an OMIC (long-term) case.
SETTING_GROUPS: tuple[str, ...] = ("Community", "Custody")
SETTING_GROUP = {COMMUNITY: "Community", CUSTODY: "Custody", OMIC: "Custody"}

# The "current caseload" of seed 000 line 22: community plus custody with 8 months or less.
CURRENT_CASELOAD = (COMMUNITY, CUSTODY)

# --- Order or sentence type -----------------------------------------------------------

SENTENCE_TYPES: tuple[Item, ...] = (
    Item("community_order", "Community order"),
    Item("suspended_sentence_order", "Suspended sentence order"),
    Item("licence", "Licence"),
    Item("post_sentence_supervision", "Post-sentence supervision"),
    Item("determinate_custody", "Determinate custodial sentence"),
    Item("extended_determinate", "Extended determinate sentence"),
    Item("indeterminate", "Indeterminate sentence (life or IPP)"),
)
SENTENCE_TYPE_LABELS = {item.code: item.label for item in SENTENCE_TYPES}
CUSTODIAL_SENTENCES = frozenset({"determinate_custody", "extended_determinate", "indeterminate"})
# Someone in the community is serving an order, or is on licence or post-sentence
# supervision after release; someone in custody is serving a custodial sentence.
SENTENCES_BY_SETTING: dict[str, frozenset[str]] = {
    COMMUNITY: frozenset(
        {"community_order", "suspended_sentence_order", "licence", "post_sentence_supervision"}
    ),
    CUSTODY: CUSTODIAL_SENTENCES,
    OMIC: CUSTODIAL_SENTENCES,
}

# --- OASys needs and nDelius registrations --------------------------------------------

NEEDS: tuple[Item, ...] = (
    Item("accommodation", "Accommodation"),
    Item("ete", "ETE"),
    Item("finance", "Finance"),
    Item("relationships", "Relationships"),
    Item("lifestyle", "Lifestyle & associates"),
    Item("drug_misuse", "Drug misuse"),
    Item("alcohol_misuse", "Alcohol misuse"),
    Item("emotional_wellbeing", "Emotional wellbeing"),
    Item("thinking_behaviour", "Thinking & behaviour"),
    Item("attitudes", "Attitudes"),
)
REGISTRATIONS: tuple[Item, ...] = (
    Item("mappa", "MAPPA"),
    Item("iom", "IOM"),
    Item("ppo", "PPO"),
    Item("care_leaver", "Care leavers"),
    Item("armed_forces", "Armed forces"),
    Item("mental_health", "Mental health issues"),
    Item("self_harm", "Suicide/self-harm"),
    Item("street_gangs", "Street gangs"),
    Item("weapons", "Weapons"),
)


def need_column(code: str) -> str:
    return f"need_{code}"


def registration_column(code: str) -> str:
    return f"reg_{code}"


# --- Gender ---------------------------------------------------------------------------

GENDER_LABELS: tuple[str, ...] = tuple(label for _, label in GENDERS)
# Reports always show Male and Female, as the seed does; other values only when present.
CORE_GENDERS: tuple[str, ...] = ("Male", "Female")

# --- Ethnicity ------------------------------------------------------------------------

ARAB, ASIAN, BLACK, MIXED, OTHER = (
    "Arab",
    "Asian or Asian British",
    "Black or Black British",
    "Mixed",
    "Other Ethnic Group",
)
WHITE, REFUSAL, NO_DATA = "White", "Refusal", "No Data"
# Seed 000 lines 151-158, in the seed's order.
ETHNIC_GROUPS: tuple[str, ...] = (ARAB, ASIAN, BLACK, MIXED, OTHER, WHITE, REFUSAL, NO_DATA)

BAME = "Black, Asian & minority ethnic"
# Seed 000 line 174: the two-way grouping. Refusal and No Data belong to neither.
BROAD_ETHNIC_GROUPS: tuple[str, ...] = (BAME, WHITE)
ETHNICITY_NOT_KNOWN = "Not known (refused or no data)"
BROAD_GROUP: dict[str, str | None] = {
    ARAB: BAME,
    ASIAN: BAME,
    BLACK: BAME,
    MIXED: BAME,
    OTHER: BAME,
    WHITE: WHITE,
    REFUSAL: None,
    NO_DATA: None,
}

# ONS 2021 high-level groups and their detailed categories (England and Wales).
_ONS_2021_DETAILED: dict[str, tuple[str, tuple[str, ...]]] = {
    ASIAN: (
        "Asian, Asian British or Asian Welsh",
        ("Bangladeshi", "Chinese", "Indian", "Pakistani", "Other Asian"),
    ),
    BLACK: (
        "Black, Black British, Black Welsh, Caribbean or African",
        ("African", "Caribbean", "Other Black"),
    ),
    MIXED: (
        "Mixed or Multiple ethnic groups",
        (
            "White and Asian",
            "White and Black African",
            "White and Black Caribbean",
            "Other Mixed or Multiple ethnic groups",
        ),
    ),
    WHITE: (
        "White",
        (
            "English, Welsh, Scottish, Northern Irish or British",
            "Irish",
            "Gypsy or Irish Traveller",
            "Roma",
            "Other White",
        ),
    ),
}


def code_key(text: str) -> str:
    """How codes are compared: case, surrounding and repeated spaces do not matter."""
    return re.sub(r"\s+", " ", text).strip().casefold()


def _ethnicity_lookup() -> dict[str, str]:
    lookup = {code_key(group): group for group in ETHNIC_GROUPS}
    for group, (high_level, detailed) in _ONS_2021_DETAILED.items():
        lookup[code_key(high_level)] = group
        for category in detailed:
            lookup[code_key(f"{high_level}: {category}")] = group
    # ONS puts Arab under "Other ethnic group"; seed 000 counts Arab on its own. The
    # high-level "Other ethnic group" cannot be split, so it counts as Other.
    lookup[code_key("Other ethnic group: Arab")] = ARAB
    lookup[code_key("Other ethnic group: Any other ethnic group")] = OTHER
    lookup[code_key("Other ethnic group")] = OTHER
    lookup[code_key("Not stated")] = NO_DATA
    lookup[code_key("Refused")] = REFUSAL
    # The codes and labels the rest of SaferHub records (rules.demographics).
    for code, label, group in ETHNICITIES:
        lookup[code_key(code)] = group
        lookup[code_key(label)] = group
    return lookup


ETHNICITY_LOOKUP: dict[str, str] = _ethnicity_lookup()


def ethnic_group(recorded: str) -> str | None:
    """The seed 000 ethnic group of a recorded ethnicity, or None if it is not recognised."""
    return ETHNICITY_LOOKUP.get(code_key(recorded))


def broad_ethnic_group(group: str) -> str | None:
    """'Black, Asian & minority ethnic' or 'White'; None for Refusal and No Data."""
    return BROAD_GROUP[group]


GENDER_LOOKUP: dict[str, str] = {
    **{code_key(label): label for _, label in GENDERS},
    **{code_key(code): label for code, label in GENDERS},
}


def gender(recorded: str) -> str | None:
    """The gender label of a recorded value ("M", "male", "Female" …), or None."""
    return GENDER_LOOKUP.get(code_key(recorded))


SETTING_LOOKUP: dict[str, str] = {
    **{item.code: item.code for item in SETTINGS},
    **{code_key(item.label): item.code for item in SETTINGS},
}
SENTENCE_TYPE_LOOKUP: dict[str, str] = {
    **{item.code: item.code for item in SENTENCE_TYPES},
    **{code_key(item.label): item.code for item in SENTENCE_TYPES},
}

# Need values: blank counts as "not assessed", because that is how OASys exports show it.
NEED_VALUES: dict[str, bool | None] = {
    "yes": True,
    "y": True,
    "no": False,
    "n": False,
    "not assessed": None,
    "": None,
}
REGISTRATION_VALUES: dict[str, bool] = {"yes": True, "y": True, "no": False, "n": False}

CRN_PATTERN = r"^[A-Z][0-9]{6}$"
TIER_PATTERN = r"^[A-D][0-3]$"
# Risk of harm A (highest) to D, then change and control 3 (highest) to 0.
TIERS: tuple[str, ...] = tuple(f"{harm}{change}" for harm in "ABCD" for change in "3210")

# --- Age ------------------------------------------------------------------------------

MIN_AGE, MAX_AGE = 10, 110  # outside this an age or date of birth is a mistake


@dataclass(frozen=True, slots=True)
class AgeBand:
    label: str
    lowest: int
    highest: int | None  # None: no upper limit


AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand("Under 18", MIN_AGE, 17),
    AgeBand("18–25", 18, 25),
    AgeBand("26–49", 26, 49),
    AgeBand("50+", 50, None),
)
# Reports always show the three adult bands the seed asks for; "Under 18" only when present.
CORE_AGE_BANDS: tuple[str, ...] = ("18–25", "26–49", "50+")


def age_band(age: int) -> str:
    """The band an age falls in: Under 18, 18–25, 26–49 or 50+."""
    for band in AGE_BANDS:
        if age >= band.lowest and (band.highest is None or age <= band.highest):
            return band.label
    raise ValueError(f"age {age} is below {MIN_AGE}")


def age_at(date_of_birth: date, as_of: date) -> int:
    """Whole years of age on the as-of date."""
    return age_on(date_of_birth, as_of)


# --- Severe multiple disadvantage -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class SmdDomain:
    """One domain of disadvantage: present when any of its needs or registrations is yes."""

    code: str
    label: str
    needs: tuple[str, ...] = ()
    registrations: tuple[str, ...] = ()
    everyone: bool = False  # true for offending: everyone on a probation caseload offended


# After Lankelly Chase's "Hard Edges" (2015): homelessness, substance misuse and offending,
# with mental ill health as the fourth domain. OASys's emotional wellbeing section is where
# an assessment records mental health problems, so it counts alongside the registration.
SMD_DOMAINS: tuple[SmdDomain, ...] = (
    SmdDomain("accommodation", "Accommodation need", needs=("accommodation",)),
    SmdDomain("substance_misuse", "Substance misuse", needs=("drug_misuse", "alcohol_misuse")),
    SmdDomain(
        "mental_health",
        "Mental health",
        needs=("emotional_wellbeing",),
        registrations=("mental_health",),
    ),
    SmdDomain("offending", "Offending", everyone=True),
)
SMD_THRESHOLD = 2


def smd_domains(needs: Mapping[str, bool], registrations: Mapping[str, bool]) -> frozenset[str]:
    """The domains an assessed person has, from their OASys needs and nDelius registrations."""
    return frozenset(
        domain.code
        for domain in SMD_DOMAINS
        if domain.everyone
        or any(needs[code] for code in domain.needs)
        or any(registrations[code] for code in domain.registrations)
    )


def has_smd(needs: Mapping[str, bool], registrations: Mapping[str, bool]) -> bool:
    """Severe multiple disadvantage: two or more of the four domains."""
    return len(smd_domains(needs, registrations)) >= SMD_THRESHOLD


# --- Percentages ----------------------------------------------------------------------


class Base(StrEnum):
    """What a table's percentages are out of. Seed 000 uses all three."""

    TOTAL = "total"  # everyone in the table: needs by setting, 117 / 835 = 14.01%
    ROW = "row"  # the row: gender by setting, 567 / 869 = 65.25%
    COLUMN = "column"  # the column: the share of a group, e.g. 576 of 591 in the community


def percent(count: int, base: int) -> float | None:
    """count as a percentage of base, to 2 decimal places rounded half up; None when base is 0."""
    if base == 0:
        return None
    value = (Decimal(count) * 100 / Decimal(base)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return float(value)


def whole_percent(count: int, base: int) -> int | None:
    """count as a whole percentage, rounded half up, for sentences; None when base is 0."""
    if base == 0:
        return None
    return int((Decimal(count) * 100 / Decimal(base)).quantize(Decimal(1), ROUND_HALF_UP))
