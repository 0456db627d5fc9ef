"""The crime dashboard rendered: sentences, the report's layout, JSON and public versions."""

from __future__ import annotations

import json
import re

import pytest
from tests.measures.crime_files import (
    BUSINESS,
    DOMESTIC,
    ROBBERY,
    VWI,
    load,
    write_mps,
    write_population,
    write_series,
)

from saferhub.app import publish
from saferhub.measures.crime_dashboard import DashboardSettings, crime_dashboard
from saferhub.reports.crime import crime_report
from saferhub.reports.crime_json import crime_json
from saferhub.reports.crime_sentences import sentences
from saferhub.reports.document import Chart, Table
from saferhub.rules.disclosure import Audience
from saferhub.rules.periods import Month, Window

END = Month(2023, 9)
RECENT = {Month(2023, 6): 137, Month(2023, 7): 138, Month(2023, 8): 138, Month(2023, 9): 138}
YEAR_BEFORE = {Month(2022, 6): 141, Month(2022, 7): 141, Month(2022, 8): 142, Month(2022, 9): 142}


def counts(area, category, month):
    if area == "Barnet" and category == DOMESTIC:
        return RECENT.get(month) or YEAR_BEFORE.get(month) or 150
    if area == "Barnet" and category == BUSINESS:
        return 1 if month >= Month(2023, 6) else 6  # a small recent count, for public versions
    if category == ROBBERY:
        return 0 if month < Month(2022, 10) else 3 + month.index % 2  # zero base, small counts
    return 20 + len(area) % 7


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crime")
    mps = write_mps(folder / "mps.csv", Month(2018, 1), Month(2023, 11), counts)
    months = Window(Month(2021, 1), END).months
    series = write_series(
        folder / "partner.csv",
        [
            ("Barnet", m.key, "Gun crime lethal barrelled discharged", 1 if m.month == 8 else 0)
            for m in months
        ]
        + [("Barnet", m.key, "Prevent referrals", 5) for m in months],
    )
    data = load([mps], write_population(folder / "population.csv"), [series])
    return crime_dashboard(data, "Barnet", END, DashboardSettings(recent_months=4))


def result(dashboard, key):
    return next(r for r in dashboard.results if r.measure.key == key)


def test_the_recent_sentence_reads_like_seed_004(dashboard):
    # Seed 004 line 328, word for word (the board's figures, rebuilt here by hand).
    assert sentences(result(dashboard, "residential_burglary"), "North West BCU")[0] == (
        "There were 551 cases of Residential Burglary in the 4 months of June 2023 to "
        "September 2023. In the same period 12 months prior there were 566. This is a "
        "decrease of 2.7%."
    )


def test_the_rolling_sentence_names_the_borough_and_the_twelve_months(dashboard):
    rolling = result(dashboard, "residential_burglary").rolling
    text = sentences(result(dashboard, "residential_burglary"), "North West BCU")[1]
    assert text.startswith(
        f"There were {int(rolling.volume):,} cases of Residential Burglary in Barnet in the 12 "
        "months up to September 2023. In the 12 months prior there were "
    )


def test_a_zero_base_sentence_gives_no_percentage(dashboard):
    text = sentences(result(dashboard, "robbery_personal_property"), "North West BCU")[1]
    assert text.endswith(
        "In the 12 months prior there were 0. There is no % change to give, as there were "
        "none in the earlier period."
    )


def test_one_case_is_singular(dashboard):
    text = sentences(result(dashboard, "gun_crime_lethal_barrelled_discharged"), "x")[0]
    assert text.startswith(
        "There was 1 case of Gun Crime Lethal Barrelled Discharged in the 4 months"
    )
    assert "12 months prior there was 1. This is no change." in text


