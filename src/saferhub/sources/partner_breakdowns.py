"""Partner figures broken down by category: `area, period, measure, category, value`.

Some partner figures only make sense split: CCTV incidents by ward, by incident type and by
the hour they began; Prevent referrals by age, gender and type of concern (with the national
figures to compare against); hate crime by strand; ASB tools and powers by tool. Each row is
one count for one borough, one month, one measure and one category.

Measures and their categories are a fixed list (`MEASURES`), matched ignoring letter case
and spacing, with common alternative names (`ALIASES`: "CBO", "Far right", "MUU"), so a
typing mistake is caught at import rather than silently becoming a new category. Wards are
the exception: they differ from borough to borough and change at boundary reviews, so any
ward name is accepted, and spellings that differ only in letter case become one.

See docs/formats/partner-breakdowns.md for the format and every error a user can get.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa

from saferhub.errors import InputError, Problem, ProblemCollector, quoted
from saferhub.rules.periods import Month
from saferhub.sources.csvfile import read_csv_file
from saferhub.sources.london import find_borough, suggestion
from saferhub.sources.series import exact_columns, in_two_files, read_month

COLUMNS = ["area", "period", "measure", "category", "value"]
# A borough's monthly count in one category is at most a few thousand; national Prevent
# referrals are under 1,000 a month. More than this is a typing error.
MAX_VALUE = 100_000
MAX_CATEGORY = 100  # as stored
_FORMAT_HINT = "A partner breakdowns file has the columns area, period, measure, category, value."

CCTV_WARD = "CCTV incidents by ward"
CCTV_TYPE = "CCTV incidents by incident type"
CCTV_HOUR = "CCTV incidents by hour"
PREVENT = "Prevent referrals"
PREVENT_NATIONAL = "Prevent referrals national"
HATE_CRIME = "Hate crime"
TOOLS = "ASB tools and powers"

TOTAL = "Total"
ALL_HATE_CRIME = "All hate crime"

PREVENT_AGE = ("Under 18", "Over 18", "Age not known")
PREVENT_GENDER = ("Male", "Female", "Gender not known")
PREVENT_CONCERN = (
    "Islamist",
    "Extreme right-wing",
    "Mixed, unclear or unstable",
    "Conflicted",
    "No ideology or counter-terrorism risk",
    "Other ideology",
)
PREVENT_CATEGORIES = (TOTAL, *PREVENT_AGE, *PREVENT_GENDER, *PREVENT_CONCERN)
HATE_STRANDS = (
    "Racist or religious",
    "Antisemitic",
    "Islamophobic",
    "Disability",
    "Homophobic",
    "Transgender",
)
INCIDENT_TYPES = (
    "Alarm",
    "ASB - environmental",
    "ASB - nuisance",
    "ASB - personal",
    "Assault",
    "Burglary",
    "Criminal damage",
    "Domestic",
    "Drink drive",
    "Fire",
    "Firearm",
    "Hoax call",
    "Knife crime",
    "Missing person",
    "Other",
    "Robbery",
    "Road traffic collision",
    "Sexual offence",
    "Shoplifting",
    "Stop and search",
    "Suspicious behaviour",
    "Suspicious package",
    "Theft",
    "Vehicle incident",
    "Violence against the person",
    "Welfare concern",
)
# The names partner series and the crime catalogue use for each tool (measures/asb.py).
TOOL_CATEGORIES = (
    "ASB injunction",
    "Criminal Behaviour Order",
    "CPN written warning",
    "Community Protection Notice",
    "CPN breach",
    "PSPO fixed penalty",
    "Premises closure order",
)
HOURS = tuple(f"{hour:02d}" for hour in range(24))

# Measure → its categories; None: any name (wards).
MEASURES: dict[str, tuple[str, ...] | None] = {
    CCTV_WARD: None,
    CCTV_TYPE: INCIDENT_TYPES,
    CCTV_HOUR: HOURS,
    PREVENT: PREVENT_CATEGORIES,
    PREVENT_NATIONAL: PREVENT_CATEGORIES,
    HATE_CRIME: (ALL_HATE_CRIME, *HATE_STRANDS),
    TOOLS: TOOL_CATEGORIES,
}

# Other names in use (published board papers, Home Office tables) → the category.
ALIASES: dict[str, dict[str, str]] = {
    PREVENT: {
        "total referrals": TOTAL,
        "islam inspired": "Islamist",
        "far right": "Extreme right-wing",
        "right wing": "Extreme right-wing",
        "extreme right wing": "Extreme right-wing",
        "muu": "Mixed, unclear or unstable",
        "mixed unclear or unstable": "Mixed, unclear or unstable",
        "mixed unclear unstable": "Mixed, unclear or unstable",
    },
    HATE_CRIME: {
        "all": ALL_HATE_CRIME,
        "total": ALL_HATE_CRIME,
        "racist": "Racist or religious",
        "racist and religious": "Racist or religious",
        "race and religious": "Racist or religious",
        "faith": "Racist or religious",
        "islamophobia": "Islamophobic",
        "antisemitism": "Antisemitic",
        "homophobia": "Homophobic",
        "sexual orientation": "Homophobic",
        "transphobic": "Transgender",
        "transgender identity": "Transgender",
    },
    TOOLS: {
        "injunction": "ASB injunction",
        "cbo": "Criminal Behaviour Order",
        "cpn": "Community Protection Notice",
        "cpn breached": "CPN breach",
        "pspo": "PSPO fixed penalty",
        "pco": "Premises closure order",
        "closure order": "Premises closure order",
    },
    CCTV_TYPE: {
        "shop lifter": "Shoplifting",
        "shoplifter": "Shoplifting",
        "rtc": "Road traffic collision",
        "stop & search": "Stop and search",
        "violence against person": "Violence against the person",
        "asb environmental": "ASB - environmental",
        "asb nuisance": "ASB - nuisance",
        "asb personal": "ASB - personal",
    },
}
ALIASES[PREVENT_NATIONAL] = ALIASES[PREVENT]

SCHEMA = pa.schema(
    [
        ("area_code", pa.string()),  # "" for national figures
        ("area_name", pa.string()),  # "England and Wales" for national figures
        ("month", pa.date32()),
        ("measure", pa.string()),
        ("category", pa.string()),
        ("value", pa.int64()),
        ("source", pa.string()),
    ]
)
NATIONAL = "England and Wales"
_NATIONAL_NAMES = {"national", "england and wales", "england & wales"}
_HOUR = re.compile(r"^(\d{1,2})(?::00)?$")


def _key(text: str) -> str:
    return " ".join(text.replace(",", " ").split()).casefold()


def category_of(measure: str, text: str) -> str | None:
    """The category `text` names for `measure` (letter case, commas and spacing aside), or
    None when the measure has no such category. Any ward name is a ward."""
    categories = MEASURES[measure]
    if categories is None:
        return " ".join(text.split()) or None
    if measure == CCTV_HOUR:
        match = _HOUR.match(text.strip())
        return f"{int(match.group(1)):02d}" if match and int(match.group(1)) < 24 else None
    known = {_key(c): c for c in categories}
    known.update(ALIASES.get(measure, {}))
    return known.get(_key(text))


def read_breakdowns_file(
    path: str | Path, *, not_after: Month | None = None, name: str | None = None
) -> pa.Table:
    """Validate one breakdowns file (SCHEMA). All or nothing: raises InputError listing
    every problem."""
    csv_file = read_csv_file(path, name)
    problems = ProblemCollector(csv_file.name)
    header, positions = exact_columns(problems, csv_file.header, COLUMNS, _FORMAT_HINT)

    measures = {_key(m): m for m in MEASURES}
    seen: dict[tuple[str, Month, str, str], int] = {}
    wards: dict[str, str] = {}  # one spelling per ward, whatever the letter case
    rows: list[dict[str, object]] = []
    width = len(header)
    for line, values in csv_file.records:
        if len(values) != width:
            problems.add(line, None, f"has {len(values)} values but the header has {width}.")
            continue
        text = {column: values[positions[column]].strip() for column in COLUMNS}
        measure = _measure(problems, line, text["measure"], measures)
        area = _area(problems, line, text["area"], measure)
        month = read_month(problems, line, text["period"], not_after)
        category = _category(problems, line, text["category"], measure)
        value = _value(problems, line, text["value"].replace(",", ""))
        if area is None or month is None or measure is None or category is None:
            continue
        if MEASURES[measure] is None:
            category = wards.setdefault(category.casefold(), category)
        key = (area[0], month, measure, category)
        if key in seen:
            problems.add(
                line,
                None,
                f"repeats line {seen[key]}: {measure}, {category} for {area[1]} in "
                f"{month.label} is given twice; keep one row.",
            )
            continue
        seen[key] = line
        if value is not None:
            rows.append(
                {
                    "area_code": area[0],
                    "area_name": area[1],
                    "month": month.first_day,
                    "measure": measure,
                    "category": category,
                    "value": value,
                    "source": csv_file.name,
                }
            )
    if not csv_file.records:
        problems.add(None, None, "has a header but no rows of data.")
    problems.raise_if_any()
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def _measure(
    problems: ProblemCollector, line: int, text: str, measures: dict[str, str]
) -> str | None:
    if not text:
        problems.add(line, "measure", "is empty; name the measure, e.g. Hate crime.")
        return None
    if _key(text) in measures:
        return measures[_key(text)]
    choices = list(MEASURES)
    problems.add(
        line,
        "measure",
        f"'{quoted(text)}' is not a breakdown measure.{suggestion(text, choices)} "
        f"Known: {', '.join(choices)}.",
    )
    return None


def _area(
    problems: ProblemCollector, line: int, text: str, measure: str | None
) -> tuple[str, str] | None:
    text = " ".join(text.split())
    if measure == PREVENT_NATIONAL:
        if text.casefold() in _NATIONAL_NAMES:
            return ("", NATIONAL)
        problems.add(
            line,
            "area",
            f"'{quoted(text)}' is not national: national Prevent referrals are for England "
            "and Wales; write National.",
        )
        return None
    borough = find_borough(text)
    if borough is None:
        problems.add(
            line,
            "area",
            f"'{quoted(text)}' is not a London borough name or ONS code.{suggestion(text)}"
            if text
            else "is empty; give the borough, e.g. Barnet.",
        )
        return None
    return (borough.code, borough.name)


def _category(problems: ProblemCollector, line: int, text: str, measure: str | None) -> str | None:
    if not text:
        problems.add(line, "category", "is empty; name the category, e.g. Total.")
        return None
    if measure is None:
        return None
    if len(text) > MAX_CATEGORY:
        problems.add(
            line, "category", f"is longer than {MAX_CATEGORY} characters; shorten the name."
        )
        return None
    category = category_of(measure, text)
    if category is not None:
        return category
    if measure == CCTV_HOUR:
        problems.add(
            line,
            "category",
            f"'{quoted(text)}' is not an hour of the day; write the hour the incident began, "
            "00 to 23 (e.g. 14 for 14:00 to 14:59).",
        )
        return None
    choices = list(MEASURES[measure] or ())
    problems.add(
        line,
        "category",
        f"'{quoted(text)}' is not a category of {measure}.{suggestion(text, choices)} "
        f"Known: {', '.join(choices)}.",
    )
    return None


def _value(problems: ProblemCollector, line: int, text: str) -> int | None:
    if not text:
        problems.add(line, "value", "is empty; write 0 for none.")
        return None
    try:
        number = float(text)
    except ValueError:
        problems.add(line, "value", f"'{quoted(text)}' is not a number.")
        return None
    if not math.isfinite(number) or number < 0 or number != int(number):
        problems.add(
            line,
            "value",
            f"{quoted(text)} is not a count: values must be whole numbers, 0 or more.",
        )
        return None
    if number > MAX_VALUE:
        problems.add(
            line,
            "value",
            f"{quoted(text)} is more than any area records in a month (at most {MAX_VALUE:,}); "
            "check the figure.",
        )
        return None
    return int(number)


def read_breakdowns_files(
    paths: Iterable[str | Path], *, not_after: Month | None = None
) -> pa.Table:
    """Read several breakdowns files as one. A figure given in two files is an error."""
    parts: list[pa.Table] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            parts.append(read_breakdowns_file(path, not_after=not_after))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    table = pa.concat_tables(parts) if parts else SCHEMA.empty_table()
    problems = in_two_files(table, ["measure", "category"], "category")
    if problems:
        raise InputError(problems)
    return table
