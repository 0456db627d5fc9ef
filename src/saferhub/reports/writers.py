"""Render a `Report` as a standalone HTML page, a web-page fragment, XLSX or PDF.

Every output is drawn from the same `Report`, so the figures agree everywhere:

- `render_html_fragment`: the report body with GOV.UK Frontend classes, for the web app
  to mark safe and include inside its own layout;
- `render_html`: a standalone, accessible page (inline CSS that styles those classes
  without the GOV.UK stylesheet, and prints on A4 with each section on a new page);
- `write_report(report, "html" | "xlsx" | "pdf", out)`: writes one of the files.

The same input gives the same bytes for HTML, XLSX and PDF.
"""

from __future__ import annotations

import functools
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from django.template import Context, Engine
from django.utils.safestring import SafeString
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from saferhub.errors import ConfigurationError
from saferhub.reports.document import Chart, Report, Section, Table, excel_number_format
from saferhub.reports.safe_cells import new_workbook, put, workbook_bytes

Format = Literal["html", "xlsx", "pdf"]
FORMATS: tuple[str, ...] = ("html", "xlsx", "pdf")

# A fixed timestamp for file metadata, so identical input gives identical bytes.
# Naive on purpose: Excel core properties are naive UTC.
FIXED_TIMESTAMP = datetime(2000, 1, 1)


# GOV.UK Frontend look for the classes the fragment uses, so the standalone page and the PDF
# read well without the GOV.UK stylesheet. Colours meet WCAG AA contrast on white.
TEMPLATES = Path(__file__).parent / "templates"
WIDE_COLUMNS = 6
REPORT_CSS = (TEMPLATES / "reports" / "report.css").read_text(encoding="utf-8")


def write_report(report: Report, fmt: Format, out: Path) -> Path:
    """Write `report` to `out` in the given format and return the path written."""
    if fmt not in FORMATS:
        raise ConfigurationError(
            f"'{fmt}' is not a report format.", f"Choose one of: {', '.join(FORMATS)}."
        )
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        out.write_bytes(render_html(report).encode("utf-8"))  # no newline translation
    elif fmt == "xlsx":
        out.write_bytes(render_xlsx(report))
    else:
        out.write_bytes(render_pdf(report))
    return out


# ---------------------------------------------------------------------------------------------
# HTML


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


@functools.cache
def _engine() -> Engine:
    # A standalone engine: the CLI renders reports without setting up Django, and
    # autoescaping means no text from the data can become markup.
    return Engine(dirs=[str(TEMPLATES)], autoescape=True)


def _render(name: str, context: dict) -> SafeString:
    return _engine().get_template(name).render(Context(context, autoescape=True, use_l10n=False))


def _table_context(table: Table, caption: str | None = None) -> dict:
    numeric = [table.is_numeric_column(i) for i in range(len(table.columns))]
    return {
        "caption": caption or table.title,
        # Many columns do not fit an A4 page at the normal size: print them smaller.
        "wide": len(table.columns) > WIDE_COLUMNS,
        "columns": [
            {"title": column, "numeric": numeric[i] and i > 0}
            for i, column in enumerate(table.columns)
        ],
        "rows": [
            [{"text": text, "numeric": numeric[i]} for i, text in enumerate(row)]
            for row in table.formatted_rows()
        ],
        "base": table.base,
        "notes": table.notes,
    }


def _block_context(block: Table | Chart) -> dict:
    if isinstance(block, Chart):
        return {
            "chart": block,
            "table": _table_context(block.table, f"Data for the chart: {block.title}"),
        }
    return {"chart": None, "table": _table_context(block)}


def render_html_fragment(report: Report, heading_level: int = 1) -> SafeString:
    """The report body as HTML with GOV.UK Frontend classes, for embedding in a page.

    Rendered by a Django template with autoescaping, so the result is safe to include
    as it is. The caller's layout supplies the stylesheet. The report title is an <h1>
    and the sections <h2>; a page that has its own <h1> passes `heading_level=2` to move
    every heading one level down. Each chart's SVG is the one piece not escaped: it is
    drawn by matplotlib, which escapes the text it writes (reports/charts.py).
    """
    if heading_level not in (1, 2, 3):
        raise ConfigurationError(f"heading_level must be 1, 2 or 3, not {heading_level}.")
    used: set[str] = set()
    sections = []
    for number, section in enumerate(report.sections, start=1):
        section_id = f"section-{number}-{_slug(section.title)}"
        while section_id in used:
            section_id += "-x"
        used.add(section_id)
        sections.append(
            {
                "id": section_id,
                "title": section.title,
                "paragraphs": section.paragraphs,
                "blocks": [_block_context(block) for block in section.blocks],
            }
        )
    return _render(
        "reports/fragment.html",
        {
            "report": report,
            "sections": sections,
            "top": heading_level,
            "sub": heading_level + 1,
        },
    )


