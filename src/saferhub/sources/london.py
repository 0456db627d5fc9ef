"""London's 32 boroughs, their ONS codes and police command units (BCUs), as data.

The list lives in `london_boroughs.csv` next to this module so it can be read and
reviewed without reading code. The City of London is not one of the 32: it has its own
police force and is not in Metropolitan Police (MPS) data. MPS files also carry rows for
units that are not boroughs ("London Heathrow and London City Airports", "Aviation
Security (SO18)"); they are read and kept but never ranked.

BCUs are the MPS's twelve Basic Command Units as organised since 2018-19; the default
peer group of a borough is its BCU (e.g. North West: Barnet, Brent and Harrow).
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from saferhub.errors import ConfigurationError

# MPS reporting units that are not London boroughs but appear in the London Datastore
# files. They are valid rows; they are excluded from every London ranking.
OTHER_MPS_AREAS: frozenset[str] = frozenset(
    {"London Heathrow and London City Airports", "Aviation Security (SO18)"}
)

LONDON_BOROUGH_COUNT = 32


@dataclass(frozen=True, slots=True)
class Borough:
    code: str  # ONS E09 code
    name: str  # as the MPS and GLA files spell it
    bcu: str  # MPS Basic Command Unit, e.g. "North West"

    @property
    def bcu_label(self) -> str:
        return f"{self.bcu} BCU"


@cache
def london_boroughs() -> tuple[Borough, ...]:
    """The 32 London boroughs, in alphabetical order."""
    text = files("saferhub.sources").joinpath("london_boroughs.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    boroughs = tuple(sorted((Borough(r["code"], r["name"], r["bcu"]) for r in rows), key=_name))
    assert len(boroughs) == LONDON_BOROUGH_COUNT, "london_boroughs.csv must list 32 boroughs"
    return boroughs


def _name(borough: Borough) -> str:
    return borough.name


@cache
def _by_key() -> dict[str, Borough]:
    index: dict[str, Borough] = {}
    for borough in london_boroughs():
        index[borough.name.casefold()] = borough
        index[borough.code.casefold()] = borough
    return index


def find_borough(name_or_code: str) -> Borough | None:
    """The borough with this name or ONS code (any letter case), or None."""
    return _by_key().get(" ".join(str(name_or_code).split()).casefold())


def borough_names() -> tuple[str, ...]:
    return tuple(b.name for b in london_boroughs())


def suggestion(name: str, choices: tuple[str, ...] | list[str] | None = None) -> str:
    """' Did you mean "Barnet"?' for a near miss, or ''."""
    pool = list(choices if choices is not None else borough_names())
    lowered = {c.casefold(): c for c in pool}
    close = difflib.get_close_matches(str(name).casefold(), list(lowered), n=1, cutoff=0.75)
    return f' Did you mean "{lowered[close[0]]}"?' if close else ""


def require_borough(name_or_code: str, what: str = "Area") -> Borough:
    """The borough, or a ConfigurationError that names the near miss."""
    borough = find_borough(name_or_code)
    if borough is None:
        raise ConfigurationError(
            f"{what} '{name_or_code}' is not one of the 32 London boroughs."
            f"{suggestion(name_or_code)}",
            "Use the borough's name as the MPS files spell it, e.g. 'Barnet' or "
            "'Kingston upon Thames', or its ONS code, e.g. E09000003.",
        )
    return borough


def bcu_members(bcu: str) -> tuple[Borough, ...]:
    return tuple(b for b in london_boroughs() if b.bcu == bcu)


def is_known_mps_area(name: str) -> bool:
    return find_borough(name) is not None or name in OTHER_MPS_AREAS
