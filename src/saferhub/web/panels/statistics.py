"""The quarterly statistics from the app's database: the canonical table, then the measure.

The database gives one row per case heard (`canonical_rows`); `measures.marac` does all
the counting, so the page, the Excel export and `saferhub report marac` agree.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from django.core.cache import cache
from django.db.models import Count, Max

from saferhub.errors import ConfigurationError
from saferhub.measures.marac import (
    MaracStatistics,
    Referral,
    case_table,
    quarterly_statistics,
)
from saferhub.reports.marac import marac_json, marac_report
from saferhub.reports.writers import write_report
from saferhub.rules.demographics import age_on
from saferhub.rules.periods import FinancialQuarter
from saferhub.web.accounts.models import AgencyKind
from saferhub.web.demo import marked, with_notice
from saferhub.web.panels.models import Case, Child, Perpetrator
from saferhub.web.panels.privacy import PANEL
from saferhub.web.people.models import Person

FORMATS = ("html", "xlsx", "pdf", "json")
CACHE_SECONDS = 600


def canonical_rows(first: date, last: date, panel: str = PANEL) -> list[dict]:
    """Cases first heard from `first` to `last`, in the shape `measures.marac` counts.

    Three plain queries (cases, perpetrators' birth dates, children counts) rather than
    correlated subqueries, whose plans go bad on a freshly loaded table.
    """
    cases = list(
        Case.objects.filter(panel=panel, heard_date__range=(first, last))
        .order_by()
        .values(
            "pk",
            "reference",
            "heard_date",
            "referral_date",
            "victim__gender",
            "victim__ethnicity",
            "victim__date_of_birth",
            "victim_lgbt",
            "victim_disabled",
            "referring_agency__kind",
            "is_repeat",
        )
    )
    ids = [c["pk"] for c in cases]
    youngest: dict[int, date] = {}
    births = Perpetrator.objects.filter(case_id__in=ids, person__date_of_birth__isnull=False)
    for case_id, born in births.values_list("case_id", "person__date_of_birth"):
        if case_id not in youngest or born > youngest[case_id]:
            youngest[case_id] = born
    children = dict(
        Child.objects.filter(case_id__in=ids)
        .order_by()
        .values("case_id")
        .annotate(n=Count("id"))
        .values_list("case_id", "n")
    )
    result = []
    for r in cases:
        referred = r["referral_date"]
        victim_dob, youngest_dob = r["victim__date_of_birth"], youngest.get(r["pk"])
        result.append(
            {
                "case_id": r["reference"],
                "date_heard": r["heard_date"],
                "victim_gender": r["victim__gender"],
                "victim_lgbt": r["victim_lgbt"],
                "victim_disabled": r["victim_disabled"],
                "victim_ethnicity": r["victim__ethnicity"],
                "victim_age": age_on(victim_dob, referred) if victim_dob else None,
                "youngest_perpetrator_age": age_on(youngest_dob, referred)
                if youngest_dob
                else None,
                "children_in_household": children.get(r["pk"], 0),
                "referring_agency_type": "police"
                if r["referring_agency__kind"] == AgencyKind.POLICE
                else "partner",
                "is_repeat": r["is_repeat"],
            }
        )
    return result


def referral_history(first: date, last: date, panel: str = PANEL) -> list[Referral]:
    """Every referral of the victims whose cases were heard from `first` to `last`, earlier
    ones included: what the repeat check needs to test each stored repeat flag."""
    heard = Case.objects.filter(panel=panel, heard_date__range=(first, last))
    victims = heard.order_by().values("victim_id")
    cases = list(
        Case.objects.filter(panel=panel, victim_id__in=victims, referral_date__isnull=False)
        .order_by()
        .values("pk", "reference", "victim_id", "referral_date", "is_repeat")
    )
    perpetrators: dict[int, set[str]] = {}
    links = Perpetrator.objects.filter(case_id__in=[c["pk"] for c in cases])
    for case_id, person_id in links.values_list("case_id", "person_id"):
        perpetrators.setdefault(case_id, set()).add(str(person_id))
    return [
        Referral(
            c["reference"],
            str(c["victim_id"]),
            c["referral_date"],
            c["is_repeat"],
            frozenset(perpetrators.get(c["pk"], ())),
        )
        for c in cases
    ]


def data_version(panel: str = PANEL) -> str:
    """Changes whenever a case or a person is added or changed: the statistics' cache key."""
    cases = Case.objects.filter(panel=panel).aggregate(n=Count("id"), last=Max("updated_at"))
    people = Person.objects.aggregate(last=Max("updated_at"))
    return f"{cases['n']}:{cases['last']}:{people['last']}"


def marac_statistics(
    latest: FinancialQuarter,
    count: int = 5,
    adult_women: int | None = None,
    panel: str = PANEL,
    *,
    use_cache: bool = True,
) -> MaracStatistics:
    """The `count` quarters ending with `latest`, counted from the database.

    The result is cached until a case or person changes, so a busy statistics page does
    not count the same cases again; the cached object is the measure's own result.
    """
    if not 1 <= count <= 12:
        raise ConfigurationError(f"Ask for 1 to 12 quarters, not {count}.")
    identity = f"{panel}|{latest.key}|{count}|{adult_women}|{data_version(panel)}"
    key = "marac-statistics-" + hashlib.sha256(identity.encode()).hexdigest()
    if use_cache and (cached := cache.get(key)) is not None:
        return cached
    quarters = [latest + offset for offset in range(1 - count, 1)]
    rows = canonical_rows(quarters[0].start, latest.end, panel)
    referrals = referral_history(quarters[0].start, latest.end, panel)
    stats = quarterly_statistics(case_table(rows), quarters, adult_women, referrals=referrals)
    if use_cache:
        cache.set(key, stats, timeout=CACHE_SECONDS)
    return stats


def write_marac_report(
    quarter: str,
    fmt: str,
    out: Path,
    *,
    quarters: int = 5,
    adult_women: int | None = None,
    area: str = "",
) -> Path:
    """The service behind `saferhub report marac`: read the database, write one file."""
    if fmt not in FORMATS:
        raise ConfigurationError(
            f"'{fmt}' is not a format.", f"Choose one of: {', '.join(FORMATS)}."
        )
    stats = marac_statistics(
        FinancialQuarter.parse(quarter), quarters, adult_women, use_cache=False
    )
    if fmt == "json":
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        document = with_notice(marac_json(stats))
        out.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        return out
    return write_report(marked(marac_report(stats, area=area)), fmt, out)
