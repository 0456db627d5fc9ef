"""Bank holidays in England and Wales, from the maintained `holidays` package.

The working-day rules (`rules.asb`) take the calendar as a set of dates; this is where it
comes from, so the rules stay free of any data source.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _year(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]).keys())


def england_and_wales(first: date, last: date) -> frozenset[date]:
    """Bank holidays in England and Wales from `first` to `last`, including substitute days."""
    days: set[date] = set()
    for year in range(first.year, last.year + 1):
        days |= _year(year)
    return frozenset(d for d in days if first <= d <= last)


def around(day: date, years: int = 2) -> frozenset[date]:
    """The bank holidays from a year before `day` to `years` years after it."""
    return england_and_wales(date(day.year - 1, 1, 1), date(day.year + years, 12, 31))
