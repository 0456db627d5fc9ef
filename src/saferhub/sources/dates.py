"""The one date grammar of every extract SaferHub reads.

Every reader of dates in files (offences, disposals, IOM cohort, custody, tiers,
pathways, caseload, MARAC and people extracts) accepts the same forms and refuses the
rest with the same message:

- an ISO date, `YYYY-MM-DD` (`2023-09-30`; a month or day may have one digit);
- a UK date, `DD/MM/YYYY` (`30/09/2023`; likewise);
- either of them followed by a time, after a space or (ISO) a `T`: `HH:MM`, `HH:MM:SS`,
  with optional fractions of a second and an optional `Z` or `+01:00`. The time is
  checked and then ignored: every record is about a day, and the day is the one written
  (a time zone never moves it).

US dates (`09/30/2023`), two-digit years, month names and dates that do not exist
(`31/02/2023`) are refused. The message names the value and says what to write
(`DATE_HINT`), in the same words in every file. Dates in SaferHub's own outputs and
in command options stay ISO (`--as-of 2023-09-30`).
"""

from __future__ import annotations

import re
from datetime import date

DATE_HINT = (
    "Write dates as YYYY-MM-DD (2023-09-30) or DD/MM/YYYY (30/09/2023); "
    "a time after the date (2023-09-30 14:05) is ignored."
)

# A time of day: HH:MM, optional :SS and fraction, optional Z or offset.
_CLOCK = (
    r"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d{1,9})?)?"
    r"(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?"
)
_ISO = re.compile(rf"(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})(?:[ T]{_CLOCK})?")
_UK = re.compile(rf"(\d{{1,2}})/(\d{{1,2}})/(\d{{4}})(?: {_CLOCK})?")


def parse_date(text: str) -> date | None:
    """The day a value names, or None when it is not a date in the grammar above.

    Surrounding spaces are ignored; an empty value is None too (callers decide whether a
    blank is allowed).
    """
    text = text.strip()
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    elif match := _UK.fullmatch(text):
        day, month, year = match.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def not_a_date(text: str) -> str:
    """The message for a value that is not a date: the same in every reader."""
    shown = text.strip()
    if len(shown) > 40:
        shown = shown[:40] + "…"
    shown = shown.replace("'", "’")
    return f"'{shown}' is not a date. {DATE_HINT}"
