"""Board pack benchmark: Barnet's pack for the November 2023 meeting from the real files.

Run from the repository root:

    .venv/bin/python benchmarks/board_pack.py [--runs 3]

Prints, as the median of the runs (wall and CPU seconds):

1. building the pack (reading the MPS and population files, the dashboard, the summary);
2. rendering the built pack in each format (JSON, HTML, XLSX, PDF, and Word where this
   installation has it);
3. the whole PDF: reading the files, building and rendering (target < 10 s on 2 cores).

Uses the London Datastore files in ../shared/data/mps; the sections from SaferHub's own
records need a database and are left out, so the figures are for the crime sections.
With `--database`, the whole pack (every section) is built from the app's database
instead (e.g. the demo's: SAFERHUB_DATA_DIR=/tmp/demo after `saferhub demo --no-serve`),
for the meeting `--meeting` with figures to `--to`.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from saferhub.app.board_pack import (
    CrimeFiles,
    PackRequest,
    available_formats,
    build_pack,
    render_pack,
)
from saferhub.rules.periods import Month

sys.path.insert(0, str(Path(__file__).resolve().parent))
from crime_dashboard import timed as crime_timed

REPO = Path(__file__).resolve().parents[1]
MPS = REPO.parent / "shared" / "data" / "mps"
PDF_TARGET = 10.0
REQUEST = PackRequest(
    area="Barnet",
    meeting=date(2023, 11, 28),
    to=Month(2023, 9),
    period="recent",
    recent_months=4,
    audience="restricted",
    sections=("summary", "dashboard"),
)


def timed(function, runs: int):
    """(median wall seconds, median CPU seconds, last result): the crime benchmark's timer."""
    wall, _fastest, cpu, result = crime_timed(function, runs)
    return wall, cpu, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", action="store_true", help="every section, from the database")
    parser.add_argument("--meeting", default="2025-11-20", help="with --database: YYYY-MM-DD")
    parser.add_argument("--to", default="2025-09", help="with --database: YYYY-MM")
    options = parser.parse_args()
    runs = options.runs
    if options.database:
        return whole_pack_from_database(options, runs)
    if not (MPS / "borough_21_23.csv").exists():
        print(f"The MPS files are not in {MPS}; nothing to measure.", file=sys.stderr)
        return 1
    files = CrimeFiles(
        (MPS / "borough_10_21.csv", MPS / "borough_21_23.csv"),
        MPS / "borough_population_gla2017.csv",
    )
    print(f"Load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    wall, cpu, pack = timed(lambda: build_pack(REQUEST, crime_files=files), runs)
    print(f"build the pack (read files, dashboard, summary): {wall:6.2f} s wall, {cpu:6.2f} s CPU")
    for fmt in available_formats():
        wall, cpu, body = timed(lambda fmt=fmt: render_pack(pack, REQUEST, fmt), runs)
        print(f"render {fmt:<5}: {wall:6.2f} s wall, {cpu:6.2f} s CPU, {len(body) / 1024:8.0f} KB")
    wall, cpu, _ = timed(
        lambda: render_pack(build_pack(REQUEST, crime_files=files), REQUEST, "pdf"), runs
    )
    print(
        f"whole PDF (files to PDF): {wall:6.2f} s wall, {cpu:6.2f} s CPU "
        f"(target {PDF_TARGET:.0f} s, ratio {wall / PDF_TARGET:.2f})"
    )
    return 0


def whole_pack_from_database(options, runs: int) -> int:
    from saferhub.commands.django_setup import setup_django

    setup_django()
    request = PackRequest(
        area="Barnet", meeting=date.fromisoformat(options.meeting), to=Month.parse(options.to)
    )
    print(f"Load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    wall, cpu, pack = timed(lambda: build_pack(request), runs)
    print(f"build the whole pack from the database: {wall:6.2f} s wall, {cpu:6.2f} s CPU")
    for fmt in available_formats():
        wall, cpu, body = timed(lambda fmt=fmt: render_pack(pack, request, fmt), runs)
        print(f"render {fmt:<5}: {wall:6.2f} s wall, {cpu:6.2f} s CPU, {len(body) / 1024:8.0f} KB")
    wall, cpu, _ = timed(lambda: render_pack(build_pack(request), request, "pdf"), runs)
    print(
        f"whole PDF (database to PDF): {wall:6.2f} s wall, {cpu:6.2f} s CPU "
        f"(target {PDF_TARGET:.0f} s, ratio {wall / PDF_TARGET:.2f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
