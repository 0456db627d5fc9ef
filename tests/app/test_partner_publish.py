"""Publishing partner figures: the public never sees 1 to 4, nor the Prevent breakdown."""

from __future__ import annotations

from pathlib import Path

from saferhub.app import publish
from saferhub.measures.partner import partner_figures
from saferhub.reports.partner import PREVENT_RESTRICTED, partner_sections
from saferhub.rules.disclosure import CONFIDENTIAL, SUPPRESSED, Audience, is_hidden
from saferhub.rules.periods import Month
from tests.measures.partner_rows import breakdowns

FIXTURES = Path(__file__).parents[1] / "measures" / "fixtures"


def _table():
    rows = [
        ("Barnet", "2023-09", "CCTV incidents by ward", "Edgware", 20),
        ("Barnet", "2023-09", "CCTV incidents by ward", "Hendon", 3),
        ("Barnet", "2023-09", "CCTV incidents by ward", "Mill Hill", 9),
        ("Barnet", "2023-09", "CCTV incidents by ward", "Burnt Oak", 12),
        ("Barnet", "2022-09", "Prevent referrals", "Total", 2),
        ("Barnet", "2022-09", "Prevent referrals", "Male", 2),
        ("Barnet", "2023-09", "Prevent referrals", "Total", 9),
        ("Barnet", "2023-09", "Prevent referrals", "Male", 7),
        ("Barnet", "2023-09", "Prevent referrals", "Islamist", 6),
        ("Barnet", "2023-09", "Hate crime", "All hate crime", 40),
        ("Barnet", "2023-09", "Hate crime", "Transgender", 2),
        ("Barnet", "2022-09", "Hate crime", "All hate crime", 30),
        ("Barnet", "2022-09", "Hate crime", "Transgender", 6),
        ("Barnet", "2023-08", "ASB tools and powers", "CPN written warning", 9),
        ("Barnet", "2023-08", "ASB tools and powers", "Community Protection Notice", 1),
        ("Barnet", "2023-09", "ASB tools and powers", "CPN written warning", 6),
        ("Barnet", "2023-09", "ASB tools and powers", "Community Protection Notice", 7),
    ]
    return breakdowns(*rows)


def _figures(audience):
    return publish.partner(
        partner_figures(_table(), area="Barnet", to=Month(2023, 9), months=2), audience
    )


def test_partnership_sees_every_figure():
    figures = _figures(Audience.PARTNERSHIP)
    assert [r.count for r in figures.cctv_by_ward.rows] == [12, 20, 3, 9]
    assert len(figures.prevent.rows) == 3 and not figures.prevent.detail_withheld
    assert figures.tools.totals[:4] == (0, 0, 15, 8)


def test_public_hides_small_counts_with_a_second_cell_and_their_percentages():
    wards = _figures(Audience.PUBLIC).cctv_by_ward
    shown = {r.category: (r.count, r.percent) for r in wards.rows}
    # Hendon's 3 is hidden, and the smallest other ward (Mill Hill, 9) so it cannot be
    # worked out from the total of 44; neither shows a percentage.
    assert shown["Hendon"] == (CONFIDENTIAL, None)
    assert shown["Mill Hill"] == (CONFIDENTIAL, None)
    assert shown["Edgware"][0] == 20 and wards.total == 44


def test_public_never_shows_one_to_four_anywhere():
    figures = _figures(Audience.PUBLIC)
    sections = partner_sections(figures)
    for section in sections:
        for block in section.blocks:
            table = getattr(block, "table", block)
            for row in table.rows:
                for column, cell in zip(table.columns, row[1:], strict=False):
                    if table.number_formats.get(column) == "int" or column == "Incidents":
                        assert not (isinstance(cell, int) and 1 <= cell <= 4), (table.title, row)
    tools = figures.tools
    assert all(not (isinstance(c, int) and 1 <= c <= 4) for row in tools.counts for c in row)
    hate = {s.category: s for s in figures.hate_crime.strands}
    assert hate["Transgender"].current == SUPPRESSED and hate["Transgender"].change_pct is None


def test_public_prevent_is_the_total_only_with_a_plain_sentence():
    figures = _figures(Audience.PUBLIC)
    assert figures.prevent.detail_withheld
    assert [r.category for r in figures.prevent.rows] == ["Total"]
    # 2 a year earlier is hidden, and the change with it.
    assert is_hidden(figures.prevent.total.previous) and figures.prevent.total.change_pct is None
    section = next(s for s in partner_sections(figures) if s.title == "Prevent referrals")
    assert PREVENT_RESTRICTED in section.paragraphs
    text = str(section.to_dict())
    assert "Islamist" not in text and "Male" not in text


def test_a_public_breakdown_whose_total_is_one_to_four_hides_every_count():
    table = breakdowns(
        ("Barnet", "2023-09", "CCTV incidents by ward", "Edgware", 2),
        ("Barnet", "2023-09", "CCTV incidents by ward", "Hendon", 1),
        ("Barnet", "2023-09", "CCTV incidents by ward", "Mill Hill", 0),
    )
    figures = publish.partner(
        partner_figures(table, area="Barnet", to=Month(2023, 9), months=1), Audience.PUBLIC
    )
    wards = figures.cctv_by_ward
    # "[c]", not "<5": with the zero shown, "<5" would narrow the 2 and the 1 (see
    # rules.disclosure.marker_for).
    assert wards.total == CONFIDENTIAL
    assert [r.count for r in wards.rows] == [CONFIDENTIAL, CONFIDENTIAL, 0]
    assert all(r.percent is None for r in wards.rows[:2])


def test_a_public_tool_total_of_one_to_four_is_hidden_with_its_months():
    figures = _figures(Audience.PUBLIC)
    tools = dict(zip(figures.tools.tools, figures.tools.totals, strict=True))
    assert tools["CPN written warning"] == 15
    # The Community Protection Notice's 1 in August is hidden, and with it enough of the
    # table that it cannot be worked out from the tool's total of 8.
    august = dict(zip(figures.tools.tools, figures.tools.counts[0], strict=True))
    assert is_hidden(august["Community Protection Notice"])
    hidden = [c for row in figures.tools.counts for c in row if is_hidden(c)]
    hidden += [c for c in figures.tools.totals if is_hidden(c)]
    assert len(hidden) >= 2


def test_public_names_no_quietest_time_when_a_band_is_hidden():
    # 04:00 to 07:59 has 1 incident (hidden), so it may be the quietest band.
    counts = {h: 0 if 4 <= h <= 7 else 10 for h in range(24)} | {5: 1}
    rows = [
        ("Barnet", "2023-09", "CCTV incidents by hour", f"{h:02d}", n) for h, n in counts.items()
    ]
    figures = publish.partner(
        partner_figures(breakdowns(*rows), area="Barnet", to=Month(2023, 9), months=1),
        Audience.PUBLIC,
    )
    [section] = partner_sections(figures)
    assert section.paragraphs[-1].startswith("The busiest time of day was")
    assert "quietest" not in " ".join(section.paragraphs)
    chart = section.blocks[-1]
    assert any("hidden" in note for note in chart.table.notes)
