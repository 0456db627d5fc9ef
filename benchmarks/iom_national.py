"""National-scale IOM impact and proven reoffending: SaferHub's Ibis measures on DuckDB,
side by side with hand-written DuckDB SQL computing the same figures, and on PySpark.

Run from the repository root:

    .venv/bin/python benchmarks/iom_national.py [--offenders 500000] [--offences 10000000]
        [--spark-offenders 50000] [--spark-offences 1000000] [--no-spark]

The synthetic national data is generated inside DuckDB (`range()` and a seeded `random()`),
not row by row in Python: offenders with skewed offending, offences from 2018 to 2023
with offence groups, disposals for most offences (cautions, convictions, custodial ones
with a release), custody spells, and a national IOM cohort.

Prints, for the full size on DuckDB:

1. the time to compute proven reoffending (a 12-month cohort) and IOM impact (rates before
   and after joining, custody excluded) with the Ibis measures: target under 2 s together;
2. the same figures from a hand-written DuckDB SQL query, after asserting they agree: the
   Ibis measures should be within 1.5 times its time;
3. the process's peak memory.

Then the same Ibis expressions on local PySpark (`local[2]`), by default on a smaller data
set written to Parquet, because a single-machine Spark at 10 million rows only measures
the laptop. The printout says which size Spark ran.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb
import ibis

from saferhub.measures.iom import offending_rates
from saferhub.measures.reoffending import (
    index_events,
    reoffending_per_offender,
    reoffending_summary,
)

REPORT = date(2023, 9, 30)
COHORT_FIRST, COHORT_LAST = date(2021, 4, 1), date(2022, 3, 31)
GROUPS = [
    "violence_with_injury",
    "violence_without_injury",
    "burglary_residential",
    "robbery_personal",
    "theft_from_person",
    "shoplifting",
    "drugs",
    "criminal_damage",
    "weapons",
    "public_order",
]


def generate(con: duckdb.DuckDBPyConnection, offenders: int, offences: int) -> None:
    """Build the national tables inside DuckDB."""
    groups = "[" + ", ".join(f"'{g}'" for g in GROUPS) + "]"
    con.execute("SELECT setseed(0.42)")
    # Squaring a uniform number makes a few people prolific and most occasional.
    # The SQL below is built from this script's own numbers, never from user input.
    con.execute(
        f"""
        CREATE OR REPLACE TABLE offences AS
        SELECT
            'O' || i::VARCHAR AS offence_id,
            'P' || floor({offenders} * pow(random(), 2))::BIGINT::VARCHAR AS pnc_id,
            (DATE '2018-01-01' + floor(random() * 2099)::INTEGER) AS offence_date,
            '8N' AS offence_code,
            {groups}[1 + floor(random() * {len(GROUPS)})::INTEGER] AS offence_group
        FROM range({offences}) t(i)
        """  # noqa: S608
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE disposals_raw AS
        SELECT offence_id, pnc_id, offence_date, random() AS r, random() AS lag FROM offences
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE disposals AS
        SELECT 'D' || offence_id AS disposal_id, pnc_id,
               (offence_date + (10 + floor(lag * 300))::INTEGER) AS disposal_date,
               CASE WHEN r < 0.25 THEN 'caution'
                    WHEN r < 0.60 THEN 'conviction_non_custodial'
                    ELSE 'conviction_custodial' END AS disposal_type,
               offence_id
        FROM disposals_raw WHERE r < 0.72
        UNION ALL
        SELECT 'R' || offence_id, pnc_id,
               (offence_date + (10 + floor(lag * 300) + 30 + floor(lag * 200))::INTEGER),
               'release_from_custody', NULL
        FROM disposals_raw WHERE r >= 0.60 AND r < 0.72
        """
    )
    con.execute("DROP TABLE disposals_raw")
    con.execute("DELETE FROM disposals WHERE disposal_date > DATE '2023-09-30'")
    # One custody spell each for every fifth person, so spells never overlap.
    con.execute(
        f"""
        CREATE OR REPLACE TABLE custody AS
        SELECT 'P' || (i * 5)::VARCHAR AS pnc_id,
               (DATE '2019-01-01' + floor(random() * 1600)::INTEGER) AS reception_date,
               CASE WHEN random() < 0.9 THEN NULL ELSE NULL END::DATE AS release_date,
               'sentence' AS custody_type
        FROM range({offenders // 5}) t(i)
        """  # noqa: S608
    )
    con.execute(
        "UPDATE custody SET release_date = reception_date + (14 + floor(random() * 300))::INTEGER "
        "WHERE random() < 0.9"
    )
    # A national IOM cohort: one spell each for every 25th person.
    con.execute(
        f"""
        CREATE OR REPLACE TABLE cohort AS
        SELECT 'P' || (i * 25)::VARCHAR AS pnc_id,
               (DATE '2020-01-01' + floor(random() * 1300)::INTEGER) AS join_date,
               NULL::DATE AS leave_date,
               CASE WHEN random() < 0.85 THEN 'Statutory' ELSE 'Non-statutory' END AS management,
               'Red' AS tier, 'Male' AS gender, 'White' AS ethnicity, NULL::DATE AS date_of_birth,
               NULL::VARCHAR AS join_reason, NULL::VARCHAR AS leave_reason
        FROM range({offenders // 25}) t(i)
        """  # noqa: S608
    )
    con.execute(
        "UPDATE cohort SET leave_date = join_date + (60 + floor(random() * 600))::INTEGER "
        "WHERE random() < 0.4"
    )
    con.execute("UPDATE cohort SET leave_date = NULL WHERE leave_date > DATE '2023-09-30'")


