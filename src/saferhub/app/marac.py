"""MARAC quarterly statistics: read the cases from the database, count, publish, render.

The statistics page, its Excel download and `saferhub report marac` all come through
here: the counting is `measures.marac`, the audience is applied once by
`app.publish.marac`, and every format renders that one published result.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

import ibis
import pyarrow as pa

from saferhub.app import publish
from saferhub.app.data_version import cached
from saferhub.app.database import arrow, table
from saferhub.app.render import render_document, write_document
from saferhub.errors import ConfigurationError
from saferhub.measures.marac import MaracStatistics, Referral, case_table, quarterly_statistics
from saferhub.measures.published import Published
from saferhub.reports.document import Report
from saferhub.reports.marac import marac_json, marac_report
from saferhub.reports.writers import render_html_fragment
from saferhub.rules.demographics import age_on
from saferhub.rules.disclosure import Audience
from saferhub.rules.periods import FinancialQuarter

T = TypeVar("T")
AREAS = ("panels", "people")  # the apps whose tables the statistics read
FORMATS = ("html", "xlsx", "pdf", "docx", "json")
PANEL = "da_marac"  # the DA MARAC programme (saferhub.web.panels.privacy.PANEL)

_CASES = pa.schema(
    [
        ("reference", pa.string()),
        ("heard_date", pa.date32()),
        ("referral_date", pa.date32()),
        ("gender", pa.string()),
        ("ethnicity", pa.string()),
        ("victim_born", pa.date32()),
        ("victim_lgbt", pa.bool_()),
        ("victim_disabled", pa.bool_()),
        ("agency_kind", pa.string()),
        ("is_repeat", pa.bool_()),
        ("youngest_born", pa.date32()),
        ("children", pa.int64()),
    ]
)


def canonical_rows(first: date, last: date, panel: str = PANEL) -> list[dict]:
    """Cases first heard from `first` to `last`, in the shape `measures.marac` counts.

    One query: the cases with their victim and referring agency, the youngest
    perpetrator's birth date and the number of children, joined in the database.
    """
    from saferhub.web.accounts.models import Agency, AgencyKind
    from saferhub.web.panels.models import Case, Child, Perpetrator
    from saferhub.web.people.models import Person

    cases = table(Case)
    cases = cases.filter(cases.panel == panel, cases.heard_date >= first, cases.heard_date <= last)
    victims = table(Person)
    agencies = table(Agency)
    perpetrators = table(Perpetrator)
    perpetrator_people = table(Person)
    youngest = (
        perpetrators.join(perpetrator_people, perpetrators.person_id == perpetrator_people.id)
        .filter(perpetrator_people.date_of_birth.notnull())
        .group_by(case=perpetrators.case_id)
        .aggregate(youngest_born=perpetrator_people.date_of_birth.max())
    )
    children = table(Child).group_by("case_id").aggregate(n=ibis._.count())
    joined = (
        cases.left_join(victims, cases.victim_id == victims.id)
        .left_join(agencies, cases.referring_agency_id == agencies.id)
        .left_join(youngest, cases.id == youngest.case)
        .left_join(children, cases.id == children.case_id)
    )
    expr = joined.select(
        reference=cases.reference,
        heard_date=cases.heard_date,
        referral_date=cases.referral_date,
        gender=victims.gender,
        ethnicity=victims.ethnicity,
        victim_born=victims.date_of_birth,
        victim_lgbt=cases.victim_lgbt,
        victim_disabled=cases.victim_disabled,
        agency_kind=agencies.kind,
        is_repeat=cases.is_repeat,
        youngest_born=youngest.youngest_born,
        children=children.n.fill_null(0),
    )
    rows = arrow(expr, _CASES).to_pylist()
    police = str(AgencyKind.POLICE)
    return [
        {
            "case_id": r["reference"],
            "date_heard": r["heard_date"],
            "victim_gender": r["gender"],
            "victim_lgbt": r["victim_lgbt"],
            "victim_disabled": r["victim_disabled"],
            "victim_ethnicity": r["ethnicity"],
            "victim_age": age_on(r["victim_born"], r["referral_date"])
            if r["victim_born"]
            else None,
            "youngest_perpetrator_age": age_on(r["youngest_born"], r["referral_date"])
            if r["youngest_born"]
            else None,
            "children_in_household": r["children"] or 0,
            "referring_agency_type": "police" if r["agency_kind"] == police else "partner",
            "is_repeat": bool(r["is_repeat"]),
        }
        for r in rows
    ]


_REFERRALS = pa.schema(
    [
        ("id", pa.int64()),
        ("reference", pa.string()),
        ("victim_id", pa.int64()),
        ("referral_date", pa.date32()),
        ("is_repeat", pa.bool_()),
    ]
)
_LINKS = pa.schema([("case_id", pa.int64()), ("person_id", pa.int64())])


def referral_history(first: date, last: date, panel: str = PANEL) -> list[Referral]:
    """Every referral of the victims whose cases were heard from `first` to `last`, earlier
    ones included: what the repeat check needs to test each stored repeat flag."""
    from saferhub.web.panels.models import Case, Perpetrator

    cases = table(Case)
    heard = cases.filter(cases.panel == panel, cases.heard_date >= first, cases.heard_date <= last)
    victims = heard.select(heard_victim=heard.victim_id).distinct()
    history = cases.filter(cases.panel == panel, cases.referral_date.notnull()).semi_join(
        victims, cases.victim_id == victims.heard_victim
    )
    rows = arrow(
        history.select("id", "reference", "victim_id", "referral_date", "is_repeat"), _REFERRALS
    ).to_pylist()
    links = table(Perpetrator)
    linked = links.semi_join(history, links.case_id == history.id)
    perpetrators: dict[int, set[str]] = {}
    for link in arrow(linked.select("case_id", "person_id"), _LINKS).to_pylist():
        perpetrators.setdefault(link["case_id"], set()).add(str(link["person_id"]))
    return [
        Referral(
            r["reference"],
            str(r["victim_id"]),
            r["referral_date"],
            bool(r["is_repeat"]),
            frozenset(perpetrators.get(r["id"], ())),
        )
        for r in rows
    ]


def compute(
    latest: FinancialQuarter, count: int = 5, adult_women: int | None = None, panel: str = PANEL
) -> MaracStatistics:
    """The `count` quarters ending with `latest`, counted from the database."""
    if not 1 <= count <= 12:
        raise ConfigurationError(f"Ask for 1 to 12 quarters, not {count}.")
    quarters = [latest + offset for offset in range(1 - count, 1)]
    rows = canonical_rows(quarters[0].start, latest.end, panel)
    referrals = referral_history(quarters[0].start, latest.end, panel)
    return quarterly_statistics(case_table(rows), quarters, adult_women, referrals=referrals)


def statistics(
    latest: FinancialQuarter,
    count: int = 5,
    adult_women: int | None = None,
    audience: Audience = Audience.PARTNERSHIP,
    panel: str = PANEL,
) -> Published[MaracStatistics]:
    """The statistics published for `audience`, cached until the data next change."""
    return cached(
        "marac-statistics",
        (panel, latest.key, count, adult_women, audience.value),
        lambda: publish.marac(compute(latest, count, adult_women, panel), audience),
        AREAS,
    )


def report(
    published: Published[MaracStatistics], *, area: str = "", with_chart: bool = True
) -> Report:
    return marac_report(published, area=area, with_chart=with_chart)


def page_fragment(document: Report) -> str:
    """A published Report as the HTML the statistics page includes."""
    return render_html_fragment(document)


def _same(value: T) -> T:
    return value


def render(
    published: Published[MaracStatistics],
    fmt: str,
    *,
    area: str = "",
    mark_report: Callable[[Report], Report] = _same,
    mark_json: Callable[[dict], dict] = _same,
) -> bytes:
    """One published result in one format; `mark_*` add the demo notice where needed."""
    if fmt == "json":
        document = mark_json(marac_json(published))
        return (json.dumps(document, indent=2) + "\n").encode("utf-8")
    return render_document(mark_report(marac_report(published, area=area)), fmt)


def write_marac_report(
    quarter: str,
    fmt: str,
    out: Path,
    *,
    quarters: int = 5,
    adult_women: int | None = None,
    area: str = "",
    audience: Audience = Audience.PARTNERSHIP,
    mark_report: Callable[[Report], Report] = _same,
    mark_json: Callable[[dict], dict] = _same,
) -> Path:
    """The service behind `saferhub report marac`: read the database, write one file."""
    if fmt not in FORMATS:
        raise ConfigurationError(
            f"'{fmt}' is not a format.", f"Choose one of: {', '.join(FORMATS)}."
        )
    stats = compute(FinancialQuarter.parse(quarter), quarters, adult_women)
    published = publish.marac(stats, audience)
    body = render(published, fmt, area=area, mark_report=mark_report, mark_json=mark_json)
    return write_document(body, out)
