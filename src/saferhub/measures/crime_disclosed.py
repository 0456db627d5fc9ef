"""What a published crime dashboard hides: the result of `saferhub.app.publish.crime`.

The renderers (reports/crime.py, reports/crime_json.py) read it to show markers in place
of hidden figures; the rule that decides what to hide lives in the publish stage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from saferhub.measures.crime_dashboard import CrimeDashboard, MeasureResult

WINDOW_FIELDS = ("recent", "recent_previous", "rolling", "rolling_previous")


@dataclass(frozen=True)
class Disclosure:
    """Hidden figures per (measure key, area): a set of field names.

    Fields: "recent", "recent_previous", "rolling", "rolling_previous" (window volumes),
    "rate" (follows "rolling") and "monthly" (every monthly count of the measure).
    """

    public: bool = False
    hidden: Mapping[tuple[str, str], frozenset[str]] = field(default_factory=dict)

    def of(self, result: MeasureResult) -> frozenset[str]:
        return self.hidden.get((result.measure.key, result.area), frozenset())


def window_values(result: MeasureResult) -> dict[str, float | None]:
    return {
        "recent": result.recent.volume,
        "recent_previous": result.recent.previous,
        "rolling": result.rolling.volume,
        "rolling_previous": result.rolling.previous,
    }


def unwrap(result: object) -> tuple[CrimeDashboard, Disclosure]:
    """The dashboard and what to hide, from a published dashboard or a bare one (hides
    nothing: the partnership's version)."""
    from saferhub.measures.published import Published

    if isinstance(result, Published):
        return result.result, result.withheld  # type: ignore[return-value]
    return result, Disclosure(False, {})  # type: ignore[return-value]
