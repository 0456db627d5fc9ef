"""The crime performance dashboard: load the data, build the dashboard, publish, render.

From files (`saferhub report crime`) or from the app's database (the dashboard page);
either way the same measures build one `CrimeDashboard`, `app.publish.crime` applies the
audience once, and every format renders that published result.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from saferhub.app import publish
from saferhub.app.data_version import cached
from saferhub.app.render import render_document, write_document
from saferhub.errors import ConfigurationError, InputError, Problem
from saferhub.measures.catalogue import Catalogue, default_catalogue, load_catalogue
from saferhub.measures.crime import CrimeData
from saferhub.measures.crime_dashboard import (
    CrimeDashboard,
    DashboardSettings,
    PeerGroup,
    crime_dashboard,
)
from saferhub.measures.published import Published
from saferhub.reports.crime import crime_report
from saferhub.reports.crime_json import crime_json
from saferhub.reports.document import Report
from saferhub.reports.writers import render_html_fragment
from saferhub.rules.disclosure import Audience
from saferhub.rules.periods import Month
from saferhub.sources.london import require_borough
from saferhub.sources.mps import read_mps_files
from saferhub.sources.population import read_population
from saferhub.sources.population_by_year import read_population_by_year
from saferhub.sources.series import read_series_files

if TYPE_CHECKING:
    from saferhub.app.crime_database import Sources

T = TypeVar("T")
FORMATS = ("html", "xlsx", "pdf", "docx", "json")
# The apps whose tables the crime data are read from: the stored files, and the ASB tools
# and powers recorded in SaferHub, which feed the partner figures.
AREAS = ("insights", "asb")
STORED_AREAS = ("insights",)  # the stored files alone


def _same(value: T) -> T:
    return value


def load_crime_data(
    mps: Sequence[str | Path],
    population: str | Path,
    series: Sequence[str | Path] = (),
    *,
    catalogue: Catalogue | None = None,
    not_after: Month | None = None,
    population_by_year: str | Path | None = None,
) -> CrimeData:
    """Read and validate every input file. All or nothing: every file's problems are
    reported together and nothing is returned unless all are valid."""
    catalogue = catalogue or default_catalogue()
    problems: list[Problem] = []
    counts = people = partner = None
    if not mps:
        raise ConfigurationError("Give at least one MPS crime file with --mps.")
    try:
        counts = read_mps_files(list(mps), not_after=not_after)
    except InputError as error:
        problems.extend(error.problems)
    try:
        people = read_population(population)
    except InputError as error:
        problems.extend(error.problems)
    if series:
        # Names any catalogue in use knows are valid; a partner's full file can feed a
        # slimmer catalogue (figures it does not use are left aside), but a typo is caught.
        known = dict.fromkeys([*catalogue.series_names, *default_catalogue().series_names])
        try:
            partner = read_series_files(series, known_measures=known, not_after=not_after)
        except InputError as error:
            problems.extend(error.problems)
    by_year = None
    if population_by_year is not None:
        try:
            by_year = read_population_by_year(population_by_year)
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return CrimeData.from_sources(
        counts,  # type: ignore[arg-type]
        people,  # type: ignore[arg-type]
        partner,
        population_by_year=by_year,
    )


def stored_data() -> CrimeData | None:
    """The crime data stored in the app's database, or None when nothing is stored.

    The stored files' tables are cached (as Arrow) until the crime data next change, and
    the partner figures with the recorded ASB uses until either changes: recording a use
    does not make the crime counts, tens of thousands of rows, be read again.
    """
    from saferhub.app.crime_database import read_stored, with_recorded_series

    def read() -> tuple[str, Sources] | bool:
        stored = read_stored()
        # A name for this one reading, so the figures made from it are cached under it: a
        # change committed between the two look-ups cannot pair them with other data.
        return (secrets.token_hex(8), stored) if stored else False

    found = cached("crime-stored", (), read, STORED_AREAS)
    if not found:
        return None
    reading, (counts, population, series) = found
    recorded = cached(
        "crime-series", (reading,), lambda: with_recorded_series(series) or False, AREAS
    )
    return CrimeData.from_sources(counts, population, recorded or None)


@dataclass(frozen=True)
class Options:
    """What the dashboard page offers: the months a dashboard can end in, newest first,
    and the borough the partner figures are for (if one)."""

    months: list[Month]
    partnership_area: str | None


def options() -> Options | None:
    """The page's choices from the stored data (cached), or None when nothing is stored."""

    def compute() -> Options | bool:
        data = stored_data()
        if data is None:
            return False
        return Options(months_with_dashboards(data), partnership_area(data))

    found = cached("crime-options", (), compute, AREAS)
    return found or None


