"""Proven reoffending as Ibis expressions: hand-computed windows, and agreement with the rules."""

from __future__ import annotations

from datetime import date, timedelta

import ibis
import pytest
from tests.measures.iom_tables import cohort, disposals, member, offence, offences, random_tables

from saferhub.measures.reoffending import (
    index_events,
    proven_reoffences,
    proven_reoffending,
    reoffending_per_offender,
)
from saferhub.rules.reoffending import INDEX_EVENT_TYPES, PROVING_TYPES, is_proven_reoffence

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

INDEX = date(2022, 3, 15)
FIRST, LAST = date(2022, 1, 1), date(2022, 12, 31)


@pytest.fixture(scope="module")
def con():
    return ibis.duckdb.connect()


def run(con, offence_rows, disposal_rows, first=FIRST, last=LAST, spells=None):
    return proven_reoffending(
        con, disposals(*disposal_rows), offences(*offence_rows), first, last, spells
    )


def cautioned(pnc="A", on=INDEX):
    return ("IDX", pnc, on, "caution", f"{pnc}-index")


def base_offence(pnc="A"):
    return offence(pnc, INDEX - timedelta(days=20), offence_id=f"{pnc}-index")


@pytest.mark.parametrize(("day", "counts"), [(0, False), (1, True), (365, True), (366, False)])
def test_offence_on_day_365_counts_and_day_366_does_not(con, day, counts):
    committed = INDEX + timedelta(days=day)
    figures = run(
        con,
        [base_offence(), offence("A", committed, offence_id="R")],
        [cautioned(), ("D", "A", committed + timedelta(days=10), "caution", "R")],
    )
    assert figures.offenders == 1
    assert figures.reoffences == (1 if counts else 0)


@pytest.mark.parametrize(
    ("proven_on", "counts"),
    [(date(2023, 9, 15), True), (date(2023, 9, 16), False)],
)
def test_conviction_at_18_months_counts_and_18_months_plus_a_day_does_not(con, proven_on, counts):
    figures = run(
        con,
        [base_offence(), offence("A", INDEX + timedelta(days=100), offence_id="R")],
        [cautioned(), ("D", "A", proven_on, "conviction_non_custodial", "R")],
    )
    assert figures.reoffenders == (1 if counts else 0)


def test_index_date_is_the_first_index_event_in_the_period_and_custodial_sentences_start_nothing(
    con,
):
    rows = [
        ("S", "A", date(2022, 2, 1), "conviction_custodial", "A-index"),
        ("R", "A", date(2022, 4, 1), "release_from_custody", None),
        ("C", "A", date(2022, 6, 1), "caution", "A-other"),
        ("OLD", "B", date(2021, 12, 31), "caution", "B-index"),
    ]
    index = ibis.duckdb.connect().execute(index_events(disposals(*rows), FIRST, LAST))
    assert list(index.pnc_id) == ["A"]
    assert index.index_date[0].date() == date(2022, 4, 1)
    assert index.index_type[0] == "release_from_custody"


def test_a_custodial_conviction_proves_a_reoffence(con):
    figures = run(
        con,
        [base_offence(), offence("A", INDEX + timedelta(days=30), offence_id="R")],
        [cautioned(), ("D", "A", INDEX + timedelta(days=90), "conviction_custodial", "R")],
    )
    assert figures.reoffences == 1


def test_an_offence_never_proven_does_not_count(con):
    figures = run(
        con,
        [base_offence(), offence("A", INDEX + timedelta(days=30), offence_id="R")],
        [cautioned()],
    )
    assert (figures.offenders, figures.reoffenders, figures.reoffences) == (1, 0, 0)


