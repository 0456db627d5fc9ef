"""A partnership loads its licensed risk checklist; the referral form asks it and says which."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from saferhub.web.accounts.models import AgencyKind, Role
from saferhub.web.panels.checklists import active_checklist
from tests.factories import UserFactory
from tests.factories_panels import MemberAgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


@pytest.fixture
def referrer(client):
    police = MemberAgencyFactory(name="Police (checklist)", kind=AgencyKind.POLICE)
    client.force_login(UserFactory(username="checklist.ref", agency=police, role=Role.PRACTITIONER))
    return client


LICENSED = {
    "name": "Partnership risk checklist",
    "version": "2026-1",
    "threshold": 2,
    "questions": [
        {"id": "a1", "label": "Licensed question about fear"},
        {"id": "a2", "label": "Licensed question about separation"},
        {"id": "a3", "label": "Licensed question about weapons"},
    ],
}


def test_until_one_is_loaded_the_form_asks_example_questions_and_says_so(data_dir, referrer):
    page = referrer.get("/marac/refer/").content.decode()
    assert "example questions" in page
    assert "Did the most recent incident leave the victim with any injury?" in page
    assert "Question 1 (optional)" not in page


def test_a_loaded_json_checklist_replaces_the_example_on_the_form(data_dir, referrer, tmp_path):
    source = tmp_path / "licensed.json"
    source.write_text(json.dumps(LICENSED))
    call_command("load_checklist", str(source))
    assert active_checklist().name == "Partnership risk checklist"
    page = referrer.get("/marac/refer/").content.decode()
    assert "Partnership risk checklist" in page and "2026-1" in page
    assert "Licensed question about weapons" in page
    assert "example questions" not in page
    assert "Did the most recent incident" not in page


def test_a_csv_checklist_takes_its_name_and_version_from_the_command(data_dir, tmp_path):
    source = tmp_path / "licensed.csv"
    source.write_text("id,label\nb1,First licensed question\nb2,Second licensed question\n")
    call_command(
        "load_checklist",
        str(source),
        "--name",
        "CSV set",
        "--checklist-version",
        "v9",
        "--threshold",
        "1",
    )
    loaded = active_checklist()
    assert (loaded.name, loaded.version, loaded.threshold) == ("CSV set", "v9", 1)
    assert [q.label for q in loaded.questions] == [
        "First licensed question",
        "Second licensed question",
    ]


def test_a_bad_checklist_is_refused_with_the_field_named_and_nothing_changes(data_dir, tmp_path):
    source = tmp_path / "bad.json"
    source.write_text(json.dumps({**LICENSED, "threshold": 30}))
    with pytest.raises(CommandError, match=r"bad.json: 'threshold' is 30"):
        call_command("load_checklist", str(source))
    assert active_checklist().is_example
