"""One sentence per dashboard figure, in the board's own wording (seed 004, slides 4–10):

"There were 551 cases of Residential Burglary in the 4 months of June 2023 to September
2023. In the same period 12 months prior there were 566. This is a decrease of 2.7%"

Counts get thousands separators and percentages one decimal place, as in the tables.
A % change is "n/a" when there were none in the earlier period. In a public version a
suppressed count reads "fewer than 5" and its change is not given.
"""

from __future__ import annotations

import math
from collections.abc import Collection

from saferhub.measures.crime_dashboard import Comparison, MeasureResult
from saferhub.reports.document import format_cell
from saferhub.rules.exceptions import Flag
from saferhub.rules.periods import Window

FEWER_THAN_FIVE = "fewer than 5"


def count_text(value: float | None) -> str:
    if value is None:
        return "no figure"
    if float(value).is_integer():
        return format_cell(int(value), "int")
    return format_cell(float(value), "rate1")


def change_text(comparison: Comparison) -> str:
    """ "This is an increase of 3.5%." and its variants."""
    change = comparison.change
    if change is None:
        return "There is no % change to give, as there were none in the earlier period."
    if change == 0:
        return "This is no change."
    word = "an increase" if change > 0 else "a decrease"
    return f"This is {word} of {format_cell(abs(change), 'pct1')}."


def _window_phrase(window: Window) -> str:
    if len(window) == 1:
        return f"in {window.first.label}"
    return f"in the {len(window)} months of {window.label}"


def _there_were(count: float | None, noun_for, hidden: bool) -> str:
    if hidden:
        return f"There were {FEWER_THAN_FIVE} {noun_for(None)}"
    verb = "was" if count == 1 else "were"
    return f"There {verb} {count_text(count)} {noun_for(count)}"


def _earlier(count: float | None, hidden: bool) -> str:
    return FEWER_THAN_FIVE if hidden else count_text(count)


def _incomplete(result: MeasureResult, comparison: Comparison, where: str) -> str | None:
    missing = [
        w.label
        for w, v in (
            (comparison.window, comparison.volume),
            (comparison.previous_window, comparison.previous),
        )
        if v is None
    ]
    if not missing:
        return None
    return (
        f"There is no complete figure for {result.measure.noun()} {where} "
        f"({' or '.join(missing)}): a month is missing."
    )


def recent_sentence(result: MeasureResult, hidden: Collection[str] = ()) -> str:
    recent = result.recent
    incomplete = _incomplete(result, recent, _window_phrase(recent.window))
    if incomplete:
        return incomplete
    first = _there_were(recent.volume, result.measure.noun, "recent" in hidden)
    text = (
        f"{first} {_window_phrase(recent.window)}. In the same period 12 months prior there "
        f"{'was' if recent.previous == 1 else 'were'} "
        f"{_earlier(recent.previous, 'recent_previous' in hidden)}."
    )
    if {"recent", "recent_previous"} & set(hidden):
        return text
    return f"{text} {change_text(recent)}"


def rolling_sentence(result: MeasureResult, hidden: Collection[str] = ()) -> str:
    rolling = result.rolling
    incomplete = _incomplete(
        result, rolling, f"in {result.area} in the 12 months up to {rolling.window.last.label}"
    )
    if incomplete:
        return incomplete
    first = _there_were(rolling.volume, result.measure.noun, "rolling" in hidden)
    text = (
        f"{first} in {result.area} in the 12 months up to {rolling.window.last.label}. "
        f"In the 12 months prior there {'was' if rolling.previous == 1 else 'were'} "
        f"{_earlier(rolling.previous, 'rolling_previous' in hidden)}."
    )
    if {"rolling", "rolling_previous"} & set(hidden):
        return text
    return f"{text} {change_text(rolling)}"


def rank_sentence(
    result: MeasureResult, peer_name: str, hidden: Collection[str] = ()
) -> str | None:
    """ "… was 12.80 per 1,000 households, ranking 30/32 in London and 3/3 in the North West
    BCU (1 is the lowest rate)." """
    if result.rate is None or "rate" in hidden:
        return None
    rate = f"{format_cell(result.rate, 'rate2')} {result.measure.rate_label}"
    places = []
    if result.london_rank:
        places.append(f"{result.london_rank} in London")
    if result.peer_rank:
        places.append(f"{result.peer_rank} in the {peer_name}")
    ranking = f", ranking {' and '.join(places)} (1 is the lowest rate)" if places else ""
    return (
        f"The rate in {result.area} over the 12 months to {result.end.label} was {rate}{ranking}."
    )


def exceptions_sentence(result: MeasureResult, hidden: Collection[str] = ()) -> str:
    flagged = [c for c in result.exceptions if c.flag is not None]
    assessed = [c for c in result.exceptions if c.assessed]
    window = result.recent.window.label
    if not assessed:
        return (
            f"Months in {window} were not checked for unusual volumes: there is not enough "
            "history before them."
        )
    if not flagged:
        return f"No month in {window} was unusually high or low for the time of year."
    parts = []
    for check in flagged:
        word = "high" if check.flag is Flag.HIGH else "low"
        if "monthly" in hidden:
            parts.append(f"{check.month.label} was unusually {word}")
        else:
            parts.append(
                f"{check.month.label} was unusually {word}: {count_text(check.observed)} against "
                f"an expected {count_text(math.ceil(check.low or 0))} to "
                f"{count_text(math.floor(check.high or 0))}"
            )
    return "; ".join(parts) + "."


def sentences(
    result: MeasureResult, peer_name: str, hidden: Collection[str] = ()
) -> tuple[str, ...]:
    """Every sentence for one measure, in the order the board pack reads them."""
    lines = [recent_sentence(result, hidden), rolling_sentence(result, hidden)]
    rank = rank_sentence(result, peer_name, hidden)
    if rank:
        lines.append(rank)
    lines.append(exceptions_sentence(result, hidden))
    return tuple(lines)
