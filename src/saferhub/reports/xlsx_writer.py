"""A `Report` as an Excel workbook: a first sheet about the report, then one sheet per section.

- Numbers are stored as numbers with the Excel number format that shows them as the HTML
  does; percentages as fractions (0.1401) with a percent format, so sums and averages work.
- Each chart is a native Excel chart drawn from its data table, written beside it.
- RAG cells keep their word and get the GOV.UK tag colour as a fill.
- The panes freeze below the header row of a sheet's first table, so the title, the
  paragraphs and that header stay in view while scrolling.
- With a cover, the first sheet is "Contents": the cover's details and a link to each sheet.

Every value goes through `safe_cells`, so text from the data is never a formula.
"""

from __future__ import annotations

import re

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from saferhub.reports.document import (
    Chart,
    Report,
    Section,
    Table,
    Tiles,
    excel_number_format,
    excel_value,
    format_cell,
)
from saferhub.reports.fixed_time import FIXED_TIMESTAMP
from saferhub.reports.rag import rag_fill
from saferhub.reports.safe_cells import new_workbook, put, put_sheet_link, workbook_bytes
from saferhub.reports.tile_text import CHANGE_FORMAT, RATE_FORMAT, trend_words

_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_LIMIT = 31  # Excel refuses longer sheet names
_BOLD = Font(bold=True)
_HEADER_RULE = Border(bottom=Side(style="thin", color="0B0C0C"))
_CHART_WIDTH_CM = 18
_CHART_ROW_CM = 0.53  # a default row's height, to size a chart to its table
TILE_COLUMNS = [
    "Measure",
    "Value",
    "Change",
    "Change compares",
    "Rate",
    "Rate per",
    "Rank",
    "RAG",
    "Trend",
]
CONVENTIONS = (
    "Percentages are stored as fractions with a percent format: 14.01% is stored as 0.1401, "
    "so sums and averages of them work.",
    "Empty cells have no value.",
    'Counts hidden to protect people show as "<5" (a count from 1 to 4) or as "[c]" '
    "(hidden so that a small count cannot be worked out from the totals).",
    "RAG statuses are written as words (Red, Amber, Green); the cell colour repeats the word.",
)


def render_xlsx(report: Report) -> bytes:
    """The workbook's bytes, the same for the same report."""
    workbook = _build_workbook(report)
    workbook.properties.creator = "SaferHub"
    return workbook_bytes(workbook, fixed_time=FIXED_TIMESTAMP)


def sheet_name(title: str, taken: set[str]) -> str:
    """An Excel-safe sheet name for `title`, unique (ignoring case) among `taken`; adds it there."""
    base = _INVALID_SHEET_CHARS.sub(" ", title)
    base = re.sub(r"\s+", " ", base).strip().strip("'").strip() or "Section"
    if base.lower() == "history":  # reserved by Excel
        base = "History section"
    name = base[:_SHEET_NAME_LIMIT].rstrip()
    counter = 2
    while name.lower() in {t.lower() for t in taken}:
        suffix = f" ({counter})"
        name = base[: _SHEET_NAME_LIMIT - len(suffix)].rstrip() + suffix
        counter += 1
    taken.add(name)
    return name


def _build_workbook(report: Report):  # -> openpyxl Workbook, made by safe_cells
    first = "Contents" if report.cover else "About"
    workbook = new_workbook(first)
    taken: set[str] = {first}
    names = [sheet_name(section.title, taken) for section in report.sections]
    for section, name in zip(report.sections, names, strict=True):
        _write_section_sheet(workbook.create_sheet(name), section)
    _write_first_sheet(workbook.active, report, names)
    return workbook


def _write_first_sheet(about: Worksheet, report: Report, names: list[str]) -> None:
    put(about, 1, 1, report.title).font = Font(bold=True, size=16)
    row = 2
    if report.subtitle:
        put(about, row, 1, report.subtitle)
        row += 1
    if report.cover:
        cover = report.cover
        for label, value in (
            ("Meeting", cover.meeting),
            ("Period", cover.period),
            ("Audience", cover.audience),
            ("Prepared by", cover.prepared_by),
        ):
            if value:
                put(about, row, 1, label).font = _BOLD
                put(about, row, 2, value)
                row += 1
    row += 1
    if report.sections:
        put(about, row, 1, "Sheets in this workbook").font = _BOLD
        row += 1
        for section, name in zip(report.sections, names, strict=True):
            put_sheet_link(about, row, 1, name, name)
            put(about, row, 2, section.title)
            row += 1
        row += 1
    if report.notes:
        put(about, row, 1, "Notes").font = _BOLD
        row += 1
        for note in report.notes:
            put(about, row, 1, note)
            row += 1
        row += 1
    put(about, row, 1, "Reading the figures").font = _BOLD
    for offset, text in enumerate(CONVENTIONS, start=1):
        put(about, row + offset, 1, text)
    about.column_dimensions["A"].width = 34
    about.column_dimensions["B"].width = 60


