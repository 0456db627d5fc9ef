"""The crime performance dashboard as an audience may see it."""

from __future__ import annotations

from saferhub.measures.catalogue import MeasureDefinition
from saferhub.measures.crime_dashboard import CrimeDashboard, MeasureResult
from saferhub.measures.crime_disclosed import WINDOW_FIELDS, Disclosure, window_values
from saferhub.measures.published import Published
from saferhub.rules.disclosure import (
    Audience,
    suppress_counts,
)

CRIME_LOW, CRIME_HIGH = 1, 4


def _crime_small(value: float | None) -> bool:
    return value is not None and CRIME_LOW <= value <= CRIME_HIGH


def crime(dashboard: CrimeDashboard, audience: Audience) -> Published[CrimeDashboard]:
    """The crime dashboard as `audience` may see it (see `_crime_hidden`)."""
    return Published(dashboard, audience, _crime_hidden(dashboard, audience.suppresses))


def _crime_hidden(dashboard: CrimeDashboard, public: bool) -> Disclosure:
    """What a public version must hide; nothing for other audiences.

    Which published figures to hide, worked out once so the tables, sentences, charts and
    JSON all hide the same ones (rules in `saferhub.rules.disclosure`):

    - primary: every count from 1 to 4 (a window volume, a peer borough's volume, a month);
    - secondary, between measures: where one measure is the total of others (Burglary is
      Residential Burglary plus Burglary Business and Community), each window's parts are
      treated as a list published with its total, so one hidden part is never the total
      minus the visible ones;
    - secondary, within a measure: window volumes are sums of months, so if any of the 24
      months shown would be hidden, the monthly figures (trend chart and table, the counts
      beside exception flags) are withheld for that measure and only the totals are shown;
    - derived figures follow their counts: a % change or a rate from a hidden count is hidden.
    """
    if not public:
        return Disclosure(False, {})
    results: list[MeasureResult] = [r for group in dashboard.peer_results.values() for r in group]
    own = {(r.measure.key, r.area) for r in results}
    results += [r for r in dashboard.results if (r.measure.key, r.area) not in own]
    hidden: dict[tuple[str, str], set[str]] = {}
    for result in results:
        fields = {name for name, value in window_values(result).items() if _crime_small(value)}
        if any(_crime_small(value) for _, value in result.monthly):
            fields.add("monthly")
        hidden[(result.measure.key, result.area)] = fields
    by_key: dict[tuple[str, str], MeasureResult] = {(r.measure.key, r.area): r for r in results}
    for total, parts in _totals_and_parts(dashboard.catalogue.measures).items():
        for area in {r.area for r in results}:
            if (total, area) not in by_key:
                continue
            present = [p for p in parts if (p, area) in by_key]
            for name in WINDOW_FIELDS:
                values = [window_values(by_key[(p, area)])[name] for p in present]
                if None in values:
                    continue
                mask = suppress_counts([int(v) for v in values], CRIME_LOW, CRIME_HIGH)  # type: ignore[arg-type]
                for part, hide in zip(present, mask, strict=True):
                    if hide:
                        hidden[(part, area)].add(name)
    for fields in hidden.values():
        if "rolling" in fields:
            fields.add("rate")
    return Disclosure(True, {key: frozenset(value) for key, value in hidden.items()})


def _totals_and_parts(measures: tuple[MeasureDefinition, ...]) -> dict[str, list[str]]:
    """MPS measures that count a whole major category, with the measures that count only
    minor categories of it (their parts)."""
    totals = {
        m.categories[0].major: m.key
        for m in measures
        if m.source == "mps" and len(m.categories) == 1 and m.categories[0].minor is None
    }
    parts: dict[str, list[str]] = {}
    for m in measures:
        if m.source != "mps" or m.key in totals.values():
            continue
        majors = {c.major for c in m.categories}
        if len(majors) == 1 and all(c.minor for c in m.categories):
            major = majors.pop()
            if major in totals:
                parts.setdefault(totals[major], []).append(m.key)
    return parts
