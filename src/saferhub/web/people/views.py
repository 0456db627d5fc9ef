"""Finding and reading person records, on a need-to-know basis, with every read audited."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from saferhub.rules.need_to_know import may_end_early
from saferhub.web.access import STAFF_ROLES, allow, forbidden
from saferhub.web.accounts.models import Role
from saferhub.web.audit.log import record
from saferhub.web.people import edits, grants, notes
from saferhub.web.people import search as person_search
from saferhub.web.people.access import can_see, today, visible_people
from saferhub.web.people.forms import (
    FlagForm,
    InvolvementForm,
    NoteForm,
    PersonForm,
    SearchForm,
    ShareForm,
)
from saferhub.web.people.listing import record_listing, split
from saferhub.web.people.loading import load_person
from saferhub.web.people.models import (
    Involvement,
    InvolvementStatus,
    Person,
    Share,
)
from saferhub.web.people.picture import picture_of
from saferhub.web.tables import Sorting, paginate

WRITERS = (Role.PRACTITIONER, Role.COORDINATOR, Role.ADMINISTRATOR)
# The columns the results sort by; "best match" is the database's ranking (people/search.py).
SEARCH_SORTS = {
    "match": ("rank", "last_name", "first_name"),
    "name": ("last_name", "first_name"),
    "born": ("date_of_birth", "last_name"),
}


@allow(*STAFF_ROLES)
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results, total, query = None, 0, None
    sorting = Sorting.from_request(request, SEARCH_SORTS, "match")
    if form.is_valid() and form.cleaned_data["q"].strip():
        text = form.cleaned_data["q"]
        query = person_search.parse(text)
        matches = person_search.find(visible_people(request.user), query)
        results = paginate(request, sorting.apply(matches).prefetch_related("identifiers"))
        total = results.paginator.count
        # Only people the user may see are matched at all, so nothing is left to count: a
        # count of hidden matches would confirm to anyone that a named record exists.
        record(
            request,
            "search",
            summary=f"Searched people for '{text[:80]}'",
            detail={"query": text[:100], "results": total},
            person_ids=[p.pk for p in results],
        )
    return render(
        request,
        "people/search.html",
        {
            "form": form,
            "results": results,
            "total": total,
            "sorting": sorting,
            "unreadable_date": bool(query and query.unreadable_date),
            "can_create": request.user.role in WRITERS,
            "waiting": Involvement.objects.filter(
                agency_id=request.user.agency_id, status=InvolvementStatus.REQUESTED
            ).count()
            if request.user.role == Role.COORDINATOR
            else None,
        },
    )


def _person_for(request: HttpRequest, pk: int, *, whole: bool = False, holds: bool = False):
    """The person, if this user may see them (see `loading.load_person` for what comes with
    them); otherwise the refusal is audited and the page is a 404."""
    person = load_person(pk, whole=whole, holds=holds)
    if person is None:
        raise Http404("No such person")
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


def _chosen_agency(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@allow(*STAFF_ROLES)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    can_hold = request.user.role == Role.ADMINISTRATOR
    person = _person_for(request, pk, whole=True, holds=can_hold)
    on = today()
    whole = picture_of(person, request.user, on)
    programme = request.GET.get("programme", "")
    if programme not in {code for code, _ in whole.programmes}:
        programme = ""
    agency = _chosen_agency(request.GET.get("agency"))
    if agency not in {pk for pk, _ in whole.agencies}:
        agency = None
    events = whole.filtered(programme, agency)
    # One event for the page, naming the person and every related person it shows.
    record(
        request,
        "view",
        person,
        summary=f"Viewed the record of {person.full_name}",
        detail={"events": len(events), "related": len(whole.related)},
        person_ids=[person.pk, *whole.related_ids],
    )
    flags = list(person.flags.all())
    context = {
        "person": person,
        "age": person.age(on),
        "current_flags": [f for f in flags if f.in_force(on)],
        "past_flags": [f for f in flags if not f.in_force(on)],
        "identifiers": person.identifiers.all(),
        "aliases": person.aliases.all(),
        "involvements": [
            (i, _may_end(request.user, i.agency_id) and (i.end is None or i.end >= on))
            for i in person.involvements.all()
        ],
        "shares": [
            (s, _may_end(request.user, s.granted_by.agency_id) and s.end >= on)
            for s in person.shares.all()
        ],
        "picture": whole,
        "events": events,
        "programme": programme,
        "agency": agency,
        "today": on,
        "can_write": request.user.role in WRITERS,
        "can_note": request.user.role in WRITERS and request.user.agency_id is not None,
        "can_share": request.user.role in (Role.COORDINATOR, Role.ADMINISTRATOR),
        "can_hold": can_hold,
    }
    return render(request, "people/detail.html", context)


@allow(*WRITERS)
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for(request, pk)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notes.add_note(
                request,
                person=person,
                author=request.user,
                text=form.cleaned_data["text"],
                visibility=form.cleaned_data["visibility"],
                on=today(),
            )
        except notes.NoteError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"Note saved on the record of {person.full_name}.")
            return redirect(f"{reverse('people:detail', args=[person.pk])}#chronology")
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": f"Add a note: {person.full_name}",
            "person": person,
            "intro": "A note for your agency only is never shown to another agency. "
            "A partnership note shows to every agency that may see this person.",
        },
    )


def _may_end(user, granting_agency_id: int | None) -> bool:
    return may_end_early(
        is_administrator=user.is_administrator,
        role=user.role,
        agency_id=user.agency_id,
        granting=granting_agency_id,
    )


@allow(*WRITERS)
def create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None, today=today())
    if request.method == "POST" and form.is_valid():
        if request.user.agency is None:
            return forbidden(request, "You need an agency to record a person.")
        person = edits.record_person(
            agency=request.user.agency, today=today(), **_fields(form, PersonForm)
        )
        messages.success(request, f"{person.full_name} recorded.")
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/form.html", {"form": form, "title": "Record a new person"})


def _fields(form, form_class) -> dict:
    """The cleaned values of the model fields a form edits, as a service's keywords."""
    return {name: form.cleaned_data[name] for name in form_class._meta.fields}


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
        edits.add_flag(person=person, recorded_by=request.user.agency, **_fields(form, FlagForm))

    return _add_child(request, pk, FlagForm, "Flag", save)


