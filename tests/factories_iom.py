"""One factory_boy factory per IOM model."""

from __future__ import annotations

from datetime import date

import factory
from factory.django import DjangoModelFactory

from saferhub.web.iom.models import (
    Contact,
    CustodySpell,
    Management,
    Membership,
    Offence,
    PathwayReferral,
    SelectionDecision,
    TierRecord,
)
from tests.factories import PersonFactory


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    pnc_id = factory.Sequence(lambda n: f"21/{n:06d}M")
    join_date = date(2023, 1, 9)
    join_reason = "Selected by the scoring matrix"
    management = Management.STATUTORY
    lead_practitioner = "A. Okoro"
    police_officer = "PC 1142 Reid"


class TierRecordFactory(DjangoModelFactory):
    class Meta:
        model = TierRecord

    membership = factory.SubFactory(MembershipFactory)
    tier = "Red"
    from_date = factory.SelfAttribute("membership.join_date")
    reason = "Joined"


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    membership = factory.SubFactory(MembershipFactory)
    contact_date = date(2023, 2, 1)
    outcome = "attended"


class PathwayReferralFactory(DjangoModelFactory):
    class Meta:
        model = PathwayReferral

    membership = factory.SubFactory(MembershipFactory)
    pathway = "accommodation"
    provider = "Housing options team"
    referral_date = date(2023, 2, 1)


class SelectionDecisionFactory(DjangoModelFactory):
    class Meta:
        model = SelectionDecision

    person = factory.SubFactory(PersonFactory)
    decision = "add"
    reason = "Professional judgement: escalating violence"
    decided_on = date(2023, 1, 9)


class OffenceFactory(DjangoModelFactory):
    class Meta:
        model = Offence

    offence_id = factory.Sequence(lambda n: f"OF{n:07d}")
    pnc_id = "21/000001M"
    offence_date = date(2022, 6, 1)
    offence_code = "28E"
    offence_group = "burglary_residential"


class CustodySpellFactory(DjangoModelFactory):
    class Meta:
        model = CustodySpell

    pnc_id = "21/000001M"
    reception_date = date(2022, 1, 1)
    release_date = date(2022, 3, 1)