HAND_SQL_REOFFENDING = """
WITH idx AS (
    SELECT pnc_id, min(disposal_date) AS index_date FROM disposals
    WHERE disposal_type IN ('caution', 'conviction_non_custodial', 'release_from_custody')
      AND disposal_date BETWEEN DATE '{first}' AND DATE '{last}'
    GROUP BY pnc_id
),
proof AS (
    SELECT offence_id, min(disposal_date) AS proven_on FROM disposals
    WHERE disposal_type IN ('caution', 'conviction_non_custodial', 'conviction_custodial')
      AND offence_id IS NOT NULL
      AND disposal_date > DATE '{first}' AND disposal_date <= DATE '{last}' + INTERVAL 18 MONTH
    GROUP BY offence_id
),
re AS (
    SELECT i.pnc_id, count(DISTINCT o.offence_id) AS n
    FROM idx i JOIN offences o ON o.pnc_id = i.pnc_id
    JOIN proof p ON p.offence_id = o.offence_id
    WHERE o.offence_date > DATE '{first}' AND o.offence_date <= DATE '{last}' + 365
      AND o.offence_date > i.index_date AND o.offence_date <= i.index_date + 365
      AND p.proven_on <= i.index_date + INTERVAL 18 MONTH
    GROUP BY i.pnc_id
)
SELECT count(*) AS offenders, count(re.pnc_id) AS reoffenders, coalesce(sum(re.n), 0) AS reoffences
FROM idx LEFT JOIN re ON re.pnc_id = idx.pnc_id
"""

HAND_SQL_IMPACT = """
WITH w AS (
    SELECT pnc_id, join_date, join_date - 365 AS bf, join_date - 1 AS bl,
           least(coalesce(leave_date, DATE '{report}'), DATE '{report}') AS al
    FROM cohort WHERE join_date <= DATE '{report}'
),
c AS (
    SELECT w.pnc_id, w.join_date,
        sum(greatest(0, date_diff('day', greatest(w.bf, k.reception_date),
            least(w.bl, coalesce(k.release_date - 1, DATE '{report}'))) + 1)) AS cb,
        sum(greatest(0, date_diff('day', greatest(w.join_date, k.reception_date),
            least(w.al, coalesce(k.release_date - 1, DATE '{report}'))) + 1)) AS ca
    FROM w JOIN custody k ON k.pnc_id = w.pnc_id
    GROUP BY w.pnc_id, w.join_date
),
e AS (
    SELECT w.*, 365 - coalesce(c.cb, 0) AS before_days,
           date_diff('day', w.join_date, w.al) + 1 - coalesce(c.ca, 0) AS after_days
    FROM w LEFT JOIN c ON c.pnc_id = w.pnc_id AND c.join_date = w.join_date
),
o AS (
    SELECT sum(CASE WHEN o.offence_date < w.join_date THEN 1 ELSE 0 END) AS ob,
           sum(CASE WHEN o.offence_date >= w.join_date THEN 1 ELSE 0 END) AS oa
    FROM w JOIN offences o ON o.pnc_id = w.pnc_id
    WHERE o.offence_date BETWEEN w.bf AND w.al
)
SELECT o.ob AS offences_before, o.oa AS offences_after,
       o.ob / (sum(e.before_days) / 365.25) AS rate_before,
       o.oa / (sum(e.after_days) / 365.25) AS rate_after
FROM e, o GROUP BY o.ob, o.oa
"""


def ibis_expressions(offences, disposals, cohort, custody):
    index = index_events(disposals, COHORT_FIRST, COHORT_LAST)
    return (
        reoffending_summary(
            reoffending_per_offender(index, offences, disposals, (COHORT_FIRST, COHORT_LAST))
        ),
        offending_rates(cohort, offences, custody, REPORT),
    )


def timed(work):
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


def best_of(runs: int, work):
    times, result = [], None
    for _ in range(runs):
        result, seconds = timed(work)
        times.append(seconds)
    return result, min(times)