def test_rate_frequency_and_reoffences_per_reoffender(con):
    # A reoffends 3 times, B once, C and D not at all.
    offence_rows, disposal_rows = [], []
    for pnc, reoffences in (("A", 3), ("B", 1), ("C", 0), ("D", 0)):
        offence_rows.append(base_offence(pnc))
        disposal_rows.append(("IDX-" + pnc, pnc, INDEX, "caution", f"{pnc}-index"))
        for k in range(reoffences):
            oid = f"{pnc}-R{k}"
            offence_rows.append(offence(pnc, INDEX + timedelta(days=10 + k), offence_id=oid))
            disposal_rows.append((f"D-{oid}", pnc, INDEX + timedelta(days=200), "caution", oid))
    figures = run(con, offence_rows, disposal_rows)
    assert (figures.offenders, figures.reoffenders, figures.reoffences) == (4, 2, 4)
    assert figures.rate_pct == pytest.approx(50)
    assert figures.per_offender == pytest.approx(1.0)
    assert figures.per_reoffender == pytest.approx(2.0)


def test_an_empty_cohort_has_no_rates(con):
    figures = run(con, [], [])
    assert figures.offenders == 0
    assert figures.rate_pct is None and figures.per_reoffender is None


def test_spells_restrict_the_cohort_to_index_events_on_the_programme(con):
    offence_rows = [base_offence("A"), base_offence("B")]
    disposal_rows = [cautioned("A"), ("IDX-B", "B", INDEX, "caution", "B-index")]
    spells = cohort(member("A", date(2022, 1, 1)), member("B", date(2022, 6, 1)))
    figures = run(con, offence_rows, disposal_rows, spells=spells)
    assert figures.offenders == 1


def test_ibis_measure_agrees_with_the_pure_rules_on_random_data(con):
    data = random_tables(seed=11, people=80)
    offs, disp = ibis.memtable(data["offences"]), ibis.memtable(data["disposals"])
    first, last = date(2020, 4, 1), date(2021, 3, 31)
    got = con.execute(reoffending_per_offender(index_events(disp, first, last), offs, disp))
    got_counts = dict(zip(got.pnc_id, got.reoffences, strict=True))

    events: dict[str, date] = {}
    proof: dict[str, date] = {}
    for d in sorted(data["disposals"].to_pylist(), key=lambda r: r["disposal_date"]):
        if d["disposal_type"] in INDEX_EVENT_TYPES and first <= d["disposal_date"] <= last:
            events.setdefault(d["pnc_id"], d["disposal_date"])
        if d["disposal_type"] in PROVING_TYPES:
            proof.setdefault(d["offence_id"], d["disposal_date"])
    expected = dict.fromkeys(events, 0)
    for o in data["offences"].to_pylist():
        index = events.get(o["pnc_id"])
        if index and is_proven_reoffence(index, o["offence_date"], proof.get(o["offence_id"])):
            expected[o["pnc_id"]] += 1
    assert got_counts == expected
    assert sum(expected.values()) > 0


def test_proven_reoffences_lists_each_offence_once(con):
    offs = offences(base_offence(), offence("A", INDEX + timedelta(days=5), offence_id="R"))
    disp = disposals(
        cautioned(),
        ("D1", "A", INDEX + timedelta(days=50), "caution", "R"),
        ("D2", "A", INDEX + timedelta(days=60), "conviction_custodial", "R"),
    )
    rows = con.execute(proven_reoffences(index_events(disp, FIRST, LAST), offs, disp))
    assert list(rows.offence_id) == ["R"]
    assert rows.proven_on[0].date() == INDEX + timedelta(days=50)


def test_giving_the_cohort_period_prunes_but_changes_no_figure(con):
    data = random_tables(seed=13, people=80)
    offs, disp = ibis.memtable(data["offences"]), ibis.memtable(data["disposals"])
    first, last = date(2020, 4, 1), date(2021, 3, 31)
    index = index_events(disp, first, last)
    plain = con.execute(reoffending_per_offender(index, offs, disp)).sort_values("pnc_id")
    pruned = con.execute(reoffending_per_offender(index, offs, disp, (first, last))).sort_values(
        "pnc_id"
    )
    assert list(plain.reoffences) == list(pruned.reoffences)
    assert plain.reoffences.sum() > 0
