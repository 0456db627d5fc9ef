"""The workbook a board member opens: native charts, RAG fills, real numbers, a contents sheet."""

from __future__ import annotations

import io

import openpyxl
import pytest
from openpyxl.chart import BarChart, LineChart
from tests.reports.board_report import board_report

from saferhub.reports.document import Report, Section
from saferhub.reports.safe_cells import new_workbook, put, put_sheet_link, workbook_bytes
from saferhub.reports.xlsx_writer import render_xlsx


def workbook(report: Report) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))


def cells(sheet) -> dict:
    return {cell.value: cell for row in sheet.iter_rows() for cell in row if cell.value is not None}


def test_each_chart_is_a_native_chart_of_the_kind_drawn_beside_its_numbers():
    sheet = workbook(board_report())["Trends"]
    kinds = sorted(type(chart).__name__ for chart in sheet._charts)
    assert kinds == ["BarChart", "LineChart"]
    bar = next(c for c in sheet._charts if isinstance(c, BarChart))
    line = next(c for c in sheet._charts if isinstance(c, LineChart))
    assert bar.type == "bar" and len(bar.series) == 1
    assert len(line.series) == 2  # this year and last year
    assert not line.x_axis.delete and not line.y_axis.delete  # Excel draws the axes
    found = cells(sheet)
    assert found[1020].data_type == "n" and found[1020].number_format == "#,##0"
    assert "Data for the chart: Burglary by month" in found


def test_percentages_are_fractions_with_a_percent_format():
    found = cells(workbook(board_report())["Summary"])
    assert found[0.0347].number_format == "#,##0.0%"  # 3.47% shows as 3.5%, as in HTML
    assert found[-0.0204].number_format == "#,##0.0%"
    solved = cells(workbook(board_report())["Trends"])
    assert solved[0.3025].number_format == "#,##0.0%"


def test_rag_cells_keep_their_word_and_get_the_tag_colour():
    sheet = workbook(board_report())["Summary"]
    rag = [
        (cell.value, cell.fill.fgColor.rgb[-6:] if cell.fill.fill_type else None)
        for row in sheet.iter_rows()
        for cell in row
        if cell.value in ("Red", "Amber", "Green")
    ]
    # The tiles' table first, then the measures table.
    assert rag == [
        ("Red", "F4CDC6"),
        ("Green", "CCE2D8"),
        ("Amber", "FFF7BF"),
        ("Red", "F4CDC6"),
        ("Green", "CCE2D8"),
    ]


def test_tiles_are_a_table_of_one_row_per_tile_with_numbers():
    sheet = workbook(board_report())["Summary"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=5, max_row=8)]
    assert rows[0][:3] == ["Measure", "Value", "Change"]
    assert rows[1][:3] == ["Residential burglary", 1936, 0.0347]
    assert rows[3][1] == 0.285  # a tile whose value is a percentage
    assert sheet["B8"].number_format == "#,##0.0%"


def test_panes_freeze_below_the_first_header_row_not_above_the_title():
    book = workbook(board_report())
    # Summary: title, paragraph, blank, tile grid title, header on row 5.
    assert book["Summary"].freeze_panes == "A6"
    assert book["Summary"]["A5"].value == "Measure"
    assert book["Trends"].freeze_panes == "A5"
    assert book["Trends"]["A4"].value == "Month"


def test_with_a_cover_the_first_sheet_is_contents_linking_every_section():
    book = workbook(board_report())
    assert book.sheetnames == ["Contents", "Summary", "Trends"]
    found = cells(book["Contents"])
    assert "Safer Communities Partnership Board, 28 November 2023" in found
    assert "Restricted: partnership members only" in found
    links = {
        row[0].value: row[0].hyperlink for row in book["Contents"].iter_rows() if row[0].hyperlink
    }
    assert {name: link.location for name, link in links.items()} == {
        "Summary": "'Summary'!A1",
        "Trends": "'Trends'!A1",
    }
    assert all(link.target is None for link in links.values())  # nothing outside the file


def test_without_a_cover_the_first_sheet_is_about():
    assert workbook(board_report(cover=None)).sheetnames[0] == "About"


def test_the_same_report_gives_the_same_bytes():
    assert render_xlsx(board_report()) == render_xlsx(board_report())


def test_a_link_out_of_the_workbook_is_refused():
    book = new_workbook("Sheet")
    put(book.active, 1, 1, "click").hyperlink = "https://example.org/?leak"
    with pytest.raises(ValueError, match="links outside the workbook"):
        workbook_bytes(book)


def test_an_empty_section_has_no_frozen_panes():
    report = Report("R", sections=(Section("Empty", ("Nothing yet.",)),))
    assert workbook(report)["Empty"].freeze_panes is None


def test_a_sheet_link_goes_only_to_a_sheet_of_the_same_workbook():
    book = new_workbook("Contents")
    book.create_sheet("Bob's figures")
    cell = put_sheet_link(book.active, 1, 1, "=see", "Bob's figures")
    assert cell.data_type == "s" and cell.quotePrefix  # the text is still never a formula
    assert cell.hyperlink.location == "'Bob''s figures'!A1"
    with pytest.raises(ValueError, match="No sheet named"):
        put_sheet_link(book.active, 2, 1, "elsewhere", "Missing")
    reopened = openpyxl.load_workbook(io.BytesIO(workbook_bytes(book)))
    assert reopened["Contents"]["A1"].hyperlink.location == "'Bob''s figures'!A1"
