"""One factory_boy factory per ASB model."""

from __future__ import annotations

from datetime import date

import factory
from factory.django import DjangoModelFactory

from saferhub.web.accounts.models import AgencyKind
from saferhub.web.asb.models import (
    AsbCase,
    CaseAgency,
    Complainant,
    Incident,
    Respondent,
    ToolUse,
)
from tests.factories import AgencyFactory, PersonFactory


class AsbAgencyFactory(AgencyFactory):
    name = factory.Sequence(lambda n: f"ASB agency {n}")
    kind = AgencyKind.COMMUNITY_SAFETY
    programmes = factory.LazyFunction(lambda: ["asb"])


class AsbCaseFactory(DjangoModelFactory):
    class Meta:
        model = AsbCase

    reference = factory.Sequence(lambda n: f"ASB{900000 + n:06d}")
    summary = "Noise and intimidation on the stairwell"
    category = "personal"
    location = "Grahame Park estate"
    ward = "Colindale North"
    opened_on = date(2024, 1, 10)
    lead_agency = factory.SubFactory(AsbAgencyFactory)


class CaseAgencyFactory(DjangoModelFactory):
    class Meta:
        model = CaseAgency

    case = factory.SubFactory(AsbCaseFactory)
    agency = factory.SubFactory(AsbAgencyFactory)
    since = date(2024, 1, 10)


class ComplainantFactory(DjangoModelFactory):
    class Meta:
        model = Complainant

    case = factory.SubFactory(AsbCaseFactory)
    person = factory.SubFactory(PersonFactory)


class RespondentFactory(DjangoModelFactory):
    class Meta:
        model = Respondent

    case = factory.SubFactory(AsbCaseFactory)
    person = factory.SubFactory(PersonFactory)


class IncidentFactory(DjangoModelFactory):
    class Meta:
        model = Incident

    case = factory.SubFactory(AsbCaseFactory)
    occurred_on = date(2024, 3, 1)
    location = "Stairwell, block C"
    category = "personal"
    complainant = None
    reported_on = date(2024, 3, 2)


class ToolUseFactory(DjangoModelFactory):
    class Meta:
        model = ToolUse

    kind = "cpn_warning"
    agency = factory.SubFactory(AsbAgencyFactory)
    used_on = date(2024, 3, 5)
    premises = "12 High Street"
