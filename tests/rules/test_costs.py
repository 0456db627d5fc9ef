"""Unit costs of crime: one price year, provenance, and figures to be checked."""

from __future__ import annotations

import pytest

from saferhub.errors import ConfigurationError
from saferhub.rules.costs import UnitCost, UnitCostTable
from saferhub.sources.unit_costs import shipped_unit_costs

SOURCE = "Home Office (2018)"


def test_cost_of_offences_avoided_is_count_times_unit_cost():
    table = UnitCostTable.of([UnitCost("robbery_personal", 11320, "2015/16", SOURCE)])
    assert table.cost_of("robbery_personal", 2.5) == pytest.approx(28300)
    assert table.cost_of("drugs", 3) is None


def test_a_table_cannot_mix_price_years():
    with pytest.raises(ConfigurationError, match="mix price years"):
        UnitCostTable.of(
            [UnitCost("arson", 8420, "2015/16", SOURCE), UnitCost("rape", 40000, "2022/23", SOURCE)]
        )


def test_a_group_cannot_have_two_costs():
    with pytest.raises(ConfigurationError, match="two unit costs"):
        UnitCostTable.of([UnitCost("arson", 8420, "2015/16", SOURCE)] * 2)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"pounds": 0}, "above 0"),
        ({"status": "guessed"}, "status"),
        ({"price_year": " "}, "price year"),
        ({"source": ""}, "source"),
    ],
)
def test_a_unit_cost_needs_a_positive_amount_a_status_a_year_and_a_source(kwargs, message):
    values = {
        "offence_group": "arson",
        "pounds": 8420,
        "price_year": "2015/16",
        "source": SOURCE,
    } | kwargs
    with pytest.raises(ConfigurationError, match=message):
        UnitCost(**values)


def test_shipped_table_is_the_home_office_2018_figures_at_2015_16_prices():
    table = shipped_unit_costs()
    assert table.price_year == "2015/16"
    # BRIEF.md, "Cost of crime": confirmed figures
    assert table.unit_cost("violence_with_injury") == 14050
    assert table.unit_cost("robbery_personal") == 11320
    assert table.unit_cost("rape") == 39360
    assert table.unit_cost("other_sexual") == 6520
    assert table.unit_cost("theft_of_vehicle") == 10290
    assert table.unit_cost("theft_from_vehicle") == 870
    assert table.unit_cost("arson") == 8420
    assert table.unit_cost("criminal_damage") == 1350
    assert all("Research Report 99" in source for source in table.sources())


def test_shipped_figures_the_brief_says_to_check_are_marked_to_be_checked():
    checked = shipped_unit_costs().groups_to_be_checked()
    for group in ("burglary_residential", "violence_without_injury", "theft_from_person"):
        assert group in checked
    assert "violence_with_injury" not in checked
