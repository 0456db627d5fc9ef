"""The crime dashboard as plain data: the `--format json` output, version 1.

The shape is documented, and kept stable, in docs/measures/crime.md. Counts are whole
numbers; a public version gives hidden figures as null and lists them in "suppressed".
"""

from __future__ import annotations

from typing import Any

from saferhub.measures.crime_dashboard import CrimeDashboard, MeasureResult
from saferhub.measures.crime_disclosed import Disclosure, unwrap, window_values
from saferhub.measures.published import Published
from saferhub.reports.crime_sentences import sentences
from saferhub.rules.exceptions import MonthCheck
from saferhub.rules.periods import Window

JSON_FORMAT = "saferhub-crime-dashboard"
JSON_VERSION = 1


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _window_json(window: Window) -> dict[str, Any]:
    return {
        "first": window.first.key,
        "last": window.last.key,
        "months": len(window),
        "label": window.label,
    }


def _comparison_json(result: MeasureResult, which: str, hidden: frozenset[str]) -> dict[str, Any]:
    comparison = result.recent if which == "recent" else result.rolling
    values = window_values(result)
    current_hidden = which in hidden
    previous_hidden = f"{which}_previous" in hidden
    return {
        "volume": None if current_hidden else _number(values[which]),
        "previous": None if previous_hidden else _number(values[f"{which}_previous"]),
        "change_percent": None if current_hidden or previous_hidden else comparison.change,
    }


def _exception_json(check: MonthCheck, withheld: bool) -> dict[str, Any]:
    return {
        "month": check.month.key,
        "count": None if withheld else _number(check.observed),
        "expected": None if withheld else check.expected,
        "low": None if withheld else check.low,
        "high": None if withheld else check.high,
        "flag": check.flag.value if check.flag else None,
        "assessed": check.assessed,
        "reason": check.reason,
    }


def _measure_json(
    dashboard: CrimeDashboard, result: MeasureResult, disclosure: Disclosure
) -> dict[str, Any]:
    hidden = disclosure.of(result)
    measure = result.measure
    return {
        "key": measure.key,
        "label": measure.label,
        "source": measure.source,
        "polarity": measure.polarity.value,
        "definition": measure.definition,
        "recent": _comparison_json(result, "recent", hidden),
        "rolling_12": _comparison_json(result, "rolling", hidden),
        "rate": None
        if result.rate is None or "rate" in hidden
        else {"value": result.rate, "per": measure.rate_label},
        "london_rank": {"rank": result.london_rank.position, "of": result.london_rank.of}
        if result.london_rank
        else None,
        "peer_rank": {"rank": result.peer_rank.position, "of": result.peer_rank.of}
        if result.peer_rank
        else None,
        "rag": {
            "status": result.rag.value if result.rag else None,
            "indicators": [
                {
                    "name": i.name,
                    "direction": i.comparison.direction.value if i.comparison.direction else None,
                    "assessment": i.assessment.value if i.assessment else None,
                }
                for i in result.indicators
            ],
        },
        "exceptions": [_exception_json(c, "monthly" in hidden) for c in result.exceptions],
        "sentences": list(sentences(result, dashboard.peer_group.name, hidden)),
        "suppressed": sorted(hidden),
    }


def crime_json(result: CrimeDashboard | Published[CrimeDashboard]) -> dict[str, Any]:
    """The dashboard as plain data; the shape is documented in docs/measures/crime.md.

    Given a published dashboard, the figures its audience may not see are null.
    """
    dashboard, disclosure = unwrap(result)
    public = disclosure.public
    recent = dashboard.recent_window
    rolling = dashboard.rolling_window
    exceptions = dashboard.settings.exceptions
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "area": {"name": dashboard.area.name, "code": dashboard.area.code},
        "to": dashboard.end.key,
        "public": public,
        "periods": {
            "recent": _window_json(recent),
            "recent_previous": _window_json(recent.year_earlier),
            "rolling_12": _window_json(rolling),
            "rolling_12_previous": _window_json(rolling.preceding),
        },
        "peer_group": {
            "name": dashboard.peer_group.name,
            "members": list(dashboard.peer_group.members),
        },
        "measures": [_measure_json(dashboard, r, disclosure) for r in dashboard.results],
        "not_reported": [
            {"key": m.key, "label": m.label, "reason": why} for m, why in dashboard.not_reported
        ],
        "sources": list(dashboard.sources),
        "method": {
            "rag_nearly_all": dashboard.settings.rag.nearly_all,
            "exceptions": {
                "years": exceptions.years,
                "min_years": exceptions.min_years,
                "probability": exceptions.probability,
                "dispersion_months": exceptions.dispersion_months,
            },
        },
    }
