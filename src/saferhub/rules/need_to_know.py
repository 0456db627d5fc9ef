"""Who may see a person's record: need-to-know by agency.

A user sees a person only while their agency is involved with that person (an approved
involvement in force), or while an explicit, time-limited share to their agency is in
force. Administrators see everyone (they run the system and answer subject access
requests). The database query in `web.people.access` applies the same rule; a test keeps
the two in step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class Span:
    """An agency's link to a person over time: an involvement or a share."""

    agency_id: int
    start: date
    end: date | None  # None: open-ended (programme and own-record involvements only)
    # A requested involvement gives no sight until a coordinator of its agency approves it.
    approved: bool = True

    def in_force(self, today: date) -> bool:
        return self.approved and self.start <= today and (self.end is None or today <= self.end)


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


# --- Involvements asked for by hand ---------------------------------------------------------

# Why an agency may ask to be involved. A fixed list, so a request can be reviewed against
# a stated basis and "because I could see it" is never one.
INVOLVEMENT_REASONS: tuple[tuple[str, str], ...] = (
    ("case_managed", "The agency manages the person's case or sentence"),
    ("safeguarding", "Safeguarding enquiry or plan"),
    ("referral", "Referral received by the agency"),
    ("support", "The agency provides support or a service to the person"),
    ("risk_assessment", "Risk assessment or multi-agency risk management"),
)
REASON_CODES = frozenset(code for code, _ in INVOLVEMENT_REASONS)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has fewer days."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("every month has 28 days")  # pragma: no cover


@dataclass(frozen=True, slots=True)
class Problem:
    """A field a person filled in, and what they should do about it."""

    field: str
    message: str


def involvement_problems(
    *,
    reason: str,
    start: date | None,
    end: date | None,
    today: date,
    date_of_birth: date | None,
    max_months: int,
) -> list[Problem]:
    """Why a requested involvement is not allowed; empty when it is.

    An involvement gives sight of the whole record, so it needs a stated basis, cannot be
    back- or forward-dated to widen what it covers, and always ends.
    """
    problems = []
    if reason not in REASON_CODES:
        problems.append(Problem("reason", "Choose the reason your agency is involved."))
    if start is None:
        problems.append(Problem("start", "Give the date the involvement starts."))
    elif start > today:
        problems.append(
            Problem("start", "The start date cannot be in the future; ask again on the day.")
        )
    elif date_of_birth is not None and start < date_of_birth:
        problems.append(
            Problem("start", "The start date cannot be before the person's date of birth.")
        )
    if end is None:
        problems.append(Problem("end", "Give the date the involvement ends."))
    elif start is not None:
        if end < start:
            problems.append(Problem("end", "The end date must be on or after the start date."))
        elif end > add_months(start, max_months):
            problems.append(
                Problem(
                    "end",
                    f"An involvement can last at most {max_months} months from its start; "
                    "ask again before it ends.",
                )
            )
    return problems


def may_decide_request(*, role: str, agency_id: int | None, request_agency_id: int) -> bool:
    """Only a coordinator of the requesting agency approves or refuses its request.

    Administrators run the system but do not vouch for another agency's work, so they may
    end a grant early but not approve one.
    """
    return role == "coordinator" and agency_id is not None and agency_id == request_agency_id


def may_end_early(
    *, is_administrator: bool, role: str, agency_id: int | None, granting: int | None
) -> bool:
    """A grant is ended early by an administrator or a coordinator of the agency that gave it."""
    if is_administrator:
        return True
    return role == "coordinator" and agency_id is not None and agency_id == granting


def programme_sight_ends(ended_on: date, grace_days: int) -> date:
    """The last day a programme's agencies see someone after the spell or case ends.

    The grace lets agencies finish the work the programme handed them (closing letters,
    last actions) without keeping the record open for good.
    """
    return ended_on + timedelta(days=grace_days)
