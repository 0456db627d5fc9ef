"""IOM: read the inputs, compute the board figures, publish them for an audience, render.

The only door to the IOM figures for the web app and `saferhub report iom`: the board
page, the selection list, the de-selection review and every export come from here, so a
figure is computed once, by one measure, whatever shows it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import ibis
import ibis.expr.types as ir

from saferhub.app import publish
from saferhub.app.data_version import cached
from saferhub.app.render import write_document
from saferhub.errors import ConfigurationError
from saferhub.measures import iom
from saferhub.measures.engine import to_arrow
from saferhub.measures.iom import board as iom_board
from saferhub.measures.iom_figures import Comparator, IomFigures, IomInputs
from saferhub.measures.reoffending import cohort_figures, pooled_reoffending
from saferhub.reports.document import Report
from saferhub.reports.iom import iom_json, iom_report
from saferhub.reports.writers import render_html_fragment
from saferhub.rules.disclosure import Audience
from saferhub.rules.iom_scoring import ScoredOffence, ScoringMatrix, score
from saferhub.rules.periods import Month, Window
from saferhub.sources.cohort import read_cohort, read_pathways, read_tiers, tiers_from_cohort
from saferhub.sources.custody import read_custody
from saferhub.sources.disposals import read_disposals
from saferhub.sources.offences import offence_catalogue, read_offences
from saferhub.sources.unit_costs import read_unit_costs, shipped_unit_costs

__all__ = [
    "Comparator",
    "IomFigures",
    "IomInputs",
    "board_report",
    "database_inputs",
    "deselection_review",
    "iom_figures",
    "load_iom_inputs",
    "published_figures",
    "selection_list",
    "write_iom_report",
]

FORMATS = ("html", "xlsx", "pdf", "docx", "json")
AREAS = ("iom", "people")  # the apps whose tables the IOM figures read


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


def _rows(con: ibis.BaseBackend | None, expr: ir.Table) -> list[dict]:
    return to_arrow(expr, con).to_pylist()


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
    report_date = to.last_day
    tables = iom_board.input_tables(inputs)
    queries = iom_board.board_queries(to, top, tables)

    def rows(expr: ir.Table) -> list[dict]:
        return to_arrow(expr, con, tables=tables).to_pylist()

    rates = rows(queries.rates)[0]
    avoided_table = to_arrow(queries.avoided, con, tables=tables)
    avoided = avoided_table.to_pylist()
    cost = to_arrow(
        queries.cost, con, tables={**tables, iom_board.AVOIDED: avoided_table}
    ).to_pylist()

    dates = iom_board.snapshot_dates(to)
    composition: dict[str, dict[str, dict[str, int]]] = {}
    for row in rows(queries.composition):
        day = row["snapshot_date"].isoformat()
        composition.setdefault(day, {}).setdefault(row["dimension"], {})[row["category"]] = row[
            "members"
        ]

    quarter = Window.ending(to, 3)
    by_period: dict[str, list[dict]] = {"this_quarter": [], "last_quarter": [], "year": []}
    for row in rows(queries.members):
        by_period[row.pop("period")].append(row)
    this_quarter, last_quarter = by_period["this_quarter"], by_period["last_quarter"]
    members_year = by_period["year"]
    year = Window.ending(to, 12)
    concentration = rows(queries.concentration)[0]
    all_offences = concentration["offences"] or 0
    cohort_share = (
        100 * sum(r["offences"] for r in members_year) / all_offences if all_offences else None
    )

    pathways = pathway_window = None
    if queries.pathways is not None:
        pathway_window = year
        pathways = rows(queries.pathways)

    reoffending = None
    if queries.reoffending is not None:
        table = to_arrow(queries.reoffending, con, tables=tables)
        reoffending = pooled_reoffending(cohort_figures(table, iom_board.reoffending_quarters(to)))

    selection = deselection = None
    if casework:
        selection = selection_list(inputs, report_date, con=con)
        free_since = (to - offence_free_months).last_day
        deselection = deselection_review(inputs, report_date, free_since, con=con)

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


def selection_list(
    inputs: IomInputs, on: date, shown: int = 20, *, con: ibis.BaseBackend | None = None
) -> list[dict]:
    """The highest selection scores on `on` among people not on the programme, each with
    the working of its score: the list the selection page and the board pack both show."""
    matrix = ScoringMatrix()
    offences, cohort = ibis.memtable(inputs.offences), ibis.memtable(inputs.cohort)
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


def deselection_review(
    inputs: IomInputs, on: date, free_since: date, *, con: ibis.BaseBackend | None = None
) -> list[dict]:
    """Members with no offence since `free_since` and not in custody on `on`."""
    custody = ibis.memtable(inputs.custody) if inputs.custody is not None else iom.empty_custody()
    return _rows(
        con,
        iom.deselection_review(
            ibis.memtable(inputs.cohort), ibis.memtable(inputs.offences), custody, on, free_since
        ),
    )


def database_inputs() -> IomInputs:
    """Every IOM table from the app's database, read by Ibis (saferhub.app.iom_database)."""
    from saferhub.app.iom_database import read_inputs

    return read_inputs()


