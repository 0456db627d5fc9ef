"""Recording and changing a person's details and flags.

Each function is a write service: plain keyword arguments, one transaction, and its own
audit events. A change is a compare-and-swap on the version the user's form was loaded
with, so a stale form never overwrites a newer change.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from saferhub.web.accounts.models import Agency
from saferhub.web.audit.log import record_create
from saferhub.web.people.models import Flag, Involvement, Person
from saferhub.web.versioning import compare_and_swap

FIRST_INVOLVEMENT = "Recorded the person"


@transaction.atomic
def record_person(
    *,
    agency: Agency,
    today: date,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    gender: str,
    ethnicity: str,
    address: str,
    postcode: str,
    ward: str,
) -> Person:
    """A new person, with the recording agency involved from the start (or it could not see
    its own record)."""
    person = Person.objects.create(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        gender=gender,
        ethnicity=ethnicity,
        address=address.strip(),
        postcode=postcode.strip().upper(),
        ward=ward.strip(),
    )
    record_create(None, person)
    involvement = Involvement.objects.create(
        person=person, agency=agency, reason=FIRST_INVOLVEMENT, start=today
    )
    record_create(None, involvement)
    return person


@transaction.atomic
def add_flag(
    *,
    person: Person,
    recorded_by: Agency | None,
    kind: str,
    mappa_category: int | None,
    mappa_level: int | None,
    start: date,
    end: date | None,
    notes: str,
) -> Flag:
    flag = Flag.objects.create(
        person=person,
        recorded_by=recorded_by,
        kind=kind,
        mappa_category=mappa_category,
        mappa_level=mappa_level,
        start=start,
        end=end,
        notes=notes.strip(),
    )
    record_create(None, flag)
    return flag


@transaction.atomic
def change_person(
    *,
    person: Person,
    version: int,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    gender: str,
    ethnicity: str,
    address: str,
    postcode: str,
    ward: str,
) -> Person:
    return compare_and_swap(
        person,
        version=version,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        gender=gender,
        ethnicity=ethnicity,
        address=address.strip(),
        postcode=postcode.strip().upper(),
        ward=ward.strip(),
    )


@transaction.atomic
def change_flag(
    *,
    flag: Flag,
    version: int,
    kind: str,
    mappa_category: int | None,
    mappa_level: int | None,
    start: date,
    end: date | None,
    notes: str,
) -> Flag:
    return compare_and_swap(
        flag,
        version=version,
        kind=kind,
        mappa_category=mappa_category,
        mappa_level=mappa_level,
        start=start,
        end=end,
        notes=notes.strip(),
    )
