"""The partner sections of the board pack: CCTV incidents, Prevent referrals, hate crime and
ASB tools and powers, as `Section`s.

Built from `PartnerFigures` already published for an audience (`saferhub.app.publish.
partner`): hidden counts arrive as their marker and their percentages as None, so nothing
here computes a measure or decides what to hide.
"""

from __future__ import annotations

from saferhub.measures.partner import (
    Breakdown,
    ChangeRow,
    HateCrime,
    PartnerFigures,
    PreventComparison,
    ToolsByMonth,
)
from saferhub.reports.charts import bar_chart
from saferhub.reports.document import Section, Table, format_cell
from saferhub.rules.periods import Window
from saferhub.sources.partner_breakdowns import (
    PREVENT_AGE,
    PREVENT_CONCERN,
    PREVENT_GENDER,
    TOTAL,
)

HATE_NOTE_MORE = (
    "One crime can be flagged under more than one strand, so the strands add up to more "
    "than the total."
)
HATE_NOTE = (
    "One crime can be flagged under more than one strand, so the strands are not parts of "
    "the total and are not added up."
)
PREVENT_RESTRICTED = (
    "The breakdown of Prevent referrals by age, gender and type of concern is restricted: it "
    "is shared with partnership members only, so this version shows the total alone."
)
PREVENT_NO_RAG = (
    "Prevent referrals have no red, amber or green status: more referrals can mean that "
    "more people know how to raise a concern, not that there is more risk."
)
PREVENT_DIMENSIONS = (PREVENT_AGE, PREVENT_GENDER, PREVENT_CONCERN)


def _count(value: object) -> str:
    return format_cell(value, "int")  # type: ignore[arg-type]


def _whole_pct(value: float | None) -> str:
    return "n/a" if value is None else f"{format_cell(value, 'int')}%"


def _change(value: float | None) -> str:
    if value is None:
        return "n/a"
    if value > 0:
        return f"an increase of {format_cell(value, 'pct1')}"
    if value < 0:
        return f"a decrease of {format_cell(-value, 'pct1')}"
    return "no change"


def _months_text(window: Window) -> str:
    n = len(window)
    return f"the {n} months to {window.last.label}" if n > 1 else window.last.label


def _missing_note(months: tuple) -> tuple[str, ...]:
    if not months:
        return ()
    names = ", ".join(m.label for m in months)
    return (f"No figures were given for {names}; the figures cover the other months.",)


def _breakdown_table(breakdown: Breakdown, title: str, heading: str) -> Table:
    rows: list[list] = [[r.category, r.count, r.percent] for r in breakdown.rows]
    rows.append(["Total", breakdown.total, 100.0 if isinstance(breakdown.total, int) else None])
    return Table(
        title,
        [heading, "Incidents", "% of incidents"],
        rows,
        base=f"% of all CCTV incidents in {_months_text(breakdown.window)}",
        notes=_missing_note(breakdown.months_without),
        number_formats={"Incidents": "int", "% of incidents": "pct1"},
    )


def _largest_text(breakdown: Breakdown) -> str:
    top = breakdown.largest(3)
    parts = [f"{r.category} ({_count(r.count)}, {_whole_pct(r.percent)})" for r in top]
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return f"{parts[0]}, followed by {' and '.join(parts[1:])}"


