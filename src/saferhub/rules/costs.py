"""Unit costs of crime: what one offence of a group costs society, at one price year.

The shipped table is the Home Office's *Economic and social costs of crime*, second
edition (2018), in 2015/16 prices (BRIEF.md, "Cost of crime"). Each figure carries its
source and a status: "confirmed" from public reporting, or "to be checked" against
Table 1 of the report before a partnership relies on it. A partnership can replace the
whole table with its own (for example uprated to a later price year); a table always
has exactly one price year, because costs at different prices cannot be added up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from saferhub.errors import ConfigurationError

STATUSES = ("confirmed", "to be checked")


@dataclass(frozen=True, slots=True)
class UnitCost:
    """The cost to society of one offence in `offence_group`, in pounds at `price_year` prices."""

    offence_group: str
    pounds: float
    price_year: str
    source: str
    status: str = "confirmed"
    note: str = ""

    def __post_init__(self) -> None:
        if not self.offence_group:
            raise ConfigurationError("A unit cost needs an offence group.")
        if not self.pounds > 0:
            raise ConfigurationError(
                f"The unit cost of '{self.offence_group}' is {self.pounds}; it must be above 0."
            )
        if self.status not in STATUSES:
            raise ConfigurationError(
                f"The unit cost of '{self.offence_group}' has status '{self.status}'.",
                f"Use one of: {', '.join(STATUSES)}.",
            )
        if not self.price_year.strip():
            raise ConfigurationError(f"The unit cost of '{self.offence_group}' needs a price year.")
        if not self.source.strip():
            raise ConfigurationError(f"The unit cost of '{self.offence_group}' needs a source.")

    @property
    def to_be_checked(self) -> bool:
        return self.status == "to be checked"


@dataclass(frozen=True)
class UnitCostTable:
    """Unit costs by offence group, all at one price year. Groups without a cost are not costed."""

    costs: Mapping[str, UnitCost]
    name: str = "Home Office (2018) unit costs of crime"

    def __post_init__(self) -> None:
        years = {cost.price_year for cost in self.costs.values()}
        if len(years) > 1:
            raise ConfigurationError(
                f"The unit costs mix price years ({', '.join(sorted(years))}).",
                "Give every cost at the same price year so they can be added up.",
            )
        for group, cost in self.costs.items():
            if group != cost.offence_group:
                raise ConfigurationError(
                    f"Unit cost filed under '{group}' is for '{cost.offence_group}'."
                )

    @classmethod
    def of(cls, costs: Iterable[UnitCost], name: str = "") -> UnitCostTable:
        table: dict[str, UnitCost] = {}
        for cost in costs:
            if cost.offence_group in table:
                raise ConfigurationError(
                    f"The offence group '{cost.offence_group}' has two unit costs; keep one."
                )
            table[cost.offence_group] = cost
        return cls(table, name or cls.name)

    @property
    def price_year(self) -> str | None:
        return next(iter(self.costs.values())).price_year if self.costs else None

    def unit_cost(self, offence_group: str) -> float | None:
        """Pounds per offence, or None when the table has no figure for the group."""
        cost = self.costs.get(offence_group)
        return None if cost is None else cost.pounds

    def cost_of(self, offence_group: str, offences: float) -> float | None:
        """The cost of `offences` offences (may be fractional, e.g. offences avoided)."""
        unit = self.unit_cost(offence_group)
        return None if unit is None else unit * offences

    def groups_to_be_checked(self) -> list[str]:
        return sorted(group for group, cost in self.costs.items() if cost.to_be_checked)

    def sources(self) -> list[str]:
        return sorted({cost.source for cost in self.costs.values()})
