"""Change between two periods: percentage change, direction, percentage points.

% change = (current − previous) / previous, shown as a percentage. When the previous
value is 0 the change is "n/a" (None), never infinity; when either value is unknown the
change is unknown (None) too. Proportions are compared in percentage points instead.
Source: BRIEF "The measures: Change"; seed 004's sentences ("This is a decrease of 2.7%").
"""

from __future__ import annotations

from enum import StrEnum

Number = int | float


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    SAME = "same"


# Enum member lookups are slow in Python 3.11; a London-wide dashboard makes tens of thousands.
_UP, _DOWN, _SAME = Direction.UP, Direction.DOWN, Direction.SAME


def percent_change(current: Number | None, previous: Number | None) -> float | None:
    """(current − previous) / previous × 100, or None when previous is 0 or either is unknown."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / previous * 100.0


def direction(current: Number | None, previous: Number | None) -> Direction | None:
    """Which way the figure moved. Known even when the % change is n/a (0 → 5 is up)."""
    if current is None or previous is None:
        return None
    if current > previous:
        return _UP
    if current < previous:
        return _DOWN
    return _SAME


def percentage_point_change(
    current_pct: Number | None, previous_pct: Number | None
) -> float | None:
    """The difference of two percentages, in percentage points (14% → 12% is −2 points)."""
    if current_pct is None or previous_pct is None:
        return None
    return float(current_pct - previous_pct)
