"""A first hour in the demo without stumbles: every demo role follows every link it is shown.

The demo is built as `saferhub demo` builds it (generated as of today, loaded by the demo
loader) and served by a live server. Each role signs in through the real form and walks
the links on its pages. On every page: no 4xx or 5xx answer, and the page is no wider
than the window at 320 and at 1280 CSS pixels (WCAG 1.4.10 reflow). axe-core runs once
per kind of page (the first page of each URL pattern), which keeps the walk to a few
minutes on two cores. Where a role reaches the MARAC statistics, the IOM board section
or the crime dashboard, their figures for the current period are not all zero.
"""

from __future__ import annotations

import re
from collections import deque
from datetime import timedelta
from urllib.parse import urldefrag, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from saferhub.demo.partnership import demo_password, load_partnership
from saferhub.rules.periods import Month
from saferhub.synth.partnership import generate, write_extracts
from saferhub.synth.people import USERS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_PAGES = 200  # per role
PER_PATTERN = 3  # pages of one kind (say, case 1, case 2 …) add little after the first few
SKIP = re.compile(r"sign-out|/export|\.xlsx$|\.pdf$|\.csv$|\.json$|\.docx$")
WIDTHS = (320, 1280)

# One demo user for each role.
ROLES = {}
for _username, *_, _role in USERS:
    ROLES.setdefault(_role, _username)

FIGURE_PAGES = {
    "/marac/statistics/": "MARAC statistics",
    "/iom/board/": "IOM board section",
    "/insights/": "crime dashboard",
}

# Pages each role must reach by following links, so a broken path to them fails too.
MUST_REACH = {
    "analyst": {"MARAC statistics", "crime dashboard"},
    "viewer": {"IOM board section"},
}


def current_figures(name: str, text: str, today) -> list[int]:
    """The figures a page gives for the current period (which each page opens on)."""
    last_month = Month.of(today.replace(day=1) - timedelta(days=1))
    if name == "MARAC statistics":
        quarter = Month.of(today).financial_quarter
        if (today - quarter.start).days < 7:
            # The quarter's first meeting is on its first Thursday: nothing is heard before.
            quarter = quarter + -1
        pattern = rf"([\d,]+) cases? (?:was|were) heard in {re.escape(quarter.label)}"
    elif name == "IOM board section":
        pattern = rf"{last_month.last_day.day} {re.escape(last_month.label)} ([\d,]+)"
    else:
        if f"to {last_month.label}" not in text:
            return []
        pattern = r"There were ([\d,]+) cases of"
    return [int(n.replace(",", "")) for n in re.findall(pattern, text)]


@pytest.fixture
def demo_world(tmp_path, settings):
    settings.DEMO = True
    settings.DATA_DIR = tmp_path
    today = timezone.localdate()
    extracts = tmp_path / "extracts"
    write_extracts(generate(2023, 0.2, today), extracts)
    load_partnership(extracts, today)
    return demo_password()


def pattern(url: str) -> str:
    """/marac/cases/123/?page=2 → /marac/cases/N/?page: one kind of page."""
    parts = urlsplit(url)
    keys = sorted({k.split("=")[0] for k in parts.query.split("&") if k})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


def links_on(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    found = []
    for href in hrefs:
        href = urldefrag(href).url
        if href.startswith(origin) and not SKIP.search(urlsplit(href).path):
            found.append(href)
    return found


def widths(page) -> list[str]:
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            problems.append(f"{page.url} is {scroll}px wide in a {inner}px window")
    return problems


@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_role_follows_every_link_without_a_stumble(
    page, live_server, sign_in_browser, axe, demo_world, role
):
    origin = live_server.url
    sign_in_browser(page, ROLES[role], demo_world)
    assert "/accounts/sign-in" not in page.url, f"{ROLES[role]} could not sign in"
    # On a small screen the menu folds behind a toggle, which opens it.
    page.set_viewport_size({"width": 320, "height": 900})
    # (expect waits for the component's media-query listener to run after the resize.)
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(page.locator("#navigation")).to_be_hidden()
    menu.click()
    expect(page.locator("#navigation")).to_be_visible()

    queue, seen, checked_axe, per_pattern = deque([f"{origin}/"]), set(), set(), {}
    problems: list[str] = []
    figure_pages: dict[str, list[int]] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        kind = pattern(url)
        if url in seen or per_pattern.get(kind, 0) >= PER_PATTERN:
            continue
        seen.add(url)
        per_pattern[kind] = per_pattern.get(kind, 0) + 1
        response = page.goto(url)
        if response is None or response.status >= 400:
            problems.append(f"{url} answered {response.status if response else 'nothing'}")
            continue
        problems += widths(page)
        if kind not in checked_axe:
            checked_axe.add(kind)
            try:
                axe(page, f"as {role}")
            except AssertionError as failure:
                problems.append(str(failure))
        path = urlsplit(url).path
        if path in FIGURE_PAGES and not urlsplit(url).query:
            name = FIGURE_PAGES[path]
            text = " ".join(page.locator("main").inner_text().split())
            figure_pages[name] = current_figures(name, text, timezone.localdate())
        queue.extend(link for link in links_on(page, origin) if link not in seen)

    assert not problems, f"{role} stumbled:\n" + "\n".join(problems[:40])
    missing = MUST_REACH.get(role, set()) - set(figure_pages)
    assert not missing, f"{role} found no link to the {', '.join(sorted(missing))}"
    for name, numbers in figure_pages.items():
        assert numbers, f"The {name} shows {role} no figures for the current period"
        assert any(numbers), f"The {name} shows only zeros to {role} for the current period"
