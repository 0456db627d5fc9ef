"""The IOM board-pack section as a Report: cohort, impact, cost of crime avoided, offending
by the cohort, pathways, proven reoffending and (never in public) the casework lists.

Built from `IomFigures` already published for an audience (saferhub.app.publish): hidden
counts arrive as their marker, so nothing here computes a measure or decides what to hide.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from saferhub.measures import iom
from saferhub.reports.charts import bar_chart
from saferhub.reports.document import Report, Section, Table
from saferhub.rules.disclosure import CONFIDENTIAL, SUPPRESSED
from saferhub.rules.iom_pathways import PATHWAYS
from saferhub.rules.iom_tiers import TIER_ORDER
from saferhub.rules.reoffending import METHOD_LABELS, QUARTERLY_COHORTS
from saferhub.sources.offences import offence_catalogue

if TYPE_CHECKING:
    from saferhub.measures.iom_figures import IomFigures

DIMENSION_TITLES = {"gender": "Gender", "ethnicity": "Ethnicity", "age_band": "Age band"}


def _label(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _pct(part: object, whole: object) -> float | None:
    """A share, or None when either figure was hidden (a marker) or the whole is 0."""
    if not isinstance(part, int | float) or not isinstance(whole, int | float) or not whole:
        return None
    return 100 * part / whole


def _composition_section(figures: IomFigures) -> Section:
    public = figures.audience.suppresses
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
    sizes, managed, tiered = [], [], []
    for day in figures.snapshot_dates:
        parts = figures.composition.get(day.isoformat(), {})
        sizes.append(parts.get("cohort", {}).get("All members", 0))
        managed.append(
            [parts.get("management", {}).get(m, 0) for m in ("Statutory", "Non-statutory")]
        )
        tiered.append([parts.get("tier", {}).get(t, 0) for t in [*tiers, *extra_tiers]])
    managed_shown, tiered_shown = managed, tiered
    rows = [
        [_label(day), size, *m, *t]
        for day, size, m, t in zip(
            figures.snapshot_dates, sizes, managed_shown, tiered_shown, strict=True
        )
    ]
    if public:
        statutory, non_statutory = managed_shown[-1]
        paragraphs[0] = (
            f"On {_label(figures.report_date)} the IOM cohort had {size} members: "
            f"{statutory} statutory (on licence, managed by probation) and "
            f"{non_statutory} non-statutory (managed by IOM police)."
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
    if len(figures.snapshot_dates) >= 2 and not public:
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
        # Hidden counts sort after the shown ones, by name: their order would hint at them.
        order = (
            list(iom.AGE_BANDS)
            if dimension == "age_band"
            else sorted(counts, key=lambda c: (_sort_count(counts[c]), c))
        )
        categories = [c for c in order if counts.get(c)]
        table_rows = [[c, counts[c], _pct(counts[c], size)] for c in categories]
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
    ordered = sorted(figures.pathways or [], key=lambda r: _pathway_order(r["pathway"]))
    outcomes = ("achieved", "partially_achieved", "not_achieved", "withdrawn", "open")
    rows = [
        [
            row["pathway"],
            row["referrals"],
            *(row[o] for o in outcomes),
            row["outcome_rate_pct"],
            row["achieved_rate_pct"],
        ]
        for row in ordered
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
            f"Method: {METHOD_LABELS[QUARTERLY_COHORTS]}; the 12 months are four 3-month "
            "cohorts pooled, so someone who entered the cohort in two quarters counts in both.",
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


def _sort_count(value: object) -> float:
    return -value if isinstance(value, int | float) else float("inf")


def iom_report(figures: IomFigures) -> Report:
    """The IOM section of the board pack as a Report, for the audience it was published for."""
    public = figures.audience.suppresses
    sections = [
        _composition_section(figures),
        _impact_section(figures),
        _cost_section(figures),
        _offences_section(figures),
    ]
    if figures.pathways is not None:
        sections.append(_pathways_section(figures))
    if figures.reoffending is not None:
        sections.append(_reoffending_section(figures))
    sections += _casework_sections(figures)
    notes = [
        f"Source: {figures.source}.",
        "Definitions: “Integrated Offender Management” in the SaferHub documentation. "
        "Offender-years are days at liberty divided by 365.25.",
    ]
    if public:
        notes.append(
            f"Counts of 1 to 4 people are shown as {SUPPRESSED}; where other counts had to be "
            f"hidden too, so that the small ones cannot be worked out, a table shows "
            f"{CONFIDENTIAL} instead."
        )
    return Report(
        "Integrated Offender Management",
        f"Report date {_label(figures.report_date)}",
        tuple(sections),
        tuple(notes),
    )
