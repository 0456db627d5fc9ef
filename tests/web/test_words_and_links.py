"""Pages speak plainly: right articles, readable audit details, links only to pages one may open."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from saferhub.web.accounts.models import Role
from saferhub.web.audit.describe import describe
from tests.factories import UserFactory

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.mark.django_db
def test_the_home_page_says_an_administrator(client):
    client.force_login(UserFactory(username="words.admin", role=Role.ADMINISTRATOR))
    page = client.get("/").content.decode()
    assert "signed in as an administrator" in page
    assert "as a administrator" not in page


def test_an_audit_change_reads_old_to_new_with_field_labels():
    rows = describe(
        {
            "changes": {"date_of_birth": ["1990-01-01", "1991-02-03"], "ward": ["", "Colindale"]},
            "results": 7056,
        }
    )
    assert [(r.label, r.value) for r in rows] == [
        ("Date of birth", "1990-01-01 → 1991-02-03"),
        ("Ward", "(empty) → Colindale"),
        ("Results", "7,056"),
    ]


@pytest.mark.django_db
def test_the_audit_log_shows_no_python_dictionary(client):
    client.force_login(UserFactory(username="words.auditor", role=Role.ADMINISTRATOR))
    client.get("/people/", {"q": "Nobody"})  # audited with a detail of query and results
    page = client.get("/audit/").content.decode()
    assert "{'" not in page and "{&#x27;" not in page
    assert "<dt>Query</dt><dd>Nobody</dd>" in page


@pytest.mark.django_db
def test_the_analysts_marac_card_promises_only_what_an_analyst_may_open(client):
    from saferhub.web.accounts.models import Agency

    agency = Agency.objects.create(
        name="Council (words)", kind="community_safety", programmes=["da_marac"]
    )
    client.force_login(UserFactory(username="words.analyst", agency=agency, role=Role.ANALYST))
    page = client.get("/").content.decode()
    card = re.search(r"Domestic Abuse MARAC</a><br><span[^>]*>([^<]*)<", page)
    if card is None:
        pytest.skip("The MARAC programme is not installed")
    assert "referrals" not in card.group(1).lower() and "agendas" not in card.group(1).lower()
    assert "statistics" in card.group(1)


def test_no_page_or_message_cites_internal_notes():
    found = subprocess.run(
        ["grep", "-rniE", r"seed ?[0-9]{3}|brief|docs/|\.md\b", str(SRC), "--include=*.html"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert found == "", found
