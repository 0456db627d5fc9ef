"""The board pack's action plan and forward plan: read the plans kept in the web app,
count them once, and build the two sections for an audience.

The overview page counts with the same `rules.board_plan.count_plan`, so the pack and the
page cannot disagree. The action plan is shown as it stands now, with "overdue" judged on
the meeting day (an action still open and due before the meeting is overdue at it).

Audiences: restricted and partnership packs name each action's owner and each item's
lead officer, who are staff named in their work role; a public pack names only the agency
and leaves out the text of updates and notes (`reports.board_plan`).
"""

from __future__ import annotations

from datetime import date

from saferhub.reports.board_plan import action_plan_section, forward_plan_section
from saferhub.reports.document import Section
from saferhub.rules.board_plan import count_plan, forward_from
from saferhub.rules.disclosure import Audience


def board_sections(*, meeting: date, audience: Audience) -> list[Section]:
    """The "Action plan" and "Forward plan" sections of the pack for the meeting on `meeting`."""
    # Imported here, as the other database readers do, so this module loads without Django.
    from saferhub.web.boardplan import services

    public = Audience(audience) == Audience.PUBLIC
    lines = services.plan_lines()
    counts = count_plan(lines, meeting)
    groups = forward_from(services.forward_lines(), meeting)
    return [
        action_plan_section(lines, counts, on=meeting, public=public),
        forward_plan_section(groups, meeting=meeting, public=public),
    ]


def next_meeting(on_or_after: date) -> date | None:
    """The next board meeting the forward plan lists, from `on_or_after`, or None."""
    from saferhub.web.boardplan import services

    first = services.forward_items(since=on_or_after).first()
    return first.meeting_date if first else None
