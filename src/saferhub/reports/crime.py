"""The crime performance dashboard as a board report (HTML, XLSX, PDF) and as JSON.

The layout follows the board's own dashboard: an overview table like seed 003's (RAG,
factors, recent and rolling-12-month volumes and changes, London and peer ranks, monthly
exception flags), then one section per measure like seed 004's slides (the sentences, a
trend chart of this year against last year with its data, the peer-group comparison and
the monthly checks). Everything is rendered from one `CrimeDashboard`.

A renderer only: `saferhub.app.crime` loads the data, builds the dashboard and publishes
it for an audience; this module and `reports/crime_json.py` render that one result.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from saferhub.measures.crime_dashboard import (
    CrimeDashboard,
    MeasureResult,
)
from saferhub.measures.crime_disclosed import Disclosure, unwrap
from saferhub.measures.published import Published
from saferhub.reports.board_summary import crime_summary, dashboard_tiles
from saferhub.reports.charts import bar_chart, line_chart
from saferhub.reports.crime_sentences import sentences
from saferhub.reports.document import Chart, Report, Section, Table
from saferhub.rules.disclosure import CONFIDENTIAL, SUPPRESSED
from saferhub.rules.exceptions import Flag, MonthCheck
from saferhub.rules.periods import Window

FORMATS = ("html", "xlsx", "pdf", "json")

_RAG_LABEL = {None: "Not rated"}
_FLAG_LABEL = {Flag.HIGH: "High", Flag.LOW: "Low"}


# -- Cells -------------------------------------------------------------------------------


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _count_cell(value: float | None, hidden: bool) -> int | float | str | None:
    if hidden:
        return SUPPRESSED if value is not None and 1 <= value <= 4 else CONFIDENTIAL
    return _number(value)


def _derived_cell(value: float | None, hidden: bool) -> float | str | None:
    return CONFIDENTIAL if hidden else value


def _change_cell(result: MeasureResult, which: str, hidden: frozenset[str]) -> Any:
    comparison = result.recent if which == "recent" else result.rolling
    if {which, f"{which}_previous"} & hidden:
        return CONFIDENTIAL
    if comparison.volume is not None and comparison.previous == 0:
        return "n/a"
    return comparison.change


def _verdict(check: MonthCheck) -> str:
    if check.flag is not None:
        return _FLAG_LABEL[check.flag]
    return "Normal" if check.assessed else "Not checked"


def _factors(result: MeasureResult, recent_months: int) -> str:
    names = {"rolling_12": "rolling 12 months", "recent": f"last {recent_months} months"}
    parts = []
    for indicator in result.indicators:
        change = indicator.comparison.direction
        if change is None:
            continue
        word = {"up": "Increase", "down": "Decrease", "same": "No change"}[change.value]
        judged = f" ({indicator.assessment.value})" if indicator.assessment else ""
        parts.append(f"{word} in {names[indicator.name]}{judged}")
    return "; ".join(parts)


# -- Report ------------------------------------------------------------------------------


def crime_report(
    result: CrimeDashboard | Published[CrimeDashboard], *, peer_charts: bool = True
) -> Report:
    """The board report: overview, one section per measure, method and sources.

    Given a published dashboard, the figures its audience may not see show as markers.
    `peer_charts=False` leaves out the peer-group bar charts (their tables stay): the web
    page does, to render quickly; the files keep them.
    """
    dashboard, disclosure = unwrap(result)
    public = disclosure.public
    recent = dashboard.recent_window
    sections = [_at_a_glance(result), _overview(dashboard, disclosure)]
    sections += [_measure_section(dashboard, r, disclosure, peer_charts) for r in dashboard.results]
    sections.append(_method_section(dashboard))
    notes = list(dashboard.sources)
    if public:
        notes.append(
            "Public version: counts of 1 to 4 are shown as <5, and other figures that would "
            "let a reader work them out as [c]; monthly figures are withheld where any month "
            "is below 5."
        )
    notes.append("Crime figures are provisional and later releases may revise them.")
    return Report(
        title=f"Performance dashboard: {dashboard.area.name}",
        subtitle=(
            f"Recent {len(recent)} months: {recent.label}. Rolling 12 months to "
            f"{dashboard.end.label}."
        ),
        sections=tuple(sections),
        notes=tuple(notes),
    )


def _at_a_glance(result: CrimeDashboard | Published[CrimeDashboard]) -> Section:
    """The summary a reader needs before the detail: what moved, what is Red, which months
    were unusual, and one tile per measure."""
    return Section("At a glance", tuple(crime_summary(result)), (dashboard_tiles(result),))


def _overview(dashboard: CrimeDashboard, disclosure: Disclosure) -> Section:
    """Seed 003's overview, as two tables so it fits a page: the figures, then the RAG
    factors beside the monthly exception flags."""
    recent = dashboard.recent_window
    short = f"{recent.first.short_label} – {recent.last.short_label}"
    columns = [
        "Measure",
        "RAG",
        f"Volume ({short})",
        "Change vs. previous year",
        f"Volume (12 months to {dashboard.end.short_label})",
        "Change vs. previous year (12 months)",
        "Rate per 1,000 (12 months)",
        "London rank",
        f"{dashboard.peer_group.name} rank",
    ]
    rows = []
    for result in dashboard.results:
        hidden = disclosure.of(result)
        rows.append(
            [
                result.measure.label,
                result.rag.label if result.rag else _RAG_LABEL[None],
                _count_cell(result.recent.volume, "recent" in hidden),
                _change_cell(result, "recent", hidden),
                _count_cell(result.rolling.volume, "rolling" in hidden),
                _change_cell(result, "rolling", hidden),
                _derived_cell(result.rate, "rate" in hidden),
                str(result.london_rank) if result.london_rank else None,
                str(result.peer_rank) if result.peer_rank else None,
            ]
        )
    figures = Table(
        title=f"Overview: {dashboard.area.name}, {recent.label}",
        columns=columns,
        rows=rows,
        notes=(
            "Change is against the same months one year earlier. Rates are per 1,000 "
            "residents, except Residential Burglary, per 1,000 households. Ranks: 1 is the "
            "lowest rate; London ranks are among the 32 boroughs.",
        ),
        number_formats={
            columns[2]: "int",
            columns[3]: "pct1",
            columns[4]: "int",
            columns[5]: "pct1",
            columns[6]: "rate2",
        },
    )
    factors = Table(
        title=f"RAG factors and monthly exceptions: {dashboard.area.name}",
        columns=[
            "Measure",
            "Positive / negative factors",
            *(m.short_label for m in recent.months),
        ],
        rows=[
            [
                result.measure.label,
                _factors(result, len(recent)),
                *(_verdict(check) for check in result.exceptions),
            ]
            for result in dashboard.results
        ],
        notes=(
            "High or Low marks a month outside its expected range for the time of year; "
            "see Method and definitions.",
        ),
    )
    paragraphs = [
        f"Crime figures for {dashboard.area.name}, for the {len(recent)} months of "
        f"{recent.label} and the 12 months to {dashboard.end.label}, with the same periods a "
        "year earlier."
    ]
    if dashboard.not_reported:
        missing = "; ".join(f"{m.label} ({why})" for m, why in dashboard.not_reported)
        paragraphs.append(f"Not reported: {missing}.")
    return Section("Overview dashboard", tuple(paragraphs), (figures, factors))


def _measure_section(
    dashboard: CrimeDashboard, result: MeasureResult, disclosure: Disclosure, peer_charts: bool
) -> Section:
    hidden = disclosure.of(result)
    blocks: list[Table | Chart] = []
    if "monthly" not in hidden:
        blocks.append(_trend_chart(result))
    peers = dashboard.peer_results.get(result.measure.key, ())
    if len(peers) > 1:
        blocks.extend(_peer_blocks(dashboard, result, peers, disclosure, peer_charts))
    blocks.append(_exceptions_table(result, hidden))
    return Section(
        result.measure.label,
        sentences(result, dashboard.peer_group.name, hidden),
        tuple(blocks),
    )


def _trend_chart(result: MeasureResult) -> Chart:
    this_year = Window.ending(result.end, 12)
    last_year = this_year.preceding
    values = dict(result.monthly)
    return line_chart(
        f"{result.measure.label}: 12 months to {result.end.label} against the year before",
        [m.first_day.strftime("%b") for m in this_year.months],
        {
            f"12 months to {this_year.last.short_label}": [
                _number(values.get(m)) for m in this_year.months
            ],
            f"12 months to {last_year.last.short_label}": [
                _number(values.get(m)) for m in last_year.months
            ],
        },
        "Number per month",
        x_label="Month",
        number_format="int",
    )


def _peer_blocks(
    dashboard: CrimeDashboard,
    result: MeasureResult,
    peers: Sequence[MeasureResult],
    disclosure: Disclosure,
    with_chart: bool = True,
) -> list[Table | Chart]:
    recent = result.recent.window
    name = dashboard.peer_group.name
    columns = [
        "Borough",
        f"Volume ({recent.first.short_label} – {recent.last.short_label})",
        "Same months a year earlier",
        "Change",
        "Rate per 1,000 (12 months)",
        "London rank",
        f"{name} rank",
    ]
    rows = []
    changes: list[float | None] = []
    for peer in peers:
        hidden = disclosure.of(peer)
        change = _change_cell(peer, "recent", hidden)
        rows.append(
            [
                peer.area,
                _count_cell(peer.recent.volume, "recent" in hidden),
                _count_cell(peer.recent.previous, "recent_previous" in hidden),
                change,
                _derived_cell(peer.rate, "rate" in hidden),
                str(peer.london_rank) if peer.london_rank else None,
                str(peer.peer_rank) if peer.peer_rank else None,
            ]
        )
        changes.append(change if isinstance(change, float) else None)
    table = Table(
        f"{result.measure.label}: {name} comparison",
        columns,
        rows,
        number_formats={
            columns[1]: "int",
            columns[2]: "int",
            columns[3]: "pct1",
            columns[4]: "rate2",
        },
    )
    blocks: list[Table | Chart] = [table]
    if with_chart and any(c is not None for c in changes):
        blocks.append(
            bar_chart(
                f"{result.measure.label}: change in the {len(recent)} months to "
                f"{recent.last.label} against a year earlier, {name}",
                [p.area for p in peers],
                {"% change": changes},
                "% change",
                category_label="Borough",
                number_format="pct1",
            )
        )
    return blocks


def _exceptions_table(result: MeasureResult, hidden: frozenset[str]) -> Table:
    withheld = "monthly" in hidden
    rows = []
    for check in result.exceptions:
        rows.append(
            [
                check.month.label,
                CONFIDENTIAL if withheld else _number(check.observed),
                None if withheld or check.expected is None else round(check.expected, 1),
                None if withheld or check.low is None else math.ceil(check.low),
                None if withheld or check.high is None else math.floor(check.high),
                _verdict(check),
            ]
        )
    columns = ["Month", "Count", "Expected", "Expected range from", "Expected range to", "Verdict"]
    return Table(
        f"{result.measure.label}: unusually high or low months",
        columns,
        rows,
        notes=tuple(
            f"{c.month.label}: not checked, {c.reason}." for c in result.exceptions if c.reason
        ),
        number_formats={
            "Count": "int",
            "Expected": "rate1",
            "Expected range from": "int",
            "Expected range to": "int",
        },
    )


def _method_section(dashboard: CrimeDashboard) -> Section:
    settings = dashboard.settings
    exceptions = settings.exceptions
    paragraphs = (
        "RAG: Green when all performance indicators are positive, Amber when they are mixed, "
        "Red when all or nearly all are negative. The indicators are the change in the rolling "
        "12 months and the change in the recent months against a year earlier; for crime a "
        "decrease is positive. Measures marked 'Not rated' have no better or worse direction.",
        "Ranks compare rates per 1,000 residents (per 1,000 households for Residential "
        "Burglary) over the rolling 12 months. 1 is the lowest rate. London ranks are among "
        "the 32 boroughs only; boroughs with equal rates share the better rank.",
        "Unusually high or low months: each month is compared with the count expected for "
        f"that time of year, from the same month in up to {exceptions.years} earlier years "
        "scaled to the level of the last 12 months. A month outside the range that "
        f"{exceptions.probability:.0%} of ordinary months fall in is flagged. "
        "The full method is under “Monthly exceptions” in the SaferHub documentation.",
    )
    definitions = Table(
        "Measure definitions",
        ["Measure", "Definition", "Source"],
        [[m.label, m.definition, m.origin] for m in dashboard.catalogue.measures],
    )
    return Section("Method and definitions", paragraphs, (definitions,))
