"""A newer MPS release that leaves out a borough or a category never turns it into zero."""

from __future__ import annotations

from tests.measures.crime_files import DOMESTIC, ROBBERY, flat, write_mps, write_population

from saferhub.measures.crime import CrimeData
from saferhub.measures.crime_dashboard import crime_dashboard
from saferhub.reports.crime import crime_report
from saferhub.rules.periods import Month
from saferhub.sources.london import borough_names
from saferhub.sources.mps import read_mps_files
from saferhub.sources.population import read_population

FIRST, LAST = Month(2021, 1), Month(2023, 9)
NEWER_FIRST = Month(2022, 10)  # the newer release overlaps the older one's last year


def _data(tmp_path, older_counts, newer_counts, newer_areas, categories=None):
    kwargs = {"categories": categories} if categories else {}
    older = write_mps(tmp_path / "older.csv", FIRST, LAST, older_counts)
    newer = write_mps(
        tmp_path / "newer.csv", NEWER_FIRST, LAST, newer_counts, areas=newer_areas, **kwargs
    )
    population = read_population(write_population(tmp_path / "population.csv"))
    return CrimeData.from_sources(read_mps_files([older, newer]), population)


def _result(data, area, key):
    dashboard = crime_dashboard(data, area, LAST)
    return {r.measure.key: r for r in dashboard.results}[key], dashboard


def test_a_hackney_only_newer_release_leaves_the_other_boroughs_their_older_figures(tmp_path):
    # Every borough had 10 a month in the older file; Hackney's newer figures are revised to 9.
    data = _data(tmp_path, flat(10), flat(9), ["Hackney"])
    barnet, dashboard = _result(data, "Barnet", "robbery_personal_property")
    assert barnet.rolling.volume == 120  # 12 months of the older file's 10, not zeros
    hackney, _ = _result(data, "Hackney", "robbery_personal_property")
    assert hackney.rolling.volume == 12 * 9
    # Hackney has the lowest rate (9 against 10 a month): 1st, not the 32nd that zeros for
    # every other borough would make it; the 31 others share 2nd.
    assert str(hackney.london_rank) == "1/32"
    assert str(barnet.london_rank) == "2/32"
    note = next(n for n in dashboard.sources if "taken from older.csv" in n)
    assert note == (
        "Every borough except Hackney (borough figures), October 2022 to September 2023: taken "
        "from older.csv, because newer.csv, the newer file for those months, has no rows for "
        "them."
    )
    # The note reaches the board report, in every format (they all render the report).
    assert note in crime_report(dashboard).notes


def test_a_release_without_newham_keeps_newham_s_older_burglary(tmp_path):
    everyone_but_newham = [n for n in borough_names() if n != "Newham"]
    data = _data(tmp_path, flat(10), flat(10), everyone_but_newham)
    newham, dashboard = _result(data, "Newham", "residential_burglary")
    assert newham.rolling.volume == 120
    assert newham.rolling.previous == 120
    assert str(newham.london_rank) == "1/32"  # all equal: everyone shares the best rank
    assert any(
        n.startswith(
            "Newham (borough figures), October 2022 to September 2023: taken from older.csv"
        )
        for n in dashboard.sources
    )


def test_a_category_the_newer_release_dropped_keeps_its_older_figures(tmp_path):
    data = _data(tmp_path, flat(10), flat(12), None, categories=[DOMESTIC])
    robbery, dashboard = _result(data, "Barnet", "robbery_personal_property")
    assert robbery.rolling.volume == 120
    burglary, _ = _result(data, "Barnet", "residential_burglary")
    assert burglary.rolling.volume == 12 * 12  # the newer file's revision wins
    assert any(
        n.startswith(
            f"{ROBBERY[0]} / {ROBBERY[1]} (borough figures), October 2022 to September 2023"
        )
        and "does not have this category" in n
        for n in dashboard.sources
    )


def test_a_borough_no_file_gives_for_a_month_has_no_figure_and_no_rank(tmp_path):
    older = write_mps(tmp_path / "older.csv", FIRST, Month(2023, 6), flat(10))
    newer = write_mps(tmp_path / "newer.csv", Month(2023, 7), LAST, flat(11), areas=["Hackney"])
    population = read_population(write_population(tmp_path / "population.csv"))
    data = CrimeData.from_sources(read_mps_files([older, newer]), population)
    dashboard = crime_dashboard(data, "Barnet", LAST)
    assert all(r.rolling.volume is None for r in dashboard.results if r.measure.source == "mps")
    assert all(r.london_rank is None for r in dashboard.results)
    assert any(
        n.startswith("No file gives Barnet (borough figures) for July 2023 to September 2023")
        for n in dashboard.sources
    )
