"""The quicker address builder and date and text filters give what Django's own would."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.defaultfilters import date as django_date
from django.template.defaultfilters import truncatechars
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix
from django.utils import timezone

from saferhub.web.links import link
from saferhub.web.text_filters import clip, long_date, short_date


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("home", ()),
        ("people:search", ()),
        ("people:detail", (7,)),
        ("people:edit-flag", (12, 3)),
        ("people:end-share", (0,)),
    ],
)
def test_link_gives_what_reverse_gives(name, args):
    assert link(name, *args) == reverse(name, args=args)


def test_link_follows_the_script_prefix_the_app_is_mounted_under():
    set_script_prefix("/saferhub/")
    try:
        assert link("people:detail", 41) == "/saferhub/people/41/"
        assert link("people:detail", 41) == reverse("people:detail", args=[41])
    finally:
        clear_script_prefix()
    assert link("people:detail", 41) == "/people/41/"


def test_link_refuses_what_reverse_refuses():
    with pytest.raises(NoReverseMatch):
        link("people:detail", -1)
    with pytest.raises(NoReverseMatch):
        link("people:detail", "x")


@pytest.mark.parametrize("month", range(1, 13))
def test_date_filters_match_djangos_for_every_month(month):
    day = dt.date(2024, month, 5)
    assert short_date(day) == django_date(day, "j M Y")
    assert long_date(day) == django_date(day, "j F Y")


def test_date_filters_show_a_moment_in_local_time_as_django_does():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London.
    moment = dt.datetime(2024, 6, 30, 23, 30, tzinfo=dt.UTC)
    local = timezone.localtime(moment)
    assert short_date(local) == "1 Jul 2024"
    assert long_date(local) == django_date(local, "j F Y")


@pytest.mark.parametrize("text", ["", "short", "x" * 300, "y" * 301, "word " * 100])
def test_clip_matches_truncatechars(text):
    assert clip(text, 300) == truncatechars(text, 300)
