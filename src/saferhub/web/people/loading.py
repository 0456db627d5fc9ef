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


def _of_person(model, *related: str, **more) -> Prepared:
    """A prepared read of `model`'s rows about one person, with `related` joined in."""

    def build(person_id):
        rows = model.objects.filter(person_id=person_id, **more)
        # select_related() with no names would join every foreign key: only when named.
        return rows.select_related(*related) if related else rows

    return Prepared(build, BY_PERSON)


INVOLVEMENTS = _of_person(Involvement, "agency")
SHARES = _of_person(Share, "agency", "granted_by")
FLAGS = _of_person(Flag, "recorded_by")
IDENTIFIERS = _of_person(Identifier, "issuer")
ALIASES = _of_person(Alias)
ACTIVE_HOLDS = _of_person(LegalHold, "placed_by", lifted_at__isnull=True)


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
