"""The IOM and proven reoffending measures give identical results on DuckDB and PySpark."""

from __future__ import annotations

import os
import sys
from datetime import date

import ibis
import pandas as pd
import pyarrow.parquet as pq
import pytest
from tests.measures.iom_tables import random_tables

from saferhub.measures import iom
from saferhub.measures.reoffending import (
    index_events,
    reoffending_per_offender,
    reoffending_summary,
)
from saferhub.rules.costs import UnitCost, UnitCostTable
from saferhub.rules.iom_scoring import ScoringMatrix

pytestmark = [pytest.mark.spark, pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")]

REPORT = date(2023, 9, 30)
FAMILIES = {"burglary_residential": "Burglary", "violence_with_injury": "Violence"}
COSTS = UnitCostTable.of(
    [
        UnitCost("burglary_residential", 5930, "2015/16", "HO"),
        UnitCost("robbery_personal", 11320, "2015/16", "HO"),
    ]
)


@pytest.fixture(scope="module")
def spark_con():
    pyspark_sql = pytest.importorskip("pyspark.sql")
    # Spark's Python workers must be this interpreter, with this environment's packages.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        pyspark_sql.SparkSession.builder.master("local[1]")
        .appName("saferhub-parity")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        # Adaptive planning pays off on big data; on test-sized tables it only adds time.
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield ibis.pyspark.connect(session)
    session.stop()


@pytest.fixture(scope="module")
def parquet_files(tmp_path_factory):
    # Both engines read the same Parquet files: a pandas round trip would turn Spark's
    # missing text into NaN rather than null.
    folder = tmp_path_factory.mktemp("iom-parity")
    files = {}
    for name, arrow in random_tables(seed=5, people=60).items():
        files[name] = folder / f"{name}.parquet"
        pq.write_table(arrow, files[name])
    return files


def tables_on(con, files):
    return {name: con.read_parquet(str(path), table_name=name) for name, path in files.items()}


def expressions(t):
    matrix = ScoringMatrix(ogrs_points_per_10=0)
    avoided = iom.offences_avoided(t["cohort"], t["offences"], t["custody"], REPORT)
    index = index_events(t["disposals"], date(2020, 4, 1), date(2021, 3, 31))
    members = iom.members_on(
        t["cohort"], t["tiers"], [date(2022, 12, 31), date(2023, 3, 31), REPORT]
    )
    return {
        "rates": iom.offending_rates(t["cohort"], t["offences"], t["custody"], REPORT),
        "cost": iom.cost_of_crime_avoided(avoided, iom.unit_costs_table(COSTS)),
        "concentration": iom.concentration(t["offences"], date(2022, 10, 1), REPORT, 5),
        "composition": iom.cohort_composition(members),
        "by_members": iom.offences_by_members(
            t["cohort"], t["offences"], date(2022, 1, 1), REPORT, FAMILIES
        ),
        "pathways": iom.pathway_outcomes(t["pathways"], date(2021, 1, 1), REPORT),
        "selection": iom.selection_scores(t["offences"], t["cohort"], REPORT, matrix),
        "deselection": iom.deselection_review(
            t["cohort"], t["offences"], t["custody"], REPORT, date(2022, 9, 30)
        ),
        "reoffending": reoffending_summary(
            reoffending_per_offender(index, t["offences"], t["disposals"])
        ),
    }


def normalised(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].dt.date
        elif pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].astype("float64").round(9)
        else:
            frame[column] = frame[column].astype("object")
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def test_every_measure_gives_identical_results_on_duckdb_and_spark(parquet_files, spark_con):
    duck = ibis.duckdb.connect()
    on_spark_exprs = expressions(tables_on(spark_con, parquet_files))
    for name, expr in expressions(tables_on(duck, parquet_files)).items():
        on_duckdb = normalised(duck.execute(expr))
        on_spark = normalised(spark_con.execute(on_spark_exprs[name]))
        assert len(on_duckdb) > 0, name
        pd.testing.assert_frame_equal(on_duckdb, on_spark, check_dtype=False, obj=name)
