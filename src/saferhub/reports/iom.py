"""The IOM board figures as JSON (shape documented in docs/measures/iom.md).

A renderer only: the figures arrive computed and published for an audience by
`saferhub.app.iom`, so the JSON shows exactly what the HTML, XLSX and PDF show.
The Report itself is built in reports/iom_board.py.
"""

from __future__ import annotations

from datetime import date

from saferhub.measures.iom_figures import IomFigures
from saferhub.reports.iom_board import iom_report
from saferhub.rules.reoffending import METHOD_LABELS, QUARTERLY_COHORTS

__all__ = ["iom_json", "iom_report"]


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def iom_json(figures: IomFigures) -> dict:
    """The published figures as JSON-ready data; hidden counts keep their marker."""
    data = {
        "report": "iom",
        "audience": figures.audience.value,
        "to": figures.to.key,
        "report_date": figures.report_date.isoformat(),
        "source": figures.source,
        "offending_rates": figures.rates,
        "offences_avoided": figures.avoided,
        "cost_of_crime_avoided": {
            "price_year": figures.unit_costs.price_year,
            "unit_costs": figures.unit_costs.name,
            "to_be_checked": figures.unit_costs.groups_to_be_checked(),
            "groups": figures.cost,
        },
        "composition": figures.composition,
        "offences_by_members": {
            "quarter": figures.quarter.label,
            "this_quarter": figures.offences_this_quarter,
            "previous_quarter": figures.offences_last_quarter,
        },
        "concentration": {**figures.concentration, "cohort_share_pct": figures.cohort_share_pct},
        "pathways": figures.pathways,
        "proven_reoffending": {
            **figures.reoffending.to_dict(),
            "method": {"key": QUARTERLY_COHORTS, "label": METHOD_LABELS[QUARTERLY_COHORTS]},
        }
        if figures.reoffending
        else None,
        "comparator": vars(figures.comparator) if figures.comparator else None,
    }
    if figures.audience.sees_people:
        data["selection"] = figures.selection
        data["deselection_review"] = figures.deselection
    return _plain(data)  # type: ignore[return-value]
