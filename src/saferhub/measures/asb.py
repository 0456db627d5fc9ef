"""ASB statistics by financial quarter, and tools and powers as monthly partner series.

Every figure is counted over four canonical tables (columns in `TABLES`, documented in
docs/measures/asb.md): cases, incidents, case reviews and uses of tools and powers. The web
app builds them from its database; tests build them from rows. Each count is an Ibis
expression, so the same definition runs on DuckDB, PostgreSQL or Spark.

Definitions follow the Home Office ASB case review guidance (Anti-social Behaviour, Crime and
Policing Act 2014, s.104) and the tools and powers the BRIEF lists as counted monthly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from statistics import median
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis.backends import BaseBackend

from saferhub.errors import ConfigurationError
from saferhub.measures.engine import to_arrow
from saferhub.rules.periods import FinancialQuarter, Month, month_range
from saferhub.sources.series import SCHEMA as SERIES_SCHEMA

# Tool or power code → its name in partner series files and the crime catalogue's
# "ASB Tools and Powers" measure (measures/crime_catalogue.toml).
TOOL_SERIES_NAMES: dict[str, str] = {
    "injunction": "ASB injunction",
    "cbo": "Criminal Behaviour Order",
    "cpn_warning": "CPN written warning",
    "cpn": "Community Protection Notice",
    "cpn_breach": "CPN breach",
    "pspo_fpn": "PSPO fixed penalty",
    "closure": "Premises closure order",
}
SERIES_SOURCE = "SaferHub: tools and powers recorded"

TABLES: dict[str, pa.Schema] = {
    # one row per ASB case: when it was opened
    "cases": pa.schema([("case_id", pa.string()), ("opened_on", pa.date32())]),
    # one row per incident logged on a case: when it happened
    "incidents": pa.schema([("incident_id", pa.string()), ("occurred_on", pa.date32())]),
    # one row per case review request: when asked for, whether the threshold was met, when
    # completed and the working days it took (weekends and bank holidays not counted)
    "reviews": pa.schema(
        [
            ("review_id", pa.string()),
            ("requested_on", pa.date32()),
            ("threshold_met", pa.bool_()),
            ("completed_on", pa.date32()),
            ("working_days", pa.int64()),
        ]
    ),
    # one row per use of a tool or power: the code (TOOL_SERIES_NAMES) and the date used
    "tool_uses": pa.schema(
        [("use_id", pa.string()), ("kind", pa.string()), ("used_on", pa.date32())]
    ),
}


@dataclass(frozen=True)
class AsbTables:
    cases: ir.Table
    incidents: ir.Table
    reviews: ir.Table
    tool_uses: ir.Table

    @classmethod
    def from_rows(cls, **rows: Iterable[Mapping[str, Any]]) -> AsbTables:
        unknown = set(rows) - set(TABLES)
        if unknown:
            raise ConfigurationError(f"Unknown ASB tables: {sorted(unknown)}.")
        tables = {}
        for name, schema in TABLES.items():
            table = pa.Table.from_pylist(list(rows.get(name, [])), schema=schema)
            tables[name] = ibis.memtable(table)
        return cls(**tables)


def _quarter_of(day: ir.DateValue) -> dict[str, ir.IntegerValue]:
    month, year = day.month(), day.year()
    return {"fy_start": ibis.ifelse(month >= 4, year, year - 1), "fq": ((month + 8) % 12) // 3 + 1}


def _by_quarter(
    table: ir.Table, day: str, first: FinancialQuarter, last: FinancialQuarter, **aggs
) -> ir.Table:
    within = table.filter(table[day].between(first.start, last.end))
    within = within.mutate(**_quarter_of(within[day]))
    return within.group_by(["fy_start", "fq"]).aggregate(
        **{name: make(within) for name, make in aggs.items()}
    )


def cases_opened(cases: ir.Table) -> ir.IntegerScalar:
    """ASB cases opened: cases whose date opened falls in the quarter."""
    return cases.count()


def incidents_logged(incidents: ir.Table) -> ir.IntegerScalar:
    """Incidents: incidents on ASB cases whose date of incident falls in the quarter."""
    return incidents.count()


def reviews_requested(reviews: ir.Table) -> ir.IntegerScalar:
    """Case reviews requested: requests for an ASB case review made in the quarter."""
    return reviews.count()


def reviews_met(reviews: ir.Table) -> ir.IntegerScalar:
    """Threshold met: requests made in the quarter that met the partnership's threshold."""
    return reviews.threshold_met.sum().coalesce(0)


