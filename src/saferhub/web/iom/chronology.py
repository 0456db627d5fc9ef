"""IOM events for a person's chronology: spells, tiers, contacts and pathway referrals.

Only agencies in the IOM programme see them, as only they may open the cohort's records.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch
from django.urls import reverse

from saferhub.web.accounts.models import Programme
from saferhub.web.iom.models import Contact, Membership, TierRecord
from saferhub.web.people.models import Person
from saferhub.web.people.picture import Contribution, Event, Warning

PROGRAMME = Programme.IOM.value
LABEL = "IOM"


def contribution(person: Person, user, on: date) -> Contribution:
    if not user.in_programme(PROGRAMME):
        return Contribution()
    spells = Membership.objects.filter(person=person).prefetch_related(
        Prefetch("tier_changes", TierRecord.objects.order_by("from_date", "pk")),
        Prefetch("contacts", Contact.objects.select_related("agency")),
        "referrals",
    )
    events, warnings = [], []
    for spell in spells:
        url = reverse("iom:member", args=[spell.pk])
        events.append(
            Event(
                spell.join_date,
                PROGRAMME,
                LABEL,
                "Joined the IOM cohort",
                spell.join_reason,
                url=url,
            )
        )
        if spell.leave_date:
            events.append(
                Event(
                    spell.leave_date,
                    PROGRAMME,
                    LABEL,
                    "Left the IOM cohort",
                    spell.leave_reason,
                    url=url,
                )
            )
        for change in spell.tier_changes.all():
            events.append(
                Event(
                    change.from_date,
                    PROGRAMME,
                    LABEL,
                    f"IOM tier: {change.tier}",
                    change.reason,
                    url=url,
                )
            )
        for contact in spell.contacts.all():
            events.append(
                Event(
                    contact.contact_date,
                    PROGRAMME,
                    LABEL,
                    f"IOM contact ({contact.get_method_display().lower()}): {contact.outcome}",
                    contact.notes,
                    contact.agency_id,
                    str(contact.agency or ""),
                    url,
                )
            )
        for referral in spell.referrals.all():
            outcome = f", {referral.outcome}" if referral.outcome else ""
            events.append(
                Event(
                    referral.referral_date,
                    PROGRAMME,
                    LABEL,
                    f"Referred to {referral.get_pathway_display()}{outcome}",
                    referral.provider,
                    url=url,
                )
            )
        if spell.on_programme(on):
            tier = spell.tier_on(on)
            warnings.append(
                Warning(f"In the IOM cohort{f' (tier {tier})' if tier else ''}", "orange")
            )
    return Contribution(events=events, warnings=warnings)
