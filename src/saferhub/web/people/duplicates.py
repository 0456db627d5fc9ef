"""Finding duplicate people in the database: the people table, the matcher, the review list.

The matcher (`saferhub.linkage.people`) knows nothing of Django; this module builds its
table from the database and stores what it finds as `DuplicateCandidate` rows, which a
coordinator reviews. A pair a coordinator has dismissed stays dismissed when found again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from saferhub.errors import SaferHubError
from saferhub.linkage.people import (
    DEFAULT_THRESHOLD,
    PersonRecord,
    ScoredPair,
    find_duplicates,
    match_incoming,
)
from saferhub.rules.marac import DuplicateCandidate as MaracCandidate
from saferhub.web.audit.log import record
from saferhub.web.people.linkage_models import CandidateStatus, DuplicateCandidate
from saferhub.web.people.models import Alias, Identifier, Person


class ReviewRefused(SaferHubError):
    """A review decision that cannot be made (already decided, or no reason given)."""


def people_records(people: Iterable[Person] | None = None) -> list[PersonRecord]:
    """The matcher's table: every person (or those given), with aliases and identifiers.

    Three queries whatever the number of people, so it scales to a whole partnership.
    """
    rows = (
        Person.objects.values_list("pk", "first_name", "last_name", "date_of_birth")
        if people is None
        else [(p.pk, p.first_name, p.last_name, p.date_of_birth) for p in people]
    )
    rows = list(rows)
    wanted = None if people is None else [r[0] for r in rows]
    aliases: dict[int, list[str]] = defaultdict(list)
    alias_rows = Alias.objects.values_list("person_id", "name")
    ident_rows = Identifier.objects.values_list("person_id", "kind", "value")
    if wanted is not None:
        alias_rows = alias_rows.filter(person_id__in=wanted)
        ident_rows = ident_rows.filter(person_id__in=wanted)
    for person_id, name in alias_rows:
        aliases[person_id].append(name)
    identifiers: dict[int, list[str]] = defaultdict(list)
    for person_id, kind, value in ident_rows:
        # Local numbers are only unique within their issuer, but the kind alone is enough
        # to stop a CRN matching a PNC ID of the same characters.
        identifiers[person_id].append(f"{kind}:{value}")
    return [
        PersonRecord(
            id=pk,
            first_name=first,
            last_name=last,
            date_of_birth=dob,
            aliases=tuple(aliases.get(pk, ())),
            identifiers=tuple(identifiers.get(pk, ())),
        )
        for pk, first, last, dob in rows
    ]


def scored_pairs(threshold: float = DEFAULT_THRESHOLD) -> list[ScoredPair]:
    """Every pair of people in the database scoring at or above `threshold`, ids as ints."""
    pairs = find_duplicates(people_records(), threshold=threshold)
    ordered = []
    for p in pairs:
        a, b = sorted((int(p.left_id), int(p.right_id)))
        ordered.append(ScoredPair(a, b, p.match_weight, p.match_probability))
    return ordered


@dataclass(frozen=True)
class Refresh:
    found: int
    new: int
    closed: int


def refresh_candidates(
    *,
    threshold: float = DEFAULT_THRESHOLD,
    request=None,
    pairs: list[ScoredPair] | None = None,
) -> Refresh:
    """Run the matcher over everyone and bring the open candidates up to date.

    Pairs no longer scoring at the threshold are removed from the open list; decided pairs
    (merged or dismissed) are kept as they are. `pairs` saves a second run of the matcher
    when the caller has just scored them.
    """
    if pairs is None:
        pairs = scored_pairs(threshold)
    with transaction.atomic():
        existing = {(c.left_id, c.right_id): c for c in DuplicateCandidate.objects.all()}
        found = {(p.left_id, p.right_id): p for p in pairs}
        new = [
            DuplicateCandidate(left_id=a, right_id=b, match_weight=p.match_weight)
            for (a, b), p in found.items()
            if (a, b) not in existing
        ]
        DuplicateCandidate.objects.bulk_create(new, batch_size=2000)
        updated = []
        for key, candidate in existing.items():
            if key in found and candidate.status == CandidateStatus.OPEN:
                candidate.match_weight = found[key].match_weight
                updated.append(candidate)
        DuplicateCandidate.objects.bulk_update(updated, ["match_weight"], batch_size=2000)
        stale = [
            c.pk
            for key, c in existing.items()
            if key not in found and c.status == CandidateStatus.OPEN
        ]
        DuplicateCandidate.objects.filter(pk__in=stale).delete()
        record(
            request,
            "search",
            summary="Looked for duplicate people",
            detail={"threshold": threshold, "found": len(found), "new": len(new)},
        )
    return Refresh(found=len(found), new=len(new), closed=len(stale))


def open_candidates_for(user) -> tuple[list[DuplicateCandidate], int]:
    """Open pairs where the viewer may see both people, and how many others are not shown."""
    from saferhub.web.people.access import visible_people

    candidates = list(
        DuplicateCandidate.objects.filter(status=CandidateStatus.OPEN).select_related(
            "left", "right"
        )
    )
    ids = {c.left_id for c in candidates} | {c.right_id for c in candidates}
    seen = set(visible_people(user).filter(pk__in=ids).values_list("pk", flat=True))
    shown = [c for c in candidates if c.left_id in seen and c.right_id in seen]
    return shown, len(candidates) - len(shown)


def dismiss(*, candidate: DuplicateCandidate, reason: str, user, request=None) -> None:
    """Record that the two people are not the same; the pair is not offered again."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewRefused("Give a reason why these are not the same person.")
    with transaction.atomic():
        locked = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
        if locked.status != CandidateStatus.OPEN:
            raise ReviewRefused("This pair has already been reviewed.")
        locked.status = CandidateStatus.DISMISSED
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.reason = reason[:500]
        locked.save()
        record(
            request,
            "update",
            locked,
            summary="Marked two people as not the same person",
            detail={"reason": reason[:500]},
            person_ids=[locked.left_id, locked.right_id],
        )


def referral_matches(
    pool: Iterable[Person], first: str, last: str, dob: date | None
) -> list[MaracCandidate]:
    """Existing people who may be the person being entered on a referral, best first.

    The MARAC rule's candidates (with their plain reasons) together with those the
    partnership's matcher finds among the same people: an alias, an identifier, or a
    typo in the date of birth that the rule does not look for. Ordered by match weight.
    """
    from saferhub.rules.marac import PersonDetails, possible_duplicates

    pool = list(pool)
    details = [PersonDetails(str(p.pk), p.first_name, p.last_name, p.date_of_birth) for p in pool]
    by_rule = possible_duplicates(PersonDetails(None, first, last, dob), details)
    new = PersonRecord(id="new", first_name=first, last_name=last, date_of_birth=dob)
    scored = match_incoming(people_records(pool), [new]) if pool else []
    weights = {str(p.left_id): p for p in scored}
    found = {c.person_id: c for c in by_rule}
    for person_id, pair in weights.items():
        if person_id not in found:
            found[person_id] = MaracCandidate(
                person_id,
                f"name and date of birth alike (match weight {pair.match_weight:.1f})",
                round(pair.match_probability, 3),
            )
    rule_order = {c.person_id: i for i, c in enumerate(by_rule)}
    return sorted(
        found.values(),
        key=lambda c: (
            -(weights[c.person_id].match_weight if c.person_id in weights else float("-inf")),
            rule_order.get(c.person_id, len(rule_order)),
            c.person_id,
        ),
    )
