"""A `Report` as a Word document (.docx), for board papers that circulate in Word.

The document has the report's title and subtitle; with a cover, a cover page (meeting,
period, audience, who prepared it) and a contents list; a Heading 1 per section and a
Heading 2 per table, chart and tile grid, so Word's navigation pane and a screen reader
can move through it. Figures show exactly as `format_cell` shows them in HTML. Each chart
is a PNG redrawn from its data table (`charts.chart_png`) followed by that table. Table
header rows repeat on every page, and RAG cells keep their word with the tag colour as
shading. The same report gives the same bytes.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from saferhub.reports.charts import chart_png
from saferhub.reports.document import Chart, Cover, Report, Section, Table, Tiles
from saferhub.reports.fixed_time import FIXED_TIMESTAMP
from saferhub.reports.rag import rag_fill
from saferhub.reports.safe_cells import repack_zip
from saferhub.reports.tile_text import tile_text

IMAGE_WIDTH = Cm(16)  # the text width of an A4 page with Word's default margins
TILE_COLUMNS = ("Measure", "Value", "Change", "Rate", "Rank", "RAG", "Trend")


def render_docx(report: Report) -> bytes:
    """The Word document's bytes."""
    document = Document()
    _set_properties(document, report)
    _base_font(document)
    if report.cover:
        _cover(document, report, report.cover)
    else:
        document.add_heading(report.title, level=0)
        if report.subtitle:
            document.add_paragraph(report.subtitle, style="Subtitle")
    for section in report.sections:
        _section(document, section)
    if report.notes:
        document.add_heading("Notes", level=1)
        for note in report.notes:
            document.add_paragraph(note, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    # python-docx dates each file in the package with the clock; the zip is repacked so
    # the same report gives the same bytes.
    return repack_zip(buffer.getvalue(), FIXED_TIMESTAMP)


def _set_properties(document, report: Report) -> None:
    properties = document.core_properties
    properties.title = report.title
    properties.subject = report.subtitle
    properties.author = "SaferHub"
    properties.last_modified_by = "SaferHub"
    properties.created = FIXED_TIMESTAMP
    properties.modified = FIXED_TIMESTAMP
    properties.last_printed = FIXED_TIMESTAMP
    properties.revision = 1
    properties.comments = ""


def _base_font(document) -> None:
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)


def _cover(document, report: Report, cover: Cover) -> None:
    if cover.meeting:
        document.add_paragraph(cover.meeting, style="Subtitle")
    document.add_heading(report.title, level=0)
    if report.subtitle:
        document.add_paragraph(report.subtitle, style="Subtitle")
    for label, value in (
        ("Period", cover.period),
        ("Audience", cover.audience),
        ("Prepared by", cover.prepared_by),
    ):
        if value:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
    document.add_page_break()
    document.add_heading("Contents", level=1)
    for section in report.sections:
        document.add_paragraph(section.title, style="List Number")
    document.add_page_break()


def _section(document, section: Section) -> None:
    document.add_heading(section.title, level=1)
    for paragraph in section.paragraphs:
        document.add_paragraph(paragraph)
    for block in section.blocks:
        if isinstance(block, Chart):
            document.add_heading(block.title, level=2)
            picture = document.add_paragraph()
            picture.add_run().add_picture(io.BytesIO(chart_png(block)), width=IMAGE_WIDTH)
            _caption(document, f"Data for the chart: {block.title}")
            _table(document, block.table)
        elif isinstance(block, Tiles):
            document.add_heading(block.title, level=2)
            _tiles(document, block)
        else:
            document.add_heading(block.title, level=2)
            _table(document, block)


def _caption(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(text).bold = True


def _table(document, table: Table) -> None:
    numeric = [table.is_numeric_column(i) for i in range(len(table.columns))]
    rag_index = table.columns.index(table.rag_column) if table.rag_column else None
    rows = [
        [(text, value) for text, value in zip(texts, values, strict=True)]
        for texts, values in zip(table.formatted_rows(), table.rows, strict=True)
    ]
    _grid(document, table.columns, rows, numeric, rag_index)
    if table.base:
        _small(document, f"Base: {table.base}")
    for note in table.notes:
        _small(document, note)


def _tiles(document, tiles: Tiles) -> None:
    rows = []
    for tile in tiles.tiles:
        text = tile_text(tile)
        change = f"{text.change} ({text.change_label})" if text.change_label else text.change
        rows.append(
            [
                (text.label, None),
                (text.value, None),
                (change, None),
                (text.rate, None),
                (text.rank, None),
                (text.rag or "", tile.rag),
                (text.trend, None),
            ]
        )
    numeric = [False, True, False, False, False, False, False]
    _grid(document, list(TILE_COLUMNS), rows, numeric, TILE_COLUMNS.index("RAG"))


def _grid(document, columns, rows, numeric, rag_index) -> None:
    """A table with a bold header row that repeats on each page; `rows` hold (text, value)."""
    grid = document.add_table(rows=1, cols=len(columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    header = grid.rows[0]
    _repeat_as_header(header)
    for index, (cell, title) in enumerate(zip(header.cells, columns, strict=True)):
        _write_cell(cell, title, bold=True, right=numeric[index] and index > 0)
    for values in rows:
        cells = grid.add_row().cells
        for index, (cell, (text, value)) in enumerate(zip(cells, values, strict=True)):
            _write_cell(cell, text, bold=index == 0, right=numeric[index] and index > 0)
            if index == rag_index and (fill := rag_fill(value)):
                _shade(cell, fill)


def _write_cell(cell, text: str, *, bold: bool, right: bool) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.add_run(text).bold = bold
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _small(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(text).font.size = Pt(9)


__all__ = ["render_docx"]
