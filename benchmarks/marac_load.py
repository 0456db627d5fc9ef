"""MARAC pages under load on PostgreSQL: the meeting agenda and the quarterly statistics.

Target: with 5,000 cases and 50,000 actions in the database and 20 signed-in clients
asking at once, 95% of agenda pages and 95% of quarterly-statistics pages are served in
under 200 ms.

The script creates a throwaway database `saferhub_marac_bench` on the PostgreSQL server,
fills it (weekly meetings of 15 cases, 10 actions and 3 agencies' research per case),
starts `saferhub serve` on 127.0.0.1 (loopback only), signs in 20 clients as the MARAC
coordinator, and has them fetch agendas of random meetings, then the statistics page for
one of the latest five quarters (what coordinators look at), for a bounded number of
requests (and at most --time-limit seconds per page). Every page is a real one: the
programme check, the audit write, the template.
The server is always stopped and the database always dropped afterwards.

    .venv/bin/python benchmarks/marac_load.py [--postgres-url postgres://postgres@127.0.0.1:5432]

The server must let that user in without a password and allow CREATE DATABASE.
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
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the benchmarks folder
from local_server import HOST, Client, free_port, throwaway_database

P95_TARGET_MS = 200.0
BENCH_DATABASE = "saferhub_marac_bench"
USERNAME = "marac.coordinator"
PASSWORD = "benchmark password not for use"  # noqa: S105 - a throwaway database on loopback
SAFERHUB = Path(sys.executable).with_name("saferhub")

# Runs inside the app's environment: fills the database, prints what the load needs.
FILL = """
import json, random, sys
from datetime import date, timedelta
import django
django.setup()
from saferhub.rules.periods import Month
from saferhub.web.accounts.models import Agency, Role, User
from saferhub.web.audit.context import acting_as
from saferhub.web.panels.models import (
    Action, Case, Child, Listing, Meeting, Perpetrator, Research,
)
from saferhub.web.people.models import Person

