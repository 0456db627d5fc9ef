"""Render a published Report in a file format, and write the bytes out."""

from __future__ import annotations

from pathlib import Path

from saferhub.errors import ConfigurationError
from saferhub.reports.document import Report
from saferhub.reports.writers import render_docx, render_html, render_pdf, render_xlsx

DOCUMENT_FORMATS = ("html", "xlsx", "pdf", "docx")


def render_document(report: Report, fmt: str) -> bytes:
    """`report` as a standalone HTML page, a workbook, a PDF or a Word document."""
    # Each writer is looked up here at call time, so a test can stand in for a slow one.
    if fmt == "html":
        return render_html(report).encode("utf-8")
    if fmt == "xlsx":
        return render_xlsx(report)
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "docx":
        return render_docx(report)
    raise ConfigurationError(
        f"'{fmt}' is not a report format.", f"Choose one of: {', '.join(DOCUMENT_FORMATS)}."
    )


def write_document(body: bytes, out: str | Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(body)
    return out
