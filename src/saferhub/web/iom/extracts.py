"""The IOM data in the database as the canonical tables the measures read.

The board page and `saferhub report iom` (with no files) call `database_inputs()`, so the
database and the extract files go through the very same measures.
"""

from __future__ import annotations

import pyarrow as pa

from saferhub.reports.iom import IomInputs
from saferhub.rules.demographics import PROBATION_GROUP
from saferhub.rules.iom_pathways import PATHWAYS
from saferhub.sources.cohort import COHORT_SCHEMA, PATHWAYS_SCHEMA, TIERS_SCHEMA
from saferhub.sources.custody import CUSTODY_SCHEMA
from saferhub.sources.offences import OFFENCES_SCHEMA
from saferhub.sources.unit_costs import shipped_unit_costs

GENDER_LABELS = {"M": "Male", "F": "Female", "X": "Other", "U": "Not stated"}


def _table(schema: pa.Schema, rows: list[dict]) -> pa.Table:
    return pa.table({f.name: [row.get(f.name) for row in rows] for f in schema}, schema=schema)


def database_inputs() -> IomInputs:
    """Every IOM table from the app's database, ready for `iom_figures`."""
    from saferhub.web.iom.models import (
        CustodySpell,
        Membership,
        Offence,
        PathwayReferral,
        TierRecord,
    )

    memberships = Membership.objects.select_related("person")
    cohort = [
        {
            "pnc_id": m.pnc_id,
            "join_date": m.join_date,
            "leave_date": m.leave_date,
            "management": m.management,
            "tier": None,
            "gender": GENDER_LABELS.get(m.person.gender, "Not stated"),
            "ethnicity": PROBATION_GROUP.get(m.person.ethnicity, "Not stated"),
            "date_of_birth": m.person.date_of_birth,
            "join_reason": m.join_reason,
            "leave_reason": m.leave_reason or None,
        }
        for m in memberships
    ]
    tiers = [
        {"pnc_id": pnc, "tier": tier, "from_date": day, "reason": reason}
        for pnc, tier, day, reason in TierRecord.objects.values_list(
            "membership__pnc_id", "tier", "from_date", "reason"
        )
    ]
    offences = [
        dict(
            zip(
                ("offence_id", "pnc_id", "offence_date", "offence_code", "offence_group"),
                row,
                strict=True,
            )
        )
        for row in Offence.objects.values_list(
            "offence_id", "pnc_id", "offence_date", "offence_code", "offence_group"
        )
    ]
    custody = [
        dict(zip(("pnc_id", "reception_date", "release_date", "custody_type"), row, strict=True))
        for row in CustodySpell.objects.values_list(
            "pnc_id", "reception_date", "release_date", "custody_type"
        )
    ]
    referrals = PathwayReferral.objects.values_list(
        "membership__pnc_id", "pathway", "provider", "referral_date", "outcome", "outcome_date"
    )
    pathways = [
        {
            "pnc_id": pnc,
            "pathway": PATHWAYS.get(pathway, pathway),
            "provider": provider,
            "referral_date": referred,
            "outcome": outcome or None,
            "outcome_date": outcome_date,
        }
        for pnc, pathway, provider, referred, outcome, outcome_date in referrals
    ]
    return IomInputs(
        offences=_table(OFFENCES_SCHEMA, offences),
        cohort=_table(COHORT_SCHEMA, cohort),
        tiers=_table(TIERS_SCHEMA, tiers),
        custody=_table(CUSTODY_SCHEMA, custody),
        pathways=_table(PATHWAYS_SCHEMA, pathways),
        unit_costs=shipped_unit_costs(),
        source="the SaferHub database",
    )
