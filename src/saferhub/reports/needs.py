"""The probation caseload needs report: narrative, tables and JSON (renderers only).

`saferhub.app.needs` reads the extract (and a comparison area's), runs
`measures.needs.analyse` and publishes the analysis for an audience (app.publish); this
module turns that one published `NeedsAnalysis` into a Report or JSON, so every output
shows the same figures and no number is computed twice.

The narrative names the prevailing needs in each setting and group with the share of
that group's assessed people who have them (the column base). Seed 000's own narrative
quotes its grand-total percentages ("Thinking and Behaviour (68%)" is 576 of all 835
assessed people, community and custody together); read as "68% of the community" it
understates the need, since 576 is 97% of the 591 assessed people in the community.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from saferhub.measures.needs import (
    NO,
    PEOPLE,
    YES,
    Comparison,
    CrossTab,
    NeedsAnalysis,
)
from saferhub.reports.charts import bar_chart
from saferhub.reports.document import Chart, Report, Section, Table
from saferhub.rules import disclosure
from saferhub.rules import needs as rules
from saferhub.rules.needs import Base

Format = Literal["html", "xlsx", "pdf", "json"]
FORMATS: tuple[str, ...] = ("html", "xlsx", "pdf", "json")
JSON_FORMAT = "saferhub.needs-analysis/1"
TITLE = "Probation caseload needs analysis"


# --- Disclosure markers --------------------------------------------------------------


def marker(table: CrossTab) -> str:
    """How a hidden count shows: "<5", or "[c]" when a larger count had to be hidden too."""
    small = all(1 <= table.raw_count(*cell) <= 4 for cell in table.hidden)
    return disclosure.SUPPRESSED if small else disclosure.CONFIDENTIAL


# --- Narrative ------------------------------------------------------------------------

_GROUP_PHRASES = {
    "Community": "In the community",
    "Custody": "In custody",
    "Male": "Among men",
    "Female": "Among women",
    rules.BAME: "Among Black, Asian & minority ethnic people",
    rules.WHITE: "Among White people",
    "Under 18": "Among people under 18",
    "50+": "Among people aged 50 and over",
}


def _phrase(group: str) -> str:
    if group in _GROUP_PHRASES:
        return _GROUP_PHRASES[group]
    if group[:1].isdigit():
        return f"Among people aged {group}"
    return f"Among people recorded as {group}"


def _name(label: str) -> str:
    """A label inside a sentence: "Thinking & behaviour" -> "thinking & behaviour"."""
    first = label.split()[0]
    return label if first.isupper() else label[:1].lower() + label[1:]


def _share(table: CrossTab, row: str, column: str) -> tuple[int, int, int] | None:
    """(count, group size, whole %) of a yes answer within its column, or None if hidden."""
    yes, no = table.count(row, column, YES), table.count(row, column, NO)
    if yes is None or no is None:
        return None
    share = rules.whole_percent(yes, yes + no)
    return None if share is None else (yes, yes + no, share)


def _overall_share(table: CrossTab, row: str) -> int | None:
    yes = [table.count(row, c, YES) for c in table.columns]
    size = sum(table.raw_count(row, c, a) for c in table.columns for a in (YES, NO))
    if any(y is None for y in yes):
        return None
    return rules.whole_percent(sum(y or 0 for y in yes), size)


def _list(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def prevailing_needs(table: CrossTab, column: str, top: int = 2, then: int = 2) -> str | None:
    """A sentence naming the most common needs in one group, with each one's share."""
    shares = []
    for row in table.rows:
        share = _share(table, row.code, column)
        if share is None:
            return None  # a suppressed figure: say nothing rather than something partial
        shares.append((share, row))
    size = shares[0][0][1] if shares else 0
    if size == 0:
        return None
    ranked = sorted(shares, key=lambda item: (-item[0][0], table.rows.index(item[1])))
    named = [f"{_name(row.label)} ({share[2]}%)" for share, row in ranked[: top + then]]
    noun = table.population_label
    sentence = (
        f"{_phrase(column)}, the most common needs among the {size:,} {noun} are "
        f"{_list(named[:top])}"
    )
    if len(named) > top:
        sentence += f", followed by {_list(named[top:])}"
    distinct = _most_distinct(table, column)
    return sentence + "." + (f" {distinct}" if distinct else "")


