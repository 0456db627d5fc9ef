"""IOM pathways and how a referral can end.

The eight pathways are those of BRIEF.md ("Integrated Offender Management"). A referral
ends achieved, partially achieved, not achieved or withdrawn; until then it is open.

The pathway outcome rate counts achieved **and** partially achieved referrals as positive
outcomes, as a percentage of all referrals made in the period (open and withdrawn ones
included). Seed 004 (8.1.15) defines the rate as "completed programs/positive outcomes as
a % of all referrals made"; a partially achieved outcome is a positive outcome short of
completion, so it counts. The report also shows the achieved-only rate beside it, so a
board can see how much of the rate comes from partial outcomes.
"""

from __future__ import annotations

PATHWAYS: dict[str, str] = {
    "accommodation": "Accommodation",
    "ete": "Employment, training & education",
    "finance": "Finance, benefits & debt",
    "drugs_alcohol": "Drugs & alcohol",
    "mental_health": "Mental health",
    "thinking_behaviour": "Thinking & behaviour",
    "relationships_family": "Relationships & family",
    "lifestyle_associates": "Lifestyle & associates (mentoring)",
}

ACHIEVED = "achieved"
PARTIALLY_ACHIEVED = "partially achieved"
NOT_ACHIEVED = "not achieved"
WITHDRAWN = "withdrawn"
OUTCOMES = (ACHIEVED, PARTIALLY_ACHIEVED, NOT_ACHIEVED, WITHDRAWN)
POSITIVE_OUTCOMES = (ACHIEVED, PARTIALLY_ACHIEVED)


def outcome_rate(referrals: int, positive: int) -> float | None:
    """Positive outcomes as a % of referrals made (None when there were no referrals)."""
    return None if referrals == 0 else 100 * positive / referrals
