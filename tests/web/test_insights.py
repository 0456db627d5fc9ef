"""The crime dashboard page through the test client, as real roles."""

from __future__ import annotations

import json

import pytest

from saferhub.app.crime import stored_data
from saferhub.demo import insights as demo
from saferhub.rules.periods import Month, Window
from saferhub.web.accounts.models import Role
from tests.factories import UserFactory
from tests.measures.crime_files import varied, window_sum, write_mps, write_population, write_series

pytestmark = pytest.mark.django_db

FIRST, LAST = Month(2019, 1), Month(2023, 9)


@pytest.fixture
def crime_data(tmp_path):
    write_mps(tmp_path / demo.CRIME, FIRST, LAST, varied)
    write_population(tmp_path / demo.POPULATION)
    write_series(
        tmp_path / demo.SERIES,
        [("Barnet", m.key, "ASB calls", 900 + m.month) for m in Window(FIRST, LAST).months],
    )
    return demo.load(tmp_path, {})


@pytest.fixture
def viewer(client):
    client.force_login(UserFactory(username="board.member", role=Role.VIEWER))
    return client


def test_without_data_the_page_says_so(viewer):
    response = viewer.get("/insights/")
    assert response.status_code == 200
    assert "No crime data have been loaded yet" in response.content.decode()


def test_the_demo_loader_stores_what_the_readers_read(crime_data):
    assert crime_data["crime counts"] == 33 * 0 + 32 * 4 * len(Window(FIRST, LAST))
    data = stored_data()
    assert data.counts.covered("borough") == frozenset(Window(FIRST, LAST).months)
    assert data.population_source.of("Barnet") == (300_000.0, 120_000.0)
    assert data.series_source.measures == {"ASB calls"}


def test_the_dashboard_opens_on_the_partnership_borough_and_latest_month(viewer, crime_data):
    page = viewer.get("/insights/").content.decode()
    assert "Measures at a glance: Barnet" in page
    recent = Window.ending(LAST, 3)
    expected = f"{window_sum('Barnet', recent):,}"
    assert (
        f"There were {expected} cases of Residential Burglary in the 3 months of "
        f"{recent.label}." in page
    )
    assert 'class="govuk-tag govuk-tag--' in page
    assert "North West BCU rank" in page
    assert "<svg" in page  # the trend charts, each with its data table
    assert "12 months to Sep 2023" in page


def test_choosing_another_borough_and_period_shows_its_figures(viewer, crime_data):
    response = viewer.get("/insights/", {"area": "Sutton", "to": "2023-06", "recent": "4"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Measures at a glance: Sutton" in page
    recent = Window.ending(Month(2023, 6), 4)
    assert (
        f"There were {window_sum('Sutton', recent):,} cases of Residential Burglary in the 4 "
        f"months of March 2023 to June 2023. In the same period 12 months prior there were "
        f"{window_sum('Sutton', recent.year_earlier):,}." in page
    )
    assert "South Area BCU rank" in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"area": "Narnia"}, "Borough: &#x27;Narnia&#x27; is not one of the choices"),
        ({"to": "2020-01"}, "Up to and including: &#x27;2020-01&#x27; is not one of the choices"),
        ({"recent": "7"}, "Recent period: &#x27;7&#x27; is not one of the choices"),
    ],
)
def test_a_bad_choice_shows_an_error_not_a_crash(viewer, crime_data, params, message):
    response = viewer.get("/insights/", params)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and message in page


@pytest.mark.parametrize(
    ("fmt", "starts"),
    [("xlsx", b"PK"), ("pdf", b"%PDF"), ("html", b"<!DOCTYPE html>"), ("json", b"{")],
)
def test_every_download_has_the_chosen_dashboard(viewer, crime_data, fmt, starts, monkeypatch):
    # Printing to PDF is the writers' job (tested there and in the CLI tests); here a stub
    # keeps the test fast while checking the page hands over the chosen dashboard.
    monkeypatch.setattr(
        "saferhub.app.render.render_pdf",
        lambda report: b"%PDF-" + report.title.encode(),
    )
    response = viewer.get(f"/insights/export/{fmt}/", {"area": "Sutton", "to": "2023-06"})
    assert response.status_code == 200
    assert response.content.startswith(starts)
    assert f'filename="crime-dashboard-sutton-2023-06.{fmt}"' in response["Content-Disposition"]
    if fmt == "pdf":
        assert response.content == b"%PDF-Performance dashboard: Sutton"
    if fmt == "json":
        data = json.loads(response.content)
        assert (data["area"]["name"], data["to"]) == ("Sutton", "2023-06")


def test_an_unknown_download_format_is_not_found(viewer, crime_data):
    assert viewer.get("/insights/export/docx/").status_code == 404


def test_newly_stored_data_replace_what_the_page_showed(viewer, crime_data, tmp_path):
    viewer.get("/insights/")  # builds and caches the page from the first data
    folder = tmp_path / "second"
    write_mps(folder / demo.CRIME, FIRST, LAST, lambda area, category, month: 7)
    write_population(folder / demo.POPULATION)
    demo.load(folder, {})
    page = viewer.get("/insights/").content.decode()
    assert "There were 21 cases of Residential Burglary in the 3 months of" in page


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/insights/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
