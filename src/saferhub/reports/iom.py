"""The IOM board-pack section: cohort, impact on offending, cost of crime avoided, pathways.

`load_iom_inputs` reads the extracts (or the web app hands over the same canonical
tables from its database), `iom_figures` runs every measure once on a backend, and
`iom_report` / `iom_json` turn those figures into the shared Report objects or into JSON
(shape documented in docs/measures/iom.md). Nothing here computes a measure itself.
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
from saferhub.measures.reoffending import ReoffendingFigures, proven_reoffending
from saferhub.reports.charts import bar_chart
from saferhub.reports.document import Report, Section, Table
from saferhub.reports.writers import write_report
from saferhub.rules.costs import UnitCostTable
from saferhub.rules.disclosure import SUPPRESSED, suppress_counts
from saferhub.rules.iom_pathways import PATHWAYS
from saferhub.rules.iom_scoring import ScoredOffence, ScoringMatrix, score
from saferhub.rules.iom_tiers import TIER_ORDER
from saferhub.rules.periods import Month, Window
from saferhub.sources.cohort import read_cohort, read_pathways, read_tiers, tiers_from_cohort
from saferhub.sources.custody import read_custody
from saferhub.sources.disposals import read_disposals
from saferhub.sources.offences import offence_catalogue, read_offences
from saferhub.sources.unit_costs import read_unit_costs, shipped_unit_costs

FORMATS = ("html", "xlsx", "pdf", "json")
DIMENSION_TITLES = {"gender": "Gender", "ethnicity": "Ethnicity", "age_band": "Age band"}


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
        # The latest 12-month cohort whose 18-month window has closed by the report date.
        last = to - 18
        first = last - 11
        reoffending = proven_reoffending(
            con,
            ibis.memtable(inputs.disposals),
            offences,
            first.first_day,
            last.last_day,
            spells=cohort,
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


# ---------------------------------------------------------------------------------------------
# Report


def _label(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _pct(part: float, whole: float) -> float | None:
    return None if not whole else 100 * part / whole


def _composition_section(figures: IomFigures, public: bool) -> Section:
    latest = figures.snapshot_dates[-1].isoformat()
    now = figures.composition.get(latest, {})
    size = now.get("cohort", {}).get("All members", 0)
    management = now.get("management", {})
    paragraphs = [
        f"On {_label(figures.report_date)} the IOM cohort had {size} members: "
        f"{management.get('Statutory', 0)} statutory (on licence, managed by probation) and "
        f"{management.get('Non-statutory', 0)} non-statutory (managed by IOM police).",
        "Tiers: Red, Amber and Green rate risk and vulnerability in the community; "
        "Blue means in custody or on remand.",
    ]
    tiers = [t.value for t in TIER_ORDER]
    extra_tiers = sorted(
        {c for d in figures.composition.values() for c in d.get("tier", {})} - set(tiers)
    )
    columns = ["Date", "Members", "Statutory", "Non-statutory", *tiers, *extra_tiers]
    rows = []
    for day in figures.snapshot_dates:
        parts = figures.composition.get(day.isoformat(), {})
        rows.append(
            [
                _label(day),
                parts.get("cohort", {}).get("All members", 0),
                parts.get("management", {}).get("Statutory", 0),
                parts.get("management", {}).get("Non-statutory", 0),
                *(parts.get("tier", {}).get(t, 0) for t in [*tiers, *extra_tiers]),
            ]
        )
    blocks: list = [
        Table(
            "Cohort size, management and tier at each quarter end",
            columns,
            rows,
            base="Members on the programme on each date",
            number_formats={c: "int" for c in columns[1:]},
        )
    ]
    if len(figures.snapshot_dates) >= 2:
        previous = figures.composition.get(figures.snapshot_dates[-2].isoformat(), {}).get(
            "tier", {}
        )
        blocks.append(
            bar_chart(
                "Members by tier, this quarter end and the one before",
                tiers,
                {
                    _label(figures.snapshot_dates[-2]): [previous.get(t, 0) for t in tiers],
                    _label(figures.snapshot_dates[-1]): [
                        now.get("tier", {}).get(t, 0) for t in tiers
                    ],
                },
                "Members",
                category_label="Tier",
                number_format="int",
            )
        )
    for dimension, title in DIMENSION_TITLES.items():
        counts = now.get(dimension, {})
        order = (
            list(iom.AGE_BANDS)
            if dimension == "age_band"
            else sorted(counts, key=lambda c: (-counts[c], c))
        )
        categories = [c for c in order if counts.get(c)]
        values = [counts[c] for c in categories]
        hide = suppress_counts(values) if public else [False] * len(values)
        table_rows = [
            [c, SUPPRESSED if h else n, None if h else _pct(n, size)]
            for c, n, h in zip(categories, values, hide, strict=True)
        ]
        blocks.append(
            Table(
                f"Members by {title.lower()} on {_label(figures.report_date)}",
                [title, "Members", "% of members"],
                table_rows,
                base=f"% of all members ({size})",
                number_formats={"Members": "int", "% of members": "pct1"},
            )
        )
    return Section("IOM cohort", tuple(paragraphs), tuple(blocks))


def _impact_section(figures: IomFigures) -> Section:
    r = figures.rates
    before, after = r["rate_before"], r["rate_after"]
    text = (
        f"Before joining, the {r['spells']} people who have joined the programme committed "
        f"{_fmt(before)} offences per offender-year at liberty in the 12 months before they "
        f"joined; on the programme, {_fmt(after)}"
    )
    if r["reduction_pct"] is not None:
        text += f": {_fmt(r['reduction_pct'], 0)}% fewer."
    else:
        text += "."
    table = Table(
        "Offending before and after joining",
        ["Period", "Offences", "Offender-years at liberty", "Offences per offender-year"],
        [
            ["12 months before joining", r["offences_before"], r["years_before"], before],
            ["Since joining", r["offences_after"], r["years_after"], after],
        ],
        notes=(
            "Time in custody is left out of the offender-years in both periods.",
            f"Reduction in the offending rate: {_fmt(r['reduction_pct'], 1)}%."
            if r["reduction_pct"] is not None
            else "No offending before joining, so no reduction can be worked out.",
        ),
        number_formats={
            "Offences": "int",
            "Offender-years at liberty": "rate1",
            "Offences per offender-year": "rate2",
        },
    )
    chart = bar_chart(
        "Offences per offender-year, before and after joining",
        ["12 months before joining", "Since joining"],
        {"Offences per offender-year": [before, after]},
        "Offences per offender-year",
        category_label="Period",
        number_format="rate2",
    )
    labels = offence_catalogue().labels
    avoided = Table(
        "Offences avoided by offence group",
        [
            "Offence group",
            "Offences before joining",
            "Offences since joining",
            "Expected since joining",
            "Offences avoided",
            "Avoided a year",
        ],
        [
            [
                labels.get(row["offence_group"], row["offence_group"]),
                row["offences_before"],
                row["offences_after"],
                row["expected_after"],
                row["avoided"],
                row["avoided_a_year"],
            ]
            for row in figures.avoided
        ],
        notes=(
            "Expected: each group's before-joining rate applied to members' time at liberty "
            "since joining. "
            "A negative figure means more offences than expected.",
            "Avoided a year: the fall in the rate applied to members' time at liberty in the "
            "12 months "
            f"to {_label(figures.report_date)}.",
        ),
        number_formats={
            "Offences before joining": "int",
            "Offences since joining": "int",
            "Expected since joining": "rate1",
            "Offences avoided": "rate1",
            "Avoided a year": "rate1",
        },
    )
    return Section("Impact on offending", (text,), (table, chart, avoided))


def _cost_section(figures: IomFigures) -> Section:
    costs = figures.unit_costs
    labels = offence_catalogue().labels
    costed = [row for row in figures.cost if row["unit_cost"] is not None]
    checked = set(costs.groups_to_be_checked())
    rows = [
        [
            labels.get(row["offence_group"], row["offence_group"])
            + (" *" if row["offence_group"] in checked else ""),
            row["avoided"],
            row["unit_cost"],
            row["cost_avoided"],
            row["avoided_a_year"],
            row["cost_avoided_a_year"],
        ]
        for row in costed
    ]
    total = sum(row["cost_avoided"] for row in costed)
    total_year = sum(row["cost_avoided_a_year"] for row in costed)
    rows.append(["All costed groups", None, None, total, None, total_year])
    notes = [
        f"Unit costs at {costs.price_year} prices ({costs.name}). "
        f"Source: {'; '.join(costs.sources())}.",
        "Offence groups without a unit cost (e.g. drug and public order offences) are not costed.",
    ]
    if checked & {row["offence_group"] for row in costed}:
        notes.append(
            "* Unit cost still to be checked against the source table before it is relied on."
        )
    table = Table(
        "Cost of crime avoided",
        [
            "Offence group",
            "Offences avoided",
            "Unit cost (£)",
            "Cost avoided (£)",
            "Avoided a year",
            "Cost avoided a year (£)",
        ],
        rows,
        notes=tuple(notes),
        number_formats={
            "Offences avoided": "rate1",
            "Unit cost (£)": "int",
            "Cost avoided (£)": "int",
            "Avoided a year": "rate1",
            "Cost avoided a year (£)": "int",
        },
    )
    text = (
        f"At {costs.price_year} prices, the offences avoided while members were on the programme "
        f"are worth £{total:,.0f} in the economic and social cost of crime, about "
        f"£{total_year:,.0f} a year at the current cohort's time at liberty."
    )
    return Section("Cost of crime avoided", (text,), (table,))


def _offences_section(figures: IomFigures) -> Section:
    previous = {row["family"]: row for row in figures.offences_last_quarter}
    now = {row["family"]: row for row in figures.offences_this_quarter}
    families = [row["family"] for row in figures.offences_this_quarter] + [
        f for f in previous if f not in now
    ]
    rows = []
    for family in families:
        current, before = now.get(family), previous.get(family)
        share = current["share_pct"] if current else 0.0
        share_before = before["share_pct"] if before else 0.0
        rows.append(
            [
                family,
                current["offences"] if current else 0,
                share,
                share_before,
                share - share_before,
            ]
        )
    total = sum(r["offences"] for r in figures.offences_this_quarter)
    c = figures.concentration
    paragraphs = [
        f"In the 12 months to {_label(figures.report_date)}, the top {figures.top} offenders "
        f"committed {_fmt(c['share_pct'], 1)}% of the {c['offences']:,} offences in the "
        "police extract."
        if c["share_pct"] is not None
        else "There are no offences in the police extract for the last 12 months.",
    ]
    if figures.cohort_share_pct is not None:
        paragraphs.append(
            f"People on the IOM programme committed {_fmt(figures.cohort_share_pct, 1)}% of them."
        )
    table = Table(
        f"Offences committed by members, {figures.quarter.label}",
        ["Offence family", "Offences", "% of offences", "% previous quarter", "Change (points)"],
        rows,
        base=f"% of offences by members while on the programme ({total})",
        notes=(
            "Seed 004 reports these as 'offences charged'; here, offences in the police extract.",
        ),
        number_formats={
            "Offences": "int",
            "% of offences": "pct1",
            "% previous quarter": "pct1",
            "Change (points)": "rate1",
        },
    )
    return Section("Offending by the cohort", tuple(paragraphs), (table,))


def _pathways_section(figures: IomFigures) -> Section:
    rows = [
        [
            row["pathway"],
            row["referrals"],
            row["achieved"],
            row["partially_achieved"],
            row["not_achieved"],
            row["withdrawn"],
            row["open"],
            row["outcome_rate_pct"],
            row["achieved_rate_pct"],
        ]
        for row in sorted(figures.pathways or [], key=lambda r: _pathway_order(r["pathway"]))
    ]
    columns = [
        "Pathway",
        "Referrals",
        "Achieved",
        "Partially achieved",
        "Not achieved",
        "Withdrawn",
        "Open",
        "Outcome rate",
        "Achieved only",
    ]
    table = Table(
        "Pathway outcomes, referrals made "
        + (figures.pathway_window.label if figures.pathway_window else ""),
        columns,
        rows,
        base="% of all referrals made in the period",
        notes=(
            "Outcome rate: achieved and partially achieved referrals as a % of all referrals made, "
            "open and withdrawn ones included.",
        ),
        number_formats={
            **{c: "int" for c in columns[1:7]},
            "Outcome rate": "pct1",
            "Achieved only": "pct1",
        },
    )
    return Section("Pathways", (), (table,))


def _pathway_order(label: str) -> int:
    labels = list(PATHWAYS.values())
    return labels.index(label) if label in labels else len(labels)


def _reoffending_section(figures: IomFigures) -> Section:
    r = figures.reoffending
    assert r is not None
    period = f"{_label(r.first_day)} to {_label(r.last_day)}"
    columns = ["Measure", "IOM cohort"]
    comparator = figures.comparator
    if comparator:
        columns.append(comparator.label)
    rows = [
        ["Offenders in the cohort", r.offenders],
        ["Reoffenders", r.reoffenders],
        ["Proven reoffences", r.reoffences],
        ["Proportion who reoffend (%)", r.rate_pct],
        ["Reoffences per reoffender", r.per_reoffender],
    ]
    if comparator:
        extra = [None, None, None, comparator.rate_pct, comparator.per_reoffender]
        rows = [[*row, value] for row, value in zip(rows, extra, strict=True)]
    table = Table(
        f"Proven reoffending of IOM members, index dates {period}",
        columns,
        rows,
        notes=(
            "Ministry of Justice definition: offences committed in the 12 months after the "
            "index date "
            "and proven by a caution or conviction within 18 months.",
            "Cohort: people whose first caution, non-custodial conviction or release from "
            "custody in the "
            "period happened while they were on the programme.",
        ),
    )
    return Section("Proven reoffending", (), (table,))


def _casework_sections(figures: IomFigures) -> list[Section]:
    sections = []
    if figures.selection is not None:
        rows = [
            [
                row["rank"],
                row["pnc_id"],
                row["score"],
                "; ".join(
                    f"{c['label']}: {c['working']} = {c['points']:g}"
                    for c in row["breakdown"]
                    if c["points"]
                ),
            ]
            for row in figures.selection
        ]
        sections.append(
            Section(
                "Selection list (restricted: personal data)",
                (
                    "People not on the programme, ranked by the selection matrix. A score supports "
                    "professional judgement; it never decides on its own.",
                ),
                (
                    Table(
                        "Highest selection scores",
                        ["Rank", "PNC ID", "Score", "How the score was built"],
                        rows,
                        number_formats={"Rank": "int", "Score": "rate1"},
                    ),
                ),
            )
        )
    if figures.deselection is not None:
        rows = [
            [
                row["pnc_id"],
                _label(row["join_date"]),
                row["management"],
                _label(row["last_offence_date"]) if row["last_offence_date"] else "None recorded",
            ]
            for row in figures.deselection
        ]
        sections.append(
            Section(
                "De-selection review (restricted: personal data)",
                (
                    "Members on the programme with no offence in the review period and not "
                    "in custody.",
                ),
                (
                    Table(
                        "Members due a de-selection review",
                        ["PNC ID", "Joined", "Management", "Last offence"],
                        rows,
                    ),
                ),
            )
        )
    return sections


def _fmt(value: float | None, places: int = 2) -> str:
    return "n/a" if value is None else f"{value:,.{places}f}"


def iom_report(figures: IomFigures, public: bool = False) -> Report:
    """The IOM section of the board pack as a Report."""
    sections = [
        _composition_section(figures, public),
        _impact_section(figures),
        _cost_section(figures),
        _offences_section(figures),
    ]
    if figures.pathways is not None:
        sections.append(_pathways_section(figures))
    if figures.reoffending is not None:
        sections.append(_reoffending_section(figures))
    if not public:
        sections += _casework_sections(figures)
    notes = [
        f"Source: {figures.source}.",
        "Definitions: docs/measures/iom.md. Offender-years are days at liberty divided by 365.25.",
    ]
    if public:
        notes.append(f"Counts of 1 to 4 people are shown as {SUPPRESSED}.")
    return Report(
        "Integrated Offender Management",
        f"Report date {_label(figures.report_date)}",
        tuple(sections),
        tuple(notes),
    )


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


def iom_json(figures: IomFigures, public: bool = False) -> dict:
    """The figures as JSON-ready data (shape documented in docs/measures/iom.md)."""
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
        "composition": figures.composition,
        "offences_by_members": {
            "quarter": figures.quarter.label,
            "this_quarter": figures.offences_this_quarter,
            "previous_quarter": figures.offences_last_quarter,
        },
        "concentration": {**figures.concentration, "cohort_share_pct": figures.cohort_share_pct},
        "pathways": figures.pathways,
        "proven_reoffending": figures.reoffending.to_dict() if figures.reoffending else None,
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
