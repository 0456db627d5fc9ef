"""Golden tests: the crime measures on the real MPS files reproduce the board's published
Barnet figures (seed 004, the Safer Communities Partnership Board pack of November 2023).

The board's figures came from an earlier extract of the same data, and later releases
revise earlier months, so each must match within 1% (see ../shared/data/mps/README.md).
"""

from __future__ import annotations

import pytest

from saferhub.measures.crime import CrimeData
from saferhub.measures.crime_dashboard import DashboardSettings, crime_dashboard
from saferhub.rules.periods import Month
from saferhub.sources.mps import read_mps_files
from saferhub.sources.population import read_population

pytestmark = pytest.mark.golden

SEED = "004_26486a05828a75d3.txt"


@pytest.fixture(scope="module")
def barnet(mps_data):
    counts = read_mps_files([mps_data / "borough_10_21.csv", mps_data / "borough_21_23.csv"])
    population = read_population(mps_data / "borough_population_gla2017.csv")
    data = CrimeData.from_sources(counts, population)
    dashboard = crime_dashboard(data, "Barnet", Month(2023, 9), DashboardSettings(recent_months=4))
    return {r.measure.key: r for r in dashboard.results}


# (measure, which figure, published value, seed 004 line that publishes it)
PUBLISHED = [
    ("residential_burglary", "recent", 551, 328),
    ("residential_burglary", "recent_previous", 566, 328),
    ("residential_burglary", "rolling", 1936, 312),
    ("residential_burglary", "rolling_previous", 1871, 312),
    ("burglary_business_community", "recent", 197, 354),
    ("burglary_business_community", "recent_previous", 189, 354),
    ("burglary_business_community", "rolling", 652, 338),
    ("burglary_business_community", "rolling_previous", 625, 338),
    ("robbery_personal_property", "recent", 262, 383),
    ("robbery_personal_property", "recent_previous", 193, 383),
    ("violence_with_injury", "recent", 851, 412),
    ("violence_with_injury", "recent_previous", 800, 412),
    ("violence_with_injury", "rolling", 2363, 396),
    ("violence_with_injury", "rolling_previous", 2314, 396),
]


def figure(result, which):
    return {
        "recent": result.recent.volume,
        "recent_previous": result.recent.previous,
        "rolling": result.rolling.volume,
        "rolling_previous": result.rolling.previous,
    }[which]


@pytest.mark.parametrize(
    ("measure", "which", "published", "line"),
    PUBLISHED,
    ids=[f"{m}-{w}-seed004-line{line}" for m, w, _, line in PUBLISHED],
)
def test_barnet_figures_match_seed_004_within_one_percent(barnet, measure, which, published, line):
    ours = figure(barnet[measure], which)
    assert ours == pytest.approx(published, rel=0.01), f"{SEED} line {line}: {published}"


def test_barnet_residential_burglary_changes_have_the_published_direction(barnet):
    # Seed 004 line 328: "a decrease of 2.7%"; line 312: "an increase of 3.5%".
    result = barnet["residential_burglary"]
    assert result.recent.change == pytest.approx(-2.7, abs=0.3)
    assert result.rolling.change == pytest.approx(3.5, abs=0.3)


def test_barnet_violence_with_injury_is_among_the_lowest_rates_in_london(barnet):
    # Seed 003 (line 423) ranked Barnet 3/32 for violence with injury in 2020; it has stayed
    # among the lowest rates, and first of the three North West BCU boroughs.
    result = barnet["violence_with_injury"]
    assert result.london_rank.of == 32 and result.london_rank.position <= 3
    assert str(result.peer_rank) == "1/3"
