"""Rates per resident use the population of their period's year when a by-year file is given."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.measures.crime_files import flat, write_csv, write_mps, write_population

from saferhub.app.crime import write_crime_report
from saferhub.errors import InputError
from saferhub.measures.crime import CrimeData, population_year
from saferhub.measures.crime_dashboard import crime_dashboard
from saferhub.rules.periods import Month
from saferhub.sources.london import london_boroughs
from saferhub.sources.mps import read_mps_files
from saferhub.sources.population import read_population
from saferhub.sources.population_by_year import read_population_by_year

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mps"
GLA_BY_YEAR = SHARED / "borough_population_by_year_gla.csv"
HEADER = ["Code", "Name", "Year", "Source", "Population", "Inland_Area _Hectares"]


def write_by_year(path, population_of):
    rows = [["E12000007", "Greater London", 2022, "GLA Population Projections", 8_900_000, 1]]
    for year in (2022, 2023):
        rows.append(["E09000001", "City of London", year, "GLA Population Projections", 8000, 1])
        rows += [
            [b.code, b.name, year, "GLA Population Projections", population_of(b.name, year), 1]
            for b in london_boroughs()
        ]
    return write_csv(path, HEADER, rows)


@pytest.fixture
def data(tmp_path):
    mps = write_mps(tmp_path / "mps.csv", Month(2019, 1), Month(2023, 12), flat(10))
    # 2017-style estimates: 200,000 residents, 80,000 households everywhere.
    estimates = write_population(tmp_path / "population.csv", lambda name: 200_000.0)
    by_year = write_by_year(
        tmp_path / "by_year.csv", lambda name, year: 240_000 if year == 2022 else 300_000
    )
    return CrimeData.from_sources(
        read_mps_files([mps]),
        read_population(estimates),
        population_by_year=read_population_by_year(by_year),
    )


@pytest.mark.parametrize(
    ("end", "year"),
    [
        (Month(2023, 9), 2023),
        (Month(2023, 6), 2023),
        (Month(2023, 5), 2022),
        (Month(2023, 12), 2023),
    ],
)
def test_the_population_year_is_that_of_the_rolling_year_s_seventh_month(end, year):
    assert population_year(end) == year


def test_a_rate_uses_the_population_of_its_period_s_year(data):
    # 12 months of 10 robberies = 120. To Sep 2023 (year 2023): 120 / 300,000 * 1,000 = 0.4.
    results = {r.measure.key: r for r in crime_dashboard(data, "Barnet", Month(2023, 9)).results}
    assert results["robbery_personal_property"].rate == pytest.approx(0.4)
    # Households have no by-year figure: the estimates file's 80,000 stays (120 / 80 = 1.5).
    assert results["residential_burglary"].rate == pytest.approx(1.5)
    # To May 2023 the 12 months' middle falls in 2022: 120 / 240,000 * 1,000 = 0.5.
    earlier = {r.measure.key: r for r in crime_dashboard(data, "Barnet", Month(2023, 5)).results}
    assert earlier["robbery_personal_property"].rate == pytest.approx(0.5)


def test_the_report_says_which_population_year_the_rates_use(data):
    sources = crime_dashboard(data, "Barnet", Month(2023, 9)).sources
    assert any("over the 12 months to September 2023 use the 2023 population" in s for s in sources)


def test_a_year_the_file_lacks_is_refused_not_guessed(data):
    with pytest.raises(InputError, match=r"by_year.csv.*has no population for 2021"):
        crime_dashboard(data, "Barnet", Month(2022, 3))


def test_without_a_by_year_file_every_rate_uses_the_single_year_estimates(tmp_path):
    mps = write_mps(tmp_path / "mps.csv", Month(2021, 1), Month(2023, 12), flat(10))
    estimates = write_population(tmp_path / "population.csv", lambda name: 200_000.0)
    data = CrimeData.from_sources(read_mps_files([mps]), read_population(estimates))
    dashboard = crime_dashboard(data, "Barnet", Month(2023, 9))
    results = {r.measure.key: r for r in dashboard.results}
    assert results["robbery_personal_property"].rate == pytest.approx(0.6)
    assert any("Every rate uses the 2017 estimates" in s for s in dashboard.sources)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [["E09000003", "Barnet", "23", "x", "1"]],
            r"by_year.csv, row 2, column 'Year': '23' is not a year from 1990 to 2100",
        ),
        (
            [["E09000003", "Barnet", "2023", "x", "lots"]],
            r"row 2, column 'Population': 'lots' is not a number",
        ),
        (
            [["E09000003", "Brent", "2023", "x", "1"]],
            r"row 2, column 'Name': 'Brent' does not match code E09000003, which is Barnet",
        ),
        (
            [["E09000003", "Barnet", "2023", "x", "1"]],
            r"has no 2023 row for Barking and Dagenham \(E09000002\)",
        ),
        (
            [["E09000003", "Barnet", "2023", "x", "1"], ["E09000003", "Barnet", "2023", "x", "1"]],
            r"row 3, column 'Year': E09000003 has a row for 2023 already, on line 2",
        ),
    ],
)
def test_bad_by_year_files_are_refused_naming_row_and_column(tmp_path, rows, message):
    path = write_csv(tmp_path / "by_year.csv", HEADER[:5], rows)
    with pytest.raises(InputError, match=message):
        read_population_by_year(path)


def test_a_missing_column_is_named(tmp_path):
    path = write_csv(tmp_path / "by_year.csv", ["Code", "Name", "Yr", "Source", "Population"], [])
    with pytest.raises(InputError, match=r"the column 'Year' is missing\. The column 'Yr' may"):
        read_population_by_year(path)


@pytest.mark.skipif(not GLA_BY_YEAR.exists(), reason=f"real GLA data not found at {GLA_BY_YEAR}")
def test_the_published_gla_file_gives_barnet_s_population_by_year():
    by_year = read_population_by_year(GLA_BY_YEAR)
    # The README beside the file: Barnet 2017 is 391,446 in this release.
    assert by_year.of("Barnet", 2017) == 391_446
    assert by_year.of("Barnet", 2023) == 418_291
    assert by_year.source_of(2023) == "GLA Population Projections"
    assert by_year.source_of(2005) == "ONS MYE"
    assert by_year.years[0] == 1999 and by_year.years[-1] == 2050


@pytest.mark.skipif(not GLA_BY_YEAR.exists(), reason=f"real GLA data not found at {GLA_BY_YEAR}")
def test_the_crime_report_uses_the_real_file_for_barnet_s_rate(tmp_path):
    mps = write_mps(tmp_path / "mps.csv", Month(2021, 1), Month(2023, 12), flat(10))
    estimates = write_population(tmp_path / "population.csv", lambda name: 200_000.0)
    out = write_crime_report(
        mps=[mps],
        population=estimates,
        population_by_year=GLA_BY_YEAR,
        area="Barnet",
        to="2023-09",
        fmt="json",
        out=tmp_path / "crime.json",
    )
    document = json.loads(out.read_text())
    robbery = next(m for m in document["measures"] if m["key"] == "robbery_personal_property")
    # 120 robberies over the 12 months to Sep 2023, per 1,000 of Barnet's 418,291 in 2023.
    assert robbery["rate"]["value"] == pytest.approx(120 / 418_291 * 1000)
    assert any(
        "use the 2023 population (GLA Population Projections)" in s for s in document["sources"]
    )
