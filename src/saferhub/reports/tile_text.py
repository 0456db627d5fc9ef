"""A KPI tile's figures as words, the same in every format.

The change reads "up 3.5%" or "down 2.0%" (with an arrow beside it in HTML), so neither
colour nor the arrow's shape is the only signal of its direction.
"""

from __future__ import annotations

from dataclasses import dataclass

from saferhub.reports.document import Tile, format_cell

CHANGE_FORMAT = "pct1"
RATE_FORMAT = "rate2"
ARROWS = {"up": "\u25b2", "down": "\u25bc", "no change": "\u25b6"}


@dataclass(frozen=True)
class TileText:
    label: str
    value: str
    direction: str | None  # "up", "down", "no change" or None when there is no change figure
    change: str  # e.g. "up 3.5%", or "No change figure"
    change_label: str
    rate: str  # e.g. "2.41 per 1,000 residents", or "" when the tile has no rate
    rank: str
    rag: str | None
    trend: str  # the sparkline's accessible name, or "" without one

    @property
    def arrow(self) -> str:
        return ARROWS.get(self.direction or "", "")


def change_words(change_pct: float | None) -> tuple[str | None, str]:
    """(direction, words) for a percent change: (up, "up 3.5%"), (None, "No change figure")."""
    if change_pct is None:
        return None, "No change figure"
    shown = format_cell(abs(change_pct), CHANGE_FORMAT)
    if shown == format_cell(0, CHANGE_FORMAT):
        return "no change", f"no change ({shown})"
    direction = "up" if change_pct > 0 else "down"
    return direction, f"{direction} {shown}"


def trend_words(tile: Tile) -> str:
    """What the sparkline shows, for its accessible name and for formats without it."""
    points = [v for v in tile.sparkline if v is not None]
    if len(points) < 2:
        return ""
    first = format_cell(points[0], tile.number_format)
    last = format_cell(points[-1], tile.number_format)
    return f"Last {len(tile.sparkline)} months: from {first} to {last}"


def tile_text(tile: Tile) -> TileText:
    direction, change = change_words(tile.change_pct)
    rate = ""
    if tile.rate is not None:
        rate = f"{format_cell(tile.rate, RATE_FORMAT)} {tile.rate_label}".strip()
    return TileText(
        label=tile.label,
        value=format_cell(tile.value, tile.number_format),
        direction=direction,
        change=change,
        change_label=tile.change_label,
        rate=rate,
        rank=tile.rank or "",
        rag=tile.rag,
        trend=trend_words(tile),
    )


__all__ = ["TileText", "change_words", "tile_text", "trend_words"]