cases_wanted, actions_per_case, per_meeting = (int(a) for a in sys.argv[1:4])
rng = random.Random(2023)
with acting_as("system: benchmark"):
    kinds = ["police", "community_safety", "housing", "health", "childrens_services",
             "probation", "voluntary", "youth_justice"]
    agencies = [Agency.objects.create(name=f"Agency {k}", kind=k, programmes=["da_marac"])
                for k in kinds]
    user = User(username=sys.argv[4], agency=agencies[1], role=Role.COORDINATOR)
    user.set_password(sys.argv[5])
    user.save()
    meetings_needed = -(-cases_wanted // per_meeting)
    last = date(2024, 3, 28)
    meetings = Meeting.objects.bulk_create(
        Meeting(panel="da_marac", date=last - timedelta(weeks=n), held=True)
        for n in range(meetings_needed)
    )
    people = Person.objects.bulk_create(
        Person(first_name=f"First{n}", last_name=f"Last{n}", gender="F" if n % 2 == 0 else "M",
               ethnicity=rng.choice(["W1", "B1", "A3", "NS"]),
               date_of_birth=date(1960, 1, 1) + timedelta(days=rng.randrange(16000)))
        for n in range(2 * cases_wanted)
    )
    cases = Case.objects.bulk_create(
        Case(panel="da_marac", reference=f"M{n + 1:06d}", victim=people[2 * n],
             referral_date=meetings[n // per_meeting].date - timedelta(days=7),
             referring_agency=rng.choice(agencies), status="actions",
             criteria=["visible_high_risk"], checklist_score=15,
             victim_lgbt=rng.random() < 0.03, victim_disabled=rng.random() < 0.1,
             is_repeat=rng.random() < 0.2, heard_date=meetings[n // per_meeting].date)
        for n in range(cases_wanted)
    )
    Perpetrator.objects.bulk_create(
        Perpetrator(case=c, person=people[2 * n + 1], relationship="ex_partner")
        for n, c in enumerate(cases)
    )
    Child.objects.bulk_create(
        Child(case=c, age=rng.randrange(18)) for c in cases for _ in range(rng.choice([0, 0, 1, 2]))
    )
    listings = Listing.objects.bulk_create(
        Listing(meeting=meetings[n // per_meeting], case=c, position=n % per_meeting + 1,
                heard=True)
        for n, c in enumerate(cases)
    )
    Research.objects.bulk_create(
        (Research(listing=item, agency=a, text="Known to the agency; two call-outs this year.")
         for item in listings for a in rng.sample(agencies, 3)),
        batch_size=5000,
    )
    Action.objects.bulk_create(
        (Action(case=c, owner_agency=rng.choice(agencies), description="Complete a safety plan",
                risk_addressed="victim_safety", due_date=c.heard_date + timedelta(days=28),
                status=rng.choice(["open", "done", "done"]))
         for c in cases for _ in range(actions_per_case)),
        batch_size=5000,
    )
    quarters = sorted({Month.of(m.date).financial_quarter.key for m in meetings})
from django.db import connection

with connection.cursor() as cursor:
    cursor.execute("ANALYZE")  # as autovacuum would soon after a bulk load
print(json.dumps({
    "meetings": [m.pk for m in meetings],
    "quarters": quarters[-5:],
    "cases": Case.objects.count(),
    "actions": Action.objects.count(),
}))
"""


def environment(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        SAFERHUB_ENV="development",
        SAFERHUB_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="saferhub.web.settings",
        DATABASE_URL=database_url,
    )
    return env


def run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(
            f"{' '.join(command[:3])} … failed ({result.returncode}):\n{result.stderr[-3000:]}"
        )
    return result.stdout


@contextlib.contextmanager
def running_server(env: dict[str, str], log: Path, workers: int) -> Iterator[int]:
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
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                sys.exit(f"The server exited ({server.returncode}):\n{log.read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                probe = http.client.HTTPConnection(HOST, port, timeout=2)
                probe.request("GET", "/health/")
                if probe.getresponse().status == 200:
                    break
            if time.monotonic() > deadline:
                sys.exit(f"The server did not answer in time:\n{log.read_text()[-3000:]}")
            time.sleep(0.25)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def apply_load(
    clients: list[Client], paths: list[str], per_client: int, limit_s: float, pause: float = 0.0
):
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    window: dict[str, float] = {}

    def open_window() -> None:
        window["began"] = time.perf_counter()
        window["deadline"] = window["began"] + limit_s

    start = threading.Barrier(len(clients), action=open_window)

    def work(client: Client, seed: int) -> None:
        nonlocal failures
        rng = random.Random(seed)
        client.request("GET", rng.choice(paths))  # warm the connection
        start.wait()
        for _ in range(per_client):
            if time.perf_counter() > window["deadline"]:
                return
            began = time.perf_counter()
            status, _ = client.request("GET", rng.choice(paths))
            took = (time.perf_counter() - began) * 1000
            with lock:
                if status == 200:
                    latencies.append(took)
                else:
                    failures += 1
            if pause:
                # Like a person reading the page: between half and one and a half times `pause`.
                time.sleep(rng.uniform(0.5 * pause, 1.5 * pause))

    threads = [threading.Thread(target=work, args=(c, n)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(latencies), failures, time.perf_counter() - window["began"]


def report(page: str, latencies: list[float], failures: int, elapsed: float, clients: int) -> None:
    if len(latencies) < 2:
        print(f"{page}: too few successful requests ({len(latencies)}), {failures} failures")
        return
    p95 = statistics.quantiles(latencies, n=100)[94]
    print(
        f"{page:<11} {len(latencies)} pages by {clients} clients in {elapsed:.1f} s "
        f"({len(latencies) / elapsed:.0f}/s), {failures} failures\n"
        f"{'':<11} p50 {statistics.median(latencies):6.0f} ms   p95 {p95:6.0f} ms   "
        f"max {latencies[-1]:6.0f} ms   target p95 < {P95_TARGET_MS:.0f} ms   "
        f"{'within' if p95 < P95_TARGET_MS else 'OVER'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--actions-per-case", type=int, default=10)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="pages per client per page kind")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per page kind")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--pause", type=float, default=0.0, help="seconds each client waits between pages"
    )
    parser.add_argument("--database", default=BENCH_DATABASE, help="name of the throwaway database")
    options = parser.parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    with (
        tempfile.TemporaryDirectory(prefix="saferhub-marac-bench-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        data_dir = Path(tmp)
        url = stack.enter_context(throwaway_database(options.postgres_url, options.database))
        env = environment(data_dir, url)
        run([str(SAFERHUB), "manage", "migrate", "--verbosity", "0"], env)
        began = time.perf_counter()
        filled = json.loads(
            run(
                [
                    sys.executable,
                    "-c",
                    FILL,
                    str(options.cases),
                    str(options.actions_per_case),
                    "15",
                    USERNAME,
                    PASSWORD,
                ],
                env,
            )
        )
        print(
            f"filled {filled['cases']:,} cases, {filled['actions']:,} actions, "
            f"{len(filled['meetings'])} meetings in {time.perf_counter() - began:.0f} s"
        )
        port = stack.enter_context(running_server(env, data_dir / "server.log", options.workers))
        clients = [Client(port) for _ in range(options.clients)]
        for client in clients:
            client.sign_in(USERNAME, PASSWORD)
        pages = {
            "agenda": [f"/marac/meetings/{pk}/" for pk in filled["meetings"]],
            "statistics": [
                "/marac/statistics/?" + urllib.parse.urlencode({"quarter": q, "quarters": 5})
                for q in filled["quarters"]
            ],
        }
        for page, paths in pages.items():
            latencies, failures, elapsed = apply_load(
                clients, paths, options.requests, options.time_limit, options.pause
            )
            report(page, latencies, failures, elapsed, options.clients)


if __name__ == "__main__":
    main()