def cctv_section(figures: PartnerFigures) -> Section | None:
    """CCTV incidents by ward, incident type and time of day."""
    wards, types, hours = figures.cctv_by_ward, figures.cctv_by_type, figures.cctv_by_hour
    first = wards or types or hours
    if first is None:
        return None
    period = _months_text(first.window)
    paragraphs = [
        f"{_count(first.total)} incidents were recorded by CCTV in {figures.area} in {period} "
        f"({first.window.label})."
    ]
    blocks: list = []
    if wards is not None:
        if text := _largest_text(wards):
            paragraphs.append(f"The most were in {text}.")
        blocks.append(_breakdown_table(wards, f"CCTV incidents by ward: {period}", "Ward"))
    if types is not None:
        if text := _largest_text(types):
            paragraphs.append(f"The most common incident types were {text}.")
        table = _breakdown_table(types, f"CCTV incidents by incident type: {period}", "Type")
        blocks.append(
            bar_chart(
                table.title,
                [r.category for r in types.rows],
                {"Incidents": [_number(r.count) for r in types.rows]},
                "Incidents",
                horizontal=True,
                category_label="Incident type",
                number_format="int",
                base=table.base,
                notes=_chart_notes(types),
            )
        )
    if hours is not None:
        shown = [r for r in hours.rows if isinstance(r.count, int)]
        if shown:
            busy = max(shown, key=lambda r: r.count)  # type: ignore[arg-type,return-value]
            busiest = (
                f"the busiest time of day was {busy.category} ({_count(busy.count)}, "
                f"{_whole_pct(busy.percent)})"
            )
            if len(shown) == len(hours.rows):
                quiet = min(shown, key=lambda r: r.count)  # type: ignore[arg-type,return-value]
                paragraphs.append(
                    f"The quietest time of day was {quiet.category} ({_count(quiet.count)}, "
                    f"{_whole_pct(quiet.percent)}); {busiest}."
                )
            else:  # a hidden band may be the quietest: name only the busiest
                paragraphs.append(f"{busiest[0].upper()}{busiest[1:]}.")
        title = f"CCTV incidents by time of day: {period}"
        blocks.append(
            bar_chart(
                title,
                [r.category for r in hours.rows],
                {"Incidents": [_number(r.count) for r in hours.rows]},
                "Incidents",
                category_label="Time the incident began",
                number_format="int",
                base=f"All CCTV incidents in {period}",
                notes=_chart_notes(hours),
            )
        )
    return Section("CCTV recorded incidents", tuple(paragraphs), tuple(blocks))


HIDDEN_IN_CHART = (
    "Counts of 1 to 4, and any other count that would give one away, are hidden: the chart "
    "draws no bar for them and the table shows a dash."
)


def _chart_notes(breakdown: Breakdown) -> tuple[str, ...]:
    hidden = any(not isinstance(r.count, int) for r in breakdown.rows)
    return (*_missing_note(breakdown.months_without), *((HIDDEN_IN_CHART,) if hidden else ()))


def _number(value: object) -> int | float | None:
    """A chart value: hidden counts draw no bar (and show their marker in the table)."""
    return value if isinstance(value, int | float) else None


def prevent_section(figures: PartnerFigures) -> Section | None:
    """Prevent referrals in the period against a year earlier; the breakdown and the national
    comparison only when the audience may see them."""
    prevent = figures.prevent
    if prevent is None:
        return None
    total = prevent.total
    paragraphs = [
        f"There were {_count(total.current)} Prevent referrals in {prevent.area} in "
        f"{prevent.label} ({prevent.current.label}), against {_count(total.previous)} in "
        f"{prevent.previous_label}: {_change(total.change_pct)}."
        if total.previous is not None and total.current is not None
        else f"Prevent referrals in {prevent.area}: {_count(total.current)} in {prevent.label} "
        f"and {_count(total.previous)} in {prevent.previous_label} (a dash: no figures given).",
    ]
    blocks: list = [_prevent_change_table(prevent)]
    if prevent.detail_withheld:
        paragraphs.append(PREVENT_RESTRICTED)
    else:
        majority = _prevent_majority(prevent)
        if majority:
            paragraphs.append(f"The largest groups of referrals were {majority}.")
        if prevent.national is not None:
            blocks.extend(_prevent_national(prevent))
        else:
            paragraphs.append("No national figures were given to compare with.")
    paragraphs.append(PREVENT_NO_RAG)
    return Section("Prevent referrals", tuple(paragraphs), tuple(blocks))


def _prevent_majority(prevent: PreventComparison) -> str:
    by_name = {r.category: r for r in prevent.rows}
    parts = []
    for dimension in PREVENT_DIMENSIONS:
        shares = [by_name[c] for c in dimension if c in by_name and by_name[c].share_pct]
        if shares:
            top = max(shares, key=lambda r: r.share_pct or 0)
            parts.append(f"{top.category} ({_whole_pct(top.share_pct)})")
    return ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else "".join(parts)


def _prevent_change_table(prevent: PreventComparison) -> Table:
    rows = [[r.category, r.previous, r.current, r.change_pct] for r in prevent.rows]
    overlap = (
        ()
        if prevent.detail_withheld
        else (
            "Age, gender and type of concern each split the same referrals, so the "
            "categories together add up to more than the total.",
        )
    )
    return Table(
        f"Prevent referrals in {prevent.area}: {prevent.label} against a year earlier",
        ["Referrals", prevent.previous_label, prevent.label, "% change"],
        rows,
        notes=(
            *overlap,
            "% change is n/a when there were none in the earlier period.",
            *_missing_note(prevent.months_without),
        ),
        number_formats={prevent.previous_label: "int", prevent.label: "int", "% change": "pct1"},
    )


