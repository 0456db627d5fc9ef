"""Writing notes on a person: a service with keyword arguments, in one transaction, audited."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from saferhub.web.audit.log import record
from saferhub.web.people.models import Note, NoteVisibility, Person

MAX_NOTE_LENGTH = 5000


class NoteError(Exception):
    """A note that cannot be written, with the field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


@transaction.atomic
def add_note(request, *, person: Person, author, text: str, visibility: str, on: date) -> Note:
    """Write a note for the author's agency, or for every agency that may see the person."""
    text = text.strip()
    if author.agency_id is None:
        raise NoteError("text", "You need an agency to write a note.")
    if not text:
        raise NoteError("text", "Enter the note.")
    if len(text) > MAX_NOTE_LENGTH:
        raise NoteError("text", f"The note must be {MAX_NOTE_LENGTH:,} characters or fewer.")
    if visibility not in NoteVisibility.values:
        raise NoteError("visibility", "Choose who may read the note.")
    note = Note.objects.create(
        person=person,
        agency_id=author.agency_id,
        author=author,
        text=text,
        visibility=visibility,
        written_on=on,
    )
    record(
        request,
        "create",
        note,
        summary=f"Wrote a note ({note.get_visibility_display().lower()}) on {person.full_name}",
        detail={"visibility": visibility},
    )
    return note
