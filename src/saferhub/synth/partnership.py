"""Generate the whole synthetic partnership and write it as extract files.

The same seed and scale always give byte-identical files: every generator draws from
its own seeded stream, rows are written in a fixed order, and nothing reads the clock.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from saferhub.errors import ConfigurationError
from saferhub.reports.safe_cells import write_csv
from saferhub.synth.people import agency_rows, generate_people, people_rows, user_rows
from saferhub.synth.world import World

# Generators run in this order; each maps extract file names to rows.
GENERATORS = [
    "saferhub.synth.offences",
    "saferhub.synth.iom",
    "saferhub.synth.caseload",
    "saferhub.synth.crime_counts",
    "saferhub.synth.marac",
]


def _generators() -> list[Callable[[World], dict[str, list[dict]]]]:
    found = []
    for name in GENERATORS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        if hasattr(module, "generate"):
            found.append(module.generate)
    return found


MAX_SCALE = 1000


def check_scale(scale: float) -> None:
    if not 0 < scale <= MAX_SCALE:
        raise ConfigurationError(
            f"--scale {scale} is out of range.", f"Use a number above 0 and at most {MAX_SCALE}."
        )


def generate(seed: int, scale: float = 1.0) -> dict[str, list[dict]]:
    """Every extract of the synthetic partnership, keyed by file name."""
    check_scale(scale)
    world = World(seed=seed, scale=scale)
    generate_people(world)
    extracts: dict[str, list[dict]] = {}
    for make in _generators():
        for name, rows in make(world).items():
            if name in extracts:
                raise ValueError(f"Two generators both write {name}")
            extracts[name] = rows
    # People minted by later generators (e.g. MARAC victims) arrive under "people.csv" rows too.
    extracts["people.csv"] = people_rows(world.people) + extracts.pop("people.csv", [])
    extracts["agencies.csv"] = agency_rows()
    extracts["users.csv"] = user_rows()
    return dict(sorted(extracts.items()))


def write_extracts(extracts: dict[str, list[dict]], out: Path) -> list[tuple[Path, int]]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in extracts.items():
        path = out / name
        fields = list(rows[0].keys()) if rows else []
        written.append((path, write_csv(path, fields, rows)))
    return written
