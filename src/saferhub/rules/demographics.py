"""Demographic categories used across SaferHub.

Ethnicity follows the ONS 2021 census groups (England and Wales), plus "Not stated".
Each group maps to the eight groups probation's nDelius reporting uses (seed 000) and
to the two-way split "Black, Asian & minority ethnic" vs "White" the seed also uses.
"""

from __future__ import annotations

from datetime import date

# (code, label, probation group). The probation groups are the eight that seed 000's
# "Ethnicity by Community & Custody" table uses.
ETHNICITIES: list[tuple[str, str, str]] = [
    ("A1", "Asian, Asian British or Asian Welsh: Bangladeshi", "Asian or Asian British"),
    ("A2", "Asian, Asian British or Asian Welsh: Chinese", "Asian or Asian British"),
    ("A3", "Asian, Asian British or Asian Welsh: Indian", "Asian or Asian British"),
    ("A4", "Asian, Asian British or Asian Welsh: Pakistani", "Asian or Asian British"),
    ("A5", "Asian, Asian British or Asian Welsh: Other Asian", "Asian or Asian British"),
    (
        "B1",
        "Black, Black British, Black Welsh, Caribbean or African: African",
        "Black or Black British",
    ),
    (
        "B2",
        "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
        "Black or Black British",
    ),
    (
        "B3",
        "Black, Black British, Black Welsh, Caribbean or African: Other Black",
        "Black or Black British",
    ),
    ("M1", "Mixed or Multiple: White and Asian", "Mixed"),
    ("M2", "Mixed or Multiple: White and Black African", "Mixed"),
    ("M3", "Mixed or Multiple: White and Black Caribbean", "Mixed"),
    ("M4", "Mixed or Multiple: Other Mixed or Multiple", "Mixed"),
    ("W1", "White: English, Welsh, Scottish, Northern Irish or British", "White"),
    ("W2", "White: Irish", "White"),
    ("W3", "White: Gypsy or Irish Traveller", "White"),
    ("W4", "White: Roma", "White"),
    ("W5", "White: Other White", "White"),
    ("O1", "Other ethnic group: Arab", "Arab"),
    ("O2", "Other ethnic group: Any other ethnic group", "Other Ethnic Group"),
    ("RF", "Refused to say", "Refusal"),
    ("NS", "Not stated", "No Data"),
]
ETHNICITY_LABELS = {code: label for code, label, _ in ETHNICITIES}
PROBATION_GROUP = {code: group for code, _, group in ETHNICITIES}
PROBATION_GROUPS = list(dict.fromkeys(group for _, _, group in ETHNICITIES))


def ethnicity_grouped(code: str) -> str:
    """'White', 'Black, Asian & minority ethnic', or 'Not known', as seed 000 groups them."""
    group = PROBATION_GROUP.get(code, "No Data")
    if group in ("Refusal", "No Data"):
        return "Not known"
    return "White" if group == "White" else "Black, Asian & minority ethnic"


GENDERS = [("M", "Male"), ("F", "Female"), ("X", "Other"), ("U", "Not stated")]


def age_on(date_of_birth: date, day: date) -> int:
    """Whole years of age on `day` (a birthday counts from the day itself)."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years
