"""The partner sections of the board pack: CCTV incidents, Prevent referrals, hate crime and
ASB tools and powers, from partner breakdown files or the figures stored in the app.

Loads the breakdowns, runs the measures (`saferhub.measures.partner`), publishes them for
the audience (`saferhub.app.publish.partner`) and builds the sections
(`saferhub.reports.partner`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pyarrow as pa

from saferhub.app import publish
from saferhub.measures.partner import PartnerFigures, partner_figures
from saferhub.reports.document import Section
from saferhub.reports.partner import partner_sections
from saferhub.rules.disclosure import Audience
from saferhub.rules.periods import Month
from saferhub.sources.london import require_borough
from saferhub.sources.partner_breakdowns import SCHEMA, read_breakdowns_files


def load_breakdowns(paths: Iterable[str | Path]) -> pa.Table:
    """Validate partner breakdown files (docs/formats/partner-breakdowns.md) as one table;
    raises InputError naming every problem. Months after this one are refused."""
    return read_breakdowns_files(paths, not_after=Month.of(date.today()))


def stored_breakdowns() -> pa.Table:
    """The breakdowns stored in the app's database (empty when none are)."""
    from saferhub.app.database import arrow, table
    from saferhub.web.insights.models import BreakdownValue

    values = table(BreakdownValue)
    return arrow(
        values.order_by("id").select(
            "area_code",
            "area_name",
            "month",
            "measure",
            "category",
            "value",
            source=values.file,
        ),
        SCHEMA,
    )


def figures(
    *, area: str, to: Month, months: int, audience: Audience, breakdowns: pa.Table | None = None
) -> PartnerFigures:
    """The partner figures for `area`, published for `audience`."""
    borough = require_borough(area)
    data = stored_breakdowns() if breakdowns is None else breakdowns
    computed = partner_figures(data, area=borough.name, to=to, months=months)
    return publish.partner(computed, audience)


def board_sections(
    *,
    area: str,
    to: Month,
    months: int,
    audience: Audience,
    breakdowns: pa.Table | None = None,
) -> list[Section]:
    """The board pack's partner sections for `area`: CCTV incidents, hate crime and ASB tools
    and powers over the `months` months to `to` (each against the same months a year earlier
    where compared), and Prevent referrals for the financial quarter or half-year ending at
    `to`. From `breakdowns` (`load_breakdowns`), or the stored figures when None. Sections
    without figures are left out."""
    return partner_sections(
        figures(area=area, to=to, months=months, audience=audience, breakdowns=breakdowns)
    )
