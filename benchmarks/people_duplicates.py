"""Benchmark: `saferhub people duplicates` over 100,000 people. Target: under 60 s.

Builds a new SQLite database in a temporary folder, loads the seeded synthetic people
(with known duplicates: typos, swapped day and month, aliases, identifiers), then runs
the command once as a separate process and prints its wall time, the pairs found, the
precision and recall against the known duplicates, and the load average.

    .venv/bin/python benchmarks/people_duplicates.py [--people 100000] [--duplicates 5000]
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 60.0


def _load(data_dir: Path, people: int, duplicates: int) -> set[frozenset[str]]:
    os.environ["SAFERHUB_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "saferhub.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from saferhub.synth.duplicates import people_with_duplicates
    from saferhub.web.accounts.models import Agency
    from saferhub.web.people.models import Alias, Identifier, IdentifierKind, Person

    records, truth = people_with_duplicates(people, duplicates)
    Person.objects.bulk_create(
        [
            Person(
                id=int(r.id) + 1,
                first_name=r.first_name,
                last_name=r.last_name,
                date_of_birth=r.date_of_birth,
            )
            for r in records
        ],
        batch_size=5000,
    )
    Alias.objects.bulk_create(
        [Alias(person_id=int(r.id) + 1, name=a) for r in records for a in r.aliases],
        batch_size=5000,
    )
    # A number can be held once per issuer: a second record of someone carries the same
    # number as recorded by another agency, as an extract from it would.
    other = Agency.objects.create(name="Benchmark extract")
    seen: set[tuple[str, str]] = set()
    identifiers = []
    for r in records:
        for ident in r.identifiers:
            kind, value = ident.split(":", 1)
            issuer = other if (kind, value) in seen else None
            seen.add((kind, value))
            kind = IdentifierKind.PNC if kind == "pnc" else IdentifierKind.LOCAL
            identifiers.append(
                Identifier(person_id=int(r.id) + 1, kind=kind, value=value, issuer=issuer)
            )
    Identifier.objects.bulk_create(identifiers, batch_size=5000)
    return {frozenset(str(int(i) + 1) for i in pair) for pair in truth}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--duplicates", type=int, default=5_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        started = time.perf_counter()
        truth = _load(data_dir, args.people - args.duplicates, args.duplicates)
        print(f"loaded {args.people:,} people in {time.perf_counter() - started:.1f} s")
        out = data_dir / "pairs.csv"
        load_before = os.getloadavg()
        env = {**os.environ, "SAFERHUB_DATA_DIR": str(data_dir)}
        # An installed SaferHub has its modules compiled to bytecode (pip and uv do it on
        # install); an environment that forbids writing bytecode would time compiling
        # Splink, Django and DuckDB instead. Compile once into a private cache first.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(data_dir / "pycache")
        warm = "import saferhub.commands, splink, splink.comparison_library, django"
        subprocess.run([sys.executable, "-c", warm], env=env, check=True)
        command = [sys.executable, "-m", "saferhub.cli", "people", "duplicates", "--out", str(out)]
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True)
        seconds = time.perf_counter() - started
        load_after = os.getloadavg()
        with out.open(newline="") as handle:
            found = {frozenset((row["left_id"], row["right_id"])) for row in csv.DictReader(handle)}
        hits = len(found & truth)
        print(
            f"saferhub people duplicates over {args.people:,} people: {seconds:.1f} s "
            f"(target {TARGET_SECONDS:.0f} s, ratio {seconds / TARGET_SECONDS:.2f})"
        )
        print(
            f"pairs {len(found):,}; precision {hits / max(1, len(found)):.4f}; "
            f"recall {hits / len(truth):.4f}"
        )
        print(
            "load average before "
            + " ".join(f"{x:.2f}" for x in load_before)
            + "; after "
            + " ".join(f"{x:.2f}" for x in load_after)
        )


if __name__ == "__main__":
    main()
