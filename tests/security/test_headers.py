"""Security headers: a Content-Security-Policy with no inline script, a Permissions-Policy,
and `Cache-Control: no-store` on every page and download that can hold personal data.

Before this control there was no CSP, base.html ran two inline scripts, and a person's
page or a MARAC agenda could be kept in a shared computer's browser cache.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.utils import timezone

from saferhub.web.accounts.models import AgencyKind, Role
from saferhub.web.headers import ContentSecurityPolicyMiddleware
from tests.factories import InvolvementFactory, PersonFactory, UserFactory
from tests.factories_panels import CaseFactory, ListingFactory, MeetingFactory, MemberAgencyFactory

SRC = Path(__file__).resolve().parents[2] / "src" / "saferhub"
TEMPLATES = sorted(SRC.rglob("templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.name for t in TEMPLATES])
def test_no_template_has_inline_script_or_event_handlers(template):
    text = template.read_text()
    assert not INLINE_SCRIPT.search(text), f"{template}: inline <script> (move it to a file)"
    assert not EVENT_HANDLER.search(text), f"{template}: on…= handler (use a script file)"
    assert not JAVASCRIPT_URL.search(text), f"{template}: javascript: URL"


@pytest.mark.django_db
def test_every_page_has_a_csp_that_forbids_inline_script(client):
    response = client.get("/accounts/sign-in/")
    policy = _directives(response["Content-Security-Policy"])
    script_src = policy.get("script-src", policy.get("default-src"))
    assert script_src == ["'self'"]
    for directive in ("default-src", "script-src", "style-src"):
        assert "'unsafe-inline'" not in policy.get(directive, []), directive
    assert "script-src-attr" not in policy and "script-src-elem" not in policy
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]


@pytest.mark.django_db
def test_every_page_switches_off_unused_browser_features(client):
    header = client.get("/accounts/sign-in/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in header


@pytest.mark.django_db
def test_a_person_page_is_never_stored_by_the_browser(client):
    agency = MemberAgencyFactory(name="Probation (member)", kind=AgencyKind.PROBATION)
    person = PersonFactory(first_name="Jordan", last_name="Mensah")
    InvolvementFactory(person=person, agency=agency)
    client.force_login(UserFactory(agency=agency, role=Role.PRACTITIONER))
    response = client.get(f"/people/{person.pk}/")
    assert response.status_code == 200
    assert "Mensah" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_an_export_download_is_never_stored_by_the_browser(client):
    council = MemberAgencyFactory(name="Council (member)", kind=AgencyKind.COMMUNITY_SAFETY)
    today = timezone.localdate()
    listing = ListingFactory(
        meeting=MeetingFactory(date=today),
        case=CaseFactory(referring_agency=council, status="listed", referral_date=today),
    )
    client.force_login(UserFactory(agency=council, role=Role.COORDINATOR))
    response = client.get(f"/marac/meetings/{listing.meeting.pk}/agenda.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_error_and_redirect_responses_are_not_stored_either(client):
    assert "no-store" in client.get("/people/")["Cache-Control"]  # redirect to sign in
    client.force_login(UserFactory())
    assert "no-store" in client.get("/no/such/page/")["Cache-Control"]


@pytest.mark.django_db
def test_static_files_keep_their_cache_lifetime(client):
    response = client.get("/static/saferhub/init.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def _policy_middleware():
    return ContentSecurityPolicyMiddleware(lambda request: HttpResponse("page"))


def test_the_policy_built_once_is_the_one_django_csp_builds(rf):
    ours = _policy_middleware()
    theirs = CSPMiddleware(lambda request: HttpResponse("page"))
    for _ in range(3):  # the first response builds the header, the later ones reuse it
        assert ours(rf.get("/")).get("Content-Security-Policy") == theirs(rf.get("/")).get(
            "Content-Security-Policy"
        )


def test_a_response_with_its_own_policy_changes_still_gets_them(rf):
    def view(request):
        response = HttpResponse("page")
        if request.path == "/map/":
            response._csp_update = {"img-src": ["https://tiles.example"]}
        return response

    middleware = ContentSecurityPolicyMiddleware(view)
    assert "https://tiles.example" not in middleware(rf.get("/"))["Content-Security-Policy"]
    assert "https://tiles.example" in middleware(rf.get("/map/"))["Content-Security-Policy"]
    assert "https://tiles.example" not in middleware(rf.get("/"))["Content-Security-Policy"]