def _most_distinct(table: CrossTab, column: str, threshold: int = 10) -> str | None:
    """The need that sets a group apart most from everyone in the table, if by 10+ points."""
    best: tuple[int, str, int, int] | None = None
    for row in table.rows:
        share, overall = _share(table, row.code, column), _overall_share(table, row.code)
        if share is None or overall is None:
            return None
        gap = share[2] - overall
        if abs(gap) >= threshold and (best is None or abs(gap) > abs(best[0])):
            best = (gap, row.label, share[2], overall)
    if best is None:
        return None
    gap, label, share, overall = best
    direction = "more" if gap > 0 else "less"
    return (
        f"{label} is {direction} common here than among everyone in the table "
        f"({share}% against {overall}%)."
    )


def _find(analysis: NeedsAnalysis, key: str) -> CrossTab | None:
    """A table of the analysis, or None when the analysis was asked for other tables."""
    return next((t for t in analysis.tables if t.key == key), None)


def _caseload_sentence(analysis: NeedsAnalysis) -> str | None:
    coverage = _find(analysis, "coverage_by_setting")
    if coverage is None:
        return None
    sizes = {}
    for row in coverage.rows:
        counts = [coverage.count(row.code, c, PEOPLE) for c in coverage.columns]
        if any(c is None for c in counts):
            return None
        sizes[row.code] = sum(c or 0 for c in counts)
    community = sizes.get(rules.SETTING_LABELS[rules.COMMUNITY], 0)
    custody = sizes.get(rules.SETTING_LABELS[rules.CUSTODY], 0)
    omic = sizes.get(rules.SETTING_LABELS[rules.OMIC], 0)
    return (
        f"The caseload has {analysis.people:,} people: {community + custody:,} current cases "
        f"({community:,} in the community and {custody:,} in custody with 8 months or less to "
        f"serve) and {omic:,} OMIC cases in custody with more than 8 months to serve."
    )


def _coverage_sentence(analysis: NeedsAnalysis) -> str:
    missing = analysis.people - analysis.assessed
    share = rules.whole_percent(analysis.assessed, analysis.people)
    text = (
        f"{analysis.assessed:,} of them ({share}%) have an OASys assessment, so the needs "
        f"tables are about {analysis.assessed:,} people."
    )
    if missing:
        text += (
            f" The {missing:,} without one are counted in every caseload table and shown in "
            "'OASys assessments by setting', but cannot be in the needs tables."
        )
    return text


def _registrations_sentence(analysis: NeedsAnalysis) -> str | None:
    table = _find(analysis, "registrations_by_setting")
    if table is None:
        return None
    totals = []
    for row in table.rows:
        share = _overall_share(table, row.code)
        if share is None:
            return None
        totals.append((share, row))
    totals.sort(key=lambda item: (-item[0], table.rows.index(item[1])))
    named = [f"{_name(row.label)} ({share}%)" for share, row in totals[:3]]
    return (
        f"Of the {table.population:,} people on the caseload, the most common nDelius "
        f"registrations are {_list(named)}."
    )


def _smd_sentence(analysis: NeedsAnalysis) -> str | None:
    table = _find(analysis, "smd_by_setting")
    if table is None:
        return None
    code = f"{rules.SMD_THRESHOLD}_or_more"
    yes = [table.count(code, c, YES) for c in table.columns]
    if any(y is None for y in yes) or not table.population:
        return None
    count = sum(y or 0 for y in yes)
    share = rules.whole_percent(count, table.population)
    return (
        f"{count:,} of the {table.population:,} assessed people ({share}%) face severe multiple "
        "disadvantage: besides offending, they have an accommodation need, misuse drugs or "
        "alcohol, or have a mental health need."
    )