def render_html(report: Report) -> str:
    """A standalone HTML page: inline CSS, no external files, printable on A4."""
    return str(
        _render(
            "reports/page.html",
            {"report": report, "css": REPORT_CSS, "fragment": render_html_fragment(report)},
        )
    )


# ---------------------------------------------------------------------------------------------
# PDF


def render_pdf(report: Report) -> bytes:
    """The standalone HTML printed to PDF by WeasyPrint, tagged for screen readers."""
    # WeasyPrint stamps each embedded font subset with the time unless SOURCE_DATE_EPOCH is set
    # (the reproducible-builds convention, read by fontTools); a value already set is kept.
    os.environ.setdefault(
        "SOURCE_DATE_EPOCH", str(int(FIXED_TIMESTAMP.replace(tzinfo=UTC).timestamp()))
    )
    from weasyprint import HTML  # imported here: loading Pango costs time HTML and XLSX don't need

    # A fixed first identifier; by default WeasyPrint derives one from the clock.
    return HTML(string=render_html(report)).write_pdf(
        pdf_identifier=b"saferhub-report", pdf_tags=True
    )


# ---------------------------------------------------------------------------------------------
# XLSX


def render_xlsx(report: Report) -> bytes:
    """An Excel workbook: an "About" sheet, then one sheet per section.

    Every value goes through `safe_cells.put`, so text from the data is never a formula.
    """
    workbook = _build_workbook(report)
    workbook.properties.creator = "SaferHub"
    return workbook_bytes(workbook, fixed_time=FIXED_TIMESTAMP)


_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_LIMIT = 31  # Excel refuses longer sheet names
_BOLD = Font(bold=True)
_HEADER_RULE = Border(bottom=Side(style="thin", color="0B0C0C"))


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
    workbook = new_workbook("About")
    about = workbook.active
    taken: set[str] = {"About"}
    names = [sheet_name(section.title, taken) for section in report.sections]

    put(about, 1, 1, report.title).font = Font(bold=True, size=16)
    row = 2
    if report.subtitle:
        put(about, row, 1, report.subtitle)
        row += 1
    row += 1
    if report.sections:
        put(about, row, 1, "Sheets in this workbook").font = _BOLD
        row += 1
        for section, name in zip(report.sections, names, strict=True):
            put(about, row, 1, name)
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
    conventions = (
        "Percentages are stored as percent numbers: 14.01 means 14.01%.",
        "Empty cells have no value.",
        'Counts hidden to protect people show as "<5" (a count from 1 to 4) or as "[c]" '
        "(hidden so that a small count cannot be worked out from the totals).",
    )
    put(about, row, 1, "Reading the figures").font = _BOLD
    for offset, text in enumerate(conventions, start=1):
        put(about, row + offset, 1, text)
    about.column_dimensions["A"].width = 34
    about.column_dimensions["B"].width = 60

    for section, name in zip(report.sections, names, strict=True):
        _write_section_sheet(workbook.create_sheet(name), section)
    return workbook


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
        if isinstance(block, Chart):
            table = block.table
            title = f"Data for the chart: {block.title}"
        else:
            table, title = block, block.title
        put(sheet, row, 1, title).font = Font(bold=True, size=12)
        if isinstance(block, Chart):
            row += 1
            put(
                sheet, row, 1, "The chart is in the HTML and PDF versions of this report."
            ).font = Font(italic=True)
        row += 1
        header_rows.append(row)
        row = _write_table(sheet, table, row, widths)
        if table.base:
            put(sheet, row, 1, f"Base: {table.base}").font = Font(italic=True)
            row += 1
        for note in table.notes:
            put(sheet, row, 1, note).font = Font(italic=True)
            row += 1
        row += 1
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 10), 60)
    # With one table, keep its header in view while scrolling; with several, keep the title.
    sheet.freeze_panes = f"A{header_rows[0] + 1}" if len(header_rows) == 1 else "A2"


def _write_table(sheet: Worksheet, table: Table, row: int, widths: dict[int, int]) -> int:
    """Write the header and rows starting at `row`; return the next free row."""
    numeric = [table.is_numeric_column(i) for i in range(len(table.columns))]
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
    for values, texts in zip(table.rows, table.formatted_rows(), strict=True):
        row += 1
        for index, (value, text) in enumerate(zip(values, texts, strict=True), start=1):
            # Numbers stay numbers so people can compute with them; Excel shows them as we do.
            cell = put(sheet, row, index, value)
            if isinstance(value, int | float):
                cell.number_format = excel_number_format(value, table.format_of(index - 1))
            elif isinstance(value, str) and numeric[index - 1]:
                cell.alignment = Alignment(horizontal="right")
            if index == 1:
                cell.font = _BOLD
            widths[index] = max(widths.get(index, 0), len(text))
    return row + 1


__all__ = [
    "FORMATS",
    "excel_number_format",
    "render_html",
    "render_html_fragment",
    "render_pdf",
    "render_xlsx",
    "write_report",
]
