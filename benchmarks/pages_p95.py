"""The IOM board, needs and crime pages for one signed-in user, on PostgreSQL.

Targets: after a data change (the cached figures are stale, so the page reads the
database through the application layer's Ibis seam and computes again) 95% of pages in
under 300 ms; when the figures are cached, 95% in under 50 ms.

The script creates a throwaway database `saferhub_pages_bench`, loads the demo
partnership into it (`saferhub manage migrate`, `saferhub synth`, the demo loader),
starts `saferhub serve --workers 1` on 127.0.0.1, signs in as the demo administrator,
and for each page:

- cached: asks once to warm the cache, then `--requests` times;
- after a data change: before each of `--requests` pages, raises the data version in
  the database (what every write does in its transaction), then asks for the page.

It prints the median, 95th percentile and maximum of each, with the target and the ratio.
The server is always stopped and the database always dropped.

    .venv/bin/python benchmarks/pages_p95.py [--requests 20] [--scale 1.0]
        [--postgres-url postgres://postgres@127.0.0.1:5432] [--database NAME]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the benchmarks folder
from local_server import Client, throwaway_database
from person_record_load import prepare_postgresql, running_server

BENCH_DATABASE = "saferhub_pages_bench"
USERNAME = "admin"
PAGES = {"IOM board": "/iom/board/", "needs": "/needs/", "crime": "/insights/"}
AREAS = {"IOM board": ("iom",), "needs": ("needs",), "crime": ("insights",)}
CHANGED_TARGET_MS = 300.0
CACHED_TARGET_MS = 50.0


def timed(client: Client, path: str) -> float:
    start = time.perf_counter()
    status, _ = client.request("GET", path)
    elapsed = (time.perf_counter() - start) * 1000
    if status != 200:
        sys.exit(f"{path} answered HTTP {status}.")
    return elapsed


def summary(label: str, times: list[float], target: float) -> str:
    ordered = sorted(times)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (
        f"  {label:<22} median {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms   "
        f"max {ordered[-1]:7.1f} ms   target p95 < {target:.0f} ms (ratio {p95 / target:.2f})"
    )


# A write that changes figures the page shows, made in the same transaction as the new data
# version (as the app's own write services do), so the charts of the changed figures are
# drawn again: one person's accommodation need; the tier of the newest tier change; the
# partnership's latest monthly figure of knife crime with injury (a partner series). Stored
# crime counts are never changed in place: a new import replaces them (see --after-import).
REAL_CHANGES = {
    "needs": (
        "UPDATE needs_caseloadentry SET needs = jsonb_set(needs, '{accommodation}', "
        "to_jsonb(NOT coalesce((needs->>'accommodation')::boolean, false))) "
        "WHERE id = (SELECT min(id) FROM needs_caseloadentry)"
    ),
    "IOM board": (
        "UPDATE iom_tierrecord SET tier = CASE tier WHEN 'Red' THEN 'Amber' ELSE 'Red' END "
        "WHERE id = (SELECT max(id) FROM iom_tierrecord)"
    ),
    "crime": (
        "UPDATE insights_seriesvalue SET value = value + 1 - 2 * mod(value::integer, 2) "
        "WHERE id = (SELECT id FROM insights_seriesvalue WHERE measure = "
        "'Knife crime with injury' ORDER BY month DESC, id LIMIT 1)"
    ),
}


# What a new import of the same MPS file does to the stored crime data (web/insights/data.py
# `store`): a new release owns every count. The page must then read every count again.
NEW_IMPORT = (
    "INSERT INTO insights_crimerelease (file, level, first_month, last_month, first_used, "
    "last_used, imported_at) SELECT file, level, first_month, last_month, first_used, "
    "last_used, now() FROM insights_crimerelease ORDER BY id DESC LIMIT 1",
    "UPDATE insights_crimecount SET release_id = (SELECT max(id) FROM insights_crimerelease)",
    "DELETE FROM insights_crimerelease WHERE id < (SELECT max(id) FROM insights_crimerelease)",
)


def new_import(database_url: str) -> None:
    import psycopg

    with psycopg.connect(database_url) as connection, connection.transaction():
        for statement in NEW_IMPORT:
            connection.execute(statement)
        connection.execute(
            "INSERT INTO people_dataversion (area, token) VALUES ('insights', md5(random()::text)) "
            "ON CONFLICT (area) DO UPDATE SET token = EXCLUDED.token"
        )


def analyse(database_url: str) -> None:
    """What autovacuum does soon after a bulk load: gather the planner's statistics. Timing
    pages in the minute after the load would otherwise measure plans made without them."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("ANALYZE")


def bump(database_url: str, page: str, real: bool = False) -> None:
    """What a write to the page's data does in its transaction: a new data version, and with
    `real` a change to figures the page shows."""
    import psycopg

    with psycopg.connect(database_url) as connection, connection.transaction():
        if real:
            connection.execute(REAL_CHANGES[page])
        for area in AREAS[page]:
            connection.execute(
                "INSERT INTO people_dataversion (area, token) VALUES (%s, md5(random()::text)) "
                "ON CONFLICT (area) DO UPDATE SET token = EXCLUDED.token",
                [area],
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default=BENCH_DATABASE, help="the throwaway database")
    parser.add_argument(
        "--real-change",
        action="store_true",
        help="also change figures the page shows before each page (charts are drawn again)",
    )
    parser.add_argument(
        "--after-import",
        action="store_true",
        help="crime page only, each page after a new import of the crime counts",
    )
    options = parser.parse_args()
    print(f"Load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with (
        tempfile.TemporaryDirectory(prefix="saferhub-pages-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        data_dir = Path(tmp)
        url = stack.enter_context(throwaway_database(options.postgres_url, options.database))
        env = prepare_postgresql(data_dir, options.scale, url)
        analyse(url)

        password = (data_dir / "demo-password.txt").read_text().strip()
        port, _ = stack.enter_context(running_server(env, data_dir / "server.log", 1))
        client = Client(port)
        client.sign_in(USERNAME, password)
        pages = {"crime": PAGES["crime"]} if options.after_import else PAGES
        for name, path in pages.items():
            timed(client, path)  # the server's first page of each kind starts its caches
            changed = []
            for _ in range(options.requests):
                if options.after_import:
                    new_import(url)
                else:
                    bump(url, name, options.real_change)
                changed.append(timed(client, path))
            timed(client, path)  # warm
            cached = [timed(client, path) for _ in range(options.requests)]
            print(f"{name} ({path}), PostgreSQL, one signed-in client:")
            label = (
                "after a new import"
                if options.after_import
                else "after a change of figures"
                if options.real_change
                else "after a data change"
            )
            print(summary(label, changed, CHANGED_TARGET_MS))
            print(summary("cached", cached, CACHED_TARGET_MS))


if __name__ == "__main__":
    main()
