"""Duplicate people: the stored candidates, merge and undo, and the review pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from saferhub.web.accounts.models import Role
from saferhub.web.audit.models import AuditEvent, AuditSubject
from saferhub.web.people.duplicates import dismiss, refresh_candidates
from saferhub.web.people.linkage_models import CandidateStatus, DuplicateCandidate, PersonMerge
from saferhub.web.people.merge import MergeRefused, merge_people, person_links, undo_merge
from saferhub.web.people.models import Alias, Person
from saferhub.web.people.sar import audit_trail
from tests.factories import (
    AgencyFactory,
    FlagFactory,
    IdentifierFactory,
    InvolvementFactory,
    PersonFactory,
    ShareFactory,
    UserFactory,
)
from tests.factories_iom import MembershipFactory
from tests.factories_panels import CaseFactory, PerpetratorFactory

pytestmark = pytest.mark.django_db


def _everything_about(person_id: int) -> set[tuple[str, int]]:
    """Every row, in any app, pointing at this person."""
    rows = set()
    for field in person_links():
        for pk in field.model._base_manager.filter(**{field.attname: person_id}).values_list(
            "pk", flat=True
        ):
            rows.add((field.model._meta.label, pk))
    return rows


@pytest.fixture
def pair():
    agency = AgencyFactory(name="Probation Service – Barnet")
    kept = PersonFactory(first_name="Jordan", last_name="Mensah", date_of_birth=date(1996, 3, 14))
    merged = PersonFactory(first_name="Jordon", last_name="Mensah", date_of_birth=date(1996, 3, 14))
    IdentifierFactory(person=kept)
    IdentifierFactory(person=merged)
    Alias.objects.create(person=merged, name="JJ Mensah")
    FlagFactory(person=merged)
    InvolvementFactory(person=kept, agency=agency)
    InvolvementFactory(person=merged, agency=agency)
    ShareFactory(person=merged)
    CaseFactory(victim=merged)
    PerpetratorFactory(person=merged)
    MembershipFactory(person=merged)
    return kept, merged


def test_merge_moves_every_record_and_undo_restores_them_with_nothing_lost(pair):
    kept, merged = pair
    user = UserFactory(role=Role.COORDINATOR)
    before_kept = _everything_about(kept.pk)
    before_merged = _everything_about(merged.pk)
    merged_fields = Person.objects.filter(pk=merged.pk).values().get()
    assert {label for label, _ in before_merged} >= {
        "people.Identifier", "people.Alias", "people.Flag", "people.Involvement",
        "people.Share", "panels.Case", "panels.Perpetrator", "iom.Membership",
    }  # fmt: skip

    merge = merge_people(kept=kept, merged=merged, reason="Same PNC on both", user=user)

    assert not Person.objects.filter(pk=merged.pk).exists()
    assert _everything_about(kept.pk) == before_kept | before_merged
    assert len(merge.moved) == len(before_merged)

    restored = undo_merge(merge=merge, reason="Twins, not one person", user=user)

    assert Person.objects.filter(pk=restored.pk).values().get() == merged_fields
    assert _everything_about(kept.pk) == before_kept
    assert _everything_about(merged.pk) == before_merged
    merge.refresh_from_db()
    assert merge.undone


def test_merge_and_undo_are_audited_naming_both_people(pair):
    kept, merged = pair
    user = UserFactory(role=Role.COORDINATOR)
    merge = merge_people(kept=kept, merged=merged, reason="Same person", user=user)
    undo_merge(merge=merge, reason="Mistake", user=user)
    events = AuditEvent.objects.filter(object_type="people.PersonMerge").order_by("pk")
    assert [e.summary.split()[0] for e in events] == ["Merged", "Undid"]
    for event in events:
        subjects = set(AuditSubject.objects.filter(event=event).values_list("person_id", flat=True))
        # The event's own person is its person_id; the subjects name the others.
        assert subjects | {event.person_id} - {None} == {kept.pk, merged.pk}
        for person in (kept, merged):
            assert event in audit_trail(person.pk), "a search by either person finds it"


def test_an_undo_cannot_be_repeated(pair):
    kept, merged = pair
    user = UserFactory(role=Role.COORDINATOR)
    merge = merge_people(kept=kept, merged=merged, reason="Same person", user=user)
    undo_merge(merge=merge, reason="Mistake", user=user)
    with pytest.raises(MergeRefused, match="already been undone"):
        undo_merge(merge=PersonMerge.objects.get(pk=merge.pk), reason="Again", user=user)


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_merge_needs_a_reason(pair, reason):
    kept, merged = pair
    with pytest.raises(MergeRefused, match="reason"):
        merge_people(kept=kept, merged=merged, reason=reason, user=None)
    assert Person.objects.filter(pk=merged.pk).exists()


def test_refresh_stores_candidates_and_keeps_dismissed_pairs_dismissed():
    a = PersonFactory(first_name="Aisha", last_name="Khan", date_of_birth=date(1984, 3, 9))
    b = PersonFactory(first_name="Aisha", last_name="Khan", date_of_birth=date(1984, 9, 3))
    PersonFactory(first_name="Carol", last_name="Baker", date_of_birth=date(1970, 1, 1))
    result = refresh_candidates()
    assert result.new == 1
    candidate = DuplicateCandidate.objects.get()
    assert {candidate.left_id, candidate.right_id} == {a.pk, b.pk}
    dismiss(candidate=candidate, reason="Sisters", user=UserFactory(role=Role.COORDINATOR))
    refresh_candidates()
    assert DuplicateCandidate.objects.get().status == CandidateStatus.DISMISSED


@pytest.fixture
def review(pair):
    kept, merged = pair
    agency = kept.involvements.first().agency
    coordinator = UserFactory(role=Role.COORDINATOR, agency=agency)
    candidate = DuplicateCandidate.objects.create(
        left_id=min(kept.pk, merged.pk), right_id=max(kept.pk, merged.pk), match_weight=9.5
    )
    return coordinator, candidate, kept, merged


def test_the_review_list_shows_pairs_the_coordinator_may_see_and_audits_them(client, review):
    coordinator, candidate, kept, merged = review
    hidden_a = PersonFactory()
    hidden_b = PersonFactory()
    DuplicateCandidate.objects.create(
        left_id=min(hidden_a.pk, hidden_b.pk), right_id=max(hidden_a.pk, hidden_b.pk),
        match_weight=12,
    )  # fmt: skip
    client.force_login(coordinator)
    page = client.get(reverse("people:duplicates")).content.decode()
    assert reverse("people:duplicate", args=[candidate.pk]) in page
    assert hidden_a.last_name.upper() not in page
    assert "1 more pair not shown" in page
    event = AuditEvent.objects.filter(summary="Listed possible duplicate people").latest("pk")
    assert set(event.detail["person_ids"]) == {kept.pk, merged.pk}


def test_a_pair_with_someone_the_coordinator_may_not_see_is_not_found(client, review):
    coordinator, _, kept, _ = review
    stranger = PersonFactory()
    other = DuplicateCandidate.objects.create(
        left_id=min(kept.pk, stranger.pk), right_id=max(kept.pk, stranger.pk), match_weight=8
    )
    client.force_login(coordinator)
    assert client.get(reverse("people:duplicate", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("people:merge-duplicate", args=[other.pk]), {"keep": kept.pk, "reason": "x"}
    )
    assert response.status_code == 404
    assert Person.objects.filter(pk=stranger.pk).exists()


def test_a_coordinator_merges_from_the_page_and_undoes_it(client, review):
    coordinator, candidate, kept, merged = review
    client.force_login(coordinator)
    page = client.get(reverse("people:duplicate", args=[candidate.pk])).content.decode()
    assert merged.full_name in page and kept.full_name in page
    response = client.post(
        reverse("people:merge-duplicate", args=[candidate.pk]),
        {"keep": kept.pk, "reason": "Same PNC"},
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk=merged.pk).exists()
    merge = PersonMerge.objects.get()
    assert (
        reverse("people:undo-merge", args=[merge.pk])
        in client.get(reverse("people:merges")).content.decode()
    )
    client.post(reverse("people:undo-merge", args=[merge.pk]), {"reason": "Wrong person"})
    assert Person.objects.filter(pk=merged.pk).exists()


def test_a_merge_without_a_reason_says_what_to_do_and_changes_nothing(client, review):
    coordinator, candidate, kept, merged = review
    client.force_login(coordinator)
    response = client.post(
        reverse("people:merge-duplicate", args=[candidate.pk]), {"keep": kept.pk, "reason": ""},
        follow=True,
    )  # fmt: skip
    assert "Give a reason for the merge" in response.content.decode()
    assert Person.objects.filter(pk=merged.pk).exists()


def test_dismissing_needs_a_reason_and_closes_the_pair(client, review):
    coordinator, candidate, _, _ = review
    client.force_login(coordinator)
    client.post(reverse("people:dismiss-duplicate", args=[candidate.pk]), {"reason": ""})
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.OPEN
    client.post(reverse("people:dismiss-duplicate", args=[candidate.pk]), {"reason": "Twins"})
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.DISMISSED


def test_the_people_page_links_coordinators_but_not_practitioners_to_the_review(client):
    client.force_login(UserFactory(role=Role.COORDINATOR))
    assert reverse("people:duplicates") in client.get(reverse("people:search")).content.decode()
    client.force_login(UserFactory(role=Role.PRACTITIONER))
    page = client.get(reverse("people:search")).content.decode()
    assert reverse("people:duplicates") not in page


def test_a_merge_that_would_list_one_person_twice_on_a_case_is_refused_and_changes_nothing():
    kept, merged = PersonFactory(), PersonFactory()
    case = CaseFactory()
    PerpetratorFactory(case=case, person=kept)
    PerpetratorFactory(case=case, person=merged)
    before = _everything_about(merged.pk)
    with pytest.raises(MergeRefused, match="same MARAC case"):
        merge_people(kept=kept, merged=merged, reason="Same person", user=None)
    assert Person.objects.filter(pk=merged.pk).exists()
    assert _everything_about(merged.pk) == before
    assert not PersonMerge.objects.exists()


def test_referral_suggestions_use_the_matcher_and_keep_the_rule_reasons():
    from saferhub.web.people.duplicates import referral_matches

    same = PersonFactory(first_name="Aisha", last_name="Khan", date_of_birth=date(1984, 3, 9))
    digit = PersonFactory(first_name="Aisha", last_name="Khan", date_of_birth=date(1985, 3, 9))
    other = PersonFactory(first_name="Carol", last_name="Khan", date_of_birth=date(1970, 1, 1))
    found = referral_matches([same, digit, other], "Aisha", "Khan", date(1984, 3, 9))
    assert [c.person_id for c in found] == [str(same.pk), str(digit.pk)]
    assert found[0].reason == "same name; same date of birth"
    assert "match weight" in found[1].reason  # one digit of the year wrong: the rule misses it
