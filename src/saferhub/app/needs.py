"""The probation caseload needs analysis: read, analyse, publish for an audience, render."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

from saferhub.app import publish
from saferhub.app.data_version import cached
from saferhub.app.render import render_document, write_document
from saferhub.errors import ConfigurationError
from saferhub.measures.needs import NeedsAnalysis, analyse
from saferhub.reports.document import Report
from saferhub.reports.needs import build_report, to_json
from saferhub.reports.writers import render_html_fragment
from saferhub.rules.disclosure import Audience
from saferhub.sources.caseload import read_caseload

T = TypeVar("T")
FORMATS: tuple[str, ...] = ("html", "xlsx", "pdf", "docx", "json")
AREAS = ("needs",)  # the app whose tables the analysis reads


def _same(value: T) -> T:
    return value


def analyse_extract(
    extract: Path,
    *,
    compare: Path | None = None,
    audience: Audience = Audience.RESTRICTED,
    as_of: date | None = None,
    area: str = "This area",
    compare_area: str = "Comparison area",
) -> NeedsAnalysis:
    """The analysis of one extract, optionally against another area's, for `audience`."""
    caseload = read_caseload(extract, as_of=as_of)
    other = read_caseload(compare) if compare is not None else None
    analysis = analyse(caseload, area=area, comparison=other, comparison_area=compare_area)
    return publish.needs(analysis, audience)


def stored_analysis(extract, audience: Audience) -> NeedsAnalysis:
    """The stored extract's analysis for `audience`, cached until the data next change."""
    from saferhub.app.needs_database import read_caseload as read_stored

    def compute() -> NeedsAnalysis:
        return publish.needs(analyse(read_stored(extract), area=extract.area), audience)

    return cached("needs-analysis", (extract.pk, audience.value), compute, AREAS)


def stored_fragment(extract, audience: Audience, mark: Callable[[Report], Report]) -> str:
    """The stored extract's analysis as page HTML for `audience`, cached like the analysis."""
    return cached(
        "needs-page",
        (extract.pk, audience.value),
        lambda: page_fragment(mark(report(stored_analysis(extract, audience)))),
        AREAS,
    )


def report(analysis: NeedsAnalysis) -> Report:
    return build_report(analysis)


def page_fragment(document: Report) -> str:
    return render_html_fragment(document, heading_level=2)


def render(
    analysis: NeedsAnalysis,
    fmt: str,
    *,
    mark_report: Callable[[Report], Report] = _same,
    mark_json: Callable[[dict], dict] = _same,
) -> bytes:
    """One published analysis in one format."""
    if fmt == "json":
        document = mark_json(to_json(analysis))
        return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return render_document(mark_report(build_report(analysis)), fmt)


def needs_report(
    extract: Path,
    out: Path,
    fmt: str,
    *,
    compare: Path | None = None,
    audience: Audience = Audience.RESTRICTED,
    as_of: date | None = None,
    area: str = "This area",
    compare_area: str = "Comparison area",
) -> Path:
    """Read the extract(s), analyse, publish for `audience` and write one file."""
    if fmt not in FORMATS:
        raise ConfigurationError(f"'{fmt}' is not a report format.", f"Use {', '.join(FORMATS)}.")
    analysis = analyse_extract(
        extract,
        compare=compare,
        audience=audience,
        as_of=as_of,
        area=area,
        compare_area=compare_area,
    )
    return write_document(render(analysis, fmt), out)