def _comparison_sentence(comparison: Comparison) -> str | None:
    rows = [r for r in comparison.rows if r.difference is not None and abs(r.difference) >= 1]
    if not rows:
        return (
            f"{comparison.area} and {comparison.other_area} have the same shares of people "
            f"with each {'need' if 'need' in comparison.key else 'registration'}, to within a "
            "percentage point."
        )
    rows.sort(key=lambda r: -abs(r.difference or 0))
    parts = []
    for row in rows[:3]:
        points = abs(row.difference or 0)
        direction = "higher" if (row.difference or 0) > 0 else "lower"
        parts.append(
            f"{_name(row.label)} ({row.percent:.0f}% against {row.other_percent:.0f}%, "
            f"{points:.0f} points {direction})"
        )
    kind = "needs" if comparison.key == "needs_comparison" else "registrations"
    return (
        f"Compared with {comparison.other_area}, the largest differences in {kind} in "
        f"{comparison.area} are: {_list(parts)}."
    )


def narrative(analysis: NeedsAnalysis) -> dict[str, tuple[str, ...]]:
    """The report's sentences, by section: what a reader should take from the tables."""
    summary = [_caseload_sentence(analysis), _coverage_sentence(analysis)]
    if (needs_by_setting := _find(analysis, "needs_by_setting")) is not None:
        summary += [prevailing_needs(needs_by_setting, c) for c in needs_by_setting.columns]
    summary += [_registrations_sentence(analysis), _smd_sentence(analysis)]
    summary += [_comparison_sentence(c) for c in analysis.comparisons[:1]]
    groups: list[str | None] = []
    for key in ("needs_by_gender", "needs_by_ethnic_group", "needs_by_age_band"):
        if (table := _find(analysis, key)) is not None:
            groups += [prevailing_needs(table, c) for c in table.columns]
    return {
        "summary": tuple(s for s in summary if s),
        "needs": tuple(s for s in groups if s),
        "comparison": tuple(
            s for s in (_comparison_sentence(c) for c in analysis.comparisons) if s
        ),
    }


# --- Rendering ------------------------------------------------------------------------


def _document_table(table: CrossTab) -> Table:
    hidden_as = marker(table)
    # Shares of each group: the "no" answers are the rest of the group, so a row of group
    # sizes replaces them and the table stays narrow enough to read.
    shares = table.is_yes_no and table.base is Base.COLUMN
    answers = (YES,) if shares else table.answers
    columns = [table.row_heading]
    formats: dict[str, str] = {}
    for column in table.columns:
        for answer in answers:
            count_name = f"{column}: {answer.lower()}" if table.is_yes_no else column
            columns += [count_name, f"{count_name} %"]
            formats[count_name], formats[f"{count_name} %"] = "int", "pct2"
    rows: list[list[object]] = []
    if shares:
        sizes: list[object] = [f"All {table.population_label}"]
        for column in table.columns:
            sizes += [table.column_total(column), 100.0 if table.column_total(column) else None]
        rows.append(sizes)
    for row in table.rows:
        cells: list[object] = [row.label]
        for column in table.columns:
            for answer in answers:
                count = table.count(row.code, column, answer)
                cells += [
                    hidden_as if count is None else count,
                    table.percent(row.code, column, answer),
                ]
        rows.append(cells)
    notes = list(table.notes)
    if shares:
        notes.append(
            f"Each percentage is of the group's {table.population_label}; the rest of the group "
            "answered no."
        )
    if table.hidden:
        notes.append(
            f"{hidden_as}: hidden to protect people's identity (counts of 1 to 4, and other "
            "counts that would give them away)."
        )
    return Table(
        title=table.title,
        columns=columns,
        rows=rows,  # type: ignore[arg-type]
        base=table.base_description,
        notes=tuple(notes),
        number_formats=formats,
    )


def _comparison_table(comparison: Comparison) -> Table:
    area, other = comparison.area, comparison.other_area
    columns = [
        "Item", f"{area}: people", f"{area} %", f"{other}: people", f"{other} %",
        "Difference (points)",
    ]  # fmt: skip
    rows = [
        [r.label, r.count if r.count is not None else disclosure.SUPPRESSED, r.percent,
         r.other_count if r.other_count is not None else disclosure.SUPPRESSED,
         r.other_percent, r.difference]
        for r in comparison.rows
    ]  # fmt: skip
    return Table(
        title=comparison.title,
        columns=columns,
        rows=rows,  # type: ignore[arg-type]
        base=f"% of each area's {comparison.population_label}",
        notes=("The difference is in percentage points: this area's share minus the other's.",),
        number_formats={
            columns[1]: "int", columns[2]: "pct2", columns[3]: "int", columns[4]: "pct2",
            columns[5]: "rate2",
        },
    )  # fmt: skip


