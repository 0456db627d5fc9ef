"""Who may see a person's record: need-to-know by agency.

A user sees a person only while their agency is involved with that person, or while an
explicit, time-limited share to their agency is in force. Administrators see everyone
(they run the system and answer subject access requests). The database query in
`web.people.access` applies the same rule; a test keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Span:
    """An agency's link to a person over time: an involvement or a share."""

    agency_id: int
    start: date
    end: date | None  # None: open-ended (involvements only; shares always expire)

    def in_force(self, today: date) -> bool:
        return self.start <= today and (self.end is None or today <= self.end)


def may_see(
    *,
    is_administrator: bool,
    agency_id: int | None,
    involvements: Iterable[Span],
    shares: Iterable[Span],
    today: date,
) -> bool:
    """True when the viewer's agency has a current involvement or share, or they are an admin."""
    if is_administrator:
        return True
    if agency_id is None:
        return False
    return any(s.agency_id == agency_id and s.in_force(today) for s in (*involvements, *shares))


MAX_SHARE_DAYS = 90


def share_problem(start: date, end: date | None, reason: str) -> str | None:
    """Why a proposed share is not allowed, or None. Shares must be explained and time-limited."""
    if not reason.strip():
        return "Give the reason for sharing this record."
    if end is None:
        return "Give the date the share ends."
    if end < start:
        return "The end date must be on or after the start date."
    if (end - start).days > MAX_SHARE_DAYS:
        return f"A share can last at most {MAX_SHARE_DAYS} days; ask again when it ends."
    return None
