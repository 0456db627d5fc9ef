"""Merging two records of the same person, and undoing a merge with nothing lost.

A merge moves every row that points at the removed person (identifiers, aliases, flags,
involvements, shares, and every foreign key to Person in any app, found from the model
metadata so a new model is carried without changing this module) onto the kept person,
then removes the now-empty record. `PersonMerge` keeps the removed record as it was and
the list of rows moved, so an undo puts each back exactly.
"""

from __future__ import annotations

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from saferhub.errors import SaferHubError
from saferhub.web.audit.log import record
from saferhub.web.people.linkage_models import CandidateStatus, DuplicateCandidate, PersonMerge
from saferhub.web.people.models import Person

# Rows about the pair itself, not about the person: never carried by a merge.
_NOT_CARRIED = {DuplicateCandidate}


class MergeRefused(SaferHubError):
    """A merge or undo that cannot be done; nothing was changed."""


def person_links() -> list[models.ForeignKey]:
    """Every foreign key to Person, in any app, including those with no reverse name."""
    links = []
    for rel in Person._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete):
            continue
        if rel.many_to_many:
            # No model links to Person many-to-many; one that does must be handled here.
            raise NotImplementedError(f"{rel.related_model._meta.label} links many-to-many")
        if rel.related_model in _NOT_CARRIED:
            continue
        links.append(rel.field)
    return links


def _snapshot(person: Person) -> dict[str, str | None]:
    # Each field as its own full-precision text (Django's JSON serialiser would round
    # times to the millisecond, and an undo must give back exactly what was there).
    return {
        f.attname: None if f.value_from_object(person) is None else f.value_to_string(person)
        for f in Person._meta.concrete_fields
    }


def _restore(snapshot: dict[str, str | None]) -> Person:
    values = {
        f.attname: f.to_python(snapshot[f.attname])
        for f in Person._meta.concrete_fields
        if f.attname in snapshot
    }
    person = Person(**values)
    # A raw save keeps the stored timestamps and version, and the audit of the undo
    # records the restoration explicitly.
    person.save_base(raw=True, force_insert=True)
    return person


def merge_people(
    *,
    kept: Person,
    merged: Person,
    reason: str,
    user,
    request=None,
    match_weight: float | None = None,
) -> PersonMerge:
    """Move everything about `merged` onto `kept`, remove `merged`, and audit it."""
    reason = (reason or "").strip()
    if not reason:
        raise MergeRefused("Give a reason for the merge: how you know they are one person.")
    if kept.pk == merged.pk:
        raise MergeRefused("A person cannot be merged with themselves.")
    try:
        with transaction.atomic():
            people = {
                p.pk: p
                for p in Person.objects.select_for_update().filter(pk__in=[kept.pk, merged.pk])
            }
            if len(people) != 2:
                raise MergeRefused("One of these people has already been merged or removed.")
            merged = people[merged.pk]
            snapshot = _snapshot(merged)
            moved: list[list] = []
            for field in person_links():
                model = field.model
                rows = model._base_manager.filter(**{field.name: merged.pk})
                pks = list(rows.values_list("pk", flat=True))
                if pks:
                    model._base_manager.filter(pk__in=pks).update(**{field.attname: kept.pk})
                    moved.extend([model._meta.label, pk, field.name] for pk in pks)
            DuplicateCandidate.objects.filter(
                models.Q(left_id=merged.pk) | models.Q(right_id=merged.pk)
            ).delete()
            merged_id = merged.pk
            merged.delete()
            merge = PersonMerge.objects.create(
                kept_id=kept.pk,
                merged_id=merged_id,
                reason=reason[:500],
                merged_record=snapshot,
                moved=moved,
                match_weight=match_weight,
                merged_by=user if getattr(user, "is_authenticated", False) else None,
            )
            record(
                request,
                "update",
                merge,
                person_id=kept.pk,
                summary=f"Merged person {merged_id} into person {kept.pk}",
                detail={"merge": merge.pk, "reason": reason[:500], "rows_moved": len(moved)},
                person_ids=[kept.pk, merged_id],
            )
    except IntegrityError:
        raise MergeRefused(
            "These two records cannot be merged: both are recorded in the same place "
            "(for example as perpetrators on the same MARAC case). Remove one entry first."
        ) from None
    return merge


def undo_merge(*, merge: PersonMerge, reason: str, user, request=None) -> Person:
    """Restore the removed person exactly and move back every row the merge moved."""
    reason = (reason or "").strip()
    if not reason:
        raise MergeRefused("Give a reason for undoing the merge.")
    with transaction.atomic():
        merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
        if merge.undone:
            raise MergeRefused("This merge has already been undone.")
        if Person.objects.filter(pk=merge.merged_id).exists():
            raise MergeRefused("The merged person's record already exists again.")
        if not Person.objects.filter(pk=merge.kept_id).exists():
            raise MergeRefused("The kept person's record has since been removed.")
        _restore(merge.merged_record)
        by_model: dict[tuple[str, str], list] = {}
        for label, pk, field_name in merge.moved:
            by_model.setdefault((label, field_name), []).append(pk)
        moved_back = 0
        from django.apps import apps

        for (label, field_name), pks in by_model.items():
            model = apps.get_model(label)
            attname = model._meta.get_field(field_name).attname
            # Rows since removed (retention) are simply not there to move back.
            moved_back += model._base_manager.filter(pk__in=pks, **{attname: merge.kept_id}).update(
                **{attname: merge.merged_id}
            )
        merge.undone_at = timezone.now()
        merge.undone_by = user if getattr(user, "is_authenticated", False) else None
        merge.undo_reason = reason[:500]
        merge.save()
        record(
            request,
            "update",
            merge,
            person_id=merge.merged_id,
            summary=f"Undid the merge of person {merge.merged_id} into person {merge.kept_id}",
            detail={"merge": merge.pk, "reason": reason[:500], "rows_moved_back": moved_back},
            person_ids=[merge.kept_id, merge.merged_id],
        )
    return Person.objects.get(pk=merge.merged_id)


def merge_candidate(
    *, candidate: DuplicateCandidate, keep: int, reason: str, user, request=None
) -> PersonMerge:
    """Merge a reviewed pair, keeping the person with id `keep`."""
    if keep not in (candidate.left_id, candidate.right_id):
        raise MergeRefused("Choose which of the two records to keep.")
    if candidate.status != CandidateStatus.OPEN:
        raise MergeRefused("This pair has already been reviewed.")
    other = candidate.right_id if keep == candidate.left_id else candidate.left_id
    return merge_people(
        kept=Person.objects.get(pk=keep),
        merged=Person.objects.get(pk=other),
        reason=reason,
        user=user,
        request=request,
        match_weight=candidate.match_weight,
    )
