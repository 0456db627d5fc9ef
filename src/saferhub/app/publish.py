"""Publish a computed result for an audience: the one stage where disclosure control runs.

Every format (web page, HTML, XLSX, PDF, JSON) renders the result this module returns,
so the same audience sees the same figures everywhere. The rules themselves (what to
hide, how to mark it) are pure and live in `saferhub.rules.disclosure`; the conventions
are in docs/disclosure.md.

What each audience sees:
- restricted: everything, with any casework list (named or identifying rows);
- partnership: every count, no casework list;
- public: counts of people from 1 to 4 hidden, with whatever would give them away
  (secondary suppression across each published table), and no casework list.
"""

from __future__ import annotations

from dataclasses import replace

from saferhub.measures.asb import ROW_LABELS as ASB_ROW_LABELS
from saferhub.measures.asb import TOOL_SERIES_NAMES, AsbStatistics
from saferhub.measures.asb import PublishedRow as AsbRow
from saferhub.measures.asb import PublishedStatistics as AsbPublished
from saferhub.measures.catalogue import MeasureDefinition
from saferhub.measures.crime_dashboard import CrimeDashboard, MeasureResult
from saferhub.measures.crime_disclosed import WINDOW_FIELDS, Disclosure, window_values
from saferhub.measures.iom_figures import IomFigures
from saferhub.measures.marac import MaracStatistics
from saferhub.measures.needs import PEOPLE, Comparison, ComparisonRow, CrossTab, NeedsAnalysis
from saferhub.measures.panels import PanelStatistics
from saferhub.measures.partner import (
    Breakdown,
    ChangeRow,
    HateCrime,
    PartnerFigures,
    PreventComparison,
    ToolsByMonth,
)
from saferhub.measures.published import Published
from saferhub.measures.reoffending import ReoffendingFigures
from saferhub.measures.reoffending_area import AreaReoffending
from saferhub.rules.disclosure import (
    CONFIDENTIAL,
    SUPPRESSED,
    Audience,
    apply,
    is_hidden,
    marker_for,
    protect_table,
    suppress_counts,
    suppress_table,
    withheld_from,
)

REOFFENDING_DERIVED = ("reoffenders", "reoffences", "rate_pct", "per_offender", "per_reoffender")
IOM_OUTCOMES = ("achieved", "partially_achieved", "not_achieved", "withdrawn", "open")


def iom(figures: IomFigures, audience: Audience) -> IomFigures:
    """The IOM figures as `audience` may see them.

    Cohort composition is published as one table per dimension (snapshot dates by
    category, each row totalling the cohort size), so the board's quarter-end table, the
    latest-date tables and the JSON hide the same cells.
    """
    composition = _composition(figures, audience)
    return replace(
        figures,
        composition=composition,
        pathways=_pathways(figures.pathways, audience),
        selection=figures.selection if audience.sees_people else None,
        deselection=figures.deselection if audience.sees_people else None,
        audience=audience,
    )


def _composition(figures: IomFigures, audience: Audience) -> dict:
    days = [d.isoformat() for d in figures.snapshot_dates]
    days += [d for d in figures.composition if d not in days]
    dimensions: dict[str, list[str]] = {}
    for day in days:
        for dimension, counts in figures.composition.get(day, {}).items():
            known = dimensions.setdefault(dimension, [])
            known.extend(c for c in counts if c not in known)
    shown: dict = {day: {} for day in days if day in figures.composition}
    for dimension, categories in dimensions.items():
        present = [day for day in days if dimension in figures.composition.get(day, {})]
        grid = [
            [int(figures.composition[day][dimension].get(c, 0)) for c in categories]
            for day in present
        ]
        published = protect_table(grid, audience)
        for day, row in zip(present, published, strict=True):
            original = figures.composition[day][dimension]
            # Categories absent on a day stay absent, unless hidden as a secondary cell:
            # dropping a hidden cell would leave its partner recoverable from the total.
            shown[day][dimension] = {
                c: value
                for c, value in zip(categories, row, strict=True)
                if c in original or is_hidden(value)
            }
    return shown


