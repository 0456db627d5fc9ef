"""Shared test set-up: test settings, the real-data location, and signed-in clients."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Must be set before Django reads its settings.
os.environ.setdefault("SAFERHUB_ENV", "test")

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
MPS_DATA = SHARED_DATA / "mps"


@pytest.fixture(scope="session")
def mps_data() -> Path:
    """The real Metropolitan Police files, read in place (never copied into the repo)."""
    if not (MPS_DATA / "borough_21_23.csv").exists():
        pytest.skip(
            f"Real MPS data not found at {MPS_DATA}: these golden tests need the shared data "
            "folder checked out next to the repository (../shared/data/mps)."
        )
    return MPS_DATA


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: a test's rolled-back data must not leave
    cached figures behind for the next one."""
    from django.conf import settings

    if settings.configured:
        from django.core.cache import cache

        cache.clear()
    yield


@pytest.fixture
def sign_in(client):
    """Sign the test client in as a user; returns the client."""

    def _sign_in(user):
        client.force_login(user)
        return client

    return _sign_in


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Once the owner has created and migrated the test database, test as the app role."""
    from tests.database_roles import flushes_as_owner, switch_to_app_role, switch_to_owner

    with django_db_blocker.unblock():
        switch_to_app_role()
    with flushes_as_owner():
        yield
    with django_db_blocker.unblock():
        switch_to_owner()
