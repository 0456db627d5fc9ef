"""Each block of a report is rendered once for its content: a page rebuilt after a change
renders again only the tables and charts whose content changed, and gives the same HTML."""

from __future__ import annotations

import pytest

from saferhub.reports import html_writer
from saferhub.reports.document import Report, Section, Table
from saferhub.reports.writers import render_html_fragment


def _report(robbery: int) -> Report:
    def table(title: str, figure: int) -> Table:
        return Table(title, ["Offence", "Count"], [["Burglary", 120], ["Robbery", figure]])

    return Report(
        "Crime",
        "",
        [Section("Offences", ["Counts."], [table("This month", robbery), table("Last month", 7)])],
    )


@pytest.fixture
def renders(monkeypatch):
    counted: list[str] = []
    real = html_writer._render

    def counting(name, context):
        counted.append(name)
        return real(name, context)

    monkeypatch.setattr(html_writer, "_render", counting)
    monkeypatch.setattr(html_writer, "_blocks", type(html_writer._blocks)())
    return counted


def test_an_unchanged_block_is_not_rendered_again_and_reads_the_same(renders):
    first = render_html_fragment(_report(9))
    assert renders.count("reports/block.html") == 2
    again = render_html_fragment(_report(9))
    assert again == first
    assert renders.count("reports/block.html") == 2, "both blocks came from the memo"


def test_only_the_changed_block_is_rendered_again(renders):
    render_html_fragment(_report(9))
    changed = render_html_fragment(_report(10))
    assert renders.count("reports/block.html") == 3
    assert ">10<" in changed and ">9<" not in changed


def test_the_memo_is_bounded(renders, monkeypatch):
    monkeypatch.setattr(html_writer, "BLOCKS_KEPT", 3)
    for figure in range(10):
        render_html_fragment(_report(figure))
    assert len(html_writer._blocks) == 3
