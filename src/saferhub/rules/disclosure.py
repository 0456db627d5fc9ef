"""Statistical disclosure control for published counts: small-cell suppression.

A count of 1 to 4 people can identify someone, so it is never published
(primary suppression). Hiding it is not enough when the table also shows totals:
if a row has exactly one hidden cell, the row total minus the visible cells gives
it back. So, repeatedly until nothing changes:

1. any row or column with exactly one hidden cell has a second cell hidden
   (secondary suppression): the smallest other visible count above zero in that
   row or column, or a zero when there is none (ties go to the first cell);
2. when no row or column has a lone hidden cell, any hidden cell that the totals
   still pin down by combining several rows and columns (a "bridge", see
   `bridge_cells`) gets a partner the same way, chosen among the visible cells
   that put it on a loop of hidden cells.

This is the standard cell-suppression approach used for official statistics
(the "1 to 4" rule with complementary suppression). Its limits:

- It protects one table at a time. Figures published elsewhere (another table on
  the same people, an earlier release, a different breakdown) can still be
  combined to narrow or recover a hidden count.
- Hidden cells are protected from exact recovery, not from bounds: a reader can
  still work out that a hidden cell lies between 0 and its row's remainder, and
  a narrow remainder gives a narrow range.
- A table of one row or one column is protected only against its overall total.
  A row or column of a single cell has nothing else to hide, so its own total, if
  published, gives the cell away: don't publish totals of single cells.

Zeros stay visible unless chosen as a secondary cell: a true zero says nothing
about a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from numbers import Integral

from saferhub.errors import ConfigurationError

SUPPRESSED = "<5"
Cell = tuple[int, int]  # (row, column), counted from 0
Node = tuple[str, int]  # ("row", index) or ("column", index)
# The marker used when secondary suppression also hid counts that are not 1 to 4, where
# "<5" would be untrue. "[c]" (confidential) is the Office for National Statistics convention.
CONFIDENTIAL = "[c]"


def suppress_table(
    counts: Sequence[Sequence[int]], low: int = 1, high: int = 4
) -> list[list[bool]]:
    """Which cells to hide (True) in a table of counts published with row and column totals."""
    grid = _check(counts)
    mask = [[low <= count <= high for count in row] for row in grid]
    rows = len(grid)
    columns = len(grid[0]) if grid else 0
    lines = [[(r, c) for c in range(columns)] for r in range(rows)]
    lines += [[(r, c) for r in range(rows)] for c in range(columns)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [cell for cell in line if mask[cell[0]][cell[1]]]
            if len(hidden) == 1 and len(line) >= 2:
                _hide_smallest(grid, mask, [cell for cell in line if not mask[cell[0]][cell[1]]])
                changed = True
        if not changed and rows >= 2 and columns >= 2:
            bridges = bridge_cells(mask)
            if bridges:
                _hide_smallest(grid, mask, _cells_closing(mask, bridges[0]))
                changed = True
    return mask


def _hide_smallest(grid: list[list[int]], mask: list[list[bool]], cells: list[Cell]) -> None:
    """Hide the smallest count above zero among `cells`, or the first zero if none."""
    positive = [cell for cell in cells if grid[cell[0]][cell[1]] > 0]
    # min() keeps the first of equal values, so the choice is deterministic.
    r, c = min(positive, key=lambda cell: grid[cell[0]][cell[1]]) if positive else cells[0]
    mask[r][c] = True


def _cells_closing(mask: Sequence[Sequence[bool]], bridge: Cell) -> list[Cell]:
    """Visible cells that, once hidden, put `bridge` on a loop of hidden cells."""
    rest = [cell for cell in _hidden(mask) if cell != bridge]
    side = _reachable(rest, ("row", bridge[0]))
    other = _reachable(rest, ("column", bridge[1]))
    return [
        (r, c)
        for r, row in enumerate(mask)
        for c, hide in enumerate(row)
        if not hide
        and (
            (("row", r) in side and ("column", c) in other)
            or (("row", r) in other and ("column", c) in side)
        )
    ]


def suppress_counts(values: Sequence[int], low: int = 1, high: int = 4) -> list[bool]:
    """Which counts to hide in one list of counts published with its total."""
    return suppress_table([list(values)], low, high)[0]


def apply(
    values: Sequence[Sequence[object]],
    mask: Sequence[Sequence[bool]],
    low: int = 1,
    high: int = 4,
    marker: str | None = None,
) -> list[list[object]]:
    """The table with hidden cells replaced by a marker.

    By default the marker is "<5" when every hidden cell really is a count from
    `low` to `high`, and "[c]" when secondary suppression hid other counts too.
    One marker serves the whole table: marking primary and secondary cells
    differently would tell a reader which hidden cell is the small one.
    """
    if len(values) != len(mask) or any(
        len(row) != len(row_mask) for row, row_mask in zip(values, mask, strict=False)
    ):
        raise ConfigurationError("The suppression mask does not have the same shape as the table.")
    chosen = marker or marker_for(values, mask, low, high)
    return [
        [chosen if hide else value for value, hide in zip(row, row_mask, strict=True)]
        for row, row_mask in zip(values, mask, strict=True)
    ]


def marker_for(
    values: Sequence[Sequence[object]], mask: Sequence[Sequence[bool]], low: int = 1, high: int = 4
) -> str:
    """ "<5" if every hidden cell is a count from `low` to `high`, otherwise "[c]"."""
    small = all(
        isinstance(value, Integral) and low <= value <= high
        for row, row_mask in zip(values, mask, strict=True)
        for value, hide in zip(row, row_mask, strict=True)
        if hide
    )
    return SUPPRESSED if small else CONFIDENTIAL


def bridge_cells(mask: Sequence[Sequence[bool]]) -> list[Cell]:
    """Hidden cells that the row and column totals together still give away.

    Assumes a table of at least two rows and two columns with every row total and
    every column total published (otherwise returns no cells). Think of each
    hidden cell as a link between its row and its column. A link whose removal
    splits a group of linked rows and columns in two carries a value the totals
    fix exactly: what the rows on one side hold beyond their own columns. Returned
    as (row, column) pairs in order; `suppress_table` leaves none.
    """
    if len(mask) < 2 or len(mask[0]) < 2:
        return []
    hidden = _hidden(mask)
    return [
        cell
        for cell in hidden
        if ("column", cell[1])
        not in _reachable([other for other in hidden if other != cell], ("row", cell[0]))
    ]


def _hidden(mask: Sequence[Sequence[bool]]) -> list[Cell]:
    return [(r, c) for r, row in enumerate(mask) for c, hide in enumerate(row) if hide]


def _reachable(cells: list[Cell], start: Node) -> set[Node]:
    """Rows and columns linked to `start` through hidden `cells`."""
    neighbours: dict[Node, list[Node]] = {}
    for r, c in cells:
        neighbours.setdefault(("row", r), []).append(("column", c))
        neighbours.setdefault(("column", c), []).append(("row", r))
    seen = {start}
    frontier = [start]
    while frontier:
        for nxt in neighbours.get(frontier.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    return seen


def round_to(value: float, base: int = 5) -> int:
    """`value` rounded to the nearest multiple of `base`, halves away from zero (12.5 -> 15)."""
    if base <= 0:
        raise ConfigurationError(f"Rounding base must be a positive whole number, not {base}.")
    steps = (Decimal(repr(value)) / base).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(steps) * base


def _check(counts: Sequence[Sequence[int]]) -> list[list[int]]:
    grid: list[list[int]] = []
    width = len(counts[0]) if len(counts) else 0
    for r, row in enumerate(counts, start=1):
        if len(row) != width:
            raise ConfigurationError(
                f"Counts row {r} has {len(row)} cells; row 1 has {width}. "
                "A table must be rectangular."
            )
        for c, count in enumerate(row, start=1):
            # numbers.Integral admits numpy integers, which measures hand over.
            if isinstance(count, bool) or not isinstance(count, Integral) or count < 0:
                raise ConfigurationError(
                    f"Counts row {r}, column {c} is {count!r}; "
                    "counts must be whole numbers of 0 or more."
                )
        grid.append([int(count) for count in row])
    return grid


# ---------------------------------------------------------------------------------------------
# Audiences: who a published result is for, and what that means for its figures.


class Audience(StrEnum):
    """Who a published result is for (docs/disclosure.md).

    - restricted: the team that holds the records; every figure and any casework list;
    - partnership: partners under the data-sharing agreement (board members); every count,
      no list of people;
    - public: anyone; counts of 1 to 4 and whatever would give them away are hidden, and
      no list of people.
    """

    RESTRICTED = "restricted"
    PARTNERSHIP = "partnership"
    PUBLIC = "public"

    @classmethod
    def parse(cls, text: str) -> Audience:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise ConfigurationError(
                f"'{text}' is not an audience.",
                f"Choose one of: {', '.join(a.value for a in cls)}.",
            ) from None

    @property
    def suppresses(self) -> bool:
        return self is Audience.PUBLIC

    @property
    def sees_people(self) -> bool:
        """Whether lists that name or identify people may be published."""
        return self is Audience.RESTRICTED


def protect_table(
    counts: Sequence[Sequence[int]],
    audience: Audience,
    *,
    rounding: int | None = None,
    low: int = 1,
    high: int = 4,
) -> list[list[int | str]]:
    """A table of counts as `audience` may see it: the one place a table is protected.

    Public: cells hidden by `suppress_table` show one marker ("<5" if every hidden cell is
    1 to 4, otherwise "[c]"), and, with `rounding`, visible counts are rounded to that base.
    Other audiences see the counts unchanged.
    """
    grid = _check(counts)
    if not audience.suppresses or not grid:
        return [list(row) for row in grid]
    mask = suppress_table(grid, low, high)
    shown = apply(grid, mask, low, high)
    if rounding:
        shown = [
            [round_to(value, rounding) if isinstance(value, int) else value for value in row]
            for row in shown
        ]
    return shown  # type: ignore[return-value]


def protect_counts(
    values: Sequence[int], audience: Audience, *, rounding: int | None = None
) -> list[int | str]:
    """One list of counts published with its total, as `audience` may see it."""
    return protect_table([list(values)], audience, rounding=rounding)[0]


def is_hidden(value: object) -> bool:
    """True for a cell `protect_table` hid."""
    return value in (SUPPRESSED, CONFIDENTIAL)


@dataclass(frozen=True)
class Withheld:
    """Which figures of a published result an audience may not see, and how they show.

    A figure is named by a key (a quarter, an area, a cohort) and a field. A renderer asks
    `show(key, field, value)` for every figure it prints, so all formats hide the same ones.
    """

    cells: frozenset[tuple[str, str]] = frozenset()
    marker: str = CONFIDENTIAL

    def hides(self, key: str, name: str) -> bool:
        return (key, name) in self.cells

    def show(self, key: str, name: str, value: object) -> object:
        return self.marker if (key, name) in self.cells else value


def withheld_from(hidden: dict[tuple[str, str], int], low: int = 1, high: int = 4) -> Withheld:
    """A `Withheld` for hidden figures given with their true values (to choose the marker)."""
    small = all(low <= value <= high for value in hidden.values())
    return Withheld(frozenset(hidden), SUPPRESSED if small else CONFIDENTIAL)
