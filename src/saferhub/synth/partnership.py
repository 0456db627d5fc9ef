"""Generate the whole synthetic partnership and write it as extract files.

The same seed, scale and as-of date always give byte-identical files: every generator
draws from its own seeded stream, rows are written in a fixed order, and nothing reads
the clock (the caller chooses the as-of date; `saferhub demo` passes today).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

from saferhub.errors import ConfigurationError
from saferhub.reports.safe_cells import write_csv
from saferhub.synth.people import agency_rows, generate_people, people_rows, user_rows
from saferhub.synth.world import DEFAULT_AS_OF, EARLIEST_AS_OF, LATEST_AS_OF, World

# Generators run in this order; each maps extract file names to rows.
GENERATORS = [
    "saferhub.synth.offences",
    "saferhub.synth.iom",
    "saferhub.synth.caseload",
    "saferhub.synth.crime_counts",
    "saferhub.synth.partner_breakdowns",
    "saferhub.synth.marac",
    "saferhub.synth.asb",
    "saferhub.synth.panels",
]


# What each generator makes, for progress messages.
STEPS = {
    "saferhub.synth.offences": "offence histories, disposals and custody",
    "saferhub.synth.iom": "the IOM cohort, tiers, contacts and pathways",
    "saferhub.synth.caseload": "the probation caseload",
    "saferhub.synth.crime_counts": "monthly crime counts for London",
    "saferhub.synth.partner_breakdowns": "CCTV, Prevent, hate crime and tools and powers figures",
    "saferhub.synth.marac": "MARAC referrals, meetings and actions",
    "saferhub.synth.asb": "ASB cases, case reviews and tools and powers",
    "saferhub.synth.panels": "Community Safety MARAC, Adults at Risk Panel and SIRM activity",
}


def _generator(name: str) -> Callable[[World], dict[str, list[dict]]] | None:
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None
    return getattr(module, "generate", None)


MAX_SCALE = 1000
# Below this the borough has too few people to fill the IOM cohort and its leavers.
MIN_SCALE = 0.01


def check_scale(scale: float) -> None:
    if not MIN_SCALE <= scale <= MAX_SCALE:  # also refuses nan and inf
        raise ConfigurationError(
            f"--scale {scale} is out of range.",
            f"Use a number from {MIN_SCALE} to {MAX_SCALE}: 1 is a borough like Barnet, "
            f"{MIN_SCALE} a hundredth of that.",
        )


def check_as_of(as_of: date) -> None:
    if not EARLIEST_AS_OF <= as_of <= LATEST_AS_OF:
        raise ConfigurationError(
            f"--as-of {as_of.isoformat()} is out of range.",
            f"Use a date from {EARLIEST_AS_OF.isoformat()} to {LATEST_AS_OF.isoformat()}.",
        )


def parse_as_of(text: str) -> date:
    """Read the --as-of option: a date written YYYY-MM-DD, within the supported range."""
    try:
        as_of = date.fromisoformat(text.strip())
    except ValueError:
        raise ConfigurationError(
            f"--as-of '{text}' is not a date.", "Write it as YYYY-MM-DD, for example 2026-11-26."
        ) from None
    check_as_of(as_of)
    return as_of


def generate(
    seed: int,
    scale: float = 1.0,
    as_of: date = DEFAULT_AS_OF,
    on_step: Callable[[str], None] | None = None,
) -> dict[str, list[dict]]:
    """Every extract of the synthetic partnership as of a day, keyed by file name.

    `on_step` is told what is being made before each step, for a progress display.
    """
    check_scale(scale)
    check_as_of(as_of)
    step = on_step or (lambda _: None)
    world = World(seed=seed, scale=scale, as_of=as_of)
    step("people")
    generate_people(world)
    extracts: dict[str, list[dict]] = {}
    for module in GENERATORS:
        step(STEPS.get(module, module))
        # Imported here, under its step: some pull in the data libraries, which takes a while.
        make = _generator(module)
        if make is None:
            continue
        for name, rows in make(world).items():
            if name == "people.csv" and name in extracts:
                extracts[name] = extracts[name] + rows  # each generator mints its own people
                continue
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
