"""The record's own events for the chronology: flags, involvements, shares and notes."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q

from saferhub.web.links import link
from saferhub.web.people.models import FlagKind, Note, NoteVisibility, Person
from saferhub.web.people.picture import Contribution, Event, Warning, absent
from saferhub.web.prepared import Prepared

PROGRAMME = "record"
LABEL = "Person record"

# Flags in force that every reader of the record must see before anything else.
WARNING_FLAGS = {
    FlagKind.WEAPONS: "Weapons marker: risk to staff",
    FlagKind.MAPPA: "MAPPA registration: check with the lead agency before any contact",
    FlagKind.SUICIDE_SELF_HARM: "Suicide or self-harm risk",
    FlagKind.STREET_GANGS: "Street gang involvement",
}


# Most records carry no notes: the person's own query says so (picture.presence).
PRESENCE = {"has_notes": Exists(Note.objects.filter(person=OuterRef("pk")))}


def _notes(person_id):
    return Note.objects.filter(person_id=person_id).select_related("agency", "author")


# Read on every opening of a record that has notes: built once (saferhub.web.prepared).
ALL_NOTES = Prepared(_notes, [("person_id", int)])
NOTES_FOR_AGENCY = Prepared(
    lambda person_id, agency_id: _notes(person_id).filter(
        Q(visibility=NoteVisibility.PARTNERSHIP) | Q(agency_id=agency_id)
    ),
    [("person_id", int), ("agency_id", int)],
)


def visible_notes(person: Person, user) -> list[Note]:
    """Partnership notes, and notes of the viewer's own agency (administrators see all)."""
    if user.is_administrator:
        return ALL_NOTES(person_id=person.pk)
    return NOTES_FOR_AGENCY(person_id=person.pk, agency_id=user.agency_id or 0)


def contribution(person: Person, user, on: date) -> Contribution:
    url = link("people:detail", person.pk)
    events, warnings = [], []
    for flag in person.flags.all():
        agency = flag.recorded_by
        events.append(
            Event(
                flag.start,
                PROGRAMME,
                LABEL,
                f"Flag added: {flag}",
                flag.notes,
                agency.pk if agency else None,
                str(agency or ""),
                url + "#flags",
            )
        )
        if flag.end and flag.end <= on:
            events.append(
                Event(flag.end, PROGRAMME, LABEL, f"Flag ended: {flag}", "", None, "", url)
            )
        if flag.in_force(on) and flag.kind in WARNING_FLAGS:
            warnings.append(Warning(WARNING_FLAGS[flag.kind], "orange"))
    for involvement in person.involvements.all():
        if involvement.approved:
            events.append(
                Event(
                    involvement.start,
                    PROGRAMME,
                    LABEL,
                    f"{involvement.agency} involved",
                    involvement.reason_label,
                    involvement.agency_id,
                    str(involvement.agency),
                    url + "#agencies",
                )
            )
    for share in person.shares.all():
        events.append(
            Event(
                share.start,
                PROGRAMME,
                LABEL,
                f"Record shared with {share.agency} until {share.end:%d %b %Y}",
                share.reason,
                share.agency_id,
                str(share.agency),
                url + "#agencies",
            )
        )
    for note in () if absent(person, "has_notes") else visible_notes(person, user):
        who = note.author.display_name if note.author else ""
        events.append(
            Event(
                note.written_on,
                PROGRAMME,
                LABEL,
                f"Note by {who}, {note.agency}" if who else f"Note by {note.agency}",
                note.text,
                note.agency_id,
                str(note.agency),
                url + "#notes",
            )
        )
    return Contribution(events=events, warnings=warnings)
