"""IOM selection scoring: a transparent recency, frequency and gravity matrix.

No national formula is public (BRIEF.md, "Integrated Offender Management"), so the matrix
is configuration, and every score shows how it was built. The London 2021 framework
targets people most likely to reoffend violently; by default neighbourhood crime
(residential burglary, personal robbery, theft from the person, vehicle crime) and
violence carry the highest gravity.

A person's score on a given day is the sum of:

- **offence points**: for every offence in the look-back period, the gravity of its
  offence group times the recency multiplier for how many days ago it was committed;
- **frequency points**: a bonus for the number of offences in the last 365 days;
- **risk points** (optional, off by default): points per 10 percentage points of an
  OGRS (general reoffending) or OVP (violent reoffending) probability, where known.

Scores support professional judgement and never replace it: a coordinator can add or
remove anyone, recording the reason (`SelectionDecision`).

`saferhub.measures.iom.selection_scores` computes the same score with Ibis for a whole
population; tests check the two agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from saferhub.errors import ConfigurationError

DEFAULT_GRAVITY: dict[str, float] = {
    "homicide": 10,
    "rape": 8,
    "robbery_personal": 8,
    "violence_with_injury": 7,
    "burglary_residential": 7,
    "weapons": 6,
    "other_sexual": 6,
    "theft_from_person": 6,
    "theft_of_vehicle": 6,
    "violence_without_injury": 5,
    "theft_from_vehicle": 5,
    "arson": 5,
    "robbery_business": 5,
    "vehicle_interference": 4,
    "stalking_harassment": 4,
    "burglary_business": 4,
    "criminal_damage": 2,
    "drugs": 2,
    "shoplifting": 2,
    "other_theft": 2,
    "public_order": 2,
    "other": 1,
}


@dataclass(frozen=True, slots=True)
class Band:
    """Applies when the value is at most `up_to` (days ago, or offences counted)."""

    up_to: int
    value: float
    label: str


@dataclass(frozen=True, slots=True)
class CountBand:
    """Applies when the count is at least `at_least`."""

    at_least: int
    points: float


@dataclass(frozen=True)
class ScoringMatrix:
    """The configurable selection matrix. Validated when built; every field has a default."""

    # Recency multipliers by days since the offence, nearest first; the last band's
    # `up_to` is the look-back period: older offences score nothing.
    recency: tuple[Band, ...] = (
        Band(91, 3.0, "in the last 3 months"),
        Band(182, 2.0, "3 to 6 months ago"),
        Band(365, 1.5, "6 to 12 months ago"),
        Band(1095, 1.0, "1 to 3 years ago"),
    )
    gravity: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_GRAVITY))
    default_gravity: float = 1.0
    # Frequency bonus by offences in the last 365 days, highest threshold first.
    frequency: tuple[CountBand, ...] = (CountBand(10, 20.0), CountBand(6, 12.0), CountBand(3, 6.0))
    ogrs_points_per_10: float = 0.0
    ovp_points_per_10: float = 0.0

    def __post_init__(self) -> None:
        if not self.recency:
            raise ConfigurationError("The scoring matrix needs at least one recency band.")
        limits = [band.up_to for band in self.recency]
        if limits != sorted(set(limits)) or limits[0] < 0:
            raise ConfigurationError(
                "The recency bands must run from the most recent to the oldest, each "
                f"ending later than the one before (got days {limits})."
            )
        for band in self.recency:
            if band.value < 0:
                raise ConfigurationError(f"The recency multiplier for '{band.label}' is below 0.")
        for group, weight in self.gravity.items():
            if weight < 0:
                raise ConfigurationError(
                    f"The gravity of '{group}' is {weight}; it must be 0 or more."
                )
        thresholds = [band.at_least for band in self.frequency]
        if thresholds != sorted(set(thresholds), reverse=True) or any(t < 1 for t in thresholds):
            raise ConfigurationError(
                "The frequency bands must run from the highest count to the lowest, "
                f"each at least 1 (got {thresholds})."
            )
        if self.ogrs_points_per_10 < 0 or self.ovp_points_per_10 < 0:
            raise ConfigurationError("OGRS and OVP points must be 0 (off) or more.")

    @property
    def look_back_days(self) -> int:
        return self.recency[-1].up_to

    def gravity_of(self, offence_group: str) -> float:
        return self.gravity.get(offence_group, self.default_gravity)

    def recency_band(self, days_ago: int) -> Band | None:
        """The band an offence `days_ago` days before the scoring date falls in (None: too old)."""
        if days_ago < 0:
            return None
        for band in self.recency:
            if days_ago <= band.up_to:
                return band
        return None

    def frequency_points(self, offences_last_year: int) -> float:
        for band in self.frequency:
            if offences_last_year >= band.at_least:
                return band.points
        return 0.0

    @classmethod
    def from_mapping(cls, settings: Mapping[str, object]) -> ScoringMatrix:
        """Build from configuration such as {"gravity": {"drugs": 4}, "ogrs_points_per_10": 1}.

        Gravity entries are merged over the defaults; other keys replace them.
        """
        known = {
            "recency",
            "gravity",
            "default_gravity",
            "frequency",
            "ogrs_points_per_10",
            "ovp_points_per_10",
        }
        unknown = sorted(set(settings) - known)
        if unknown:
            raise ConfigurationError(
                f"The scoring matrix has unknown setting(s): {', '.join(unknown)}.",
                f"Known settings: {', '.join(sorted(known))}.",
            )
        kwargs: dict[str, object] = {}
        try:
            if "gravity" in settings:
                gravity = dict(DEFAULT_GRAVITY)
                gravity.update({str(k): float(v) for k, v in dict(settings["gravity"]).items()})  # type: ignore[call-overload]
                kwargs["gravity"] = gravity
            if "recency" in settings:
                kwargs["recency"] = tuple(
                    Band(
                        int(b["up_to"]),
                        float(b["value"]),
                        str(b.get("label", f"up to {b['up_to']} days ago")),
                    )
                    for b in settings["recency"]  # type: ignore[attr-defined]
                )
            if "frequency" in settings:
                kwargs["frequency"] = tuple(
                    CountBand(int(b["at_least"]), float(b["points"]))
                    for b in settings["frequency"]  # type: ignore[attr-defined]
                )
            for key in ("default_gravity", "ogrs_points_per_10", "ovp_points_per_10"):
                if key in settings:
                    kwargs[key] = float(settings[key])  # type: ignore[arg-type]
        except (TypeError, KeyError, ValueError) as exc:
            raise ConfigurationError(
                f"The scoring matrix settings cannot be read ({exc})."
            ) from None
        return cls(**kwargs)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class ScoredOffence:
    offence_date: date
    offence_group: str


@dataclass(frozen=True, slots=True)
class ScoreComponent:
    """One line of a score's breakdown: what it is, how it was worked out, and its points."""

    label: str
    working: str
    points: float


