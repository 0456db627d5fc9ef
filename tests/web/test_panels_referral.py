"""The referral form through the test client: field-level errors, repeats and duplicates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from saferhub.web.accounts.models import AgencyKind, Role
from saferhub.web.audit.models import AuditEvent
from saferhub.web.panels.models import Case
from saferhub.web.people.models import Person
from tests.factories import PersonFactory, UserFactory
from tests.factories_panels import CaseFactory, MemberAgencyFactory, PerpetratorFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def police():
    return MemberAgencyFactory(name="Police (member)", kind=AgencyKind.POLICE)


@pytest.fixture
def referrer(client, police):
    client.force_login(UserFactory(username="referrer", agency=police, role=Role.PRACTITIONER))
    return client


def referral(police, **changes):
    data = {
        "referral_date": TODAY.isoformat(),
        "referring_agency": police.pk,
        "victim_first_name": "Amara",
        "victim_last_name": "Okonjo",
        "victim_date_of_birth": "1991-02-03",
        "victim_gender": "F",
        "victim_ethnicity": "B1",
        "victim_address": "1 Example Road",
        "victim_postcode": "NW9 1AA",
        "p1_first_name": "Liam",
        "p1_last_name": "Carver",
        "p1_date_of_birth": "1989-07-07",
        "p1_gender": "M",
        "p1_relationship": "ex_partner",
        "children_ages": "4, 9",
        "safe_to_contact": "yes",
        "contact_method": "Mobile after 6pm",
        "victim_lgbt": "no",
        "victim_disabled": "not_known",
        "incidents_12m": "1",
    }
    data.update({f"q{n:02d}": "yes" for n in range(1, 15)})
    data.update(changes)
    return data


def errors_of(response) -> dict:
    return response.context["form"].errors


def test_a_complete_referral_creates_the_case_people_and_children(referrer, police):
    response = referrer.post("/marac/refer/", referral(police))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/marac/cases/{case.pk}/"
    assert case.reference == f"M{case.pk:06d}"
    assert case.criteria == ["visible_high_risk"]
    assert case.checklist_score == 14
    assert sorted(c.age for c in case.children.all()) == [4, 9]
    assert [p.person.last_name for p in case.perpetrators.all()] == ["Carver"]
    assert case.victim.involvements.get().agency == police
    assert (case.victim_lgbt, case.victim_disabled, case.safe_to_contact) == (False, None, True)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"victim_first_name": "", "victim_last_name": ""},
            "victim_first_name",
            "Enter the person",
        ),
        ({"p1_first_name": "", "p1_last_name": ""}, "p1_first_name", "who is causing the harm"),
        ({"p1_relationship": ""}, "p1_relationship", "relationship to the victim"),
        ({"children_ages": ""}, "children_ages", "children in the household"),
        ({"children_ages": "4, nineteen"}, "children_ages", "from 0 to 17"),
        ({"safe_to_contact": ""}, "safe_to_contact", "safe to contact"),
        ({"contact_method": ""}, "contact_method", "how to contact the victim"),
        ({"victim_date_of_birth": "2999-01-01"}, "victim_date_of_birth", "in the past"),
        ({"referral_date": (TODAY + timedelta(days=1)).isoformat()}, "referral_date", "future"),
        (
            {"professional_judgement": "on", "professional_judgement_reason": " "},
            "professional_judgement_reason",
            "Give the reasons",
        ),
    ],
)
def test_each_problem_is_shown_beside_its_field(referrer, police, changes, field, message):
    response = referrer.post("/marac/refer/", referral(police, **changes))
    assert response.status_code == 200
    assert any(message in e for e in errors_of(response)[field]), errors_of(response)
    assert "There is a problem" in response.content.decode()
    assert not Case.objects.exists()


def test_a_perpetrator_who_is_the_victim_is_refused(referrer, police):
    same = {"p1_first_name": "Amara", "p1_last_name": "Okonjo", "p1_date_of_birth": "1991-02-03"}
    response = referrer.post("/marac/refer/", referral(police, **same))
    assert "is the victim" in " ".join(errors_of(response)["p1_first_name"])
    assert not Case.objects.exists()


def test_a_referral_meeting_no_criterion_is_refused(referrer, police):
    fewer = {f"q{n:02d}": "no" for n in range(1, 15)}
    response = referrer.post("/marac/refer/", referral(police, **fewer))
    assert "meets none of the four referral criteria" in " ".join(
        response.context["form"].non_field_errors()
    )


def test_professional_judgement_with_reasons_is_enough(referrer, police):
    data = referral(
        police,
        **{f"q{n:02d}": "no" for n in range(1, 15)},
        professional_judgement="on",
        professional_judgement_reason="Threats since separation",
    )
    referrer.post("/marac/refer/", data)
    assert Case.objects.get().criteria == ["professional_judgement"]


def test_three_incidents_meet_potential_escalation(referrer, police):
    data = referral(police, **{f"q{n:02d}": "no" for n in range(1, 15)}, incidents_12m="3")
    referrer.post("/marac/refer/", data)
    assert Case.objects.get().criteria == ["potential_escalation"]


@pytest.fixture
def earlier_case(police):
    victim = PersonFactory(first_name="Amara", last_name="Okonjo", date_of_birth=date(1991, 2, 3))
    perpetrator = PersonFactory(
        first_name="Liam", last_name="Carver", date_of_birth=date(1989, 7, 7)
    )
    case = CaseFactory(
        victim=victim, referral_date=TODAY - timedelta(days=200), referring_agency=police
    )
    PerpetratorFactory(case=case, person=perpetrator)
    return case


def test_likely_duplicates_are_offered_not_merged(referrer, police, earlier_case):
    response = referrer.post("/marac/refer/", referral(police))
    page = response.content.decode()
    assert "We found records that may be this victim" in " ".join(
        errors_of(response)["victim_match"]
    )
    assert "same name; same date of birth" in page
    assert "None of these: create a new record" in page
    assert Person.objects.count() == 2
    assert AuditEvent.objects.filter(action="search", summary__contains="duplicate").exists()


def test_choosing_the_existing_records_makes_a_repeat_showing_the_earlier_actions(
    referrer, police, earlier_case
):
    perpetrator = earlier_case.perpetrators.get().person
    data = referral(police, victim_match=str(earlier_case.victim.pk), p1_match=str(perpetrator.pk))
    referrer.post("/marac/refer/", data)
    case = Case.objects.exclude(pk=earlier_case.pk).get()
    assert case.victim == earlier_case.victim
    assert case.is_repeat
    assert case.previous_case == earlier_case
    assert "repeat" in case.criteria
    assert Person.objects.count() == 2
    coordinator = UserFactory(username="coord", agency=police, role=Role.COORDINATOR)
    referrer.force_login(coordinator)
    page = referrer.get(f"/marac/cases/{case.pk}/").content.decode()
    assert "This is a repeat" in page
    assert f"Actions on case {earlier_case.reference}" in page or "No actions were recorded" in page


def test_creating_new_records_despite_a_likely_duplicate_is_allowed(referrer, police, earlier_case):
    referrer.post("/marac/refer/", referral(police, victim_match="new", p1_match="new"))
    case = Case.objects.exclude(pk=earlier_case.pk).get()
    assert case.victim != earlier_case.victim
    assert not case.is_repeat


def test_a_record_not_offered_cannot_be_chosen(referrer, police, earlier_case):
    stranger = PersonFactory(first_name="Someone", last_name="Else")
    data = referral(police, victim_match=str(stranger.pk), p1_match="new")
    response = referrer.post("/marac/refer/", data)
    assert "Choose one of the records offered" in " ".join(errors_of(response)["victim_match"])


def test_a_referral_after_366_days_is_not_a_repeat(referrer, police, earlier_case):
    Case.objects.filter(pk=earlier_case.pk).update(referral_date=TODAY - timedelta(days=366))
    perpetrator = earlier_case.perpetrators.get().person
    data = referral(police, victim_match=str(earlier_case.victim.pk), p1_match=str(perpetrator.pk))
    referrer.post("/marac/refer/", data)
    assert not Case.objects.exclude(pk=earlier_case.pk).get().is_repeat


def test_people_the_user_may_not_see_are_never_offered(client, police):
    PersonFactory(first_name="Amara", last_name="Okonjo", date_of_birth=date(1991, 2, 3))
    client.force_login(UserFactory(agency=police, role=Role.PRACTITIONER))
    response = client.post("/marac/refer/", referral(police))
    assert response.status_code == 302  # no duplicate offered: the record is not visible


def test_the_same_perpetrator_twice_is_refused(referrer, police):
    twice = {
        "p2_first_name": "Liam",
        "p2_last_name": "Carver",
        "p2_date_of_birth": "1989-07-07",
        "p2_relationship": "ex_partner",
    }
    response = referrer.post("/marac/refer/", referral(police, **twice))
    assert "same person as perpetrator 1" in " ".join(errors_of(response)["p2_first_name"])
    assert not Case.objects.exists()
