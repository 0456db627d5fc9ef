"""GLA population and household estimates per London borough → the denominators of rates.

The file is the GLA's borough estimates as republished on the London Datastore:
`Code, Area_name, GLA_Population_Estimate_<year>, GLA_Household_Estimate_<year>`, one row
per borough keyed by its ONS code (E09…). The City of London (E09000001) may be present;
it is read and ignored, as it is not in MPS data. Every one of the 32 boroughs must be
there, because a London rank needs all of their rates.

See docs/formats/population.md for the format and every error a user can get.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from saferhub.errors import ProblemCollector, quoted
from saferhub.sources.csvfile import check_columns, read_csv_file
from saferhub.sources.london import find_borough, london_boroughs

CITY_OF_LONDON = "E09000001"
# The biggest borough has about 400,000 residents; far more is a typing error.
MAX_POPULATION = 2_000_000
MAX_HOUSEHOLDS = 1_000_000
_POPULATION = re.compile(r"^GLA_Population_Estimate_(\d{4})$", re.IGNORECASE)
_HOUSEHOLDS = re.compile(r"^GLA_Household_Estimate_(\d{4})$", re.IGNORECASE)
_ONS_CODE = re.compile(r"^[EWSN]\d{8}$")

_FORMAT_HINT = (
    "A population file has the columns Code, Area_name, GLA_Population_Estimate_<year> "
    "and GLA_Household_Estimate_<year>, e.g. GLA_Population_Estimate_2017."
)

SCHEMA = pa.schema(
    [
        ("area_code", pa.string()),
        ("area_name", pa.string()),
        ("population", pa.float64()),
        ("households", pa.float64()),
    ]
)


@dataclass(frozen=True)
class Population:
    """Residents and households per borough, from one estimate year."""

    file: str
    year: int
    table: pa.Table  # SCHEMA, one row per London borough

    def of(self, borough: str) -> tuple[float, float]:
        """(population, households) of a borough by name."""
        names = self.table["area_name"].to_pylist()
        row = names.index(borough)
        return self.table["population"][row].as_py(), self.table["households"][row].as_py()


def read_population(path: str | Path, *, name: str | None = None) -> Population:
    """Validate a GLA borough population file. All or nothing: raises InputError on any problem."""
    csv_file = read_csv_file(path, name)
    problems = ProblemCollector(csv_file.name)
    header = csv_file.header
    population_column = next((c for c in header if _POPULATION.match(c)), None)
    household_column = next((c for c in header if _HOUSEHOLDS.match(c)), None)
    required = [
        "Code",
        "Area_name",
        population_column or "GLA_Population_Estimate_<year>",
        household_column or "GLA_Household_Estimate_<year>",
    ]
    positions = check_columns(problems, header, required, _FORMAT_HINT)
    if population_column and household_column:
        years = {_POPULATION.match(population_column).group(1)}  # type: ignore[union-attr]
        years.add(_HOUSEHOLDS.match(household_column).group(1))  # type: ignore[union-attr]
        if len(years) > 1:
            problems.add(
                1,
                household_column,
                f"the population and household estimates are for different years "
                f"({' and '.join(sorted(years))}); use one year's estimates.",
            )
    problems.raise_if_any()

    rows: dict[str, tuple[str, str, float, float]] = {}
    seen: dict[str, int] = {}
    width = len(header)
    for line, values in csv_file.records:
        if len(values) != width:
            problems.add(line, None, f"has {len(values)} values but the header has {width}.")
            continue
        code = values[positions["Code"]].strip().upper()
        area = " ".join(values[positions["Area_name"]].split())
        if code in seen:
            problems.add(line, "Code", f"{code} repeats line {seen[code]}; keep one row per area.")
            continue
        seen[code] = line
        numbers = [
            positive_estimate(problems, line, column, values[positions[column]], most)
            for column, most in ((required[2], MAX_POPULATION), (required[3], MAX_HOUSEHOLDS))
        ]
        if not _ONS_CODE.match(code):
            problems.add(line, "Code", f"'{code}' is not an ONS area code (e.g. E09000003).")
            continue
        if code == CITY_OF_LONDON:
            continue
        borough = find_borough(code)
        if borough is None:
            problems.add(
                line, "Code", f"{code} is not a London borough code (E09000002 to E09000033)."
            )
            continue
        if area.casefold() != borough.name.casefold():
            problems.add(
                line,
                "Area_name",
                f"'{area}' does not match code {code}, which is {borough.name}; "
                "check the row has not been shifted.",
            )
        if None not in numbers:
            rows[borough.code] = (borough.code, borough.name, numbers[0], numbers[1])  # type: ignore[assignment]
    missing = [b for b in london_boroughs() if b.code not in seen]
    for borough in missing:
        problems.add(
            None,
            "Code",
            f"has no row for {borough.name} ({borough.code}); a London rank needs all 32 boroughs.",
        )
    problems.raise_if_any()
    ordered = [rows[b.code] for b in london_boroughs()]
    table = pa.Table.from_pylist(
        [dict(zip(SCHEMA.names, row, strict=True)) for row in ordered], schema=SCHEMA
    )
    year = int(_POPULATION.match(required[2]).group(1))  # type: ignore[union-attr]
    return Population(csv_file.name, year, table)


def positive_estimate(
    problems: ProblemCollector, line: int, column: str, text: str, most: int
) -> float | None:
    """A positive number of people or homes up to `most`, or None with the problem recorded."""
    cleaned = text.strip().replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        message = "is empty" if not cleaned else f"'{quoted(text.strip())}' is not a number"
        problems.add(line, column, f"{message}; give the estimate as a number, e.g. 389600.")
        return None
    if not math.isfinite(value) or value <= 0:
        problems.add(
            line, column, f"{quoted(text.strip())} is not a positive number of people or homes."
        )
        return None
    if value > most:
        problems.add(
            line,
            column,
            f"{quoted(text.strip())} is more than any London borough has (at most {most:,}); "
            "check the figure.",
        )
        return None
    return value
