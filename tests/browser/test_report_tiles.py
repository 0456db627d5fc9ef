"""A board report's KPI tiles read well on a phone and pass axe-core.

The standalone report page is opened as it is (no server): at 375 px wide the tiles
reflow to one column, nothing scrolls sideways, and no serious or critical axe finding.
"""

from __future__ import annotations

import pytest

from saferhub.reports.html_writer import render_html
from tests.reports.board_report import board_report

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [375, 1024])
def test_tiles_reflow_and_pass_axe(page, axe, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.set_content(render_html(board_report()))
    tiles = page.locator(".saferhub-tile")
    assert tiles.count() == 3
    boxes = [tiles.nth(i).bounding_box() for i in range(3)]
    if width == 375:
        assert len({round(box["x"]) for box in boxes}) == 1  # one column
    else:
        assert len({round(box["y"]) for box in boxes}) == 1  # one row
    assert all(box["x"] + box["width"] <= width for box in boxes)
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, "the page scrolls sideways"
    assert page.get_by_role("img", name="Last 6 months: from 150 to 166").count() == 1
    assert page.get_by_text("up 3.5%").count() == 1
    axe(page, f"on the report tiles at {width} px")
