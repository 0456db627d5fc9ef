import inspect
import re
from datetime import date, timedelta
from pathlib import Path

import ibis
import pytest

from saferhub.errors import ConfigurationError
from saferhub.measures import marac
from saferhub.measures.marac import (
    SAFELIVES_RANGES,
    case_table,
    cases_per_10000_adult_women,
    quarterly_counts,
    quarterly_statistics,
)
from saferhub.measures.marac import cases as case_module
from saferhub.measures.marac import counts as count_module
from saferhub.measures.marac import ranges as range_module
from saferhub.measures.marac import repeat_check as repeat_check_module
from saferhub.measures.marac import statistics as statistics_module
from saferhub.rules.periods import FinancialQuarter

DOCS = Path(__file__).resolve().parents[2] / "docs" / "measures" / "marac.md"
Q1, Q2 = FinancialQuarter(2023, 1), FinancialQuarter(2023, 2)


def case(case_id, heard, **values):
    row = {
        "case_id": case_id,
        "date_heard": heard,
        "victim_gender": "F",
        "victim_lgbt": False,
        "victim_disabled": False,
        "victim_ethnicity": "W1",
        "victim_age": 30,
        "youngest_perpetrator_age": 32,
        "children_in_household": 0,
        "referring_agency_type": "police",
        "is_repeat": False,
    }
    row.update(values)
    return row


def table(rows):
    return case_table(rows)


HAND_BUILT = [
    # 2023/24 Q2: five cases, each chosen to count in particular figures
    case("M1", date(2023, 7, 6), victim_gender="M", is_repeat=True, children_in_household=2),
    case("M2", date(2023, 7, 13), victim_lgbt=True, victim_ethnicity="B1", victim_age=17),
    case(
        "M3", date(2023, 8, 3), victim_disabled=True, victim_ethnicity="A3", children_in_household=1
    ),
    case("M4", date(2023, 9, 28), youngest_perpetrator_age=17, referring_agency_type="partner"),
    case(
        "M5",
        date(2023, 9, 28),
        victim_lgbt=None,
        victim_disabled=None,
        victim_ethnicity="NS",
        victim_age=None,
        youngest_perpetrator_age=None,
        referring_agency_type="partner",
    ),
    # 2023/24 Q1 (30 June) and Q3 (1 October): outside Q2 either side
    case("M6", date(2023, 6, 30), victim_gender="M", is_repeat=True),
    case("M7", date(2023, 10, 1), victim_gender="M"),
]


def test_quarterly_statistics_on_a_hand_built_quarter():
    stats = quarterly_statistics(table(HAND_BUILT), [Q2], adult_women=125_000)
    q2 = stats.latest
    assert q2.quarter == Q2
    assert q2.cases_heard == 5
    assert (q2.repeat_cases, q2.pct("repeat_cases")) == (1, 20.0)
    assert (q2.children, q2.families_with_children) == (3, 2)
    assert (q2.male, q2.lgbt, q2.disabled) == (1, 1, 1)
    assert q2.minoritised == 2  # B1 and A3; W1 and NS are not counted
    assert q2.aged_16_17 == 1
    assert q2.perpetrator_under_18 == 1
    assert (q2.police_referrals, q2.partner_referrals) == (3, 2)
    assert stats.rate(q2) == pytest.approx(5 * 10_000 / 125_000)


def test_a_case_belongs_to_the_quarter_of_its_meeting_date():
    stats = quarterly_statistics(table(HAND_BUILT), [Q1, Q2, Q2 + 1])
    assert [q.cases_heard for q in stats.quarters] == [1, 5, 1]
    assert [q.quarter for q in stats.quarters] == [Q1, Q2, Q2 + 1]


def test_a_quarter_without_cases_counts_zero_and_has_no_percentages():
    stats = quarterly_statistics(table(HAND_BUILT), [FinancialQuarter(2021, 1)])
    empty = stats.latest
    assert empty.cases_heard == 0
    assert empty.pct("male") is None
    assert SAFELIVES_RANGES[0].reading(empty.pct("male")) == "no cases"


def _seed_quarter(quarter, referrals, children, families, repeats):
    rows = []
    for n in range(referrals):
        kids = 0
        if n < families:
            kids = 1 + (children - families if n == 0 else 0)
        heard = quarter.start + timedelta(days=n % 80)
        rows.append(
            case(f"{quarter.key}-{n}", heard, children_in_household=kids, is_repeat=n < repeats)
        )
    return rows


