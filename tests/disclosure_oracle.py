"""Independent answers about suppressed tables, for checking `saferhub.rules.disclosure`
without its own audit: brute force over every agreeing table, and which cells the totals
alone give away."""

from __future__ import annotations

import itertools
import math


def possible_values(table, mask, low=0, high=math.inf):
    """Every value each hidden cell takes in some table of whole numbers agreeing with the
    visible cells and the totals (rows of two or more cells, columns of two or more),
    every hidden cell between `low` and `high`: listed one table at a time."""
    transposed = len(table[0]) == 1
    if transposed:
        table = [list(column) for column in zip(*table, strict=True)]
        mask = [list(column) for column in zip(*mask, strict=True)]
    rows, columns = len(table), len(table[0])
    hidden = [(r, c) for r in range(rows) for c in range(columns) if mask[r][c]]

    def remainder(cells):
        return sum(table[r][c] for r, c in cells if mask[r][c])

    per_row = []
    for r in range(rows):
        cells = [(r, c) for c in range(columns) if mask[r][c]]
        total = remainder([(r, c) for c in range(columns)])
        choices = [
            dict(zip(cells, values, strict=True))
            for values in itertools.product(
                range(low, int(min(high, total)) + 1), repeat=len(cells)
            )
            if sum(values) == total
        ]
        per_row.append(choices)
    found = {cell: set() for cell in hidden}
    for combination in itertools.product(*per_row):
        values = {k: v for part in combination for k, v in part.items()}
        if rows >= 2 and any(
            sum(values.get((r, c), 0) for r in range(rows))
            != remainder([(r, c) for r in range(rows)])
            for c in range(columns)
        ):
            continue
        for cell, value in values.items():
            found[cell].add(value)
    if transposed:
        found = {(c, r): values for (r, c), values in found.items()}
    return found


def fixed_by_totals(table, cell):
    """Whether the totals alone, with every cell hidden, fix `cell`: its row or column
    adds up to 0, or every count sits in one row (column) and the column (row) totals
    give each of its cells. No suppression can protect such a cell."""
    r, c = cell
    rows = [sum(row) for row in table]
    columns = [sum(column) for column in zip(*table, strict=True)]
    if (len(table[0]) >= 2 and rows[r] == 0) or (len(table) >= 2 and columns[c] == 0):
        return True
    if len(table) >= 2 and len(table[0]) >= 2:
        return sum(1 for t in rows if t) == 1 or sum(1 for t in columns if t) == 1
    return False
