"""The area proven reoffending result: a period and the period it is compared with (each
pooled over its 3-month cohorts by the default method), a comparator, and what is hidden.

`hidden` names, per period ("cohort" or "previous") and per list of 3-month cohorts
("cohorts" or "previous_cohorts", applying to every cohort in it), the figures an audience
may not see; it is filled in once, by `saferhub.app.publish.reoffending`, and every
renderer reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from saferhub.measures.iom_figures import Comparator
from saferhub.measures.reoffending import ReoffendingFigures
from saferhub.rules.disclosure import CONFIDENTIAL, Audience
from saferhub.rules.periods import Window
from saferhub.rules.reoffending import METHOD_LABELS, QUARTERLY_COHORTS, proving_deadline

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
    cohort: ReoffendingFigures  # pooled over `cohorts`
    previous: ReoffendingFigures  # pooled over `previous_cohorts`
    comparator: Comparator | None
    window: Window
    data_last_day: date | None
    source: str
    method: str = QUARTERLY_COHORTS
    comparison: Window | None = None  # the period compared with; None: the one before
    cohorts: tuple[ReoffendingFigures, ...] = ()
    previous_cohorts: tuple[ReoffendingFigures, ...] = ()
    audience: Audience = Audience.PARTNERSHIP
    hidden: dict[str, frozenset[str]] = field(default_factory=dict)
    marker: str = CONFIDENTIAL

    @property
    def method_label(self) -> str:
        return METHOD_LABELS[self.method]

    @property
    def compared_window(self) -> Window:
        return self.comparison or self.window.preceding

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

    def shown_field(self, which: str, name: str, value: object) -> object:
        """`value` of figure `name` (a ReoffendingFigures field), or the marker when hidden."""
        return self.marker if name in self.hidden.get(which, ()) else value

    def published_dict(self, which: str) -> dict:
        figures: ReoffendingFigures = getattr(self, which)
        return self._published(figures, which)

    def published_cohorts(self, which: str) -> list[dict]:
        """Each 3-month cohort of `which` ("cohorts" or "previous_cohorts") as published."""
        return [self._published(figures, which) for figures in getattr(self, which)]

    def _published(self, figures: ReoffendingFigures, which: str) -> dict:
        data = figures.to_dict()
        for name in self.hidden.get(which, ()):
            data[name] = self.marker
        return data
