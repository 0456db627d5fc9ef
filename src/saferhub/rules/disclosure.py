"""Statistical disclosure control for published counts: small-cell suppression.

A count of 1 to 4 people can identify someone, so it is never published (primary
suppression). Hiding it is not enough when the table also shows totals: if a row has
exactly one hidden cell, the row total minus the visible cells gives it back. So other
cells are hidden with it (secondary suppression), as few as will do:

1. every count from 1 to 4 is hidden;
2. while `Audit` finds a hidden cell exposed (the totals pin it down, or narrow a small
   count below "somewhere from 1 to 4"), the first such cell gets its cheapest
   complement: the other corners of a rectangle through it (in a list with one total,
   one other cell) hiding the fewest people, chosen so that it is then protected;
3. each extra cell is shown again, largest first, if the table stays safe without it.

The result is checked, not assumed: step 2 stops only when the audit (exact, by maximum
flow, see `saferhub.rules.disclosure_audit`) finds nothing exposed. Its limits:

- It protects one table at a time. Figures published elsewhere (another table on the
  same people, an earlier release, a different breakdown) can still be combined to
  narrow or recover a hidden count.
- Hidden cells are protected from exact recovery and small counts from being narrowed
  within 1 to 4, not from bounds in general: a reader can still work out that a hidden
  cell lies between 0 and its row's remainder.
- A table of one row or one column is protected only against its overall total. A row
  or column of a single cell has nothing else to hide, so its own total, if published,
  gives the cell away: don't publish totals of single cells.

Zeros stay visible unless chosen as a secondary cell: a true zero says nothing about a
person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from numbers import Integral

from saferhub.errors import ConfigurationError
from saferhub.rules.disclosure_audit import Audit, Cell

SUPPRESSED = "<5"
# The marker used when secondary suppression also hid counts that are not 1 to 4, where
# "<5" would be untrue. "[c]" (confidential) is the Office for National Statistics convention.
CONFIDENTIAL = "[c]"


def suppress_table(
    counts: Sequence[Sequence[int]], low: int = 1, high: int = 4
) -> list[list[bool]]:
    """Which cells to hide (True) in a table of counts published with row and column totals.

    The cells hidden pass `Audit` (docs/disclosure.md): no hidden cell can be worked out
    from the totals, and no count from `low` to `high` can be narrowed below "somewhere
    from `low` to `high`" beyond what the totals alone say.
    """
    grid = _check(counts)
    mask = [[low <= count <= high for count in row] for row in grid]
    if not any(any(row) for row in mask):
        return mask
    audit = Audit(grid, low, high)
    while exposed := audit.exposed(mask):
        mask = _protect(audit, mask, exposed[0])
    return _show_what_is_not_needed(audit, mask)


def _protect(audit: Audit, mask: list[list[bool]], cell: Cell) -> list[list[bool]]:
    """`mask` with the cheapest complement of `cell` hidden as well.

    A complement is what a hidden cell needs so that the totals cannot give it back: the
    other three corners of a rectangle (r, c), (r, c'), (r', c), (r', c') — shifting the
    same amount round its corners, up and down in turn, keeps every total — or, in a list
    with one total, one other cell. The cheapest hides the fewest people not already
    hidden, then the fewest cells, then comes first in row order. The first complement,
    in that order, that protects `cell` is taken; if none does on its own, the cheapest,
    and `suppress_table` comes back for another; if none adds a cell, everything is hidden.
    """
    grid = audit.counts
    choices = []
    for complement in _complements(len(grid), len(grid[0]), cell):
        new = sorted(other for other in complement if not mask[other[0]][other[1]])
        if new:
            people = sum(grid[r][c] for r, c in new)
            choices.append(((people, len(new), new), new))
    if not choices:
        return [[True] * len(row) for row in grid]
    choices.sort()
    for _, new in choices:
        trial = _with(mask, new)
        if not audit.exposes(trial, cell):
            return trial
    return _with(mask, choices[0][1])


def _complements(rows: int, columns: int, cell: Cell) -> list[list[Cell]]:
    r, c = cell
    if rows >= 2 and columns >= 2:
        return [
            [(r, other_c), (other_r, c), (other_r, other_c)]
            for other_r in range(rows)
            for other_c in range(columns)
            if other_r != r and other_c != c
        ]
    if columns >= 2:
        return [[(r, other_c)] for other_c in range(columns) if other_c != c]
    return [[(other_r, c)] for other_r in range(rows) if other_r != r]


def _show_what_is_not_needed(audit: Audit, mask: list[list[bool]]) -> list[list[bool]]:
    """Show again, largest first, each extra hidden cell the table stays safe without, so no
    single extra cell is hidden for nothing (ties: later cells first, so the result is fixed).

    Showing one cell can make another unnecessary, so the passes repeat until one shows
    nothing: then every extra cell left was checked against the final table.
    """
    extra = [
        (r, c)
        for r, row in enumerate(mask)
        for c, hide in enumerate(row)
        if hide and not audit.is_small((r, c))
    ]
    extra.sort(key=lambda cell: (audit.counts[cell[0]][cell[1]], cell), reverse=True)
    shown_one = True
    while shown_one:
        shown_one = False
        for r, c in extra:
            if not mask[r][c]:
                continue
            trial = [list(row) for row in mask]
            trial[r][c] = False
            if not audit.exposed(trial):
                mask, shown_one = trial, True
    return mask


def _with(mask: Sequence[Sequence[bool]], cells: Sequence[Cell]) -> list[list[bool]]:
    result = [list(row) for row in mask]
    for r, c in cells:
        result[r][c] = True
    return result


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
    """ "<5" if every hidden cell is a count from `low` to `high` and saying so narrows none
    of them down (docs/disclosure.md), otherwise "[c]".

    Two hidden 1s in a row whose total is 2, say, are given away by "<5" (each is at
    least 1, so both are 1) but not by "[c]".
    """
    hidden = [
        value
        for row, row_mask in zip(values, mask, strict=True)
        for value, hide in zip(row, row_mask, strict=True)
        if hide
    ]
    if not hidden:
        return SUPPRESSED  # nothing is marked, so nothing is claimed
    if not all(_is_count(value) and low <= value <= high for value in hidden):  # type: ignore[operator]
        return CONFIDENTIAL
    if not all(_is_count(value) for row in values for value in row):
        # Without every count the baseline cannot be worked out, so claim nothing.
        return CONFIDENTIAL
    safe = not Audit(values, low, high).exposed(mask, small_known=True)  # type: ignore[arg-type]
    return SUPPRESSED if safe else CONFIDENTIAL


def _is_count(value: object) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool) and value >= 0  # type: ignore[operator]


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
