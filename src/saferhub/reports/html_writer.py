"""A `Report` as HTML: a web-page fragment with GOV.UK Frontend classes, and a standalone page.

- `render_html_fragment`: the report body, for the web app to include inside its own layout;
- `render_html`: a standalone, accessible page (inline CSS that styles those classes
  without the GOV.UK stylesheet, and prints on A4 with each section on a new page).

`page_html(report, for_print=True)` is the page the PDF writer prints: it opens with the
cover and contents when the report has a cover, and draws charts as images (see `_chart`).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import pickle
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path

from django.template import Context, Engine
from django.utils.safestring import SafeString

from saferhub.errors import ConfigurationError
from saferhub.reports.document import Block, Chart, Report, Table, Tiles
from saferhub.reports.rag import rag_tag_class
from saferhub.reports.sparkline import sparkline_svg
from saferhub.reports.tile_text import tile_text

TEMPLATES = Path(__file__).parent / "templates"
WIDE_COLUMNS = 6
# GOV.UK Frontend look for the classes the fragment uses, so the standalone page and the PDF
# read well without the GOV.UK stylesheet. Colours meet WCAG AA contrast on white.
REPORT_CSS = (TEMPLATES / "reports" / "report.css").read_text(encoding="utf-8")


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
    rag_index = table.columns.index(table.rag_column) if table.rag_column else None
    return {
        "caption": caption or table.title,
        # Many columns do not fit an A4 page at the normal size: print them smaller.
        "wide": len(table.columns) > WIDE_COLUMNS,
        "columns": [
            {"title": column, "numeric": numeric[i] and i > 0}
            for i, column in enumerate(table.columns)
        ],
        "rows": [
            [
                {
                    "text": text,
                    "numeric": numeric[i],
                    "tag": rag_tag_class(value) if i == rag_index else None,
                }
                for i, (value, text) in enumerate(zip(values, texts, strict=True))
            ]
            for values, texts in zip(table.rows, table.formatted_rows(), strict=True)
        ],
        "base": table.base,
        "notes": table.notes,
    }


def _svg_data_uri(svg: str) -> str:
    if "xmlns=" not in svg.split(">", 1)[0]:
        svg = svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _chart(chart: Chart, for_print: bool) -> dict:
    # In print the chart is an <img> of the same SVG: WeasyPrint then styles the page's
    # elements without the thousands of SVG nodes, a third faster for a dashboard, and the
    # image keeps the chart's title as its text alternative.
    return {
        "title": chart.title,
        "svg": chart.svg,
        "image": _svg_data_uri(chart.svg) if for_print else None,
    }


def _tiles_context(tiles: Tiles, for_print: bool) -> dict:
    cards = []
    for tile in tiles.tiles:
        text = tile_text(tile)
        svg = sparkline_svg(tile.sparkline, text.trend) if text.trend else ""
        cards.append(
            {
                "text": text,
                "tag": rag_tag_class(tile.rag),
                "sparkline": svg if not for_print else "",
                "sparkline_image": _svg_data_uri(svg) if svg and for_print else "",
            }
        )
    return {"title": tiles.title, "cards": cards}


def _block_context(block: Block, for_print: bool) -> dict:
    if isinstance(block, Chart):
        return {
            "kind": "chart",
            "chart": _chart(block, for_print),
            "table": _table_context(block.table, f"Data for the chart: {block.title}"),
        }
    if isinstance(block, Tiles):
        return {"kind": "tiles", "tiles": _tiles_context(block, for_print)}
    return {"kind": "table", "table": _table_context(block)}


# Each block's HTML, by everything it is made from. A page rebuilt after a change that left
# most of its tables and charts alone (one measure's figures, say) renders only the blocks
# that changed: rendering the others again through the template engine cost a good share of
# the page. Bounded, and shared by the threads of a process.
BLOCKS_KEPT = 512
_blocks: OrderedDict[bytes, SafeString] = OrderedDict()
_blocks_lock = threading.Lock()


def _block_key(block: Block, for_print: bool, level: int) -> bytes | None:
    try:
        content = pickle.dumps((block, for_print, level), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None  # something unpicklable: render it each time
    return hashlib.blake2b(content, digest_size=16).digest()


def _block_html(block: Block, for_print: bool, level: int) -> SafeString:
    key = _block_key(block, for_print, level)
    if key is not None:
        with _blocks_lock:
            found = _blocks.get(key)
            if found is not None:
                _blocks.move_to_end(key)
                return found
    html = _render(
        "reports/block.html", {"block": _block_context(block, for_print), "block_heading": level}
    )
    if key is not None:
        with _blocks_lock:
            _blocks[key] = html
            while len(_blocks) > BLOCKS_KEPT:
                _blocks.popitem(last=False)
    return html


def _section_ids(report: Report) -> Iterator[str]:
    """Each section's element id, unique in the page (the contents page links to them)."""
    used: set[str] = set()
    for number, section in enumerate(report.sections, start=1):
        section_id = f"section-{number}-{_slug(section.title)}"
        while section_id in used:
            section_id += "-x"
        used.add(section_id)
        yield section_id


def _sections(report: Report, for_print: bool, block_heading: int) -> list[dict]:
    return [
        {
            "id": section_id,
            "title": section.title,
            "paragraphs": section.paragraphs,
            "blocks": [_block_html(block, for_print, block_heading) for block in section.blocks],
        }
        for section, section_id in zip(report.sections, _section_ids(report), strict=True)
    ]


def _fragment(report: Report, heading_level: int, for_print: bool) -> SafeString:
    if heading_level not in (1, 2, 3):
        raise ConfigurationError(f"heading_level must be 1, 2 or 3, not {heading_level}.")
    return _render(
        "reports/fragment.html",
        {
            "report": report,
            "sections": _sections(report, for_print, heading_level + 2),
            # A printed cover carries the title and subtitle; the body does not repeat them.
            "show_title": not (for_print and report.cover),
            "top": heading_level,
            "sub": heading_level + 1,
        },
    )


def render_html_fragment(report: Report, heading_level: int = 1) -> SafeString:
    """The report body as HTML with GOV.UK Frontend classes, for embedding in a page.

    Rendered by a Django template with autoescaping, so the result is safe to include
    as it is. The caller's layout supplies the stylesheet. The report title is an <h1>
    and the sections <h2>; a page that has its own <h1> passes `heading_level=2` to move
    every heading one level down. Each chart's SVG and each tile's sparkline are the
    pieces not escaped: matplotlib escapes the text it writes (reports/charts.py) and a
    sparkline holds only numbers and its escaped name.
    """
    return _fragment(report, heading_level, for_print=False)


def page_html(report: Report, *, for_print: bool = False) -> str:
    """The standalone page; `for_print` gives the PDF's version (cover, contents, images)."""
    print_cover = for_print and report.cover is not None
    return str(
        _render(
            "reports/page.html",
            {
                "report": report,
                "css": REPORT_CSS,
                "cover": report.cover if print_cover else None,
                "contents": [
                    {"id": section_id, "title": section.title}
                    for section, section_id in zip(
                        report.sections, _section_ids(report), strict=True
                    )
                ]
                if print_cover
                else (),
                "fragment": _fragment(report, 1, for_print),
            },
        )
    )


def render_html(report: Report) -> str:
    """A standalone HTML page: inline CSS, no external files, printable on A4."""
    return page_html(report)
