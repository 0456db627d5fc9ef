"""The published benchmarks MARAC figures are read against (SafeLives' expected ranges)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ExpectedRange:
    """A published benchmark a figure is read against, with where it comes from."""

    measure: str  # a key of MEASURES, or "per_10000_adult_women"
    label: str
    low: float | None
    high: float | None
    unit: str  # "%" or "per 10,000 adult women a quarter"
    kind: str  # "range": we say below / within / above; "reference": shown, not judged
    source: str

    @property
    def text(self) -> str:
        if self.high is None:
            return f"{self.low:g}{self.unit if self.unit == '%' else ''} or more"
        if self.low == self.high:
            return f"about {self.low:g}"
        return f"{self.low:g}\u2013{self.high:g}{'%' if self.unit == '%' else ''}"

    def reading(self, value: float | None) -> str:
        if value is None:
            return "no cases"
        if self.kind == "reference":
            return "for reference"
        if self.low is not None and value < self.low:
            return "below expected range"
        if self.high is not None and value > self.high:
            return "above expected range"
        return "within expected range"


_SAFELIVES = (
    "SafeLives' expected rates for a MARAC, as a Safer Communities Partnership Board reports them"
)
SAFELIVES_RANGES: tuple[ExpectedRange, ...] = (
    ExpectedRange("male", "Male victims", 5.0, 10.0, "%", "range", _SAFELIVES),
    ExpectedRange("lgbt", "LGBT+ victims", 2.5, 5.8, "%", "range", _SAFELIVES),
    ExpectedRange("disabled", "Disabled victims", 19.0, None, "%", "range", _SAFELIVES),
    ExpectedRange(
        "per_10000_adult_women",
        "Cases per 10,000 adult women",
        10.0,
        10.0,
        "per 10,000 adult women a quarter",
        "reference",
        "SafeLives recommended volume of about 40 cases per 10,000 adult women a year, "
        "divided by 4 for a quarter",
    ),
    ExpectedRange(
        "repeat_cases",
        "Repeat cases",
        31.0,
        33.0,
        "%",
        "reference",
        "National repeat rate of 31-33% (33% in 2022/23). "
        "A national figure, not a SafeLives expected range",
    ),
)
