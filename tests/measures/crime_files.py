"""Small crime, population and series files for tests, written in the real formats."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path

from saferhub.measures.crime import CrimeData
from saferhub.rules.periods import Month, month_range
from saferhub.sources.london import borough_names, london_boroughs
from saferhub.sources.mps import read_mps_files
from saferhub.sources.population import read_population
from saferhub.sources.series import read_series_files

DOMESTIC = ("Burglary", "Domestic Burglary")
BUSINESS = ("Burglary", "Burglary Business and Community")
ROBBERY = ("Robbery", "Robbery of Personal Property")
VWI = ("Violence Against the Person", "Violence with Injury")
CATEGORIES = (DOMESTIC, BUSINESS, ROBBERY, VWI)

CountFn = Callable[[str, tuple[str, str], Month], int]


def write_csv(path: Path, header: list[str], rows: Iterable[list[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def month_heading(month: Month) -> str:
    return f"{month.year}{month.month:02d}"


def write_mps(
    path: Path,
    first: Month,
    last: Month,
    counts: CountFn,
    areas: Iterable[str] | None = None,
    categories: Iterable[tuple[str, str]] = CATEGORIES,
) -> Path:
    """A borough-level MPS wide file: one row per category and area, one column per month."""
    months = month_range(first, last)
    names = list(areas) if areas is not None else [b.name for b in london_boroughs()]
    rows = [
        [major, minor, area, *(counts(area, (major, minor), m) for m in months)]
        for area in names
        for major, minor in categories
    ]
    header = ["MajorText", "MinorText", "LookUp_BoroughName", *map(month_heading, months)]
    return write_csv(path, header, rows)


def write_population(
    path: Path, residents: Callable[[str], float] | None = None, households_per: float = 2.5
) -> Path:
    """A GLA-format population file for the 32 boroughs and the City of London."""
    residents = residents or (lambda name: 300_000.0)
    rows = [["E09000001", "City of London", 8800.0, 5326.0]]
    rows += [
        [b.code, b.name, residents(b.name), residents(b.name) / households_per]
        for b in london_boroughs()
    ]
    header = ["Code", "Area_name", "GLA_Population_Estimate_2017", "GLA_Household_Estimate_2017"]
    return write_csv(path, header, rows)


def write_series(path: Path, rows: Iterable[tuple[str, str, str, object]]) -> Path:
    return write_csv(path, ["area", "period", "measure", "value"], [list(r) for r in rows])


def load(mps: list[Path], population: Path, series: list[Path] | None = None) -> CrimeData:
    from saferhub.measures.catalogue import default_catalogue

    partner = None
    if series:
        partner = read_series_files(series, known_measures=default_catalogue().series_names)
    return CrimeData.from_sources(read_mps_files(mps), read_population(population), partner)


def varied(area: str, category: tuple[str, str], month: Month) -> int:
    """A count that differs by borough, category and month, so a wrong pick shows."""
    return 20 + (borough_names().index(area) * 3 + len(category[1]) + month.index) % 37


def window_sum(area: str, window, category: tuple[str, str] = DOMESTIC) -> int:
    """What `varied` adds up to over a window: the figure a dashboard should show."""
    return sum(varied(area, category, m) for m in window.months)


def flat(value: int) -> CountFn:
    return lambda area, category, month: value
