"""IOM events for a person's chronology: spells, tiers, contacts and pathway referrals.

Only agencies in the IOM programme see them, as only they may open the cohort's records.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Exists, OuterRef

from saferhub.web.accounts.models import Programme
from saferhub.web.iom.models import (
    PATHWAY_CHOICES,
    Contact,
    ContactMethod,
    Membership,
    PathwayReferral,
    TierRecord,
)
from saferhub.web.links import link
from saferhub.web.people.models import Person
from saferhub.web.people.picture import Contribution, Event, Warning, absent
from saferhub.web.prepared import Prepared

PROGRAMME = Programme.IOM.value
LABEL = "IOM"


# Whether the person was ever in the cohort, asked in their own query (picture.presence).
PRESENCE = {"in_iom": Exists(Membership.objects.filter(person=OuterRef("pk")))}

METHODS = dict(ContactMethod.choices)
PATHWAYS = dict(PATHWAY_CHOICES)


# Plain values, not model instances, each read built once (saferhub.web.prepared): these
# run on every opening of the record of someone who was in the cohort.
BY_PERSON = [("person_id", int)]
SPELLS = Prepared(
    lambda person_id: Membership.objects.filter(person_id=person_id).values(
        "pk", "join_date", "join_reason", "leave_date", "leave_reason"
    ),
    BY_PERSON,
)
TIERS = Prepared(
    lambda person_id: (
        TierRecord.objects.filter(membership__person_id=person_id)
        .order_by("from_date", "pk")
        .values("membership_id", "tier", "from_date", "reason")
    ),
    BY_PERSON,
)
CONTACTS = Prepared(
    lambda person_id: Contact.objects.filter(membership__person_id=person_id).values(
        "membership_id", "contact_date", "method", "outcome", "notes", "agency_id", "agency__name"
    ),
    BY_PERSON,
)
REFERRALS = Prepared(
    lambda person_id: PathwayReferral.objects.filter(membership__person_id=person_id).values(
        "membership_id", "pathway", "provider", "referral_date", "outcome"
    ),
    BY_PERSON,
)


def _by_spell(rows) -> dict[int, list[dict]]:
    grouped: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["membership_id"]].append(row)
    return grouped


def contribution(person: Person, user, on: date) -> Contribution:
    if not user.in_programme(PROGRAMME) or absent(person, "in_iom"):
        return Contribution()
    spells = SPELLS(person_id=person.pk)
    if not spells:  # most people were never in the cohort: spare the record those queries
        return Contribution()
    tiers = _by_spell(TIERS(person_id=person.pk))
    contacts = _by_spell(CONTACTS(person_id=person.pk))
    referrals = _by_spell(REFERRALS(person_id=person.pk))
    events, warnings = [], []
    for spell in spells:
        url = link("iom:member", spell["pk"])
        events.append(
            Event(
                spell["join_date"],
                PROGRAMME,
                LABEL,
                "Joined the IOM cohort",
                spell["join_reason"],
                url=url,
            )
        )
        if spell["leave_date"]:
            events.append(
                Event(
                    spell["leave_date"],
                    PROGRAMME,
                    LABEL,
                    "Left the IOM cohort",
                    spell["leave_reason"],
                    url=url,
                )
            )
        tier_now = None
        for change in tiers[spell["pk"]]:
            if change["from_date"] <= on:
                tier_now = change["tier"]
            events.append(
                Event(
                    change["from_date"],
                    PROGRAMME,
                    LABEL,
                    f"IOM tier: {change['tier']}",
                    change["reason"],
                    url=url,
                )
            )
        for contact in contacts[spell["pk"]]:
            method = METHODS.get(contact["method"], contact["method"]).lower()
            events.append(
                Event(
                    contact["contact_date"],
                    PROGRAMME,
                    LABEL,
                    f"IOM contact ({method}): {contact['outcome']}",
                    contact["notes"],
                    contact["agency_id"],
                    contact["agency__name"] or "",
                    url,
                )
            )
        for referral in referrals[spell["pk"]]:
            outcome = f", {referral['outcome']}" if referral["outcome"] else ""
            pathway = PATHWAYS.get(referral["pathway"], referral["pathway"])
            events.append(
                Event(
                    referral["referral_date"],
                    PROGRAMME,
                    LABEL,
                    f"Referred to {pathway}{outcome}",
                    referral["provider"],
                    url=url,
                )
            )
        on_programme = spell["join_date"] <= on and (
            spell["leave_date"] is None or on <= spell["leave_date"]
        )
        if on_programme:
            warnings.append(
                Warning(f"In the IOM cohort{f' (tier {tier_now})' if tier_now else ''}", "orange")
            )
    return Contribution(events=events, warnings=warnings)
