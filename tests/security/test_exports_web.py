"""Finding: a victim named =HYPERLINK(...) was written as a live formula into the MARAC agenda.

Every spreadsheet download, fetched as a signed-in role through the test client, with the
payloads in the names and free-text fields that reach it: no cell may be a formula, and text
that starts like one must be stored as text.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from saferhub.demo import insights as insights_demo
from saferhub.rules.periods import Month, Window
from saferhub.web.accounts.models import AgencyKind, Role
from saferhub.web.insights.models import CrimeRelease, PopulationEstimate
from tests.factories import AgencyFactory, UserFactory
from tests.factories_panels import (
    CaseFactory,
    ListingFactory,
    MeetingFactory,
    MemberAgencyFactory,
    PerpetratorFactory,
)
from tests.measures.crime_files import varied, write_mps, write_population, write_series
from tests.measures.needs_rows import person, write_csv
from tests.security.spreadsheets import PAYLOADS, payloads_found, workbook_text_cells

pytestmark = pytest.mark.django_db
HYPERLINK = PAYLOADS[-1]


@pytest.fixture
def coordinator(client):
    agency = MemberAgencyFactory(name=HYPERLINK, kind=AgencyKind.COMMUNITY_SAFETY)
    client.force_login(UserFactory(username="coordinator", agency=agency, role=Role.COORDINATOR))
    return client


def test_the_marac_agenda_keeps_formula_like_names_as_text(coordinator):
    agency = MemberAgencyFactory(name="=1+1 Housing", kind=AgencyKind.HOUSING)
    meeting = MeetingFactory(date=timezone.localdate())
    for position, payload in enumerate(PAYLOADS, start=1):
        case = CaseFactory(status="listed", referring_agency=agency, victim__first_name=payload)
        PerpetratorFactory(case=case, person__first_name=payload)
        ListingFactory(meeting=meeting, case=case, position=position)
    response = coordinator.get(f"/marac/meetings/{meeting.pk}/agenda.xlsx")
    assert response.status_code == 200
    texts = workbook_text_cells(response.content)
    assert payloads_found(texts) == set(PAYLOADS)
    assert "=1+1 Housing" in texts


def test_the_marac_statistics_workbook_has_no_formula(coordinator):
    police = MemberAgencyFactory(name="@SUM(A1) Police", kind=AgencyKind.POLICE)
    CaseFactory(
        referring_agency=police,
        heard_date=date(2023, 7, 6),
        status="actions",
        victim__first_name="=1+1",
    )
    response = coordinator.get("/marac/statistics/export.xlsx", {"quarter": "2023/24-Q2"})
    assert response.status_code == 200
    assert workbook_text_cells(response.content)


def _probation(client) -> Client:
    agency = AgencyFactory(name="Probation Service", kind=AgencyKind.PROBATION)
    client.force_login(UserFactory(username="probation.officer", agency=agency))
    return client


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_needs_download_keeps_a_formula_like_area_and_file_name_as_text(
    client, tmp_path, payload
):
    probation = _probation(client)
    path = write_csv(tmp_path / "extract.csv", [person(f"X00000{i}") for i in range(6)])
    # The file's name is shown in the report's notes; the form strips spaces around the area.
    upload = SimpleUploadedFile(f"{payload.strip()}.csv", path.read_bytes())
    loaded = probation.post(
        "/needs/load/", {"extract": upload, "area": payload, "as_of": "2021-10-15"}
    )
    assert loaded.status_code == 302, loaded.content.decode()[:2000]
    response = probation.get("/needs/export/xlsx/")
    assert response.status_code == 200
    texts = workbook_text_cells(response.content)
    assert payloads_found(texts, [payload.strip()]) == {payload.strip()}


def test_the_crime_dashboard_download_keeps_formula_like_source_names_as_text(client, tmp_path):
    first, last = Month(2019, 1), Month(2023, 9)
    write_mps(tmp_path / insights_demo.CRIME, first, last, varied)
    write_population(tmp_path / insights_demo.POPULATION)
    write_series(
        tmp_path / insights_demo.SERIES,
        [("Barnet", m.key, "ASB calls", 900 + m.month) for m in Window(first, last).months],
    )
    insights_demo.load(tmp_path, {})
    # The names of the loaded files are listed as the report's sources.
    CrimeRelease.objects.update(file=HYPERLINK)
    PopulationEstimate.objects.update(file="@SUM(A1)")
    client.force_login(UserFactory(username="board.member", role=Role.VIEWER))
    response = client.get("/insights/export/xlsx/")
    assert response.status_code == 200
    texts = workbook_text_cells(response.content)
    assert payloads_found(texts, [HYPERLINK, "@SUM(A1)"]) == {HYPERLINK, "@SUM(A1)"}