def test_the_rank_sentence_gives_the_rate_and_both_ranks(dashboard):
    text = sentences(result(dashboard, "violence_with_injury"), "North West BCU")[2]
    assert text.startswith("The rate in Barnet over the 12 months to September 2023 was ")
    assert "per 1,000 residents, ranking " in text and "/32 in London and " in text
    assert text.endswith("/3 in the North West BCU (1 is the lowest rate).")


def test_the_report_has_an_overview_then_a_section_per_measure(dashboard):
    report = crime_report(dashboard)
    titles = [s.title for s in report.sections]
    assert titles[:2] == ["At a glance", "Overview dashboard"]
    assert titles[2:4] == ["Burglary", "Residential Burglary"]
    assert titles[-1] == "Method and definitions"
    assert report.title == "Performance dashboard: Barnet"
    assert any("mps.csv: MPS recorded crime by borough" in note for note in report.notes)


def test_the_report_opens_with_what_moved_and_a_tile_per_measure(dashboard):
    glance = crime_report(dashboard).sections[0]
    (tiles,) = glance.blocks
    assert [t.label for t in tiles.tiles] == [r.measure.label for r in dashboard.results]
    burglary = next(t for t in tiles.tiles if t.label == "Residential Burglary")
    result = next(r for r in dashboard.results if r.measure.label == "Residential Burglary")
    assert burglary.value == result.recent.volume and burglary.rag == result.rag.label
    assert any(p.startswith(("Improved in", "Worsened in")) for p in glance.paragraphs)
    assert any("Red" in p for p in glance.paragraphs)


def test_the_overview_follows_seed_003_columns(dashboard):
    figures, factors = crime_report(dashboard).sections[1].blocks
    assert isinstance(figures, Table)
    assert figures.columns[:3] == ["Measure", "RAG", "Volume (Jun 2023 – Sep 2023)"]
    assert figures.columns[-2:] == ["London rank", "North West BCU rank"]
    row = next(r for r in figures.rows if r[0] == "Residential Burglary")
    assert row[2] == 551
    assert row[3] == pytest.approx(-2.65, abs=0.01)
    prevent = next(r for r in figures.rows if r[0] == "Prevent Referrals")
    assert prevent[1] == "Not rated"
    robbery = next(r for r in figures.rows if r[0] == "Robbery of Personal Property")
    assert robbery[5] == "n/a"
    assert factors.columns == [
        "Measure",
        "Positive / negative factors",
        "Jun 2023",
        "Jul 2023",
        "Aug 2023",
        "Sep 2023",
    ]
    residential = next(r for r in factors.rows if r[0] == "Residential Burglary")
    assert "Decrease in last 4 months (positive)" in residential[1]


def test_each_measure_has_a_trend_chart_with_its_data_and_a_peer_comparison(dashboard):
    section = next(s for s in crime_report(dashboard).sections if s.title == "Residential Burglary")
    chart = section.blocks[0]
    assert isinstance(chart, Chart) and chart.svg.startswith("<svg")
    assert chart.table.columns == ["Month", "12 months to Sep 2023", "12 months to Sep 2022"]
    assert [row[0] for row in chart.table.rows][:3] == ["Oct", "Nov", "Dec"]
    assert chart.table.rows[-1][1:] == [138, 142]
    peers = section.blocks[1]
    assert [row[0] for row in peers.rows] == ["Barnet", "Brent", "Harrow"]