def _needs_chart(table: CrossTab) -> Chart | None:
    """Each group's share of assessed people with each need: the prevailing needs at a glance."""
    series: dict[str, list[float | None]] = {}
    for column in table.columns:
        values: list[float | None] = []
        for row in table.rows:
            yes, no = table.count(row.code, column, YES), table.count(row.code, column, NO)
            values.append(None if yes is None or no is None else rules.percent(yes, yes + no))
        series[column] = values
    if not table.rows or not any(v is not None for vs in series.values() for v in vs):
        return None
    return bar_chart(
        "Share of assessed people with each need, community and custody",
        [row.label for row in table.rows],
        series,
        "% of assessed people in the group",
        horizontal=True,
        category_label="Criminogenic need",
        number_format="pct1",
        base="% of the assessed people in each group",
    )


def _tables(analysis: NeedsAnalysis, prefix: str) -> tuple[Table, ...]:
    return tuple(_document_table(t) for t in analysis.tables if t.key.startswith(prefix))


def build_report(analysis: NeedsAnalysis) -> Report:
    """The board-pack report: summary, needs, registrations, caseload, disadvantage."""
    text = narrative(analysis)
    needs_by_setting = _find(analysis, "needs_by_setting")
    needs_chart = _needs_chart(needs_by_setting) if needs_by_setting else None
    sections = [
        Section("Summary", paragraphs=text["summary"], blocks=_tables(analysis, "coverage_by")),
        Section(
            "Criminogenic needs",
            paragraphs=text["needs"],
            blocks=((needs_chart,) if needs_chart else ()) + _tables(analysis, "needs_by"),
        ),
        Section("nDelius registrations", blocks=_tables(analysis, "registrations_by")),
        Section(
            "Who is on the caseload",
            blocks=tuple(
                _document_table(t)
                for t in analysis.tables
                if t.key.endswith("_by_setting")
                and t.key.split("_by_")[0]
                in ("gender", "ethnicity", "age_band", "sentence", "tier")
            ),
        ),
        Section(
            "Severe multiple disadvantage",
            paragraphs=(SMD_DEFINITION,),
            blocks=_tables(analysis, "smd_by"),
        ),
    ]
    if analysis.comparisons:
        sections.append(
            Section(
                f"Comparison with {analysis.comparisons[0].other_area}",
                paragraphs=text["comparison"],
                blocks=tuple(_comparison_table(c) for c in analysis.comparisons),
            )
        )
    if analysis.not_assessed:
        sections.append(
            Section(
                "People without an OASys assessment",
                paragraphs=(
                    "Everyone on the caseload without an OASys assessment, for follow-up. "
                    "This list identifies people: it is for probation only.",
                ),
                blocks=(
                    Table(
                        title="People without an OASys assessment",
                        columns=["CRN", "Setting", "Order or sentence", "Tier"],
                        rows=[
                            [p.crn, p.setting, p.sentence_type, p.tier]
                            for p in analysis.not_assessed
                        ],
                    ),
                ),
            )
        )
    # A report asked for fewer tables leaves out the sections it has nothing for.
    shown = tuple(s for s in sections if s.blocks)
    return Report(title=TITLE, subtitle=_subtitle(analysis), sections=shown, notes=_notes(analysis))


SMD_DEFINITION = (
    "Severe multiple disadvantage means facing two or more of: offending, an accommodation "
    "need, substance misuse and a mental health need (after Lankelly Chase, Hard Edges, "
    "2015). Everyone on a probation caseload counts as offending, so an assessed person "
    "has it when they also have an OASys accommodation need, a drug or alcohol misuse "
    "need, or a mental health need (an nDelius mental health registration or an OASys "
    "emotional wellbeing need). It is measured on assessed people only, because three of "
    "the four domains come from OASys."
)


