"""The ASB case list under load on PostgreSQL.

Target: with 20,000 ASB cases in the database (each worked by two or three of the
council, police and housing, with complainants, people causing harm and incidents), 20
signed-in officers each asking for the case list, pausing 1 s between pages, are served
95% of pages in under 200 ms.

The script creates a throwaway database `saferhub_asb_bench`, fills it, starts
`saferhub serve` on 127.0.0.1 (loopback only), signs in 20 clients as the council's ASB
officer and has each fetch the list (all cases, open cases, or a search by ward) with a
1 s pause after each page, for a bounded number of pages (and at most --time-limit
seconds). Every page is a real one: the programme check, the need-to-know filter, the
audit write, the template. The server is always stopped and the database always dropped.

    .venv/bin/python benchmarks/asb_list.py [--postgres-url postgres://postgres@127.0.0.1:5432]
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
BENCH_DATABASE = "saferhub_asb_bench"
USERNAME = "asb.officer"
PASSWORD = "benchmark password not for use"  # noqa: S105 - a throwaway database on loopback

FILL = """
import json, random, sys
from datetime import date, timedelta
import django
django.setup()
from saferhub.web.accounts.models import Agency, Role, User
from saferhub.web.asb.models import AsbCase, CaseAgency, Complainant, Incident, Respondent
from saferhub.web.audit.context import acting_as
from saferhub.web.people.models import Person

wanted = int(sys.argv[1])
rng = random.Random(2026)
wards = ["Burnt Oak", "Colindale North", "Colindale South", "West Hendon", "Edgware",
         "Childs Hill", "Golders Green", "East Barnet", "Underhill", "Mill Hill"]
with acting_as("system: benchmark"):
    council, police, housing = (
        Agency.objects.create(name=n, kind=k, programmes=["asb"])
        for n, k in [("Council ASB team", "community_safety"), ("Police", "police"),
                     ("Housing", "housing")]
    )
    user = User(username=sys.argv[2], agency=council, role=Role.PRACTITIONER)
    user.set_password(sys.argv[3])
    user.save()
    today = date.today()
    cases = AsbCase.objects.bulk_create(
        (AsbCase(reference=f"ASB{n + 1:06d}", summary=f"Noise and nuisance {n}",
                 category=rng.choice(["personal", "nuisance", "environmental"]),
                 location="High Street", ward=rng.choice(wards),
                 opened_on=today - timedelta(days=rng.randrange(2000)),
                 status="open" if rng.random() < 0.3 else "closed",
                 lead_agency=rng.choice([council, police, housing]))
         for n in range(wanted)),
        batch_size=5000,
    )
    for case in cases:
        if case.status == "closed":
            case.closed_on = min(today, case.opened_on + timedelta(days=rng.randint(30, 400)))
    AsbCase.objects.bulk_update(cases, ["closed_on"], batch_size=5000)
    links = []
    for case in cases:
        working = {case.lead_agency_id, *rng.sample([council.pk, police.pk, housing.pk], 2)}
        links += [CaseAgency(case=case, agency_id=a, since=case.opened_on) for a in working]
    CaseAgency.objects.bulk_create(links, batch_size=5000)
    people = Person.objects.bulk_create(
        (Person(first_name=f"First{n}", last_name=f"Last{n}") for n in range(2 * wanted)),
        batch_size=5000,
    )
    complainants = Complainant.objects.bulk_create(
        (Complainant(case=c, person=people[2 * n]) for n, c in enumerate(cases)), batch_size=5000
    )
    Respondent.objects.bulk_create(
        (Respondent(case=c, person=people[2 * n + 1]) for n, c in enumerate(cases)),
        batch_size=5000,
    )
    Incident.objects.bulk_create(
        (Incident(case=c, occurred_on=c.opened_on, location="High Street", category=c.category,
                  complainant=who, reported_on=c.opened_on)
         for c, who in zip(cases, complainants) for _ in range(3)),
        batch_size=5000,
    )
from django.db import connection

with connection.cursor() as cursor:
    cursor.execute("ANALYZE")  # as autovacuum would soon after a bulk load
print(json.dumps({"cases": AsbCase.objects.count(), "wards": wards}))
"""


def apply_paced_load(
    clients: list[Client], paths: list[str], per_client: int, pause_s: float, limit_s: float
) -> tuple[list[float], int, float]:
    """Each client asks for a page, then pauses, as an officer reading the list would."""
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    began = time.perf_counter()
    deadline = began + limit_s

    def work(client: Client, seed: int) -> None:
        nonlocal failures
        rng = random.Random(seed)
        time.sleep(rng.random() * pause_s)  # officers do not all click at the same instant
        for _ in range(per_client):
            if time.perf_counter() > deadline:
                return
            start = time.perf_counter()
            status, _ = client.request("GET", rng.choice(paths))
            took = (time.perf_counter() - start) * 1000
            with lock:
                if status == 200:
                    latencies.append(took)
                else:
                    failures += 1
            time.sleep(pause_s)

    threads = [threading.Thread(target=work, args=(c, n)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(latencies), failures, time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=20, help="pages per client")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between pages")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    with (
        tempfile.TemporaryDirectory(prefix="saferhub-asb-bench-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        data_dir = Path(tmp)
        url = stack.enter_context(throwaway_database(options.postgres_url, BENCH_DATABASE))
        env = environment(data_dir, url)
        run([str(SAFERHUB), "manage", "migrate", "--verbosity", "0"], env)
        began = time.perf_counter()
        filled = json.loads(
            run([sys.executable, "-c", FILL, str(options.cases), USERNAME, PASSWORD], env)
        )
        print(f"filled {filled['cases']:,} ASB cases in {time.perf_counter() - began:.0f} s")
        port = stack.enter_context(running_server(env, data_dir / "server.log", options.workers))
        clients = [Client(port) for _ in range(options.clients)]
        for client in clients:
            client.sign_in(USERNAME, PASSWORD)
        paths = ["/asb/cases/", "/asb/cases/?status=open"]
        paths += [f"/asb/cases/?q={ward.replace(' ', '+')}" for ward in filled["wards"]]
        latencies, failures, elapsed = apply_paced_load(
            clients, paths, options.requests, options.pause, options.time_limit
        )
        if len(latencies) < 2:
            sys.exit(f"Too few successful pages ({len(latencies)}), {failures} failures.")
        p95 = statistics.quantiles(latencies, n=100)[94]
        print(
            f"case list   {len(latencies)} pages by {options.clients} clients pausing "
            f"{options.pause:g} s in {elapsed:.1f} s, {failures} failures\n"
            f"            p50 {statistics.median(latencies):6.0f} ms   p95 {p95:6.0f} ms   "
            f"max {latencies[-1]:6.0f} ms   target p95 < {P95_TARGET_MS:.0f} ms   "
            f"{'within' if p95 < P95_TARGET_MS else 'OVER'}"
        )


if __name__ == "__main__":
    main()
