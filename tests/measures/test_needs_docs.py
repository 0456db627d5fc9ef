"""The needs documentation keeps step with the code."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import saferhub.measures.needs.profile as needs
from saferhub.measures.needs import default_tables
from saferhub.sources.caseload import ALL_COLUMNS

DOCS = Path(__file__).resolve().parents[2] / "docs"
MEASURES_DOC = (DOCS / "measures" / "needs.md").read_text(encoding="utf-8")
FORMAT_DOC = (DOCS / "formats" / "caseload-extract.md").read_text(encoding="utf-8")

# Functions that run or assemble measures rather than define a published figure.
NOT_MEASURES = {"analyse", "default_tables", "with_base"}


def public_measure_functions():
    return [
        name
        for name, value in inspect.getmembers(needs, inspect.isfunction)
        if value.__module__ == needs.__name__
        and not name.startswith("_")
        and name not in NOT_MEASURES
    ]


def test_there_are_measure_functions_to_check():
    assert len(public_measure_functions()) >= 10


@pytest.mark.parametrize("name", public_measure_functions())
def test_every_measure_function_is_documented(name):
    assert f"| `{name}` |" in MEASURES_DOC, f"docs/measures/needs.md has no row for {name}"


@pytest.mark.parametrize("name", public_measure_functions())
def test_every_measure_function_states_its_definition_and_source(name):
    doc = inspect.getdoc(getattr(needs, name)) or ""
    assert any(source in doc for source in ("seed 00", "BRIEF")), f"{name} cites no source"


@pytest.mark.parametrize("spec", default_tables(), ids=lambda s: s.key)
def test_every_table_is_documented_with_its_base(spec):
    assert f"| `{spec.key}` | {spec.title} | {spec.base.value} |" in MEASURES_DOC


@pytest.mark.parametrize("column", ALL_COLUMNS)
def test_every_extract_column_is_documented(column):
    assert f"`{column}`" in FORMAT_DOC