def peak_memory_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_duckdb(offenders: int, offences: int, runs: int) -> tuple[dict, dict]:
    raw = duckdb.connect()
    _, seconds = timed(lambda: generate(raw, offenders, offences))
    counts = {
        t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
        for t in ("offences", "disposals", "custody", "cohort")
    }
    print(f"Generated in {seconds:.1f} s: " + ", ".join(f"{n:,} {t}" for t, n in counts.items()))
    con = ibis.duckdb.from_connection(raw)
    tables = [con.table(name) for name in ("offences", "disposals", "cohort", "custody")]
    reoffending_expr, impact_expr = ibis_expressions(*tables)

    def measures():
        return (
            con.to_pyarrow(reoffending_expr).to_pylist()[0],
            con.to_pyarrow(impact_expr).to_pylist()[0],
        )

    def hand():
        r = raw.execute(
            HAND_SQL_REOFFENDING.format(first=COHORT_FIRST, last=COHORT_LAST)
        ).fetchone()
        i = raw.execute(HAND_SQL_IMPACT.format(report=REPORT)).fetchone()
        return (
            {"offenders": r[0], "reoffenders": r[1], "reoffences": r[2]},
            {
                "offences_before": i[0],
                "offences_after": i[1],
                "rate_before": i[2],
                "rate_after": i[3],
            },
        )

    (reoff, impact), ibis_seconds = best_of(runs, measures)
    (hand_reoff, hand_impact), sql_seconds = best_of(runs, hand)
    for key in ("offenders", "reoffenders", "reoffences"):
        assert reoff[key] == hand_reoff[key], (key, reoff[key], hand_reoff[key])
    for key in ("offences_before", "offences_after"):
        assert impact[key] == hand_impact[key], (key, impact[key], hand_impact[key])
    for key in ("rate_before", "rate_after"):
        assert abs(impact[key] - hand_impact[key]) < 1e-9, (key, impact[key], hand_impact[key])
    print(
        f"Proven reoffending {COHORT_FIRST:%b %Y}-{COHORT_LAST:%b %Y}: "
        f"{reoff['offenders']:,} offenders, {reoff['reoffenders']:,} reoffenders "
        f"({reoff['rate_pct']:.1f}%), {reoff['reoffences']:,} reoffences"
    )
    print(
        f"IOM impact: {impact['spells']:,} spells, {impact['rate_before']:.2f} offences per "
        f"offender-year before, {impact['rate_after']:.2f} after "
        f"({impact['reduction_pct']:.1f}% fewer)"
    )
    print("Hand-written SQL gives the same figures.")
    target = "PASS" if ibis_seconds < 2 else "MISS"
    ratio = ibis_seconds / sql_seconds if sql_seconds else float("inf")
    within = "PASS" if ratio <= 1.5 else "MISS"
    print(
        f"Ibis measures on DuckDB:   {ibis_seconds:6.2f} s (best of {runs}; target < 2 s: {target})"
    )
    print(f"Hand-written DuckDB SQL:   {sql_seconds:6.2f} s (best of {runs})")
    print(f"Ratio:                     {ratio:6.2f} x (target within 1.5 x: {within})")
    print(f"Peak memory (whole process, incl. DuckDB): {peak_memory_mb():,.0f} MB")
    return reoff, impact


def run_spark(offenders: int, offences: int) -> None:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        print("PySpark is not installed; skipping the Spark timing.")
        return
    raw = duckdb.connect()
    generate(raw, offenders, offences)
    with tempfile.TemporaryDirectory() as folder:
        for name in ("offences", "disposals", "cohort", "custody"):
            raw.execute(f"COPY {name} TO '{Path(folder) / name}.parquet' (FORMAT parquet)")
        session = (
            SparkSession.builder.master("local[2]")
            .appName("saferhub-iom-benchmark")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.memory", "4g")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        try:
            con = ibis.pyspark.connect(session)
            tables = [
                con.read_parquet(str(Path(folder) / f"{name}.parquet"), table_name=name)
                for name in ("offences", "disposals", "cohort", "custody")
            ]
            reoffending_expr, impact_expr = ibis_expressions(*tables)
            duck = ibis.duckdb.from_connection(raw)
            duck_tables = [duck.table(n) for n in ("offences", "disposals", "cohort", "custody")]
            duck_reoff, duck_impact = ibis_expressions(*duck_tables)

            def measures():
                return (
                    con.to_pyarrow(reoffending_expr).to_pylist()[0],
                    con.to_pyarrow(impact_expr).to_pylist()[0],
                )

            (reoff, impact), first = timed(measures)
            _, second = timed(measures)
            expected = duck.to_pyarrow(duck_reoff).to_pylist()[0]
            expected_impact = duck.to_pyarrow(duck_impact).to_pylist()[0]
            assert reoff["reoffences"] == expected["reoffences"]
            assert impact["offences_after"] == expected_impact["offences_after"]
            print(
                f"PySpark local[2] on {offenders:,} offenders / {offences:,} offences "
                f"(smaller than the DuckDB run): first run {first:.1f} s, second {second:.1f} s; "
                "figures agree with DuckDB."
            )
        finally:
            session.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offenders", type=int, default=500_000)
    parser.add_argument("--offences", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--spark-offenders", type=int, default=50_000)
    parser.add_argument("--spark-offences", type=int, default=1_000_000)
    parser.add_argument("--no-spark", action="store_true")
    args = parser.parse_args(argv)
    run_duckdb(args.offenders, args.offences, args.runs)
    if not args.no_spark:
        run_spark(args.spark_offenders, args.spark_offences)


if __name__ == "__main__":
    main(sys.argv[1:])
