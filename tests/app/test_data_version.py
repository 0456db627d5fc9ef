"""Cached figures last until a write to the data they read, and no longer."""

from __future__ import annotations

import pytest
from django.db import transaction

from saferhub.app.data_version import bump_data_version, cached, current
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return compute


def test_a_result_is_computed_once_until_its_data_change():
    compute = counter()
    assert cached("figures", (1,), compute, ("iom",)) == 1
    assert cached("figures", (1,), compute, ("iom",)) == 1
    bump_data_version("iom")
    assert cached("figures", (1,), compute, ("iom",)) == 2


def test_a_write_to_another_app_leaves_the_result_cached():
    compute = counter()
    cached("figures", (), compute, ("iom",))
    bump_data_version("needs")
    assert cached("figures", (), compute, ("iom",)) == 1


def test_saving_a_person_makes_figures_that_read_people_stale():
    before = current(("people",))
    PersonFactory()
    assert current(("people",)) != before


def test_a_rolled_back_write_leaves_the_version_as_it_was():
    bump_data_version("iom")
    before = current(("iom",))
    with pytest.raises(RuntimeError), transaction.atomic():
        bump_data_version("iom")
        assert current(("iom",)) != before
        raise RuntimeError("the write failed")
    assert current(("iom",)) == before


def test_deleting_rows_in_one_statement_makes_their_figures_stale():
    from tests.factories_needs import CaseloadEntryFactory, CaseloadExtractFactory

    extract = CaseloadExtractFactory()
    CaseloadEntryFactory.create_batch(3, extract=extract)
    before = current(("needs",))
    # A queryset delete of rows with no receivers runs as one DELETE, with no signal.
    type(extract).objects.filter(pk=extract.pk).delete()
    assert current(("needs",)) != before


def test_a_cascaded_delete_inside_a_rolled_back_transaction_leaves_the_version():
    from tests.factories_needs import CaseloadExtractFactory

    extract = CaseloadExtractFactory()
    before = current(("needs",))
    with pytest.raises(RuntimeError), transaction.atomic():
        extract.delete()
        raise RuntimeError("the write failed")
    assert current(("needs",)) == before
