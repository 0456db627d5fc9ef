"""A `Report` as PDF: the standalone HTML page printed by WeasyPrint, tagged for screen readers.

With a cover, the PDF opens on a cover page and a contents page whose page numbers
WeasyPrint fills in (`target-counter`); every page has "Page N of M" in its footer.
Charts print as images of their SVG (see `html_writer._chart`), which keeps the text
of the SVG but spares WeasyPrint styling each of its elements as part of the page.
"""

from __future__ import annotations

import os
from datetime import UTC

from saferhub.reports.document import Report
from saferhub.reports.fixed_time import FIXED_TIMESTAMP
from saferhub.reports.html_writer import page_html


def render_pdf(report: Report) -> bytes:
    """The report's print page as PDF: A4, tagged, the same bytes for the same report."""
    # WeasyPrint stamps each embedded font subset with the time unless SOURCE_DATE_EPOCH is set
    # (the reproducible-builds convention, read by fontTools); a value already set is kept.
    os.environ.setdefault(
        "SOURCE_DATE_EPOCH", str(int(FIXED_TIMESTAMP.replace(tzinfo=UTC).timestamp()))
    )
    from weasyprint import HTML  # imported here: loading Pango costs time HTML and XLSX don't need

    # A fixed first identifier; by default WeasyPrint derives one from the clock.
    return HTML(string=page_html(report, for_print=True)).write_pdf(
        pdf_identifier=b"saferhub-report", pdf_tags=True
    )
