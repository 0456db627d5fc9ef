"""IOM measures on small hand-computed cases (DuckDB)."""

from __future__ import annotations

from datetime import date

import ibis
import pytest
from tests.measures.iom_tables import (
    cohort,
    custody,
    member,
    offence,
    offences,
    random_tables,
    table,
)

from saferhub.measures import iom
from saferhub.rules.costs import UnitCost, UnitCostTable
from saferhub.rules.iom_scoring import ScoredOffence, ScoringMatrix, score
from saferhub.sources.cohort import PATHWAYS_SCHEMA, TIERS_SCHEMA

pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

YEAR = 365.25
REPORT = date(2023, 12, 31)


@pytest.fixture(scope="module")
def con():
    return ibis.duckdb.connect()


def one_row(con, expr) -> dict:
    return con.execute(expr).iloc[0].to_dict()


# Member A joins 1 January 2023. Before window: 1 Jan to 31 Dec 2022 (365 days), of which
# 30 in custody (received 1 Nov, released 1 Dec: 1-30 Nov), so 335 days at liberty.
# After window: 1 Jan to 31 Dec 2023 (365 days), 31 in custody (1-31 Jul), so 334 days.
# Member B joins 1 Jul 2023 and leaves 30 Sep 2023: after window 92 days, of which 30 in
# custody (received 1 Sep, never released), so 62 days; no before-window custody.
A_BEFORE_DAYS, A_AFTER_DAYS = 365 - 30, 365 - 31
B_BEFORE_DAYS, B_AFTER_DAYS = 365, 92 - 30
COHORT = cohort(
    member("A", date(2023, 1, 1)),
    member("B", date(2023, 7, 1), date(2023, 9, 30)),
    member("C", date(2024, 1, 1)),  # joins after the report date: not counted
)
CUSTODY = custody(
    ("A", date(2022, 11, 1), date(2022, 12, 1)),
    ("A", date(2023, 7, 1), date(2023, 8, 1)),
    ("B", date(2023, 9, 1), None),
)
OFFENCES = offences(
    offence("A", date(2021, 12, 31)),  # the day before the before window: not counted
    offence("A", date(2022, 1, 1)),  # first day of the before window
    offence("A", date(2022, 6, 1), "robbery_personal"),
    offence("A", date(2022, 12, 31)),  # the day before joining
    offence("A", date(2023, 1, 1)),  # the join date counts as after
    offence("A", date(2023, 5, 1), "robbery_personal"),
    offence("B", date(2023, 1, 10)),
    offence("B", date(2023, 3, 10)),
    offence("B", date(2023, 8, 1)),
    offence("B", date(2023, 10, 15)),  # after leaving: not counted
    offence("C", date(2023, 6, 1)),
)


def test_rates_before_and_after_exclude_custody_and_pool_the_cohort(con):
    row = one_row(con, iom.offending_rates(COHORT, OFFENCES, CUSTODY, REPORT))
    assert row["spells"] == 2
    assert row["offences_before"] == 3 + 2
    assert row["offences_after"] == 2 + 1
    assert row["years_before"] == pytest.approx((A_BEFORE_DAYS + B_BEFORE_DAYS) / YEAR)
    assert row["years_after"] == pytest.approx((A_AFTER_DAYS + B_AFTER_DAYS) / YEAR)
    before = 5 / ((A_BEFORE_DAYS + B_BEFORE_DAYS) / YEAR)
    after = 3 / ((A_AFTER_DAYS + B_AFTER_DAYS) / YEAR)
    assert row["rate_before"] == pytest.approx(before)
    assert row["rate_after"] == pytest.approx(after)
    assert row["reduction_pct"] == pytest.approx(100 * (before - after) / before)


def test_time_in_custody_is_excluded_from_exposure_in_both_windows(con):
    exposure = con.execute(iom.spell_exposure(COHORT, CUSTODY, REPORT)).set_index("pnc_id")
    assert exposure.loc["A", "before_days"] == A_BEFORE_DAYS
    assert exposure.loc["A", "after_days"] == A_AFTER_DAYS
    assert exposure.loc["B", "after_days"] == B_AFTER_DAYS
    no_custody = con.execute(iom.spell_exposure(COHORT, custody(), REPORT)).set_index("pnc_id")
    assert no_custody.loc["A", "before_days"] == 365
    assert no_custody.loc["A", "after_days"] == 365


def test_custody_straddling_the_join_date_is_split_between_windows(con):
    straddle = custody(("A", date(2022, 12, 22), date(2023, 1, 11)))  # 10 days before, 10 after
    exposure = con.execute(
        iom.spell_exposure(cohort(member("A", date(2023, 1, 1))), straddle, REPORT)
    )
    assert exposure.loc[0, "before_days"] == 365 - 10
    assert exposure.loc[0, "after_days"] == 365 - 10


