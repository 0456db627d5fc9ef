"""One factory_boy factory per panel model."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from saferhub.web.accounts.models import AgencyKind
from saferhub.web.panels.models import (
    Action,
    Attendance,
    Case,
    Child,
    Listing,
    Meeting,
    Perpetrator,
    Research,
)
from tests.factories import AgencyFactory, PersonFactory, UserFactory


class MemberAgencyFactory(AgencyFactory):
    name = factory.Sequence(lambda n: f"MARAC member agency {n}")
    kind = AgencyKind.POLICE
    programmes = factory.LazyFunction(lambda: ["da_marac"])


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    panel = "da_marac"
    reference = factory.Sequence(lambda n: f"M{900000 + n:06d}")
    victim = factory.SubFactory(PersonFactory, gender="F")
    referral_date = date(2023, 9, 1)
    referring_agency = factory.SubFactory(MemberAgencyFactory)
    status = "referred"
    criteria = factory.LazyFunction(lambda: ["visible_high_risk"])
    checklist_score = 15
    safe_to_contact = True
    contact_method = "Mobile, weekdays 10am to 2pm only"
    # A closed case is closed today unless a test says when; sight ends a grace period later.
    closed_on = factory.LazyAttribute(
        lambda case: timezone.localdate() if case.status == "closed" else None
    )


class PerpetratorFactory(DjangoModelFactory):
    class Meta:
        model = Perpetrator

    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(PersonFactory, gender="M")
    relationship = "intimate_partner"


class ChildFactory(DjangoModelFactory):
    class Meta:
        model = Child

    case = factory.SubFactory(CaseFactory)
    age = 6


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting
        django_get_or_create = ("panel", "date")

    panel = "da_marac"
    date = date(2023, 9, 7)


class ListingFactory(DjangoModelFactory):
    class Meta:
        model = Listing

    meeting = factory.SubFactory(MeetingFactory)
    case = factory.SubFactory(CaseFactory, status="listed")
    position = factory.Sequence(lambda n: n + 1)


class ResearchFactory(DjangoModelFactory):
    class Meta:
        model = Research

    listing = factory.SubFactory(ListingFactory)
    agency = factory.SubFactory(MemberAgencyFactory)
    text = "Known to the agency since 2021."
    submitted_by = factory.SubFactory(UserFactory)


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    agency = factory.SubFactory(MemberAgencyFactory)
    present = True


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action

    case = factory.SubFactory(CaseFactory, status="actions")
    owner_agency = factory.SubFactory(MemberAgencyFactory)
    description = "Complete a safety plan with the victim"
    risk_addressed = "victim_safety"
    due_date = factory.LazyAttribute(lambda a: a.case.referral_date + timedelta(days=28))
    status = "open"


class IncidentFactory(DjangoModelFactory):
    class Meta:
        model = "panels.Incident"

    reference = factory.Sequence(lambda n: f"SV{800000 + n:06d}")
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    reporting_agency = factory.SubFactory(MemberAgencyFactory, programmes=["sirm"])
    person = factory.SubFactory(PersonFactory)
    victim_age = 19
    suspect_age = 22
    gang_link = True
    suggested_route = "sirm"
    route = "sirm"
    reasons = factory.LazyFunction(lambda: [{"met": True, "text": "Linked to gang activity: yes."}])
