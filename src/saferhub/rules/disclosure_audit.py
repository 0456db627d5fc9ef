"""Checking a suppressed table: what a reader can work out about each hidden cell.

A table of counts is published with its row and column totals (a table of one row or
one column: with its one total). A reader knows the visible cells, the totals, that
counts are whole numbers of 0 or more and, when the marker is "<5", that every hidden
cell is a count from 1 to 4. From those, each hidden cell has a *feasible range*: the
values it could take in some table that agrees with everything published.

The hidden cells and the totals form a network: each published row and column is a
node, each hidden cell an arc from its row to its column carrying its count, and each
node must pass on exactly its total less its visible cells. Any table agreeing with
what is published is another flow through that network, so raising (or lowering) one
hidden cell by some amount means sending that amount back round the others: the
largest possible change is a maximum flow (Ford and Fulkerson), found exactly with
whole numbers. Every value in between is possible too, so the range is an interval.

`Audit` applies the rule of docs/disclosure.md: a hidden cell is *exposed* when the
published table pins it to one value although the totals alone would not, and a count
from 1 to 4 is also exposed when the published table narrows it below "somewhere from
1 to 4" further than the totals alone do.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence

Cell = tuple[int, int]  # (row, column), counted from 0
Node = tuple[str, int]  # ("row", index), ("column", index), or FREE
Range = tuple[int, float]  # lowest and highest feasible value; math.inf when unbounded

# A row or column of one cell has no total of its own (it would be the cell), so its side
# of the network is one node with nothing to balance.
FREE: Node = ("free", 0)


def feasible_range(
    counts: Sequence[Sequence[int]],
    mask: Sequence[Sequence[bool]],
    cell: Cell,
    low: int = 0,
    high: float = math.inf,
) -> Range:
    """The values hidden `cell` could take, given the visible cells, the totals, and that
    every hidden cell lies between `low` and `high` (their true values must)."""
    hidden = {
        (r, c): int(counts[r][c])
        for r, row in enumerate(mask)
        for c, hide in enumerate(row)
        if hide
    }
    if cell not in hidden:
        raise ValueError(f"Cell {cell} is not hidden.")
    if any(not low <= value <= high for value in hidden.values()):
        raise ValueError("A hidden cell lies outside the range the reader is told.")
    rows, columns = len(mask), len(mask[0])
    tail, head = _row_node(cell, columns), _column_node(cell, rows)
    if tail == head:  # a table of one cell: nothing constrains it
        return low, high
    arcs: dict[Node, dict[Node, float]] = {}
    for other, value in hidden.items():
        if other != cell:
            u, v = _row_node(other, columns), _column_node(other, rows)
            _add(arcs, u, v, high - value)  # room to raise it
            _add(arcs, v, u, value - low)  # room to lower it
    value = hidden[cell]
    down = _max_flow(arcs, tail, head, value - low)
    up = _max_flow(arcs, head, tail, high - value)
    return value - int(down), value + up


class Audit:
    """Which hidden cells of a table its publication exposes (docs/disclosure.md).

    Counts from `low` to `high` are the small counts the rule protects. The ranges the
    totals alone allow (every cell hidden) are worked out once, as the baseline.
    """

    def __init__(self, counts: Sequence[Sequence[int]], low: int = 1, high: int = 4):
        self.counts = [[int(value) for value in row] for row in counts]
        self.low, self.high = low, high
        self._everything = [[True] * len(row) for row in self.counts]
        self._baseline: dict[Cell, Range] = {}

    def baseline(self, cell: Cell) -> Range:
        """The range of `cell` when only the totals are published."""
        if cell not in self._baseline:
            self._baseline[cell] = feasible_range(self.counts, self._everything, cell)
        return self._baseline[cell]

    def is_small(self, cell: Cell) -> bool:
        return self.low <= self.counts[cell[0]][cell[1]] <= self.high

    def exposes(
        self, mask: Sequence[Sequence[bool]], cell: Cell, *, small_known: bool = False
    ) -> bool:
        """Whether publishing the table with `mask` hidden exposes hidden `cell`.

        `small_known`: the marker tells the reader every hidden cell is `low` to `high`.
        """
        bounds = (self.low, self.high) if small_known else (0, math.inf)
        lowest, highest = feasible_range(self.counts, mask, cell, *bounds)
        base_low, base_high = self.baseline(cell)
        if lowest == highest and base_low != base_high:
            return True
        if not self.is_small(cell):
            return False
        return lowest > max(self.low, base_low) or highest < min(self.high, base_high)

    def exposed(self, mask: Sequence[Sequence[bool]], *, small_known: bool = False) -> list[Cell]:
        """Every exposed hidden cell, in row order."""
        return [
            (r, c)
            for r, row in enumerate(mask)
            for c, hide in enumerate(row)
            if hide and self.exposes(mask, (r, c), small_known=small_known)
        ]


def _row_node(cell: Cell, columns: int) -> Node:
    return ("row", cell[0]) if columns >= 2 else FREE


def _column_node(cell: Cell, rows: int) -> Node:
    return ("column", cell[1]) if rows >= 2 else FREE


def _add(arcs: dict[Node, dict[Node, float]], u: Node, v: Node, room: float) -> None:
    arcs.setdefault(u, {})
    arcs[u][v] = arcs[u].get(v, 0) + room


def _max_flow(arcs: dict[Node, dict[Node, float]], source: Node, sink: Node, limit: float) -> float:
    """The most that can flow from `source` to `sink`, up to `limit` (Edmonds and Karp:
    shortest augmenting paths first, so it ends, and whole numbers stay whole)."""
    residual = {u: dict(out) for u, out in arcs.items()}
    flow: float = 0
    while flow < limit:
        parent: dict[Node, Node | None] = {source: None}
        queue = deque([source])
        while queue and sink not in parent:
            u = queue.popleft()
            for v, room in residual.get(u, {}).items():
                if room > 0 and v not in parent:
                    parent[v] = u
                    queue.append(v)
        if sink not in parent:
            break
        path: list[tuple[Node, Node]] = []
        node = sink
        while (previous := parent[node]) is not None:
            path.append((previous, node))
            node = previous
        push = min(limit - flow, *(residual[u][v] for u, v in path))
        if push == math.inf:
            return math.inf
        for u, v in path:
            residual[u][v] -= push
            _add(residual, v, u, push)
        flow += push
    return flow
