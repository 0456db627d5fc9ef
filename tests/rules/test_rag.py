"""RAG status from indicators, with polarity (seed 003 glossary)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferhub.errors import ConfigurationError
from saferhub.rules.change import Direction
from saferhub.rules.rag import Assessment, Polarity, Rag, RagSettings, assess, rag_status

P, N, Z = Assessment.POSITIVE, Assessment.NEGATIVE, Assessment.NEUTRAL


@pytest.mark.parametrize(
    ("change", "polarity", "expected"),
    [
        (Direction.DOWN, Polarity.HIGHER_IS_WORSE, P),
        (Direction.UP, Polarity.HIGHER_IS_WORSE, N),
        (Direction.UP, Polarity.HIGHER_IS_BETTER, P),
        (Direction.DOWN, Polarity.HIGHER_IS_BETTER, N),
        (Direction.SAME, Polarity.HIGHER_IS_WORSE, Z),
        (Direction.UP, Polarity.NONE, None),
        (None, Polarity.HIGHER_IS_WORSE, None),
    ],
)
def test_whether_a_change_is_good_depends_on_polarity(change, polarity, expected):
    assert assess(change, polarity) is expected


@pytest.mark.parametrize(
    ("assessments", "expected"),
    [
        ([P, P], Rag.GREEN),
        ([N, N], Rag.RED),
        ([P, N], Rag.AMBER),  # mixed: e.g. rolling 12 months up, recent months down
        ([N, P], Rag.AMBER),
        ([P, Z], Rag.GREEN),
        ([N, Z], Rag.AMBER),
        ([Z, Z], Rag.AMBER),
        ([N, N, N, P], Rag.RED),  # "nearly all" negative
        ([N, N, P, P], Rag.AMBER),
        ([N, None], Rag.RED),  # an unknown indicator is left out
        ([None, None], None),
        ([], None),
    ],
)
def test_rag_status_follows_the_seed_003_glossary(assessments, expected):
    assert rag_status(assessments) is expected


def test_nearly_all_is_configurable_but_must_mean_mostly():
    assert rag_status([N, N, P], RagSettings(nearly_all=0.6)) is Rag.RED
    assert rag_status([N, N, P], RagSettings(nearly_all=0.75)) is Rag.AMBER
    with pytest.raises(ConfigurationError, match=r"must be above 0\.5"):
        RagSettings(nearly_all=0.5)


assessment_lists = st.lists(st.sampled_from([P, N, Z, None]), max_size=6)


def _flip(a):
    return {P: N, N: P}.get(a, a)


@given(st.lists(st.sampled_from([P, N, None]), max_size=6))
def test_swapping_good_and_bad_swaps_green_and_red(assessments):
    status = rag_status(assessments)
    flipped = rag_status([_flip(a) for a in assessments])
    if status is Rag.GREEN:
        assert flipped is Rag.RED
    if flipped is Rag.RED and status is not Rag.GREEN:
        # Red needs only "nearly all", so its mirror can be Amber, never Green's opposite.
        assert status is Rag.AMBER
    assert (status is None) == (flipped is None)


@given(assessment_lists)
def test_green_never_has_a_negative_and_red_is_mostly_negative(assessments):
    status = rag_status(assessments)
    known = [a for a in assessments if a is not None]
    if status is Rag.GREEN:
        assert N not in known and P in known
    if status is Rag.RED:
        assert known.count(N) / len(known) >= 0.75
