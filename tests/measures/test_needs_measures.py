"""The needs measures on hand-built caseloads: age bands, percentage bases, disadvantage."""

from __future__ import annotations

from datetime import date

import ibis
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.measures.needs_rows import person, write_csv

from saferhub.errors import ConfigurationError
from saferhub.measures import needs as measures
from saferhub.measures.needs import NO, PEOPLE, YES, analyse, with_base
from saferhub.rules import needs as rules
from saferhub.rules.needs import Base
from saferhub.sources.caseload import SCHEMA, read_caseload

AS_OF = date(2021, 10, 15)


def _born(age: int) -> str:
    """A date of birth giving `age` on AS_OF."""
    return date(AS_OF.year - age, 1, 1).isoformat()


@pytest.fixture(scope="module")
def ages(tmp_path_factory):
    """Seven people: two young adults, two in the middle band, two over 50 and one under 18."""
    rows = [
        person("A000001", date_of_birth=_born(18), needs=("ete", "lifestyle")),
        person("A000002", date_of_birth=_born(25), needs=("ete",), setting="custody"),
        person("A000003", date_of_birth=_born(26), needs=("accommodation",)),
        person("A000004", date_of_birth=_born(49), assessment_date=None),
        person("A000005", date_of_birth=_born(50), needs=("alcohol_misuse",), setting="omic"),
        person("A000006", date_of_birth=_born(70), needs=("alcohol_misuse", "ete")),
        person("A000007", date_of_birth=_born(17), needs=("ete",), registrations=("care_leaver",)),
    ]
    path = write_csv(tmp_path_factory.mktemp("ages") / "ages.csv", rows)
    return analyse(read_caseload(path, as_of=AS_OF))


def test_age_bands_split_the_caseload_by_setting(ages):
    table = ages.table("age_band_by_setting")
    assert [r.label for r in table.rows] == ["Under 18", "18–25", "26–49", "50+"]
    counts = {
        (r.code, c): table.count(r.code, c, PEOPLE) for r in table.rows for c in table.columns
    }
    assert counts == {
        ("Under 18", "Community"): 1, ("Under 18", "Custody"): 0,
        ("18–25", "Community"): 1, ("18–25", "Custody"): 1,
        ("26–49", "Community"): 2, ("26–49", "Custody"): 0,
        ("50+", "Community"): 1, ("50+", "Custody"): 1,
    }  # fmt: skip
    assert table.base is Base.ROW
    assert table.percent("18–25", "Custody", PEOPLE) == 50.0


def test_needs_by_age_band_are_shares_of_each_band_assessed_people(ages):
    table = ages.table("needs_by_age_band")
    assert table.base is Base.COLUMN
    assert table.columns == ("Under 18", "18–25", "26–49", "50+")
    # 18 to 25: both assessed have ETE; 26 to 49: one of one assessed (the other has none)
    assert (table.count("ete", "18–25", YES), table.percent("ete", "18–25", YES)) == (2, 100.0)
    assert table.percent("accommodation", "26–49", YES) == 100.0
    assert table.count("accommodation", "26–49", NO) == 0
    assert (table.count("ete", "50+", YES), table.percent("ete", "50+", YES)) == (1, 50.0)
    assert table.population == 6  # assessed people: the unassessed one is in a note
    assert any("1 people on the caseload have no OASys assessment" in n for n in table.notes)


def test_registrations_by_age_band_count_everyone(ages):
    table = ages.table("registrations_by_age_band")
    assert table.count("care_leaver", "Under 18", YES) == 1
    assert table.percent("care_leaver", "Under 18", YES) == 100.0
    assert table.population == 7


def test_an_age_band_with_nobody_in_it_is_still_shown_for_adults(tmp_path):
    rows = [person("B000001", date_of_birth=_born(30))]
    analysis = analyse(read_caseload(write_csv(tmp_path / "one.csv", rows), as_of=AS_OF))
    assert analysis.table("needs_by_age_band").columns == ("18–25", "26–49", "50+")


def test_the_three_percentage_bases(ages):
    table = ages.table("needs_by_setting")  # Community: 4 assessed, Custody: 2 assessed
    total = with_base(table, Base.TOTAL)
    row = with_base(table, Base.ROW)
    column = with_base(table, Base.COLUMN)
    # ETE: community yes 3 (A000001, A000006, A000007), custody yes 1 (A000002)
    assert table.count("ete", "Community", YES) == 3
    assert total.percent("ete", "Community", YES) == 50.0  # of all 6 assessed
    assert row.percent("ete", "Community", YES) == 50.0  # of the 6 answers in the row
    assert column.percent("ete", "Community", YES) == 75.0  # of the 4 assessed in the community
    assert column.percent("ete", "Custody", NO) == 50.0
    assert total.base_description == "% of all 6 assessed people in the table"


def test_a_count_table_on_the_column_base_shares_out_each_column(ages):
    table = with_base(ages.table("age_band_by_setting"), Base.COLUMN)
    assert table.percent("26–49", "Community", PEOPLE) == 40.0  # 2 of 5 in the community
    assert sum(table.percent(r.code, "Community", PEOPLE) for r in table.rows) == 100.0


