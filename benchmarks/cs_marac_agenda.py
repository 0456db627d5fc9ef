"""The Community Safety MARAC agenda under load on PostgreSQL.

Target: with 50 open cases on one meeting's agenda, 20 signed-in clients each asking for
the agenda and then pausing 1 second (as a person reading it would) are served within
200 ms at the 95th percentile.

The script creates a throwaway database `saferhub_cs_marac_bench`, fills it with a Community
Safety MARAC history (closed cases from earlier meetings, each with actions and research)
and one coming meeting with 50 open cases listed, each with research from 3 agencies and 3
actions; starts `saferhub serve` on 127.0.0.1, signs in 20 clients as the coordinator and
has them read the agenda for --duration seconds. Every page is a real one: the programme
check, the need-to-know filter, the audit write naming all 50 people, the template.
The server is always stopped and the database always dropped afterwards.

    .venv/bin/python benchmarks/cs_marac_agenda.py [--duration 20] [--postgres-url ...]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the benchmarks folder
from local_server import Client, throwaway_database
from marac_load import SAFERHUB, environment, run, running_server

P95_TARGET_MS = 200.0
BENCH_DATABASE = "saferhub_cs_marac_bench"
USERNAME = "cs.coordinator"
PASSWORD = "benchmark password not for use"  # noqa: S105 - a throwaway database on loopback

FILL = """
import json, random, sys
from datetime import date, timedelta
import django
django.setup()
from django.utils import timezone
from saferhub.web.accounts.models import Agency, Role, User
from saferhub.web.audit.context import acting_as
from saferhub.web.panels.models import Action, Attendance, Case, Listing, Meeting, Research
from saferhub.web.people.models import Person

open_cases, history = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(2026)
today = timezone.localdate()
with acting_as("system: benchmark"):
    kinds = ["police", "community_safety", "housing", "health", "childrens_services"]
    agencies = [Agency.objects.create(name=f"Agency {k}", kind=k, programmes=["asb_marac"])
                for k in kinds]
    user = User(username=sys.argv[3], agency=agencies[1], role=Role.COORDINATOR)
    user.set_password(sys.argv[4])
    user.save()
    coming = Meeting.objects.create(panel="asb_marac", date=today + timedelta(days=3))
    past = Meeting.objects.bulk_create(
        Meeting(panel="asb_marac", date=coming.date - timedelta(weeks=6 * n), held=True)
        for n in range(1, 1 + -(-history // 4))
    )
    people = Person.objects.bulk_create(
        Person(first_name=f"First{n}", last_name=f"Last{n}", gender=rng.choice("MF"),
               date_of_birth=date(1960, 1, 1) + timedelta(days=rng.randrange(16000)),
               address=f"{n} High Street", postcode="N3 1AA")
        for n in range(open_cases + history)
    )
    def case(n, status, heard, closed=None):
        return Case(panel="asb_marac", reference=f"C{n + 1:06d}", victim=people[n],
                    referral_date=(heard or coming.date) - timedelta(days=10),
                    referring_agency=rng.choice(agencies), status=status,
                    criteria=["persistent_asb"], heard_date=heard, closed_on=closed,
                    asb_case_reference=f"ASB-2026-{n:04d}")
    closed = [case(open_cases + n, "closed", past[n // 4].date, past[n // 4].date
                   + timedelta(days=84)) for n in range(history)]
    opened = [case(n, "review", past[n % len(past)].date) for n in range(open_cases)]
    cases = Case.objects.bulk_create(opened + closed)
    listings = Listing.objects.bulk_create(
        [Listing(meeting=coming, case=c, position=n + 1) for n, c in enumerate(cases[:open_cases])]
        + [Listing(meeting=past[n // 4], case=c, position=n % 4 + 1, heard=True)
           for n, c in enumerate(cases[open_cases:])]
    )
    Research.objects.bulk_create(
        Research(listing=item, agency=a, text="Two complaints this month; visited twice.")
        for item in listings for a in rng.sample(agencies, 3)
    )
    Action.objects.bulk_create(
        Action(case=c, owner_agency=rng.choice(agencies), description="Visit the household",
               risk_addressed="housing", due_date=today + timedelta(days=rng.randint(-20, 30)))
        for c in cases for _ in range(3)
    )
    Attendance.objects.bulk_create(Attendance(meeting=m, agency=a) for m in past for a in agencies)
from django.db import connection

with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
print(json.dumps({"meeting": coming.pk, "cases": Case.objects.count(),
                  "listed": coming.listings.count()}))
"""


def read_with_pauses(clients: list[Client], path: str, duration: float, pause: float):
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    start = threading.Barrier(len(clients))

    def work(client: Client, seed: int) -> None:
        nonlocal failures
        rng = random.Random(seed)
        client.request("GET", path)  # warm the connection
        start.wait()
        time.sleep(rng.uniform(0, pause))  # people do not all click at the same instant
        deadline = time.perf_counter() + duration
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            status, _ = client.request("GET", path)
            took = (time.perf_counter() - began) * 1000
            with lock:
                if status == 200:
                    latencies.append(took)
                else:
                    failures += 1
            time.sleep(pause)

    threads = [threading.Thread(target=work, args=(c, n)) for n, c in enumerate(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(latencies), failures, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--open-cases", type=int, default=50)
    parser.add_argument("--history", type=int, default=200, help="closed cases before")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between pages")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load")
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    with (
        tempfile.TemporaryDirectory(prefix="saferhub-cs-marac-bench-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        data_dir = Path(tmp)
        url = stack.enter_context(throwaway_database(options.postgres_url, BENCH_DATABASE))
        env = environment(data_dir, url)
        run([str(SAFERHUB), "manage", "migrate", "--verbosity", "0"], env)
        filled = json.loads(
            run(
                [
                    sys.executable,
                    "-c",
                    FILL,
                    str(options.open_cases),
                    str(options.history),
                    USERNAME,
                    PASSWORD,
                ],
                env,
            )
        )
        print(f"filled {filled['cases']} cases; {filled['listed']} listed on the agenda")
        port = stack.enter_context(running_server(env, data_dir / "server.log", options.workers))
        clients = [Client(port) for _ in range(options.clients)]
        for client in clients:
            client.sign_in(USERNAME, PASSWORD)
        path = f"/cs-marac/meetings/{filled['meeting']}/"
        latencies, failures, elapsed = read_with_pauses(
            clients, path, options.duration, options.pause
        )
        if len(latencies) < 2:
            sys.exit(f"Too few successful pages ({len(latencies)}), {failures} failures.")
        p95 = statistics.quantiles(latencies, n=100)[94]
        print(
            f"agenda of {filled['listed']} cases: {len(latencies)} pages by {options.clients} "
            f"clients pausing {options.pause:g} s, in {elapsed:.1f} s, {failures} failures\n"
            f"p50 {statistics.median(latencies):.0f} ms   p95 {p95:.0f} ms   "
            f"max {latencies[-1]:.0f} ms   target p95 < {P95_TARGET_MS:.0f} ms   "
            f"{'within' if p95 < P95_TARGET_MS else 'OVER'}"
        )


if __name__ == "__main__":
    main()
