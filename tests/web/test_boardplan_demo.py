"""The demo board's plan: a dozen actions under the five priorities with mixed RAG
histories, and forward-plan items over the next four quarterly meetings."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest
from dateutil.relativedelta import relativedelta

from saferhub.demo import boardplan
from saferhub.rules.board_plan import count_plan, rag_history
from saferhub.synth.agencies import AGENCIES
from saferhub.web.audit.context import acting_as
from saferhub.web.boardplan import services
from saferhub.web.boardplan.models import ForwardPlanItem
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 26)


@pytest.fixture
def loaded(tmp_path):
    for name, kind, programmes in AGENCIES:
        AgencyFactory(name=name, kind=kind, programmes=programmes)
    with acting_as("system: test"):
        return boardplan.load(tmp_path, {}, as_of=AS_OF)


def test_the_demo_plan_has_a_dozen_actions_with_two_to_four_updates_each(loaded):
    lines = services.plan_lines()
    assert loaded["board_actions"] == len(lines) == 12
    assert {line.priority for line in lines} == {
        boardplan.ASB,
        boardplan.VAWG,
        boardplan.OFFENDING,
        boardplan.PREVENT,
        boardplan.HATE,
    }
    assert all(2 <= len(line.updates) <= 4 for line in lines)
    assert any(len(rag_history(line.updates)) >= 3 for line in lines)  # histories move
    counts = count_plan(lines, AS_OF)
    assert counts.red and counts.amber and counts.green and counts.overdue


def test_the_demo_forward_plan_covers_the_next_four_quarterly_meetings(loaded):
    meetings = sorted(set(ForwardPlanItem.objects.values_list("meeting_date", flat=True)))
    assert len(meetings) == 4 and meetings[0] > AS_OF
    assert all(m.weekday() == 4 for m in meetings)  # the board meets on a Friday
    for earlier, later in pairwise(meetings):
        assert (
            earlier + relativedelta(months=3, days=-7)
            <= later
            <= earlier + relativedelta(months=3, days=7)
        )
    assert ForwardPlanItem.objects.count() == loaded["forward_plan_items"] >= 8


def test_without_the_demo_agencies_nothing_is_loaded(tmp_path):
    assert boardplan.load(tmp_path, {}, as_of=AS_OF) == {}
