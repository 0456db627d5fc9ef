"""Load the IOM extracts (docs/formats/) into the IOM app: the cohort with its tier
history, contacts and pathway referrals, and the police offences and custody spells.

`saferhub demo` calls `load(extract_dir, people)` after the people are in. Every file goes
through the same validating readers as `saferhub report iom`, so nothing is written
unless every row is good; the caller's transaction and "import" audit event cover it.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from saferhub.errors import InputError, Problem
from saferhub.rules.iom_pathways import PATHWAYS
from saferhub.rules.need_to_know import programme_sight_ends
from saferhub.sources.cohort import (
    COHORT_FILE,
    CONTACTS_FILE,
    PATHWAYS_FILE,
    TIERS_FILE,
    read_cohort,
    read_contacts,
    read_pathways,
    read_tiers,
)
from saferhub.sources.custody import CUSTODY_FILE, read_custody
from saferhub.sources.offences import OFFENCES_FILE, read_offences
from saferhub.sources.offender_extract import read_extract
from saferhub.web.accounts.models import Agency, Programme
from saferhub.web.iom.models import (
    Contact,
    CustodySpell,
    Membership,
    Offence,
    PathwayReferral,
    Selection,
    SelectionDecision,
    TierRecord,
)
from saferhub.web.iom.services import INVOLVEMENT_REASON
from saferhub.web.people.models import Identifier, IdentifierKind, Involvement

PATHWAY_KEYS = {label: key for key, label in PATHWAYS.items()}
METHODS = {
    "face to face": "face_to_face",
    "home visit": "home_visit",
    "phone": "phone",
    "video": "video",
}


def _extra_columns(path: Path) -> dict[int, dict[str, str]]:
    """The cohort file's columns the reports ignore (person_id, practitioner, officer), by row."""
    extract = read_extract(
        path, ["pnc_id"], ["person_id", "lead_practitioner", "police_officer"], ""
    )
    return {record.line: dict(record.values) for record in extract}


