"""The person-record page under load: 20 signed-in clients at once, on SQLite and PostgreSQL.

Target: 95% of person-record pages served in under 200 ms.

For each database the script prepares the demo partnership at the default scale, starts
`saferhub serve --workers 2` on 127.0.0.1 (loopback only), signs in 20 clients as
`probation.practitioner`, and has each fetch person records that user may see, all
at the same time, for a bounded number of requests (and at most --time-limit seconds).
By default the clients ask again as soon as a page arrives, the harshest reading of
"20 users at once"; `--pause S` has each wait about S seconds between pages, like a
person reading. Every page view is a real one: the session, need-to-know, the audit
write, the template. Besides response times it prints the processor time the app server
spent per page, a figure that hardly depends on what else the machine is doing.
The server is always stopped and the PostgreSQL database always dropped afterwards.

    .venv/bin/python benchmarks/person_record_load.py [--backend sqlite|postgresql|both] [--pause S]

PostgreSQL: a server at 127.0.0.1:5432 that lets the user `postgres` in without a password
(override with --postgres-url); the script creates and drops the database `saferhub_bench`.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the benchmarks folder
from local_server import HOST, Client, free_port, throwaway_database

P95_TARGET_MS = 200.0
USERNAME = "probation.practitioner"
BENCH_DATABASE = "saferhub_bench"
SAFERHUB = Path(sys.executable).with_name("saferhub")

LOAD_PARTNERSHIP = """
import sys
from pathlib import Path
import django
django.setup()
from saferhub.synth.world import DEFAULT_AS_OF
from saferhub.demo.partnership import load_partnership
print(load_partnership(Path(sys.argv[1]), DEFAULT_AS_OF))  # `saferhub synth`'s default day
"""

VISIBLE_PEOPLE = """
import json, sys
import django
django.setup()
from saferhub.web.accounts.models import User
from saferhub.web.people.access import visible_people

