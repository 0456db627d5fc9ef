"""The IOM tables in the app's database as the canonical tables the measures read.

Ibis selects and joins the Django tables in the database itself (saferhub.app.database);
nothing is loaded row by row into Python objects. The labels the extracts carry
(gender, ethnic group, pathway names) are mapped with Ibis `case` expressions.
"""

from __future__ import annotations

from functools import cache

import ibis

from saferhub.app.database import arrow, table
from saferhub.measures.iom_figures import IomInputs
from saferhub.rules.demographics import PROBATION_GROUP
from saferhub.rules.iom_pathways import PATHWAYS
from saferhub.sources.cohort import COHORT_SCHEMA, PATHWAYS_SCHEMA, TIERS_SCHEMA
from saferhub.sources.custody import CUSTODY_SCHEMA
from saferhub.sources.offences import OFFENCES_SCHEMA
from saferhub.sources.unit_costs import shipped_unit_costs

GENDER_LABELS = {"M": "Male", "F": "Female", "X": "Other", "U": "Not stated"}


def _labelled(column: ibis.Value, labels: dict[str, str], default: ibis.Value | str) -> ibis.Value:
    return column.substitute(labels, else_=default)


@cache
def _reads() -> dict[str, ibis.Table]:
    """The expressions `read_inputs` runs, built once: they never change, and building
    them (joins, label mappings) costs as much as running some of them."""
    from saferhub.web.iom.models import (
        CustodySpell,
        Membership,
        Offence,
        PathwayReferral,
        TierRecord,
    )
    from saferhub.web.people.models import Person

    members = table(Membership)
    people = table(Person)
    joined = members.join(people, members.person_id == people.id)
    cohort = joined.select(
        pnc_id=members.pnc_id,
        join_date=members.join_date,
        leave_date=members.leave_date,
        management=members.management,
        tier=ibis.null("string"),
        gender=_labelled(people.gender, GENDER_LABELS, "Not stated"),
        ethnicity=_labelled(people.ethnicity, PROBATION_GROUP, "Not stated"),
        date_of_birth=people.date_of_birth,
        join_reason=members.join_reason,
        leave_reason=ibis.ifelse(
            members.leave_reason == "", ibis.null("string"), members.leave_reason
        ),
    )
    tier_records = table(TierRecord)
    tiers = tier_records.join(members, tier_records.membership_id == members.id).select(
        pnc_id=members.pnc_id,
        tier=tier_records.tier,
        from_date=tier_records.from_date,
        reason=tier_records.reason,
    )
    offences = table(Offence)
    custody = table(CustodySpell)
    referrals = table(PathwayReferral)
    pathways = referrals.join(members, referrals.membership_id == members.id).select(
        pnc_id=members.pnc_id,
        pathway=_labelled(referrals.pathway, PATHWAYS, referrals.pathway),
        provider=referrals.provider,
        referral_date=referrals.referral_date,
        outcome=ibis.ifelse(referrals.outcome == "", ibis.null("string"), referrals.outcome),
        outcome_date=referrals.outcome_date,
    )
    return {
        "offences": offences,
        "cohort": cohort,
        "tiers": tiers,
        "custody": custody,
        "pathways": pathways,
    }


def read_inputs() -> IomInputs:
    """Every IOM table from the app's database, ready for `app.iom.iom_figures`."""
    reads = _reads()
    return IomInputs(
        offences=arrow(reads["offences"], OFFENCES_SCHEMA),
        cohort=arrow(reads["cohort"], COHORT_SCHEMA),
        tiers=arrow(reads["tiers"], TIERS_SCHEMA),
        custody=arrow(reads["custody"], CUSTODY_SCHEMA),
        pathways=arrow(reads["pathways"], PATHWAYS_SCHEMA),
        unit_costs=shipped_unit_costs(),
        source="the SaferHub database",
    )
