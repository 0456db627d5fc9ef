"""The crime dashboard measures on small hand-built files, and ranks against pandas."""

from __future__ import annotations

import csv

import pandas as pd
import pytest
from tests.measures.crime_files import (
    DOMESTIC,
    ROBBERY,
    VWI,
    flat,
    load,
    write_mps,
    write_population,
    write_series,
)

from saferhub.errors import ConfigurationError, InputError
from saferhub.measures.catalogue import default_catalogue
from saferhub.measures.crime import default_peer_groups
from saferhub.measures.crime_dashboard import (
    DashboardSettings,
    PeerGroup,
    compute_dashboards,
    crime_dashboard,
)
from saferhub.rules.exceptions import Flag
from saferhub.rules.periods import FinancialQuarter, Month, Window
from saferhub.rules.rag import Assessment, Rag
from saferhub.sources.london import require_borough
from saferhub.synth.crime_counts import generate
from saferhub.synth.world import World

FIRST, LAST = Month(2018, 1), Month(2024, 6)


def volume(month: Month) -> int:
    """A count that differs every month, so a window off by one gives a different sum."""
    return month.index % 17 + 3


@pytest.fixture
def files(tmp_path):
    def build(counts=flat(10), first=FIRST, last=LAST, series=None, residents=None, **kw):
        mps = write_mps(tmp_path / "mps.csv", first, last, counts, **kw)
        population = write_population(tmp_path / "population.csv", residents)
        partner = [write_series(tmp_path / "partner.csv", series)] if series else None
        return load([mps], population, partner)

    return build


def result_for(data, key, end, area="Barnet", recent_months=3):
    dashboard = crime_dashboard(data, area, end, DashboardSettings(recent_months=recent_months))
    return {r.measure.key: r for r in dashboard.results}[key]


def test_recent_months_compare_with_the_same_months_a_year_earlier(files):
    data = files(lambda area, category, month: volume(month))
    result = result_for(data, "residential_burglary", Month(2023, 9), recent_months=4)
    recent = Window(Month(2023, 6), Month(2023, 9))
    assert result.recent.volume == sum(volume(m) for m in recent.months)
    assert result.recent.previous == sum(volume(m) for m in recent.year_earlier.months)
    rolling = Window(Month(2022, 10), Month(2023, 9))
    assert result.rolling.volume == sum(volume(m) for m in rolling.months)
    assert result.rolling.previous == sum(
        volume(m) for m in Window(Month(2021, 10), Month(2022, 9)).months
    )


def test_a_recent_period_across_the_year_boundary(files):
    data = files(lambda area, category, month: volume(month))
    result = result_for(data, "robbery_personal_property", Month(2024, 2))
    assert result.recent.window == Window(Month(2023, 12), Month(2024, 2))
    assert result.recent.volume == volume(Month(2023, 12)) + volume(Month(2024, 1)) + volume(
        Month(2024, 2)
    )
    assert result.recent.previous == volume(Month(2022, 12)) + volume(Month(2023, 1)) + volume(
        Month(2023, 2)
    )


@pytest.mark.parametrize("quarter", ["2023/24 Q2", "2023/24 Q4", "2023/24 Q1"])
def test_three_recent_months_ending_a_quarter_are_that_financial_quarter(files, quarter):
    data = files(lambda area, category, month: volume(month))
    fq = FinancialQuarter.parse(quarter)
    result = result_for(data, "violence_with_injury", fq.window.last)
    assert result.recent.window == fq.window
    assert result.recent.volume == sum(volume(m) for m in fq.window.months)
    assert result.recent.previous == sum(volume(m) for m in (fq + -4).window.months)


def test_a_zero_base_gives_no_percentage_change_but_still_a_direction(files):
    def counts(area, category, month):
        return 0 if month < Month(2023, 1) else 4

    result = result_for(files(counts), "residential_burglary", Month(2023, 12))
    assert (result.rolling.volume, result.rolling.previous) == (48, 0)
    assert result.rolling.change is None
    assert result.indicators[0].assessment is Assessment.NEGATIVE
    assert result.rag is Rag.RED


def test_an_area_without_rows_for_a_category_counts_zero(files):
    data = files(flat(5), categories=[DOMESTIC, ROBBERY])  # no violence rows at all
    result = result_for(data, "violence_with_injury", Month(2023, 9))
    assert (result.recent.volume, result.rolling.volume) == (0, 0)


