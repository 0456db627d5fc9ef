"""The panels' and ASB statistics as report tables: the published values, as published."""

from __future__ import annotations

from datetime import UTC, date, datetime

from saferhub.app.publish import asb as publish_asb
from saferhub.app.publish import panel as publish_panel
from saferhub.measures.asb import AsbTables, quarterly_statistics
from saferhub.measures.panels import CaseRow, panel_statistics
from saferhub.reports.panels import asb_section, panel_report, panel_section
from saferhub.rules.disclosure import Audience
from saferhub.rules.periods import FinancialQuarter

Q3 = FinancialQuarter(2026, 3)


def _stats():
    cases = [
        CaseRow(f"C{i}", "sirm", i, date(2026, 10, 1 + i), heard_date=date(2026, 10, 2 + i))
        for i in range(3)
    ]
    return panel_statistics(
        cases,
        panel="sirm",
        last=Q3,
        quarters=2,
        review_after_days=42,
        as_of=datetime(2027, 1, 5, tzinfo=UTC),
    )


def test_a_panel_section_shows_the_published_values_and_says_how_they_are_counted():
    section = panel_section(publish_panel(_stats(), Audience.PUBLIC), "SIRM", 42)
    table = section.blocks[0]
    assert section.title == "SIRM: quarterly statistics"
    assert table.columns == ["Measure", (Q3 + -1).label, Q3.label]
    referrals = next(row for row in table.rows if row[0] == "Referrals")
    assert 3 not in referrals[1:]  # hidden in the public version
    assert any("within 24 hours" in note for note in table.notes)  # the SIRM's own measure
    assert any("Public version" in note for note in table.notes)
    partnership = panel_report(publish_panel(_stats(), Audience.PARTNERSHIP), 42)
    assert partnership.title == "Partnership version"
    row = next(r for r in partnership.sections[0].blocks[0].rows if r[0] == "Referrals")
    assert row[1:] == [0, 3]


def test_the_asb_section_lists_every_published_row():
    tables = AsbTables.from_rows(
        cases=[{"case_id": str(i), "opened_on": date(2026, 10, 1 + i)} for i in range(6)]
    )
    published = publish_asb(quarterly_statistics(tables, [Q3]), Audience.PUBLIC)
    table = asb_section(published).blocks[0]
    assert [row[0] for row in table.rows] == [row.label for row in published.rows]
    opened = next(row for row in table.rows if row[0] == "ASB cases opened")
    assert opened[1] == 6
