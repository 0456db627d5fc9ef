"""Finding and reading person records, on a need-to-know basis, with every read audited."""

from __future__ import annotations

import re
from datetime import date

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from saferhub.web.access import STAFF_ROLES, allow, forbidden
from saferhub.web.accounts.models import Role
from saferhub.web.audit.log import record
from saferhub.web.people.access import can_see, today, visible_people
from saferhub.web.people.forms import FlagForm, InvolvementForm, PersonForm, SearchForm, ShareForm
from saferhub.web.people.models import Involvement, Person, Share

WRITERS = (Role.PRACTITIONER, Role.COORDINATOR, Role.ADMINISTRATOR)
SEARCH_LIMIT = 50


def _query_filter(text: str) -> Q:
    text = text.strip()
    try:
        return Q(date_of_birth=date.fromisoformat(text))
    except ValueError:
        pass
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return Q(date_of_birth=date(year, month, day))
        except ValueError:
            return Q(pk__in=[])
    query = Q(identifiers__value__iexact=text) | Q(aliases__name__icontains=text)
    words = text.split()
    if len(words) >= 2:
        query |= Q(first_name__icontains=words[0], last_name__icontains=words[-1])
    for word in words[:3]:
        query |= Q(last_name__icontains=word) | Q(first_name__icontains=word)
    return query


@allow(*STAFF_ROLES)
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results, total = None, 0
    if form.is_valid() and form.cleaned_data["q"].strip():
        text = form.cleaned_data["q"]
        matches = visible_people(request.user).filter(_query_filter(text)).distinct()
        total = matches.count()
        results = list(matches.prefetch_related("identifiers")[:SEARCH_LIMIT])
        record(
            request,
            "search",
            summary=f"Searched people for '{text[:80]}'",
            detail={"query": text[:100], "results": total},
        )
    return render(
        request,
        "people/search.html",
        {
            "form": form,
            "results": results,
            "total": total,
            "limit": SEARCH_LIMIT,
            "can_create": request.user.role in WRITERS,
        },
    )


def _person_for(request: HttpRequest, pk: int) -> Person:
    person = get_object_or_404(
        Person.objects.prefetch_related(
            Prefetch("involvements", Involvement.objects.select_related("agency")),
            Prefetch("shares", Share.objects.select_related("agency", "granted_by")),
        ),
        pk=pk,
    )
    if not can_see(request.user, person):
        record(
            request,
            "denied",
            person,
            summary=f"Refused sight of person {pk}: no involvement or share",
        )
        # 404 rather than 403: even the record's existence is need-to-know.
        raise Http404("No such person")
    return person


@allow(*STAFF_ROLES)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for(request, pk)
    record(request, "view", person, summary=f"Viewed the record of {person.full_name}")
    on = today()
    flags = person.flags.select_related("recorded_by")
    context = {
        "person": person,
        "age": person.age(on),
        "current_flags": [f for f in flags if f.in_force(on)],
        "past_flags": [f for f in flags if not f.in_force(on)],
        "identifiers": person.identifiers.select_related("issuer"),
        "aliases": person.aliases.all(),
        "involvements": person.involvements.all(),
        "shares": person.shares.all(),
        "can_write": request.user.role in WRITERS,
        "can_share": request.user.role in (Role.COORDINATOR, Role.ADMINISTRATOR),
    }
    return render(request, "people/detail.html", context)


@allow(*WRITERS)
def create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, today=today())
    if request.method == "POST" and form.is_valid():
        if request.user.agency is None:
            return forbidden(request, "You need an agency to record a person.")
        with transaction.atomic():
            person = form.save()
            # The creating agency is involved from the start, or it could not see its own record.
            person.involvements.create(
                agency=request.user.agency, reason="Recorded the person", start=today()
            )
        messages.success(request, f"{person.full_name} recorded.")
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "title": "Record a new person"})


def _add_child(request, pk, form_class, title, save):
    person = _person_for(request, pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            save(form, person)
        messages.success(request, f"{title} saved for {person.full_name}.")
        return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/form.html",
        {"form": form, "title": f"{title}: {person.full_name}", "person": person},
    )


@allow(*WRITERS)
def add_flag(request: HttpRequest, pk: int) -> HttpResponse:
    def save(form, person):
        flag = form.save(commit=False)
        flag.person, flag.recorded_by = person, request.user.agency
        flag.save()

    return _add_child(request, pk, FlagForm, "Flag", save)


@allow(*WRITERS)
def add_involvement(request: HttpRequest, pk: int) -> HttpResponse:
    def save(form, person):
        involvement = form.save(commit=False)
        involvement.person, involvement.agency = person, request.user.agency
        involvement.save()

    return _add_child(request, pk, InvolvementForm, "Involvement", save)


@allow(Role.COORDINATOR, Role.ADMINISTRATOR)
def add_share(request: HttpRequest, pk: int) -> HttpResponse:
    def save(form, person):
        share = form.save(commit=False)
        share.person, share.granted_by = person, request.user
        share.save()

    return _add_child(request, pk, ShareForm, "Share", save)
