"""The partner figures page: load a breakdowns file for the board pack, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from saferhub.web.accounts.models import Role
from saferhub.web.audit.models import AuditEvent
from saferhub.web.insights.models import BreakdownValue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parents[1] / "measures" / "fixtures" / "cctv_by_ward_jun_sep_2023.csv"
URL = "/insights/partner-figures/"


def upload(name: str, body: bytes) -> dict:
    return {"breakdowns": SimpleUploadedFile(name, body, content_type="text/csv")}


@pytest.fixture
def analyst(client):
    client.force_login(UserFactory(role=Role.ANALYST))
    return client


def test_a_good_file_is_stored_audited_and_listed(analyst):
    response = analyst.post(URL, upload("cctv-sep-2023.csv", FIXTURE.read_bytes()))
    assert response.status_code == 302
    stored = BreakdownValue.objects.filter(measure="CCTV incidents by ward")
    assert sum(v.value for v in stored) == 314
    assert {v.file for v in stored} == {"cctv-sep-2023.csv"}
    assert AuditEvent.objects.filter(action="import").count() == 1
    page = analyst.get(URL).content.decode()
    assert "CCTV incidents by ward" in page and "June 2023" in page and "September 2023" in page


def test_a_file_with_problems_stores_nothing_and_lists_each_by_row_and_column(analyst):
    body = (
        FIXTURE.read_bytes() + b"Barnet,2023-09,Hate crime,Not a strand,3\nBarnet,2023-13,x,y,z\n"
    )
    response = analyst.post(URL, upload("partner.csv", body))
    page = response.content.decode()
    assert response.status_code == 400
    assert "nothing was loaded" in page
    assert "partner.csv, row" in page and "column &#x27;category&#x27;" in page
    assert not BreakdownValue.objects.exists()
    assert not AuditEvent.objects.filter(action="import").exists()


def test_only_csv_files_are_taken(analyst):
    response = analyst.post(URL, upload("figures.xlsx", b"PK\x03\x04"))
    assert response.status_code == 400
    assert "Choose a .csv file." in response.content.decode()


def test_the_template_to_fill_in_downloads_and_is_a_valid_file(analyst, tmp_path):
    from saferhub.app.partner import load_breakdowns

    response = analyst.get(URL + "template.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="partner-breakdowns.csv"'
    saved = tmp_path / "partner-breakdowns.csv"
    saved.write_bytes(response.content)
    assert load_breakdowns([saved]).num_rows > 0


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PRACTITIONER])
def test_viewers_and_practitioners_may_not_load_figures(client, role):
    client.force_login(UserFactory(role=role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, upload("a.csv", FIXTURE.read_bytes())).status_code == 403
    assert not BreakdownValue.objects.exists()
