"""Golden test for the people matcher on a seeded synthetic set with known duplicates."""

from __future__ import annotations

from datetime import date

import pytest

from saferhub.linkage.people import (
    DEFAULT_THRESHOLD,
    PersonRecord,
    find_duplicates,
    match_incoming,
)
from saferhub.synth.duplicates import KINDS, people_with_duplicates


@pytest.fixture(scope="module")
def golden():
    records, truth = people_with_duplicates(4000, 400, seed=7)
    pairs = find_duplicates(records)
    found = {frozenset((str(p.left_id), str(p.right_id))) for p in pairs}
    return records, truth, pairs, found


def test_precision_and_recall_at_default_threshold_are_above_95_percent(golden):
    _, truth, _, found = golden
    true_positives = len(found & truth)
    precision = true_positives / len(found)
    recall = true_positives / len(truth)
    print(f"precision={precision:.4f} recall={recall:.4f} pairs={len(found)} true={len(truth)}")
    assert precision > 0.95
    assert recall > 0.95


def test_every_kind_of_duplicate_is_found(golden):
    records, truth, _, found = golden
    n_people = len(records) - len(truth)
    for k, kind in enumerate(KINDS):
        mine = {
            t
            for t in truth
            if max(int(i) for i in t) >= n_people
            and (max(int(i) for i in t) - n_people) % len(KINDS) == k
        }
        assert mine, kind
        assert len(mine & found) / len(mine) > 0.9, kind


def test_results_are_reproducible(golden):
    records, _, pairs, _ = golden
    assert find_duplicates(records) == pairs


def test_pairs_are_sorted_by_weight_and_above_the_threshold(golden):
    _, _, pairs, _ = golden
    weights = [p.match_weight for p in pairs]
    assert weights == sorted(weights, reverse=True)
    assert min(weights) >= DEFAULT_THRESHOLD


def test_swapped_day_and_month_alias_and_identifier_each_match():
    records = [
        PersonRecord(1, "Aisha", "Khan", date(1984, 3, 9), aliases=("Ash Khan",)),
        PersonRecord(2, "Aisha", "Khan", date(1984, 9, 3)),
        PersonRecord(3, "Ash", "Khan", date(1984, 3, 9)),
        PersonRecord(4, "Bob", "Stone", None, identifiers=("PNC:99/12345A",)),
        PersonRecord(5, "Bob", "Stoen", None, identifiers=("pnc:99/12345a",)),
        PersonRecord(6, "Carol", "Baker", date(1970, 1, 1)),
    ]
    pairs = {frozenset((str(p.left_id), str(p.right_id))) for p in find_duplicates(records)}
    assert frozenset(("1", "2")) in pairs
    assert frozenset(("1", "3")) in pairs
    assert frozenset(("4", "5")) in pairs
    assert not any("6" in p for p in pairs)


def test_a_higher_threshold_gives_fewer_pairs(golden):
    records, _, pairs, _ = golden
    assert len(find_duplicates(records, threshold=DEFAULT_THRESHOLD + 6)) < len(pairs)


def test_fewer_than_two_records_give_no_pairs():
    assert find_duplicates([PersonRecord(1, "A", "B")]) == []


def test_an_incoming_extract_is_matched_against_the_people_held():
    held = [
        PersonRecord(1, "Aisha", "Khan", date(1984, 3, 9), aliases=("Ash Khan",)),
        PersonRecord(2, "Bob", "Stone", date(1970, 1, 1), identifiers=("pnc:99/1A",)),
    ]
    incoming = [
        PersonRecord("x", "Ash", "Khan", date(1984, 3, 9)),
        PersonRecord("y", "Bob", "Stoen", None, identifiers=("PNC:99/1A",)),
        PersonRecord("z", "Zed", "Zee", date(2000, 1, 1)),
        PersonRecord("w", "Aisha", "Khan", date(1984, 9, 3)),
    ]
    pairs = {(str(p.left_id), str(p.right_id)) for p in match_incoming(held, incoming)}
    assert pairs == {("1", "x"), ("2", "y"), ("1", "w")}
