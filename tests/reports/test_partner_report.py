"""The partner board-pack sections: tables, charts with their data, sentences, the notes."""

from __future__ import annotations

from pathlib import Path

from tests.measures.partner_rows import breakdowns

from saferhub.measures.partner import partner_figures
from saferhub.reports.document import Chart, Table
from saferhub.reports.partner import HATE_NOTE_MORE, partner_sections
from saferhub.rules.periods import Month
from saferhub.sources.partner_breakdowns import read_breakdowns_file

FIXTURES = Path(__file__).parents[1] / "measures" / "fixtures"


def test_cctv_section_says_the_seed_figures_in_words():
    table = read_breakdowns_file(FIXTURES / "cctv_by_ward_jun_sep_2023.csv")
    [section] = partner_sections(partner_figures(table, area="Barnet", to=Month(2023, 9), months=4))
    assert section.title == "CCTV recorded incidents"
    assert section.paragraphs[0] == (
        "314 incidents were recorded by CCTV in Barnet in the 4 months to September 2023 "
        "(June 2023 to September 2023)."
    )
    assert section.paragraphs[1] == (
        "The most were in Edgware (51, 16%), followed by Finchley Church End (40, 13%) and "
        "Burnt Oak (39, 12%)."
    )
    [wards] = section.blocks
    assert isinstance(wards, Table)
    assert wards.rows[-1] == ["Total", 314, 100.0]
    assert wards.number_formats == {"Incidents": "int", "% of incidents": "pct1"}


def test_every_section_builds_with_charts_that_carry_their_data():
    rows = [("Barnet", "2023-09", "CCTV incidents by incident type", "Robbery", 8)]
    rows += [("Barnet", "2023-09", "CCTV incidents by hour", f"{h:02d}", h) for h in range(24)]
    rows += [
        ("Barnet", m, "Prevent referrals", c, v)
        for m, values in (("2022-08", (10, 6)), ("2023-08", (12, 9)))
        for c, v in zip(("Total", "Under 18"), values, strict=True)
    ]
    rows += [("England and Wales", "2023-08", "Prevent referrals national", "Total", 500)]
    rows += [("England and Wales", "2023-08", "Prevent referrals national", "Under 18", 300)]
    rows += [
        ("Barnet", "2023-09", "Hate crime", c, v)
        for c, v in (("All hate crime", 10), ("Racist or religious", 8), ("Antisemitic", 5))
    ]
    rows += [("Barnet", "2023-09", "ASB tools and powers", "PSPO fixed penalty", 14)]
    sections = partner_sections(
        partner_figures(breakdowns(*rows), area="Barnet", to=Month(2023, 9), months=3)
    )
    assert [s.title for s in sections] == [
        "CCTV recorded incidents",
        "Prevent referrals",
        "Hate crime",
        "ASB tools and powers",
    ]
    cctv, prevent, hate, tools = sections
    charts = [b for s in sections for b in s.blocks if isinstance(b, Chart)]
    assert len(charts) == 3 and all(c.table.rows for c in charts)
    assert cctv.paragraphs[-1] == (
        "The quietest time of day was 00:00 to 03:59 (6, 2%); the busiest time of day was "
        "20:00 to 23:59 (86, 31%)."
    )
    assert prevent.paragraphs[0] == (
        "There were 12 Prevent referrals in Barnet in 2023/24 Q1 and Q2 (April 2023 to "
        "September 2023), against 10 in 2022/23 Q1 and Q2: an increase of 20.0%."
    )
    national = next(b for b in prevent.blocks if isinstance(b, Table) and "nationally" in b.title)
    # 9 of 12 = 75% locally, 300 of 500 = 60% nationally: 15 points.
    assert national.rows == [["Under 18", 75.0, 60.0, 15.0]]
    assert "no red, amber or green status" in prevent.paragraphs[-1]
    [strands] = hate.blocks
    assert HATE_NOTE_MORE in strands.notes
    assert HATE_NOTE_MORE == (
        "One crime can be flagged under more than one strand, so the strands add up to more "
        "than the total."
    )
    assert tools.paragraphs == (
        "The tools and powers used most in the 3 months to September 2023 were PSPO fixed "
        "penalty (14).",
    )
