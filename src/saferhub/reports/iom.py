"""The IOM board-pack section: cohort, impact on offending, cost of crime avoided, pathways.

`load_iom_inputs` reads the extracts (or the web app hands over the same canonical
tables from its database), `iom_figures` runs every measure once on a backend, and
`iom_report` (built in reports/iom_board.py) / `iom_json` turn those figures into the
shared Report objects or into JSON (shape documented in docs/measures/iom.md). Nothing
here computes a measure itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from saferhub.errors import ConfigurationError
from saferhub.measures import iom
from saferhub.measures.reoffending import (
    ReoffendingFigures,
    pooled_reoffending,
    proven_reoffending_cohorts,
)
from saferhub.reports.iom_board import iom_report, protected
from saferhub.reports.writers import write_report
from saferhub.rules.costs import UnitCostTable
from saferhub.rules.disclosure import SUPPRESSED, suppress_counts
from saferhub.rules.iom_scoring import ScoredOffence, ScoringMatrix, score
from saferhub.rules.periods import Month, Window
from saferhub.rules.reoffending import METHOD_LABELS, QUARTERLY_COHORTS, cohort_windows
from saferhub.sources.cohort import read_cohort, read_pathways, read_tiers, tiers_from_cohort
from saferhub.sources.custody import read_custody
from saferhub.sources.disposals import read_disposals
from saferhub.sources.offences import offence_catalogue, read_offences
from saferhub.sources.unit_costs import read_unit_costs, shipped_unit_costs

FORMATS = ("html", "xlsx", "pdf", "json")


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


def load_iom_inputs(
    offences: str | Path,
    cohort: str | Path,
    custody: str | Path | None = None,
    tiers: str | Path | None = None,
    pathways: str | Path | None = None,
    disposals: str | Path | None = None,
    unit_costs: str | Path | None = None,
) -> IomInputs:
    """Read and validate every file; any problem raises before anything is computed."""
    offence_table = read_offences(offences)
    cohort_table = read_cohort(cohort)
    names = [Path(offences).name, Path(cohort).name]
    for optional in (custody, tiers, pathways, disposals, unit_costs):
        if optional is not None:
            names.append(Path(optional).name)
    return IomInputs(
        offences=offence_table,
        cohort=cohort_table,
        tiers=read_tiers(tiers, cohort_table) if tiers else tiers_from_cohort(cohort_table),
        custody=read_custody(custody) if custody else None,
        pathways=read_pathways(pathways, cohort_table) if pathways else None,
        disposals=read_disposals(disposals, offence_table) if disposals else None,
        unit_costs=read_unit_costs(unit_costs) if unit_costs else shipped_unit_costs(),
        source="files: " + ", ".join(names),
    )


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
    composition: dict[str, dict[str, dict[str, int]]]  # date -> dimension -> category -> n
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


def _rows(con: ibis.BaseBackend, expr: ir.Table) -> list[dict]:
    return con.to_pyarrow(expr).to_pylist()


def _snapshot_dates(to: Month, report_date: date, count: int = 5) -> list[date]:
    quarter_end = to if to.month % 3 == 0 else to - (to.month % 3)
    dates = [(quarter_end - 3 * k).last_day for k in range(count)]
    if dates[0] != report_date:
        dates = [report_date, *dates[: count - 1]]
    return sorted(dates)


def iom_figures(
    inputs: IomInputs,
    to: Month,
    *,
    top: int = 200,
    casework: bool = False,
    comparator: Comparator | None = None,
    offence_free_months: int = 12,
    con: ibis.BaseBackend | None = None,
) -> IomFigures:
    """Run every IOM measure for the report month `to` (the report date is its last day)."""
    con = con or ibis.duckdb.connect()
    report_date = to.last_day
    catalogue = offence_catalogue()
    offences = ibis.memtable(inputs.offences)
    cohort = ibis.memtable(inputs.cohort)
    tiers = ibis.memtable(inputs.tiers)
    custody = ibis.memtable(inputs.custody) if inputs.custody is not None else iom.empty_custody()

    rates = _rows(con, iom.offending_rates(cohort, offences, custody, report_date))[0]
    avoided_expr = iom.offences_avoided(cohort, offences, custody, report_date)
    avoided = _rows(con, avoided_expr)
    cost = _rows(
        con, iom.cost_of_crime_avoided(avoided_expr, iom.unit_costs_table(inputs.unit_costs))
    )

    dates = _snapshot_dates(to, report_date)
    composition: dict[str, dict[str, dict[str, int]]] = {}
    for row in _rows(con, iom.cohort_composition(iom.members_on(cohort, tiers, dates))):
        day = row["snapshot_date"].isoformat()
        composition.setdefault(day, {}).setdefault(row["dimension"], {})[row["category"]] = row[
            "members"
        ]

    quarter = Window.ending(to, 3)
    families = catalogue.families
    this_quarter = _rows(
        con,
        iom.offences_by_members(cohort, offences, quarter.first.first_day, report_date, families),
    )
    previous = quarter.preceding
    last_quarter = _rows(
        con,
        iom.offences_by_members(
            cohort, offences, previous.first.first_day, previous.last.last_day, families
        ),
    )
    year = Window.ending(to, 12)
    concentration = _rows(con, iom.concentration(offences, year.first.first_day, report_date, top))[
        0
    ]
    members_year = _rows(
        con, iom.offences_by_members(cohort, offences, year.first.first_day, report_date, families)
    )
    all_offences = concentration["offences"] or 0
    cohort_share = (
        100 * sum(r["offences"] for r in members_year) / all_offences if all_offences else None
    )

    pathways = pathway_window = None
    if inputs.pathways is not None:
        pathway_window = year
        pathways = _rows(
            con,
            iom.pathway_outcomes(ibis.memtable(inputs.pathways), year.first.first_day, report_date),
        )

    reoffending = None
    if inputs.disposals is not None:
        # The latest 12 months whose 18-month window has closed by the report date, as the
        # MoJ's annual figure: four 3-month cohorts pooled (rules.reoffending).
        last = to - 18
        first = last - 11
        quarters = cohort_windows(Window(first, last), QUARTERLY_COHORTS)  # type: ignore[arg-type]
        reoffending = pooled_reoffending(
            proven_reoffending_cohorts(
                con,
                ibis.memtable(inputs.disposals),
                offences,
                [(q.first.first_day, q.last.last_day) for q in quarters],
                spells=cohort,
            )
        )

    selection = deselection = None
    if casework:
        selection = _selection(con, inputs, offences, cohort, report_date)
        free_since = (to - offence_free_months).last_day
        deselection = _rows(
            con, iom.deselection_review(cohort, offences, custody, report_date, free_since)
        )

    return IomFigures(
        to=to,
        report_date=report_date,
        source=inputs.source,
        rates=rates,
        avoided=avoided,
        cost=cost,
        unit_costs=inputs.unit_costs,
        composition=composition,
        snapshot_dates=dates,
        offences_this_quarter=this_quarter,
        offences_last_quarter=last_quarter,
        quarter=quarter,
        concentration=concentration,
        cohort_share_pct=cohort_share,
        pathways=pathways,
        pathway_window=pathway_window,
        reoffending=reoffending,
        comparator=comparator,
        selection=selection,
        deselection=deselection,
        top=top,
    )


def _selection(con, inputs: IomInputs, offences, cohort, on: date, shown: int = 20) -> list[dict]:
    matrix = ScoringMatrix()
    ranked = _rows(con, iom.selection_scores(offences, cohort, on, matrix).limit(shown))
    wanted = {row["pnc_id"] for row in ranked}
    history: dict[str, list[ScoredOffence]] = {}
    for row in inputs.offences.select(["pnc_id", "offence_date", "offence_group"]).to_pylist():
        if row["pnc_id"] in wanted:
            history.setdefault(row["pnc_id"], []).append(
                ScoredOffence(row["offence_date"], row["offence_group"])
            )
    labels = offence_catalogue().labels
    for row in ranked:
        explained = score(history.get(row["pnc_id"], []), on, matrix, labels)
        row["breakdown"] = [
            {"label": c.label, "working": c.working, "points": c.points}
            for c in explained.components
        ]
    return ranked


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _public_composition(composition: dict) -> dict:
    """Each dimension's counts with 1 to 4 (and what would give them away) hidden."""
    shown: dict = {}
    for day, dimensions in composition.items():
        shown[day] = {}
        for dimension, counts in dimensions.items():
            names = list(counts)
            hide = suppress_counts([counts[n] for n in names])
            shown[day][dimension] = {
                n: SUPPRESSED if h else counts[n] for n, h in zip(names, hide, strict=True)
            }
    return shown


