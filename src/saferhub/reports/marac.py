"""The Domestic Abuse MARAC quarterly return as a board-pack report and as JSON.

`marac_report` turns a `MaracStatistics` into the shared `Report` (HTML, XLSX, PDF and
the web page all render it); `marac_json` gives the stable JSON shape documented in
docs/measures/marac.md. Neither computes a figure: both read the measure's result.
"""

from __future__ import annotations

from typing import Any

from saferhub.measures.marac import MaracStatistics, QuarterFigures
from saferhub.reports.charts import line_chart
from saferhub.reports.document import Report, Section, Table

JSON_SCHEMA_VERSION = 1

# (field of QuarterFigures, row label in the return)
PROFILE_ROWS: tuple[tuple[str, str], ...] = (
    ("repeat_cases", "Repeat cases"),
    ("male", "Male victims"),
    ("lgbt", "LGBT+ victims"),
    ("disabled", "Disabled victims"),
    ("minoritised", "Black, Asian and racially minoritised victims"),
    ("aged_16_17", "Victims aged 16-17"),
    ("perpetrator_under_18", "Cases with a perpetrator under 18"),
    ("families_with_children", "Families with children"),
    ("police_referrals", "Referred by the police"),
    ("partner_referrals", "Referred by partner agencies"),
)


def _were(count: int, noun: str) -> str:
    return f"{noun} was" if count == 1 else f"{noun}s were"


def _volume_table(stats: MaracStatistics) -> Table:
    rows = [
        [
            q.quarter.label,
            q.cases_heard,
            q.repeat_cases,
            q.pct("repeat_cases"),
            q.children,
            q.families_with_children,
        ]
        for q in stats.quarters
    ]
    return Table(
        "MARAC cases heard, repeats and children",
        [
            "Quarter",
            "Cases heard",
            "Repeat cases",
            "Repeat cases (%)",
            "Children in the household",
            "Families with children",
        ],
        rows,
        base="Repeat % is of cases heard in the quarter",
        notes=(
            "A repeat is a referral within 365 days of the victim's last MARAC referral "
            "with the same perpetrator (SafeLives definition).",
        ),
        number_formats={
            "Cases heard": "int",
            "Repeat cases": "int",
            "Repeat cases (%)": "pct1",
            "Children in the household": "int",
            "Families with children": "int",
        },
    )


def _profile_table(stats: MaracStatistics, figures: QuarterFigures) -> Table:
    expected = {r.measure: r for r in stats.ranges}
    rows = []
    for name, label in PROFILE_ROWS:
        pct = figures.pct(name)
        benchmark = expected.get(name)
        rows.append(
            [
                label,
                getattr(figures, name),
                pct,
                benchmark.text if benchmark else None,
                benchmark.reading(pct) if benchmark else None,
            ]
        )
    return Table(
        f"Who the cases were about, {figures.quarter.label}",
        ["Measure", "Cases", "% of cases heard", "Expected", "Reading"],
        rows,
        base=f"% of {figures.cases_heard:,} cases heard in {figures.quarter.label}",
        notes=(
            "Unknown LGBT+ or disability status counts as 'no'; 'not stated' ethnicity "
            "counts as not minoritised.",
        ),
        number_formats={"Cases": "int", "% of cases heard": "pct1"},
    )


def _rate_table(stats: MaracStatistics) -> Table | None:
    if stats.adult_women is None:
        return None
    expected = next((r for r in stats.ranges if r.measure == "per_10000_adult_women"), None)
    rows = [
        [q.quarter.label, q.cases_heard, stats.rate(q), expected.low if expected else None]
        for q in stats.quarters
    ]
    return Table(
        "Cases heard per 10,000 adult women",
        ["Quarter", "Cases heard", "Per 10,000 adult women", "Recommended (about)"],
        rows,
        base=f"{stats.adult_women:,} women aged 16 and over",
        notes=(expected.source,) if expected else (),
        number_formats={
            "Cases heard": "int",
            "Per 10,000 adult women": "rate1",
            "Recommended (about)": "rate1",
        },
    )


