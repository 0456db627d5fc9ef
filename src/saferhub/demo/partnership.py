"""Loading the synthetic partnership into the app's database for the demo.

Runs once per data directory: agencies, demo users, people with identifiers, involvements
and flags, then each programme's own loader (`saferhub.demo.<programme>.load`), which read
their files through the same `saferhub.sources` readers a real partnership's files go
through. Everything happens in one transaction, recorded as one "import" audit event.
"""

from __future__ import annotations

import importlib
import inspect
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from saferhub.sources.offences import OFFENCES_FILE, read_offences
from saferhub.sources.partnership import Row, read_rows
from saferhub.synth.people import USERS
from saferhub.web.accounts.models import Agency, Role, User
from saferhub.web.audit.context import acting_as
from saferhub.web.audit.log import record
from saferhub.web.people.models import Alias, Flag, Identifier, IdentifierKind, Involvement, Person

POLICE = "Metropolitan Police – North West BCU"
PROBATION = "Probation Service – Barnet"

# Programme apps whose demo loaders run after the people are in, in this order.
PROGRAMME_LOADERS = ["iom", "needs", "insights", "panels", "asb", "boardplan"]
LOADER_STEPS = {
    "iom": "the IOM cohort, offences and custody",
    "needs": "the probation caseload",
    "insights": "the crime figures",
    "panels": "MARAC, Community Safety MARAC, Adults at Risk and SIRM activity",
    "asb": "ASB cases, case reviews and tools and powers",
    "boardplan": "the board's action plan and forward plan",
}

# Caseload extract column (docs/formats/caseload-extract.md) → flag kind.
REGISTRATION_FLAGS = {
    "reg_mappa": "mappa",
    "reg_iom": "iom",
    "reg_ppo": "ppo",
    "reg_care_leaver": "care_leaver",
    "reg_armed_forces": "armed_forces",
    "reg_mental_health": "mental_health",
    "reg_self_harm": "suicide_self_harm",
    "reg_street_gangs": "street_gangs",
    "reg_weapons": "weapons",
}


@dataclass(frozen=True)
class SignIn:
    username: str
    description: str


def credentials_file() -> Path:
    return Path(settings.DATA_DIR) / "demo-password.txt"


def demo_password() -> str:
    """The demo users' shared password: random per data directory, never in the code."""
    path = credentials_file()
    if path.exists():
        return path.read_text().strip()
    password = secrets.token_urlsafe(9)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Created owner-only, never readable by others even for a moment.
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as handle:
        handle.write(password + "\n")
    path.chmod(0o600)  # in case another process created the file first
    return password


def is_loaded() -> bool:
    return Agency.objects.exists()


def sign_ins() -> list[SignIn]:
    return [
        SignIn(u, f"{first} {last}, {Role(role).label.lower()} at {agency}")
        for u, first, last, agency, role in USERS
    ]


def _read(path: Path) -> list[Row]:
    # The files a demo partnership leaves out are simply not loaded.
    return read_rows(path) if path.exists() else []


