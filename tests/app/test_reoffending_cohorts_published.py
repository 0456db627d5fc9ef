"""The pooled reoffending figure and its 3-month cohorts, published for an audience: no
hidden cohort can be worked out from the pooled figure and the other cohorts."""

from __future__ import annotations

from datetime import date

from saferhub.app import publish
from saferhub.measures.reoffending import ReoffendingFigures, pooled_reoffending
from saferhub.measures.reoffending_area import AreaReoffending
from saferhub.reports.reoffending import cohorts_table, reoffending_json
from saferhub.rules.disclosure import CONFIDENTIAL, Audience
from saferhub.rules.periods import Month, Window


def figures(month: int, year: int, offenders: int, reoffenders: int) -> ReoffendingFigures:
    first = date(year, month, 1)
    last = Window(Month(year, month), Month(year, month) + 2).last.last_day
    rate = 100.0 * reoffenders / offenders
    return ReoffendingFigures(first, last, offenders, reoffenders, reoffenders * 2, rate, 1.0, 2.0)


def result(small: int) -> AreaReoffending:
    now = tuple(
        figures(m, 2022, 40, r) for m, r in zip((1, 4, 7, 10), (small, 12, 15, 9), strict=True)
    )
    before = tuple(
        figures(m, 2021, 40, r) for m, r in zip((1, 4, 7, 10), (10, 11, 13, 14), strict=True)
    )
    return AreaReoffending(
        cohort=pooled_reoffending(now),
        previous=pooled_reoffending(before),
        comparator=None,
        window=Window(Month(2022, 1), Month(2022, 12)),
        data_last_day=date(2024, 12, 31),
        source="files",
        comparison=Window(Month(2021, 1), Month(2021, 12)),
        cohorts=now,
        previous_cohorts=before,
    )


def test_one_small_cohort_hides_every_cohort_of_its_year_for_the_public():
    published = publish.reoffending(result(small=3), Audience.PUBLIC)
    rates = [row[2] for row in cohorts_table(published).rows]
    # Hiding only the first would let the pooled figure give it back.
    assert all(rate == published.marker for rate in rates)
    assert published.marker == CONFIDENTIAL  # 12, 15 and 9 are hidden too, not small
    data = reoffending_json(published)
    assert all(c["reoffenders"] == published.marker for c in data["cohorts"])
    # The pooled figure and the earlier year, with no small cohort, are shown.
    assert data["cohort"]["reoffenders"] == 3 + 12 + 15 + 9
    assert [c["reoffenders"] for c in data["previous_cohorts"]] == [10, 11, 13, 14]


def test_the_partnership_sees_every_cohort():
    published = publish.reoffending(result(small=3), Audience.PARTNERSHIP)
    assert [c["reoffenders"] for c in reoffending_json(published)["cohorts"]] == [3, 12, 15, 9]


def test_no_small_cohort_hides_nothing_for_the_public():
    published = publish.reoffending(result(small=20), Audience.PUBLIC)
    assert published.hidden == {}
    assert cohorts_table(published).rows[0][2] == 50.0