def _prevent_national(prevent: PreventComparison) -> list:
    assert prevent.national is not None
    rows = [r for r in prevent.rows if r.category != TOTAL]
    national = prevent.national.label
    base = f"% of all referrals in {prevent.area} in {prevent.label}; nationally, {national}"
    table = Table(
        f"Prevent referrals in {prevent.area} and nationally: share of all referrals",
        ["Referrals", f"% in {prevent.area}", "% nationally", "Difference (percentage points)"],
        [[r.category, r.share_pct, r.national_share_pct, r.difference_pp] for r in rows],
        base=base,
        notes=("A positive difference means a larger share locally than nationally.",),
        number_formats={
            f"% in {prevent.area}": "pct1",
            "% nationally": "pct1",
            "Difference (percentage points)": "rate1",
        },
    )
    chart = bar_chart(
        f"Share of Prevent referrals: {prevent.area} and nationally",
        [r.category for r in rows],
        {
            prevent.area: [r.share_pct for r in rows],
            "National": [r.national_share_pct for r in rows],
        },
        "% of referrals",
        horizontal=True,
        category_label="Referrals",
        number_format="pct1",
        base=base,
    )
    return [table, chart]


def hate_crime_section(figures: PartnerFigures) -> Section | None:
    """All hate crime and each strand against a year earlier, with the overlap note."""
    hate = figures.hate_crime
    if hate is None:
        return None
    period = _months_text(hate.current)
    total = hate.total
    earlier = (
        f", against {_count(total.previous)} in the same months a year earlier: "
        f"{_change(total.change_pct)}."
        if total.previous is not None
        else "; no figures were given for the same months a year earlier."
    )
    paragraphs = [
        f"{_count(total.current)} hate crimes were recorded in {hate.area} in {period}{earlier}"
    ]
    rows: list[ChangeRow] = [total, *hate.strands]
    now, before = hate.current.label, hate.previous.label
    table = Table(
        f"Hate crime by strand: {period} and a year earlier",
        ["Hate crime", before, now, "% change"],
        [[r.category, r.previous, r.current, r.change_pct] for r in rows],
        notes=(_hate_note(hate), *_missing_note(hate.months_without)),
        number_formats={before: "int", now: "int", "% change": "pct1"},
    )
    return Section("Hate crime", tuple(paragraphs), (table,))


def _hate_note(hate: HateCrime) -> str:
    strands = sum(s.current for s in hate.strands if isinstance(s.current, int))
    total = hate.total.current
    return HATE_NOTE_MORE if isinstance(total, int) and strands > total else HATE_NOTE


def tools_section(figures: PartnerFigures) -> Section | None:
    """Uses of ASB tools and powers month by month."""
    tools: ToolsByMonth | None = figures.tools
    if tools is None:
        return None
    period = _months_text(tools.window)
    used = sorted(
        (
            (name, total)
            for name, total in zip(tools.tools, tools.totals, strict=True)
            if isinstance(total, int) and total > 0
        ),
        key=lambda item: -item[1],
    )
    if used:
        listed = " and ".join(f"{name} ({total})" for name, total in used[:2])
        text = f"The tools and powers used most in {period} were {listed}."
    else:
        text = f"No ASB tools and powers were recorded as used in {period}."
    rows = [
        [month.label, *counts] for month, counts in zip(tools.months, tools.counts, strict=True)
    ]
    rows.append(["Total", *tools.totals])
    table = Table(
        f"ASB tools and powers: {period}",
        ["Month", *tools.tools],
        rows,
        notes=_missing_note(tools.months_without),
        number_formats=dict.fromkeys(tools.tools, "int"),
    )
    return Section("ASB tools and powers", (text,), (table,))


def partner_sections(figures: PartnerFigures) -> list[Section]:
    """Every partner section that has figures, in board-pack order."""
    built = (
        cctv_section(figures),
        prevent_section(figures),
        hate_crime_section(figures),
        tools_section(figures),
    )
    return [s for s in built if s is not None]
