"""One factory_boy factory per model. Programme apps add theirs in their own modules."""

from __future__ import annotations

from datetime import date

import factory
from factory.django import DjangoModelFactory

from saferhub.web.accounts.models import Agency, AgencyKind, Role, User
from saferhub.web.people.models import (
    Flag,
    FlagKind,
    Identifier,
    IdentifierKind,
    Involvement,
    InvolvementStatus,
    Note,
    Person,
    Share,
)


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.COMMUNITY_SAFETY
    programmes = factory.LazyFunction(list)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    agency = factory.SubFactory(AgencyFactory)
    role = Role.PRACTITIONER
    password = factory.django.Password("correct horse battery staple")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker(
        "date_between", start_date=date(1960, 1, 1), end_date=date(2004, 12, 31)
    )
    gender = "M"
    ethnicity = "W1"
    ward = "Colindale South"


class InvolvementFactory(DjangoModelFactory):
    class Meta:
        model = Involvement

    person = factory.SubFactory(PersonFactory)
    agency = factory.SubFactory(AgencyFactory)
    reason = "Case managed"
    start = date(2020, 1, 1)
    status = InvolvementStatus.APPROVED


class IdentifierFactory(DjangoModelFactory):
    class Meta:
        model = Identifier

    person = factory.SubFactory(PersonFactory)
    kind = IdentifierKind.PNC
    value = factory.Sequence(lambda n: f"20/{n:07d}X")


class FlagFactory(DjangoModelFactory):
    class Meta:
        model = Flag

    person = factory.SubFactory(PersonFactory)
    kind = FlagKind.IOM
    start = date(2022, 4, 1)


class ShareFactory(DjangoModelFactory):
    class Meta:
        model = Share

    person = factory.SubFactory(PersonFactory)
    agency = factory.SubFactory(AgencyFactory)
    reason = "Joint safeguarding visit"
    start = date(2023, 1, 1)
    end = date(2023, 2, 1)
    granted_by = factory.SubFactory(UserFactory, role=Role.COORDINATOR)


class NoteFactory(DjangoModelFactory):
    class Meta:
        model = Note

    person = factory.SubFactory(PersonFactory)
    agency = factory.SubFactory(AgencyFactory)
    author = factory.SubFactory(UserFactory, agency=factory.SelfAttribute("..agency"))
    text = "Spoke to the person at the front desk."
    visibility = "agency"
    written_on = date(2023, 3, 1)