def months_with_dashboards(data: CrimeData) -> list[Month]:
    """Months a dashboard can end in: those with the 24 months before them all covered."""
    covered = data.counts.covered("borough")
    return sorted(
        (m for m in covered if all((m - back) in covered for back in range(1, 24))), reverse=True
    )


def partnership_area(data: CrimeData) -> str | None:
    """The borough the partner figures are for, when they are for exactly one."""
    if data.series_source is None:
        return None
    areas = set(data.series_source.table["area_name"].to_pylist())
    return areas.pop() if len(areas) == 1 else None


def dashboard(
    data: CrimeData,
    area: str,
    to: Month,
    audience: Audience,
    *,
    recent_months: int = 3,
    catalogue: Catalogue | None = None,
    peer_group: PeerGroup | None = None,
) -> Published[CrimeDashboard]:
    """One borough's dashboard, published for `audience`."""
    settings = DashboardSettings(recent_months=recent_months)
    built = crime_dashboard(data, area, to, settings, catalogue or default_catalogue(), peer_group)
    return publish.crime(built, audience)


def report(published: Published[CrimeDashboard], *, peer_charts: bool = True) -> Report:
    return crime_report(published, peer_charts=peer_charts)


def page_fragment(document: Report) -> str:
    return render_html_fragment(document, heading_level=2)


def render(
    published: Published[CrimeDashboard],
    fmt: str,
    *,
    mark_report: Callable[[Report], Report] = _same,
    mark_json: Callable[[dict], dict] = _same,
) -> bytes:
    """One published dashboard in one format."""
    if fmt == "json":
        text = json.dumps(mark_json(crime_json(published)), indent=2, ensure_ascii=False)
        return (text + "\n").encode("utf-8")
    return render_document(mark_report(crime_report(published)), fmt)


def write_crime_report(
    *,
    mps: Sequence[str | Path],
    population: str | Path,
    series: Sequence[str | Path] = (),
    area: str,
    to: str,
    fmt: str,
    out: str | Path,
    recent_months: int = 3,
    peer_group: str | None = None,
    audience: Audience = Audience.PARTNERSHIP,
    catalogue_path: str | Path | None = None,
    not_after: Month | None = None,
    population_by_year: str | Path | None = None,
) -> Path:
    """Build one borough's dashboard from files and write it as html, xlsx, pdf or json."""
    if fmt not in FORMATS:
        raise ConfigurationError(
            f"'{fmt}' is not a format.", f"Choose one of: {', '.join(FORMATS)}."
        )
    end = Month.parse(to)
    borough = require_borough(area, "--area")
    catalogue = load_catalogue(catalogue_path) if catalogue_path else default_catalogue()
    group = PeerGroup.parse(peer_group, borough) if peer_group else PeerGroup.of(borough)
    data = load_crime_data(
        mps,
        population,
        series,
        catalogue=catalogue,
        not_after=not_after,
        population_by_year=population_by_year,
    )
    published = dashboard(
        data,
        borough.name,
        end,
        audience,
        recent_months=recent_months,
        catalogue=catalogue,
        peer_group=group,
    )
    return write_document(render(published, fmt), out)
