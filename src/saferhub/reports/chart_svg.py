"""A drawn matplotlib figure as the inline SVG a report page carries.

matplotlib writes a standalone SVG file; a page holds many charts inline, read by browsers,
screen readers and WeasyPrint's PDF renderer, so the file is trimmed and adjusted for that.
"""

from __future__ import annotations

import hashlib
import io
import re
from html import escape

from matplotlib.figure import Figure

_STYLE = re.compile(r'\sstyle="([^"]*)"')


def _presentation_attributes(match: re.Match[str]) -> str:
    """`style="fill: none; stroke: #000"` as `fill="none" stroke="#000"`.

    Every property matplotlib writes is also an SVG presentation attribute, which browsers
    and WeasyPrint's SVG renderer both read; WeasyPrint's CSS parser would instead warn
    about each one in a style attribute ("Ignored `stroke`…"), thousands of lines per PDF.
    """
    attributes = []
    for declaration in match.group(1).split(";"):
        name, _, value = declaration.partition(":")
        if name.strip() and value.strip():
            quoted = value.strip().replace('"', "&quot;")
            attributes.append(f' {name.strip()}="{quoted}"')
    return "".join(attributes)


def to_svg(figure: Figure, title: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # the XML prolog and doctype are not allowed inline in HTML
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    # matplotlib's "*{...}" style rule would reach every element of the page the SVG sits in;
    # the same settings as attributes on the root element reach only this chart.
    svg = re.sub(r"\s*<defs>\s*<style[^>]*>[^<]*</style>\s*</defs>", "", svg)
    # matplotlib numbers its ids from 1 in every file ("axes_1"); a page with several charts
    # needs them unique, so prefix them with a digest of the chart itself.
    prefix = "c" + hashlib.sha256((title + svg).encode()).hexdigest()[:10] + "-"
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}\1)", svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}\1"', svg)
    svg = _STYLE.sub(_presentation_attributes, svg)
    name = escape(title, quote=True)
    svg = re.sub(
        r"<svg\b([^>]*)>",
        lambda match: (
            f'<svg{match.group(1)} stroke-linejoin="round" stroke-linecap="butt" '
            f'role="img" aria-label="{name}"><title>{name}</title>'
        ),
        svg,
        count=1,
    )
    return svg.strip() + "\n"