def load(extract_dir: Path, people: dict[str, int]) -> dict[str, int]:
    cohort_path = extract_dir / COHORT_FILE
    if not cohort_path.exists():
        return {}
    cohort = read_cohort(cohort_path)
    tiers = (
        read_tiers(extract_dir / TIERS_FILE, cohort)
        if (extract_dir / TIERS_FILE).exists()
        else None
    )
    pathways = (
        read_pathways(extract_dir / PATHWAYS_FILE, cohort)
        if (extract_dir / PATHWAYS_FILE).exists()
        else None
    )
    contacts = (
        read_contacts(extract_dir / CONTACTS_FILE, cohort)
        if (extract_dir / CONTACTS_FILE).exists()
        else None
    )
    offences = (
        read_offences(extract_dir / OFFENCES_FILE)
        if (extract_dir / OFFENCES_FILE).exists()
        else None
    )
    custody = (
        read_custody(extract_dir / CUSTODY_FILE) if (extract_dir / CUSTODY_FILE).exists() else None
    )

    by_pnc = dict(
        Identifier.objects.filter(kind=IdentifierKind.PNC).values_list("value", "person_id")
    )
    extra = _extra_columns(cohort_path)
    problems = []
    spells = []
    for line, row in zip(sorted(extra), cohort.to_pylist(), strict=True):
        person_id = people.get(extra[line].get("person_id", "")) or by_pnc.get(row["pnc_id"])
        if person_id is None:
            problems.append(
                Problem(COHORT_FILE, line, "pnc_id", f"{row['pnc_id']} is not a known person.")
            )
            continue
        spells.append((person_id, row, extra[line]))
    if problems:
        raise InputError(problems)

    memberships = Membership.objects.bulk_create(
        [
            Membership(
                person_id=person_id,
                pnc_id=row["pnc_id"],
                join_date=row["join_date"],
                selection=Selection.JUDGEMENT
                if (row["join_reason"] or "").startswith("Professional judgement")
                else Selection.MATRIX,
                join_reason=row["join_reason"] or "Imported",
                leave_date=row["leave_date"],
                leave_reason=row["leave_reason"] or "",
                management=row["management"],
                lead_practitioner=more.get("lead_practitioner", ""),
                police_officer=more.get("police_officer", ""),
            )
            for person_id, row, more in spells
        ],
        batch_size=1000,
    )
    by_spell: dict[str, list[Membership]] = {}
    for membership in memberships:
        by_spell.setdefault(membership.pnc_id, []).append(membership)

    def spell_on(pnc_id: str, day) -> Membership | None:
        for membership in by_spell.get(pnc_id, []):
            if membership.join_date <= day and (
                membership.leave_date is None or day <= membership.leave_date
            ):
                return membership
        return None

    tier_rows = (
        tiers.to_pylist()
        if tiers is not None
        else [
            {
                "pnc_id": m.pnc_id,
                "tier": row["tier"],
                "from_date": m.join_date,
                "reason": "Imported",
            }
            for m, (_, row, _) in zip(memberships, spells, strict=True)
            if row["tier"]
        ]
    )
    TierRecord.objects.bulk_create(
        [
            TierRecord(
                membership=spell, tier=r["tier"], from_date=r["from_date"], reason=r["reason"]
            )
            for r in tier_rows
            if (spell := spell_on(r["pnc_id"], r["from_date"])) is not None
        ],
        batch_size=2000,
    )
    SelectionDecision.objects.bulk_create(
        [
            SelectionDecision(
                person_id=m.person_id,
                decision="add",
                reason=m.join_reason,
                decided_on=m.join_date,
                membership=m,
            )
            for m in memberships
        ]
        + [
            SelectionDecision(
                person_id=m.person_id,
                decision="remove",
                reason=m.leave_reason or "Left the programme",
                decided_on=m.leave_date,
                membership=m,
            )
            for m in memberships
            if m.leave_date
        ],
        batch_size=1000,
    )
    agencies = [a for a in Agency.objects.all() if a.in_programme(Programme.IOM.value)]
    Involvement.objects.bulk_create(
        [
            Involvement(
                person_id=m.person_id,
                agency=agency,
                reason=INVOLVEMENT_REASON,
                start=m.join_date,
                end=programme_sight_ends(m.leave_date, settings.GRANT_PROGRAMME_GRACE_DAYS)
                if m.leave_date
                else None,
            )
            for m in memberships
            for agency in agencies
        ],
        batch_size=2000,
    )
    counts = {"iom_spells": len(memberships), "iom_tier_changes": len(tier_rows)}
    if pathways is not None:
        referrals = [
            PathwayReferral(
                membership=spell,
                pathway=PATHWAY_KEYS[r["pathway"]],
                provider=r["provider"] or "Not recorded",
                referral_date=r["referral_date"],
                outcome=r["outcome"] or "",
                outcome_date=r["outcome_date"],
            )
            for r in pathways.to_pylist()
            if (spell := spell_on(r["pnc_id"], r["referral_date"])) is not None
        ]
        PathwayReferral.objects.bulk_create(referrals, batch_size=2000)
        counts["iom_referrals"] = len(referrals)
    if contacts is not None:
        logged = [
            Contact(
                membership=spell,
                contact_date=r["contact_date"],
                outcome=r["outcome"],
                method=METHODS.get(r["method"], "face_to_face"),
            )
            for r in contacts.to_pylist()
            if (spell := spell_on(r["pnc_id"], r["contact_date"])) is not None
        ]
        Contact.objects.bulk_create(logged, batch_size=5000)
        counts["iom_contacts"] = len(logged)
    if offences is not None:
        Offence.objects.bulk_create(
            [Offence(person_id=by_pnc.get(r["pnc_id"]), **r) for r in offences.to_pylist()],
            batch_size=5000,
        )
        counts["offences"] = offences.num_rows
    if custody is not None:
        CustodySpell.objects.bulk_create(
            [CustodySpell(person_id=by_pnc.get(r["pnc_id"]), **r) for r in custody.to_pylist()],
            batch_size=5000,
        )
        counts["custody_spells"] = custody.num_rows
    return counts
