"""Benchmark: a national-scale caseload extract (1,000,000 people) from CSV to every table.

Target: under 3 seconds from the CSV file to all the needs analysis tables (reading,
validating every row, and every cross-tabulation), on a 2-core machine.

    .venv/bin/python benchmarks/needs_national.py [--people 1000000] [--extract FILE] [--runs 3]

The synthetic extract is generated first (not timed) unless --extract names one; it is
written to a temporary folder and removed afterwards unless --keep is given. Imports and
a small warm-up run are done before timing, so the figure is the analysis, not Python
start-up. Reported: wall-clock and CPU time per run (CPU time counts every core: on a
machine busy with other work the wall-clock time grows but the CPU time barely moves),
peak resident memory of the process (ru_maxrss; the extract is generated in a child
process so it does not count) and Arrow's peak allocation.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyarrow as pa

from saferhub.measures.needs import analyse
from saferhub.sources.caseload import read_caseload
from saferhub.synth import caseload as synth_caseload
from saferhub.synth.world import World

TARGET_SECONDS = 3.0
SCALE_ONE_PEOPLE = sum(synth_caseload.SETTING_COUNTS.values())


def write_extract(path: Path, people: int, seed: int = 2021) -> Path:
    world = World(seed=seed, scale=people / SCALE_ONE_PEOPLE)
    rows = synth_caseload.generate(world)[synth_caseload.FILE_NAME]
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def run_once(path: Path) -> tuple[float, float, int]:
    started, cpu = time.perf_counter(), cpu_seconds()
    caseload = read_caseload(path)
    analysis = analyse(caseload)
    return time.perf_counter() - started, cpu_seconds() - cpu, len(analysis.tables)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--extract", type=Path, help="Use this extract instead of generating one.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="Keep the generated extract.")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="saferhub-needs-"))
    try:
        warm_up = write_extract(folder / "warm_up.csv", 500)
        run_once(warm_up)  # imports, Ibis compilation caches
        if args.extract:
            path = args.extract
        else:
            started = time.perf_counter()
            # In a child process, so the peak memory reported below is the analysis's own.
            with ProcessPoolExecutor(max_workers=1) as pool:
                path = pool.submit(
                    write_extract, folder / "caseload_national.csv", args.people
                ).result()
            print(f"generated {path} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        size_mb = path.stat().st_size / 1e6
        print(f"extract: {path.name}, {size_mb:.0f} MB, cores: {os.cpu_count()}")
        print(f"load average before: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
        walls = []
        for run in range(1, args.runs + 1):
            wall, cpu, tables = run_once(path)
            walls.append(wall)
            print(f"run {run}: {wall:.2f} s wall, {cpu:.2f} s CPU, {tables} tables")
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"best: {min(walls):.2f} s (target {TARGET_SECONDS:.0f} s)")
        print(f"peak resident memory: {peak_rss:.0f} MB")
        print(f"peak Arrow allocation: {pa.default_memory_pool().max_memory() / 1e6:.0f} MB")
        print(f"load average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return 0 if min(walls) < TARGET_SECONDS else 1
    finally:
        for file in folder.iterdir():
            if args.keep and file.name == "caseload_national.csv":
                print(f"kept {file}", file=sys.stderr)
                continue
            file.unlink()
        if not any(folder.iterdir()):
            folder.rmdir()


if __name__ == "__main__":
    sys.exit(main())
