"""The other panels' quarterly statistics (CS MARAC, Adults at Risk, SIRM): read the cases
from the database, count, publish for an audience, render; and the panels' and ASB's
sections of the board pack.

The statistics pages and the board pack come through here: the counting is
`measures.panels`, the audience is applied once by `app.publish.panel`, and every format
renders that one published result through `reports.panels`. Statistics count every case
of the panel, in sight of the reader or not: they never name anyone.
"""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa
from django.utils import timezone

from saferhub.app import asb as asb_app
from saferhub.app import publish
from saferhub.app.data_version import cached
from saferhub.app.database import arrow, table
from saferhub.measures.panels import (
    CaseRow,
    IncidentRow,
    PanelStatistics,
    case_rows,
    incident_rows,
    panel_statistics,
)
from saferhub.reports.document import Report, Section
from saferhub.reports.panels import asb_section, panel_report, panel_section
from saferhub.reports.writers import render_html_fragment
from saferhub.rules.disclosure import Audience
from saferhub.rules.panels import PanelConfig, panel_config
from saferhub.rules.periods import FinancialQuarter, Month

AREAS = ("panels",)  # the app whose tables the statistics read
# The panels the board pack reports on, in its order (the DA MARAC has its own section).
BOARD_PANELS = ("asb_marac", "adults_at_risk", "sirm")
BOARD_QUARTERS = 4  # the quarter reported on and the three before, for the trend

_CASES = pa.schema(
    [
        ("reference", pa.string()),
        ("panel", pa.string()),
        ("victim_id", pa.int64()),
        ("referral_date", pa.date32()),
        ("heard_date", pa.date32()),
        ("is_repeat", pa.bool_()),
        ("reviewed_on", pa.date32()),
        ("closed_on", pa.date32()),
    ]
)


def canonical_cases(panel: str) -> list[CaseRow]:
    """Every case of the panel as the canonical case table (no names: dates and flags)."""
    from saferhub.web.panels.models import Case

    cases = table(Case)
    rows = arrow(cases.filter(cases.panel == panel), _CASES).to_pylist()
    return case_rows({**row, "person_id": row.pop("victim_id")} for row in rows)


def canonical_incidents() -> list[IncidentRow]:
    """Every incident sent to a SIRM. Read through the ORM, which hands back aware
    datetimes on SQLite and PostgreSQL alike (the SIRM clock counts hours)."""
    from saferhub.web.panels.models import Incident, IncidentRoute

    return incident_rows(
        Incident.objects.filter(route=IncidentRoute.SIRM).values(
            "reference", "route", "occurred_at", "sirm_held_at"
        )
    )


def compute(
    config: PanelConfig, last: FinancialQuarter, quarters: int, now: datetime
) -> PanelStatistics:
    """The `quarters` quarters ending with `last`, counted from the database as of `now`."""
    return panel_statistics(
        canonical_cases(config.code),
        panel=config.code,
        last=last,
        quarters=quarters,
        review_after_days=config.review_after_days,
        as_of=now,
        incidents=canonical_incidents() if config.code == "sirm" else (),
    )


def statistics(
    config: PanelConfig,
    last: FinancialQuarter,
    quarters: int = 5,
    audience: Audience = Audience.PARTNERSHIP,
    now: datetime | None = None,
) -> PanelStatistics:
    """The statistics published for `audience`, cached until the data next change.

    Reviews not met depend on the day the figures are run, and SIRM breaches on the minute
    (a SIRM's 24 hours run out), so the cache is keyed by the day or the minute too.
    """
    now = now or timezone.now()
    moment = now.replace(second=0, microsecond=0) if config.code == "sirm" else now.date()
    return cached(
        "panel-statistics",
        (config.code, last.key, quarters, audience.value, moment.isoformat()),
        lambda: publish.panel(compute(config, last, quarters, now), audience),
        AREAS,
    )


def report(stats: PanelStatistics, config: PanelConfig) -> Report:
    return panel_report(stats, config.review_after_days)


def page_fragment(document: Report) -> str:
    """A published Report as the HTML a statistics page includes under its own heading."""
    return render_html_fragment(document, heading_level=2)


def _has_cases(stats: PanelStatistics) -> bool:
    return any(value for values in stats.counts.values() for value in values)


def board_sections(*, to: Month, audience: Audience) -> list[Section]:
    """The board pack's sections for the CS MARAC, the Adults at Risk Panel, SIRMs and ASB.

    Each shows the last financial quarter complete by the end of `to` and the three before
    it, published for `audience` (public: counts of 1 to 4 hidden, with whatever would give
    them away). A panel, or ASB, with nothing to count in those quarters is left out. Only
    counts: no case, person or reference is named.
    """
    last = to.financial_quarter
    if to != last.window.last:
        last = last + -1
    sections = []
    for code in BOARD_PANELS:
        config = panel_config(code)
        counted = compute(config, last, BOARD_QUARTERS, timezone.now())
        if _has_cases(counted):
            published = publish.panel(counted, audience)
            sections.append(panel_section(published, config.name, config.review_after_days))
    quarters = [last + offset for offset in range(1 - BOARD_QUARTERS, 1)]
    figures = asb_app.compute(quarters)
    if any(
        q.cases_opened or q.incidents or q.reviews_requested or q.tools_total
        for q in figures.quarters
    ):
        sections.append(asb_section(publish.asb(figures, audience)))
    return sections