def test_people_without_an_assessment_are_listed_by_crn(ages):
    assert [(p.crn, p.setting) for p in ages.not_assessed] == [("A000004", "Community")]
    coverage = ages.table("coverage_by_setting")
    assert coverage.count("Community", "Not assessed", PEOPLE) == 1
    assert coverage.percent("Community", "Assessed", PEOPLE) == 80.0


def test_gender_columns_beyond_male_and_female_appear_only_when_present(tmp_path):
    rows = [person("C000001"), person("C000002", gender="Other")]
    analysis = analyse(read_caseload(write_csv(tmp_path / "g.csv", rows)))
    assert analysis.table("needs_by_gender").columns == ("Male", "Female", "Other")
    assert analysis.table("gender_by_setting").rows[-1].label == "Other"


def test_people_of_unknown_ethnicity_are_left_out_of_the_grouped_table_with_a_note(tmp_path):
    rows = [person("D000001"), person("D000002", ethnicity="Refusal")]
    analysis = analyse(read_caseload(write_csv(tmp_path / "e.csv", rows)))
    table = analysis.table("needs_by_ethnic_group")
    assert table.population == 1
    assert table.notes[0] == (
        "1 assessed people are not in this table because their ethnicity was refused or not "
        "recorded."
    )


def test_comparing_two_areas_gives_the_difference_in_percentage_points(tmp_path):
    here = [person("E000001", needs=("ete",)), person("E000002")]
    there = [person("F000001", needs=("ete",)), person("F000002"), person("F000003")]
    analysis = analyse(
        read_caseload(write_csv(tmp_path / "here.csv", here)),
        area="Barnet",
        comparison=read_caseload(write_csv(tmp_path / "there.csv", there)),
        comparison_area="London",
    )
    needs = analysis.comparisons[0]
    ete = next(r for r in needs.rows if r.code == "ete")
    assert (ete.percent, ete.other_percent, ete.difference) == (50.0, 33.33, 16.67)
    assert needs.title == "Criminogenic needs: Barnet and London"


def test_ibis_age_bands_match_the_rule_for_every_possible_age():
    ages = list(range(rules.MIN_AGE, rules.MAX_AGE + 1))
    table = ibis.memtable({"age": ages})
    result = table.mutate(band=measures.age_band(table.age)).order_by("age").to_pyarrow()
    assert result["band"].to_pylist() == [rules.age_band(a) for a in ages]


PEOPLE_STRATEGY = st.lists(
    st.tuples(
        st.booleans(),  # assessed
        st.fixed_dictionaries({n.code: st.booleans() for n in rules.NEEDS}),
        st.fixed_dictionaries({r.code: st.booleans() for r in rules.REGISTRATIONS}),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PEOPLE_STRATEGY)
def test_the_disadvantage_measure_agrees_with_the_rule(people):
    """The Ibis profile counts the same people as rules.needs.has_smd, person by person."""
    columns: dict[str, list] = {
        "setting": [], "gender": [], "ethnicity": [], "age": [], "assessment_date": [],
        "sentence_type": [], "tier": [],
    }  # fmt: skip
    for need in rules.NEEDS:
        columns[rules.need_column(need.code)] = []
    for registration in rules.REGISTRATIONS:
        columns[rules.registration_column(registration.code)] = []
    expected = 0
    for assessed, needs, registrations in people:
        columns["setting"].append("community")
        columns["gender"].append("Male")
        columns["ethnicity"].append("White")
        columns["age"].append(30)
        columns["sentence_type"].append("community_order")
        columns["tier"].append(None)
        columns["assessment_date"].append(AS_OF if assessed else None)
        for code, value in needs.items():
            columns[rules.need_column(code)].append(value if assessed else None)
        for code, value in registrations.items():
            columns[rules.registration_column(code)].append(value)
        expected += assessed and rules.has_smd(needs, registrations)
    schema = pa.schema([f for f in SCHEMA if f.name in columns])
    profile = measures.caseload_profile(ibis.memtable(pa.table(columns, schema=schema)))
    counted = profile.aggregate(smd=profile.smd_2_or_more.sum()).to_pyarrow()
    assert counted["smd"][0].as_py() == expected


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (dict(kind="sums"), "'sums' is not a kind of table"),
        (dict(dimension="postcode"), "'postcode' is not a grouping"),
        (dict(kind="people"), "a table of people needs rows_dimension"),
        (dict(base="row"), "the base must be total, row or column"),
    ],
    ids=["unknown kind", "unknown grouping", "people without rows", "base as text"],
)
def test_a_table_spec_is_checked_when_it_is_made(spec, message):
    fields = dict(key="t", kind="needs", dimension="gender", base=Base.COLUMN, title="T")
    with pytest.raises(ConfigurationError, match=message):
        measures.TableSpec(**{**fields, **spec})


def test_a_report_can_ask_for_its_own_tables(tmp_path):
    spec = measures.TableSpec("mine", "needs", "setting", Base.ROW, "Needs by setting")
    rows = [person("P000001", needs=("ete",)), person("P000002", setting="omic")]
    analysis = analyse(read_caseload(write_csv(tmp_path / "t.csv", rows)), tables=[spec])
    assert [t.key for t in analysis.tables] == ["mine"]
    assert analysis.table("mine").columns == tuple(s.label for s in rules.SETTINGS)