def _subtitle(analysis: NeedsAnalysis) -> str:
    day = analysis.as_of
    return f"{analysis.area}: {analysis.source}, as of {day.day} {day:%B %Y}"


def _notes(analysis: NeedsAnalysis) -> tuple[str, ...]:
    notes = [
        f"Source: the caseload extract {analysis.source} (nDelius and OASys).",
        f"As of {analysis.as_of.isoformat()}"
        + (
            "."
            if analysis.as_of_given
            else ", the latest OASys assessment date in the extract; ages are worked out on "
            "this date."
        ),
        "Each table says what its percentages are out of: all the people in the table, the "
        "row, or the column. Percentages are rounded half up to 2 decimal places.",
        "Custody covers people with 8 months or less to serve and OMIC cases with more.",
    ]
    if analysis.public:
        notes.append(
            "Disclosure control: counts of 1 to 4, and any other count that would let one be "
            "worked out from the totals, are hidden. This version may be shared beyond "
            "probation; it lists no one."
        )
    elif analysis.lists_people:
        notes.append("Not for publication: small counts are shown and people are listed by CRN.")
    else:
        notes.append(
            "For the partnership, not for publication: small counts are shown; no one is listed."
        )
    return tuple(notes)


# --- JSON -----------------------------------------------------------------------------


def _crosstab_json(table: CrossTab) -> dict[str, Any]:
    rows = []
    for row in table.rows:
        cells = []
        for column in table.columns:
            for answer in table.answers:
                count = table.count(row.code, column, answer)
                cells.append(
                    {
                        "column": column,
                        "answer": answer.lower(),
                        "count": count,
                        "percent": table.percent(row.code, column, answer),
                        "denominator": table.denominator(row.code, column, answer),
                        "suppressed": count is None,
                    }
                )
        rows.append({"key": row.code, "label": row.label, "cells": cells})
    return {
        "key": table.key,
        "title": table.title,
        "kind": "yes_no" if table.is_yes_no else "count",
        "row_heading": table.row_heading,
        "columns": list(table.columns),
        "answers": [a.lower() for a in table.answers],
        "base": {
            "kind": table.base.value,
            "description": table.base_description,
            "population": table.population,
            "population_label": table.population_label,
        },
        "rows": rows,
        "notes": list(table.notes),
        "suppression_marker": marker(table) if table.hidden else None,
    }


def _comparison_json(comparison: Comparison) -> dict[str, Any]:
    return {
        "key": comparison.key,
        "title": comparison.title,
        "area": comparison.area,
        "other_area": comparison.other_area,
        "population_label": comparison.population_label,
        "rows": [
            {
                "key": r.code,
                "label": r.label,
                "count": r.count,
                "denominator": r.base,
                "percent": r.percent,
                "other_count": r.other_count,
                "other_denominator": r.other_base,
                "other_percent": r.other_percent,
                "difference_points": r.difference,
            }
            for r in comparison.rows
        ],
    }


def to_json(analysis: NeedsAnalysis) -> dict[str, Any]:
    """The stable JSON shape documented in docs/measures/needs.md."""
    text = narrative(analysis)
    return {
        "format": JSON_FORMAT,
        "title": TITLE,
        "area": analysis.area,
        "source": analysis.source,
        "as_of": analysis.as_of.isoformat(),
        "as_of_from": "option" if analysis.as_of_given else "latest_assessment_date",
        "public": analysis.public,
        "people": analysis.people,
        "assessed": analysis.assessed,
        "not_assessed_count": analysis.people - analysis.assessed,
        "narrative": [*text["summary"], *text["needs"]],
        "tables": [_crosstab_json(t) for t in analysis.tables],
        "comparisons": [_comparison_json(c) for c in analysis.comparisons],
        "not_assessed": None
        if analysis.public or not analysis.lists_people
        else [
            {"crn": p.crn, "setting": p.setting, "sentence_type": p.sentence_type, "tier": p.tier}
            for p in analysis.not_assessed
        ],
        "notes": list(_notes(analysis)),
    }
