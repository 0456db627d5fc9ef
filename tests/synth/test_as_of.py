"""The synthetic partnership as of any day: the same calibration a year apart, dated to that day.

`saferhub demo` builds its world as of the day it is first run, so the calibrated headline
figures must not depend on the as-of date: the IOM cohort's offending before and after
joining (seed 002: 2.91 and 1.65 offences per offender-year), the MARAC repeat rate
(seed 004: 16-24%) and the probation caseload (940 people).
"""

from __future__ import annotations

from datetime import date, timedelta

import ibis
import pytest

from saferhub.app.iom import load_iom_inputs
from saferhub.measures import iom as iom_measures
from saferhub.measures.marac import case_table, quarterly_statistics
from saferhub.rules.periods import Month
from saferhub.synth import caseload, crime_counts, iom, marac, offences
from saferhub.synth.partnership import write_extracts
from saferhub.synth.people import generate_people, people_rows
from saferhub.synth.world import World

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

# A year apart, and neither at a quarter end as the fixed default is.
DAYS = [date(2025, 11, 26), date(2026, 11, 26)]


def world_as_of(day: date) -> World:
    world = World(seed=11, as_of=day)
    generate_people(world)
    return world


@pytest.fixture(scope="module", params=DAYS, ids=lambda d: d.isoformat())
def world(request) -> World:
    return world_as_of(request.param)


def test_iom_offending_before_and_after_joining_holds_on_any_as_of_date(world, tmp_path):
    write_extracts({**iom.generate(world), **offences.generate(world)}, tmp_path)
    inputs = load_iom_inputs(
        tmp_path / "offences.csv", tmp_path / "iom_cohort.csv", custody=tmp_path / "custody.csv"
    )
    tables = {n: ibis.memtable(getattr(inputs, n)) for n in ("offences", "cohort", "custody")}
    row = (
        ibis.duckdb.connect()
        .to_pyarrow(
            iom_measures.offending_rates(
                tables["cohort"], tables["offences"], tables["custody"], world.as_of
            )
        )
        .to_pylist()[0]
    )
    assert row["rate_before"] == pytest.approx(2.91, abs=0.1)
    assert row["rate_after"] == pytest.approx(1.65, abs=0.1)


def test_the_marac_repeat_rate_holds_on_any_as_of_date(world):
    extracts = marac.generate(world)
    rows = marac.canonical_cases(
        extracts["marac_cases.csv"], people_rows(world.people) + extracts["people.csv"]
    )
    latest = Month.of(world.as_of).financial_quarter
    stats = quarterly_statistics(case_table(rows), [latest + n for n in range(-4, 1)])
    heard = sum(q.cases_heard for q in stats.quarters[:-1])
    repeats = sum(q.repeat_cases for q in stats.quarters[:-1])
    assert 0.14 <= repeats / heard <= 0.28


def test_the_caseload_has_940_people_on_any_as_of_date(world):
    rows = caseload.generate(world)[caseload.FILE_NAME]
    assert len({r["crn"] for r in rows}) == 940
    assessed = [date.fromisoformat(r["assessment_date"]) for r in rows if r["assessment_date"]]
    assert max(assessed) <= world.as_of
    assert min(assessed) > world.as_of - timedelta(days=366)


def test_activity_runs_up_to_the_as_of_date_and_not_beyond(world):
    day = world.as_of
    contacts = [
        date.fromisoformat(r["contact_date"]) for r in iom.generate(world)["iom_contacts.csv"]
    ]
    assert day - timedelta(days=7) <= max(contacts) <= day
    cases = marac.generate(world)
    meetings = {
        date.fromisoformat(c["meeting_date"]) for c in cases["marac_cases.csv"] if c["meeting_date"]
    }
    # Some meetings are still to come: cases referred in the last days are listed for them.
    assert any(m > day for m in meetings)
    assert any(day - timedelta(days=7) <= m <= day for m in meetings)
    # A realistic few overdue actions, not every late action since the data began.
    overdue = [
        a
        for a in cases["marac_actions.csv"]
        if a["status"] == "open" and date.fromisoformat(a["due_date"]) < day
    ]
    assert 0 < len(overdue) < 80


def test_crime_counts_end_with_the_last_complete_month():
    rows = crime_counts.generate(World(seed=3, scale=0.05, as_of=date(2026, 11, 26)))
    months = [k for k in rows["mps_borough_crime.csv"][0] if k.isdigit()]
    assert months[-1] == "202610"
    on_a_month_end = crime_counts.generate(World(seed=3, scale=0.05, as_of=date(2026, 10, 31)))
    assert [k for k in on_a_month_end["mps_borough_crime.csv"][0] if k.isdigit()][-1] == "202610"
    assert max(r["period"] for r in rows["partner_measures.csv"]) == "2026-10"
