"""ASB statistics from the app's database: the canonical tables, the page, the series feed.

The counts are defined once, in `saferhub.measures.asb`; this module only reads the rows the
measures need (no names, no personal details) and renders the published result.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from saferhub.measures.asb import (
    TOOL_SERIES_NAMES,
    AsbTables,
    publish,
    quarterly_statistics,
    quarters_to,
    series_table,
)
from saferhub.rules.asb import working_days_between
from saferhub.sources.bank_holidays import england_and_wales
from saferhub.web.access import allow
from saferhub.web.asb.models import AsbCase, Incident, Review, ToolUse
from saferhub.web.asb.privacy import PROGRAMME, STATISTICS_READERS
from saferhub.web.audit.log import record
from saferhub.web.people.access import today

QUARTERS_SHOWN = 4


def _review_rows() -> list[dict]:
    rows = list(Review.objects.values_list("pk", "requested_on", "threshold_met", "completed_on"))
    done = [r for r in rows if r[3] is not None]
    holidays = (
        england_and_wales(min(r[1] for r in done), max(r[3] for r in done)) if done else set()
    )
    return [
        {
            "review_id": str(pk),
            "requested_on": asked,
            "threshold_met": met,
            "completed_on": completed,
            "working_days": working_days_between(asked, completed, holidays) if completed else None,
        }
        for pk, asked, met, completed in rows
    ]


def stored_tables() -> AsbTables:
    """The four canonical tables, from every record (counts cover the whole partnership)."""
    return AsbTables.from_rows(
        cases=[
            {"case_id": str(pk), "opened_on": day}
            for pk, day in AsbCase.objects.values_list("pk", "opened_on")
        ],
        incidents=[
            {"incident_id": str(pk), "occurred_on": day}
            for pk, day in Incident.objects.values_list("pk", "occurred_on")
        ],
        reviews=_review_rows(),
        tool_uses=[
            {"use_id": str(pk), "kind": kind, "used_on": day}
            for pk, kind, day in ToolUse.objects.values_list("pk", "kind", "used_on")
        ],
    )


def recorded_tool_series(area_code: str, area_name: str):
    """Monthly counts of recorded tools and powers in the partner series shape, or None when
    nothing is recorded (then partner files, if any, still supply the figures)."""
    if not ToolUse.objects.exists():
        return None
    uses = AsbTables.from_rows(
        tool_uses=[
            {"use_id": str(pk), "kind": kind, "used_on": day}
            for pk, kind, day in ToolUse.objects.values_list("pk", "kind", "used_on")
        ]
    ).tool_uses
    return series_table(uses, area_code=area_code, area_name=area_name)


def tool_use_version() -> tuple:
    from django.db.models import Count, Max

    return tuple(
        ToolUse.objects.aggregate(n=Count("pk"), last=Max("pk"), v=Max("version")).values()
    )


@allow(*STATISTICS_READERS, programme=PROGRAMME)
def statistics(request: HttpRequest) -> HttpResponse:
    audience = "public" if request.GET.get("audience") == "public" else "partnership"
    stats = quarterly_statistics(stored_tables(), quarters_to(today(), QUARTERS_SHOWN))
    published = publish(stats, audience)
    record(request, "view", summary=f"Viewed ASB statistics ({audience} version)")
    return render(
        request,
        "asb/statistics.html",
        {"published": published, "audience": audience, "tool_names": TOOL_SERIES_NAMES},
    )
