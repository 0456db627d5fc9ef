"""Render a `Report` in every output format, and write one to a file.

Every output is drawn from the same `Report`, so the figures agree everywhere:

- `render_html_fragment`, `render_html`: HTML (reports/html_writer.py);
- `render_pdf`: the HTML printed by WeasyPrint (reports/pdf_writer.py);
- `render_xlsx`: an Excel workbook with native charts (reports/xlsx_writer.py);
- `render_docx`: a Word document (reports/docx_writer.py);
- `write_report(report, "html" | "xlsx" | "pdf" | "docx", out)`: writes one of the files.

The same input gives the same bytes in every format.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from saferhub.errors import ConfigurationError
from saferhub.reports.document import Report, excel_number_format
from saferhub.reports.docx_writer import render_docx
from saferhub.reports.fixed_time import FIXED_TIMESTAMP
from saferhub.reports.html_writer import render_html, render_html_fragment
from saferhub.reports.pdf_writer import render_pdf
from saferhub.reports.xlsx_writer import render_xlsx, sheet_name

Format = Literal["html", "xlsx", "pdf", "docx"]
FORMATS: tuple[str, ...] = ("html", "xlsx", "pdf", "docx")


def _html_bytes(report: Report) -> bytes:
    return render_html(report).encode("utf-8")  # no newline translation


RENDERERS: dict[str, Callable[[Report], bytes]] = {
    "html": _html_bytes,
    "xlsx": render_xlsx,
    "pdf": render_pdf,
    "docx": render_docx,
}


def render_bytes(report: Report, fmt: str) -> bytes:
    """`report` in format `fmt` as the file's bytes."""
    if fmt not in FORMATS:
        raise ConfigurationError(
            f"'{fmt}' is not a report format.", f"Choose one of: {', '.join(FORMATS)}."
        )
    return RENDERERS[fmt](report)


def write_report(report: Report, fmt: Format, out: Path) -> Path:
    """Write `report` to `out` in the given format and return the path written."""
    body = render_bytes(report, fmt)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(body)
    return out


__all__ = [
    "FIXED_TIMESTAMP",
    "FORMATS",
    "excel_number_format",
    "render_bytes",
    "render_docx",
    "render_html",
    "render_html_fragment",
    "render_pdf",
    "render_xlsx",
    "sheet_name",
    "write_report",
]