def published_figures(
    inputs: IomInputs, to: Month, audience: Audience, **options: object
) -> IomFigures:
    """The figures for `to`, computed once and published for `audience`."""
    casework = bool(options.pop("casework", False)) and audience.sees_people
    figures = iom_figures(inputs, to, casework=casework, **options)  # type: ignore[arg-type]
    return publish.iom(figures, audience)


def board_report(figures: IomFigures) -> Report:
    """The published figures as the board-pack Report (HTML, XLSX and PDF render this)."""
    return iom_report(figures)


def render(figures: IomFigures, fmt: str) -> bytes:
    """One published result in one format: json, html, xlsx or pdf."""
    if fmt == "json":
        text = json.dumps(iom_json(figures), indent=2, ensure_ascii=False) + "\n"
        return text.encode("utf-8")
    from saferhub.app.render import render_document

    return render_document(iom_report(figures), fmt)


def write_iom_report(
    inputs: IomInputs,
    to: str,
    fmt: str,
    out: str | Path,
    *,
    top: int = 200,
    casework: bool = False,
    audience: Audience = Audience.PARTNERSHIP,
    comparator: Comparator | None = None,
    offence_free_months: int = 12,
) -> Path:
    """Compute the IOM figures, publish them for `audience` and write one file."""
    if fmt not in FORMATS:
        raise ConfigurationError(
            f"'{fmt}' is not a format.", f"Choose one of: {', '.join(FORMATS)}."
        )
    if top < 1:
        raise ConfigurationError(f"--top must be 1 or more, not {top}.")
    figures = published_figures(
        inputs,
        Month.parse(to),
        audience,
        top=top,
        casework=casework,
        comparator=comparator,
        offence_free_months=offence_free_months,
    )
    return write_document(render(figures, fmt), out)


# ---------------------------------------------------------------------------------------------
# The web app's reads: the database's figures, cached until the data next changes.


def _inputs() -> IomInputs:
    return cached("iom-inputs", (), database_inputs, AREAS)


def board(to: Month, audience: Audience) -> IomFigures:
    """The board figures for `to` from the database, published for `audience`."""
    return cached(
        "iom-board",
        (to.key, audience.value),
        lambda: published_figures(_inputs(), to, audience),
        AREAS,
    )


def selection(day: date, shown: int) -> list[dict]:
    """The selection list on `day` from the database (restricted: it identifies people)."""
    return cached(
        "iom-selection", (day, shown), lambda: selection_list(_inputs(), day, shown), AREAS
    )


def deselection(day: date, since: date) -> list[dict]:
    """The de-selection review on `day` from the database (restricted)."""
    return cached(
        "iom-deselection", (day, since), lambda: deselection_review(_inputs(), day, since), AREAS
    )


def board_fragment(to: Month, audience: Audience, mark: Callable[[Report], Report]) -> str:
    """The board section as page HTML, cached with the figures: building the Report draws
    its charts, which costs more than reading the cache."""
    return cached(
        "iom-board-page",
        (to.key, audience.value),
        lambda: page_fragment(mark(board_report(board(to, audience)))),
        AREAS,
    )


def page_fragment(report: Report) -> str:
    """A published Report as the HTML a web page includes (escaped by its template)."""
    return render_html_fragment(report, heading_level=2)
