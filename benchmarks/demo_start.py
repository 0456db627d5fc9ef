"""How long `saferhub demo` takes to be ready, from a fresh data folder and from a used one.

Cold start: an empty data folder, so the run migrates a new SQLite database, generates
the synthetic partnership as of today at the default scale and loads it. Target: under
15 s on a quiet 2-core machine (installs excluded: `./run` skips them when the lock
files are unchanged).
Warm start: the same folder again, so the run only checks the database and prints
the sign-ins. Target: under 3 s.

Each run is a separate `saferhub demo --no-serve` process, timed from launch to exit,
so interpreter start-up and imports count, as they do for someone typing the command.
The cold run's own step times are printed too. The load average is printed before and
after: on a shared machine the figures read slow, and say by how much.

    .venv/bin/python benchmarks/demo_start.py [--warm-runs 3] [--scale 1.0]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLD_TARGET_S = 15.0
WARM_TARGET_S = 3.0
SAFERHUB = Path(sys.executable).with_name("saferhub")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_demo(
    data_dir: Path, scale: float, steps: list[str] | None = None
) -> tuple[float, float | None, float]:
    """One `saferhub demo --no-serve` run: (wall seconds, its 'Ready in' figure, CPU seconds).

    The CPU seconds (user + system) barely change with the machine's load, so on a busy
    machine they say what the wall time would be on a quiet one, near enough: the run is
    single-threaded.
    """
    command = [
        str(SAFERHUB),
        "demo",
        "--no-serve",
        "--data-dir",
        str(data_dir),
        "--scale",
        str(scale),
    ]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["COLUMNS"] = "200"
    started, cpu = time.perf_counter(), children_cpu()
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    wall, cpu = time.perf_counter() - started, children_cpu() - cpu
    if result.returncode != 0:
        sys.exit(f"saferhub demo failed with exit code {result.returncode}:\n{result.stderr}")
    if steps is not None:
        steps.extend(line for line in result.stdout.splitlines() if line.startswith("✓"))
    ready = re.search(r"Ready in ([\d.]+) s", result.stdout)
    return wall, float(ready.group(1)) if ready else None, cpu


def report(
    label: str, seconds: float, target: float, ready: float | None, cpu: float | None = None
) -> None:
    inner = f" (the command's own figure: {ready:.1f} s)" if ready is not None else ""
    if cpu is not None:
        inner += f", CPU {cpu:.1f} s"
    verdict = "within" if seconds < target else "OVER"
    print(
        f"{label:<12} {seconds:6.1f} s   target < {target:.0f} s   "
        f"ratio {seconds / target:4.2f}  {verdict}{inner}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm-runs", type=int, default=3)
    parser.add_argument("--scale", type=float, default=1.0)
    options = parser.parse_args()

    # Figures from a busy machine read slow: say how busy it was.
    print(f"{os.cpu_count()} cores, {load()} at the start")
    steps: list[str] = []
    with tempfile.TemporaryDirectory(prefix="saferhub-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        cold, cold_ready, cold_cpu = run_demo(data_dir, options.scale, steps)
        warm = [run_demo(data_dir, options.scale) for _ in range(options.warm_runs)]
    print(f"{os.cpu_count()} cores, {load()} at the end")

    print(f"saferhub demo --no-serve, scale {options.scale}")
    report("cold start", cold, COLD_TARGET_S, cold_ready, cold_cpu)
    for line in steps:
        print(f"    {line}")
    for n, (seconds, ready, cpu) in enumerate(warm, start=1):
        report(f"warm run {n}", seconds, WARM_TARGET_S, ready, cpu)
    median = statistics.median(seconds for seconds, _, _ in warm)
    report("warm median", median, WARM_TARGET_S, None)


if __name__ == "__main__":
    main()
