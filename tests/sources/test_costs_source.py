"""A partnership's own unit costs file replaces the shipped table."""

from __future__ import annotations

from importlib import resources

import pytest

from saferhub.errors import InputError
from saferhub.sources.unit_costs import SHIPPED_FILE, read_unit_costs

HEADER = "offence_group,unit_cost_gbp,price_year,source,status,note\n"


def write(tmp_path, body):
    path = tmp_path / "costs.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_partnership_file_is_read_with_its_price_year(tmp_path):
    table = read_unit_costs(
        write(tmp_path, 'burglary_residential,"£7,100",2022/23,Local uprating,,\n')
    )
    assert table.unit_cost("burglary_residential") == 7100
    assert table.price_year == "2022/23"
    assert table.unit_cost("robbery_personal") is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "burglary_residential,abc,2015/16,HO,,\n",
            r"row 2, column 'unit_cost_gbp': 'abc' is not an amount",
        ),
        (
            "burglary,5930,2015/16,HO,,\n",
            r"row 2, column 'offence_group': 'burglary' is not an offence group",
        ),
        (
            "arson,8420,2015/16,HO,,\nrape,39360,2016/17,HO,,\n",
            r"row 3, column 'price_year': the price year 2016/17 differs",
        ),
        (
            "arson,8420,2015/16,HO,,\narson,8420,2015/16,HO,,\n",
            r"row 3, column 'offence_group': 'arson' already has a cost on row 2",
        ),
        ("arson,8420,2015/16,HO,maybe,\n", r"row 2, column 'status'"),
        ("arson,-5,2015/16,HO,,\n", r"must be above 0"),
    ],
)
def test_bad_unit_cost_files_are_errors(tmp_path, body, message):
    with pytest.raises(InputError, match=message):
        read_unit_costs(write(tmp_path, body))


def test_shipped_costs_are_package_data():
    assert resources.files("saferhub.data").joinpath(SHIPPED_FILE).is_file()
