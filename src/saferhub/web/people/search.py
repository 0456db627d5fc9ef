"""Finding people by what a user types: a name in either order, an ID, or a date of birth.

The database ranks the matches, so the best come first however many there are: an ID or
the exact name, then the exact surname with a first name that starts the same, then
surnames that start with what was typed, then any other partial match. A name may be
typed "Craig Kowalski" or "KOWALSKI, Craig" (the way results are shown); a date of birth
as "28 Feb 1992", "28/02/1992" or "1992-02-28".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dateutil import parser as dateparser
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from saferhub.web.people.models import Alias, Identifier

_DATE_SHAPES = [
    re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$"),
    re.compile(r"^\d{1,2}[\s/.-]+\d{1,2}[\s/.-]+\d{4}$"),
    re.compile(r"^\d{1,2}(st|nd|rd|th)?[\s/.-]+[A-Za-z]{3,9}\.?,?[\s/.-]+\d{4}$"),
]
# Ranks, best first.
ID, EXACT, SURNAME_AND_INITIAL, SURNAME, SURNAME_STARTS, ALIAS, PARTIAL = range(7)


@dataclass(frozen=True)
class PersonQuery:
    text: str
    born: date | None = None
    unreadable_date: bool = False
    first: str = ""
    last: str = ""
    words: tuple[str, ...] = ()


def parse_date(text: str) -> date | None:
    """A date of birth in a form people type, day first; None when it is not one."""
    return None if not any(p.match(text) for p in _DATE_SHAPES) else _read_date(text)


def _read_date(text: str) -> date | None:
    try:
        return dateparser.parse(text, dayfirst=not text[:4].isdigit()).date()
    except (ValueError, OverflowError):
        return None


def parse(text: str) -> PersonQuery:
    text = " ".join(text.split())
    if any(p.match(text) for p in _DATE_SHAPES):
        born = _read_date(text)
        return PersonQuery(text, born=born, unreadable_date=born is None)
    if "," in text:
        last, _, first = (part.strip() for part in text.partition(","))
        words = tuple(w for w in (*first.split(), *last.split()) if w)
        return PersonQuery(text, first=first.split()[0] if first else "", last=last, words=words)
    words = tuple(text.split())
    if len(words) >= 2:
        return PersonQuery(text, first=words[0], last=words[-1], words=words)
    return PersonQuery(text, last=text, words=words)


def find(people: QuerySet, query: PersonQuery) -> QuerySet:
    """The people matching the query, annotated with `rank` (lower is better)."""
    if query.born is not None or query.unreadable_date:
        matches = people.filter(date_of_birth=query.born) if query.born else people.none()
        return matches.annotate(rank=Value(EXACT, output_field=IntegerField()))
    text = query.text
    has_id = Exists(Identifier.objects.filter(person=OuterRef("pk"), value__iexact=text))
    has_alias = Exists(Alias.objects.filter(person=OuterRef("pk"), name__icontains=text))
    partial = Q()
    for word in query.words[:3]:
        partial |= Q(last_name__icontains=word) | Q(first_name__icontains=word)
    ranked = people.annotate(has_id=has_id, has_alias=has_alias).filter(
        Q(has_id=True) | Q(has_alias=True) | partial
    )
    whens = [When(has_id=True, then=Value(ID))]
    if query.first and query.last:
        exact = Q(first_name__iexact=query.first, last_name__iexact=query.last)
        swapped = Q(first_name__iexact=query.last, last_name__iexact=query.first)
        whens += [
            When(exact, then=Value(EXACT)),
            When(
                Q(last_name__iexact=query.last, first_name__istartswith=query.first[:1]),
                then=Value(SURNAME_AND_INITIAL),
            ),
            When(swapped | Q(last_name__iexact=query.last), then=Value(SURNAME)),
            When(last_name__istartswith=query.last, then=Value(SURNAME_STARTS)),
        ]
    elif query.last:
        whens += [
            When(Q(last_name__iexact=query.last), then=Value(EXACT)),
            When(Q(first_name__iexact=query.last), then=Value(SURNAME)),
            When(last_name__istartswith=query.last, then=Value(SURNAME_STARTS)),
        ]
    whens.append(When(has_alias=True, then=Value(ALIAS)))
    return ranked.annotate(rank=Case(*whens, default=Value(PARTIAL), output_field=IntegerField()))
