"""Synthetic people with known duplicates, for the matcher's golden test and benchmark.

Seeded: the same seed gives the same people, the same duplicates and the same truth.
Each duplicate is an existing person recorded again with one of the errors seen in
practice: a typo in a name, day and month swapped, a name the record holds as an alias,
one digit of the date of birth wrong, or an identifier in common with the name mistyped
and no date of birth.
"""

from __future__ import annotations

import random
import string
from dataclasses import replace
from datetime import date, timedelta

from saferhub.linkage.people import PersonRecord
from saferhub.synth.people import FIRST_NAMES, SURNAMES

_FIRST = sorted(
    {n for by_group in FIRST_NAMES.values() for names in by_group.values() for n in names}
)
_LAST = sorted({n for names in SURNAMES.values() for n in names})
KINDS = ("typo", "swapped_day_month", "alias", "dob_digit", "identifier")


def _typo(rng: random.Random, name: str) -> str:
    if len(name) < 3:
        return name + rng.choice(string.ascii_lowercase)
    i = rng.randrange(1, len(name) - 1)
    how = rng.choice(("swap", "drop", "change"))
    if how == "swap":
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    if how == "drop":
        return name[:i] + name[i + 1 :]
    return name[:i] + rng.choice(string.ascii_lowercase) + name[i + 1 :]


def _dob_digit(rng: random.Random, dob: date) -> date:
    """The same date with exactly one digit of the year or the day mistyped."""
    tens = dob.day - dob.day % 10
    days = [tens + d for d in range(10) if 1 <= tens + d <= 28 and tens + d != dob.day]
    if days and rng.random() < 0.5:
        return dob.replace(day=rng.choice(days))
    decade = dob.year - dob.year % 10
    for year in rng.sample([decade + d for d in range(10) if d != dob.year % 10], 9):
        try:
            return dob.replace(year=year)
        except ValueError:  # 29 February in a year that has none
            continue
    raise AssertionError("unreachable: some year in a decade is a leap year")


def people_with_duplicates(
    n_people: int, n_duplicates: int, *, seed: int = 20261126
) -> tuple[list[PersonRecord], set[frozenset[str]]]:
    """`n_people` distinct people plus `n_duplicates` extra records of some of them.

    Returns the records and the true duplicate pairs (as frozensets of ids).
    """
    rng = random.Random(seed)
    people: list[PersonRecord] = []
    for i in range(n_people):
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
        idents = [f"local:{i:07d}"] if rng.random() < 0.5 else []
        if rng.random() < 0.3:
            idents.append(f"pnc:{born.year % 100:02d}/{i:07d}X")
        people.append(
            PersonRecord(
                id=str(i),
                first_name=rng.choice(_FIRST),
                last_name=rng.choice(_LAST),
                date_of_birth=born,
                identifiers=tuple(idents),
            )
        )
    truth: set[frozenset[str]] = set()
    records = list(people)
    originals = rng.sample(range(n_people), n_duplicates)
    for k, index in enumerate(originals):
        original = people[index]
        kind = KINDS[k % len(KINDS)]
        new_id = str(n_people + k)
        dob = original.date_of_birth
        first, last = original.first_name, original.last_name
        idents: tuple[str, ...] = ()
        if kind == "typo":
            if rng.random() < 0.5:
                first = _typo(rng, first)
            else:
                last = _typo(rng, last)
        elif kind == "swapped_day_month":
            if dob.day <= 12 and dob.day != dob.month:
                dob = dob.replace(day=dob.month, month=dob.day)
            else:
                first = _typo(rng, first)
        elif kind == "alias":
            alias_first = rng.choice([n for n in _FIRST if n != first])
            # The original record holds the name the duplicate was recorded under.
            records[index] = replace(original, aliases=(f"{alias_first} {last}",))
            first = alias_first
        elif kind == "dob_digit":
            dob = _dob_digit(rng, dob)
        elif kind == "identifier":
            idents = original.identifiers or (f"local:{index:07d}",)
            if not original.identifiers:
                records[index] = replace(original, identifiers=idents)
            last = _typo(rng, last)
            dob = None
        records.append(
            PersonRecord(
                id=new_id, first_name=first, last_name=last, date_of_birth=dob, identifiers=idents
            )
        )
        truth.add(frozenset((original.id, new_id)))
    return records, truth
