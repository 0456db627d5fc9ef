"""The Domestic Abuse MARAC quarterly return as a board-pack report and as JSON.

`marac_report` turns a `MaracStatistics` into the shared `Report` (HTML, XLSX, PDF and
the web page all render it); `marac_json` gives the stable JSON shape documented in
docs/measures/marac.md. Neither computes a figure: both read the measure's result.
"""

from __future__ import annotations

from typing import Any

from saferhub.measures.marac import MEASURES, MaracStatistics, QuarterFigures
from saferhub.measures.published import Published
from saferhub.reports.charts import line_chart
from saferhub.reports.document import Report, Section, Table
from saferhub.rules.disclosure import Audience

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


def _published(result: MaracStatistics | Published[MaracStatistics]) -> Published:
    # The statistics on their own are the partnership's version: every count.
    return result if isinstance(result, Published) else Published(result)


def _count(p: Published, q: QuarterFigures, name: str) -> object:
    return p.show(q.quarter.key, name, getattr(q, name))


def _pct(p: Published, q: QuarterFigures, name: str) -> float | None:
    # A percentage of a hidden count, or of a hidden total, would give the count back.
    key = q.quarter.key
    if p.withheld.hides(key, name) or p.withheld.hides(key, "cases_heard"):
        return None
    return q.pct(name)


def _rate(p: Published, q: QuarterFigures) -> float | None:
    return None if p.withheld.hides(q.quarter.key, "cases_heard") else p.result.rate(q)


def _volume_table(p: Published) -> Table:
    stats = p.result
    rows = [
        [
            q.quarter.label,
            _count(p, q, "cases_heard"),
            _count(p, q, "repeat_cases"),
            _pct(p, q, "repeat_cases"),
            _count(p, q, "children"),
            _count(p, q, "families_with_children"),
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


def _profile_table(p: Published, figures: QuarterFigures) -> Table:
    stats = p.result
    expected = {r.measure: r for r in stats.ranges}
    rows = []
    for name, label in PROFILE_ROWS:
        pct = _pct(p, figures, name)
        benchmark = expected.get(name)
        rows.append(
            [
                label,
                _count(p, figures, name),
                pct,
                benchmark.text if benchmark else None,
                benchmark.reading(pct) if benchmark else None,
            ]
        )
    return Table(
        f"Who the cases were about, {figures.quarter.label}",
        ["Measure", "Cases", "% of cases heard", "Expected", "Reading"],
        rows,
        base=f"% of the cases heard in {figures.quarter.label} "
        f"({_count(p, figures, 'cases_heard')})",
        notes=(
            "Unknown LGBT+ or disability status counts as 'no'; 'not stated' ethnicity "
            "counts as not minoritised.",
        ),
        number_formats={"Cases": "int", "% of cases heard": "pct1"},
    )


def _rate_table(p: Published) -> Table | None:
    stats = p.result
    if stats.adult_women is None:
        return None
    expected = next((r for r in stats.ranges if r.measure == "per_10000_adult_women"), None)
    rows = [
        [
            q.quarter.label,
            _count(p, q, "cases_heard"),
            _rate(p, q),
            expected.low if expected else None,
        ]
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


def _headline(p: Published) -> str:
    latest = p.result.latest
    heard, repeats = _count(p, latest, "cases_heard"), _count(p, latest, "repeat_cases")
    if not isinstance(heard, int):
        return f"Too few cases were heard in {latest.quarter.label} to publish the figures."
    text = f"{heard:,} {_were(heard, 'case')} heard in {latest.quarter.label}"
    if not isinstance(repeats, int):
        return text + "; the number of repeats is too small to publish."
    return text + (f", of which {repeats:,} {'was a repeat' if repeats == 1 else 'were repeats'}.")


def marac_report(
    result: MaracStatistics | Published[MaracStatistics],
    *,
    area: str = "",
    with_chart: bool = True,
) -> Report:
    """The quarterly return: volume and repeats by quarter, then the latest quarter's profile.

    Given published statistics, figures the audience may not see show as their marker.
    """
    p = _published(result)
    stats = p.result
    latest = stats.latest
    volume_blocks: list[Any] = [_volume_table(p)]
    if with_chart and len(stats.quarters) > 1:
        volume_blocks.insert(
            0,
            line_chart(
                "Repeat cases as a % of cases heard",
                [q.quarter.label for q in stats.quarters],
                {"Repeat cases (%)": [_pct(p, q, "repeat_cases") for q in stats.quarters]},
                "% of cases heard",
                x_label="Quarter",
                number_format="pct1",
            ),
        )
    rate = _rate_table(p)
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
                (_headline(p),),
                tuple(volume_blocks),
            ),
            Section(
                "Victims, perpetrators and referrers",
                (
                    "Each figure is read against SafeLives' expected range where one is "
                    "published; the national repeat rate is shown for reference only.",
                ),
                (_profile_table(p, latest),),
            ),
            # The check names cases to correct: for the partnership, not the public.
            *(() if p.audience is Audience.PUBLIC else (_repeat_check_section(stats),)),
            Section("Sources", blocks=(_sources_table(stats),)),
        ),
        notes=(
            "Counts are of cases heard at MARAC meetings in each quarter, by meeting date.",
            _disclosure_note(p),
        ),
    )


def _disclosure_note(p: Published) -> str:
    if p.audience is Audience.PUBLIC:
        return (
            "Public version: counts of 1 to 4 cases, and counts that would give them away, "
            f"are hidden and shown as {p.withheld.marker}; their percentages are not given."
        )
    return (
        "Figures are unrounded counts for the SafeLives return; publish only the public "
        "version outside the partnership."
    )


def marac_json(result: MaracStatistics | Published[MaracStatistics]) -> dict[str, Any]:
    """The statistics as the JSON shape in docs/measures/marac.md (schema version 1).

    In a published version, hidden counts carry the marker and their percentages are null.
    """
    p = _published(result)
    data = p.result.to_dict()
    for q, quarter in zip(p.result.quarters, data["quarters"], strict=True):
        quarter["counts"] = {name: _count(p, q, name) for name in MEASURES}
        quarter["percentages"] = {name: _pct(p, q, name) for name in quarter["percentages"]}
        quarter["per_10000_adult_women"] = _rate(p, q)
    latest = p.result.latest
    for expected in data["expected_ranges"]:
        name = expected["measure"]
        if name == "per_10000_adult_women":
            hide = p.withheld.hides(latest.quarter.key, "cases_heard")
        else:
            hide = _pct(p, latest, name) is None and latest.cases_heard > 0
        if hide:
            expected["latest_value"] = None
            expected["latest_reading"] = None
    if p.audience is Audience.PUBLIC:
        # It names cases to correct: a check for the partnership, not for the public.
        del data["repeat_flag_check"]
    return {
        "report": "marac-quarterly",
        "schema_version": JSON_SCHEMA_VERSION,
        "audience": p.audience.value,
        **data,
    }
