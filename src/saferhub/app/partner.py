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
import pyarrow.compute as pc

from saferhub.app import publish
from saferhub.measures.partner import PartnerFigures, partner_figures
from saferhub.reports.document import Section
from saferhub.reports.partner import partner_sections
from saferhub.rules.disclosure import Audience
from saferhub.rules.periods import Month
from saferhub.sources.london import require_borough
from saferhub.sources.partner_breakdowns import SCHEMA, TOOLS, read_breakdowns_files


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


def with_recorded_tools(breakdowns: pa.Table, area: str) -> pa.Table:
    """The breakdowns with ASB tools and powers counted from the uses recorded in SaferHub,
    when there are any, in place of the partner file's from the first recorded month on:
    the crime dashboard counts them the same way (`crime_database.with_recorded_series`), so
    the board pack gives one figure for each month."""
    from saferhub.app.crime_database import asb_installed

    if not asb_installed():
        return breakdowns
    from saferhub.app.asb import recorded_tool_series

    borough = require_borough(area)
    recorded = recorded_tool_series(borough.code, borough.name)
    if recorded is None or recorded.num_rows == 0:
        return breakdowns
    replaced = pc.and_(
        pc.and_(
            pc.equal(breakdowns["measure"], TOOLS),
            pc.equal(breakdowns["area_name"], borough.name),
        ),
        pc.greater_equal(breakdowns["month"], pc.min(recorded["month"])),
    )
    uses = pa.table(
        {
            "area_code": recorded["area_code"],
            "area_name": recorded["area_name"],
            "month": recorded["month"],
            "measure": pa.array([TOOLS] * recorded.num_rows, pa.string()),
            "category": recorded["measure"],  # the tool's name, as in breakdown files
            "value": pc.cast(recorded["value"], pa.int64()),
            "source": recorded["source"],
        },
        schema=SCHEMA,
    )
    return pa.concat_tables([breakdowns.filter(pc.invert(replaced)), uses])


def figures(
    *, area: str, to: Month, months: int, audience: Audience, breakdowns: pa.Table | None = None
) -> PartnerFigures:
    """The partner figures for `area`, published for `audience`."""
    borough = require_borough(area)
    # Stored figures sit beside the recorded tool uses; a file given is used as it is.
    data = (
        with_recorded_tools(stored_breakdowns(), borough.name) if breakdowns is None else breakdowns
    )
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
