"""The MARAC measures: one Ibis expression per published count, and every count by quarter."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from saferhub.measures.marac.cases import check_case_table
from saferhub.rules.demographics import ETHNICITIES, ethnicity_grouped
from saferhub.rules.periods import FinancialQuarter

MINORITISED_CODES: tuple[str, ...] = tuple(
    code
    for code, _, _ in ETHNICITIES
    if ethnicity_grouped(code) == "Black, Asian & minority ethnic"
)


def _count(condition: ir.BooleanValue) -> ir.IntegerScalar:
    # Unknown (null) answers are not counted as "yes", and an empty quarter counts 0, not null.
    return condition.fill_null(False).cast("int64").sum().fill_null(0)


def cases_heard(cases: ir.Table) -> ir.IntegerScalar:
    """The number of cases heard at MARAC meetings in the period
    (SafeLives quarterly return; BRIEF)."""
    return cases.count()


def repeat_cases(cases: ir.Table) -> ir.IntegerScalar:
    """Cases heard that were repeats: a referral within 365 days of the victim's last MARAC
    referral with the same perpetrator (SafeLives repeat definition, seed 004 Principle 2)."""
    return _count(cases.is_repeat)


def children_in_households(cases: ir.Table) -> ir.IntegerScalar:
    """The total number of children living in the households of victims whose cases were heard
    (seed 004 §4.1.2, "Number of children in the household")."""
    return cases.children_in_household.sum().fill_null(0)


def families_with_children(cases: ir.Table) -> ir.IntegerScalar:
    """Cases heard where at least one child lives in the victim's household
    (seed 004 §4.1.2, "Number of families with children")."""
    return _count(cases.children_in_household > 0)


def male_victims(cases: ir.Table) -> ir.IntegerScalar:
    """Cases heard where the victim is male (SafeLives expects 5-10%; BRIEF)."""
    return _count(cases.victim_gender == "M")


def lgbt_victims(cases: ir.Table) -> ir.IntegerScalar:
    """Cases heard where the victim identifies as lesbian, gay, bisexual or trans
    (SafeLives expects 2.5-5.8%; BRIEF). Not known counts as not LGBT+."""
    return _count(cases.victim_lgbt)


def disabled_victims(cases: ir.Table) -> ir.IntegerScalar:
    """Cases heard where the victim has a disability (SafeLives expects 19% or more; BRIEF).
    Not known counts as not disabled."""
    return _count(cases.victim_disabled)


def minoritised_victims(cases: ir.Table) -> ir.IntegerScalar:
    """Cases heard where the victim is Black, Asian or from another racially minoritised group:
    every ONS 2021 group except White and Not stated (BRIEF; grouping as rules.demographics)."""
    return _count(cases.victim_ethnicity.isin(MINORITISED_CODES))


def victims_aged_16_17(cases: ir.Table) -> ir.IntegerScalar:
    """Cases heard where the victim was aged 16 or 17 on the referral date (BRIEF)."""
    return _count(cases.victim_age.between(16, 17))


def cases_with_perpetrator_under_18(cases: ir.Table) -> ir.IntegerScalar:
    """Cases heard where at least one perpetrator was under 18 on the referral date (BRIEF)."""
    return _count(cases.youngest_perpetrator_age < 18)


def police_referrals(cases: ir.Table) -> ir.IntegerScalar:
    """Cases heard that were referred by the police (BRIEF: police vs partner referrals)."""
    return _count(cases.referring_agency_type == "police")


def partner_referrals(cases: ir.Table) -> ir.IntegerScalar:
    """Cases heard that were referred by any agency other than the police (BRIEF)."""
    return _count(cases.referring_agency_type == "partner")


MEASURES = {
    "cases_heard": cases_heard,
    "repeat_cases": repeat_cases,
    "children": children_in_households,
    "families_with_children": families_with_children,
    "male": male_victims,
    "lgbt": lgbt_victims,
    "disabled": disabled_victims,
    "minoritised": minoritised_victims,
    "aged_16_17": victims_aged_16_17,
    "perpetrator_under_18": cases_with_perpetrator_under_18,
    "police_referrals": police_referrals,
    "partner_referrals": partner_referrals,
}


def quarterly_counts(cases: ir.Table, first: FinancialQuarter, last: FinancialQuarter) -> ir.Table:
    """One row per financial quarter from `first` to `last` that heard a case, with every count.

    A case belongs to the quarter of its `date_heard`. Quarters with no cases have no row;
    `quarterly_statistics` fills them with zeros.
    """
    check_case_table(cases)
    heard = (
        cases.date_heard.cast("date")
        if cases.schema()["date_heard"].is_timestamp()
        else cases.date_heard
    )
    month, year = heard.month(), heard.year()
    in_range = cases.filter(heard.between(first.start, last.end)).mutate(
        fy_start=ibis.ifelse(month >= 4, year, year - 1),
        fq=((month + 8) % 12) // 3 + 1,
    )
    return in_range.group_by(["fy_start", "fq"]).aggregate(
        **{name: measure(in_range) for name, measure in MEASURES.items()}
    )
