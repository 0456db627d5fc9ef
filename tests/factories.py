"""One factory_boy factory per model. Programme apps add theirs in their own modules."""

from __future__ import annotations

from datetime import date

import factory
from factory.django import DjangoModelFactory
from factory.fuzzy import FuzzyChoice
from faker.providers.person.en_GB import Provider as BritishNames

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

# Tests check that a page does not name a person by looking for their surname, so a surname
# that is also a word on the page ("Ward", "May", "Grant") or the signed-in user's own surname
# would fail such a test by chance. People and staff therefore draw from two disjoint lists of
# surnames that are not ordinary words.
_ORDINARY_WORDS = {
    "Day",
    "Field",
    "Grant",
    "Green",
    "May",
    "Page",
    "Power",
    "Read",
    "Short",
    "Ward",
    "Young",
}
# Only plain letters: a page escapes "O'Brien" as "O&#x27;Brien", which a text search misses.
_SURNAMES = sorted(n for n in set(BritishNames.last_names) - _ORDINARY_WORDS if n.isalpha())
PERSON_SURNAMES = _SURNAMES[::2]
STAFF_SURNAMES = _SURNAMES[1::2]


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
    last_name = FuzzyChoice(STAFF_SURNAMES)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.PRACTITIONER
    password = factory.django.Password("correct horse battery staple")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = FuzzyChoice(PERSON_SURNAMES)
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