def _pathways(pathways: list[dict] | None, audience: Audience) -> list[dict] | None:
    if pathways is None:
        return None
    grid = protect_table([[row[o] for o in IOM_OUTCOMES] for row in pathways], audience)
    shown = []
    for row, counts in zip(pathways, grid, strict=True):
        # A rate from a hidden count would give the count back.
        safe = not any(is_hidden(c) for c in counts)
        shown.append(
            {
                **row,
                **dict(zip(IOM_OUTCOMES, counts, strict=True)),
                "outcome_rate_pct": row["outcome_rate_pct"] if safe else None,
                "achieved_rate_pct": row["achieved_rate_pct"] if safe else None,
            }
        )
    return shown


def reoffending(result: AreaReoffending, audience: Audience) -> AreaReoffending:
    """Proven reoffending as `audience` may see it.

    Each cohort splits into reoffenders and those who did not reoffend, published with
    their total (the cohort). If either is hidden, both are, and so is every figure
    worked out from them (reoffences, the rate, reoffences per offender and reoffender).
    The 3-month cohorts of a period add up to its pooled figures, so one hidden cohort
    could be worked out from the pooled figure and the others: when any cohort of a period
    (or the pooled figure itself) is hidden, every cohort of that period is.
    """
    hidden: dict[str, frozenset[str]] = {}
    rows: list[list[int]] = []  # every hidden split, with which of its cells are hidden
    masks: list[list[bool]] = []

    def split(figures: ReoffendingFigures) -> list[int]:
        return [figures.reoffenders, figures.offenders - figures.reoffenders]

    def mask(figures: ReoffendingFigures) -> list[bool]:
        return [is_hidden(value) for value in protect_table([split(figures)], audience)[0]]

    for which, parts in (("cohort", "cohorts"), ("previous", "previous_cohorts")):
        pooled: ReoffendingFigures = getattr(result, which)
        if any(mask(pooled)):
            hidden[which] = frozenset(REOFFENDING_DERIVED)
            rows.append(split(pooled))
            masks.append(mask(pooled))
        cohorts: tuple[ReoffendingFigures, ...] = getattr(result, parts)
        if which in hidden or any(any(mask(c)) for c in cohorts):
            hidden[parts] = frozenset(REOFFENDING_DERIVED)
            for figures in cohorts:
                own = mask(figures)
                rows.append(split(figures))
                # A cohort hidden only so the others cannot be worked out is hidden whole.
                masks.append(own if any(own) else [True, True])
    marker = marker_for(rows, masks) if rows else CONFIDENTIAL
    return replace(result, audience=audience, hidden=hidden, marker=marker)


# Counts that split the quarter's cases heard in two (this group, and the rest).
MARAC_SPLITS = (
    "repeat_cases",
    "families_with_children",
    "male",
    "lgbt",
    "disabled",
    "minoritised",
    "aged_16_17",
    "perpetrator_under_18",
    "police_referrals",
    "partner_referrals",
)


def marac(stats: MaracStatistics, audience: Audience) -> Published[MaracStatistics]:
    """The MARAC quarterly statistics as `audience` may see them.

    Each count of cases with a characteristic is published with the quarter's cases heard,
    so it and the rest of the cases form a list with its total: if either is 1 to 4, both
    are hidden. A quarter with 1 to 4 cases heard hides every figure of that quarter.
    Children counts stand alone (hidden when 1 to 4). Percentages and rates follow their
    counts.
    """
    hidden: dict[tuple[str, str], int] = {}
    if audience.suppresses:
        for q in stats.quarters:
            key = q.quarter.key
            if 1 <= q.cases_heard <= 4:
                for name in ("cases_heard", "children", *MARAC_SPLITS):
                    hidden[(key, name)] = getattr(q, name)
                continue
            if 1 <= q.children <= 4:
                hidden[(key, "children")] = q.children
            for name in MARAC_SPLITS:
                count = getattr(q, name)
                shown = protect_table([[count, max(q.cases_heard - count, 0)]], audience)[0]
                if is_hidden(shown[0]):
                    hidden[(key, name)] = count
    return Published(stats, audience, withheld_from(hidden))


