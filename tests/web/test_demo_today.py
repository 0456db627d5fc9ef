"""A demo built today is true today: figures for the current period, and it says it is a demo.

The demo world is generated as of today and loaded as `saferhub demo` loads it; the pages
are then read through the test client as the demo's own users, as someone trying the
demo would.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.demo.partnership import load_partnership
from saferhub.rules.periods import Month
from saferhub.synth.partnership import generate, write_extracts
from saferhub.web.accounts.models import User
from saferhub.web.demo import DEMO_NOTICE
from saferhub.web.iom import services
from saferhub.web.iom.models import Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = re.sub(r"<svg.*?</svg>", "", response.content.decode(), flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def demo(tmp_path, settings):
    settings.DEMO = True
    today = timezone.localdate()
    write_extracts(generate(2023, 0.2, today), tmp_path)
    load_partnership(tmp_path, today)
    return today


def test_a_demo_built_today_has_figures_for_the_current_period(demo, client):
    today = demo
    quarter = Month.of(today).financial_quarter
    chosen = {}  # the page opens on the current quarter
    if (today - quarter.start).days < 7:
        # The quarter's first meeting is on its first Thursday: before it, nothing is heard yet.
        quarter = quarter + -1
        chosen = {"quarter": quarter.key}

    client.force_login(User.objects.get(username="marac.coordinator"))
    page = text_of(client.get(reverse("panels:statistics"), chosen))
    heard = re.search(rf"(\d+) cases? (?:was|were) heard in {re.escape(quarter.label)}", page)
    assert heard is not None and int(heard.group(1)) > 0, page[:2000]
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("panels:statistics-export"), chosen).content)
    )
    current_rows = [
        row
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        if row and row[0] == quarter.label
    ]
    assert current_rows
    assert any(isinstance(v, int | float) and v > 0 for row in current_rows for v in row[1:])
    home = text_of(client.get(reverse("panels:home")))
    assert "No meeting arranged" not in home

    client.force_login(User.objects.get(username="police.viewer"))
    last_month = Month.of(today.replace(day=1) - timedelta(days=1))
    board = text_of(client.get(reverse("iom:board")))
    members = re.search(rf"{last_month.last_day.day} {last_month.label} (\d+) (\d+)", board)
    assert members is not None and int(members.group(1)) > 0, board[:3000]
    assert DEMO_NOTICE in board

    client.force_login(User.objects.get(username="council.analyst"))
    crime = text_of(client.get(reverse("insights:dashboard")))
    # The dashboard opens on the last complete month, with RAG ratings for it.
    assert re.search(rf"Measures at a glance: Barnet, \w+ \d{{4}} to {last_month.label}", crime)
    assert "Green" in crime or "Amber" in crime or "Red" in crime


def test_iom_pages_stay_on_todays_date_after_an_ordinary_edit(demo, client):
    # Before, one new record moved the IOM pages from the data's last day to today: the
    # selection list emptied and the de-selection review listed almost everyone.
    coordinator = User.objects.get(username="probation.coordinator")
    member = Membership.objects.filter(leave_date__isnull=True).first()
    services.log_contact(
        membership=member,
        contact_date=demo,
        outcome="attended",
        method="phone",
        notes="",
        user=coordinator,
    )
    client.force_login(coordinator)
    cohort = text_of(client.get(reverse("iom:cohort")))
    assert f"on {demo:%-d %B %Y}" in cohort
    current = Membership.objects.filter(leave_date__isnull=True).count()
    assert re.search(rf"\b{current} members? on", cohort)
    selection = text_of(client.get(reverse("iom:selection")))
    assert re.findall(r"\b\d{2}/\d{6}[A-Z]\b", selection)
    review = text_of(client.get(reverse("iom:deselection")))
    assert len(set(re.findall(r"\b\d{2}/\d{6}[A-Z]\b", review))) < current / 2


def test_iom_pages_report_on_today_even_when_the_data_stop_long_ago(tmp_path, client):
    # The pages no longer guess "today" from the newest record: old data read as old.
    old = date(2023, 9, 30)
    write_extracts(generate(2023, 0.05, old), tmp_path)
    load_partnership(tmp_path, old)
    client.force_login(User.objects.get(username="probation.coordinator"))
    cohort = text_of(client.get(reverse("iom:cohort")))
    assert f"on {timezone.localdate():%-d %B %Y}" in cohort
    assert "Shown as at" not in cohort


@pytest.mark.parametrize("demo_mode", [True, False])
def test_every_page_says_when_the_data_are_a_demonstration(demo_mode, client, settings):
    settings.DEMO = demo_mode
    client.force_login(UserFactory())
    for name in ("home", "people:search"):
        page = client.get(reverse(name)).content.decode()
        assert ("govuk-phase-banner" in page) is demo_mode
        assert (DEMO_NOTICE in page) is demo_mode
