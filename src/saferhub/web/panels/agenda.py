"""A meeting's agenda as one user may see it, loaded once for the page and its spreadsheet.

The agenda page is the panels' heaviest read (the Community Safety MARAC lists 50 cases),
so it loads in a fixed number of queries, reads only the columns the page and the
spreadsheet show, and hands each listed case its perpetrators, children and research as
plain lists: a related manager per case per template lookup cost more than the queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Prefetch, prefetch_related_objects

from saferhub.web.panels.models import Child, Listing, Meeting, Perpetrator, Research
from saferhub.web.panels.privacy import panel_cases

# What the page, the spreadsheet and the audit event read of each row; anything else would
# be a query per row (tests/web/test_query_counts.py pins the count).
LISTING_COLUMNS = (
    "id",
    "meeting_id",
    "position",
    "heard",
    "case__id",
    "case__version",
    "case__reference",
    "case__status",
    "case__is_repeat",
    "case__referral_date",
    "case__victim__id",
    "case__victim__first_name",
    "case__victim__last_name",
    "case__referring_agency__id",
    "case__referring_agency__name",
    "case__previous_case__id",
    "case__previous_case__reference",
)


@dataclass(frozen=True)
class Agenda:
    """The listings the user may see, each with `perpetrator_list`, `child_list` and
    `research_list` (on the listing's case, and the listing), and how many others it holds."""

    listings: list[Listing]
    hidden: int  # listed cases the user may not see, counted only

    @property
    def references(self) -> list[str]:
        return [item.case.reference for item in self.listings]

    @property
    def person_ids(self) -> list[int]:
        """Everyone the agenda names, for the audit event: victims and perpetrators."""
        return [
            pk
            for item in self.listings
            for pk in (item.case.victim_id, *(p.person_id for p in item.case.perpetrator_list))
        ]


# Each listed case's people and research, fetched for the shown cases only.
RELATED = (
    Prefetch(
        "case__perpetrators",
        queryset=Perpetrator.objects.select_related("person").only(
            "id", "case_id", "person_id", "relationship", "person__first_name", "person__last_name"
        ),
        to_attr="perpetrator_list",
    ),
    Prefetch(
        "case__children", queryset=Child.objects.only("id", "case_id", "age"), to_attr="child_list"
    ),
)


class Shared(NamedTuple):
    """One agency's research as the agenda shows it: the agency's name and the text."""

    agency: str
    text: str


def _attach_research(listings: list[Listing]) -> None:
    """Each listing's research as `research_list`, in agency order, from one query of plain
    rows (three agencies' research on 50 cases made 300 model instances a page)."""
    shared: dict[int, list[Shared]] = {item.pk: [] for item in listings}
    rows = (
        Research.objects.filter(listing__in=listings)
        .order_by("agency__name", "pk")
        .values_list("listing_id", "agency__name", "text")
    )
    for listing_id, agency, text in rows:
        shared[listing_id].append(Shared(agency, text))
    for item in listings:
        item.research_list = shared[item.pk]


def visible_agenda(user, panel: str, meeting: Meeting) -> Agenda:
    """The agenda's cases `user` may see on `panel` (need to know: `panel_cases`), and how
    many others it holds, counted only: nothing more of those is read."""
    seen = set(
        panel_cases(user, panel).filter(listings__meeting=meeting).values_list("pk", flat=True)
    )
    listings = list(
        meeting.listings.select_related(
            "case", "case__victim", "case__referring_agency", "case__previous_case"
        ).only(*LISTING_COLUMNS)
    )
    shown = [item for item in listings if item.case_id in seen]
    prefetch_related_objects(shown, *RELATED)
    _attach_research(shown)
    return Agenda(shown, len(listings) - len(shown))