def _suppress_crosstab(table: CrossTab) -> CrossTab:
    hidden: set[tuple[str, str, str]] = set()
    if table.is_yes_no:
        # Per question: yes and no by group, with the group sizes and the yes and no
        # totals treated as published.
        for row in table.rows:
            grid = [[table.raw_count(row.code, c, a) for c in table.columns] for a in table.answers]
            mask = suppress_table(grid)
            for a_index, answer in enumerate(table.answers):
                for c_index, column in enumerate(table.columns):
                    if mask[a_index][c_index]:
                        hidden.add((row.code, column, answer))
    else:
        grid = [[table.raw_count(r.code, c, PEOPLE) for c in table.columns] for r in table.rows]
        mask = suppress_table(grid)
        for r_index, row in enumerate(table.rows):
            for c_index, column in enumerate(table.columns):
                if mask[r_index][c_index]:
                    hidden.add((row.code, column, PEOPLE))
    return replace(table, hidden=frozenset(hidden))


def _suppress_comparison(comparison: Comparison) -> Comparison:
    def protect(row: ComparisonRow) -> ComparisonRow:
        mine = suppress_counts([row.count or 0, row.base - (row.count or 0)])
        theirs = suppress_counts([row.other_count or 0, row.other_base - (row.other_count or 0)])
        if mine[0]:
            row = replace(row, count=None, percent=None)
        if theirs[0]:
            row = replace(row, other_count=None, other_percent=None)
        return row

    return replace(comparison, rows=tuple(protect(r) for r in comparison.rows))


def needs(analysis: NeedsAnalysis, audience: Audience) -> NeedsAnalysis:
    """The needs analysis as `audience` may see it.

    Restricted (probation): everything, with the people not yet assessed listed by CRN.
    Partnership: every count, no one listed. Public: counts of 1 to 4 hidden, with enough
    other cells that no hidden count can be worked out from the totals, and no one listed.
    """
    if audience is Audience.RESTRICTED:
        return analysis
    if audience is Audience.PARTNERSHIP:
        return replace(analysis, not_assessed=(), lists_people=False)
    return replace(
        analysis,
        tables=tuple(_suppress_crosstab(t) for t in analysis.tables),
        comparisons=tuple(_suppress_comparison(c) for c in analysis.comparisons),
        not_assessed=(),
        public=True,
        lists_people=False,
    )


# ---------------------------------------------------------------------------------------------
# Crime

CRIME_LOW, CRIME_HIGH = 1, 4


def _crime_small(value: float | None) -> bool:
    return value is not None and CRIME_LOW <= value <= CRIME_HIGH


def crime(dashboard: CrimeDashboard, audience: Audience) -> Published[CrimeDashboard]:
    """The crime dashboard as `audience` may see it (see `_crime_hidden`)."""
    return Published(dashboard, audience, _crime_hidden(dashboard, audience.suppresses))


def _crime_hidden(dashboard: CrimeDashboard, public: bool) -> Disclosure:
    """What a public version must hide; nothing for other audiences.

    Which published figures to hide, worked out once so the tables, sentences, charts and
    JSON all hide the same ones (rules in `saferhub.rules.disclosure`):

    - primary: every count from 1 to 4 (a window volume, a peer borough's volume, a month);
    - secondary, between measures: where one measure is the total of others (Burglary is
      Residential Burglary plus Burglary Business and Community), each window's parts are
      treated as a list published with its total, so one hidden part is never the total
      minus the visible ones;
    - secondary, within a measure: window volumes are sums of months, so if any of the 24
      months shown would be hidden, the monthly figures (trend chart and table, the counts
      beside exception flags) are withheld for that measure and only the totals are shown;
    - derived figures follow their counts: a % change or a rate from a hidden count is hidden.
    """
    if not public:
        return Disclosure(False, {})
    results: list[MeasureResult] = [r for group in dashboard.peer_results.values() for r in group]
    own = {(r.measure.key, r.area) for r in results}
    results += [r for r in dashboard.results if (r.measure.key, r.area) not in own]
    hidden: dict[tuple[str, str], set[str]] = {}
    for result in results:
        fields = {name for name, value in window_values(result).items() if _crime_small(value)}
        if any(_crime_small(value) for _, value in result.monthly):
            fields.add("monthly")
        hidden[(result.measure.key, result.area)] = fields
    by_key: dict[tuple[str, str], MeasureResult] = {(r.measure.key, r.area): r for r in results}
    for total, parts in _totals_and_parts(dashboard.catalogue.measures).items():
        for area in {r.area for r in results}:
            if (total, area) not in by_key:
                continue
            present = [p for p in parts if (p, area) in by_key]
            for name in WINDOW_FIELDS:
                values = [window_values(by_key[(p, area)])[name] for p in present]
                if None in values:
                    continue
                mask = suppress_counts([int(v) for v in values], CRIME_LOW, CRIME_HIGH)  # type: ignore[arg-type]
                for part, hide in zip(present, mask, strict=True):
                    if hide:
                        hidden[(part, area)].add(name)
    for fields in hidden.values():
        if "rolling" in fields:
            fields.add("rate")
    return Disclosure(True, {key: frozenset(value) for key, value in hidden.items()})


