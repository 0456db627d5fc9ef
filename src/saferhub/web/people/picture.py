"""The whole picture of one person that a viewer may see: chronology, related people, warnings.

Each programme contributes through one small source function in its own app (for example
`saferhub.web.iom.chronology.contribution`), listed in `SOURCES`. A source decides need to
know for each of its own events: a MARAC event only for agencies that may see that case, an
IOM event only for IOM programme agencies. This module then keeps only the related people
the viewer may see as people, so a relation never discloses a record the viewer could not
open. Each source runs a fixed number of queries, whatever the person's history holds.

To add a programme, write its source and add its dotted path here with its app. A source
module may also name, in `PRESENCE`, an `Exists` annotation saying whether it holds anything
about the person at all; the record asks it in the person's own query (`presence`), and the
source skips its queries when it holds nothing (`absent`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from typing import Any

from django.apps import apps

from saferhub.web.people.access import visible_people
from saferhub.web.people.models import Person

# (app label, dotted path of the source function). A source of an app not installed is skipped.
SOURCES: list[tuple[str, str]] = [
    ("people", "saferhub.web.people.chronology.contribution"),
    ("iom", "saferhub.web.iom.chronology.contribution"),
    ("panels", "saferhub.web.panels.chronology.contribution"),
    ("asb", "saferhub.web.asb.chronology.contribution"),
]


@dataclass(frozen=True)
class Event:
    """One dated thing on the person's chronology, with the page where it is recorded."""

    on: date
    programme: str
    programme_label: str
    title: str
    text: str = ""
    agency_id: int | None = None
    agency: str = ""
    url: str = ""


@dataclass(frozen=True)
class Relation:
    """Another person linked to this one by a record the viewer may see."""

    person_id: int
    relation: str
    url: str = ""


@dataclass(frozen=True)
class Warning:
    """A marker shown at the top of the record, e.g. not to disclose an address."""

    text: str
    colour: str = "red"


@dataclass
class Contribution:
    events: list[Event] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)


Source = Callable[[Person, object, date], Contribution]


@dataclass(frozen=True)
class RelatedPerson:
    person: Person
    relations: list[Relation]


@dataclass(frozen=True)
class Picture:
    events: list[Event]
    related: list[RelatedPerson]
    warnings: list[Warning]
    programmes: list[tuple[str, str]]
    agencies: list[tuple[int, str]]

    @property
    def related_ids(self) -> list[int]:
        return [r.person.pk for r in self.related]

    def filtered(self, programme: str = "", agency: int | None = None) -> list[Event]:
        return [
            e
            for e in self.events
            if (not programme or e.programme == programme)
            and (agency is None or e.agency_id == agency)
        ]


@functools.cache
def sources() -> tuple[Source, ...]:
    """The installed programmes' sources (installed apps are fixed once Django has started)."""
    found = []
    for app_label, dotted in SOURCES:
        if not apps.is_installed(f"saferhub.web.{app_label}"):
            continue
        module, name = dotted.rsplit(".", 1)
        found.append(getattr(import_module(module), name))
    return tuple(found)


def presence() -> dict[str, Any]:
    """Annotations for the person's own query saying whether each source holds anything
    about them at all (`<source module>.PRESENCE`: {name: Exists(...)}). A source finding
    its flag False skips its queries: most people are in few programmes, and asking within
    the one query that loads the person is cheaper than a query per programme. Each source
    still decides need to know for every event it does find."""
    found: dict[str, Any] = {}
    for app_label, dotted in SOURCES:
        if apps.is_installed(f"saferhub.web.{app_label}"):
            found.update(getattr(import_module(dotted.rsplit(".", 1)[0]), "PRESENCE", {}))
    return found


def absent(person: Person, name: str) -> bool:
    """True only when the person's query said the source holds nothing (see `presence`);
    a person loaded without the annotation is treated as present, so the source asks."""
    return getattr(person, name, True) is False


def picture_of(person: Person, user, on: date, using: Iterable[Source] | None = None) -> Picture:
    """Everything the sources let `user` see about `person`, newest event first."""
    parts = [source(person, user, on) for source in (using or sources())]
    events = sorted((e for part in parts for e in part.events), key=lambda e: e.on, reverse=True)
    relations = [r for part in parts for r in part.relations if r.person_id != person.pk]
    wanted = {r.person_id for r in relations}
    # At most one query. With nobody to look up, none: building the need-to-know query only
    # for the database to be asked about no one cost a noticeable share of the page.
    people = (
        {
            p.pk: p
            for p in visible_people(user, on)
            .filter(pk__in=wanted)
            .only("pk", "first_name", "last_name", "date_of_birth")
        }
        if wanted
        else {}
    )
    by_person: dict[int, list[Relation]] = {}
    for relation in relations:
        if relation.person_id in people:
            by_person.setdefault(relation.person_id, []).append(relation)
    related = [
        RelatedPerson(people[pk], rels)
        for pk, rels in sorted(by_person.items(), key=lambda item: str(people[item[0]]))
    ]
    warnings = list(dict.fromkeys(w for part in parts for w in part.warnings))
    programmes = sorted({(e.programme, e.programme_label) for e in events}, key=lambda p: p[1])
    agencies = sorted({(e.agency_id, e.agency) for e in events if e.agency_id}, key=lambda a: a[1])
    return Picture(events, related, warnings, programmes, agencies)
