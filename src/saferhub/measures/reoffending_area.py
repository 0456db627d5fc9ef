"""The area proven reoffending result: two cohorts, a comparator, and what is hidden.

`hidden` names, per cohort ("cohort" or "previous"), the table rows an audience may not
see; it is filled in once, by `saferhub.app.publish.reoffending`, and every renderer reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from saferhub.measures.iom_figures import Comparator
from saferhub.measures.reoffending import ReoffendingFigures
from saferhub.rules.disclosure import CONFIDENTIAL, Audience
from saferhub.rules.periods import Window
from saferhub.rules.reoffending import proving_deadline

# Table row label -> the ReoffendingFigures field it shows.
ROW_FIELDS = {
    "Offenders in the cohort": "offenders",
    "Reoffenders": "reoffenders",
    "Proven reoffences": "reoffences",
    "Proportion who reoffend (%)": "rate_pct",
    "Reoffences per offender": "per_offender",
    "Reoffences per reoffender": "per_reoffender",
}


@dataclass(frozen=True)
class AreaReoffending:
    cohort: ReoffendingFigures
    previous: ReoffendingFigures
    comparator: Comparator | None
    window: Window
    data_last_day: date | None
    source: str
    audience: Audience = Audience.PARTNERSHIP
    hidden: dict[str, frozenset[str]] = field(default_factory=dict)
    marker: str = CONFIDENTIAL

    @property
    def provisional(self) -> bool:
        """True when the extracts end before the last index date's 18-month deadline."""
        return (
            self.data_last_day is None
            or proving_deadline(self.cohort.last_day) > self.data_last_day
        )

    def shown(self, which: str, label: str, value: object) -> object:
        """`value` of row `label`, or the marker when the audience may not see it."""
        return self.marker if ROW_FIELDS[label] in self.hidden.get(which, ()) else value

    def published_dict(self, which: str) -> dict:
        figures: ReoffendingFigures = getattr(self, which)
        data = figures.to_dict()
        for name in self.hidden.get(which, ()):
            data[name] = self.marker
        return data