def test_json_has_the_documented_shape(dashboard):
    data = json.loads(json.dumps(crime_json(dashboard)))
    assert data["format"] == "saferhub-crime-dashboard" and data["version"] == 1
    assert data["area"] == {"name": "Barnet", "code": "E09000003"}
    assert data["periods"]["recent"] == {
        "first": "2023-06",
        "last": "2023-09",
        "months": 4,
        "label": "June 2023 to September 2023",
    }
    measure = next(m for m in data["measures"] if m["key"] == "residential_burglary")
    assert set(measure) == {
        "key",
        "label",
        "source",
        "polarity",
        "definition",
        "recent",
        "rolling_12",
        "rate",
        "london_rank",
        "peer_rank",
        "rag",
        "exceptions",
        "sentences",
        "suppressed",
    }
    assert measure["recent"]["volume"] == 551 and measure["recent"]["previous"] == 566
    assert measure["recent"]["change_percent"] == pytest.approx(-2.65, abs=0.01)
    assert measure["rate"]["per"] == "per 1,000 households"
    assert measure["london_rank"]["of"] == 32 and measure["peer_rank"]["of"] == 3
    assert measure["rag"]["indicators"][0]["name"] == "rolling_12"
    assert [e["month"] for e in measure["exceptions"]] == [
        "2023-06",
        "2023-07",
        "2023-08",
        "2023-09",
    ]
    assert measure["sentences"][0].startswith("There were 551 cases")
    assert {m["key"] for m in data["not_reported"]} >= {"knife_crime_with_injury"}


def test_a_public_version_hides_small_counts_and_what_gives_them_away(dashboard):
    data = crime_json(publish.crime(dashboard, Audience.PUBLIC))
    measures = {m["key"]: m for m in data["measures"]}
    business = measures["burglary_business_community"]
    assert business["recent"]["volume"] is None and "recent" in business["suppressed"]
    # Burglary = residential + business: residential's recent count is hidden as well.
    assert "recent" in measures["residential_burglary"]["suppressed"]
    assert measures["burglary"]["recent"]["volume"] is not None
    gun = measures["gun_crime_lethal_barrelled_discharged"]
    assert gun["recent"] == {"volume": None, "previous": None, "change_percent": None}
    assert "monthly" in gun["suppressed"]
    assert all(e["count"] is None for e in gun["exceptions"])
    assert "fewer than 5" in gun["sentences"][0]


def test_a_public_report_shows_suppression_markers_and_says_so(dashboard):
    report = crime_report(publish.crime(dashboard, Audience.PUBLIC))
    overview = report.sections[1].blocks[0]
    business = next(r for r in overview.rows if r[0] == "Burglary Business and Community")
    residential = next(r for r in overview.rows if r[0] == "Residential Burglary")
    assert business[2] == "<5" and business[3] == "[c]"
    assert residential[2] == "[c]"
    gun = next(s for s in report.sections if s.title.startswith("Gun Crime"))
    assert not any(isinstance(b, Chart) and "12 months to" in b.title for b in gun.blocks)
    assert any("Public version" in note for note in report.notes)
    # 551 as a figure, not as digits inside a chart's coordinates (y="241.626551").
    assert not re.search(r"(?<![\d.])551(?!\d)", json.dumps(report.to_dict()))


def test_an_unusual_month_is_named_in_its_sentence_and_table(tmp_path):
    season = (12, 10, 10, 9, 9, 8, 8, 9, 10, 11, 12, 12)

    def counts(area, category, month):
        if area == "Barnet" and category == VWI and month == Month(2023, 8):
            return 300
        return season[month.month - 1] * 10 + (month.index % 2) * 3

    mps = write_mps(tmp_path / "mps.csv", Month(2018, 1), Month(2023, 9), counts)
    data = load([mps], write_population(tmp_path / "population.csv"))
    violence = result(crime_dashboard(data, "Barnet", END), "violence_with_injury")
    august = next(c for c in violence.exceptions if c.month == Month(2023, 8))
    text = sentences(violence, "North West BCU")[-1]
    assert text.startswith("August 2023 was unusually high: 300 against an expected ")
    assert text.endswith(f"to {int(august.high):,}.")
    section = next(
        s
        for s in crime_report(crime_dashboard(data, "Barnet", END)).sections
        if s.title == "Violence with Injury"
    )
    checks = section.blocks[-1]
    assert [row[0] for row in checks.rows] == ["July 2023", "August 2023", "September 2023"]
    assert [row[-1] for row in checks.rows] == ["Normal", "High", "Normal"]