def reviews_not_met(reviews: ir.Table) -> ir.IntegerScalar:
    """Threshold not met: requests made in the quarter that did not meet it."""
    return (~reviews.threshold_met).sum().coalesce(0)


def tool_uses_by_kind(uses: ir.Table, first: FinancialQuarter, last: FinancialQuarter):
    """Tools and powers by type: uses whose date issued, served or granted is in the quarter."""
    within = uses.filter(uses.used_on.between(first.start, last.end))
    within = within.mutate(**_quarter_of(within.used_on))
    return within.group_by(["fy_start", "fq", "kind"]).aggregate(n=within.count())


def completed_reviews(reviews: ir.Table, first: FinancialQuarter, last: FinancialQuarter):
    """Reviews completed in each quarter, with the working days each took."""
    done = reviews.filter(
        reviews.completed_on.notnull() & reviews.completed_on.between(first.start, last.end)
    )
    done = done.mutate(**_quarter_of(done.completed_on))
    return done.select("fy_start", "fq", "working_days")


@dataclass(frozen=True)
class AsbQuarter:
    quarter: FinancialQuarter
    cases_opened: int = 0
    incidents: int = 0
    reviews_requested: int = 0
    reviews_met: int = 0
    reviews_not_met: int = 0
    reviews_completed: int = 0
    # Median working days from request to completion of the reviews completed in the quarter.
    median_working_days: float | None = None
    tools: dict[str, int] = field(default_factory=dict)

    @property
    def tools_total(self) -> int:
        return sum(self.tools.values())


@dataclass(frozen=True)
class AsbStatistics:
    quarters: tuple[AsbQuarter, ...]


def quarterly_statistics(
    tables: AsbTables,
    quarters: Sequence[FinancialQuarter],
    *,
    engine: BaseBackend | None = None,
) -> AsbStatistics:
    """Every ASB figure for each of `quarters`, in order; quarters with nothing are zeros."""
    if not quarters:
        raise ConfigurationError("Ask for at least one quarter of ASB statistics.")
    ordered = sorted(set(quarters))
    first, last = ordered[0], ordered[-1]

    def run(expression: ir.Table) -> pa.Table:
        return to_arrow(expression, engine)

    def keyed(expression) -> dict[tuple[int, int], dict]:
        return {(int(r["fy_start"]), int(r["fq"])): r for r in run(expression).to_pylist()}

    opened = keyed(_by_quarter(tables.cases, "opened_on", first, last, n=cases_opened))
    logged = keyed(_by_quarter(tables.incidents, "occurred_on", first, last, n=incidents_logged))
    asked = keyed(
        _by_quarter(
            tables.reviews,
            "requested_on",
            first,
            last,
            n=reviews_requested,
            met=reviews_met,
            not_met=reviews_not_met,
        )
    )
    tools: dict[tuple[int, int], dict[str, int]] = {}
    for r in run(tool_uses_by_kind(tables.tool_uses, first, last)).to_pylist():
        tools.setdefault((int(r["fy_start"]), int(r["fq"])), {})[r["kind"]] = int(r["n"])
    days: dict[tuple[int, int], list[int]] = {}
    for r in run(completed_reviews(tables.reviews, first, last)).to_pylist():
        if r["working_days"] is not None:
            days.setdefault((int(r["fy_start"]), int(r["fq"])), []).append(int(r["working_days"]))

    result = []
    for q in ordered:
        key = (q.start_year, q.quarter)
        review = asked.get(key, {})
        took = days.get(key, [])
        result.append(
            AsbQuarter(
                quarter=q,
                cases_opened=int(opened.get(key, {}).get("n", 0)),
                incidents=int(logged.get(key, {}).get("n", 0)),
                reviews_requested=int(review.get("n", 0)),
                reviews_met=int(review.get("met", 0) or 0),
                reviews_not_met=int(review.get("not_met", 0) or 0),
                reviews_completed=len(took),
                median_working_days=float(median(took)) if took else None,
                tools={kind: tools.get(key, {}).get(kind, 0) for kind in TOOL_SERIES_NAMES},
            )
        )
    return AsbStatistics(tuple(result))


