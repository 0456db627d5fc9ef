"""The board pack pages through the test client: who may build, the progress endpoint,
the downloads, the audit, and bad input."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from saferhub.demo import insights as demo
from saferhub.errors import ConfigurationError
from saferhub.rules.periods import Month
from saferhub.web.accounts.models import Role
from saferhub.web.audit.models import AuditEvent
from saferhub.web.boardpack import services
from saferhub.web.boardpack.models import PackBuild, Status
from tests.factories import UserFactory
from tests.measures.crime_files import varied, write_mps, write_population

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

FIRST, LAST = Month(2019, 1), Month(2023, 9)
CHOICE = {
    "meeting_day": "28",
    "meeting_month": "11",
    "meeting_year": "2023",
    "to": "2023-09",
    "period": "recent4",
    "audience": "restricted",
    "sections": ["summary", "dashboard"],
}


@pytest.fixture
def crime_data(tmp_path):
    write_mps(tmp_path / demo.CRIME, FIRST, LAST, varied)
    write_population(tmp_path / demo.POPULATION)
    return demo.load(tmp_path, {})


@pytest.fixture
def inline(monkeypatch):
    """Builds run in the request's thread and transaction, so the test sees them."""
    monkeypatch.setattr(services, "start", services.build_now)


def signed_in(client, role, username=None):
    user = UserFactory(username=username or f"{role}.one", role=role)
    client.force_login(user)
    return user


def post_pack(client, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/board-pack/", {**CHOICE, **changes})


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.VIEWER, 403),
        (Role.PRACTITIONER, 403),
        (Role.COORDINATOR, 200),
        (Role.ANALYST, 200),
        (Role.ADMINISTRATOR, 200),
    ],
)
def test_analysts_coordinators_and_administrators_build_packs(client, role, status):
    signed_in(client, role)
    assert client.get("/board-pack/").status_code == status


def test_a_pack_is_built_then_previewed_and_downloaded(
    client, crime_data, inline, django_capture_on_commit_callbacks
):
    signed_in(client, Role.ANALYST)
    response = post_pack(client, django_capture_on_commit_callbacks)
    build = PackBuild.objects.get()
    assert response.status_code == 302 and response.url == f"/board-pack/builds/{build.pk}/"
    state = client.get(f"/board-pack/builds/{build.pk}/status.json").json()
    assert state["status"] == "done" and state["progress"] == 100
    page = client.get(response.url).content.decode()
    assert "The pack is ready." in page and "Executive summary" in page
    assert "Measures at a glance: Barnet" in page
    pdf = client.get(f"/board-pack/builds/{build.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert 'filename="board-pack-2023-11-28.pdf"' in pdf["Content-Disposition"]
    xlsx = client.get(f"/board-pack/builds/{build.pk}/xlsx/")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert any("summary" in sheet.title.lower() for sheet in book.worksheets)
    actions = list(
        AuditEvent.objects.filter(object_type="boardpack.PackBuild").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["create", "export", "export", "view"]


def test_someone_elses_build_is_not_found_but_an_administrator_sees_it(
    client, crime_data, inline, django_capture_on_commit_callbacks
):
    signed_in(client, Role.ANALYST)
    post_pack(client, django_capture_on_commit_callbacks)
    build = PackBuild.objects.get()
    signed_in(client, Role.COORDINATOR, "another.coordinator")
    for path in ("", "status.json", "pdf/"):
        assert client.get(f"/board-pack/builds/{build.pk}/{path}").status_code == 404
    signed_in(client, Role.ADMINISTRATOR, "the.administrator")
    assert client.get(f"/board-pack/builds/{build.pk}/").status_code == 200
    assert client.get(f"/board-pack/builds/{build.pk}/odt/").status_code == 404


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"meeting_day": ""}, "Meeting date must include a day"),
        ({"sections": []}, "Choose at least one section."),
        ({"to": "1999-01"}, "is not one of the choices"),
        ({"meeting_month": "9", "meeting_day": "15"}, "are not complete before the meeting"),
    ],
)
def test_bad_choices_are_shown_on_the_form_and_nothing_is_built(
    client, crime_data, inline, django_capture_on_commit_callbacks, changes, message
):
    signed_in(client, Role.ANALYST)
    response = post_pack(client, django_capture_on_commit_callbacks, **changes)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and message in page, page[
        page.find("There is a problem") :
    ][:600]
    assert not PackBuild.objects.exists()


