"""Factories for the needs app: one per model."""

from __future__ import annotations

from datetime import date

import factory
from factory.django import DjangoModelFactory

from saferhub.rules import needs as rules
from saferhub.web.needs.models import CaseloadEntry, CaseloadExtract


class CaseloadExtractFactory(DjangoModelFactory):
    class Meta:
        model = CaseloadExtract

    file_name = "caseload.csv"
    area = "Barnet"
    as_of = date(2021, 10, 15)
    as_of_given = True
    people = 0
    loaded_by = "probation.officer"


class CaseloadEntryFactory(DjangoModelFactory):
    """An assessed man in the community with a thinking & behaviour need and nothing else."""

    class Meta:
        model = CaseloadEntry

    extract = factory.SubFactory(CaseloadExtractFactory)
    crn = factory.Sequence(lambda n: f"Z{n:06d}")
    setting = rules.COMMUNITY
    sentence_type = "community_order"
    gender = "Male"
    ethnicity = rules.WHITE
    date_of_birth = date(1990, 6, 15)
    age = 31
    assessment_date = date(2021, 9, 1)
    needs = factory.LazyFunction(
        lambda: {n.code: n.code == "thinking_behaviour" for n in rules.NEEDS}
    )
    registrations = factory.LazyFunction(lambda: {r.code: False for r in rules.REGISTRATIONS})
    tier = "B2"
