"""The Word version of a board paper: cover, contents, headings, tables and chart images."""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn
from tests.reports.board_report import board_report

from saferhub.app.render import DOCUMENT_FORMATS, render_document
from saferhub.reports.charts import chart_png
from saferhub.reports.docx_writer import render_docx


def document(report=None) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(report or board_report())))


def styled(doc, style: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == style]


def all_text(doc) -> str:
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_word_is_a_document_format():
    assert "docx" in DOCUMENT_FORMATS
    assert render_document(board_report(), "docx").startswith(b"PK")


def test_cover_then_contents_then_a_heading_per_section_and_per_block():
    doc = document()
    assert styled(doc, "Title") == ["Partnership board pack"]
    text = all_text(doc)
    assert "Safer Communities Partnership Board, 28 November 2023" in text
    assert "Period: Figures to September 2023" in text
    assert "Audience: Restricted: partnership members only" in text
    assert "Prepared by: Community safety analyst" in text
    assert styled(doc, "List Number") == ["Summary", "Trends"]  # the contents list
    assert styled(doc, "Heading 1") == ["Contents", "Summary", "Trends", "Notes"]
    assert styled(doc, "Heading 2") == [
        "At a glance",
        "Measures against target",
        "Burglary by month",
        "Share solved",
    ]


def test_without_a_cover_there_is_no_contents_page():
    doc = document(board_report(cover=None))
    assert "Contents" not in styled(doc, "Heading 1")
    assert styled(doc, "Subtitle") == ["Year to September 2023"]


def test_figures_show_as_in_html_and_each_chart_is_an_image_with_its_table():
    doc = document()
    assert len(doc.inline_shapes) == 2  # one picture per chart
    text = all_text(doc)
    for shown in ("1,936", "3.5%", "-2.0%", "30.3%", "1,020", "<5", "\u2013"):
        assert shown in text, shown
    assert "up 3.5% (12 months to Sep 2023 vs year before)" in text
    assert "down 2.0%" in text and "no change (0.0%)" in text
    assert "2.41 per 1,000 households" in text
    assert "Data for the chart: Burglary by month" in text
    assert "Counts of 1 to 4 are shown as <5 to protect people." in text


def test_tables_repeat_their_header_row_and_shade_rag_cells():
    doc = document()
    for table in doc.tables:
        header = table.rows[0]._tr
        assert header.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
    measures = doc.tables[1]
    fills = {}
    for row in measures.rows[1:]:
        cell = row.cells[1]
        shading = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
        fills[cell.text] = shading.get(qn("w:fill")) if shading is not None else None
    assert fills == {"Red": "F4CDC6", "Green": "CCE2D8", "\u2013": None}


def test_the_same_report_gives_the_same_bytes():
    assert render_docx(board_report()) == render_docx(board_report())


def test_chart_png_is_a_repeatable_print_resolution_image():
    chart = board_report().sections[1].blocks[0]
    png = chart_png(chart)
    assert png.startswith(b"\x89PNG") and png == chart_png(chart)
    assert b"Software" not in png  # no matplotlib version stamp