@pytest.mark.parametrize(
    ("error", "shown", "not_shown"),
    [
        (
            ConfigurationError("The stored crime figures do not reach September 2023."),
            "do not reach September 2023",
            "Traceback",
        ),
        (KeyError("oops"), "fault in SaferHub", "oops"),
    ],
)
def test_a_failed_build_shows_a_plain_error(
    client,
    crime_data,
    inline,
    monkeypatch,
    django_capture_on_commit_callbacks,
    error,
    shown,
    not_shown,
):
    def broken(request, **kwargs):
        raise error

    monkeypatch.setattr(services, "build_pack", broken)
    signed_in(client, Role.ANALYST)
    response = post_pack(client, django_capture_on_commit_callbacks)
    page = client.get(response.url).content.decode()
    assert "The pack could not be built" in page
    assert shown in page and not_shown not in page
    assert client.get(response.url + "status.json").json()["status"] == "failed"


def running_build(user, **fields) -> PackBuild:
    """A build its worker is part-way through."""
    return PackBuild.objects.create(
        requested_by=user,
        options={"meeting": "2023-11-28", "to": "2023-09", "audience": "restricted"},
        status=Status.RUNNING,
        **fields,
    )


def test_a_build_whose_worker_went_quiet_shows_as_failed(client):
    build = running_build(signed_in(client, Role.ANALYST), progress=40)
    state = client.get(f"/board-pack/builds/{build.pk}/status.json").json()
    assert state["status"] == "running" and state["progress"] == 40
    PackBuild.objects.filter(pk=build.pk).update(heartbeat=timezone.now() - timedelta(minutes=10))
    state = client.get(f"/board-pack/builds/{build.pk}/status.json").json()
    assert state["status"] == "failed" and "stopped before it finished" in state["error"]
    page = client.get(f"/board-pack/builds/{build.pk}/").content.decode()
    assert "Build the pack again" in page


def test_a_running_build_page_shows_progress_and_a_link_without_javascript(client):
    build = running_build(
        signed_in(client, Role.ANALYST), progress=30, step="Building the performance dashboard"
    )
    page = client.get(f"/board-pack/builds/{build.pk}/").content.decode()
    assert 'aria-live="polite"' in page and 'value="30"' in page
    assert "30% done. Building the performance dashboard" in page
    assert "<noscript>" in page and "board-pack.js" in page


def test_the_home_page_links_to_the_board_pack_for_analysts_only(client):
    signed_in(client, Role.ANALYST)
    assert 'href="/board-pack/"' in client.get("/").content.decode()
    signed_in(client, Role.VIEWER, "a.viewer")
    assert 'href="/board-pack/"' not in client.get("/").content.decode()


def test_the_form_offers_the_next_meeting_on_the_forward_plan(client):
    from tests.factories_boardplan import ForwardPlanItemFactory

    soon = timezone.localdate() + timedelta(days=40)
    ForwardPlanItemFactory(meeting_date=soon + timedelta(days=91))
    ForwardPlanItemFactory(meeting_date=soon)
    ForwardPlanItemFactory(meeting_date=timezone.localdate() - timedelta(days=50))
    signed_in(client, Role.ANALYST)
    page = client.get("/board-pack/").content.decode()
    for name, value in (("day", soon.day), ("month", soon.month), ("year", soon.year)):
        assert f'value="{value}"' in page, name
    assert 'href="/board-pack/"' in page  # in the navigation for those who may build one


def test_a_write_that_finds_the_table_locked_is_tried_again(monkeypatch):
    from django.db import OperationalError

    monkeypatch.setattr(services, "LOCKED_WAIT_SECONDS", 0)
    calls = []

    def write():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database table is locked")

    services._retrying(write)
    assert len(calls) == 3

    def broken():
        raise OperationalError("no such table: boardpack_packbuild")

    with pytest.raises(OperationalError, match="no such table"):
        services._retrying(broken)
