"""Browser tests: Playwright driving Debian's Chromium against a live test server.

Chromium comes from Debian's `chromium` package (/usr/bin/chromium); Playwright's own
browser downloads are never used. Outside CI a missing Chromium skips these tests with
a message; in CI (CI=true) it fails them, so a missing install step cannot hide.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("SAFERHUB_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# Playwright's sync API keeps an event loop running in the test thread for the whole
# session; the ORM calls the tests and database teardown make there are still synchronous
# and safe. Tests that start subprocesses drop this variable from their environment.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _require(path: str | Path, what: str) -> None:
    if Path(path).exists() or shutil.which(str(path)):
        return
    message = f"{what} not found at {path}. Install it (see README: 'Running the tests')."
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    _require(CHROMIUM, "Debian's Chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def _is_conditional_radio(node: dict) -> bool:
    html = node.get("html", "")
    return "govuk-radios__input" in html and "aria-expanded" in html


def _without_known_issues(violation: dict) -> dict:
    """Leave out GOV.UK Frontend's one deliberate, documented ARIA choice.

    A radio that reveals a follow-up question carries `aria-expanded`, which ARIA does not
    list for radios; GOV.UK keeps it because screen-reader users were found to benefit
    (alphagov/govuk-frontend issue 979, listed there as a known axe finding). Only that
    attribute on those radios is excused; every other node still fails the check.
    """
    if violation["id"] != "aria-allowed-attr":
        return violation
    return {**violation, "nodes": [n for n in violation["nodes"] if not _is_conditional_radio(n)]}


@pytest.fixture
def axe():
    """Run axe-core on the page; fail on any serious or critical violation."""
    _require(AXE, "axe-core (from `npm ci`)")
    source = AXE.read_text()

    def check(page, context: str = "") -> list[dict]:
        # Evaluated through the DevTools protocol rather than added as an inline <script>,
        # which the app's Content-Security-Policy rightly blocks.
        page.evaluate(source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [
            v
            for v in map(_without_known_issues, result["violations"])
            if v["nodes"] and v.get("impact") in ("serious", "critical")
        ]
        details = "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in bad
        )
        assert not bad, (
            f"axe-core found serious/critical violations {context} on {page.url}:\n{details}"
        )
        return result["violations"]

    return check


@pytest.fixture
def sign_in_browser(live_server):
    """Sign a Playwright page in through the real sign-in form."""

    def _sign_in(page, username: str, password: str = "correct horse battery staple"):
        page.goto(f"{live_server.url}/accounts/sign-in/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        return page

    return _sign_in
