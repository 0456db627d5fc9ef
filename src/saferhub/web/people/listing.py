"""Listings that name only people the viewer may see, and audit every one they name.

A page or export that lists people splits its rows with `split`: rows about people the
viewer may see are shown; the rest are only counted, never named or identified. Then it
calls `record_listing` once with the people it showed, so the audit log, searched by
person, finds the listing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from saferhub.web.audit.log import record
from saferhub.web.people.access import visible_people

Row = TypeVar("Row")


@dataclass(frozen=True)
class VisibleRows(Generic[Row]):
    shown: list[Row]
    hidden: int
    person_ids: list[int] = field(default_factory=list)

    @property
    def not_shown_note(self) -> str:
        return not_shown_note(self.hidden)


NO_INVOLVEMENT = "your agency has no current involvement"


def not_shown_note(hidden: int, why: str = NO_INVOLVEMENT) -> str:
    if not hidden:
        return ""
    people = "person" if hidden == 1 else "people"
    return f"{hidden} more {people} not shown: {why}."


def split(user, rows: Iterable[Row], person_of: Callable[[Row], int | None]) -> VisibleRows[Row]:
    """Keep the rows about people `user` may see today; count the others.

    A row whose person is unknown (no record matches) is counted too: the row itself may
    carry identifiers of someone the partnership holds no record of.
    """
    rows = list(rows)
    wanted = {pk for pk in (person_of(r) for r in rows) if pk is not None}
    seen = set(visible_people(user).filter(pk__in=wanted).values_list("pk", flat=True))
    shown = [r for r in rows if person_of(r) in seen]
    ids = sorted({person_of(r) for r in shown})
    return VisibleRows(shown, len(rows) - len(shown), ids)


def record_listing(
    request,
    *,
    summary: str,
    person_ids: Iterable[int],
    hidden: int = 0,
    action: str = "view",
    detail: dict | None = None,
):
    """One audit event for a page or export that listed people, naming each one shown."""
    ids = sorted(set(person_ids))
    return record(
        request,
        action,
        summary=summary,
        detail={**(detail or {}), "shown": len(ids), "not_shown": hidden},
        person_ids=ids,
    )
