"""Loading one person for a page, with what the page shows of them, in reads built once.

Every page about a person loads them with their involvements and shares (need-to-know is
decided from those). The record page also loads flags, identifiers, aliases and, for
administrators, legal holds. These are the busiest reads in the app, so each is a prepared
read (`saferhub.web.prepared`). The person's own read also says which of shares, flags and
aliases hold anything at all, and which programmes hold anything about them
(`picture.presence`): a relation known to be empty is filled with nothing, without a query.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from saferhub.web.people.linkage_models import LegalHold
from saferhub.web.people.models import Alias, Flag, Identifier, Involvement, Person, Share
from saferhub.web.people.picture import presence
from saferhub.web.prepared import Prepared, fill_related

BY_PERSON = [("person_id", int)]

# Whether the person has any of these at all. Most people have no shares and no aliases,
# and half have no flags.
HAS = {
    "has_shares": Exists(Share.objects.filter(person=OuterRef("pk"))),
    "has_flags": Exists(Flag.objects.filter(person=OuterRef("pk"))),
    "has_aliases": Exists(Alias.objects.filter(person=OuterRef("pk"))),
}
# Everyone who sees the person sees that a hold is in place; only administrators, who place
# and lift holds, see each hold.
ON_HOLD = Exists(LegalHold.objects.filter(person=OuterRef("pk"), lifted_at__isnull=True))

PERSON = Prepared(
    lambda person_id: Person.objects.annotate(has_shares=HAS["has_shares"]).filter(pk=person_id),
    BY_PERSON,
)
WHOLE_PERSON = Prepared(
    lambda person_id: Person.objects.annotate(**HAS, on_hold=ON_HOLD, **presence()).filter(
        pk=person_id
    ),
    BY_PERSON,
)
INVOLVEMENTS = Prepared(
    lambda person_id: Involvement.objects.select_related("agency").filter(person_id=person_id),
    BY_PERSON,
)
SHARES = Prepared(
    lambda person_id: Share.objects.select_related("agency", "granted_by").filter(
        person_id=person_id
    ),
    BY_PERSON,
)
FLAGS = Prepared(
    lambda person_id: Flag.objects.select_related("recorded_by").filter(person_id=person_id),
    BY_PERSON,
)
IDENTIFIERS = Prepared(
    lambda person_id: Identifier.objects.select_related("issuer").filter(person_id=person_id),
    BY_PERSON,
)
ALIASES = Prepared(lambda person_id: Alias.objects.filter(person_id=person_id), BY_PERSON)
ACTIVE_HOLDS = Prepared(
    lambda person_id: LegalHold.objects.select_related("placed_by").filter(
        person_id=person_id, lifted_at__isnull=True
    ),
    BY_PERSON,
)


def _fill(person: Person, relation: str, read: Prepared, known_empty: bool = False) -> None:
    fill_related(person, relation, [] if known_empty else read(person_id=person.pk))


def load_person(pk: int, *, whole: bool = False, holds: bool = False) -> Person | None:
    """The person with involvements and shares; with `whole`, also flags, identifiers and
    aliases and the record's annotations; with `holds`, also `active_holds`. None if there
    is no such person."""
    person = (WHOLE_PERSON if whole else PERSON).first(person_id=pk)
    if person is None:
        return None
    _fill(person, "involvements", INVOLVEMENTS)
    _fill(person, "shares", SHARES, known_empty=not person.has_shares)
    if whole:
        _fill(person, "flags", FLAGS, known_empty=not person.has_flags)
        _fill(person, "identifiers", IDENTIFIERS)
        _fill(person, "aliases", ALIASES, known_empty=not person.has_aliases)
    if holds:
        person.active_holds = ACTIVE_HOLDS(person_id=pk)
    return person
