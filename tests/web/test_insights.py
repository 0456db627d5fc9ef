"""The crime dashboard page through the test client, as real roles."""

from __future__ import annotations

import json
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from django.db import connection

from saferhub.app import crime_database
from saferhub.app.crime import load_crime_data, stored_data
from saferhub.app.data_version import bump_data_version
from saferhub.demo import insights as demo
from saferhub.measures.asb import TOOL_SERIES_NAMES
from saferhub.rules.periods import Month, Window
from saferhub.sources.mps import CANONICAL_SCHEMA
from saferhub.web.accounts.models import Role
from saferhub.web.insights.models import CrimeCount, SeriesValue, StoredCounts
from tests.factories import UserFactory
from tests.factories_asb import ToolUseFactory
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


def test_the_stored_counts_read_back_as_the_files_gave_them_in_the_order_stored(
    crime_data, tmp_path
):
    files = load_crime_data([tmp_path / demo.CRIME], tmp_path / demo.POPULATION)
    assert stored_data().counts.table.equals(files.counts.table.cast(CANONICAL_SCHEMA))
    # Counts stored before they were also kept as one Arrow value are read from their rows,
    # and read the same.
    StoredCounts.objects.all().delete()
    crime_database.forget_stored_counts()
    bump_data_version("insights")
    assert stored_data().counts.table.equals(files.counts.table.cast(CANONICAL_SCHEMA))
    # A row changed after it was stored keeps its place (PostgreSQL moves it to the end of
    # the table, so only the reader's own ordering keeps it first). SaferHub never changes a
    # stored count, so the change is made behind its back, and the kept reading dropped.
    first = CrimeCount.objects.order_by("pk").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE insights_crimecount SET count = count + 1000 WHERE id = %s", [first.pk]
        )
    crime_database.forget_stored_counts()
    bump_data_version("insights")
    read = stored_data().counts.table
    assert read["count"][0].as_py() == first.count + 1000
    assert read.slice(1).equals(files.counts.table.cast(CANONICAL_SCHEMA).slice(1))


def test_a_new_import_is_read_and_other_changes_keep_the_stored_counts(crime_data, tmp_path):
    from saferhub.web.insights.data import store
    from saferhub.web.insights.models import UnchangeableCount

    first = stored_data()
    # Another change to the crime page's data: the counts, tens of thousands of rows in a
    # real partnership, are not read again (only the releases, population and partner rows).
    bump_data_version("insights")
    assert stored_data().counts is first.counts
    # A new import of different figures, under the same file names, is read.
    files = load_crime_data([tmp_path / demo.CRIME], tmp_path / demo.POPULATION)
    doubled = files.counts.table.set_column(
        files.counts.table.schema.get_field_index("count"),
        "count",
        pc.multiply(files.counts.table["count"], 2),
    )
    counts = type(files.counts)(doubled, files.counts.releases, files.counts.months)
    store(counts, files.population_source, None)
    bump_data_version("insights")
    again = stored_data().counts.table
    assert again["count"].to_pylist() == [2 * c for c in first.counts.table["count"].to_pylist()]
    with pytest.raises(UnchangeableCount):
        CrimeCount.objects.filter(pk=CrimeCount.objects.first().pk).update(count=1)
    with pytest.raises(UnchangeableCount):
        row = CrimeCount.objects.first()
        row.count += 1
        row.save()


def _recorded_tools(data, month: date) -> float:
    table = data.series_source.table
    found = pc.and_(
        pc.is_in(table["measure"], value_set=pa.array(list(TOOL_SERIES_NAMES.values()))),
        pc.equal(table["month"], month),
    )
    return pc.sum(table.filter(found)["value"]).as_py() or 0


def test_recording_an_asb_use_refreshes_the_partner_figures_not_the_crime_counts(
    crime_data, monkeypatch
):
    stored_data()
    reads = []
    read_stored = crime_database.read_stored
    monkeypatch.setattr(crime_database, "read_stored", lambda: reads.append(1) or read_stored())
    ToolUseFactory(kind="cpn_warning", used_on=date(2023, 6, 12))
    assert _recorded_tools(stored_data(), date(2023, 6, 1)) == 1
    assert reads == []
    bump_data_version("insights")
    stored_data()
    assert reads == [1]


def test_partner_figures_changed_while_the_counts_are_read_are_not_paired_with_them(
    crime_data, monkeypatch
):
    read_stored = crime_database.read_stored

    def read_then_change():
        found = read_stored()
        # Another process replaces the partner figures just after this read.
        SeriesValue.objects.update(value=5)
        bump_data_version("insights")
        return found

    monkeypatch.setattr(crime_database, "read_stored", read_then_change)
    assert 5 not in stored_data().series_source.table["value"].to_pylist()
    monkeypatch.setattr(crime_database, "read_stored", read_stored)
    assert set(stored_data().series_source.table["value"].to_pylist()) == {5}


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
