"""Unit costs of crime: the shipped Home Office (2018) table, or a partnership's own file.

A partnership file replaces the shipped table as a whole (docs/formats/unit-costs.md):
costs at different price years cannot be added up, so the two are never mixed.
"""

from __future__ import annotations

import math
from importlib import resources
from pathlib import Path

from saferhub.errors import ConfigurationError, quoted
from saferhub.rules.costs import STATUSES, UnitCost, UnitCostTable
from saferhub.sources.offences import offence_catalogue
from saferhub.sources.offender_extract import choice, read_extract, required_text, spellings

SHIPPED_FILE = "unit_costs_home_office_2018.csv"
SHIPPED_NAME = "Home Office (2018) unit costs of crime, 2015/16 prices"

_STATUSES = spellings(*STATUSES)
# The dearest crime in the Home Office table, a homicide, costs about £3.2 million at
# 2015/16 prices: a cost far above that is a typing error.
MAX_UNIT_COST = 50_000_000


def shipped_unit_costs() -> UnitCostTable:
    """The Home Office 2018 unit costs shipped with SaferHub (2015/16 prices)."""
    path = Path(str(resources.files("saferhub.data").joinpath(SHIPPED_FILE)))
    return read_unit_costs(path, name=SHIPPED_NAME)


def read_unit_costs(path: str | Path, name: str | None = None) -> UnitCostTable:
    """Read a unit-costs file; raise InputError naming every bad row."""
    extract = read_extract(
        path,
        ["offence_group", "unit_cost_gbp", "price_year", "source"],
        ["status", "note"],
        "A unit-costs file has one row per offence group with the columns offence_group, "
        "unit_cost_gbp, price_year and source (status and note are optional).",
    )
    groups = offence_catalogue().groups
    costs: list[UnitCost] = []
    seen: dict[str, int] = {}
    first_year: tuple[str, int] | None = None
    for record in extract:
        group = required_text(extract, record, "offence_group")
        pounds_text = required_text(extract, record, "unit_cost_gbp")
        year = required_text(extract, record, "price_year")
        source = required_text(extract, record, "source")
        status = choice(extract, record, "status", _STATUSES, blank="confirmed")
        pounds = None
        if pounds_text is not None:
            try:
                pounds = float(pounds_text.replace(",", "").replace("£", ""))
            except ValueError:
                extract.add(
                    record, "unit_cost_gbp", f"'{quoted(pounds_text)}' is not an amount in pounds."
                )
            else:
                if not math.isfinite(pounds) or not 0 < pounds <= MAX_UNIT_COST:
                    extract.add(
                        record,
                        "unit_cost_gbp",
                        f"the cost {quoted(pounds_text)} must be above 0 and at most "
                        f"£{MAX_UNIT_COST:,}.",
                    )
                    pounds = None
        if group is not None:
            if group not in groups:
                extract.add(
                    record,
                    "offence_group",
                    f"'{group}' is not an offence group. The groups are listed in "
                    "docs/formats/unit-costs.md.",
                )
            elif group in seen:
                extract.add(
                    record, "offence_group", f"'{group}' already has a cost on row {seen[group]}."
                )
            seen.setdefault(group, record.line)
        if year is not None:
            if first_year is None:
                first_year = (year, record.line)
            elif year != first_year[0]:
                extract.add(
                    record,
                    "price_year",
                    f"the price year {year} differs from {first_year[0]} on row {first_year[1]}; "
                    "give every cost at the same price year.",
                )
        if None not in (group, pounds, year, source, status) and group in groups:
            try:
                costs.append(UnitCost(group, pounds, year, source, status, record["note"]))  # type: ignore[arg-type]
            except ConfigurationError as exc:
                extract.add(record, None, exc.message)
    extract.problems.raise_if_any()
    if not costs:
        raise ConfigurationError(f"{extract.name} has no unit costs in it.")
    return UnitCostTable.of(costs, name or f"Unit costs from {extract.name}")
