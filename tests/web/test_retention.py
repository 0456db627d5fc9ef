"""Retention: what has expired is listed, removed on --apply, audited without content,
and nothing about a person on legal hold is ever removed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from saferhub.web.audit.models import AuditEvent
from saferhub.web.iom.models import Contact, Membership
from saferhub.web.panels.models import Case
from saferhub.web.people import retention
from saferhub.web.people.linkage_models import LegalHold
from saferhub.web.people.models import Involvement, Person, Share
from tests.factories import InvolvementFactory, PersonFactory, ShareFactory
from tests.factories_iom import ContactFactory, MembershipFactory
from tests.factories_panels import CaseFactory
from tests.security.importer_cases import run_cli

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)
LONG_AGO = date(2019, 1, 10)  # more than six years before TODAY


@pytest.fixture
def records():
    person = PersonFactory(first_name="Rowan", last_name="Hale")
    old_case = CaseFactory(victim=person, status="closed", closed_on=LONG_AGO)
    new_case = CaseFactory(victim=person, status="closed", closed_on=TODAY - timedelta(days=30))
    old_spell = MembershipFactory(person=person, join_date=date(2015, 1, 1), leave_date=LONG_AGO)
    ContactFactory(membership=old_spell)
    old_share = ShareFactory(person=person, start=date(2024, 1, 1), end=date(2024, 6, 1))
    current = InvolvementFactory(person=person, start=date(2020, 1, 1), end=None)
    return person, old_case, new_case, old_spell, old_share, current


def _keys(items):
    return {(i.rule.key, i.record_id) for i in items}


def test_dry_run_lists_what_has_expired_and_removes_nothing(records):
    _person, old_case, _new_case, old_spell, old_share, _current = records
    removable, on_hold = retention.expired(TODAY)
    assert _keys(removable) == {
        ("marac_case", old_case.pk),
        ("iom_membership", old_spell.pk),
        ("share", old_share.pk),
    }
    assert on_hold == []
    assert Case.objects.filter(pk=old_case.pk).exists()


def test_apply_removes_expired_records_and_keeps_the_rest(records):
    person, old_case, new_case, old_spell, old_share, current = records
    retention.apply(TODAY)
    assert not Case.objects.filter(pk=old_case.pk).exists()
    assert not Membership.objects.filter(pk=old_spell.pk).exists()
    assert not Contact.objects.filter(membership_id=old_spell.pk).exists()
    assert not Share.objects.filter(pk=old_share.pk).exists()
    assert Case.objects.filter(pk=new_case.pk).exists()
    assert Involvement.objects.filter(pk=current.pk).exists()
    assert Person.objects.filter(pk=person.pk).exists()


def test_each_removal_is_audited_by_type_and_number_without_content(records):
    _person, old_case, *_ = records
    before = AuditEvent.objects.count()
    removable, _ = retention.apply(TODAY)
    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert len(events) == len(removable)
    case_event = next(e for e in events if e.detail["type"] == "panels.Case")
    assert case_event.detail["id"] == old_case.pk
    for event in events:
        text = f"{event.summary} {event.detail}"
        assert "Rowan" not in text and "Hale" not in text
        assert old_case.contact_method not in text


def test_nothing_about_a_person_on_legal_hold_is_removed(records):
    person, old_case, _, old_spell, old_share, _ = records
    LegalHold.objects.create(person=person, reason="Civil claim")
    removable, on_hold = retention.apply(TODAY)
    assert removable == []
    assert _keys(on_hold) >= {("marac_case", old_case.pk), ("iom_membership", old_spell.pk)}
    assert Case.objects.filter(pk=old_case.pk).exists()
    assert Share.objects.filter(pk=old_share.pk).exists()


def test_a_lifted_hold_no_longer_protects(records):
    person, old_case, *_ = records
    LegalHold.objects.create(person=person, reason="Claim settled", lifted_at=timezone.now())
    retention.apply(TODAY)
    assert not Case.objects.filter(pk=old_case.pk).exists()


def test_a_person_with_nothing_else_held_is_removed_after_the_period():
    old = PersonFactory(first_name="Ellis", last_name="Vane")
    Person.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=365 * 7))
    kept = PersonFactory()
    InvolvementFactory(person=kept)
    Person.objects.filter(pk=kept.pk).update(updated_at=timezone.now() - timedelta(days=365 * 7))
    removable, _ = retention.apply(timezone.localdate())
    assert ("person", old.pk) in _keys(removable)
    assert not Person.objects.filter(pk=old.pk).exists()
    assert Person.objects.filter(pk=kept.pk).exists()


def test_the_audit_log_is_not_removed(records):
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    retention.apply(TODAY)
    assert before <= set(AuditEvent.objects.values_list("pk", flat=True))


def test_the_command_needs_exactly_one_mode():
    code, _, _ = run_cli(["retention"])
    assert code == 2
    code, _, _ = run_cli(["retention", "--dry-run", "--apply"])
    assert code == 2


def test_the_command_dry_run_lists_and_keeps(records):
    code, out, err = run_cli(["retention", "--dry-run"])
    assert code == 0, err
    assert "records expired" in out


def test_a_hold_placed_and_lifted_from_the_command_line(records):
    person, old_case, *_ = records
    code, _, err = run_cli(["people", "hold", "--person", str(person.pk), "--reason", "Claim"])
    assert code == 0, err
    retention.apply(TODAY)
    assert Case.objects.filter(pk=old_case.pk).exists()
    code, _, err = run_cli(["people", "hold", "--person", str(person.pk), "--lift"])
    assert code == 3 and "--reason" in err  # lifting needs a reason too
    code, _, err = run_cli(
        ["people", "hold", "--person", str(person.pk), "--lift", "--reason", "Claim settled"]
    )
    assert code == 0, err
    retention.apply(TODAY)
    assert not Case.objects.filter(pk=old_case.pk).exists()


def test_a_hold_needs_a_reason_and_a_known_person(records):
    person, *_ = records
    code, _, err = run_cli(["people", "hold", "--person", str(person.pk)])
    assert code == 3 and "--reason" in err
    code, _, err = run_cli(["people", "hold", "--person", "999999", "--reason", "x"])
    assert code == 3 and "No person with number 999999" in err
    assert not LegalHold.objects.exists()