# Seed 004_26486a05828a75d3.txt lines 923-927: Barnet DA MARAC, Q2 2022/23 to Q2 2023/24.
SEED_FIG3 = [
    (FinancialQuarter(2022, 2), 123, 64, 48, 22, 18),
    (FinancialQuarter(2022, 3), 122, 68, 37, 19, 16),
    (FinancialQuarter(2022, 4), 145, 111, 64, 35, 24),
    (FinancialQuarter(2023, 1), 113, 77, 52, 23, 20),
    (FinancialQuarter(2023, 2), 116, 76, 52, 23, 20),
]


def test_repeat_percentages_reproduce_seed_004_figure_3():
    rows = [r for q, n, c, f, rep, _ in SEED_FIG3 for r in _seed_quarter(q, n, c, f, rep)]
    stats = quarterly_statistics(table(rows), [q for q, *_ in SEED_FIG3])
    for figures, (_, cases, children, families, repeats, pct) in zip(
        stats.quarters, SEED_FIG3, strict=True
    ):
        assert figures.cases_heard == cases
        assert (figures.children, figures.families_with_children) == (children, families)
        assert figures.repeat_cases == repeats
        assert round(figures.pct("repeat_cases")) == pct


@pytest.mark.parametrize(
    ("measure", "value", "reading"),
    [
        ("male", 9.2, "within expected range"),
        ("male", 4.9, "below expected range"),
        ("male", 10.1, "above expected range"),
        ("lgbt", 1.7, "below expected range"),
        ("disabled", 6.7, "below expected range"),
        ("disabled", 40.0, "within expected range"),
        ("repeat_cases", 20.0, "for reference"),
    ],
)
def test_figures_are_read_against_safelives_ranges(measure, value, reading):
    expected = next(r for r in SAFELIVES_RANGES if r.measure == measure)
    assert expected.reading(value) == reading
    assert expected.source


def test_every_range_names_a_measure_and_a_source():
    known = {*marac.MEASURES, "per_10000_adult_women"}
    for expected in SAFELIVES_RANGES:
        assert expected.measure in known
        assert expected.kind in {"range", "reference"}
        assert "SafeLives" in expected.source or "National" in expected.source
        # Sources are shown to board members: plain words, never internal references.
        assert "seed" not in expected.source.lower()
        assert "brief" not in expected.source.lower()


def test_a_table_missing_a_column_is_refused_naming_it():
    broken = table(HAND_BUILT).drop("is_repeat")
    with pytest.raises(ConfigurationError, match="missing column 'is_repeat'"):
        quarterly_statistics(broken, [Q2])


def test_a_column_of_the_wrong_type_is_refused_naming_it():
    broken = table(HAND_BUILT).mutate(children_in_household=ibis.literal("two"))
    with pytest.raises(ConfigurationError, match="column 'children_in_household' is string"):
        quarterly_statistics(broken, [Q2])


@pytest.mark.parametrize("population", [0, -5])
def test_the_population_must_be_positive(population):
    with pytest.raises(ConfigurationError, match="women aged 16"):
        cases_per_10000_adult_women(10, population)


def test_at_least_one_quarter_is_needed():
    with pytest.raises(ConfigurationError, match="at least one quarter"):
        quarterly_statistics(table(HAND_BUILT), [])


def test_the_counts_compile_for_postgresql_unchanged():
    sql = ibis.to_sql(quarterly_counts(table(HAND_BUILT), Q1, Q2), dialect="postgres")
    assert "GROUP BY" in sql


def test_json_shape_has_counts_percentages_and_ranges():
    data = quarterly_statistics(table(HAND_BUILT), [Q2], adult_women=100_000).to_dict()
    quarter = data["quarters"][0]
    assert quarter["quarter"] == "2023/24-Q2"
    assert quarter["counts"]["cases_heard"] == 5
    assert quarter["percentages"]["male"] == 20.0
    assert quarter["per_10000_adult_women"] == 0.5
    male = next(r for r in data["expected_ranges"] if r["measure"] == "male")
    assert (male["low"], male["high"], male["latest_reading"]) == (
        5.0,
        10.0,
        "above expected range",
    )


def _public_functions():
    return [
        name
        for module in (
            case_module,
            count_module,
            repeat_check_module,
            range_module,
            statistics_module,
        )
        for name, member in inspect.getmembers(module, inspect.isfunction)
        if member.__module__ == module.__name__ and not name.startswith("_")
    ]


def test_every_public_measure_function_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    missing = [name for name in _public_functions() if not re.search(rf"`{name}\b", text)]
    assert not missing, f"{DOCS.name} does not document: {', '.join(missing)}"


def test_every_measure_has_a_docstring_naming_its_source():
    for name, measure in marac.MEASURES.items():
        doc = inspect.getdoc(measure) or ""
        assert re.search(r"BRIEF|seed|SafeLives", doc), f"{name} has no source in its docstring"