@dataclass(frozen=True)
class Score:
    """A selection score and how it was built, line by line."""

    total: float
    components: tuple[ScoreComponent, ...]
    offences_counted: int
    offences_last_year: int

    @property
    def breakdown(self) -> list[tuple[str, str, float]]:
        return [(c.label, c.working, c.points) for c in self.components]


def _points(value: float) -> str:
    return f"{value:g}"


def score(
    offences: Iterable[ScoredOffence],
    on: date,
    matrix: ScoringMatrix | None = None,
    group_labels: Mapping[str, str] | None = None,
    ogrs: float | None = None,
    ovp: float | None = None,
) -> Score:
    """Score one person on day `on` from their offences; offences after `on` are ignored."""
    matrix = matrix or ScoringMatrix()
    labels = group_labels or {}
    # (recency band position, group) -> offences counted
    counts: dict[tuple[int, str], int] = {}
    counted = last_year = 0
    for offence in offences:
        days_ago = (on - offence.offence_date).days
        band = matrix.recency_band(days_ago)
        if band is None:
            continue
        counted += 1
        if days_ago <= 365:
            last_year += 1
        key = (matrix.recency.index(band), offence.offence_group)
        counts[key] = counts.get(key, 0) + 1
    components: list[ScoreComponent] = []
    for (position, group), count in sorted(
        counts.items(), key=lambda item: (item[0][0], -matrix.gravity_of(item[0][1]), item[0][1])
    ):
        band, gravity = matrix.recency[position], matrix.gravity_of(group)
        components.append(
            ScoreComponent(
                f"{labels.get(group, group)}, {band.label}",
                f"{count} \u00d7 gravity {_points(gravity)} \u00d7 recency {_points(band.value)}",
                count * gravity * band.value,
            )
        )
    bonus = matrix.frequency_points(last_year)
    components.append(
        ScoreComponent(
            "Frequency",
            f"{last_year} offence{'s' if last_year != 1 else ''} in the last 12 months",
            bonus,
        )
    )
    for name, value, per_10 in (
        ("OGRS", ogrs, matrix.ogrs_points_per_10),
        ("OVP", ovp, matrix.ovp_points_per_10),
    ):
        if per_10 and value is not None:
            components.append(
                ScoreComponent(
                    f"{name} score",
                    f"{_points(value)}% \u00f7 10 \u00d7 {_points(per_10)} points",
                    value / 10 * per_10,
                )
            )
    return Score(sum(c.points for c in components), tuple(components), counted, last_year)


class Decision(StrEnum):
    ADD = "add"
    REMOVE = "remove"


@dataclass(frozen=True, slots=True)
class SelectionDecision:
    """A professional-judgement decision to add someone to, or remove them from, the cohort."""

    decision: Decision
    reason: str
    score: float | None = None

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ConfigurationError(
                f"A decision to {self.decision.value} someone by professional judgement "
                "needs a reason."
            )


@dataclass(frozen=True, slots=True)
class DeselectionPolicy:
    """Members offence-free for `offence_free_months` months are due a de-selection review."""

    offence_free_months: int = 12

    def __post_init__(self) -> None:
        if not 1 <= self.offence_free_months <= 120:
            raise ConfigurationError(
                f"An offence-free period of {self.offence_free_months} months is not sensible.",
                "Give between 1 and 120 months.",
            )