def _write_section_sheet(sheet: Worksheet, section: Section) -> None:
    put(sheet, 1, 1, section.title).font = Font(bold=True, size=14)
    row = 2
    for paragraph in section.paragraphs:
        put(sheet, row, 1, paragraph)
        row += 1
    row += 1
    widths: dict[int, int] = {}
    header_rows: list[int] = []
    for block in section.blocks:
        value_formats = None
        if isinstance(block, Chart):
            table, title = block.table, f"Data for the chart: {block.title}"
        elif isinstance(block, Tiles):
            table, title = _tiles_table(block), block.title
            value_formats = [tile.number_format for tile in block.tiles]
        else:
            table, title = block, block.title
        put(sheet, row, 1, title).font = Font(bold=True, size=12)
        row += 1
        header_rows.append(row)
        end = _write_table(sheet, table, row, widths, value_formats)
        if isinstance(block, Chart):
            _add_chart(sheet, block, row, end - 1)
        row = end
        if table.base:
            put(sheet, row, 1, f"Base: {table.base}").font = Font(italic=True)
            row += 1
        for note in table.notes:
            put(sheet, row, 1, note).font = Font(italic=True)
            row += 1
        row += 1
        if isinstance(block, Chart):
            # Leave room below the data for the chart beside it, so the next table starts after.
            row = max(row, header_rows[-1] + _chart_rows(block) + 1)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 10), 60)
    if header_rows:
        # Below the first table's header: the titles above it and its header stay in view.
        sheet.freeze_panes = f"A{header_rows[0] + 1}"


def _tiles_table(tiles: Tiles) -> Table:
    """A tile grid as a table: one row per tile, the change as a percent, RAG as a word."""
    rows = [
        [
            tile.label,
            tile.value,
            tile.change_pct,
            tile.change_label,
            tile.rate,
            tile.rate_label,
            tile.rank,
            tile.rag,
            trend_words(tile),
        ]
        for tile in tiles.tiles
    ]
    return Table(
        tiles.title,
        TILE_COLUMNS,
        rows,
        number_formats={"Change": CHANGE_FORMAT, "Rate": RATE_FORMAT},
        rag_column="RAG",
    )


def _write_table(
    sheet: Worksheet,
    table: Table,
    row: int,
    widths: dict[int, int],
    value_formats: list[str | None] | None = None,
) -> int:
    """Write the header and rows starting at `row`; return the next free row.

    `value_formats`: a number format per row for the second column (a tile grid's values,
    each tile with its own format).
    """
    numeric = [table.is_numeric_column(i) for i in range(len(table.columns))]
    rag_index = table.columns.index(table.rag_column) if table.rag_column else None
    for index, column in enumerate(table.columns, start=1):
        cell = put(sheet, row, index, column)
        cell.font = _BOLD
        cell.border = _HEADER_RULE
        cell.alignment = Alignment(
            horizontal="right" if numeric[index - 1] and index > 1 else "left",
            vertical="bottom",
            wrap_text=True,
        )
        widths[index] = max(widths.get(index, 0), min(len(column), 30))
    for number, (values, texts) in enumerate(zip(table.rows, table.formatted_rows(), strict=True)):
        row += 1
        for index, (value, text) in enumerate(zip(values, texts, strict=True), start=1):
            number_format = table.format_of(index - 1)
            if value_formats is not None and index == 2:
                number_format = value_formats[number]
                text = format_cell(value, number_format)
            # Numbers stay numbers so people can compute with them; Excel shows them as we do.
            cell = put(sheet, row, index, excel_value(value, number_format))
            if isinstance(value, int | float):
                cell.number_format = excel_number_format(value, number_format)
            elif isinstance(value, str) and numeric[index - 1]:
                cell.alignment = Alignment(horizontal="right")
            if index - 1 == rag_index and (fill := rag_fill(value)):
                cell.fill = PatternFill(fill_type="solid", start_color=fill, end_color=fill)
            if index == 1:
                cell.font = _BOLD
            widths[index] = max(widths.get(index, 0), len(text))
    return row + 1


def _chart_rows(chart: Chart) -> int:
    return max(16, len(chart.table.rows) + 2) if chart.kind == "bar" else 16


def _add_chart(sheet: Worksheet, chart: Chart, header_row: int, last_row: int) -> None:
    """A native chart of the table just written (header at `header_row`), placed beside it."""
    table = chart.table
    if chart.kind == "line":
        drawn = LineChart()
    else:
        drawn = BarChart()
        drawn.type = "bar" if chart.kind == "bar" else "col"
        drawn.grouping = "clustered"
        if chart.kind == "bar":
            drawn.y_axis.scaling.orientation = "minMax"
            drawn.x_axis.scaling.orientation = "maxMin"  # top to bottom, as the table lists
            drawn.y_axis.crosses = "max"  # and the value axis stays at the bottom
    drawn.title = chart.title
    drawn.style = 10
    series_columns = len(table.columns)
    data = Reference(sheet, min_col=2, max_col=series_columns, min_row=header_row, max_row=last_row)
    labels = Reference(sheet, min_col=1, min_row=header_row + 1, max_row=last_row)
    drawn.add_data(data, titles_from_data=True)
    drawn.set_categories(labels)
    formats = {table.format_of(i) for i in range(1, series_columns)}
    if len(formats) == 1 and (only := formats.pop()) is not None:
        drawn.y_axis.number_format = excel_number_format(0.0, only)
    drawn.y_axis.title = chart.value_label or None
    # openpyxl 3.1 marks axes as deleted unless told otherwise; Excel would draw no axes.
    drawn.x_axis.delete = False
    drawn.y_axis.delete = False
    drawn.legend.position = "b" if series_columns > 2 else drawn.legend.position
    if series_columns == 2:
        drawn.legend = None
    drawn.width = _CHART_WIDTH_CM
    drawn.height = _chart_rows(chart) * _CHART_ROW_CM
    sheet.add_chart(drawn, f"{get_column_letter(series_columns + 2)}{header_row - 1}")


__all__ = ["CONVENTIONS", "render_xlsx", "sheet_name"]
