"""Synthetic ASB activity: dated up to the as-of day, never beyond, on any as-of day."""

from __future__ import annotations

from datetime import date

import pytest

from saferhub.synth.asb import generate
from saferhub.synth.people import generate_people
from saferhub.synth.world import World


@pytest.mark.parametrize("day", [date(2025, 11, 26), date(2026, 11, 26)])
def test_asb_activity_runs_up_to_the_as_of_date_and_not_beyond(day):
    world = World(seed=3, scale=0.5, as_of=day)
    generate_people(world)
    out = generate(world)
    dates = [date.fromisoformat(r["reported_on"]) for r in out["asb_incidents.csv"]]
    dates += [date.fromisoformat(r["used_on"]) for r in out["asb_tool_uses.csv"]]
    dates += [date.fromisoformat(r["opened_on"]) for r in out["asb_cases.csv"]]
    assert max(dates) <= day
    assert (day - max(dates)).days < 14
    # Each incident's complaint is made on or after the incident.
    assert all(r["reported_on"] >= r["occurred_on"] for r in out["asb_incidents.csv"])
    kinds = {r["kind"] for r in out["asb_tool_uses.csv"]}
    assert {"cpn_warning", "pspo_fpn"} <= kinds
