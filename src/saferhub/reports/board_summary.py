"""The board pack's executive summary and KPI tiles, written from the published dashboard.

A renderer only: every number is read from the `CrimeDashboard` results that
`saferhub.app.publish.crime` published for the pack's audience (the same results the
dashboard's tables show), and the other partners' headlines are the first sentences of
their own published sections. In a public pack a hidden count reads "fewer than 5" or is
left out, and a change worked out from a hidden count is not given.
"""

from __future__ import annotations

from collections.abc import Sequence

from saferhub.measures.crime_dashboard import CrimeDashboard, MeasureResult
from saferhub.measures.crime_disclosed import Disclosure, unwrap
from saferhub.measures.published import Published
from saferhub.reports.crime_sentences import FEWER_THAN_FIVE, count_text
from saferhub.reports.document import Tile, Tiles, format_cell
from saferhub.rules.disclosure import CONFIDENTIAL, SUPPRESSED
from saferhub.rules.exceptions import Flag
from saferhub.rules.rag import Assessment, Rag

SPARKLINE_MONTHS = 12


def _list(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def _recent_assessment(result: MeasureResult) -> Assessment | None:
    for indicator in result.indicators:
        if indicator.name == "recent":
            return indicator.assessment
    return None


def _change_phrase(result: MeasureResult, hidden: frozenset[str]) -> str:
    """ "551, down 2.7% from 566" with what the audience may see of it."""
    recent = result.recent
    if "recent" in hidden:
        return FEWER_THAN_FIVE
    volume = count_text(recent.volume)
    change = recent.change
    if {"recent_previous"} & hidden or change is None:
        return volume
    if change == 0:
        return f"{volume}, the same as a year earlier"
    word = "up" if change > 0 else "down"
    return f"{volume}, {word} {format_cell(abs(change), 'pct1')} from {count_text(recent.previous)}"


def _movement_sentences(dashboard: CrimeDashboard, disclosure: Disclosure) -> list[str]:
    recent = dashboard.recent_window
    period = f"the {len(recent)} months of {recent.label}"
    improved, worsened = [], []
    for result in dashboard.results:
        assessment = _recent_assessment(result)
        phrase = f"{result.measure.label} ({_change_phrase(result, disclosure.of(result))})"
        if assessment is Assessment.POSITIVE:
            improved.append(phrase)
        elif assessment is Assessment.NEGATIVE:
            worsened.append(phrase)
    sentences = []
    if improved:
        sentences.append(
            f"Improved in {period} against the same months a year earlier: {_list(improved)}."
        )
    if worsened:
        sentences.append(
            f"Worsened in {period} against the same months a year earlier: {_list(worsened)}."
        )
    if not improved and not worsened:
        sentences.append(f"No rated measure improved or worsened in {period}.")
    return sentences


def _red_sentence(dashboard: CrimeDashboard) -> str:
    red = [r.measure.label for r in dashboard.results if r.rag is Rag.RED]
    if not red:
        return "No measure is Red."
    verb = "is" if len(red) == 1 else "are"
    return (
        f"{_list(red)} {verb} Red: the recent months and the rolling 12 months both "
        "moved the wrong way."
    )


def _exception_sentences(dashboard: CrimeDashboard, disclosure: Disclosure) -> list[str]:
    found = []
    for result in dashboard.results:
        withheld = "monthly" in disclosure.of(result)
        for check in result.exceptions:
            if check.flag is None:
                continue
            word = "high" if check.flag is Flag.HIGH else "low"
            text = f"{result.measure.label} was unusually {word} in {check.month.label}"
            if not withheld and check.observed is not None and check.assessed:
                text += (
                    f" ({count_text(check.observed)} against an expected range of "
                    f"{count_text(round(check.low))} to {count_text(round(check.high))})"
                )
            found.append(text + ".")
    if not found:
        return ["No month was unusually high or low for its time of year."]
    return found


def crime_summary(published: Published[CrimeDashboard] | CrimeDashboard) -> list[str]:
    """Plain sentences with the numbers: what improved, what worsened, which measures are
    Red, and the months outside their expected range."""
    dashboard, disclosure = unwrap(published)
    return [
        *_movement_sentences(dashboard, disclosure),
        _red_sentence(dashboard),
        *_exception_sentences(dashboard, disclosure),
    ]


def _tile_value(result: MeasureResult, hidden: frozenset[str]) -> int | float | str | None:
    volume = result.recent.volume
    if "recent" in hidden:
        return SUPPRESSED if volume is not None and 1 <= volume <= 4 else CONFIDENTIAL
    if volume is None:
        return None
    return int(volume) if float(volume).is_integer() else float(volume)


def _tile(dashboard: CrimeDashboard, result: MeasureResult, disclosure: Disclosure) -> Tile:
    hidden = disclosure.of(result)
    recent = dashboard.recent_window
    change = None if {"recent", "recent_previous"} & hidden else result.recent.change
    months = [] if "monthly" in hidden else [v for _, v in result.monthly[-SPARKLINE_MONTHS:]]
    ranks = [f"{result.london_rank} in London"] if result.london_rank else []
    if result.peer_rank:
        ranks.append(f"{result.peer_rank} in {dashboard.peer_group.name}")
    rank = ", ".join(ranks) or None
    return Tile(
        label=result.measure.label,
        value=_tile_value(result, hidden),
        number_format="int",
        change_pct=change,
        change_label=f"{recent.label} against a year earlier",
        rate=None if "rate" in hidden else result.rate,
        rate_label=f"{result.measure.rate_label}, 12 months" if result.measure.rate_label else "",
        rank=rank,
        rag=result.rag.label if result.rag else None,
        sparkline=tuple(months),
    )


def dashboard_tiles(published: Published[CrimeDashboard] | CrimeDashboard) -> Tiles:
    """One tile per measure: recent volume, % change, rate, London rank, RAG and the last
    12 months as a sparkline (left out where the monthly counts are withheld)."""
    dashboard, disclosure = unwrap(published)
    recent = dashboard.recent_window
    return Tiles(
        f"Measures at a glance: {dashboard.area.name}, {recent.label}",
        tuple(_tile(dashboard, r, disclosure) for r in dashboard.results),
    )
