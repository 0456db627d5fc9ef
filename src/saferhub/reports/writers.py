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

import os
import re
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Literal

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
REPORT_CSS = """\
html { font-family: Arial, "Helvetica Neue", Helvetica, sans-serif; color: #0b0c0c;
  background: #ffffff; font-size: 16px; line-height: 1.35; }
body { margin: 0; }
.govuk-width-container { max-width: 960px; margin: 0 auto; padding: 0 15px 40px; }
.govuk-heading-xl { font-size: 2.25rem; font-weight: 700; margin: 1.5rem 0 1rem; line-height: 1.1; }
.govuk-heading-l { font-size: 1.75rem; font-weight: 700; margin: 2rem 0 1rem; line-height: 1.15; }
.govuk-heading-m { font-size: 1.35rem; font-weight: 700; margin: 1.5rem 0 0.75rem; }
.govuk-heading-s { font-size: 1.1rem; font-weight: 700; margin: 1rem 0 0.5rem; display: block; }
.govuk-body-l { font-size: 1.25rem; margin: 0 0 1.25rem; }
.govuk-body { font-size: 1rem; margin: 0 0 1rem; max-width: 44em; }
.govuk-body-s { font-size: 0.875rem; margin: 0 0 0.75rem; color: #505a5f; }
.govuk-list { font-size: 1rem; margin: 0 0 1rem; padding-left: 1.25rem; }
.govuk-list li { margin-bottom: 0.35rem; }
.govuk-table { width: 100%; border-collapse: collapse; border-spacing: 0; margin: 0 0 0.5rem;
  font-size: 0.95rem; }
.govuk-table__caption { text-align: left; font-weight: 700; font-size: 1.1rem;
  padding-bottom: 0.5rem; }
.govuk-table__header, .govuk-table__cell { padding: 0.45rem 1rem 0.45rem 0; text-align: left;
  vertical-align: top; border-bottom: 1px solid #b1b4b6; }
.govuk-table__header { font-weight: 700; }
.govuk-table__header--numeric, .govuk-table__cell--numeric { text-align: right;
  font-variant-numeric: tabular-nums; }
.govuk-table__header:last-child, .govuk-table__cell:last-child { padding-right: 0; }
.saferhub-base { margin-top: 0.25rem; }
.saferhub-note { margin-top: -0.5rem; }
.saferhub-chart { margin: 1.5rem 0 2rem; }
.saferhub-chart__image svg { display: block; max-width: 100%; height: auto;
  margin-bottom: 0.75rem; }
.saferhub-section > .govuk-table, .saferhub-section > figure { margin-top: 1.25rem; }
@page { size: A4; margin: 16mm 15mm 18mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages);
    font-family: Arial, sans-serif; font-size: 9pt; color: #505a5f; } }
@media print {
  html { font-size: 10.5pt; }
  .govuk-width-container { max-width: none; padding: 0; }
  .saferhub-section + .saferhub-section:not(.saferhub-notes) { break-before: page; }
  .govuk-heading-l, .govuk-heading-m, .govuk-table__caption, figcaption { break-after: avoid; }
  .govuk-table thead { display: table-header-group; }
  .govuk-table tr, .saferhub-chart__image { break-inside: avoid; }
}
"""


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