def _totals_and_parts(measures: tuple[MeasureDefinition, ...]) -> dict[str, list[str]]:
    """MPS measures that count a whole major category, with the measures that count only
    minor categories of it (their parts)."""
    totals = {
        m.categories[0].major: m.key
        for m in measures
        if m.source == "mps" and len(m.categories) == 1 and m.categories[0].minor is None
    }
    parts: dict[str, list[str]] = {}
    for m in measures:
        if m.source != "mps" or m.key in totals.values():
            continue
        majors = {c.major for c in m.categories}
        if len(majors) == 1 and all(c.minor for c in m.categories):
            major = majors.pop()
            if major in totals:
                parts.setdefault(totals[major], []).append(m.key)
    return parts


# ---------------------------------------------------------------------------------------------
# Partner breakdowns (CCTV, Prevent, hate crime, ASB tools and powers)


def partner(figures: PartnerFigures, audience: Audience) -> PartnerFigures:
    """The partner figures as `audience` may see them.

    Public: each breakdown (CCTV by ward, by incident type, by hour band) is a list of counts
    published with its total, so counts of 1 to 4 are hidden with enough others that none can
    be worked out from the total, and the % of a hidden count is hidden too; tools and powers
    are a table of months by tool published with each tool's total, protected as one table;
    hate crime strands are flags that overlap, not parts of the total, so each count of 1 to
    4 is hidden on its own; a change worked out from a hidden count is hidden. Prevent
    referrals are shown as the total only: the breakdown never reaches the public.
    Other audiences see every figure.
    """
    if not audience.suppresses:
        return replace(figures, audience=audience)
    return replace(
        figures,
        cctv_by_ward=_partner_breakdown(figures.cctv_by_ward),
        cctv_by_type=_partner_breakdown(figures.cctv_by_type),
        cctv_by_hour=_partner_breakdown(figures.cctv_by_hour),
        prevent=_prevent_total_only(figures.prevent),
        hate_crime=_hate_crime(figures.hate_crime),
        tools=_tools(figures.tools),
        audience=audience,
    )


def _small(count: object) -> bool:
    return isinstance(count, int) and 1 <= count <= 4


def _partner_breakdown(breakdown: Breakdown | None) -> Breakdown | None:
    if breakdown is None:
        return None
    counts = [int(row.count) for row in breakdown.rows]
    total = int(breakdown.total)
    # A total of 1 to 4 gives away every count under it: the whole list is hidden.
    mask = [count > 0 for count in counts] if _small(total) else suppress_counts(counts)
    marker = marker_for([counts], [mask])
    rows = tuple(
        replace(row, count=marker, percent=None) if hide else row
        for row, hide in zip(breakdown.rows, mask, strict=True)
    )
    return replace(breakdown, rows=rows, total=marker if _small(total) else total)


def _hidden_change(row: ChangeRow) -> ChangeRow:
    previous = SUPPRESSED if _small(row.previous) else row.previous
    current = SUPPRESSED if _small(row.current) else row.current
    hidden = previous != row.previous or current != row.current
    return replace(
        row, previous=previous, current=current, change_pct=None if hidden else row.change_pct
    )


def _prevent_total_only(prevent: PreventComparison | None) -> PreventComparison | None:
    if prevent is None:
        return None
    return replace(prevent, rows=(_hidden_change(prevent.total),), detail_withheld=True)


