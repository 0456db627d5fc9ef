"""Charts print to PDF without a flood of WeasyPrint warnings.

matplotlib writes each SVG element's look in a `style` attribute; WeasyPrint's CSS parser
does not know SVG properties there and warned about every one ("Ignored `stroke: …`"),
tens of thousands of lines for one crime dashboard PDF.
"""

from __future__ import annotations

import logging

from saferhub.reports.charts import bar_chart, line_chart
from saferhub.reports.document import Report, Section
from saferhub.reports.writers import render_pdf


def test_a_pdf_with_charts_prints_no_css_warnings(caplog):
    charts = (
        line_chart("Offences by month", ["Jan", "Feb", "Mar"], {"Barnet": [3, 5, None]}, "n"),
        bar_chart("Members by tier", ["Red", "Amber"], {"Now": [4, 2], "Before": [3, 3]}, "n"),
    )
    report = Report("Charts", sections=(Section("Figures", blocks=charts),))
    with caplog.at_level(logging.WARNING):
        pdf = render_pdf(report)
    assert pdf.startswith(b"%PDF")
    ignored = [r.getMessage() for r in caplog.records if "Ignored" in r.getMessage()]
    assert ignored == []


def test_chart_styles_become_svg_attributes_that_keep_the_look():
    svg = line_chart("Offences", ["Jan", "Feb"], {"Barnet": [3, 5]}, "n").svg
    assert "style=" not in svg
    assert 'stroke="' in svg and 'fill="' in svg
    assert 'text-anchor="middle"' in svg
