"""Changing a person's details and flags: each write is a compare-and-swap on the version
the user's form was loaded with, so a stale form never overwrites a newer change.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from saferhub.web.people.models import Flag, Person
from saferhub.web.versioning import compare_and_swap


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
