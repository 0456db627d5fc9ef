"""The synthetic world every generator draws from.

Each generator module (people, offences, caseload, crime_counts, iom, marac …) exposes
`generate(world) -> dict[str, list[dict]]`, mapping an extract's file name to its rows.
Randomness comes from `world.rng(name)`: one independent stream per generator, so adding
a generator never changes another's output and the same seed and scale give the same files.
Nothing reads the clock: `world.as_of` is the reference date for ages and "current" status.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta

# The day the synthetic partnership is "as of" unless told otherwise: the end of 2023/24 Q2,
# the period the most recent seed board pack (seed 004) reports on. A fixed default keeps
# `saferhub synth` reproducible; `saferhub demo` passes the day it is first run.
DEFAULT_AS_OF = date(2023, 9, 30)
# Histories reach back five and a half years, and people are born up to 85 years before:
# dates much outside this range stop meaning anything (and leave the calendar's limits).
EARLIEST_AS_OF = date(2000, 1, 1)
LATEST_AS_OF = date(2100, 12, 31)


def quarter_start(day: date) -> date:
    """The first day of the calendar quarter holding `day` (1 January, April, July, October)."""
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def before_quarter(as_of: date, years: int, months: int = 0) -> date:
    """A fixed distance back from the start of as-of's quarter: where a history begins.

    Every generator measures its history back from the as-of date, never from a fixed
    year, so a world built as of any day has the same shape and the same calibration.
    """
    return quarter_start(as_of) - relativedelta(years=years, months=months)


@dataclass(frozen=True, slots=True)
class SynthPerson:
    """A nominal: someone an agency works with. Identifiers are None where the agency has none."""

    person_id: str  # SaferHub's local identifier, e.g. "P000123"
    first_name: str
    last_name: str
    aliases: tuple[str, ...]
    date_of_birth: date
    gender: str  # "M" | "F"
    ethnicity: str  # ONS 2021 group code from rules.demographics, e.g. "W1"; "NS" not stated
    ward: str
    address: str
    postcode: str
    pnc_id: str | None = None  # police national computer id
    crn: str | None = None  # probation case reference number


@dataclass
class World:
    seed: int
    scale: float = 1.0
    as_of: date = DEFAULT_AS_OF
    people: list[SynthPerson] = field(default_factory=list)

    def rng(self, name: str) -> random.Random:
        """A deterministic random stream for one generator, independent of the others."""
        digest = hashlib.sha256(f"{self.seed}:{name}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))

    def scaled(self, count: float) -> int:
        """A count at this world's scale (at least 1 when the base count is positive)."""
        return max(1 if count > 0 else 0, round(count * self.scale))
