"""The crime dashboard's ASB tools-and-powers figures come from uses recorded in SaferHub."""

from __future__ import annotations

from datetime import date

import pytest

from saferhub.app.crime import stored_data
from saferhub.demo import insights as demo
from saferhub.measures.catalogue import default_catalogue
from saferhub.measures.crime import monthly_volume
from saferhub.rules.periods import Month, Window
from tests.factories_asb import ToolUseFactory
from tests.measures.crime_files import varied, write_mps, write_population, write_series

pytestmark = pytest.mark.django_db

FIRST, LAST = Month(2022, 1), Month(2023, 9)


@pytest.fixture
def crime_data(tmp_path):
    write_mps(tmp_path / demo.CRIME, FIRST, LAST, varied)
    write_population(tmp_path / demo.POPULATION)
    rows = [("Barnet", m.key, "ASB calls", 900) for m in Window(FIRST, LAST).months]
    rows += [("Barnet", m.key, "CPN written warning", 77) for m in Window(FIRST, LAST).months]
    write_series(tmp_path / demo.SERIES, rows)
    return demo.load(tmp_path, {})


def _tools_volume(data, month: date) -> float | None:
    table = monthly_volume(data, default_catalogue()).to_pyarrow().to_pylist()
    found = [
        r["volume"]
        for r in table
        if r["measure_key"] == "asb_tools_and_powers"
        and r["area_name"] == "Barnet"
        and r["month"] == month
    ]
    return found[0] if found else None


def test_without_recorded_uses_the_partner_file_supplies_tools_and_powers(crime_data):
    assert _tools_volume(stored_data(), date(2023, 6, 1)) == 77


def test_recorded_uses_replace_the_partner_figures_from_the_first_recorded_month(crime_data):
    for _ in range(3):
        ToolUseFactory(kind="cpn_warning", used_on=date(2023, 6, 12))
    ToolUseFactory(kind="closure", used_on=date(2023, 6, 30))
    ToolUseFactory(kind="cbo", used_on=date(2023, 8, 1))
    data = stored_data()
    assert _tools_volume(data, date(2023, 6, 1)) == 4
    # A month between recorded uses with none counts 0, not the partner file's figure.
    assert _tools_volume(data, date(2023, 7, 1)) == 0
    assert _tools_volume(data, date(2023, 8, 1)) == 1
    # Months before recording began keep the partner file's figures.
    assert _tools_volume(data, date(2023, 5, 1)) == 77
    assert "ASB calls" in data.series_source.measures