def _show_problems(form, error: grants.GrantError) -> None:
    for problem in error.problems:
        form.add_error(problem.field if problem.field in form.fields else None, problem.message)


@allow(*WRITERS)
def add_involvement(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for(request, pk)
    on = today()
    form = InvolvementForm(
        request.POST or None, initial={"start": on, "end": grants.default_end(on)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            involvement = grants.request_involvement(
                request,
                person=person,
                reason=form.cleaned_data["reason"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                today=on,
            )
        except grants.GrantError as error:
            _show_problems(form, error)
        else:
            if involvement.approved:
                messages.success(
                    request, f"Your agency's involvement with {person.full_name} is recorded."
                )
            else:
                messages.success(
                    request,
                    "Your request is waiting for a coordinator of your agency to approve it. "
                    "It gives your agency no extra sight of the record until then.",
                )
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "title": f"Ask for your agency's involvement: {person.full_name}",
            "person": person,
            "intro": f"An involvement lets everyone in your agency see this record until its "
            f"end date, at most {settings.GRANT_INVOLVEMENT_MAX_MONTHS} months from its start. "
            "A coordinator of your agency must approve it.",
        },
    )


@allow(Role.COORDINATOR, Role.ADMINISTRATOR)
def add_share(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person_for(request, pk)
    form = ShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grants.grant_share(
                request,
                person=person,
                agency=data["agency"],
                reason=data["reason"],
                start=data["start"],
                end=data["end"],
            )
        except grants.GrantError as error:
            _show_problems(form, error)
        else:
            messages.success(request, f"Share saved for {person.full_name}.")
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/form.html",
        {"form": form, "title": f"Share: {person.full_name}", "person": person},
    )


@allow(Role.COORDINATOR)
def involvement_requests(request: HttpRequest) -> HttpResponse:
    """The coordinator's queue: their agency's involvement requests waiting for a decision."""
    waiting = list(
        Involvement.objects.filter(
            agency_id=request.user.agency_id, status=InvolvementStatus.REQUESTED
        )
        .select_related("person", "requested_by")
        .order_by("requested_at", "pk")
    )
    listed = split(request.user, waiting, lambda i: i.person_id)
    named = {i.pk for i in listed.shown}
    rows = [(i, i.pk in named) for i in waiting]
    record_listing(
        request,
        summary=f"Viewed the involvement requests ({len(waiting)} waiting)",
        person_ids=listed.person_ids,
        hidden=listed.hidden,
    )
    return render(request, "people/requests.html", {"rows": rows})


@allow(Role.COORDINATOR)
@require_POST
def decide_involvement(request: HttpRequest, pk: int) -> HttpResponse:
    involvement = get_object_or_404(
        Involvement, pk=pk, agency_id=request.user.agency_id, status=InvolvementStatus.REQUESTED
    )
    decision = request.POST.get("decision")
    if decision not in ("approve", "refuse"):
        messages.error(request, "Choose whether to approve or refuse the request.")
        return redirect("people:involvement-requests")
    try:
        grants.decide_request(request, involvement=involvement, approve=decision == "approve")
    except grants.GrantError as error:
        messages.error(request, error.problems[0].message)
    else:
        word = "approved" if decision == "approve" else "refused"
        messages.success(request, f"Request {word}.")
    return redirect("people:involvement-requests")


def _after_ending(request: HttpRequest, person_id: int) -> HttpResponse:
    person = Person.objects.prefetch_related("involvements", "shares").get(pk=person_id)
    if can_see(request.user, person):
        return redirect("people:detail", pk=person_id)
    return redirect("people:search")


@allow(Role.COORDINATOR, Role.ADMINISTRATOR)
@require_POST
def end_involvement(request: HttpRequest, pk: int) -> HttpResponse:
    involvement = get_object_or_404(Involvement, pk=pk)
    try:
        grants.end_involvement(request, involvement=involvement, today=today())
    except grants.GrantError as error:
        if not request.user.is_administrator and involvement.agency_id != request.user.agency_id:
            raise Http404("No such involvement") from error
        messages.error(request, error.problems[0].message)
    else:
        messages.success(request, f"The involvement of {involvement.agency} has ended.")
    return _after_ending(request, involvement.person_id)


@allow(Role.COORDINATOR, Role.ADMINISTRATOR)
@require_POST
def end_share(request: HttpRequest, pk: int) -> HttpResponse:
    share = get_object_or_404(Share.objects.select_related("granted_by", "agency"), pk=pk)
    try:
        grants.end_share(request, share=share, today=today())
    except grants.GrantError as error:
        own = share.granted_by.agency_id == request.user.agency_id
        if not request.user.is_administrator and not own:
            raise Http404("No such share") from error
        messages.error(request, error.problems[0].message)
    else:
        messages.success(request, f"The share with {share.agency} has ended.")
    return _after_ending(request, share.person_id)
