"""Probation caseload needs analysis (seed 000): needs, registrations and disadvantage by group.

The measures are Ibis expressions over a validated caseload (`sources.caseload`). The
caseload is read once: `caseload_profile` counts everything every table needs, per
combination of setting, gender, ethnicity, age band, sentence and tier, in a single
pass; each table is then a small aggregation of that profile. `analyse` runs them all
and returns result objects (`CrossTab`, `Comparison`) that every output renders.

The parts: `dimensions` (the groupings), `profile` (the measures), `tables` (which tables,
each on which percentage base), `results` (what every output renders) and `analysis`
(running them).
"""

from saferhub.measures.needs.analysis import analyse
from saferhub.measures.needs.dimensions import DIMENSIONS, Dimension
from saferhub.measures.needs.profile import (
    age_band,
    assessment_coverage,
    caseload_profile,
    caseload_totals,
    group_totals,
    need_prevalence,
    needs_by,
    people_by,
    people_not_assessed,
    registration_prevalence,
    registrations_by,
    sentence_profile,
    smd_by,
    smd_domain_flags,
    with_groups,
)
from saferhub.measures.needs.results import (
    ASSESSED,
    NO,
    NOT_ASSESSED,
    PEOPLE,
    YES,
    Comparison,
    ComparisonRow,
    CrossTab,
    NeedsAnalysis,
    NotAssessed,
    with_base,
)
from saferhub.measures.needs.tables import TABLE_KINDS, TableSpec, default_tables

__all__ = [
    "ASSESSED",
    "DIMENSIONS",
    "NO",
    "NOT_ASSESSED",
    "PEOPLE",
    "TABLE_KINDS",
    "YES",
    "Comparison",
    "ComparisonRow",
    "CrossTab",
    "Dimension",
    "NeedsAnalysis",
    "NotAssessed",
    "TableSpec",
    "age_band",
    "analyse",
    "assessment_coverage",
    "caseload_profile",
    "caseload_totals",
    "default_tables",
    "group_totals",
    "need_prevalence",
    "needs_by",
    "people_by",
    "people_not_assessed",
    "registration_prevalence",
    "registrations_by",
    "sentence_profile",
    "smd_by",
    "smd_domain_flags",
    "with_base",
    "with_groups",
]