def test_offences_avoided_by_group_use_the_before_rate_over_after_exposure(con):
    rows = con.execute(iom.offences_avoided(COHORT, OFFENCES, CUSTODY, REPORT)).set_index(
        "offence_group"
    )
    years_before = (A_BEFORE_DAYS + B_BEFORE_DAYS) / YEAR
    years_after = (A_AFTER_DAYS + B_AFTER_DAYS) / YEAR
    burglary = rows.loc["burglary_residential"]
    assert (burglary.offences_before, burglary.offences_after) == (4, 2)
    assert burglary.expected_after == pytest.approx(4 / years_before * years_after)
    assert burglary.avoided == pytest.approx(4 / years_before * years_after - 2)
    robbery = rows.loc["robbery_personal"]
    assert robbery.avoided == pytest.approx(1 / years_before * years_after - 1)


def test_avoided_a_year_uses_time_at_liberty_in_the_last_365_days(con):
    rows = con.execute(iom.offences_avoided(COHORT, OFFENCES, CUSTODY, REPORT)).set_index(
        "offence_group"
    )
    years_before = (A_BEFORE_DAYS + B_BEFORE_DAYS) / YEAR
    years_after = (A_AFTER_DAYS + B_AFTER_DAYS) / YEAR
    # Every after day of A and B falls in the 365 days to 31 Dec 2023.
    fall = 4 / years_before - 2 / years_after
    assert rows.loc["burglary_residential"].avoided_a_year == pytest.approx(fall * years_after)


def test_cost_of_crime_avoided_multiplies_by_the_unit_cost_and_leaves_uncosted_groups_blank(con):
    costs = UnitCostTable.of([UnitCost("burglary_residential", 5930, "2015/16", "HO")])
    avoided = iom.offences_avoided(COHORT, OFFENCES, CUSTODY, REPORT)
    rows = con.execute(iom.cost_of_crime_avoided(avoided, iom.unit_costs_table(costs))).set_index(
        "offence_group"
    )
    burglary = rows.loc["burglary_residential"]
    assert burglary.cost_avoided == pytest.approx(burglary.avoided * 5930)
    assert (
        rows.loc["robbery_personal"].cost_avoided != rows.loc["robbery_personal"].cost_avoided
    )  # NaN


def test_concentration_is_the_top_offenders_share(con):
    row = one_row(con, iom.concentration(OFFENCES, date(2022, 1, 1), date(2023, 12, 31), 1))
    # A has 5 offences in the period, B 4, C 1: the top 1 offender commits 5 of 10.
    assert (row["offenders"], row["offences"], row["top_offences"]) == (3, 10, 5)
    assert row["share_pct"] == pytest.approx(50)


def test_composition_counts_members_on_each_date_with_tier_and_age_band(con):
    tiers = table(
        TIERS_SCHEMA,
        [
            {"pnc_id": "A", "tier": "Red", "from_date": date(2023, 1, 1), "reason": "Selected"},
            {"pnc_id": "A", "tier": "Blue", "from_date": date(2023, 7, 1), "reason": "Custody"},
            {"pnc_id": "B", "tier": "Green", "from_date": date(2023, 7, 1), "reason": "Selected"},
        ],
    )
    people = cohort(
        member(
            "A", date(2023, 1, 1), date_of_birth=date(2005, 7, 1)
        ),  # 17 on 30 Jun 2023, 18 by 30 Sep
        member(
            "B",
            date(2023, 7, 1),
            date(2023, 9, 30),
            management="Non-statutory",
            date_of_birth=date(1978, 9, 30),
        ),
    )
    members = iom.members_on(
        people, tiers, [date(2023, 6, 30), date(2023, 9, 30), date(2023, 10, 1)]
    )
    rows = con.execute(iom.cohort_composition(members))
    got = {(r.snapshot_date.date(), r.dimension, r.category): r.members for r in rows.itertuples()}
    assert got[(date(2023, 6, 30), "cohort", "All members")] == 1
    assert got[(date(2023, 6, 30), "tier", "Red")] == 1
    assert got[(date(2023, 6, 30), "age_band", "Under 18")] == 1
    assert got[(date(2023, 9, 30), "cohort", "All members")] == 2  # B's leave date is still on
    assert got[(date(2023, 9, 30), "tier", "Blue")] == 1
    assert got[(date(2023, 9, 30), "management", "Non-statutory")] == 1
    assert got[(date(2023, 9, 30), "age_band", "45+")] == 1  # B turns 45 that day
    assert got[(date(2023, 9, 30), "age_band", "18\u201324")] == 1
    assert got[(date(2023, 10, 1), "cohort", "All members")] == 1


