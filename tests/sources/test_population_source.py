"""Reading GLA borough population and household estimates, and every error."""

from __future__ import annotations

import csv

import pytest
from tests.measures.crime_files import write_csv, write_population

from saferhub.errors import InputError
from saferhub.sources.population import read_population


def rows_of(path):
    with path.open(encoding="utf-8") as handle:
        return list(csv.reader(handle))


def rewrite(path, edit):
    rows = rows_of(path)
    edit(rows)
    return write_csv(path, rows[0], rows[1:])


def test_a_population_file_gives_residents_and_households_per_borough(tmp_path):
    population = read_population(write_population(tmp_path / "population.csv"))
    assert population.year == 2017
    assert population.table.num_rows == 32  # the City of London is read and left out
    assert population.of("Barnet") == (300_000.0, 120_000.0)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        pytest.param(
            lambda rows: rows[0].__setitem__(2, "Population"),
            "population.csv, row 1, column 'GLA_Population_Estimate_<year>': the column "
            "'GLA_Population_Estimate_<year>' is missing",
            id="renamed-column",
        ),
        pytest.param(
            lambda rows: rows[3].__setitem__(2, "lots"),
            "population.csv, row 4, column 'GLA_Population_Estimate_2017': 'lots' is not a number",
            id="non-numeric",
        ),
        pytest.param(
            lambda rows: rows[3].__setitem__(3, "0"),
            "population.csv, row 4, column 'GLA_Household_Estimate_2017': 0 is not a positive number",
            id="zero-households",
        ),
        pytest.param(
            lambda rows: rows[3].__setitem__(1, "Brent"),
            "population.csv, row 4, column 'Area_name': 'Brent' does not match code E09000003, "
            "which is Barnet",
            id="name-and-code-disagree",
        ),
        pytest.param(
            lambda rows: rows.append(list(rows[3])),
            "population.csv, row 35, column 'Code': E09000003 repeats line 4",
            id="duplicated-area",
        ),
        pytest.param(
            lambda rows: rows.pop(3),
            "population.csv, column 'Code': has no row for Barnet (E09000003)",
            id="missing-borough",
        ),
        pytest.param(
            lambda rows: rows.append(["E09000099", "Atlantis", "1", "1"]),
            "population.csv, row 35, column 'Code': E09000099 is not a London borough code",
            id="unknown-area",
        ),
        pytest.param(
            lambda rows: rows[0].__setitem__(3, "GLA_Household_Estimate_2019"),
            "the population and household estimates are for different years (2017 and 2019)",
            id="mixed-years",
        ),
    ],
)
def test_a_bad_population_file_is_refused_naming_row_and_column(tmp_path, edit, expected):
    path = rewrite(write_population(tmp_path / "population.csv"), edit)
    with pytest.raises(InputError) as excinfo:
        read_population(path)
    assert expected in str(excinfo.value)
    assert "nothing was imported" in str(excinfo.value)


@pytest.mark.golden
def test_the_real_gla_file_is_valid(mps_data):
    population = read_population(mps_data / "borough_population_gla2017.csv")
    assert population.of("Barnet") == (389_600.0, 151_423.0)
