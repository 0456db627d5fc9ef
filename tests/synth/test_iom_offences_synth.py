"""The synthetic IOM cohort and offence histories, calibrated to seeds 002 and 004."""

from __future__ import annotations

from datetime import date

import ibis
import pytest

from saferhub.app.iom import load_iom_inputs
from saferhub.measures import iom as measures
from saferhub.measures.reoffending import proven_reoffending
from saferhub.synth import iom, offences
from saferhub.synth.partnership import write_extracts
from saferhub.synth.people import generate_people
from saferhub.synth.world import World

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


def world(seed: int = 11) -> World:
    w = World(seed=seed)
    generate_people(w)
    return w


@pytest.fixture(scope="module")
def extracts(tmp_path_factory):
    w = world()
    folder = tmp_path_factory.mktemp("iom-synth")
    write_extracts({**iom.generate(w), **offences.generate(w)}, folder)
    return folder


@pytest.fixture(scope="module")
def inputs(extracts):
    # Reading through the validating readers also proves the files match docs/formats.
    return load_iom_inputs(
        extracts / "offences.csv",
        extracts / "iom_cohort.csv",
        custody=extracts / "custody.csv",
        tiers=extracts / "iom_tiers.csv",
        pathways=extracts / "iom_pathways.csv",
        disposals=extracts / "disposals.csv",
    )


@pytest.fixture(scope="module")
def con():
    return ibis.duckdb.connect()


def test_writes_the_documented_file_names(extracts):
    names = {p.name for p in extracts.iterdir()}
    assert {
        "offences.csv",
        "iom_cohort.csv",
        "iom_tiers.csv",
        "iom_pathways.csv",
        "custody.csv",
        "disposals.csv",
    } <= names


def test_impact_matches_seed_002_before_and_after_rates(inputs, con):
    # Seed 002, 1.26: 2.91 offences per offender-year before joining, 1.65 after, 43% fewer.
    t = {name: ibis.memtable(getattr(inputs, name)) for name in ("offences", "cohort", "custody")}
    row = con.to_pyarrow(
        measures.offending_rates(t["cohort"], t["offences"], t["custody"], date(2023, 9, 30))
    ).to_pylist()[0]
    assert row["rate_before"] == pytest.approx(2.91, abs=0.1)
    assert row["rate_after"] == pytest.approx(1.65, abs=0.1)
    assert row["reduction_pct"] == pytest.approx(43, abs=3)


def test_cohort_on_the_as_of_date_matches_seed_004(inputs, con):
    # Seed 004, 8.1.10 to 8.1.13: 86 members (72 statutory, 14 not), Red 32, Amber 19,
    # Blue 27; ages 18-24 21, 25-34 22, 35-44 20, 45+ 23; 95% male; 61% White.
    cohort, tiers = ibis.memtable(inputs.cohort), ibis.memtable(inputs.tiers)
    days = [date(2023, 3, 31), date(2023, 6, 30), date(2023, 9, 30)]
    rows = con.to_pyarrow(
        measures.cohort_composition(measures.members_on(cohort, tiers, days))
    ).to_pylist()
    got = {(r["snapshot_date"], r["dimension"], r["category"]): r["members"] for r in rows}
    now = date(2023, 9, 30)
    assert got[(date(2023, 3, 31), "cohort", "All members")] == 105
    assert got[(date(2023, 6, 30), "cohort", "All members")] == 90
    assert got[(now, "cohort", "All members")] == 86
    assert got[(now, "management", "Statutory")] == 72
    assert got[(now, "management", "Non-statutory")] == 14
    assert [got[(now, "tier", t)] for t in ("Red", "Amber", "Blue", "Green")] == [32, 19, 27, 8]
    assert [
        got[(now, "age_band", b)] for b in ("18\u201324", "25\u201334", "35\u201344", "45+")
    ] == [21, 22, 20, 23]
    assert got[(now, "gender", "Male")] == 82
    white = sum(
        n
        for (day, dim, cat), n in got.items()
        if day == now and dim == "ethnicity" and cat.startswith("White")
    )
    assert white == pytest.approx(0.61 * 86, abs=1)


def test_blue_members_are_in_custody_on_the_as_of_date(inputs):
    blue = {
        r["pnc_id"]
        for r in inputs.cohort.to_pylist()
        if r["leave_date"] is None and r["tier"] == "Blue"
    }
    open_spells = {r["pnc_id"] for r in inputs.custody.to_pylist() if r["release_date"] is None}
    assert blue and blue <= open_spells


def test_area_proven_reoffending_is_in_a_plausible_range(inputs, con):
    figures = proven_reoffending(
        con,
        ibis.memtable(inputs.disposals),
        ibis.memtable(inputs.offences),
        date(2021, 4, 1),
        date(2022, 3, 31),
    )
    assert figures.offenders > 300
    assert 15 <= figures.rate_pct <= 35


def test_no_disposal_is_dated_after_the_as_of_date(inputs):
    assert max(inputs.disposals.column("disposal_date").to_pylist()) <= date(2023, 9, 30)


def test_same_seed_gives_the_same_extracts():
    first, second = world(4), world(4)
    assert iom.generate(first) == iom.generate(second)
    assert (
        offences.generate(first)["offences.csv"][:50]
        == offences.generate(second)["offences.csv"][:50]
    )