# --- the published shape (saferhub.app.publish.asb fills it) ----------------------------------

ROW_LABELS = {
    "cases_opened": "ASB cases opened",
    "incidents": "Incidents",
    "reviews_requested": "Case reviews requested",
    "reviews_met": "Threshold met",
    "reviews_not_met": "Threshold not met",
    "reviews_completed": "Case reviews completed",
    "median_working_days": "Median working days to complete a review",
    **{f"tool:{kind}": f"Tools and powers: {name}" for kind, name in TOOL_SERIES_NAMES.items()},
    "tools_total": "Tools and powers: all",
}


@dataclass(frozen=True)
class PublishedRow:
    key: str
    label: str
    values: tuple[object, ...]


@dataclass(frozen=True)
class PublishedStatistics:
    audience: str  # the Audience's value: "restricted", "partnership" or "public"
    quarters: tuple[str, ...]
    rows: tuple[PublishedRow, ...]


# --- tools and powers as partner series --------------------------------------------------------


def tool_use_series(uses: ir.Table, *, area_code: str, area_name: str) -> ir.Table:
    """Uses of each tool or power per calendar month, in the partner series shape
    (`sources.series.SCHEMA`), so the crime dashboard's "ASB Tools and Powers" measure counts
    recorded uses with no hand-made file. Definition: the number of uses whose date issued,
    served or granted falls in the month, by the tool's series name."""
    names = ibis.memtable(
        pa.table({"kind": list(TOOL_SERIES_NAMES), "measure": list(TOOL_SERIES_NAMES.values())})
    )
    joined = uses.join(names, uses.kind == names.kind)
    monthly = joined.mutate(month=joined.used_on.truncate("M").cast("date"))
    counted = monthly.group_by(["month", "measure"]).aggregate(
        value=monthly.count().cast("float64")
    )
    return counted.mutate(
        area_code=ibis.literal(area_code),
        area_name=ibis.literal(area_name),
        source=ibis.literal(SERIES_SOURCE),
    ).select(*SERIES_SCHEMA.names)


def series_table(
    uses: ir.Table, *, area_code: str, area_name: str, engine: BaseBackend | None = None
) -> pa.Table:
    """`tool_use_series` run, as an Arrow table with exactly the series schema.

    Every tool has a figure for every month from the first recorded use to the last: a month
    with no use of a tool counts 0, as recording is then known to be in place."""
    table = to_arrow(tool_use_series(uses, area_code=area_code, area_name=area_name), engine)
    rows = table.select(SERIES_SCHEMA.names).to_pylist()
    if rows:
        have = {(r["month"], r["measure"]) for r in rows}
        first = Month.of(min(r["month"] for r in rows))
        last = Month.of(max(r["month"] for r in rows))
        for month in month_range(first, last):
            for name in TOOL_SERIES_NAMES.values():
                if (month.first_day, name) not in have:
                    rows.append(
                        {
                            "area_code": area_code,
                            "area_name": area_name,
                            "month": month.first_day,
                            "measure": name,
                            "value": 0.0,
                            "source": SERIES_SOURCE,
                        }
                    )
    rows.sort(key=lambda r: (r["month"], r["measure"]))
    return pa.Table.from_pylist(rows, schema=SERIES_SCHEMA)


def quarters_to(day: date, count: int = 4) -> list[FinancialQuarter]:
    """The `count` financial quarters ending with the one that holds `day`."""
    start_year = day.year if day.month >= 4 else day.year - 1
    current = FinancialQuarter(start_year, (day.month - 4) % 12 // 3 + 1)
    return [current + (i - count + 1) for i in range(count)]