def test_offences_by_members_counts_only_offences_while_on_the_programme(con):
    families = {"burglary_residential": "Burglary", "robbery_personal": "Robbery"}
    rows = con.execute(
        iom.offences_by_members(COHORT, OFFENCES, date(2023, 1, 1), date(2023, 12, 31), families)
    ).set_index("family")
    # A: 1 Jan burglary, 1 May robbery; B: 1 Aug burglary (15 Oct is after leaving).
    assert rows.loc["Burglary", "offences"] == 2
    assert rows.loc["Robbery", "offences"] == 1
    assert rows["share_pct"].sum() == pytest.approx(100)


def test_pathway_outcome_rate_counts_achieved_and_partially_achieved_out_of_all_referrals(con):
    def referral(outcome, referred=date(2023, 8, 1)):
        return {
            "pnc_id": "A",
            "pathway": "Accommodation",
            "provider": "Housing",
            "referral_date": referred,
            "outcome": outcome,
            "outcome_date": date(2023, 9, 1) if outcome else None,
        }

    pathways = table(
        PATHWAYS_SCHEMA,
        [
            referral("achieved"),
            referral("partially achieved"),
            referral("not achieved"),
            referral("withdrawn"),
            referral(None),
            referral("achieved", date(2023, 3, 1)),  # before the period
        ],
    )
    row = one_row(con, iom.pathway_outcomes(pathways, date(2023, 7, 1), date(2023, 9, 30)))
    assert row["referrals"] == 5
    assert (
        row["achieved"],
        row["partially_achieved"],
        row["not_achieved"],
        row["withdrawn"],
        row["open"],
    ) == (1, 1, 1, 1, 1)
    assert row["outcome_rate_pct"] == pytest.approx(40)
    assert row["achieved_rate_pct"] == pytest.approx(20)


def test_selection_scores_rank_people_not_on_the_programme_as_the_rules_do(con):
    data = random_tables(seed=3, people=60)
    offences_t, cohort_t = ibis.memtable(data["offences"]), ibis.memtable(data["cohort"])
    on = date(2023, 6, 30)
    matrix = ScoringMatrix()
    ranked = con.execute(iom.selection_scores(offences_t, cohort_t, on, matrix))
    members = {
        r["pnc_id"]
        for r in data["cohort"].to_pylist()
        if r["join_date"] <= on and (r["leave_date"] is None or r["leave_date"] >= on)
    }
    assert not members & set(ranked.pnc_id)
    assert list(ranked["rank"]) == list(range(1, len(ranked) + 1))
    assert ranked.score.is_monotonic_decreasing
    by_person: dict[str, list[ScoredOffence]] = {}
    for r in data["offences"].to_pylist():
        by_person.setdefault(r["pnc_id"], []).append(
            ScoredOffence(r["offence_date"], r["offence_group"])
        )
    for row in ranked.itertuples():
        assert row.score == pytest.approx(score(by_person[row.pnc_id], on, matrix).total)


def test_selection_scores_can_add_ogrs_and_ovp_points(con):
    risk = ibis.memtable(
        {"pnc_id": ["X"], "ogrs": [80.0], "ovp": [None]},
        schema={"pnc_id": "string", "ogrs": "float64", "ovp": "float64"},
    )
    matrix = ScoringMatrix(ogrs_points_per_10=1)
    offs = offences(offence("X", date(2023, 6, 1)))
    row = one_row(
        con,
        iom.selection_scores(
            offs, cohort(member("Z", date(2020, 1, 1))), date(2023, 6, 30), matrix, risk
        ),
    )
    assert row["risk_points"] == pytest.approx(8)
    assert row["score"] == pytest.approx(7 * 3 + 8)


def test_deselection_review_lists_offence_free_members_not_in_custody(con):
    people = cohort(
        member("A", date(2022, 1, 1)),
        member("B", date(2022, 1, 1)),
        member("D", date(2022, 1, 1)),
        member("E", date(2023, 3, 1)),
    )
    offs = offences(offence("A", date(2022, 5, 1)), offence("B", date(2023, 2, 1)))
    in_custody = custody(("D", date(2023, 5, 1), None))
    rows = con.execute(
        iom.deselection_review(people, offs, in_custody, date(2023, 6, 30), date(2022, 12, 31))
    )
    assert list(rows.pnc_id) == ["A"]  # B offended since; D is in custody; E joined too recently
    assert rows.last_offence_date[0].date() == date(2022, 5, 1)