def _sources_table(stats: MaracStatistics) -> Table:
    return Table(
        "Expected ranges and where they come from",
        ["Measure", "Expected", "Kind", "Source"],
        [
            [r.label, r.text + ("" if r.unit == "%" else f" {r.unit}"), r.kind, r.source]
            for r in stats.ranges
        ],
    )


def _repeat_check_section(stats: MaracStatistics) -> Section:
    """Whether each counted case's stored repeat flag agrees with the repeat rule."""
    check = stats.repeat_check
    if check is None:
        return Section(
            "Repeat flags",
            (
                "The repeat flags recorded on the cases were not checked against the repeat "
                "rule, because the referral history was not available.",
            ),
        )
    rule = f"a referral within {check.rule.days} days of the victim's last MARAC referral"
    if check.agrees:
        return Section(
            "Repeat flags",
            (
                f"All {check.checked:,} cases counted were checked: each recorded repeat flag "
                f"agrees with the repeat rule ({rule}).",
            ),
        )
    count = len(check.disagreements)
    return Section(
        "Repeat flags to correct",
        (
            f"Warning: {count:,} of the {check.checked:,} cases counted "
            f"{'has a repeat flag' if count == 1 else 'have repeat flags'} that the repeat rule "
            f"({rule}) disagrees with, so the repeat figures above may be wrong. Correct the "
            f"case{'' if count == 1 else 's'} named below before publishing: "
            + ", ".join(d.case_id for d in check.disagreements)
            + ".",
        ),
        (
            Table(
                "Cases whose repeat flag disagrees with the rule",
                ["Case", "Recorded as repeat", "Repeat by the rule", "Why"],
                [
                    [d.case_id, "Yes" if d.stored else "No", "Yes" if d.by_rule else "No", d.reason]
                    for d in check.disagreements
                ],
            ),
        ),
    )


def marac_report(stats: MaracStatistics, *, area: str = "", with_chart: bool = True) -> Report:
    """The quarterly return: volume and repeats by quarter, then the latest quarter's profile."""
    latest = stats.latest
    volume_blocks: list[Any] = [_volume_table(stats)]
    if with_chart and len(stats.quarters) > 1:
        volume_blocks.insert(
            0,
            line_chart(
                "Repeat cases as a % of cases heard",
                [q.quarter.label for q in stats.quarters],
                {"Repeat cases (%)": [q.pct("repeat_cases") for q in stats.quarters]},
                "% of cases heard",
                x_label="Quarter",
                number_format="pct1",
            ),
        )
    rate = _rate_table(stats)
    if rate is not None:
        volume_blocks.append(rate)
    first = stats.quarters[0].quarter.label
    period = first if len(stats.quarters) == 1 else f"{first} to {latest.quarter.label}"
    return Report(
        title="Domestic Abuse MARAC: quarterly statistics",
        subtitle=", ".join(part for part in (area, period) if part),
        sections=(
            Section(
                "Cases and repeats",
                (
                    f"{latest.cases_heard:,} {_were(latest.cases_heard, 'case')} heard in "
                    f"{latest.quarter.label}, of which {latest.repeat_cases:,} "
                    f"{'was a repeat' if latest.repeat_cases == 1 else 'were repeats'}.",
                ),
                tuple(volume_blocks),
            ),
            Section(
                "Victims, perpetrators and referrers",
                (
                    "Each figure is read against SafeLives' expected range where one is "
                    "published; the national repeat rate is shown for reference only.",
                ),
                (_profile_table(stats, latest),),
            ),
            _repeat_check_section(stats),
            Section("Sources", blocks=(_sources_table(stats),)),
        ),
        notes=(
            "Counts are of cases heard at MARAC meetings in each quarter, by meeting date.",
            "Figures are unrounded counts for the SafeLives return; apply disclosure control "
            "before publishing them outside the partnership.",
        ),
    )


def marac_json(stats: MaracStatistics) -> dict[str, Any]:
    """The statistics as the JSON shape in docs/measures/marac.md (schema version 1)."""
    return {"report": "marac-quarterly", "schema_version": JSON_SCHEMA_VERSION, **stats.to_dict()}
