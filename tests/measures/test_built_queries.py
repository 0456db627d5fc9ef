"""The IOM board, needs and crime dashboard queries are built once and run on each data set:
a second data set reuses the queries and gets its own answer."""

from __future__ import annotations

from datetime import date

import ibis
import pytest
from tests.measures.crime_files import flat, load, write_mps, write_population
from tests.measures.iom_tables import random_tables
from tests.measures.needs_rows import person, write_csv

from saferhub.app.iom import iom_figures
from saferhub.measures import crime_queries, iom
from saferhub.measures.crime_dashboard import DashboardSettings, crime_dashboard
from saferhub.measures.iom import board
from saferhub.measures.iom_figures import IomInputs
from saferhub.measures.needs import analyse
from saferhub.measures.needs.queries import caseload_queries
from saferhub.measures.reoffending import pooled_reoffending, proven_reoffending_cohorts
from saferhub.rules.periods import Month
from saferhub.sources.caseload import read_caseload
from saferhub.sources.offences import offence_catalogue

TO = Month(2022, 3)  # when the random partnership's members offend


def _inputs(seed: int, people: int) -> IomInputs:
    data = random_tables(seed=seed, people=people)
    return IomInputs(
        offences=data["offences"],
        cohort=data["cohort"],
        tiers=data["tiers"],
        custody=data["custody"],
        pathways=data["pathways"],
        disposals=data["disposals"],
    )


def _expected(inputs: IomInputs) -> dict:
    """The figures worked out the plain way: each measure built afresh over in-memory
    tables and run by Ibis on a new connection."""
    con = ibis.duckdb.connect()
    offences, cohort = ibis.memtable(inputs.offences), ibis.memtable(inputs.cohort)
    custody = ibis.memtable(inputs.custody)
    day = TO.last_day
    avoided = iom.offences_avoided(cohort, offences, custody, day)
    families = offence_catalogue().families

    def by_members(first: date, last: date) -> list[dict]:
        expr = iom.offences_by_members(cohort, offences, first, last, families)
        return con.to_pyarrow(expr).to_pylist()

    return {
        "rates": con.to_pyarrow(iom.offending_rates(cohort, offences, custody, day)).to_pylist()[0],
        "avoided": con.to_pyarrow(avoided),
        "cost": con.to_pyarrow(
            iom.cost_of_crime_avoided(avoided, iom.unit_costs_table(inputs.unit_costs))
        ).to_pylist(),
        "offences_this_quarter": by_members(date(2022, 1, 1), day),
        "offences_last_quarter": by_members(date(2021, 10, 1), date(2021, 12, 31)),
        "members_year": by_members(date(2021, 4, 1), day),
        "reoffending": pooled_reoffending(
            proven_reoffending_cohorts(
                con,
                ibis.memtable(inputs.disposals),
                offences,
                board.reoffending_quarters(TO),
                spells=cohort,
            )
        ),
    }


def test_the_board_run_on_a_second_data_set_reuses_its_queries_and_answers_for_it():
    first, second = _inputs(3, 60), _inputs(5, 90)
    queries = [board.board_queries(TO, 200, board.input_tables(i)) for i in (first, second)]
    assert queries[0] is queries[1]
    for inputs in (first, second):
        figures, expected = iom_figures(inputs, TO), _expected(inputs)
        assert figures.rates == expected["rates"]
        assert sorted(figures.avoided, key=repr) == sorted(
            expected["avoided"].to_pylist(), key=repr
        )
        assert figures.reoffending == expected["reoffending"]
        assert expected["offences_this_quarter"] and expected["offences_last_quarter"]
        assert figures.cost == expected["cost"]
        assert figures.offences_this_quarter == expected["offences_this_quarter"]
        assert figures.offences_last_quarter == expected["offences_last_quarter"]
        year = sum(r["offences"] for r in expected["members_year"])
        assert figures.cohort_share_pct == pytest.approx(
            100 * year / figures.concentration["offences"]
        )
    assert iom_figures(first, TO).rates != iom_figures(second, TO).rates


def _caseload(tmp_path, name: str, people: int, assessed_every: int):
    rows = [
        person(
            f"Y{n:06d}",
            gender="Female" if n % 3 == 0 else "Male",
            needs=("finance",) if n % 2 else (),
            assessment_date=None if n % assessed_every == 0 else "2021-09-01",
        )
        for n in range(people)
    ]
    return read_caseload(write_csv(tmp_path / f"{name}.csv", rows), as_of=date(2022, 1, 1))


def test_a_needs_analysis_of_a_second_caseload_reuses_its_queries_and_counts_that_caseload(
    tmp_path,
):
    first = _caseload(tmp_path, "first", 30, assessed_every=5)
    second = _caseload(tmp_path, "second", 47, assessed_every=4)
    assert caseload_queries(first.table) is caseload_queries(second.table)
    a, b = analyse(first), analyse(second)
    assert (a.people, a.assessed) == (30, 30 - 6)
    assert (b.people, b.assessed) == (47, 47 - 12)
    assert [n.crn for n in b.not_assessed] == [f"Y{n:06d}" for n in range(0, 47, 4)]


@pytest.fixture
def crime_data(tmp_path):
    def build(count: int):
        folder = tmp_path / str(count)
        mps = write_mps(folder / "mps.csv", Month(2018, 1), Month(2024, 6), flat(count))
        return load([mps], write_population(folder / "population.csv"))

    return build


def test_a_dashboard_of_new_data_reuses_its_queries_and_shows_the_new_figures(
    crime_data, monkeypatch
):
    cache = crime_queries.LruCache(4)
    monkeypatch.setattr(crime_queries, "_cache", cache)

    def rolling(data) -> float:
        dashboard = crime_dashboard(data, "Barnet", Month(2023, 9), DashboardSettings())
        return {r.measure.key: r for r in dashboard.results}["robbery_personal_property"]

    ten, twenty = rolling(crime_data(10)), rolling(crime_data(20))
    assert (cache.hits, cache.misses) == (1, 1)
    assert ten.rolling.volume == 12 * 10
    assert twenty.rolling.volume == 12 * 20
