"""How every format colours a RAG status: the GOV.UK tag colours, with the word kept.

The fills are the GOV.UK Frontend tag backgrounds, light enough that black text on them
meets WCAG AA contrast, so a spreadsheet or Word cell stays readable when printed in grey.
The status is always written as its word as well: colour is never the only signal.
"""

from __future__ import annotations

from saferhub.reports.document import Cell

# status -> (GOV.UK tag modifier class, fill colour as RRGGBB)
RAG_STYLES: dict[str, tuple[str, str]] = {
    "Red": ("govuk-tag--red", "F4CDC6"),
    "Amber": ("govuk-tag--yellow", "FFF7BF"),
    "Green": ("govuk-tag--green", "CCE2D8"),
}


def rag_tag_class(value: Cell) -> str | None:
    """The GOV.UK tag modifier for a RAG cell, or None when the cell is not a status."""
    style = RAG_STYLES.get(value) if isinstance(value, str) else None
    return style[0] if style else None


def rag_fill(value: Cell) -> str | None:
    """The fill colour (RRGGBB) for a RAG cell, or None when the cell is not a status."""
    style = RAG_STYLES.get(value) if isinstance(value, str) else None
    return style[1] if style else None
