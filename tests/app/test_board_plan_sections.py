"""The board pack's action plan and forward plan sections, from the plans kept in the app."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from saferhub.app.board_plan import board_sections
from saferhub.reports.document import Report
from saferhub.reports.writers import render_html, render_xlsx
from saferhub.rules.disclosure import Audience
from saferhub.web.boardplan import services
from tests.factories import AgencyFactory
from tests.factories_boardplan import ForwardPlanItemFactory

pytestmark = pytest.mark.django_db

MEETING = date(2026, 12, 18)
OWNER = "Ruth Quillfeather, Community Safety Manager"
LEAD = "Sam Brindlecombe"


@pytest.fixture
def plan():
    council = AgencyFactory(name="Barnet Council Community Safety")
    police = AgencyFactory(name="Metropolitan Police")

    def action(title, rag, due, agency=council, updates=(), status="open"):
        made = services.create_action(
            title=title,
            owner=OWNER,
            agency=agency,
            due_date=due,
            rag=rag,
            today=date(2026, 5, 1),
        )
        for on, new_rag in updates:
            services.add_update(
                action=made,
                version=made.version,
                on=on,
                text=f"Update for {OWNER}",
                rag=new_rag,
                today=date(2026, 11, 26),
            )
        if status != "open":
            services.edit_action(
                action=made,
                version=made.version,
                title=title,
                owner=OWNER,
                agency=agency,
                due_date=due,
                status=status,
                today=date(2026, 11, 26),
            )
        return made

    action(
        "Patrols",
        "green",
        date(2027, 3, 1),
        police,
        [(date(2026, 8, 1), "amber"), (date(2026, 10, 1), "red")],
    )
    action("Guide", "amber", date(2026, 12, 1), updates=[(date(2026, 9, 1), "amber")])  # overdue
    action("Training", "green", date(2027, 1, 1))
    action("Centres", "red", date(2026, 6, 1), status="done")  # done: not counted
    ForwardPlanItemFactory(title="Dashboard", meeting_date=MEETING, lead=LEAD, agency=council)
    ForwardPlanItemFactory(title="Assessment", meeting_date=date(2027, 3, 19), lead=LEAD)
    ForwardPlanItemFactory(title="Old item", meeting_date=date(2026, 9, 18), lead=LEAD)


def test_the_action_plan_counts_open_actions_by_rag_and_overdue_at_the_meeting(plan):
    action_plan, _ = board_sections(meeting=MEETING, audience=Audience.RESTRICTED)
    assert action_plan.title == "Action plan"
    assert action_plan.paragraphs[0] == "3 open actions: 1 Red, 1 Amber, 1 Green; 1 overdue."
    table = action_plan.blocks[0]
    assert table.rag_column == "RAG"
    assert table.columns == ["Action", "Owner", "Agency", "Due", "RAG", "Latest update"]
    rags = {row[0]: row[4] for row in table.rows}
    assert rags == {"Patrols": "Red", "Guide": "Amber", "Training": "Green"}
    assert "(overdue)" in next(row[3] for row in table.rows if row[0] == "Guide")


def test_the_rag_history_lists_each_change_in_date_order(plan):
    history = board_sections(meeting=MEETING, audience=Audience.PARTNERSHIP)[0].blocks[1]
    patrols = [row[1:] for row in history.rows if row[0] == "Patrols"]
    assert patrols == [["1 May 2026", "Green"], ["1 Aug 2026", "Amber"], ["1 Oct 2026", "Red"]]
    guide = [row[1:] for row in history.rows if row[0] == "Guide"]
    assert guide == [["1 May 2026", "Amber"]]  # an update that kept the RAG is not a change


def test_a_restricted_pack_names_owners_and_leads(plan):
    text = repr([s.to_dict() for s in board_sections(meeting=MEETING, audience="restricted")])
    assert OWNER in text and LEAD in text


def test_a_public_pack_names_agencies_never_officers(plan):
    sections = board_sections(meeting=MEETING, audience=Audience.PUBLIC)
    text = repr([s.to_dict() for s in sections])
    assert OWNER not in text and "Quillfeather" not in text and LEAD not in text
    assert "Metropolitan Police" in text
    assert sections[0].paragraphs[0] == "3 open actions: 1 Red, 1 Amber, 1 Green; 1 overdue."


def test_the_forward_plan_shows_meetings_from_the_pack_s_meeting_grouped_by_date(plan):
    _, forward = board_sections(meeting=MEETING, audience=Audience.RESTRICTED)
    assert forward.title == "Forward plan"
    assert [t.title for t in forward.blocks] == ["Meeting of 18 Dec 2026", "Meeting of 19 Mar 2027"]
    assert "Old item" not in repr(forward.to_dict())


def test_the_sections_render_to_html_and_a_spreadsheet(plan):
    report = Report(
        title="Board pack", sections=tuple(board_sections(meeting=MEETING, audience="public"))
    )
    assert "Action plan" in render_html(report)
    book = load_workbook(io.BytesIO(render_xlsx(report)))
    assert len(book.sheetnames) >= 2


def test_an_empty_plan_still_makes_both_sections_and_renders():
    sections = board_sections(meeting=MEETING, audience=Audience.PARTNERSHIP)
    assert sections[0].paragraphs[0] == "0 open actions: 0 Red, 0 Amber, 0 Green; 0 overdue."
    assert sections[1].paragraphs[0] == "No items are planned for meetings from 18 Dec 2026."
    report = Report(title="Board pack", sections=tuple(sections))
    assert "Forward plan" in render_html(report)
    assert load_workbook(io.BytesIO(render_xlsx(report)))
