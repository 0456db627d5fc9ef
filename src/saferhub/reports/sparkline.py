"""A KPI tile's recent trend as a small inline SVG line, with an accessible name."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

SPARKLINE_SIZE = (120, 32)


def sparkline_svg(values: Sequence[float | None], name: str) -> str:
    """A small trend line as inline SVG, labelled `name` for screen readers (`role="img"`).

    `None` leaves a gap. Drawn by hand, not by matplotlib: a tile grid has a dozen of them
    and each is a single path. Only numbers and the escaped name go into the markup.
    """
    width, height = SPARKLINE_SIZE
    pad = 3
    points = [v for v in values if v is not None]
    label = escape(name, quote=True)
    paths = []
    if len(points) >= 2:
        low, high = min(points), max(points)
        span = (high - low) or 1
        step = (width - 2 * pad) / (len(values) - 1)
        segment: list[str] = []
        for index, value in enumerate([*values, None]):
            if value is None:
                if len(segment) > 1:
                    paths.append("M" + " L".join(segment))
                segment = []
                continue
            x = pad + index * step
            y = height - pad - (value - low) / span * (height - 2 * pad)
            segment.append(f"{x:.1f} {y:.1f}")
    drawn = "".join(
        f'<path d="{d}" fill="none" stroke="#0b0c0c" stroke-width="2" '
        'stroke-linejoin="round" stroke-linecap="round"/>'
        for d in paths
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="saferhub-sparkline" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{label}">'
        f"<title>{label}</title>{drawn}</svg>"
    )