def test_a_month_missing_from_the_mps_files_stops_the_dashboard(tmp_path):
    early = write_mps(tmp_path / "early.csv", Month(2019, 1), Month(2022, 12), flat(3))
    late = write_mps(tmp_path / "late.csv", Month(2023, 2), Month(2023, 12), flat(3))
    data = load([early, late], write_population(tmp_path / "population.csv"))
    with pytest.raises(InputError) as excinfo:
        crime_dashboard(data, "Barnet", Month(2023, 9))
    message = str(excinfo.value)
    assert "early.csv, late.csv" in message
    assert "with no data for January 2023" in message
    assert "1 are missing (January 2023)" in message
    assert "choose an earlier --to month" in message


def test_a_dashboard_beyond_the_data_is_refused(files):
    data = files(last=Month(2023, 6))
    with pytest.raises(
        InputError,
        match=r"cover January 2018 to June 2023 by borough; a dashboard "
        r"to September 2023 needs every month from October 2021",
    ):
        crime_dashboard(data, "Barnet", Month(2023, 9))


def test_a_missing_month_in_a_partner_series_leaves_that_window_without_a_figure(files):
    months = Window(Month(2021, 1), Month(2023, 9)).months
    rows = [("Barnet", m.key, "ASB calls", 100) for m in months if m != Month(2023, 8)]
    data = files(series=rows)
    result = result_for(data, "asb_calls", Month(2023, 9))
    assert result.recent.volume is None and result.rolling.volume is None
    assert result.recent.previous == 300 and result.rolling.previous == 1200
    assert result.rag is None  # no indicator is known


def test_partner_measures_without_data_are_listed_as_not_reported(files):
    dashboard = crime_dashboard(files(), "Barnet", Month(2023, 9))
    missing = {m.key: why for m, why in dashboard.not_reported}
    assert missing["knife_crime_with_injury"] == "no partner series file was given"
    assert "residential_burglary" not in missing


def test_mixed_indicators_make_the_measure_amber(files):
    # Rolling 12 months up (more crime: negative), recent 3 months down (positive).
    def counts(area, category, month):
        if Month(2023, 7) <= month <= Month(2023, 9):
            return 5
        return 20 if Month(2022, 10) <= month else 10

    result = result_for(files(counts), "residential_burglary", Month(2023, 9))
    assert [i.assessment for i in result.indicators] == [Assessment.NEGATIVE, Assessment.POSITIVE]
    assert result.rag is Rag.AMBER


def test_measures_without_polarity_get_no_rag(files):
    months = Window(Month(2021, 1), Month(2023, 9)).months
    rows = [("Barnet", m.key, "Prevent referrals", 4 + m.index % 3) for m in months]
    result = result_for(files(series=rows), "prevent_referrals", Month(2023, 9))
    assert result.rag is None and result.recent.volume is not None


def test_an_unusually_high_month_is_flagged(files):
    season = (12, 10, 10, 9, 9, 8, 8, 9, 10, 11, 12, 12)

    def counts(area, category, month):
        if area == "Barnet" and category == VWI and month == Month(2023, 8):
            return 300
        return season[month.month - 1] * 10 + (month.index % 2) * 3

    result = result_for(files(counts), "violence_with_injury", Month(2023, 9))
    flags = {c.month: c.flag for c in result.exceptions}
    assert flags == {Month(2023, 7): None, Month(2023, 8): Flag.HIGH, Month(2023, 9): None}


def test_rates_are_per_thousand_residents_or_households(files):
    data = files(flat(10), residents=lambda name: 200_000.0)
    dashboard = crime_dashboard(data, "Barnet", Month(2023, 9))
    results = {r.measure.key: r for r in dashboard.results}
    assert results["robbery_personal_property"].rate == pytest.approx(120 / 200_000 * 1000)
    # Residential burglary is per household: 200,000 residents / 2.5 = 80,000 households.
    assert results["residential_burglary"].rate == pytest.approx(120 / 80_000 * 1000)


def test_equal_rates_share_the_better_rank(files):
    dashboard = crime_dashboard(files(flat(10)), "Barnet", Month(2023, 9))
    assert {str(r.london_rank) for r in dashboard.results} == {"1/32"}


