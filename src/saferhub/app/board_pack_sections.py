"""The board pack's sections: a registry of name -> provider, in the board's order.

Each provider takes the pack's request and its `PackData` and returns the sections for
the pack, read from the application layer's published results for the pack's audience
(the same results each programme's own report renders). A provider with nothing to show
says so in one sentence rather than leaving its section out silently. Lists that name
or identify people are never put in a pack, whatever the audience.

Partners' figures, the other panels and the action and forward plans come from their own
application modules, imported only when their section is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from saferhub.reports.board_summary import crime_summary
from saferhub.reports.document import Section

if TYPE_CHECKING:
    from saferhub.app.board_pack import PackData, PackRequest

SUMMARY = "summary"
# Sections whose first sentence the executive summary quotes as that partner's headline.
HEADLINE_SECTIONS = ("iom", "marac", "needs")


@dataclass(frozen=True)
class Provider:
    title: str
    provide: Callable[[PackRequest, PackData], list[Section]]


def _nothing(title: str, sentence: str) -> list[Section]:
    return [Section(title, (sentence,))]


def _prefixed(prefix: str, sections: list[Section]) -> list[Section]:
    """Programme sections named for the pack, so no two sections share a title."""
    return [
        s if s.title.startswith(prefix) else replace(s, title=f"{prefix}: {s.title}")
        for s in sections
    ]


# -- Crime --------------------------------------------------------------------------------


def _crime(request: PackRequest, data: PackData):
    """The published dashboard (None when no crime figures are stored), loaded once."""

    def load():
        from saferhub.app import crime

        files = data.crime_files
        if files is not None:
            figures = crime.load_crime_data(
                files.mps, files.population, files.series, not_after=files.not_after
            )
        else:
            figures = crime.stored_data()
            if figures is None:
                return None
        return crime.dashboard(
            figures,
            request.area,
            request.to,
            request.published_for,
            recent_months=request.months,
        )

    return data.once("crime", load)


def _no_crime(request: PackRequest) -> str:
    return f"No crime figures are stored for {request.area} to {request.to.label}."


def dashboard_sections(request: PackRequest, data: PackData) -> list[Section]:
    title = "Performance dashboard"
    published = _crime(request, data)
    if published is None:
        return _nothing(title, _no_crime(request))
    from saferhub.reports.crime import crime_report

    glance, *detail = crime_report(published).sections
    # The executive summary already says what moved: the dashboard opens on the tiles.
    lead = replace(
        glance,
        title=title,
        paragraphs=(
            "Each tile shows the measure's count in the recent period, its change against "
            "the same months a year earlier, its rate and London rank over the rolling 12 "
            "months, its RAG status and the last 12 months' counts.",
        ),
    )
    detail = [
        replace(s, title="Crime: method and definitions")
        if s.title == "Method and definitions"
        else s
        for s in detail
    ]
    return [lead, *detail]


def headlines(built: dict[str, list[Section]]) -> list[str]:
    """The first sentence of each partner section built, for the summary."""
    return [
        sections[0].paragraphs[0]
        for name in HEADLINE_SECTIONS
        if (sections := built.get(name)) and sections[0].paragraphs
    ]


def summary_sections(
    request: PackRequest, data: PackData, partner_lines: list[str]
) -> list[Section]:
    published = _crime(request, data)
    crime_lines = crime_summary(published) if published is not None else [_no_crime(request)]
    return [Section("Executive summary", tuple([*crime_lines, *partner_lines]))]


# -- Programmes in SaferHub's own records --------------------------------------------------


def iom_sections(request: PackRequest, data: PackData) -> list[Section]:
    from saferhub.web.iom.models import Membership

    if not Membership.objects.exists():
        return _nothing("IOM", "No IOM cohort is recorded in SaferHub.")
    from saferhub.app import iom
    from saferhub.reports.iom_board import iom_report

    figures = iom.board(request.to, request.published_for)
    # Published for the partnership or the public, the figures hold no casework list; the
    # filter keeps it that way should a restricted section ever be added to the report.
    sections = [s for s in iom_report(figures).sections if "restricted" not in s.title.lower()]
    return _prefixed("IOM", sections)


def marac_sections(request: PackRequest, data: PackData) -> list[Section]:
    from saferhub.app import marac

    quarter = request.to.financial_quarter
    if quarter.window.last > request.to:
        quarter = quarter + -1  # the last quarter complete by the pack's last month
    published = marac.statistics(quarter, 5, None, request.published_for)
    if not any(q.cases_heard for q in published.result.quarters):
        return _nothing(
            "DA MARAC", f"No DA MARAC cases were heard in the five quarters to {quarter.label}."
        )
    sections = [
        s
        for s in marac.report(published, area=request.area).sections
        # The repeat-flag check names cases to correct: for the coordinator, not a pack.
        if not s.title.startswith("Repeat flags")
    ]
    return _prefixed("DA MARAC", sections)


def needs_sections(request: PackRequest, data: PackData) -> list[Section]:
    from saferhub.web.needs.data import latest_extract

    extract = latest_extract()
    if extract is None:
        return _nothing("Needs analysis", "No caseload needs analysis is stored.")
    from saferhub.app import needs
    from saferhub.reports.needs import narrative

    analysis = needs.stored_analysis(extract, request.published_for)
    summary = needs.report(analysis).sections[0]
    return [
        Section(
            "Needs analysis: headlines",
            tuple(narrative(analysis)["summary"]),
            summary.blocks,
        )
    ]


# -- The partners' figures, the other panels and the board plan ---------------------------


def partner_sections(request: PackRequest, data: PackData) -> list[Section]:
    from saferhub.app import partner

    found = partner.board_sections(
        area=request.area,
        to=request.to,
        months=request.months,
        audience=request.published_for,
        breakdowns=data.breakdowns,
    )
    return found or _nothing(
        "Partners' figures",
        "No CCTV, Prevent, hate crime or ASB tools and powers figures are stored for this period.",
    )


def panels_sections(request: PackRequest, data: PackData) -> list[Section]:
    from saferhub.app import panels

    found = panels.board_sections(to=request.to, audience=request.published_for)
    return found or _nothing(
        "Other panels",
        "No CS MARAC, Adults at Risk Panel, SIRM or ASB cases were recorded in these quarters.",
    )


def _plans(request: PackRequest, data: PackData) -> list[Section]:
    from saferhub.app import board_plan

    return data.once(
        "plans",
        lambda: board_plan.board_sections(meeting=request.meeting, audience=request.published_for),
    )


def action_plan_sections(request: PackRequest, data: PackData) -> list[Section]:
    found = [s for s in _plans(request, data) if "action plan" in s.title.lower()]
    return found or _nothing("Action plan", "No action plan is recorded for this meeting.")


def forward_plan_sections(request: PackRequest, data: PackData) -> list[Section]:
    found = [s for s in _plans(request, data) if "forward plan" in s.title.lower()]
    return found or _nothing("Forward plan", "No forward plan is recorded for this meeting.")


def _summary_placeholder(request: PackRequest, data: PackData) -> list[Section]:
    # build_pack writes the summary last (it quotes the other sections): see summary_sections.
    return summary_sections(request, data, [])


SECTIONS: dict[str, Provider] = {
    SUMMARY: Provider("the executive summary", _summary_placeholder),
    "dashboard": Provider("the performance dashboard", dashboard_sections),
    "partner": Provider("the partners' figures", partner_sections),
    "iom": Provider("the IOM section", iom_sections),
    "marac": Provider("the DA MARAC statistics", marac_sections),
    "needs": Provider("the needs analysis headlines", needs_sections),
    "panels": Provider("the other panels", panels_sections),
    "action_plan": Provider("the action plan", action_plan_sections),
    "forward_plan": Provider("the forward plan", forward_plan_sections),
}

SECTION_LABELS = {
    SUMMARY: "Executive summary",
    "dashboard": "Performance dashboard",
    "partner": "Partners' figures (police, CCTV, Prevent, hate crime, ASB)",
    "iom": "Integrated Offender Management",
    "marac": "Domestic Abuse MARAC",
    "needs": "Needs analysis headlines",
    "panels": "CS MARAC and other panels",
    "action_plan": "Action plan",
    "forward_plan": "Forward plan",
}