@transaction.atomic
def load_partnership(
    extract_dir: Path, as_of: date, on_step: Callable[[str], None] | None = None
) -> dict[str, int]:
    """Load the extracts written by `saferhub synth` as of `as_of` into the database.

    `on_step` is told what is being loaded before each step, for a progress display.
    """
    step = on_step or (lambda _: None)
    step("agencies, users and people")
    with acting_as("system: saferhub demo"):
        agencies = {}
        for row in _read(extract_dir / "agencies.csv"):
            programmes = [p for p in row["programmes"].split(";") if p]
            agencies[row["name"]] = Agency.objects.create(
                name=row["name"], kind=row["kind"], programmes=programmes
            )
        # Hashing is deliberately slow; the demo users share one password, so hash it once.
        password_hash = make_password(demo_password())
        for row in _read(extract_dir / "users.csv"):
            user = User(
                username=row["username"],
                first_name=row["first_name"],
                last_name=row["last_name"],
                agency=agencies[row["agency"]],
                role=row["role"],
            )
            user.password = password_hash
            user.save()

        people_rows = _read(extract_dir / "people.csv")
        people = Person.objects.bulk_create(
            [
                Person(
                    first_name=r["first_name"],
                    last_name=r["last_name"],
                    date_of_birth=date.fromisoformat(r["date_of_birth"])
                    if r["date_of_birth"]
                    else None,
                    gender=r["gender"],
                    ethnicity=r["ethnicity"],
                    address=r["address"],
                    postcode=r["postcode"],
                    ward=r["ward"],
                )
                for r in people_rows
            ],
            batch_size=1000,
        )
        ids = {r["person_id"]: p.pk for r, p in zip(people_rows, people, strict=True)}
        identifiers, aliases, involvements = [], [], []
        police, probation = agencies[POLICE], agencies[PROBATION]
        recent = _recent_offenders(extract_dir, as_of - timedelta(days=730))
        # Involvements and flags began some time before the as-of date, as in a live system.
        police_since = as_of - relativedelta(years=2)
        probation_since = as_of - relativedelta(months=20)
        for r, person in zip(people_rows, people, strict=True):
            if r["pnc_id"]:
                identifiers.append(
                    Identifier(person=person, kind=IdentifierKind.PNC, value=r["pnc_id"])
                )
                if r["pnc_id"] in recent:
                    involvements.append(
                        Involvement(
                            person=person,
                            agency=police,
                            reason="Offending history",
                            start=police_since,
                        )
                    )
            if r["crn"]:
                identifiers.append(
                    Identifier(person=person, kind=IdentifierKind.CRN, value=r["crn"])
                )
                involvements.append(
                    Involvement(
                        person=person,
                        agency=probation,
                        reason="On the probation caseload",
                        start=probation_since,
                    )
                )
            aliases.extend(Alias(person=person, name=a) for a in r["aliases"].split(";") if a)
        Identifier.objects.bulk_create(identifiers, batch_size=2000)
        Alias.objects.bulk_create(aliases, batch_size=2000)
        Involvement.objects.bulk_create(involvements, batch_size=2000)
        flags = _flags_from_caseload(
            extract_dir, ids, probation, as_of - relativedelta(years=2, months=6)
        )
        Flag.objects.bulk_create(flags, batch_size=2000)

        counts = {"agencies": len(agencies), "people": len(people), "flags": len(flags)}
        for app in PROGRAMME_LOADERS:
            if f"saferhub.web.{app}" not in settings.INSTALLED_APPS:
                continue
            module = importlib.import_module(f"saferhub.demo.{app}")
            step(LOADER_STEPS.get(app, app))
            # A loader that needs the as-of date (e.g. to know which meetings are past) asks.
            if "as_of" in inspect.signature(module.load).parameters:
                result = module.load(extract_dir, ids, as_of=as_of)
            else:
                result = module.load(extract_dir, ids)
            if isinstance(result, dict):
                counts.update(result)
        record(
            None,
            "import",
            summary="Loaded the synthetic demo partnership: "
            + ", ".join(f"{n:,} {what.replace('_', ' ')}" for what, n in counts.items()),
            detail=counts,
        )
        return counts


def _recent_offenders(extract_dir: Path, since: date) -> set[str]:
    """PNC IDs of people with an offence since `since`: those police are still involved with."""
    path = extract_dir / OFFENCES_FILE
    if not path.exists():
        return set()
    offences = read_offences(path)
    return {
        pnc_id
        for pnc_id, day in zip(
            offences["pnc_id"].to_pylist(), offences["offence_date"].to_pylist(), strict=True
        )
        if day >= since
    }


def _flags_from_caseload(
    extract_dir: Path, ids: dict[str, int], probation: Agency, since: date
) -> list[Flag]:
    """nDelius registrations in the caseload extract become flags on the person."""
    rows = _read(extract_dir / "caseload.csv")
    if not rows:
        return []
    by_crn = {}
    for r in _read(extract_dir / "people.csv"):
        if r["crn"]:
            by_crn[r["crn"]] = ids[r["person_id"]]
    flags = []
    for r in rows:
        person_id = by_crn.get(r.get("crn", ""))
        if person_id is None:
            continue
        for column, kind in REGISTRATION_FLAGS.items():
            value = (r.get(column) or "").strip().lower()
            if value in ("y", "yes", "true", "1"):
                flag = Flag(person_id=person_id, kind=kind, start=since, recorded_by=probation)
                if kind == "mappa":
                    flag.mappa_category, flag.mappa_level = 2, 1
                flags.append(flag)
    return flags
