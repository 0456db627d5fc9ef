"""The thin adapter from the database to `saferhub.measures.panels`: canonical rows in,
the measure's result out. The lead can route it through the application layer unchanged."""

from __future__ import annotations

from datetime import datetime

from saferhub.measures.panels import (
    CASE_COLUMNS,
    PanelStatistics,
    case_rows,
    incident_rows,
    panel_statistics,
    public_version,
)
from saferhub.rules.panels import PanelConfig
from saferhub.rules.periods import FinancialQuarter
from saferhub.web.panels.models import Case, Incident, IncidentRoute


def canonical_cases(panel: str) -> list[dict]:
    """Every case of the panel (in sight or not: statistics count, they never name)."""
    fields = [c for c in CASE_COLUMNS if c != "person_id"]
    return [
        {**row, "person_id": row.pop("victim_id")}
        for row in Case.objects.filter(panel=panel).values(*fields, "victim_id")
    ]


def canonical_incidents() -> list[dict]:
    return list(
        Incident.objects.filter(route=IncidentRoute.SIRM).values(
            "reference", "route", "occurred_at", "sirm_held_at"
        )
    )


def statistics_for(
    config: PanelConfig, last: FinancialQuarter, quarters: int, now: datetime, audience: str
) -> PanelStatistics:
    stats = panel_statistics(
        case_rows(canonical_cases(config.code)),
        panel=config.code,
        last=last,
        quarters=quarters,
        review_after_days=config.review_after_days,
        as_of=now,
        incidents=incident_rows(canonical_incidents()) if config.code == "sirm" else (),
    )
    return public_version(stats) if audience == "public" else stats
