"""Domestic Abuse MARAC quarterly statistics, as returned to SafeLives.

Every figure is counted over the canonical table of MARAC cases heard: one row per case
heard at a meeting (columns in `CASE_COLUMNS`, documented in docs/measures/marac.md).
The web app builds that table from its database; tests and the synthetic demo build it
from `synth/marac.py`'s extract. Each count below is an Ibis expression over the table,
so the same definition runs on DuckDB, PostgreSQL or Spark.

The figures are read beside SafeLives' expected ranges (`SAFELIVES_RANGES`), which are
shipped as data with their source.

The parts: `cases` (the canonical table), `counts` (the measures), `repeat_check` (stored
repeat flags against the rule), `ranges` (SafeLives' expected ranges) and `statistics`
(the figures for each quarter).
"""

from saferhub.measures.marac.cases import (
    CASE_COLUMNS,
    CASE_SCHEMA,
    case_table,
    check_case_table,
)
from saferhub.measures.marac.counts import (
    MEASURES,
    MINORITISED_CODES,
    cases_heard,
    cases_with_perpetrator_under_18,
    children_in_households,
    disabled_victims,
    families_with_children,
    lgbt_victims,
    male_victims,
    minoritised_victims,
    partner_referrals,
    police_referrals,
    quarterly_counts,
    repeat_cases,
    victims_aged_16_17,
)
from saferhub.measures.marac.ranges import (
    SAFELIVES_RANGES,
    ExpectedRange,
)
from saferhub.measures.marac.repeat_check import (
    Referral,
    RepeatDisagreement,
    RepeatFlagCheck,
    check_repeat_flags,
)
from saferhub.measures.marac.statistics import (
    MaracStatistics,
    QuarterFigures,
    cases_per_10000_adult_women,
    percent,
    quarterly_statistics,
)

__all__ = [
    "CASE_COLUMNS",
    "CASE_SCHEMA",
    "MEASURES",
    "MINORITISED_CODES",
    "SAFELIVES_RANGES",
    "ExpectedRange",
    "MaracStatistics",
    "QuarterFigures",
    "Referral",
    "RepeatDisagreement",
    "RepeatFlagCheck",
    "case_table",
    "cases_heard",
    "cases_per_10000_adult_women",
    "cases_with_perpetrator_under_18",
    "check_case_table",
    "check_repeat_flags",
    "children_in_households",
    "disabled_victims",
    "families_with_children",
    "lgbt_victims",
    "male_victims",
    "minoritised_victims",
    "partner_referrals",
    "percent",
    "police_referrals",
    "quarterly_counts",
    "quarterly_statistics",
    "repeat_cases",
    "victims_aged_16_17",
]
