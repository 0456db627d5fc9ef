"""Population per London borough per year (London Datastore) → the denominators of rates by year.

The file is the London Datastore's "Land Area and Population Density, Ward and Borough", as
published: `Code, Name, Year, Source, Population`, then area columns SaferHub does not
use (`Inland_Area _Hectares`, `Total_Area_Hectares`, …). One row per area and year: ONS
mid-year estimates to 2010, GLA projections after. Rows for the City of London
(E09000001) and for London, Inner and Outer London (E12…, E13…) are read and left aside,
as they are not among the 32 boroughs a London rank needs. Every year the file has must
have all 32 boroughs. The file has no households, so household rates keep the GLA
estimates of the `--population` file.

See docs/formats/population.md for the format and every error a user can get.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from saferhub.errors import ProblemCollector, quoted
from saferhub.sources.csvfile import check_columns, read_csv_file
from saferhub.sources.london import find_borough, london_boroughs
from saferhub.sources.population import CITY_OF_LONDON, MAX_POPULATION, positive_estimate

# The estimates start in 1999 and the projections run to 2050; crime data starts in 2008.
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100
REQUIRED = ["Code", "Name", "Year", "Source", "Population"]
_ONS_CODE = re.compile(r"^[EWSN]\d{8}$")
# London (E12000007), Inner and Outer London (E13000001, E13000002) sum the boroughs.
_REGIONS = re.compile(r"^E1[23]\d{6}$")

_FORMAT_HINT = (
    "A population-by-year file has the columns Code, Name, Year, Source and Population "
    "(the London Datastore's land area and population density file), one row per borough "
    "and year."
)

SCHEMA = pa.schema(
    [
        ("area_code", pa.string()),
        ("area_name", pa.string()),
        ("year", pa.int64()),
        ("population", pa.float64()),
        ("source", pa.string()),
    ]
)


@dataclass(frozen=True)
class PopulationByYear:
    """Residents per borough for each year of the file."""

    file: str
    table: pa.Table  # SCHEMA, one row per London borough and year

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(set(self.table["year"].to_pylist())))

    def of(self, borough: str, year: int) -> float:
        """A borough's population in a year, by name; KeyError when the file lacks it."""
        for row in self.table.to_pylist():
            if row["area_name"] == borough and row["year"] == year:
                return row["population"]
        raise KeyError((borough, year))

    def source_of(self, year: int) -> str:
        """What the file says the year's figures are, e.g. 'GLA Population Projections'."""
        sources = {r["source"] for r in self.table.to_pylist() if r["year"] == year}
        return " / ".join(sorted(sources))


def read_population_by_year(path: str | Path, *, name: str | None = None) -> PopulationByYear:
    """Validate a population-by-year file. All or nothing: raises InputError on any problem."""
    csv_file = read_csv_file(path, name)
    problems = ProblemCollector(csv_file.name)
    header = csv_file.header
    positions = check_columns(problems, header, REQUIRED, _FORMAT_HINT)
    problems.raise_if_any()

    rows: dict[tuple[str, int], dict] = {}
    seen: dict[tuple[str, int], int] = {}
    width = len(header)
    for line, values in csv_file.records:
        if len(values) != width:
            problems.add(line, None, f"has {len(values)} values but the header has {width}.")
            continue
        code = values[positions["Code"]].strip().upper()
        area = " ".join(values[positions["Name"]].split())
        year_text = values[positions["Year"]].strip()
        if not _ONS_CODE.match(code):
            problems.add(
                line, "Code", f"'{quoted(code)}' is not an ONS area code (e.g. E09000003)."
            )
            continue
        if not re.fullmatch(r"\d{4}", year_text) or not (
            EARLIEST_YEAR <= int(year_text) <= LATEST_YEAR
        ):
            problems.add(
                line,
                "Year",
                f"'{quoted(year_text)}' is not a year from {EARLIEST_YEAR} to {LATEST_YEAR}; "
                "write it as four digits, e.g. 2023.",
            )
            continue
        year = int(year_text)
        if (code, year) in seen:
            problems.add(
                line,
                "Year",
                f"{code} has a row for {year} already, on line {seen[(code, year)]}; keep one.",
            )
            continue
        seen[(code, year)] = line
        if code == CITY_OF_LONDON or _REGIONS.match(code):
            continue  # London's totals are far above any borough's: not checked as one
        population = positive_estimate(
            problems, line, "Population", values[positions["Population"]], MAX_POPULATION
        )
        borough = find_borough(code)
        if borough is None:
            problems.add(
                line, "Code", f"{code} is not a London borough code (E09000002 to E09000033)."
            )
            continue
        if area.casefold() != borough.name.casefold():
            problems.add(
                line,
                "Name",
                f"'{quoted(area)}' does not match code {code}, which is {borough.name}; "
                "check the row has not been shifted.",
            )
            continue
        if population is not None:
            source = " ".join(values[positions["Source"]].split())
            rows[(borough.code, year)] = {
                "area_code": borough.code,
                "area_name": borough.name,
                "year": year,
                "population": population,
                "source": source[:100],
            }
    years = sorted({year for _, year in seen})
    if not years and not problems.problems:
        problems.add(None, None, "has a header but no rows of data.")
    for year in years:
        for borough in london_boroughs():
            if (borough.code, year) not in seen:
                problems.add(
                    None,
                    "Code",
                    f"has no {year} row for {borough.name} ({borough.code}); every year needs "
                    "all 32 boroughs, because a London rank needs all of their rates.",
                )
    problems.raise_if_any()
    ordered = [rows[(b.code, year)] for year in years for b in london_boroughs()]
    return PopulationByYear(csv_file.name, pa.Table.from_pylist(ordered, schema=SCHEMA))
