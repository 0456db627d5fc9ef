"""The IOM board figures: what the application layer computes and publishes, and the
renderers draw (the result types of `measures.iom`).

`IomInputs` are the canonical tables, from extract files or the app's database;
`IomFigures` holds every executed figure as plain Python values. A published
`IomFigures` (saferhub.app.publish) has hidden counts replaced by a marker ("<5" or "[c]").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pyarrow as pa

from saferhub.errors import ConfigurationError
from saferhub.measures.reoffending import ReoffendingFigures
from saferhub.rules.costs import UnitCostTable
from saferhub.rules.disclosure import Audience
from saferhub.rules.periods import Month, Window
from saferhub.sources.unit_costs import shipped_unit_costs

Count = int | str  # a count, or the marker that replaced it in a public version


@dataclass(frozen=True)
class Comparator:
    """A published proven reoffending rate to compare against, e.g. London or a national group."""

    label: str
    rate_pct: float
    per_reoffender: float | None = None

    @classmethod
    def of(
        cls, label: str | None, rate: float | None, per_reoffender: float | None = None
    ) -> Comparator | None:
        if rate is None:
            if label or per_reoffender is not None:
                raise ConfigurationError("A comparator needs its rate: give --comparator-rate.")
            return None
        if not 0 <= rate <= 100:
            raise ConfigurationError(f"The comparator rate {rate} is not a percentage (0 to 100).")
        return cls(label or "Comparator", rate, per_reoffender)


@dataclass(frozen=True)
class IomInputs:
    """The canonical tables the IOM measures read, wherever they came from."""

    offences: pa.Table
    cohort: pa.Table
    tiers: pa.Table
    custody: pa.Table | None = None
    pathways: pa.Table | None = None
    disposals: pa.Table | None = None
    unit_costs: UnitCostTable = field(default_factory=shipped_unit_costs)
    source: str = "extract files"


@dataclass(frozen=True)
class IomFigures:
    """Every IOM figure for one report date, executed and held as plain Python values."""

    to: Month
    report_date: date
    source: str
    rates: dict
    avoided: list[dict]
    cost: list[dict]
    unit_costs: UnitCostTable
    composition: dict[str, dict[str, dict[str, Count]]]  # date -> dimension -> category -> n
    snapshot_dates: list[date]
    offences_this_quarter: list[dict]
    offences_last_quarter: list[dict]
    quarter: Window
    concentration: dict
    cohort_share_pct: float | None
    pathways: list[dict] | None = None
    pathway_window: Window | None = None
    reoffending: ReoffendingFigures | None = None
    comparator: Comparator | None = None
    selection: list[dict] | None = None
    deselection: list[dict] | None = None
    top: int = 200
    audience: Audience = Audience.RESTRICTED
