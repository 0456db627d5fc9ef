"""The Ministry of Justice proven reoffending windows, pinned to the day.

The definition (MoJ *Proven reoffending statistics*; BRIEF.md, "Proven reoffending"):

- The **cohort** is everyone who, in the cohort period, was released from custody,
  convicted at court with a non-custodial sentence, or cautioned. Each person's first
  such event in the period is their **index event**, on their **index date**.
- A **proven reoffence** is an offence committed in the 12-month follow-up period after
  the index date that leads to a conviction or caution within that follow-up or a
  further 6-month waiting period.

How the days are counted here. "Day N" means the index date plus N days, so day 0 is the
index date itself and day 1 the day after.

- The follow-up runs from day 1 to day 365 inclusive: an offence committed on day 365
  counts, one on day 366 does not. An offence on day 0 does not count: on the index date
  it cannot be told apart from the offence that led to the index event.
- The proving conviction or caution must be on or before the index date plus 18 calendar
  months (12 months of follow-up plus the 6-month waiting period). Adding months keeps the
  day of the month, or the month's last day when it is shorter: 31 August 2023 plus 18
  months is 29 February 2025. A conviction on that deadline counts; one the day after
  (18 months plus 1 day) does not.

The measures in `saferhub.measures.reoffending` apply these same constants as Ibis
expressions; tests check the two agree.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from saferhub.errors import ConfigurationError
from saferhub.rules.periods import Window

FOLLOW_UP_DAYS = 365
WAITING_MONTHS = 6
PROVING_DEADLINE_MONTHS = 12 + WAITING_MONTHS

# Disposal types as they appear in the disposals extract (docs/formats/disposals.md).
CAUTION = "caution"
CONVICTION_NON_CUSTODIAL = "conviction_non_custodial"
CONVICTION_CUSTODIAL = "conviction_custodial"
RELEASE_FROM_CUSTODY = "release_from_custody"

DISPOSAL_TYPES = (CAUTION, CONVICTION_NON_CUSTODIAL, CONVICTION_CUSTODIAL, RELEASE_FROM_CUSTODY)
# A custodial sentence starts the clock only when the person is released, not at sentence.
INDEX_EVENT_TYPES = (CAUTION, CONVICTION_NON_CUSTODIAL, RELEASE_FROM_CUSTODY)
# A release proves nothing; a caution or any conviction proves the offence it disposes of.
PROVING_TYPES = (CAUTION, CONVICTION_NON_CUSTODIAL, CONVICTION_CUSTODIAL)

DISPOSAL_LABELS = {
    CAUTION: "Caution",
    CONVICTION_NON_CUSTODIAL: "Court conviction, non-custodial sentence",
    CONVICTION_CUSTODIAL: "Court conviction, custodial sentence",
    RELEASE_FROM_CUSTODY: "Release from custody",
}


def day(index_date: date, n: int) -> date:
    """Day N of the follow-up: the index date plus N days."""
    return index_date + timedelta(days=n)


def follow_up_last_day(index_date: date) -> date:
    """The last day on which an offence still counts: day 365."""
    return day(index_date, FOLLOW_UP_DAYS)


def proving_deadline(index_date: date) -> date:
    """The last day a conviction or caution can prove a reoffence: index date + 18 months."""
    return index_date + relativedelta(months=PROVING_DEADLINE_MONTHS)


def in_follow_up(index_date: date, offence_date: date) -> bool:
    """True when the offence was committed on day 1 to day 365 after the index date."""
    return index_date < offence_date <= follow_up_last_day(index_date)


def proven_in_time(index_date: date, disposal_date: date) -> bool:
    """True when the proving conviction or caution came on or before the deadline."""
    return disposal_date <= proving_deadline(index_date)


def is_proven_reoffence(index_date: date, offence_date: date, proven_on: date | None) -> bool:
    """An offence in the follow-up, proven by a conviction or caution in time (None: never)."""
    return (
        proven_on is not None
        and in_follow_up(index_date, offence_date)
        and proven_in_time(index_date, proven_on)
    )


def waiting_period_complete(cohort_last_day: date, data_last_day: date) -> bool:
    """True when the data runs long enough to prove every reoffence for the whole cohort."""
    return proving_deadline(cohort_last_day) <= data_last_day


# -- Cohort methods ---------------------------------------------------------------------------
#
# Since October 2017 the Ministry of Justice measures proven reoffending for offenders who
# entered the cohort in a 3-month period, and compares a quarter with the same quarter a
# year earlier (seasonality makes the preceding quarter a poor comparison). An annual
# figure pools four consecutive 3-month cohorts: offenders, reoffenders and reoffences
# are added across the four, so a person who starts the clock in two quarters counts in
# both. Before October 2017 the cohort was everyone in a 12-month period, with each
# person's first index event in the year. (MoJ "Guide to proven reoffending statistics",
# October 2017 onwards; the 2016 consultation response, "Three month offender cohorts".)

QUARTERLY_COHORTS = "3-month"
ANNUAL_COHORT = "12-month"
METHODS = (QUARTERLY_COHORTS, ANNUAL_COHORT)
METHOD_LABELS = {
    QUARTERLY_COHORTS: "MoJ method since October 2017: 3-month cohorts, compared with the same "
    "period a year earlier",
    ANNUAL_COHORT: "MoJ method before October 2017: one cohort for the whole period, compared "
    "with the period just before it",
}
COHORT_MONTHS = 3


def require_method(method: str) -> str:
    """The method's key, or a ConfigurationError naming the choices."""
    if method not in METHODS:
        raise ConfigurationError(
            f"'{method}' is not a proven reoffending method.",
            f"Choose {QUARTERLY_COHORTS} (the current MoJ method, the default) or "
            f"{ANNUAL_COHORT} (the method before October 2017).",
        )
    return method


def cohort_windows(period: Window, method: str) -> tuple[Window, ...]:
    """The cohorts a reporting period is made of: 3-month ones, or the whole period.

    Under the 3-month method the period must be a whole number of 3-month cohorts,
    e.g. one quarter, or four for an annual figure.
    """
    if require_method(method) == ANNUAL_COHORT:
        return (period,)
    if len(period) % COHORT_MONTHS:
        raise ConfigurationError(
            f"The cohort period {period.label} is {len(period)} months; the 3-month method "
            "needs a whole number of 3-month cohorts.",
            "Give a period of 3 months (one cohort) or 12 (an annual figure pooling four), "
            f"or choose --method {ANNUAL_COHORT}.",
        )
    return tuple(
        Window(period.first + start, period.first + start + COHORT_MONTHS - 1)  # type: ignore[arg-type]
        for start in range(0, len(period), COHORT_MONTHS)
    )


def comparison_period(period: Window, method: str) -> Window:
    """What a period is compared with: the same months a year earlier under the 3-month
    method (the MoJ's comparison since 2017), the period just before under the old one."""
    if require_method(method) == QUARTERLY_COHORTS:
        return period.year_earlier
    return period.preceding
