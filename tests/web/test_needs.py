"""The probation needs analysis page through the test client, as real roles."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from saferhub.demo import needs as demo
from saferhub.web.accounts.models import AgencyKind, Role
from saferhub.web.audit.models import AuditEvent
from saferhub.web.needs.models import CaseloadEntry, CaseloadExtract
from saferhub.web.people.models import IdentifierKind
from tests.factories import AgencyFactory, IdentifierFactory, UserFactory
from tests.factories_needs import CaseloadEntryFactory, CaseloadExtractFactory
from tests.measures.needs_rows import person, write_csv

pytestmark = pytest.mark.django_db


def _rows():
    return [
        person("X000001", needs=("ete", "thinking_behaviour"), registrations=("mappa",)),
        person("X000002", setting="custody", needs=("accommodation",)),
        person("X000003", assessment_date=None),
        person("X000004", gender="Female", needs=("ete",), registrations=("armed_forces",)),
        *(person(f"X10000{i}", needs=("thinking_behaviour",)) for i in range(6)),
    ]


def _probation_officer():
    agency = AgencyFactory(name="Probation Service – Barnet", kind=AgencyKind.PROBATION)
    return UserFactory(username="probation.officer", agency=agency)


@pytest.fixture
def probation(client):
    client.force_login(_probation_officer())
    return client


@pytest.fixture
def analyst(client):
    client.force_login(UserFactory(username="council.analyst", role=Role.ANALYST))
    return client


@pytest.fixture
def loaded(tmp_path):
    """The extract, loaded by a probation officer in a session of their own."""
    loader = Client()
    loader.force_login(_probation_officer())
    path = write_csv(tmp_path / "barnet_caseload.csv", _rows())
    with path.open("rb") as handle:
        response = loader.post(
            "/needs/load/", {"extract": handle, "area": "Barnet", "as_of": "2021-10-15"}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return CaseloadExtract.objects.get()


def test_without_an_extract_the_page_says_so_and_offers_probation_the_loading_page(probation):
    page = probation.get("/needs/").content.decode()
    assert "No caseload extract has been loaded yet" in page
    assert 'href="/needs/load/"' in page


def test_loading_an_extract_stores_every_person_and_audits_the_import(loaded):
    assert (loaded.area, loaded.people, loaded.file_name) == ("Barnet", 10, "barnet_caseload.csv")
    assert CaseloadEntry.objects.count() == 10
    entry = CaseloadEntry.objects.get(crn="X000001")
    assert entry.needs["ete"] is True and entry.registrations["mappa"] is True
    assert CaseloadEntry.objects.get(crn="X000003").needs["ete"] is None
    event = AuditEvent.objects.get(action="import")
    assert event.username == "probation.officer" and "10 people" in event.summary


def test_a_known_crn_is_linked_to_the_person(probation, tmp_path):
    identifier = IdentifierFactory(kind=IdentifierKind.CRN, value="X000002")
    path = write_csv(tmp_path / "c.csv", _rows())
    with path.open("rb") as handle:
        probation.post("/needs/load/", {"extract": handle, "area": "Barnet"})
    assert CaseloadEntry.objects.get(crn="X000002").person_id == identifier.person_id


def test_probation_staff_see_the_full_version_and_the_view_is_audited(probation, loaded):
    page = probation.get("/needs/").content.decode()
    assert "it is for probation only" in page
    assert "People without an OASys assessment" in page and "X000003" in page
    assert "Criminogenic needs by community and custody" in page
    assert AuditEvent.objects.filter(action="view", object_type="needs.CaseloadExtract").exists()


def test_an_analyst_sees_the_version_for_sharing_beyond_probation(analyst, loaded):
    page = analyst.get("/needs/").content.decode()
    assert "version for sharing beyond probation" in page
    assert "X000003" not in page and "People without an OASys assessment" not in page
    assert "&lt;5" in page or "[c]" in page  # the armed forces count of 1 is hidden
    assert not AuditEvent.objects.filter(action="view").exists()
    assert 'href="/needs/load/"' not in page


def test_a_bad_extract_lists_its_problems_and_loads_nothing(probation, tmp_path):
    rows = _rows()
    rows[1]["need_ete"] = "maybe"
    rows[2]["crn"] = "X000001"
    path = write_csv(tmp_path / "bad.csv", rows)
    with path.open("rb") as handle:
        response = probation.post("/needs/load/", {"extract": handle, "area": "Barnet"})
    page = response.content.decode()
    assert response.status_code == 400
    assert (
        "bad.csv, row 3, column &#x27;need_ete&#x27;: &#x27;maybe&#x27; is not a need value" in page
    )
    assert "bad.csv, row 4, column &#x27;crn&#x27;: X000001 is also on row 2" in page
    assert "nothing was loaded" in page
    assert not CaseloadExtract.objects.exists()


def test_a_file_of_another_kind_is_refused_by_the_form(probation, tmp_path):
    path = tmp_path / "caseload.docx"
    path.write_bytes(b"not an extract")
    with path.open("rb") as handle:
        response = probation.post("/needs/load/", {"extract": handle, "area": "Barnet"})
    assert response.status_code == 400
    assert "Choose a .csv or .xlsx file." in response.content.decode()


def test_only_probation_staff_may_load_an_extract(client):
    council = AgencyFactory(name="Council", kind=AgencyKind.COMMUNITY_SAFETY)
    client.force_login(UserFactory(username="coordinator", role=Role.COORDINATOR, agency=council))
    assert client.get("/needs/load/").status_code == 404


def test_a_new_extract_replaces_the_old_one(probation, loaded, tmp_path):
    path = write_csv(tmp_path / "newer.csv", _rows()[:3])
    with path.open("rb") as handle:
        probation.post("/needs/load/", {"extract": handle, "area": "Barnet"})
    assert list(CaseloadExtract.objects.values_list("file_name", "people")) == [("newer.csv", 3)]
    assert CaseloadEntry.objects.count() == 3


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("json", "application/json"),
        ("html", "text/html; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)  # PDF comes from the same report through WeasyPrint; the CLI tests cover it
def test_each_download_is_the_same_analysis(probation, loaded, fmt, content_type):
    response = probation.get(f"/needs/export/{fmt}/")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert "needs-analysis-barnet-2021-10-15" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="export").count() == 1


def test_the_analyst_json_is_the_public_version(analyst, loaded):
    data = json.loads(analyst.get("/needs/export/json/").content)
    assert data["public"] is True and data["not_assessed"] is None
    assert data["people"] == 10


def test_an_unknown_download_format_is_not_found(probation, loaded):
    assert probation.get("/needs/export/docx/").status_code == 404


def test_the_page_renders_entries_made_by_the_factory(analyst):
    extract = CaseloadExtractFactory(people=6)
    CaseloadEntryFactory.create_batch(6, extract=extract)
    page = analyst.get("/needs/").content.decode()
    assert "Thinking & behaviour" in page or "Thinking &amp; behaviour" in page
    assert "6 people" in page


def test_the_demo_loader_reads_the_synthetic_extract(tmp_path):
    import csv

    from saferhub.synth import caseload
    from saferhub.synth.world import World

    rows = caseload.generate(World(seed=11, scale=0.1))[caseload.FILE_NAME]
    with (tmp_path / caseload.FILE_NAME).open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert demo.load(tmp_path, {}) == {"caseload entries": len(rows)}
    assert CaseloadExtract.objects.get().area == "Barnet"
    assert demo.load(tmp_path / "missing", {}) == {}
