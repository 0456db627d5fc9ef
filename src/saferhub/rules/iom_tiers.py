"""IOM risk/vulnerability tiers, tier history and the contact plan each tier carries.

Tiers (BRIEF.md, "Integrated Offender Management"; seed 004, 8.1.11 and 8.1.20):

- Red, Amber and Green rate risk and vulnerability in the community.
- Blue means in custody or on remand.

Contact is matched to the tier. By default Red and Amber get daily contact and Green 2 to
3 contacts a week (seed 004, 8.1.20); Blue has no community contact plan. A partnership
can set its own plan. Compliance with the plan is the contacts attended as a percentage
of the contacts the plan required over the days spent in each tier.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from saferhub.errors import ConfigurationError


class Tier(StrEnum):
    RED = "Red"
    AMBER = "Amber"
    GREEN = "Green"
    BLUE = "Blue"

    @property
    def description(self) -> str:
        return TIER_DESCRIPTIONS[self]

    @classmethod
    def parse(cls, text: str) -> Tier:
        for tier in cls:
            if str(text).strip().casefold() == tier.value.casefold():
                return tier
        raise ConfigurationError(
            f"'{text}' is not an IOM tier.", f"Use one of: {', '.join(t.value for t in cls)}."
        )


TIER_DESCRIPTIONS = {
    Tier.RED: "Highest risk or vulnerability in the community",
    Tier.AMBER: "Medium risk or vulnerability in the community",
    Tier.GREEN: "Lower risk or vulnerability in the community",
    Tier.BLUE: "In custody or on remand",
}
TIER_ORDER = (Tier.RED, Tier.AMBER, Tier.GREEN, Tier.BLUE)

CONTACT_OUTCOMES = ("attended", "missed", "cancelled")


@dataclass(frozen=True, slots=True)
class ContactStandard:
    """How many contacts a week a tier needs: at least `minimum`, typically up to `maximum`."""

    minimum: float
    maximum: float

    def __post_init__(self) -> None:
        if self.minimum < 0 or self.maximum < self.minimum or self.maximum > 21:
            raise ConfigurationError(
                f"A contact standard of {self.minimum} to {self.maximum} a week is not possible.",
                "Give a minimum of 0 or more and a maximum at or above it (at most 21 a week).",
            )

    @property
    def label(self) -> str:
        if self.minimum == 0 and self.maximum == 0:
            return "No community contact plan"
        if self.minimum == self.maximum == 7:
            return "Daily"
        if self.minimum == self.maximum:
            return f"{_number(self.minimum)} a week"
        return f"{_number(self.minimum)}\u2013{_number(self.maximum)} times a week"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@dataclass(frozen=True)
class ContactPlan:
    """Contacts a week by tier; a partnership can configure it (validated here)."""

    standards: Mapping[Tier, ContactStandard]

    def __post_init__(self) -> None:
        missing = [tier.value for tier in Tier if tier not in self.standards]
        if missing:
            raise ConfigurationError(
                f"The contact plan has no standard for {', '.join(missing)}.",
                "Give a standard for every tier (0 for none).",
            )

    @classmethod
    def default(cls) -> ContactPlan:
        return cls(
            {
                Tier.RED: ContactStandard(7, 7),
                Tier.AMBER: ContactStandard(7, 7),
                Tier.GREEN: ContactStandard(2, 3),
                Tier.BLUE: ContactStandard(0, 0),
            }
        )

    @classmethod
    def from_mapping(cls, settings: Mapping[str, object]) -> ContactPlan:
        """Read {"Red": 7, "Green": [2, 3], ...}; tiers left out keep the default."""
        standards = dict(cls.default().standards)
        for key, value in settings.items():
            tier = Tier.parse(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                standards[tier] = ContactStandard(float(value), float(value))
            elif (
                isinstance(value, list | tuple)
                and len(value) == 2
                and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
            ):
                standards[tier] = ContactStandard(float(value[0]), float(value[1]))
            else:
                raise ConfigurationError(
                    f"The contact plan for {tier.value} is {value!r}.",
                    "Give contacts a week as a number, or [minimum, maximum].",
                )
        return cls(standards)

    def required_per_week(self, tier: Tier) -> float:
        return self.standards[tier].minimum


@dataclass(frozen=True, slots=True)
class TierChange:
    """A member moved to `tier` on `from_date`, for a recorded reason."""

    tier: Tier
    from_date: date
    reason: str

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ConfigurationError(
                f"The change to {self.tier.value} on {self.from_date:%d %B %Y} needs a reason."
            )


@dataclass(frozen=True, slots=True)
class TierSpan:
    """Days `first` to `last` inclusive spent in one tier."""

    tier: Tier
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def tier_on(history: Iterable[TierChange], day: date) -> Tier | None:
    """The tier in force on `day`: the latest change on or before it (None before the first)."""
    current: TierChange | None = None
    for change in sorted(history, key=lambda c: c.from_date):
        if change.from_date <= day:
            current = change
    return None if current is None else current.tier


def tier_spans(history: Iterable[TierChange], first: date, last: date) -> list[TierSpan]:
    """The tiers in force from `first` to `last` inclusive, as consecutive spans."""
    changes = sorted(history, key=lambda c: c.from_date)
    spans: list[TierSpan] = []
    for position, change in enumerate(changes):
        ends = (
            changes[position + 1].from_date - timedelta(days=1)
            if position + 1 < len(changes)
            else last
        )
        start, end = max(change.from_date, first), min(ends, last)
        if start <= end:
            spans.append(TierSpan(change.tier, start, end))
    return spans


def required_contacts(spans: Iterable[TierSpan], plan: ContactPlan) -> float:
    """Contacts the plan required over the spans: each tier's weekly minimum, pro rata by day."""
    return sum(plan.required_per_week(span.tier) * span.days / 7 for span in spans)


@dataclass(frozen=True, slots=True)
class Compliance:
    """Contacts logged against the plan for one member (or a whole cohort) over a period."""

    required: float
    attended: int
    missed: int
    cancelled: int

    @property
    def rate(self) -> float | None:
        """Attended contacts as a % of required ones (None when none were required)."""
        if self.required <= 0:
            return None
        return 100 * self.attended / self.required

    @property
    def met(self) -> bool | None:
        rate = self.rate
        return None if rate is None else rate >= 100


def compliance(spans: Iterable[TierSpan], plan: ContactPlan, outcomes: Iterable[str]) -> Compliance:
    """Count logged contact outcomes (attended/missed/cancelled) against the plan."""
    counts = dict.fromkeys(CONTACT_OUTCOMES, 0)
    for outcome in outcomes:
        if outcome not in counts:
            raise ConfigurationError(
                f"'{outcome}' is not a contact outcome.",
                f"Use one of: {', '.join(CONTACT_OUTCOMES)}.",
            )
        counts[outcome] += 1
    return Compliance(
        required_contacts(spans, plan), counts["attended"], counts["missed"], counts["cancelled"]
    )
