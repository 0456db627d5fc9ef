"""The board paper in HTML and PDF: KPI tiles, RAG tags, a cover and a contents page."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from tests.reports.board_report import board_report
from tests.reports.test_writers import outline

from saferhub.reports.html_writer import page_html, render_html, render_html_fragment
from saferhub.reports.pdf_writer import render_pdf
from saferhub.reports.sparkline import sparkline_svg
from saferhub.reports.tile_text import change_words


def test_tiles_say_the_change_in_words_beside_the_arrow():
    html = render_html_fragment(board_report())
    assert '<span aria-hidden="true">\u25b2</span> up 3.5%' in html
    assert '<span aria-hidden="true">\u25bc</span> down 2.0%' in html
    assert "no change (0.0%)" in html
    assert ">1,936<" in html and ">28.5%<" in html
    assert "Rate: 2.41 per 1,000 households" in html and "Rank: 5/32 in London" in html


def test_rag_is_a_tag_with_its_word():
    html = render_html_fragment(board_report())
    assert '<strong class="govuk-tag govuk-tag--red">Red</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--yellow">Amber</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--green">Green</strong>' in html


def test_sparklines_are_labelled_images():
    page = outline(render_html(board_report()))
    sparklines = [
        a for tag, a in page.elements if tag == "svg" and "saferhub-sparkline" in a.get("class", "")
    ]
    assert len(sparklines) == 2  # the third tile has no trend
    assert all(a["role"] == "img" for a in sparklines)
    assert sparklines[0]["aria-label"] == "Last 6 months: from 150 to 166"


def test_headings_stay_in_order_with_tiles():
    page = outline(render_html(board_report()))
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False))


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (3.47, "up 3.5%"),
        (-2.04, "down 2.0%"),
        (0.04, "no change (0.0%)"),
        (None, "No change figure"),
    ],
)
def test_change_words(change, words):
    assert change_words(change)[1] == words


def test_sparkline_escapes_its_name_and_leaves_gaps():
    svg = sparkline_svg([1, 2, None, 3, 4], 'Trend "<x>"')
    assert "&lt;x&gt;" in svg and "<x>" not in svg
    assert svg.count("<path") == 2


def test_the_html_page_has_no_cover_the_print_page_does():
    report = board_report()
    assert 'class="saferhub-cover"' not in render_html(report)
    printed = page_html(report, for_print=True)
    assert 'class="saferhub-cover"' in printed and 'class="saferhub-contents"' in printed
    assert printed.count("<h1") == 1  # the cover's title; the body does not repeat it
    # Charts print as images of their SVG, with the chart title as the text alternative.
    assert '<img src="data:image/svg+xml;base64,' in printed
    assert 'alt="Burglary by month"' in printed


def test_without_a_cover_the_print_page_is_the_page_with_images():
    report = board_report(cover=None)
    printed = page_html(report, for_print=True)
    assert 'class="saferhub-cover"' not in printed and 'class="saferhub-contents"' not in printed


def pdf_text(data: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: PDF text not checked")
    path = tmp_path / "pack.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_pdf_opens_with_a_cover_and_a_contents_page_with_page_numbers(tmp_path):
    data = render_pdf(board_report())
    assert data == render_pdf(board_report())
    pages = pdf_text(data, tmp_path).split("\f")
    assert "Partnership board pack" in pages[0]
    assert "Safer Communities Partnership Board, 28 November 2023" in pages[0]
    assert "Restricted: partnership members only" in pages[0]
    assert "Page 1 of" in pages[0]
    assert "Contents" in pages[1]
    # Summary starts on page 3 and Trends on page 4: the contents says so.
    assert re.search(r"Summary[ .]+3\b", pages[1])
    assert re.search(r"Trends[ .]+4\b", pages[1])
    assert "At a glance" in pages[2] and "up 3.5%" in pages[2]
    total = len([p for p in pages if p.strip()])
    assert f"Page {total} of {total}" in pages[total - 1]


def test_pdf_without_a_cover_has_no_contents_page(tmp_path):
    text = pdf_text(render_pdf(board_report(cover=None)), tmp_path)
    assert "Contents" not in text and "Page 1 of" in text
