"""The other panels (CS MARAC, Adults at Risk, SIRM) and ASB statistics as an audience
may see them."""

from __future__ import annotations

from dataclasses import replace

from saferhub.measures.asb import ROW_LABELS as ASB_ROW_LABELS
from saferhub.measures.asb import TOOL_SERIES_NAMES, AsbStatistics
from saferhub.measures.asb import PublishedRow as AsbRow
from saferhub.measures.asb import PublishedStatistics as AsbPublished
from saferhub.measures.panels import PanelStatistics
from saferhub.rules.disclosure import (
    SUPPRESSED,
    Audience,
    apply,
    marker_for,
    suppress_counts,
)


def panel(stats: PanelStatistics, audience: Audience) -> PanelStatistics:
    """One panel's quarterly statistics as `audience` may see them.

    Restricted and partnership: every count. Public: counts of 1 to 4 shown as "<5", each
    measure's row of quarters treated as one list published with its total (so a second
    cell is hidden where one alone could be worked out), and the median hidden wherever
    fewer than 5 reviews stand behind it.
    """
    if not audience.suppresses:
        return replace(stats, audience=audience.value)
    if stats.audience == Audience.PUBLIC.value:
        return stats
    counts: dict[str, list[object]] = {}
    for key, values in stats.counts.items():
        counts[key] = apply([values], [suppress_counts(values)])[0]
    medians = [
        m if m is None or n >= 5 else SUPPRESSED
        for m, n in zip(stats.median_days_to_review, stats.reviews_done, strict=True)
    ]
    return PanelStatistics(
        stats.panel,
        stats.quarters,
        counts,  # type: ignore[arg-type]
        medians,  # type: ignore[arg-type]
        stats.labels,
        [],
        audience=Audience.PUBLIC.value,
    )


def _small(value: int) -> bool:
    return 1 <= value <= 4


def asb(stats: AsbStatistics, audience: Audience) -> AsbPublished:
    """The ASB statistics as `audience` may see them.

    Public: counts of 1 to 4 hidden; threshold met and not met are published with their
    total (the requests), and tools by type with theirs, so a second cell is hidden where
    one alone could be worked out; a median of 1 to 4 reviews is hidden too, as it
    describes so few people. Other audiences see every count.
    """
    public = audience.suppresses
    columns: dict[str, list[object]] = {key: [] for key in ASB_ROW_LABELS}
    for q in stats.quarters:
        single = {
            "cases_opened": q.cases_opened,
            "incidents": q.incidents,
            "reviews_requested": q.reviews_requested,
            "reviews_completed": q.reviews_completed,
        }
        for key, value in single.items():
            columns[key].append(SUPPRESSED if public and _small(value) else value)
        pair = [q.reviews_met, q.reviews_not_met]
        hidden = suppress_counts(pair) if public else [False, False]
        # "<5" only where it is true and gives nothing away; otherwise "[c]" (rules.disclosure).
        marker = marker_for([pair], [hidden])
        for key, value, hide in zip(("reviews_met", "reviews_not_met"), pair, hidden, strict=True):
            columns[key].append(marker if hide else value)
        median_days = q.median_working_days
        if median_days is not None and public and _small(q.reviews_completed):
            columns["median_working_days"].append(SUPPRESSED)
        else:
            columns["median_working_days"].append(median_days)
        counts = [q.tools[kind] for kind in TOOL_SERIES_NAMES]
        hidden = suppress_counts(counts) if public else [False] * len(counts)
        marker = marker_for([counts], [hidden])
        for kind, value, hide in zip(TOOL_SERIES_NAMES, counts, hidden, strict=True):
            columns[f"tool:{kind}"].append(marker if hide else value)
        total = q.tools_total
        columns["tools_total"].append(SUPPRESSED if public and _small(total) else total)
    return AsbPublished(
        audience.value,
        tuple(q.quarter.label for q in stats.quarters),
        tuple(AsbRow(key, ASB_ROW_LABELS[key], tuple(values)) for key, values in columns.items()),
    )
