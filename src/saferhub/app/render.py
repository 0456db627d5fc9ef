"""Render a published Report in a file format, and write the bytes out."""

from __future__ import annotations

from pathlib import Path

from saferhub.reports.document import Report
from saferhub.reports.writers import FORMATS, render_bytes

DOCUMENT_FORMATS = FORMATS  # ("html", "xlsx", "pdf", "docx")


def render_document(report: Report, fmt: str) -> bytes:
    """`report` as a standalone HTML page, a workbook, a PDF or a Word document."""
    return render_bytes(report, fmt)


def write_document(body: bytes, out: str | Path) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(body)
    return out
