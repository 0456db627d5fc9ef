"""The crime measures documentation keeps step with the code."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import saferhub.measures.crime as crime
from saferhub.measures.catalogue import default_catalogue

DOCS = Path(__file__).resolve().parents[2] / "docs"
MEASURES_DOC = (DOCS / "measures" / "crime.md").read_text(encoding="utf-8")

# Functions that run or assemble measures rather than define a published figure.
NOT_MEASURES = {"default_peer_groups"}


def public_measure_functions():
    return [
        name
        for name, value in inspect.getmembers(crime, inspect.isfunction)
        if value.__module__ == crime.__name__
        and not name.startswith("_")
        and name not in NOT_MEASURES
    ]


@pytest.mark.parametrize("name", public_measure_functions())
def test_every_measure_function_is_documented(name):
    assert f"| `{name}` |" in MEASURES_DOC, f"docs/measures/crime.md has no row for {name}"


@pytest.mark.parametrize("name", public_measure_functions())
def test_every_measure_function_states_its_definition_and_source(name):
    doc = inspect.getdoc(getattr(crime, name)) or ""
    assert any(source in doc for source in ("seed 00", "BRIEF")), f"{name} cites no source"


@pytest.mark.parametrize("measure", default_catalogue().measures, ids=lambda m: m.key)
def test_every_default_catalogue_measure_is_documented(measure):
    assert f"| `{measure.key}` | {measure.label} |" in MEASURES_DOC


@pytest.mark.parametrize(
    "page",
    ["formats/mps-crime.md", "formats/population.md", "formats/measure-series.md", "exceptions.md"],
)
def test_the_format_and_method_pages_exist(page):
    text = (DOCS / page).read_text(encoding="utf-8")
    assert text.startswith("# ")
