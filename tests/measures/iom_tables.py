"""Canonical IOM and reoffending tables for tests: hand-written rows or a seeded random set."""

from __future__ import annotations

import random
from datetime import date, timedelta

import ibis
import pyarrow as pa

from saferhub.rules.iom_pathways import OUTCOMES, PATHWAYS
from saferhub.rules.reoffending import DISPOSAL_TYPES, RELEASE_FROM_CUSTODY
from saferhub.sources.cohort import COHORT_SCHEMA, PATHWAYS_SCHEMA, TIERS_SCHEMA
from saferhub.sources.custody import CUSTODY_SCHEMA
from saferhub.sources.disposals import DISPOSALS_SCHEMA
from saferhub.sources.offences import OFFENCES_SCHEMA, offence_catalogue


def arrow(schema: pa.Schema, rows: list[dict]) -> pa.Table:
    return pa.table({f.name: [row.get(f.name) for row in rows] for f in schema}, schema=schema)


def table(schema: pa.Schema, rows: list[dict]) -> ibis.Table:
    return ibis.memtable(arrow(schema, rows))


def member(pnc_id: str, join: date, leave: date | None = None, **extra) -> dict:
    defaults = {
        "management": "Statutory",
        "tier": "Red",
        "gender": "Male",
        "ethnicity": "White",
        "date_of_birth": date(1990, 1, 1),
    }
    return {"pnc_id": pnc_id, "join_date": join, "leave_date": leave, **defaults, **extra}


def offence(
    pnc_id: str, on: date, group: str = "burglary_residential", offence_id: str | None = None
) -> dict:
    return {
        "offence_id": offence_id or f"{pnc_id}-{on.isoformat()}-{group}",
        "pnc_id": pnc_id,
        "offence_date": on,
        "offence_code": "28E",
        "offence_group": group,
    }


def cohort(*rows: dict) -> ibis.Table:
    return table(COHORT_SCHEMA, list(rows))


def offences(*rows: dict) -> ibis.Table:
    return table(OFFENCES_SCHEMA, list(rows))


def custody(*spells: tuple[str, date, date | None]) -> ibis.Table:
    return table(
        CUSTODY_SCHEMA,
        [
            {"pnc_id": p, "reception_date": r, "release_date": d, "custody_type": "sentence"}
            for p, r, d in spells
        ],
    )


def disposals(*rows: tuple[str, str, date, str, str | None]) -> ibis.Table:
    """(disposal_id, pnc_id, disposal_date, disposal_type, offence_id) tuples."""
    return table(
        DISPOSALS_SCHEMA,
        [
            {"disposal_id": i, "pnc_id": p, "disposal_date": d, "disposal_type": t, "offence_id": o}
            for i, p, d, t, o in rows
        ],
    )


def random_tables(seed: int = 7, people: int = 40) -> dict[str, pa.Table]:
    """A small but varied partnership: offences, spells, custody, disposals, tiers, pathways."""
    rng = random.Random(seed)
    groups = list(offence_catalogue().groups)
    start = date(2019, 1, 1)
    rows: dict[str, list[dict]] = {
        k: [] for k in ("offences", "cohort", "custody", "disposals", "tiers", "pathways")
    }
    for n in range(people):
        pnc = f"P{n:03d}"
        day = start
        for k in range(rng.randint(0, 14)):
            day += timedelta(days=rng.randint(5, 200))
            if day > date(2024, 6, 30):
                break
            oid = f"{pnc}-O{k}"
            rows["offences"].append(offence(pnc, day, rng.choice(groups), oid))
            if rng.random() < 0.7:
                kind = rng.choice([t for t in DISPOSAL_TYPES if t != RELEASE_FROM_CUSTODY])
                rows["disposals"].append(
                    {
                        "disposal_id": f"{oid}-D",
                        "pnc_id": pnc,
                        "disposal_date": day + timedelta(days=rng.randint(0, 600)),
                        "disposal_type": kind,
                        "offence_id": oid,
                    }
                )
        if rng.random() < 0.5:
            reception = date(2020, 1, 1) + timedelta(days=rng.randint(0, 1200))
            release = (
                reception + timedelta(days=rng.randint(0, 300)) if rng.random() < 0.8 else None
            )
            rows["custody"].append(
                {
                    "pnc_id": pnc,
                    "reception_date": reception,
                    "release_date": release,
                    "custody_type": "sentence",
                }
            )
            if release:
                rows["disposals"].append(
                    {
                        "disposal_id": f"{pnc}-R",
                        "pnc_id": pnc,
                        "disposal_date": release,
                        "disposal_type": RELEASE_FROM_CUSTODY,
                        "offence_id": None,
                    }
                )
        if n % 3 == 0:
            join = date(2021, 1, 1) + timedelta(days=rng.randint(0, 900))
            leave = join + timedelta(days=rng.randint(30, 500)) if rng.random() < 0.4 else None
            rows["cohort"].append(
                member(
                    pnc,
                    join,
                    leave,
                    management=rng.choice(["Statutory", "Non-statutory"]),
                    gender=rng.choice(["Male", "Male", "Female"]),
                    ethnicity=rng.choice(["White", "Black", "Asian"]),
                    date_of_birth=date(1960, 1, 1) + timedelta(days=rng.randint(0, 15000)),
                )
            )
            rows["tiers"].append(
                {"pnc_id": pnc, "tier": "Red", "from_date": join, "reason": "Selected"}
            )
            rows["tiers"].append(
                {
                    "pnc_id": pnc,
                    "tier": rng.choice(["Amber", "Green", "Blue"]),
                    "from_date": join + timedelta(days=90),
                    "reason": "Review",
                }
            )
            for pathway in rng.sample(list(PATHWAYS), 3):
                outcome = rng.choice([*OUTCOMES, None])
                referred = join + timedelta(days=rng.randint(0, 200))
                rows["pathways"].append(
                    {
                        "pnc_id": pnc,
                        "pathway": PATHWAYS[pathway],
                        "provider": "Provider",
                        "referral_date": referred,
                        "outcome": outcome,
                        "outcome_date": referred + timedelta(days=60) if outcome else None,
                    }
                )
    schemas = {
        "offences": OFFENCES_SCHEMA,
        "cohort": COHORT_SCHEMA,
        "custody": CUSTODY_SCHEMA,
        "disposals": DISPOSALS_SCHEMA,
        "tiers": TIERS_SCHEMA,
        "pathways": PATHWAYS_SCHEMA,
    }
    return {name: arrow(schemas[name], rows[name]) for name in schemas}
