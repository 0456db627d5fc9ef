"""The measure engine: the SQL of a measure is compiled once, and each run reads its own data."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import ibis
import pyarrow as pa
import pytest
from tests.measures.iom_tables import random_tables
from tests.measures.needs_rows import person, write_csv

from saferhub.measures import engine, iom
from saferhub.measures.engine import to_arrow
from saferhub.measures.needs.profile import caseload_profile, people_not_assessed
from saferhub.measures.reoffending import (
    index_events,
    reoffending_per_offender,
    reoffending_summary,
)
from saferhub.rules.iom_scoring import ScoringMatrix
from saferhub.sources.caseload import read_caseload

REPORT_DATE = date(2024, 6, 30)


@pytest.fixture(autouse=True)
def fresh_statements(monkeypatch):
    """Each test starts with no compiled SQL, so the counts below are its own."""
    cache = engine.LruCache(engine.CACHE_SIZE)
    monkeypatch.setattr(engine, "statements", cache)
    return cache


def _rows(table: pa.Table) -> list[dict]:
    # Queries without an order may return rows in any order; compare them as a multiset.
    return sorted(table.to_pylist(), key=repr)


def _measures(data: dict[str, pa.Table]) -> dict[str, ibis.Table]:
    """Real measures over one data set's in-memory tables: joins, self references,
    windows, unions and several inputs."""
    offences, cohort = ibis.memtable(data["offences"]), ibis.memtable(data["cohort"])
    custody, disposals = ibis.memtable(data["custody"]), ibis.memtable(data["disposals"])
    first = date(2022, 1, 1)
    per_offender = reoffending_per_offender(
        index_events(disposals, first, date(2022, 3, 31), cohort),
        offences,
        disposals,
        (first, date(2022, 3, 31)),
    )
    return {
        "rates": iom.offending_rates(cohort, offences, custody, REPORT_DATE),
        "avoided": iom.offences_avoided(cohort, offences, custody, REPORT_DATE),
        "selection": iom.selection_scores(offences, cohort, REPORT_DATE, ScoringMatrix()),
        "deselection": iom.deselection_review(
            cohort, offences, custody, REPORT_DATE, date(2023, 6, 30)
        ),
        "reoffending": reoffending_summary(per_offender),
    }


@pytest.mark.parametrize("name", ["rates", "avoided", "selection", "deselection", "reoffending"])
def test_a_measure_run_again_on_new_data_reuses_its_sql_and_answers_for_the_new_data(
    name, fresh_statements
):
    first, second = random_tables(seed=3, people=60), random_tables(seed=5, people=90)
    expected = [ibis.duckdb.connect().to_pyarrow(_measures(d)[name]) for d in (first, second)]

    got_first = to_arrow(_measures(first)[name])
    assert fresh_statements.misses == 1
    got_second = to_arrow(_measures(second)[name])
    assert (fresh_statements.hits, fresh_statements.misses) == (1, 1)

    for got, want in zip((got_first, got_second), expected, strict=True):
        assert got.schema == want.schema
        assert _rows(got) == _rows(want)
    assert _rows(expected[0]) != _rows(expected[1]), "the data sets must answer differently"


def _caseload(tmp_path, name: str, people: int):
    rows = [
        person(
            f"X{n:06d}",
            setting="custody" if n % 3 == 0 else "community",
            gender="Female" if n % 4 == 0 else "Male",
            needs=("accommodation",) if n % 2 else (),
            assessment_date=None if n % 5 == 0 else "2021-09-01",
        )
        for n in range(people)
    ]
    return read_caseload(write_csv(tmp_path / f"{name}.csv", rows), as_of=date(2022, 1, 1))


@pytest.mark.parametrize("measure", [caseload_profile, people_not_assessed])
def test_a_measure_over_a_backends_own_table_reuses_its_sql_on_the_next_caseload(
    measure, tmp_path, fresh_statements
):
    # Each caseload is a table of its own DuckDB connection, as the needs pages read them.
    caseloads = [_caseload(tmp_path, "a", 30), _caseload(tmp_path, "b", 47)]
    results = []
    for caseload in caseloads:
        want = caseload.backend.to_pyarrow(measure(caseload.table))
        got = to_arrow(measure(caseload.table), caseload.backend)
        assert got.schema == want.schema
        assert _rows(got) == _rows(want)
        results.append(got)
    assert (fresh_statements.hits, fresh_statements.misses) == (1, 1)
    assert results[0].num_rows != results[1].num_rows or _rows(results[0]) != _rows(results[1])


def test_a_self_join_keeps_its_two_sides_apart_and_still_reuses_its_sql(fresh_statements):
    def gaps(days: list[date]) -> ibis.Table:
        # Each offence with the next one: two references to one table.
        t = ibis.memtable(pa.table({"n": range(len(days)), "day": days}))
        later = t.view()
        joined = t.join(later, t.n + 1 == later.n)
        return joined.select(t.n, gap=(later.day - t.day).cast("int64"))

    first = [date(2024, 1, 1), date(2024, 1, 4), date(2024, 1, 14)]
    second = [date(2024, 2, 1), date(2024, 3, 1)]
    assert _rows(to_arrow(gaps(first))) == [{"n": 0, "gap": 3}, {"n": 1, "gap": 10}]
    assert _rows(to_arrow(gaps(second))) == [{"n": 0, "gap": 29}]
    assert (fresh_statements.hits, fresh_statements.misses) == (1, 1)


def test_a_scalar_comes_back_as_ibis_gives_it():
    t = ibis.memtable(pa.table({"x": [1, 2, 3]}))
    assert to_arrow(t.x.sum()) == ibis.duckdb.connect().to_pyarrow(t.x.sum())


def test_different_literals_are_different_statements(fresh_statements):
    t = ibis.memtable(pa.table({"x": [1, 2, 3]}))
    assert to_arrow(t.filter(t.x > 1).count()).as_py() == 2
    assert to_arrow(t.filter(t.x > 2).count()).as_py() == 1
    assert fresh_statements.misses == 2


def test_the_statement_cache_drops_the_least_recently_used(monkeypatch):
    cache = engine.LruCache(2)
    monkeypatch.setattr(engine, "statements", cache)
    t = ibis.memtable(pa.table({"x": [1, 2, 3]}))
    for limit in (1, 2, 1, 3, 1):  # 2 is the least recently used when 3 arrives
        to_arrow(t.filter(t.x > limit))
    assert (cache.hits, cache.misses) == (2, 3)
    to_arrow(t.filter(t.x > 2))
    assert cache.misses == 4
    assert len(cache) == 2


def test_threads_running_one_measure_on_different_data_never_see_each_others(
    fresh_statements,
):
    data = [random_tables(seed=seed, people=20 + 10 * seed) for seed in range(6)]
    expected = [_rows(ibis.duckdb.connect().to_pyarrow(_measures(d)["avoided"])) for d in data]
    assert len({repr(e) for e in expected}) == len(data), "each data set must answer differently"
    start = threading.Barrier(len(data))

    def run(i: int) -> list[list[dict]]:
        start.wait()
        return [_rows(to_arrow(_measures(data[i])["avoided"])) for _ in range(4)]

    with ThreadPoolExecutor(len(data)) as pool:
        answers = list(pool.map(run, range(len(data))))
    for i, runs in enumerate(answers):
        assert all(answer == expected[i] for answer in runs), f"data set {i} got another's rows"
    assert fresh_statements.hits >= len(data) * 4 - len(data)