user = User.objects.get(username=sys.argv[1])
print(json.dumps(list(visible_people(user).order_by("pk").values_list("pk", flat=True))))
"""


# --- preparing a database ------------------------------------------------------------------


def base_environment(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        SAFERHUB_ENV="development",
        SAFERHUB_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="saferhub.web.settings",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run(command: list[str], env: dict[str, str], step: str) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{step} failed (exit code {result.returncode}):\n{result.stderr[-3000:]}")
    return result.stdout


def prepare_sqlite(data_dir: Path, scale: float) -> dict[str, str]:
    env = base_environment(data_dir, None)
    run(
        [str(SAFERHUB), "demo", "--no-serve", "--data-dir", str(data_dir), "--scale", str(scale)],
        env,
        "Preparing the demo",
    )
    return env


def prepare_postgresql(data_dir: Path, scale: float, database_url: str) -> dict[str, str]:
    env = base_environment(data_dir, database_url)
    run([str(SAFERHUB), "manage", "migrate", "--verbosity", "0"], env, "Migrating")
    extracts = data_dir / "extracts"
    run([str(SAFERHUB), "synth", "--out", str(extracts), "--scale", str(scale)], env, "synth")
    run([sys.executable, "-c", LOAD_PARTNERSHIP, str(extracts)], env, "Loading the demo")
    return env


def visible_person_ids(env: dict[str, str]) -> list[int]:
    output = run([sys.executable, "-c", VISIBLE_PEOPLE, USERNAME], env, "Finding visible people")
    return json.loads(output)


# --- the server ---------------------------------------------------------------------------


@contextlib.contextmanager
def running_server(env: dict[str, str], log: Path, workers: int) -> Iterator[tuple[int, int]]:
    """Start `saferhub serve` on loopback; once /health/ answers, yield its port and process id.

    The server is always stopped afterwards.
    """
    port = free_port()
    command = [
        str(SAFERHUB),
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    with log.open("w") as output:
        server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_until_healthy(server, port, log)
        yield port, server.pid
    finally:
        server.terminate()  # gunicorn's master stops its workers gracefully on SIGTERM
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def server_cpu_seconds(pid: int) -> float | None:
    """Processor time used so far by the server and its worker processes (Linux only).

    Unlike response times, this hardly depends on what else the machine is doing.
    """
    total = 0.0
    try:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                # Fields after the command name: state, ppid, … utime (12th), stime (13th).
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(stat.parent.name) == pid or int(fields[1]) == pid:
                    total += int(fields[11]) + int(fields[12])
    except OSError:
        return None
    return total / os.sysconf("SC_CLK_TCK")


def wait_until_healthy(
    server: subprocess.Popen, port: int, log: Path, limit_s: float = 120
) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"The server exited with code {server.returncode}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/health/")
            if connection.getresponse().status == 200:
                return
        time.sleep(0.25)
    sys.exit(f"The server did not answer within {limit_s:.0f} s:\n{log.read_text()[-3000:]}")


# --- the load -----------------------------------------------------------------------------


@dataclass
class LoadResult:
    latencies_ms: list[float]
    failures: int
    elapsed_s: float
    warm_ups: int
    server_cpu_s: float | None = None

    @property
    def timed_requests(self) -> int:
        # The processor time is counted from when the clock starts, after the warm-up
        # pages: only the pages after it share it.
        return len(self.latencies_ms) + self.failures


def apply_load(
    clients: list[Client],
    person_ids: list[int],
    per_client: int,
    limit_s: float,
    pause_s: float,
    on_start: Callable[[], None] = lambda: None,
) -> LoadResult:
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    window: dict[str, float] = {}

    def open_window() -> None:
        # Runs once, when every client has warmed its connection (and each worker has served
        # its first record, which loads templates and modules once): the clock starts here.
        on_start()
        window["began"] = time.perf_counter()
        window["deadline"] = window["began"] + limit_s

    start = threading.Barrier(len(clients), action=open_window)

    def fetch(client: Client, rng: random.Random) -> int | None:
        try:
            status, _ = client.request("GET", f"/people/{rng.choice(person_ids)}/")
        except (OSError, http.client.HTTPException):
            return None
        return status

    def work(client: Client, seed: int) -> None:
        nonlocal failures
        rng = random.Random(seed)
        try:
            fetch(client, rng)  # opens the connection, so the timed requests reuse it
        finally:
            start.wait()
        for n in range(per_client):
            if time.perf_counter() > window["deadline"]:
                return
            if pause_s and n:
                # Reading time, jittered so the clients don't ask in lockstep.
                time.sleep(rng.uniform(0.5, 1.5) * pause_s)
            began = time.perf_counter()
            status = fetch(client, rng)
            took = (time.perf_counter() - began) * 1000
            with lock:
                if status == 200:
                    latencies.append(took)
                else:
                    failures += 1

    threads = [threading.Thread(target=work, args=(c, n)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(latencies, failures, time.perf_counter() - window["began"], len(clients))


def sign_in_all(port: int, count: int, password: str) -> list[Client]:
    clients = [Client(port) for _ in range(count)]
    threads = [threading.Thread(target=c.sign_in, args=(USERNAME, password)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if not all("sessionid" in c.cookies for c in clients):
        sys.exit("Not every client could sign in.")
    return clients


def report(backend: str, result: LoadResult, clients: int, pause_s: float) -> None:
    latencies = sorted(result.latencies_ms)
    if len(latencies) < 2:
        print(
            f"{backend}: too few successful requests ({len(latencies)}), {result.failures} failures"
        )
        return
    p95 = statistics.quantiles(latencies, n=100)[94]
    print(
        f"{backend:<11} {len(latencies)} pages by {clients} clients "
        f"({f'pausing {pause_s:g} s between pages' if pause_s else 'without pausing'}) "
        f"in {result.elapsed_s:.1f} s "
        f"({len(latencies) / result.elapsed_s:.0f}/s), {result.failures} failures\n"
        f"{'':<11} p50 {statistics.median(latencies):6.0f} ms   p95 {p95:6.0f} ms   "
        f"max {latencies[-1]:6.0f} ms   target p95 < {P95_TARGET_MS:.0f} ms   "
        f"ratio {p95 / P95_TARGET_MS:4.2f}  {'within' if p95 < P95_TARGET_MS else 'OVER'}"
    )
    if result.server_cpu_s is not None:
        per_page = result.server_cpu_s / result.timed_requests * 1000
        print(
            f"{'':<11} app server processor time {per_page:.1f} ms a page (database server "
            f"not counted): at most {(os.cpu_count() or 1) * 1000 / per_page:.0f} pages/s "
            f"on {os.cpu_count()} cores"
        )


def benchmark(backend: str, options: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="saferhub-bench-") as tmp:
        data_dir = Path(tmp)
        with contextlib.ExitStack() as stack:
            if backend == "sqlite":
                env = prepare_sqlite(data_dir, options.scale)
            else:
                url = stack.enter_context(
                    throwaway_database(options.postgres_url, options.database)
                )
                env = prepare_postgresql(data_dir, options.scale, url)
            person_ids = visible_person_ids(env)
            password = (data_dir / "demo-password.txt").read_text().strip()
            port, pid = stack.enter_context(
                running_server(env, data_dir / "server.log", options.workers)
            )
            clients = sign_in_all(port, options.clients, password)
            cpu: dict[str, float | None] = {}
            result = apply_load(
                clients,
                person_ids,
                options.requests,
                options.time_limit,
                options.pause,
                on_start=lambda: cpu.update(before=server_cpu_seconds(pid)),
            )
            cpu_after = server_cpu_seconds(pid)
            cpu_before = cpu.get("before")
            if cpu_before is not None and cpu_after is not None:
                result.server_cpu_s = cpu_after - cpu_before
            print(f"{backend}: {len(person_ids):,} people visible to {USERNAME}")
            report(backend, result, options.clients, options.pause)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="page views per client")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds of load at most")
    parser.add_argument(
        "--pause",
        type=float,
        default=0.0,
        help="seconds each client waits between pages, on average (0: none, the harshest load)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument(
        "--database", default=BENCH_DATABASE, help="name of the throwaway PostgreSQL database"
    )
    options = parser.parse_args()
    # Figures from a busy machine read slow: say how busy it was.
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    for backend in ["sqlite", "postgresql"] if options.backend == "both" else [options.backend]:
        benchmark(backend, options)


if __name__ == "__main__":
    main()
