"""The other panels' quarterly statistics (CS MARAC, Adults at Risk, SIRM) and the ASB
statistics as report sections.

The statistics pages and the board pack render these sections; neither computes a figure:
both read a result already published for its audience (`app.publish.panel`,
`app.publish.asb`), so a hidden count is hidden in every format.
"""

from __future__ import annotations

from saferhub.measures.asb import PublishedStatistics
from saferhub.measures.panels import PanelStatistics
from saferhub.reports.document import Report, Section, Table

PUBLIC_NOTE = (
    'Public version: counts of 1 to 4 are shown as "<5", and more are hidden where a total '
    "would give them away."
)


def _version(audience: str) -> str:
    return "Public version" if audience == "public" else "Partnership version"


def _how_counted(review_after_days: int, sirm: bool) -> str:
    text = (
        "A referral counts in the quarter of its referral date; a case heard in the quarter of "
        "its first hearing; a repeat is a referral of someone the panel had a referral for in "
        "the 365 days before; open cases are those referred and not closed by the quarter's "
        f"last day; a review is due {review_after_days} days after the hearing, and is on time "
        "when done by then."
    )
    if sirm:
        text += (
            " A SIRM is held within 24 hours when it meets no more than 24 hours after the "
            "incident."
        )
    return text


def panel_table(stats: PanelStatistics, review_after_days: int, title: str = "By quarter") -> Table:
    """The panel's figures, one row per measure and one column per quarter."""
    notes = [_how_counted(review_after_days, stats.panel == "sirm")]
    if stats.audience == "public":
        notes.append(PUBLIC_NOTE + " A median of fewer than 5 reviews is hidden.")
    return Table(
        title,
        ["Measure", *(q.label for q in stats.quarters)],
        [[label, *values] for label, values in stats.rows()],
        notes=tuple(notes),
    )


def panel_section(stats: PanelStatistics, name: str, review_after_days: int) -> Section:
    """One panel's statistics as a section titled with the panel's name."""
    return Section(f"{name}: quarterly statistics", blocks=(panel_table(stats, review_after_days),))


def panel_report(stats: PanelStatistics, review_after_days: int) -> Report:
    """The statistics page's body: the page's own heading names the panel."""
    return Report(
        _version(stats.audience),
        sections=(Section("By quarter", blocks=(panel_table(stats, review_after_days),)),),
    )


ASB_METHOD = (
    "Cases count by the date opened, incidents by the date they happened, requests by the date "
    "asked for, completed reviews and their working days by the date completed, and tools and "
    "powers by the date issued, served or granted. Working days leave out weekends and bank "
    "holidays in England and Wales."
)


def asb_table(published: PublishedStatistics, title: str = "ASB figures by quarter") -> Table:
    notes = [ASB_METHOD]
    if published.audience == "public":
        notes.append(PUBLIC_NOTE)
    return Table(
        title,
        ["Measure", *published.quarters],
        [[row.label, *row.values] for row in published.rows],
        notes=tuple(notes),
    )


def asb_section(published: PublishedStatistics) -> Section:
    """The ASB cases, case reviews and tools and powers used, by quarter."""
    return Section("ASB statistics by quarter", blocks=(asb_table(published),))


def asb_report(published: PublishedStatistics) -> Report:
    """The statistics page's body, under the page's own heading."""
    return Report(
        _version(published.audience),
        sections=(Section("By quarter", blocks=(asb_table(published),)),),
    )
