"""Coordinators' review of possible duplicate people: list, compare, merge or dismiss, undo.

Every page shows only people the viewer may see: a pair is listed only when both are
visible, and a pair or merge about anyone else answers "not found".
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from saferhub.web.access import allow
from saferhub.web.accounts.models import Role
from saferhub.web.audit.log import record
from saferhub.web.people.access import visible_people
from saferhub.web.people.duplicates import ReviewRefused, dismiss, open_candidates_for
from saferhub.web.people.linkage_models import CandidateStatus, DuplicateCandidate, PersonMerge
from saferhub.web.people.listing import record_listing
from saferhub.web.people.merge import MergeRefused, merge_candidate, undo_merge
from saferhub.web.people.models import Person

REVIEWERS = (Role.COORDINATOR, Role.ADMINISTRATOR)


def _candidate_for(request: HttpRequest, pk: int) -> DuplicateCandidate:
    candidate = get_object_or_404(DuplicateCandidate, pk=pk, status=CandidateStatus.OPEN)
    visible = visible_people(request.user).filter(pk__in=[candidate.left_id, candidate.right_id])
    if visible.count() != 2:
        raise Http404("No such pair")
    return candidate


def _pairs_not_shown(hidden: int) -> str:
    if not hidden:
        return ""
    pairs = "pair" if hidden == 1 else "pairs"
    return f"{hidden} more {pairs} not shown: your agency cannot see both people."


@allow(*REVIEWERS)
def duplicate_list(request: HttpRequest) -> HttpResponse:
    candidates, hidden = open_candidates_for(request.user)
    ids = [pk for c in candidates for pk in (c.left_id, c.right_id)]
    record_listing(
        request, summary="Listed possible duplicate people", person_ids=ids, hidden=hidden
    )
    return render(
        request,
        "people/duplicates/list.html",
        {"candidates": candidates, "not_shown": _pairs_not_shown(hidden)},
    )


def _side(person: Person) -> dict:
    return {
        "person": person,
        "aliases": [a.name for a in person.aliases.all()],
        "identifiers": [str(i) for i in person.identifiers.all()],
        "flags": [str(f) for f in person.flags.all()],
        "agencies": sorted({str(i.agency) for i in person.involvements.all()}),
    }


@allow(*REVIEWERS)
def duplicate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate_for(request, pk)
    people = Person.objects.prefetch_related(
        "aliases", "identifiers", "flags", "involvements__agency"
    ).in_bulk([candidate.left_id, candidate.right_id])
    record(
        request,
        "view",
        candidate,
        summary="Compared two possible duplicate people",
        person_ids=list(people),
    )
    return render(
        request,
        "people/duplicates/detail.html",
        {
            "candidate": candidate,
            "left": _side(people[candidate.left_id]),
            "right": _side(people[candidate.right_id]),
            "errors": [],
        },
    )


@allow(*REVIEWERS)
@require_POST
def merge_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate_for(request, pk)
    try:
        keep = int(request.POST.get("keep", ""))
    except ValueError:
        keep = 0
    try:
        merge = merge_candidate(
            candidate=candidate,
            keep=keep,
            reason=request.POST.get("reason", ""),
            user=request.user,
            request=request,
        )
    except MergeRefused as error:
        messages.error(request, error.message)
        return redirect("people:duplicate", pk=candidate.pk)
    messages.success(
        request, f"Merged. Everything about person {merge.merged_id} is now on this record."
    )
    return redirect("people:detail", pk=merge.kept_id)


@allow(*REVIEWERS)
@require_POST
def dismiss_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate_for(request, pk)
    try:
        dismiss(
            candidate=candidate,
            reason=request.POST.get("reason", ""),
            user=request.user,
            request=request,
        )
    except ReviewRefused as error:
        messages.error(request, error.message)
        return redirect("people:duplicate", pk=candidate.pk)
    messages.success(request, "Marked as two different people. The pair will not be offered again.")
    return redirect("people:duplicates")


def _merges_for(user):
    visible = visible_people(user).values("pk")
    return PersonMerge.objects.filter(Q(kept_id__in=visible))


@allow(*REVIEWERS)
def merge_list(request: HttpRequest) -> HttpResponse:
    merges = list(_merges_for(request.user)[:200])
    record_listing(
        request,
        summary="Listed merges of people",
        person_ids=[pk for m in merges for pk in (m.kept_id, m.merged_id)],
    )
    return render(request, "people/duplicates/merges.html", {"merges": merges})


@allow(*REVIEWERS)
@require_POST
def undo_person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    merge = get_object_or_404(_merges_for(request.user), pk=pk)
    try:
        person = undo_merge(
            merge=merge, reason=request.POST.get("reason", ""), user=request.user, request=request
        )
    except MergeRefused as error:
        messages.error(request, error.message)
        return redirect("people:merges")
    messages.success(request, f"Merge undone: person {person.pk} is a separate record again.")
    return redirect("people:merges")
