"""`saferhub sar --person ID --out FILE.zip` and `saferhub people duplicates`."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date

import pytest
from tests.factories import (
    FlagFactory,
    IdentifierFactory,
    InvolvementFactory,
    PersonFactory,
    ShareFactory,
)
from tests.factories_iom import ContactFactory, MembershipFactory
from tests.factories_panels import CaseFactory, PerpetratorFactory
from tests.security.importer_cases import run_cli

from saferhub.web.audit.log import record
from saferhub.web.audit.models import AuditEvent
from saferhub.web.people.models import Alias

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def subject():
    person = PersonFactory(first_name="Dana", last_name="Okoro", date_of_birth=date(1990, 5, 6))
    IdentifierFactory(person=person, value="90/0000001Z")
    Alias.objects.create(person=person, name="Dee Okoro")
    FlagFactory(person=person)
    InvolvementFactory(person=person)
    ShareFactory(person=person)
    membership = MembershipFactory(person=person)
    ContactFactory(membership=membership)
    CaseFactory(victim=person)
    PerpetratorFactory(person=person)
    record(None, "view", person, summary="Viewed the record")
    return person


def test_sar_writes_every_area_data_json_and_who_viewed_it(subject, tmp_path):
    out = tmp_path / "sar.zip"
    code, _, err = run_cli(["sar", "--person", str(subject.pk), "--out", str(out)])
    assert (code, err) == (0, ""), err
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        data = json.loads(archive.read("data.json"))
        person_doc = archive.read(next(n for n in names if n.endswith("-person.html"))).decode()
        audit_doc = archive.read("audit.html").decode()
    assert {"index.html", "data.json", "audit.html"} <= set(names)
    assert any(n.endswith("-iom.html") for n in names)
    assert any(n.endswith("-marac.html") for n in names)
    types = {r["type"] for r in data["records"]}
    assert {
        "people.Person", "people.Identifier", "people.Alias", "people.Flag",
        "people.Involvement", "people.Share", "iom.Membership", "iom.Contact",
        "panels.Case", "panels.Perpetrator",
    } <= types  # fmt: skip
    assert "90/0000001Z" in person_doc and "Dee Okoro" in person_doc
    assert "Viewed the record" in audit_doc
    assert any(e["summary"] == "Viewed the record" for e in data["audit"])


def test_writing_a_sar_is_audited(subject, tmp_path):
    run_cli(["sar", "--person", str(subject.pk), "--out", str(tmp_path / "sar.zip")])
    event = AuditEvent.objects.filter(action="export", person_id=subject.pk).get()
    assert event.summary == "Wrote a subject access export"


def test_an_unknown_person_is_refused_with_the_bad_input_exit_code(tmp_path):
    out = tmp_path / "sar.zip"
    code, _, err = run_cli(["sar", "--person", "999999", "--out", str(out)])
    assert code == 3
    assert "No person with number 999999" in err
    assert not out.exists()


def test_sar_refuses_a_folder_as_out(subject, tmp_path):
    code, _, err = run_cli(["sar", "--person", str(subject.pk), "--out", str(tmp_path)])
    assert code == 4
    assert "is a folder" in err


def test_people_duplicates_lists_pairs_with_their_weight(tmp_path):
    a = PersonFactory(first_name="Aisha", last_name="Khan", date_of_birth=date(1984, 3, 9))
    b = PersonFactory(first_name="Aisha", last_name="Khann", date_of_birth=date(1984, 3, 9))
    PersonFactory(first_name="Carol", last_name="Baker", date_of_birth=date(1970, 1, 1))
    out = tmp_path / "pairs.csv"
    code, stdout, err = run_cli(["people", "duplicates", "--out", str(out)])
    assert (code, err) == (0, ""), err
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [(int(r["left_id"]), int(r["right_id"])) for r in rows] == [(a.pk, b.pk)]
    assert float(rows[0]["match_weight"]) >= 2
    assert "1 pair" in stdout
    code, _, _ = run_cli(["people", "duplicates", "--threshold", "40", "--out", str(out)])
    assert code == 0
    assert len(list(csv.DictReader(io.StringIO(out.read_text())))) == 0
