"""Partner breakdown measures, checked against hand-worked figures and seed 004."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.measures.partner_rows import breakdowns

from saferhub.measures.partner import (
    cctv_by_hour_band,
    cctv_by_incident_type,
    cctv_by_ward,
    hate_crime,
    partner_figures,
    prevent_period,
    prevent_referrals,
    tools_and_powers,
)
from saferhub.rules.periods import Month, Window
from saferhub.sources.partner_breakdowns import read_breakdowns_file

FIXTURES = Path(__file__).parent / "fixtures"
JUN_SEP_2023 = Window(Month(2023, 6), Month(2023, 9))


def test_seed_004_cctv_by_ward_line_640():
    """Seed 004 line ~640: 314 CCTV incidents in the 4 months June to September 2023; the
    most in Edgware (51, 16%), then Finchley Church End (40, 13%) and Burnt Oak (39, 12%)."""
    table = read_breakdowns_file(FIXTURES / "cctv_by_ward_jun_sep_2023.csv")
    wards = cctv_by_ward(table, "Barnet", JUN_SEP_2023)
    assert wards.total == 314
    top = wards.largest(3)
    assert [(r.category, r.count, round(r.percent)) for r in top] == [
        ("Edgware", 51, 16),
        ("Finchley Church End", 40, 13),
        ("Burnt Oak", 39, 12),
    ]
    assert wards.months_without == ()
    assert [r.category for r in wards.rows][:3] == ["Barnet Vale", "Burnt Oak", "Childs Hill"]


def test_cctv_breakdowns_sum_the_window_only():
    table = breakdowns(
        ("Barnet", "2023-05", "CCTV incidents by incident type", "Robbery", 100),  # before
        ("Barnet", "2023-08", "CCTV incidents by incident type", "Robbery", 3),
        ("Barnet", "2023-09", "CCTV incidents by incident type", "Robbery", 2),
        ("Barnet", "2023-09", "CCTV incidents by incident type", "Assault", 15),
        ("Brent", "2023-09", "CCTV incidents by incident type", "Assault", 50),  # elsewhere
    )
    types = cctv_by_incident_type(table, "Barnet", Window(Month(2023, 8), Month(2023, 9)))
    # 5 robberies and 15 assaults of 20: 25% and 75%, in the format's order.
    assert [(r.category, r.count, r.percent) for r in types.rows] == [
        ("Assault", 15, 75.0),
        ("Robbery", 5, 25.0),
    ]
    assert types.total == 20
    assert cctv_by_ward(table, "Barnet", JUN_SEP_2023) is None


def test_hours_fall_in_four_hour_bands_and_missing_months_are_named():
    table = breakdowns(
        ("Barnet", "2023-09", "CCTV incidents by hour", "04", 1),
        ("Barnet", "2023-09", "CCTV incidents by hour", "07", 1),
        ("Barnet", "2023-09", "CCTV incidents by hour", "23", 6),
    )
    hours = cctv_by_hour_band(table, "Barnet", Window(Month(2023, 8), Month(2023, 9)))
    assert [(r.category, r.count) for r in hours.rows] == [
        ("00:00 to 03:59", 0),
        ("04:00 to 07:59", 2),
        ("08:00 to 11:59", 0),
        ("12:00 to 15:59", 0),
        ("16:00 to 19:59", 0),
        ("20:00 to 23:59", 6),
    ]
    assert hours.rows[1].percent == 25.0
    assert hours.months_without == (Month(2023, 8),)


@pytest.mark.parametrize(
    ("to", "window", "label"),
    [
        (Month(2023, 9), Window(Month(2023, 4), Month(2023, 9)), "2023/24 Q1 and Q2"),
        (Month(2023, 10), Window(Month(2023, 4), Month(2023, 9)), "2023/24 Q1 and Q2"),
        (Month(2023, 6), Window(Month(2023, 4), Month(2023, 6)), "2023/24 Q1"),
        (Month(2023, 12), Window(Month(2023, 10), Month(2023, 12)), "2023/24 Q3"),
        (Month(2024, 3), Window(Month(2023, 10), Month(2024, 3)), "2023/24 Q3 and Q4"),
    ],
)
def test_prevent_period_is_the_quarter_or_half_year_ending_at_to(to, window, label):
    assert prevent_period(to) == (window, label)


def _prevent_seed_like():
    # Seed 004 line ~728 (Q1 and Q2): 30 referrals in 2022/23 and 32 in 2023/24.
    rows = []
    for month, values in (
        ("2022-05", {"Total": 30, "Under 18": 21, "Male": 23, "Islamist": 11}),
        ("2023-05", {"Total": 32, "Under 18": 26, "Male": 27, "Islamist": 12}),
    ):
        rows += [("Barnet", month, "Prevent referrals", c, v) for c, v in values.items()]
    national = {"Total": 200, "Under 18": 100, "Male": 180, "Islamist": 20}
    rows += [
        ("England and Wales", "2023-06", "Prevent referrals national", c, v)
        for c, v in national.items()
    ]
    return breakdowns(*rows)


def test_prevent_change_and_percentage_points_against_the_national_share():
    prevent = prevent_referrals(_prevent_seed_like(), "Barnet", Month(2023, 9))
    rows = {r.category: r for r in prevent.rows}
    assert prevent.label == "2023/24 Q1 and Q2" and prevent.previous_label == "2022/23 Q1 and Q2"
    # 30 -> 32 is an increase of 2/30 = 6.67% (not the seed's "-6%").
    assert rows["Total"].change_pct == pytest.approx(6.6667, abs=1e-3)
    assert rows["Total"].share_pct is None
    # Under 18: 26 of 32 = 81.25% locally, 100 of 200 = 50% nationally: +31.25 points.
    assert rows["Under 18"].share_pct == pytest.approx(81.25)
    assert rows["Under 18"].national_share_pct == pytest.approx(50.0)
    assert rows["Under 18"].difference_pp == pytest.approx(31.25)
    # Islamist: 12 of 32 = 37.5% vs 10%: +27.5 points; 11 -> 12 is +9.09%.
    assert rows["Islamist"].difference_pp == pytest.approx(27.5)
    assert rows["Islamist"].change_pct == pytest.approx(9.0909, abs=1e-3)
    assert prevent.national == Window(Month(2023, 6), Month(2023, 6))
    assert prevent.months_without  # only one month of each half-year was given


def test_prevent_change_is_na_when_there_were_none_a_year_earlier():
    table = breakdowns(
        ("Barnet", "2022-04", "Prevent referrals", "Total", 0),
        ("Barnet", "2023-04", "Prevent referrals", "Total", 3),
    )
    prevent = prevent_referrals(table, "Barnet", Month(2023, 6))
    assert prevent.total.change_pct is None
    assert prevent.national is None


def test_prevent_national_falls_back_to_the_latest_year_before():
    table = breakdowns(
        ("Barnet", "2023-04", "Prevent referrals", "Total", 4),
        ("Barnet", "2023-04", "Prevent referrals", "Male", 3),
        ("England and Wales", "2022-02", "Prevent referrals national", "Total", 10),
        ("England and Wales", "2022-02", "Prevent referrals national", "Male", 5),
        ("England and Wales", "2021-01", "Prevent referrals national", "Total", 1000),
    )
    prevent = prevent_referrals(table, "Barnet", Month(2023, 6))
    assert prevent.national == Window(Month(2021, 3), Month(2022, 2))
    male = prevent.rows[1]
    assert (male.share_pct, male.national_share_pct, male.difference_pp) == (75.0, 50.0, 25.0)


def test_hate_crime_strands_are_not_summed_into_the_total():
    table = breakdowns(
        ("Barnet", "2022-09", "Hate crime", "All hate crime", 50),
        ("Barnet", "2022-09", "Hate crime", "Racist or religious", 40),
        ("Barnet", "2022-09", "Hate crime", "Antisemitic", 0),
        ("Barnet", "2023-09", "Hate crime", "All hate crime", 60),
        ("Barnet", "2023-09", "Hate crime", "Racist or religious", 45),
        ("Barnet", "2023-09", "Hate crime", "Antisemitic", 20),
    )
    hate = hate_crime(table, "Barnet", Window(Month(2023, 9), Month(2023, 9)))
    assert hate.non_exclusive
    assert (hate.total.previous, hate.total.current, hate.total.change_pct) == (50, 60, 20.0)
    assert [(s.category, s.previous, s.current, s.change_pct) for s in hate.strands] == [
        ("Racist or religious", 40, 45, 12.5),
        ("Antisemitic", 0, 20, None),  # n/a: none a year earlier
    ]
    assert sum(s.current for s in hate.strands) > hate.total.current


def test_tools_and_powers_by_month_seed_004_table():
    """Seed 004 (ASB tools and powers table): June to September 2023."""
    seed = {
        "2023-06": (0, 0, 20, 1, 0, 20, 1),
        "2023-07": (0, 0, 9, 1, 0, 20, 0),
        "2023-08": (0, 0, 13, 0, 0, 29, 0),
        "2023-09": (0, 0, 6, 2, 0, 14, 0),
    }
    tools = ("Injunction", "CBO", "CPN written warning", "CPN", "CPN breached", "PSPO", "PCO")
    from saferhub.sources.partner_breakdowns import TOOLS, category_of

    table = breakdowns(
        *(
            ("Barnet", month, TOOLS, category_of(TOOLS, tool), value)
            for month, values in seed.items()
            for tool, value in zip(tools, values, strict=True)
        )
    )
    result = tools_and_powers(table, "Barnet", JUN_SEP_2023)
    assert result.counts[0] == seed["2023-06"]
    assert result.totals == (0, 0, 48, 4, 0, 83, 1)


def test_partner_figures_gathers_every_measure():
    table = read_breakdowns_file(FIXTURES / "cctv_by_ward_jun_sep_2023.csv")
    figures = partner_figures(table, area="Barnet", to=Month(2023, 9), months=4)
    assert figures.window == JUN_SEP_2023
    assert figures.cctv_by_ward.total == 314
    assert figures.prevent is None and figures.hate_crime is None and figures.tools is None
