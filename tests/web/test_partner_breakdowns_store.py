"""Partner breakdowns stored in the app's database and read back for the board pack."""

from __future__ import annotations

from pathlib import Path

import pytest

from saferhub.app.partner import board_sections, load_breakdowns, stored_breakdowns
from saferhub.errors import InputError
from saferhub.rules.disclosure import Audience
from saferhub.rules.periods import Month
from saferhub.sources.partner_breakdowns import COLUMNS
from saferhub.web.audit.models import AuditEvent
from saferhub.web.insights.breakdowns import store_breakdowns
from saferhub.web.insights.models import BreakdownValue
from tests.measures.crime_files import write_csv

FIXTURE = Path(__file__).parents[1] / "measures" / "fixtures" / "cctv_by_ward_jun_sep_2023.csv"


def test_board_sections_from_a_file_without_the_database():
    sections = board_sections(
        area="Barnet",
        to=Month(2023, 9),
        months=4,
        audience=Audience.PARTNERSHIP,
        breakdowns=load_breakdowns([FIXTURE]),
    )
    assert [s.title for s in sections] == ["CCTV recorded incidents"]
    assert sections[0].paragraphs[1].startswith("The most were in Edgware (51, 16%)")


def test_load_breakdowns_refuses_a_bad_file_naming_it(tmp_path):
    bad = write_csv(tmp_path / "bad.csv", COLUMNS, [["Barnet", "2023-09", "Hate crime", "x", 1]])
    with pytest.raises(InputError, match=r"bad\.csv, row 2, column 'category'"):
        load_breakdowns([bad])


@pytest.mark.django_db
def test_stored_breakdowns_give_the_same_sections_and_the_import_is_audited():
    table = load_breakdowns([FIXTURE])
    assert store_breakdowns(table) == table.num_rows
    assert AuditEvent.objects.filter(action="import").count() == 1
    stored = stored_breakdowns()
    assert stored.num_rows == table.num_rows
    assert sorted(stored.to_pylist(), key=str) == sorted(table.to_pylist(), key=str)
    from_db = board_sections(area="Barnet", to=Month(2023, 9), months=4, audience=Audience.PUBLIC)
    from_file = board_sections(
        area="Barnet", to=Month(2023, 9), months=4, audience=Audience.PUBLIC, breakdowns=table
    )
    assert [s.to_dict() for s in from_db] == [s.to_dict() for s in from_file]


@pytest.mark.django_db
def test_a_new_file_replaces_only_the_months_and_measures_it_gives(tmp_path):
    store_breakdowns(load_breakdowns([FIXTURE]))
    fix = write_csv(
        tmp_path / "september.csv",
        COLUMNS,
        [["Barnet", "2023-09", "CCTV incidents by ward", "Edgware", 99]],
    )
    store_breakdowns(load_breakdowns([fix]))
    september = BreakdownValue.objects.filter(month="2023-09-01")
    assert list(september.values_list("category", "value", "file")) == [
        ("Edgware", 99, "september.csv")
    ]
    assert BreakdownValue.objects.filter(month="2023-06-01").count() == 21


@pytest.mark.django_db
def test_without_stored_figures_there_are_no_sections():
    assert stored_breakdowns().num_rows == 0
    assert (
        board_sections(area="Barnet", to=Month(2023, 9), months=3, audience=Audience.PUBLIC) == []
    )


@pytest.mark.django_db
def test_recorded_tool_uses_replace_the_files_tools_from_the_first_recorded_month(tmp_path):
    from datetime import date

    from tests.factories_asb import ToolUseFactory

    rows = [
        ["Barnet", month, "ASB tools and powers", "CPN written warning", 9]
        for month in ("2023-07", "2023-08", "2023-09")
    ]
    store_breakdowns(load_breakdowns([write_csv(tmp_path / "tools.csv", COLUMNS, rows)]))
    for _ in range(3):
        ToolUseFactory(kind="cpn_warning", used_on=date(2023, 8, 12))
    [section] = board_sections(
        area="Barnet", to=Month(2023, 9), months=3, audience=Audience.PARTNERSHIP
    )
    [table] = section.blocks
    warnings = table.columns.index("CPN written warning")
    # July from the file; August as recorded. September is after the last recorded use,
    # so, as on the crime dashboard, it has no figure rather than the file's.
    assert [row[warnings] for row in table.rows] == [9, 3, 12]
    assert "No figures were given for September 2023" in table.notes[0]