def _public_pathways(pathways: list[dict] | None) -> list[dict] | None:
    if pathways is None:
        return None
    outcomes = ("achieved", "partially_achieved", "not_achieved", "withdrawn", "open")
    grid = protected([[row[o] for o in outcomes] for row in pathways], True)
    shown = []
    for row, counts in zip(pathways, grid, strict=True):
        safe = all(isinstance(c, int) for c in counts)
        shown.append(
            {
                **row,
                **dict(zip(outcomes, counts, strict=True)),
                "outcome_rate_pct": row["outcome_rate_pct"] if safe else None,
                "achieved_rate_pct": row["achieved_rate_pct"] if safe else None,
            }
        )
    return shown


def iom_json(figures: IomFigures, public: bool = False) -> dict:
    """The figures as JSON-ready data (shape documented in docs/measures/iom.md).

    With `public`, counts of people from 1 to 4 are "<5" (or "[c]") as in the report.
    """
    data = {
        "report": "iom",
        "to": figures.to.key,
        "report_date": figures.report_date.isoformat(),
        "source": figures.source,
        "offending_rates": figures.rates,
        "offences_avoided": figures.avoided,
        "cost_of_crime_avoided": {
            "price_year": figures.unit_costs.price_year,
            "unit_costs": figures.unit_costs.name,
            "to_be_checked": figures.unit_costs.groups_to_be_checked(),
            "groups": figures.cost,
        },
        "composition": _public_composition(figures.composition) if public else figures.composition,
        "offences_by_members": {
            "quarter": figures.quarter.label,
            "this_quarter": figures.offences_this_quarter,
            "previous_quarter": figures.offences_last_quarter,
        },
        "concentration": {**figures.concentration, "cohort_share_pct": figures.cohort_share_pct},
        "pathways": _public_pathways(figures.pathways) if public else figures.pathways,
        "proven_reoffending": {
            **figures.reoffending.to_dict(),
            "method": {"key": QUARTERLY_COHORTS, "label": METHOD_LABELS[QUARTERLY_COHORTS]},
        }
        if figures.reoffending
        else None,
        "comparator": vars(figures.comparator) if figures.comparator else None,
    }
    if not public:
        data["selection"] = figures.selection
        data["deselection_review"] = figures.deselection
    return _plain(data)  # type: ignore[return-value]


def write_iom_report(
    inputs: IomInputs,
    to: str,
    fmt: str,
    out: str | Path,
    *,
    top: int = 200,
    casework: bool = False,
    public: bool = False,
    comparator: Comparator | None = None,
    offence_free_months: int = 12,
) -> Path:
    """Compute the IOM figures and write them as html, xlsx, pdf or json."""
    if fmt not in FORMATS:
        raise ConfigurationError(
            f"'{fmt}' is not a format.", f"Choose one of: {', '.join(FORMATS)}."
        )
    if top < 1:
        raise ConfigurationError(f"--top must be 1 or more, not {top}.")
    figures = iom_figures(
        inputs,
        Month.parse(to),
        top=top,
        casework=casework and not public,
        comparator=comparator,
        offence_free_months=offence_free_months,
    )
    out = Path(out)
    if fmt == "json":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            json.dumps(iom_json(figures, public), indent=2, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        return out
    return write_report(iom_report(figures, public), fmt, out)  # type: ignore[arg-type]
