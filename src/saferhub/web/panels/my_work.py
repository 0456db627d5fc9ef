"""A user's panel work for the home page: their agency's actions, cases and next meetings.

Only cases the user may see count (`chronology.visible_cases`), and the queries are fixed in
number, whatever the caseload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q

from saferhub.web.accounts.models import Role
from saferhub.web.panels.chronology import visible_cases
from saferhub.web.panels.models import PANEL_CHOICES, Action, ActionStatus, Case, Meeting
from saferhub.web.panels.privacy import CASE_READERS

SHOWN = 10


@dataclass
class PanelWork:
    actions: list[Action] = field(default_factory=list)
    open_actions: int = 0
    overdue_actions: int = 0
    partnership_overdue: int | None = None
    cases: list[Case] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)

    @property
    def person_ids(self) -> list[int]:
        return [c.victim_id for c in self.cases]


def my_panel_work(user, on: date) -> PanelWork | None:
    """None for a role or agency with no panel work (analysts, agencies in no panel)."""
    if user.role not in CASE_READERS:
        return None
    panels = [code for code, _ in PANEL_CHOICES if user.in_programme(code)]
    if not panels:
        return None
    cases = visible_cases(user, on)
    work = PanelWork()
    if user.agency_id is not None:
        mine = Action.objects.filter(
            case__in=cases, owner_agency_id=user.agency_id, status=ActionStatus.OPEN
        )
        counts = mine.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=on)))
        work.open_actions, work.overdue_actions = counts["open"], counts["overdue"]
        work.actions = list(mine.select_related("case").order_by("due_date", "pk")[:SHOWN])
        work.cases = list(
            cases.filter(closed_on__isnull=True)
            .filter(
                Q(referring_agency_id=user.agency_id)
                | Q(idva_agency_id=user.agency_id)
                | Q(referred_by=user)
            )
            .select_related("victim")
            .order_by("-referral_date", "-pk")[:SHOWN]
        )
    if user.role in (Role.COORDINATOR, Role.ADMINISTRATOR):
        work.partnership_overdue = Action.objects.filter(
            case__in=cases, status=ActionStatus.OPEN, due_date__lt=on
        ).count()
    work.meetings = list(
        Meeting.objects.filter(panel__in=panels, date__gte=on)
        .annotate(listed=Count("listings"))
        .order_by("date", "pk")[:3]
    )
    return work
