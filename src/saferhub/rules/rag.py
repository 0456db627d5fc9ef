"""RAG (red, amber, green) status of a measure from its performance indicators.

From the glossary of the board's dashboard (seed 003, "RAG"):

- Green: all performance indicators positive;
- Amber: mixed positive and negative indicators;
- Red: all or nearly all performance indicators negative.

An indicator is the direction of a change (for the crime dashboard: the rolling 12 months
against the 12 before, and the recent months against the same months a year earlier).
Whether "up" is positive depends on the measure's polarity: more crime is bad, a higher
sanction detection rate is good, and some measures (Prevent referrals) are not rated.

Our reading of the glossary, made exact:

- an unchanged indicator is neither positive nor negative;
- an unknown indicator (missing data) is left out;
- Red when negatives make up at least `nearly_all` (default 75%) of the known indicators;
- Green when there is no negative and at least one positive;
- Amber otherwise (including when every indicator is unchanged);
- no status when no indicator is known or the measure has no polarity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from saferhub.errors import ConfigurationError
from saferhub.rules.change import Direction


class Polarity(StrEnum):
    HIGHER_IS_WORSE = "higher_is_worse"
    HIGHER_IS_BETTER = "higher_is_better"
    NONE = "none"  # not rated, e.g. Prevent referrals: more referrals is neither good nor bad


class Assessment(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    NEUTRAL = "neutral"


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def label(self) -> str:
        return self.value.capitalize()


# Enum member lookups are slow in Python 3.11; a London-wide dashboard makes tens of thousands.
_UP, _DOWN, _SAME = Direction.UP, Direction.DOWN, Direction.SAME
_POSITIVE, _NEGATIVE, _NEUTRAL = Assessment.POSITIVE, Assessment.NEGATIVE, Assessment.NEUTRAL
_WORSE, _NOT_RATED = Polarity.HIGHER_IS_WORSE, Polarity.NONE


def assess(change: Direction | None, polarity: Polarity) -> Assessment | None:
    """Whether a change is good news for a measure of this polarity (None: not rated)."""
    if change is None or polarity is _NOT_RATED:
        return None
    if change is _SAME:
        return _NEUTRAL
    good = _DOWN if polarity is _WORSE else _UP
    return _POSITIVE if change is good else _NEGATIVE


@dataclass(frozen=True)
class RagSettings:
    nearly_all: float = 0.75  # share of negative indicators that makes a measure Red

    def __post_init__(self) -> None:
        if not 0.5 < self.nearly_all <= 1:
            raise ConfigurationError(
                f"RAG 'nearly all' share {self.nearly_all} must be above 0.5 and at most 1, "
                "so that Red always means mostly negative."
            )


def rag_status(
    assessments: Sequence[Assessment | None], settings: RagSettings = RagSettings()
) -> Rag | None:
    """Green, Amber or Red from the indicators' assessments (see the module docstring)."""
    known = [a for a in assessments if a is not None]
    if not known:
        return None
    negatives = sum(a is Assessment.NEGATIVE for a in known)
    positives = sum(a is Assessment.POSITIVE for a in known)
    if negatives / len(known) >= settings.nearly_all:
        return Rag.RED
    if negatives == 0 and positives > 0:
        return Rag.GREEN
    return Rag.AMBER