def test_ranks_leave_out_units_that_are_not_boroughs(files):
    areas = [*_boroughs(), "London Heathrow and London City Airports"]

    def counts(area, category, month):
        return 1000 if area.startswith("London Heathrow") else _borough_level(area)

    data = files(counts, areas=areas)
    results = compute_dashboards(
        data, default_catalogue(), [Month(2023, 9)], DashboardSettings(), default_peer_groups()
    )
    airport = results[
        ("robbery_personal_property", "London Heathrow and London City Airports", Month(2023, 9))
    ]
    assert airport.london_rank is None and airport.rate is None
    ranks = sorted(
        r.london_rank.position
        for (key, _, _), r in results.items()
        if key == "robbery_personal_property" and r.london_rank
    )
    assert ranks == list(range(1, 33))


def test_a_custom_peer_group_ranks_within_it_and_always_includes_the_borough(files):
    data = files(lambda area, category, month: _borough_level(area))
    group = PeerGroup.parse("Camden, Sutton", require_borough("Barnet"))
    assert group.members == ("Barnet", "Camden", "Sutton")
    dashboard = crime_dashboard(
        data, "Barnet", Month(2023, 9), DashboardSettings(), peer_group=group
    )
    levels = sorted(group.members, key=_borough_level)
    assert str(dashboard.results[0].peer_rank) == f"{levels.index('Barnet') + 1}/3"
    assert {r.area for r in dashboard.peer_results["burglary"]} == set(group.members)


def test_the_default_peer_group_is_the_borough_s_bcu():
    assert PeerGroup.of(require_borough("Barnet")) == PeerGroup(
        "North West BCU", ("Barnet", "Brent", "Harrow")
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Barnet,Narnia", "Peer group member 'Narnia' is not one of the 32"),
        (" , ", "lists no boroughs"),
    ],
)
def test_a_bad_peer_group_is_refused(text, message):
    with pytest.raises(ConfigurationError, match=message):
        PeerGroup.parse(text, require_borough("Barnet"))


def test_a_recent_period_longer_than_a_year_is_refused():
    with pytest.raises(ConfigurationError, match="1 to 12 months"):
        DashboardSettings(recent_months=13)


def _boroughs():
    from saferhub.sources.london import borough_names

    return list(borough_names())


def _borough_level(area: str) -> int:
    """A different monthly count for every borough, in no particular order of name."""
    return 5 + (_boroughs().index(area) * 7) % 32


# -- Ranks against an independent pandas computation --------------------------------------


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic")
    for name, rows in generate(World(seed=7)).items():
        with (folder / name).open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return folder


def pandas_ranks(folder, minor: str, per: str, end: Month) -> pd.DataFrame:
    """London rank of the rolling-12-month rate, computed directly with pandas."""
    wide = pd.read_csv(folder / "mps_borough_crime.csv")
    population = pd.read_csv(folder / "borough_population.csv")
    months = [f"{m.year}{m.month:02d}" for m in Window.ending(end, 12).months]
    rows = wide[wide["MinorText"] == minor]
    totals = rows.groupby("LookUp_BoroughName")[months].sum().sum(axis=1).rename("volume")
    column = (
        "GLA_Household_Estimate_2017" if per == "households" else "GLA_Population_Estimate_2017"
    )
    denominators = population.set_index("Area_name")[column]
    frame = totals.to_frame().join(denominators, how="inner")  # only the 32 have estimates
    frame = frame.drop(index="City of London", errors="ignore")
    frame["rate"] = frame["volume"] / frame[column] * 1000
    frame["rank"] = frame["rate"].rank(method="min").astype(int)
    return frame


@pytest.mark.parametrize("end", [Month(2022, 12), Month(2023, 9)])
@pytest.mark.parametrize(
    ("key", "minor", "per"),
    [
        ("residential_burglary", "Domestic Burglary", "households"),
        ("robbery_personal_property", "Robbery of Personal Property", "population"),
    ],
)
def test_london_ranks_agree_with_pandas_for_several_boroughs(synthetic, end, key, minor, per):
    data = load(
        [synthetic / "mps_borough_crime.csv"],
        synthetic / "borough_population.csv",
        [synthetic / "partner_measures.csv"],
    )
    expected = pandas_ranks(synthetic, minor, per, end)
    results = compute_dashboards(
        data, default_catalogue(), [end], DashboardSettings(), default_peer_groups()
    )
    for borough in ("Barnet", "Camden", "Sutton", "Westminster"):
        result = results[(key, borough, end)]
        assert result.rolling.volume == expected.loc[borough, "volume"]
        assert result.rate == pytest.approx(expected.loc[borough, "rate"])
        assert result.london_rank.position == expected.loc[borough, "rank"]
        assert result.london_rank.of == 32