def _hate_crime(hate: HateCrime | None) -> HateCrime | None:
    if hate is None:
        return None
    return replace(
        hate,
        total=_hidden_change(hate.total),
        strands=tuple(_hidden_change(s) for s in hate.strands),
    )


def _tools(tools: ToolsByMonth | None) -> ToolsByMonth | None:
    if tools is None:
        return None
    # The tool totals go in as one more row: a total of 1 to 4 is hidden like any count, and
    # the cells under it with it.
    grid = [[int(c) for c in row] for row in tools.counts] + [[int(c) for c in tools.totals]]
    shown = protect_table(grid, Audience.PUBLIC)
    return replace(tools, counts=tuple(tuple(r) for r in shown[:-1]), totals=tuple(shown[-1]))


# The other panels (CS MARAC, Adults at Risk, SIRM) and ASB


def panel(stats: PanelStatistics, audience: Audience) -> PanelStatistics:
    """One panel's quarterly statistics as `audience` may see them.

    Restricted and partnership: every count. Public: counts of 1 to 4 shown as "<5", each
    measure's row of quarters treated as one list published with its total (so a second
    cell is hidden where one alone could be worked out), and the median hidden wherever
    fewer than 5 reviews stand behind it.
    """
    if not audience.suppresses:
        return replace(stats, audience=audience.value)
    if stats.audience == Audience.PUBLIC.value:
        return stats
    counts: dict[str, list[object]] = {}
    for key, values in stats.counts.items():
        counts[key] = apply([values], [suppress_counts(values)])[0]
    medians = [
        m if m is None or n >= 5 else SUPPRESSED
        for m, n in zip(stats.median_days_to_review, stats.reviews_done, strict=True)
    ]
    return PanelStatistics(
        stats.panel,
        stats.quarters,
        counts,  # type: ignore[arg-type]
        medians,  # type: ignore[arg-type]
        stats.labels,
        [],
        audience=Audience.PUBLIC.value,
    )


def _small(value: int) -> bool:
    return 1 <= value <= 4


def asb(stats: AsbStatistics, audience: Audience) -> AsbPublished:
    """The ASB statistics as `audience` may see them.

    Public: counts of 1 to 4 hidden; threshold met and not met are published with their
    total (the requests), and tools by type with theirs, so a second cell is hidden where
    one alone could be worked out; a median of 1 to 4 reviews is hidden too, as it
    describes so few people. Other audiences see every count.
    """
    public = audience.suppresses
    columns: dict[str, list[object]] = {key: [] for key in ASB_ROW_LABELS}
    for q in stats.quarters:
        single = {
            "cases_opened": q.cases_opened,
            "incidents": q.incidents,
            "reviews_requested": q.reviews_requested,
            "reviews_completed": q.reviews_completed,
        }
        for key, value in single.items():
            columns[key].append(SUPPRESSED if public and _small(value) else value)
        pair = [q.reviews_met, q.reviews_not_met]
        hidden = suppress_counts(pair) if public else [False, False]
        # "<5" only where it is true and gives nothing away; otherwise "[c]" (rules.disclosure).
        marker = marker_for([pair], [hidden])
        for key, value, hide in zip(("reviews_met", "reviews_not_met"), pair, hidden, strict=True):
            columns[key].append(marker if hide else value)
        median_days = q.median_working_days
        if median_days is not None and public and _small(q.reviews_completed):
            columns["median_working_days"].append(SUPPRESSED)
        else:
            columns["median_working_days"].append(median_days)
        counts = [q.tools[kind] for kind in TOOL_SERIES_NAMES]
        hidden = suppress_counts(counts) if public else [False] * len(counts)
        marker = marker_for([counts], [hidden])
        for kind, value, hide in zip(TOOL_SERIES_NAMES, counts, hidden, strict=True):
            columns[f"tool:{kind}"].append(marker if hide else value)
        total = q.tools_total
        columns["tools_total"].append(SUPPRESSED if public and _small(total) else total)
    return AsbPublished(
        audience.value,
        tuple(q.quarter.label for q in stats.quarters),
        tuple(AsbRow(key, ASB_ROW_LABELS[key], tuple(values)) for key, values in columns.items()),
    )
