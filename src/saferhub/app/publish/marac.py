"""The DA MARAC quarter statistics as an audience may see them."""

from __future__ import annotations

from saferhub.measures.marac import MaracStatistics
from saferhub.measures.published import Published
from saferhub.rules.disclosure import (
    Audience,
    is_hidden,
    protect_table,
    withheld_from,
)

# Counts that split the quarter's cases heard in two (this group, and the rest).
MARAC_SPLITS = (
    "repeat_cases",
    "families_with_children",
    "male",
    "lgbt",
    "disabled",
    "minoritised",
    "aged_16_17",
    "perpetrator_under_18",
    "police_referrals",
    "partner_referrals",
)


def marac(stats: MaracStatistics, audience: Audience) -> Published[MaracStatistics]:
    """The MARAC quarterly statistics as `audience` may see them.

    Each count of cases with a characteristic is published with the quarter's cases heard,
    so it and the rest of the cases form a list with its total: if either is 1 to 4, both
    are hidden. A quarter with 1 to 4 cases heard hides every figure of that quarter.
    Children counts stand alone (hidden when 1 to 4). Percentages and rates follow their
    counts.
    """
    hidden: dict[tuple[str, str], int] = {}
    if audience.suppresses:
        for q in stats.quarters:
            key = q.quarter.key
            if 1 <= q.cases_heard <= 4:
                for name in ("cases_heard", "children", *MARAC_SPLITS):
                    hidden[(key, name)] = getattr(q, name)
                continue
            if 1 <= q.children <= 4:
                hidden[(key, "children")] = q.children
            for name in MARAC_SPLITS:
                count = getattr(q, name)
                shown = protect_table([[count, max(q.cases_heard - count, 0)]], audience)[0]
                if is_hidden(shown[0]):
                    hidden[(key, name)] = count
    return Published(stats, audience, withheld_from(hidden))
