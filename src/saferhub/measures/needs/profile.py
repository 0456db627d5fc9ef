"""The needs measures, as Ibis expressions over a validated caseload (`sources.caseload`).

The caseload is read once: `caseload_profile` counts everything every table needs, per
combination of setting, gender, ethnicity, age band, sentence and tier, in a single pass;
each table is then a small aggregation of that profile. One documented function per
published figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from saferhub.rules import needs as rules


def _labelled(column: ir.StringValue, labels: Mapping[str, str]) -> ir.StringValue:
    return ibis.cases(*((column == code, label) for code, label in labels.items()))


def _flag(value: ir.BooleanValue) -> ir.IntegerValue:
    """1 when true, 0 when false or not recorded."""
    return value.fill_null(False).cast("int32")


def smd_domain_flags(caseload: ir.Table) -> dict[str, ir.BooleanValue]:
    """Whether each person has each domain of severe multiple disadvantage.

    A domain is present when any of its OASys needs or nDelius registrations is yes;
    offending is present for everyone on the caseload (rules.needs.SMD_DOMAINS; source:
    the issue's definition, after Lankelly Chase, "Hard Edges", applied to the seed 000
    needs and registrations).
    """
    flags: dict[str, ir.BooleanValue] = {}
    for domain in rules.SMD_DOMAINS:
        if domain.everyone:
            flags[domain.code] = ibis.literal(True)
            continue
        parts = [caseload[rules.need_column(c)].fill_null(False) for c in domain.needs]
        parts += [caseload[rules.registration_column(c)] for c in domain.registrations]
        present = parts[0]
        for part in parts[1:]:
            present = present | part
        flags[domain.code] = present
    return flags


def age_band(age: ir.IntegerValue) -> ir.StringValue:
    """The age band of an age: 18–25, 26–49 or 50+, the bands seed 000 asks for, and under
    18 (rules.needs.AGE_BANDS)."""
    return ibis.cases(
        *(
            (
                age.between(band.lowest, band.highest)
                if band.highest is not None
                else age >= band.lowest,
                band.label,
            )
            for band in rules.AGE_BANDS
        )
    )


def with_groups(table: ir.Table) -> ir.Table:
    """Each person's (or profile row's) groups, from the codes the extract records: setting
    and setting group (Community or Custody, as seed 000 tabulates them), ethnic group
    (Black, Asian & minority ethnic or White, seed 000; null for refused or no data), and,
    where the table has them, sentence label and tier ("Not tiered" when blank)."""
    t = table
    broad = {group: g for group, g in rules.BROAD_GROUP.items() if g is not None}
    labels: dict[str, Any] = {
        "setting_group": _labelled(t.setting, rules.SETTING_GROUP),
        "setting": _labelled(t.setting, rules.SETTING_LABELS),
    }
    if "ethnicity" in t.columns:
        labels["ethnic_group"] = _labelled(t.ethnicity, broad)
    if "sentence_type" in t.columns:
        labels["sentence_type"] = _labelled(t.sentence_type, rules.SENTENCE_TYPE_LABELS)
    if "tier" in t.columns:
        labels["tier"] = t.tier.fill_null("Not tiered")
    return t.mutate(**labels)


def caseload_profile(caseload: ir.Table) -> ir.Table:
    """People counted once, by setting, gender, ethnicity and age band: how many there are,
    how many have an OASys assessment, how many of those have each need (yes and no), how
    many have each nDelius registration, and how many assessed people have each domain of
    severe multiple disadvantage and two, three or four of them (source: seed 000; severe
    multiple disadvantage after Lankelly Chase, "Hard Edges")."""
    t = caseload.mutate(age_band=age_band(caseload.age))
    assessed = t.assessment_date.notnull()
    domains = smd_domain_flags(t)
    domain_count = sum((_flag(flag & assessed) for flag in domains.values()), start=ibis.literal(0))
    metrics: dict[str, Any] = {"people": t.count(), "assessed": _flag(assessed).sum()}
    for need in rules.NEEDS:
        value = t[rules.need_column(need.code)]
        metrics[f"need_{need.code}_yes"] = _flag(value).sum()
        metrics[f"need_{need.code}_no"] = _flag(~value).sum()
    for registration in rules.REGISTRATIONS:
        metrics[f"reg_{registration.code}"] = _flag(
            t[rules.registration_column(registration.code)]
        ).sum()
    for code, flag in domains.items():
        metrics[f"smd_{code}"] = _flag(flag & assessed).sum()
    for at_least in (rules.SMD_THRESHOLD, 3, len(rules.SMD_DOMAINS)):
        metrics[f"smd_{at_least}_or_more"] = (domain_count >= at_least).cast("int32").sum()
    # One pass over the people, grouped by the codes as recorded; the labels are worked
    # out on the few hundred rows it leaves.
    counted = t.group_by(["setting", "gender", "ethnicity", "age_band"]).aggregate(**metrics)
    return with_groups(counted)


def sentence_profile(caseload: ir.Table) -> ir.Table:
    """People on the caseload by setting, order or sentence type, and tier (source: the
    caseload extract; BRIEF lists tier among the probation data)."""
    counted = caseload.group_by(["setting", "sentence_type", "tier"]).aggregate(
        people=caseload.count()
    )
    return with_groups(counted)


NEED_METRICS: tuple[str, ...] = (
    "assessed",
    *(f"need_{n.code}_{answer}" for n in rules.NEEDS for answer in ("yes", "no")),
)
REGISTRATION_METRICS: tuple[str, ...] = ("people", *(f"reg_{r.code}" for r in rules.REGISTRATIONS))
SMD_METRICS: tuple[str, ...] = (
    "assessed",
    *(f"smd_{d.code}" for d in rules.SMD_DOMAINS),
    *(f"smd_{n}_or_more" for n in (rules.SMD_THRESHOLD, 3, len(rules.SMD_DOMAINS))),
)
METRICS: tuple[str, ...] = tuple(
    dict.fromkeys((*NEED_METRICS, *REGISTRATION_METRICS, *SMD_METRICS))
)


def group_totals(profile: ir.Table, dimension: str) -> ir.Table:
    """For each group, every count the profile holds (people, assessed, needs,
    registrations, disadvantage), added up over the group's profile rows (seed 000's
    tables are selections of these)."""
    return profile.group_by(dimension).aggregate(**{m: profile[m].sum() for m in METRICS})


def needs_by(profile: ir.Table, dimension: str) -> ir.Table:
    """For each group, the people with an OASys assessment and how many of them have, and
    do not have, each of the ten criminogenic needs (source: seed 000)."""
    return group_totals(profile, dimension).select(dimension, *NEED_METRICS)


def registrations_by(profile: ir.Table, dimension: str) -> ir.Table:
    """For each group, the people on the caseload and how many have each nDelius
    registration (source: seed 000)."""
    return group_totals(profile, dimension).select(dimension, *REGISTRATION_METRICS)


def assessment_coverage(profile: ir.Table, dimension: str) -> ir.Table:
    """For each group, the people on the caseload and how many have an OASys assessment;
    the rest are shown as not assessed, never dropped (BRIEF: 835 of 947 in seed 000)."""
    return group_totals(profile, dimension).select(dimension, "people", "assessed")


def smd_by(profile: ir.Table, dimension: str) -> ir.Table:
    """For each group, the assessed people with each domain of severe multiple
    disadvantage, and with two or more (the definition), three or more, and all four
    (source: the BRIEF's needs analysis, extended by the issue's definition)."""
    return group_totals(profile, dimension).select(dimension, *SMD_METRICS)


def people_by(profile: ir.Table, rows: str, columns: str) -> ir.Table:
    """People on the caseload in each combination of two groupings, e.g. gender by
    setting (source: seed 000)."""
    return profile.group_by([rows, columns]).aggregate(people=profile.people.sum())


def caseload_totals(profile: ir.Table) -> ir.Table:
    """Every count the profile holds, for the whole caseload: one row (the totals of the
    tables of seed 000, e.g. 947 people and 835 assessed)."""
    return profile.aggregate(**{m: profile[m].sum() for m in METRICS})


def need_prevalence(profile: ir.Table) -> ir.Table:
    """Across the whole caseload, the assessed people and how many have each need, the
    share seed 001 compares between Barnet and London."""
    return caseload_totals(profile).select("assessed", *(f"need_{n.code}_yes" for n in rules.NEEDS))


def registration_prevalence(profile: ir.Table) -> ir.Table:
    """Across the whole caseload, the people and how many have each registration, to
    compare areas as seed 001 compares needs."""
    return caseload_totals(profile).select(*REGISTRATION_METRICS)


def people_not_assessed(caseload: ir.Table) -> ir.Table:
    """Everyone on the caseload without an OASys assessment, by CRN, so that they can be
    followed up: they are counted in the caseload tables but cannot be in the needs tables
    (BRIEF: "Show the missing")."""
    t = with_groups(caseload.filter(caseload.assessment_date.isnull()))
    return t.select("crn", "setting", "sentence_type", "tier").order_by(["setting", "crn"])
