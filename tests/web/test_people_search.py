"""People search: the best matches first, names in either order, dates as people type them."""

from __future__ import annotations

from datetime import date

import pytest

from saferhub.web.accounts.models import Role
from saferhub.web.people import search
from tests.factories import AgencyFactory, InvolvementFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return AgencyFactory(name="Probation (search)")


@pytest.fixture
def searcher(client, agency):
    client.force_login(UserFactory(username="searcher", agency=agency, role=Role.PRACTITIONER))
    return client


def known(agency, first, last, born=date(1980, 1, 1)):
    person = PersonFactory(first_name=first, last_name=last, date_of_birth=born)
    InvolvementFactory(person=person, agency=agency)
    return person


@pytest.fixture
def kowalskis(agency):
    # Near misses that an unranked search would list before the exact match.
    for first, last in [
        ("Craig", "Kowalska"),
        ("Ann", "Kowalski"),
        ("Craigie", "Kowalskiewicz"),
        ("Chris", "Kowalski"),
        ("Craig", "Abbott"),
        ("Aaron", "Craig"),
        ("Craig", "Kowalskiy"),
    ]:
        known(agency, first, last)
    return known(agency, "Craig", "Kowalski", date(1992, 2, 28))


def names(response) -> list[str]:
    return [f"{p.first_name} {p.last_name}" for p in response.context["results"]]


@pytest.mark.parametrize("typed", ["Craig Kowalski", "KOWALSKI, Craig", "kowalski,craig"])
def test_the_exact_name_comes_first_however_it_is_typed(searcher, kowalskis, typed):
    response = searcher.get("/people/", {"q": typed})
    assert names(response)[0] == "Craig Kowalski"


def test_the_same_surname_with_the_same_initial_ranks_above_other_partial_matches(
    searcher, kowalskis
):
    found = names(searcher.get("/people/", {"q": "Craig Kowalski"}))
    assert found.index("Chris Kowalski") < found.index("Craig Kowalska")
    assert found.index("Ann Kowalski") < found.index("Craig Abbott")


@pytest.mark.parametrize("typed", ["28 Feb 1992", "28/02/1992", "1992-02-28", "28 February 1992"])
def test_a_date_of_birth_is_read_as_people_write_it(searcher, kowalskis, typed):
    assert names(searcher.get("/people/", {"q": typed})) == ["Craig Kowalski"]


def test_an_impossible_date_finds_no_one_and_says_why(searcher, kowalskis):
    response = searcher.get("/people/", {"q": "31/02/1992"})
    assert names(response) == []
    assert "not a real date" in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("28 Feb 1992", date(1992, 2, 28)),
        ("28/02/1992", date(1992, 2, 28)),
        ("3/4/1990", date(1990, 4, 3)),  # day first, as in the UK
        ("1990-04-03", date(1990, 4, 3)),
        ("Smith", None),
        ("12/345678A", None),  # a PNC ID, not a date
    ],
)
def test_parse_date_reads_uk_dates_only(typed, expected):
    assert search.parse_date(typed) == expected


def test_the_ranking_is_done_by_the_database(agency, kowalskis):
    from saferhub.web.people.models import Person

    ranked = search.find(Person.objects.all(), search.parse("Craig Kowalski"))
    sql = str(ranked.order_by("rank").query)
    assert "CASE WHEN" in sql.upper() and "ORDER BY" in sql.upper()


def test_results_page_and_sort_by_their_columns(searcher, agency):
    for n in range(60):
        known(agency, f"Sam{n:02d}", "Smith", date(1960 + n % 40, 1, 1 + n % 28))
    first = searcher.get("/people/", {"q": "Smith"})
    assert first.context["total"] == 60 and len(names(first)) == 50
    second = searcher.get("/people/", {"q": "Smith", "page": 2})
    assert len(names(second)) == 10
    assert not set(names(first)) & set(names(second))
    page = first.content.decode()
    assert 'class="govuk-pagination"' in page and "page=2" in page

    oldest = searcher.get("/people/", {"q": "Smith", "sort": "born", "dir": "asc"})
    births = [p.date_of_birth for p in oldest.context["results"]]
    assert births == sorted(births)
    newest = searcher.get("/people/", {"q": "Smith", "sort": "born", "dir": "desc"})
    assert newest.context["results"][0].date_of_birth == max(
        p.date_of_birth for p in newest.context["results"]
    )
    assert 'aria-sort="descending"' in newest.content.decode()


def test_an_unknown_sort_key_is_ignored_not_passed_to_the_database(searcher, kowalskis):
    response = searcher.get("/people/", {"q": "Craig Kowalski", "sort": "password"})
    assert response.status_code == 200
    assert names(response)[0] == "Craig Kowalski"
