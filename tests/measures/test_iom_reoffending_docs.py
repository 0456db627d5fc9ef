"""The IOM and reoffending docs keep step with the code."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import saferhub.measures.reoffending as reoffending
from saferhub.measures.iom import cohort, costs, offending, pathways, selection
from saferhub.sources.offences import offence_catalogue
from saferhub.sources.unit_costs import shipped_unit_costs

DOCS = Path(__file__).resolve().parents[2] / "docs"
# Building blocks and runners: documented, but they define no published figure themselves.
NOT_MEASURES = {
    "spell_windows",
    "spell_exposure",
    "spell_offences",
    "members_on",
    "unit_costs_table",
    "unit_costs_arrow",
    "empty_custody",
    "proven_reoffending",
    "cohort_figures",
}


def public_functions(module):
    return [
        (module, name)
        for name, value in inspect.getmembers(module, inspect.isfunction)
        if value.__module__ == module.__name__ and not name.startswith("_")
    ]


IOM_MODULES = (offending, costs, cohort, pathways, selection)
FUNCTIONS = [f for m in IOM_MODULES for f in public_functions(m)] + public_functions(reoffending)
DOC_OF = {**dict.fromkeys(IOM_MODULES, "iom.md"), reoffending: "reoffending.md"}


@pytest.mark.parametrize(("module", "name"), FUNCTIONS, ids=[n for _, n in FUNCTIONS])
def test_every_public_measure_function_is_documented(module, name):
    text = (DOCS / "measures" / DOC_OF[module]).read_text(encoding="utf-8")
    assert f"| `{name}` |" in text, f"docs/measures/{DOC_OF[module]} has no row for {name}"


@pytest.mark.parametrize(
    ("module", "name"),
    [(m, n) for m, n in FUNCTIONS if n not in NOT_MEASURES],
    ids=[n for _, n in FUNCTIONS if n not in NOT_MEASURES],
)
def test_every_measure_states_its_definition_and_source(module, name):
    doc = inspect.getdoc(getattr(module, name)) or ""
    assert any(source in doc for source in ("seed 00", "BRIEF", "Ministry of Justice")), name


def test_every_offence_code_and_group_is_in_the_offences_format_doc():
    text = (DOCS / "formats" / "offences.md").read_text(encoding="utf-8")
    catalogue = offence_catalogue()
    missing = [code for code in catalogue.codes if f"| `{code}` |" not in text]
    missing += [group for group in catalogue.groups if f"| `{group}` |" not in text]
    assert not missing, f"docs/formats/offences.md does not list: {', '.join(missing)}"


def test_every_shipped_unit_cost_is_in_the_unit_costs_doc():
    text = (DOCS / "formats" / "unit-costs.md").read_text(encoding="utf-8")
    for group, cost in shipped_unit_costs().costs.items():
        assert f"| `{group}` | {cost.pounds:,.0f} | {cost.status}" in text, group


@pytest.mark.parametrize(
    "name", ["offences", "cohort", "pathways", "custody", "disposals", "unit-costs"]
)
def test_each_format_has_columns_an_example_and_errors(name):
    text = (DOCS / "formats" / f"{name}.md").read_text(encoding="utf-8")
    assert "| column |" in text
    assert "```csv" in text
    assert "## Errors you can get" in text
