"""One factory_boy factory per board-plan model."""

from __future__ import annotations

from datetime import date

import factory
from factory.django import DjangoModelFactory

from saferhub.web.boardplan.models import ForwardPlanItem, PlanAction, PlanActionUpdate
from tests.factories import AgencyFactory


class PlanActionFactory(DjangoModelFactory):
    class Meta:
        model = PlanAction

    title = factory.Sequence(lambda n: f"Board action {n}")
    priority = "Tackling and reducing anti-social behaviour"
    owner = "Community Safety Manager"
    agency = factory.SubFactory(AgencyFactory)
    due_date = date(2026, 12, 31)
    rag = "green"


class PlanActionUpdateFactory(DjangoModelFactory):
    class Meta:
        model = PlanActionUpdate

    action = factory.SubFactory(PlanActionFactory)
    on = date(2026, 6, 1)
    text = "Progress as planned."
    rag = factory.SelfAttribute("action.rag")


class ForwardPlanItemFactory(DjangoModelFactory):
    class Meta:
        model = ForwardPlanItem

    meeting_date = date(2027, 3, 19)
    title = factory.Sequence(lambda n: f"Board item {n}")
    kind = "report"
    lead = "Community Safety Analyst"
    agency = factory.SubFactory(AgencyFactory)
