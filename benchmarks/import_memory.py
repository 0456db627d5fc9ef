"""Peak memory and time to read a ~200 MB MPS crime file and a ~200 MB caseload extract.

    PYTHONPATH=src python benchmarks/import_memory.py [--megabytes 200]

Generates both files in a temporary folder, then reads each in a fresh child process
(so one reading does not inherit the other's memory) and prints the child's peak
resident memory (its own `getrusage(RUSAGE_SELF).ru_maxrss`) and the wall time. The
target is a peak under 1 GB for a 200 MB file. No asserts: it prints the figures.
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The child reads one file through the same reader the CLI uses, then prints its own
# peak resident memory (kB on Linux).
PEAK = "; import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
CHILD = {
    "crime": (
        "from saferhub.sources.mps import read_mps_file; "
        "r = read_mps_file(r'{path}'); print(sum(b.counts.size for b in r.blocks), 'counts')"
    ),
    "caseload": (
        "from saferhub.sources.caseload import read_caseload; "
        "c = read_caseload(r'{path}'); print(c.people, 'people')"
    ),
}

BOROUGHS = ["Barnet", "Camden", "Brent", "Harrow", "Enfield", "Haringey", "Ealing"]
CATEGORIES = [
    ("Burglary", "Domestic Burglary"),
    ("Burglary", "Burglary Business and Community"),
    ("Robbery", "Robbery of Personal Property"),
    ("Theft", "Theft from the Person"),
    ("Vehicle Offences", "Theft from a Motor Vehicle"),
    ("Violence Against the Person", "Violence with Injury"),
    ("Violence Against the Person", "Violence without Injury"),
    ("Arson and Criminal Damage", "Criminal Damage"),
]


def crime_file(path: Path, megabytes: int) -> None:
    """A ward-level file, 2010-04 to 2023-09 (162 months), counts like the real ones."""
    rng = random.Random(1)
    months = [f"{y}{m:02d}" for y in range(2010, 2024) for m in range(1, 13)][3:-3]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["MajorText", "MinorText", "WardName", "WardCode", "LookUp_BoroughName", *months]
        )
        ward = 0
        while handle.tell() < megabytes << 20:
            ward += 1
            borough = BOROUGHS[ward % len(BOROUGHS)]
            for major, minor in CATEGORIES:
                row = [rng.choice((0, 0, 0, 1, 1, 2, 3, 5, 8, 13)) for _ in months]
                writer.writerow([major, minor, f"Ward {ward}", f"E05{ward:06d}", borough, *row])


def caseload_file(path: Path, megabytes: int) -> None:
    """A caseload extract like the synthetic one, its rows repeated with new CRNs."""
    from saferhub.synth.caseload import FILE_NAME, generate
    from saferhub.synth.world import World

    rows = generate(World(seed=1))[FILE_NAME]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        number = 0
        while handle.tell() < megabytes << 20:
            for row in rows:
                number += 1
                crn = f"{chr(65 + number // 1_000_000)}{number % 1_000_000:06d}"
                writer.writerow(row | {"crn": crn})


def measure(kind: str, path: Path) -> tuple[float, float, str]:
    """(peak MB, seconds, what the child printed) for reading one file in a child."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD[kind].format(path=path) + PEAK],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"{kind}: the reader failed:\n{done.stderr}")
    said, peak = done.stdout.strip().rsplit("\n", 1)
    return int(peak) / 1024, seconds, said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        files = {
            "crime": (Path(folder) / "mps_ward_crime.csv", crime_file),
            "caseload": (Path(folder) / "caseload.csv", caseload_file),
        }
        for kind, (path, make) in files.items():
            make(path, args.megabytes)
            size = path.stat().st_size / (1 << 20)
            peak, seconds, said = measure(kind, path)
            print(f"{kind:9} {size:6.0f} MB file: peak {peak:6.0f} MB, {seconds:5.1f} s ({said})")


if __name__ == "__main__":
    main()
