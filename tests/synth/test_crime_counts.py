"""Synthetic MPS-format crime counts: the real format, calibrated, deterministic."""

from __future__ import annotations

import csv

import pytest

from saferhub.measures.catalogue import default_catalogue
from saferhub.rules.periods import Month, Window
from saferhub.sources.mps import read_mps_file
from saferhub.sources.population import read_population
from saferhub.sources.series import read_series_file
from saferhub.synth.crime_counts import generate
from saferhub.synth.world import World


@pytest.fixture(scope="module")
def extracts():
    return generate(World(seed=11))


@pytest.fixture(scope="module")
def files(extracts, tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth")
    for name, rows in extracts.items():
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return folder


def test_the_same_seed_gives_the_same_files_and_another_seed_does_not(extracts):
    assert generate(World(seed=11)) == extracts
    assert generate(World(seed=12))["mps_borough_crime.csv"] != extracts["mps_borough_crime.csv"]


def test_the_crime_file_is_the_real_wide_format_and_reads_cleanly(extracts, files):
    header = list(extracts["mps_borough_crime.csv"][0])
    assert header[:3] == ["MajorText", "MinorText", "LookUp_BoroughName"]
    assert header[3] == "201710" and header[-1] == "202309"  # six years to the world's as_of
    release = read_mps_file(files / "mps_borough_crime.csv")
    assert release.level == "borough" and len(release.months) == 72
    areas = set(release.table["area_name"].to_pylist())
    assert len(areas) == 33 and "London Heathrow and London City Airports" in areas


def test_the_population_and_partner_files_read_cleanly(files):
    population = read_population(files / "borough_population.csv")
    assert population.of("Barnet") == (390_000.0, 151_000.0)
    series = read_series_file(
        files / "partner_measures.csv", known_measures=default_catalogue().series_names
    )
    assert series.measures == set(default_catalogue().series_names)


def _monthly(extracts, borough, minor):
    row = next(
        r
        for r in extracts["mps_borough_crime.csv"]
        if r["LookUp_BoroughName"] == borough and r["MinorText"] == minor
    )
    return {Month(int(k[:4]), int(k[4:])): v for k, v in row.items() if k.isdigit()}


def test_burglary_is_higher_in_the_dark_months_across_london(extracts):
    winter = summer = 0
    for row in extracts["mps_borough_crime.csv"]:
        if row["MinorText"] != "Domestic Burglary":
            continue
        for key, value in row.items():
            if key.isdigit():
                winter += value if key[4:] in ("11", "12", "01") else 0
                summer += value if key[4:] in ("06", "07", "08") else 0
    assert winter > 1.1 * summer


@pytest.mark.parametrize(
    ("minor", "published"),
    [
        ("Domestic Burglary", 1936),  # seed 004 line 312
        ("Burglary Business and Community", 652),  # seed 004 line 338
        ("Robbery of Personal Property", 770),  # seed 004 line 367
        ("Violence with Injury", 2363),  # seed 004 line 396
    ],
)
def test_the_partnership_borough_is_calibrated_to_its_published_volumes(extracts, minor, published):
    counts = _monthly(extracts, "Barnet", minor)
    year = sum(counts[m] for m in Window.ending(Month(2023, 9), 12).months)
    assert year == pytest.approx(published, rel=0.2)


def test_months_vary_more_than_pure_chance_like_real_crime(extracts):
    counts = _monthly(extracts, "Barnet", "Violence with Injury")
    values = [counts[m] for m in Window.ending(Month(2023, 9), 36).months]
    mean = sum(values) / len(values)
    variance = sum((v - mean) ** 2 for v in values) / (len(values) - 1)
    assert variance > 1.5 * mean  # over-dispersed: a Poisson count would give about 1