def _e(text: str) -> str:
    return escape(text, quote=True)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _table_html(table: Table, caption: str | None = None) -> str:
    numeric = [table.is_numeric_column(i) for i in range(len(table.columns))]
    cells = table.formatted_rows()

    def header_class(i: int) -> str:
        extra = " govuk-table__header--numeric" if numeric[i] and i > 0 else ""
        return f"govuk-table__header{extra}"

    parts = [
        '<table class="govuk-table">',
        '<caption class="govuk-table__caption govuk-table__caption--s">'
        f"{_e(caption or table.title)}</caption>",
        '<thead class="govuk-table__head"><tr class="govuk-table__row">',
    ]
    parts += [
        f'<th scope="col" class="{header_class(i)}">{_e(column)}</th>'
        for i, column in enumerate(table.columns)
    ]
    parts.append('</tr></thead><tbody class="govuk-table__body">')
    for row in cells:
        parts.append('<tr class="govuk-table__row">')
        for i, text in enumerate(row):
            if i == 0:
                # The first column labels the row, so screen readers announce it with each figure.
                parts.append(f'<th scope="row" class="govuk-table__header">{_e(text)}</th>')
            else:
                css = "govuk-table__cell" + (" govuk-table__cell--numeric" if numeric[i] else "")
                parts.append(f'<td class="{css}">{_e(text)}</td>')
        parts.append("</tr>")
    parts.append("</tbody></table>")
    if table.base:
        parts.append(f'<p class="govuk-body-s saferhub-base">Base: {_e(table.base)}</p>')
    parts += [f'<p class="govuk-body-s saferhub-note">{_e(note)}</p>' for note in table.notes]
    return "".join(parts)


def _chart_html(chart: Chart) -> str:
    return (
        '<figure class="saferhub-chart">'
        f'<figcaption class="govuk-heading-s">{_e(chart.title)}</figcaption>'
        f'<div class="saferhub-chart__image">{chart.svg.strip()}</div>'
        f"{_table_html(chart.table, f'Data for the chart: {chart.title}')}"
        "</figure>"
    )


def _section_html(section: Section, section_id: str, level: int) -> str:
    parts = [
        f'<section class="saferhub-section" aria-labelledby="{section_id}">',
        f'<h{level} class="govuk-heading-l" id="{section_id}">{_e(section.title)}</h{level}>',
    ]
    parts += [f'<p class="govuk-body">{_e(paragraph)}</p>' for paragraph in section.paragraphs]
    for block in section.blocks:
        parts.append(_chart_html(block) if isinstance(block, Chart) else _table_html(block))
    parts.append("</section>")
    return "\n".join(parts)


def render_html_fragment(report: Report, heading_level: int = 1) -> str:
    """The report body as HTML with GOV.UK Frontend classes, for embedding in a page.

    The caller's layout supplies the stylesheet. The report title is an <h1> and the
    sections <h2>; a page that has its own <h1> passes `heading_level=2` to move
    every heading one level down.
    All text is escaped except each chart's SVG, which the chart helpers build.
    """
    if heading_level not in (1, 2, 3):
        raise ConfigurationError(f"heading_level must be 1, 2 or 3, not {heading_level}.")
    top, sub = heading_level, heading_level + 1
    parts = [
        '<article class="saferhub-report">',
        f'<h{top} class="govuk-heading-xl">{_e(report.title)}</h{top}>',
    ]
    if report.subtitle:
        parts.append(f'<p class="govuk-body-l">{_e(report.subtitle)}</p>')
    used: set[str] = set()
    for number, section in enumerate(report.sections, start=1):
        section_id = f"section-{number}-{_slug(section.title)}"
        while section_id in used:
            section_id += "-x"
        used.add(section_id)
        parts.append(_section_html(section, section_id, sub))
    if report.notes:
        parts.append(
            '<section class="saferhub-section saferhub-notes" aria-labelledby="report-notes">'
            f'<h{sub} class="govuk-heading-m" id="report-notes">Notes</h{sub}>'
            '<ul class="govuk-list govuk-list--bullet">'
            + "".join(f"<li>{_e(note)}</li>" for note in report.notes)
            + "</ul></section>"
        )
    parts.append("</article>")
    return "\n".join(parts) + "\n"


def render_html(report: Report) -> str:
    """A standalone HTML page: inline CSS, no external files, printable on A4."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(report.title)}</title>\n<style>\n{REPORT_CSS}</style>\n</head>\n"
        '<body>\n<main class="govuk-width-container" id="main-content">\n'
        f"{render_html_fragment(report)}</main>\n</body>\n</html>\n"
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
