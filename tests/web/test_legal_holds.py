"""Legal holds from the web: administrators place and lift them with a reason, from the
person record, and list them; everyone who may see the person sees the hold."""

from __future__ import annotations

import pytest

from saferhub.web.accounts.models import AgencyKind, Role
from saferhub.web.audit.models import AuditEvent
from saferhub.web.people import retention
from saferhub.web.people.linkage_models import LegalHold
from tests.factories import AgencyFactory, InvolvementFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def police():
    return AgencyFactory(name="Police", kind=AgencyKind.POLICE)


@pytest.fixture
def person(police):
    someone = PersonFactory()
    InvolvementFactory(person=someone, agency=police)
    return someone


@pytest.fixture
def admin(police):
    return UserFactory(agency=police, role=Role.ADMINISTRATOR)


def test_an_administrator_places_a_hold_that_every_viewer_sees_and_lifts_it(
    client, admin, person, police
):
    client.force_login(admin)
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert f'href="/people/{person.pk}/legal-hold/new/"' in page
    response = client.post(
        f"/people/{person.pk}/legal-hold/new/", {"reason": "Domestic homicide review 2026/3"}
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get(person=person)
    assert hold.placed_by == admin and hold.lifted_at is None
    assert AuditEvent.objects.filter(
        action="create", object_id=str(hold.pk), person_id=person.pk
    ).exists()
    # A practitioner who sees the person sees the hold, not its reason nor the buttons.
    client.force_login(UserFactory(agency=police, role=Role.PRACTITIONER))
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "On legal hold" in page and "homicide" not in page and "legal-hold/new" not in page
    client.force_login(admin)
    listing = client.get("/people/legal-holds/").content.decode()
    assert "Domestic homicide review 2026/3" in listing and person.last_name.upper() in listing
    url = f"/people/legal-holds/{hold.pk}/lift/"
    assert (
        "Give a reason for lifting"
        in client.post(url, {"version": hold.version, "reason": " "}).content.decode()
    )
    response = client.post(url, {"version": hold.version, "reason": "Review published"})
    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_at is not None and hold.lifted_by == admin
    assert hold.lift_reason == "Review published"
    event = AuditEvent.objects.filter(action="update", object_id=str(hold.pk)).get()
    assert "lift_reason" in event.detail["changes"]
    assert "On legal hold" not in client.get(f"/people/{person.pk}/").content.decode()
    # Lifting it again is refused without an error page.
    again = client.post(url, {"version": hold.version, "reason": "Again"})
    assert again.status_code == 302 and LegalHold.objects.get().lift_reason == "Review published"


def test_a_hold_lifted_by_someone_else_meanwhile_is_not_lifted_twice(client, admin, person):
    hold = retention.place_hold(person_id=person.pk, reason="Civil claim", user=admin)
    client.force_login(admin)
    response = client.post(
        f"/people/legal-holds/{hold.pk}/lift/", {"version": hold.version + 1, "reason": "Done"}
    )
    assert response.status_code == 200
    assert LegalHold.objects.get().lifted_at is None


def test_bad_input_gets_a_field_error_not_an_error_page(client, admin, person):
    client.force_login(admin)
    response = client.post(f"/people/{person.pk}/legal-hold/new/", {"reason": ""})
    assert response.status_code == 200 and "Give a reason for the legal hold" in (
        response.content.decode()
    )
    long = client.post(f"/people/{person.pk}/legal-hold/new/", {"reason": "x" * 600})
    assert long.status_code == 200 and not LegalHold.objects.exists()
    assert client.get("/people/legal-holds/999999/lift/").status_code == 404
    missing = client.post(f"/people/legal-holds/{999999}/lift/", {"reason": "x", "version": "x"})
    assert missing.status_code == 404


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PRACTITIONER, Role.VIEWER])
def test_only_administrators_place_lift_or_list_holds(client, police, person, role):
    hold = retention.place_hold(person_id=person.pk, reason="Civil claim")
    client.force_login(UserFactory(agency=police, role=role))
    assert client.post(f"/people/{person.pk}/legal-hold/new/", {"reason": "x"}).status_code == 403
    lift = client.post(f"/people/legal-holds/{hold.pk}/lift/", {"reason": "x", "version": 1})
    assert lift.status_code == 403
    assert client.get("/people/legal-holds/").status_code == 403
    assert LegalHold.objects.get().lifted_at is None


def test_the_command_line_lift_needs_a_reason_and_records_it(person):
    retention.place_hold(person_id=person.pk, reason="Civil claim")
    with pytest.raises(retention.HoldRefused, match="reason"):
        retention.lift_holds(person_id=person.pk)
    assert retention.lift_holds(person_id=person.pk, reason="Settled") == 1
    assert LegalHold.objects.get().lift_reason == "Settled"
