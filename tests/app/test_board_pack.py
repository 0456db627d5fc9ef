"""The board pack: its sections in the board's order, the executive summary's sentences
and the public version's disclosure control, from small hand-made crime files."""

from __future__ import annotations

import html
import io
import json
import re
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import load_workbook

from saferhub.app.board_pack import CrimeFiles, PackRequest, build_pack, render_pack
from saferhub.errors import ConfigurationError
from saferhub.reports.document import Tiles, format_cell
from saferhub.rules.periods import Month
from tests.app.test_formats_agree import crime_counts, figures, pdf_text, workbook_values
from tests.measures.crime_files import DOMESTIC, ROBBERY, write_mps, write_population

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

MEETING = date(2023, 11, 28)
TO = Month(2023, 9)


def moving(area, category, month):
    """Barnet's residential burglaries double from July 2023; its robberies halve."""
    if area == "Barnet" and category == DOMESTIC:
        return 20 if month >= Month(2023, 7) else 10
    if area == "Barnet" and category == ROBBERY:
        return 10 if month >= Month(2023, 7) else 20
    return 30


def files(folder, counts) -> CrimeFiles:
    mps = write_mps(folder / "mps.csv", Month(2019, 1), TO, counts)
    return CrimeFiles((mps,), write_population(folder / "population.csv"))


@pytest.fixture(scope="module")
def moving_files(tmp_path_factory):
    return files(tmp_path_factory.mktemp("moving"), moving)


def request_for(**changes) -> PackRequest:
    values = dict(
        area="Barnet",
        meeting=MEETING,
        to=TO,
        period="quarter",
        audience="restricted",
        sections=("summary", "dashboard"),
    )
    values.update(changes)
    return PackRequest(**values)


def test_sections_come_in_the_boards_order_whatever_order_they_are_asked_in(moving_files):
    request = request_for(sections=("dashboard", "summary"))
    assert request.sections == ("summary", "dashboard")
    steps = []
    pack = build_pack(request, crime_files=moving_files, progress=lambda p, s: steps.append(p))
    titles = [s.title for s in pack.sections]
    assert titles[:3] == ["Executive summary", "Performance dashboard", "Overview dashboard"]
    assert titles[-1] == "Crime: method and definitions"
    assert steps == sorted(steps) and steps[-1] == 90
    assert "Restricted" in pack.cover.audience


def test_summary_says_what_improved_worsened_is_red_and_was_unusual(moving_files):
    pack = build_pack(request_for(), crime_files=moving_files)
    summary = pack.sections[0].paragraphs
    worsened = next(p for p in summary if p.startswith("Worsened"))
    improved = next(p for p in summary if p.startswith("Improved"))
    # July to September 2023: 3 x 20 = 60 against 3 x 10 = 30 a year earlier.
    assert "Residential Burglary (60, up 100.0% from 30)" in worsened
    assert "Robbery of Personal Property (30, down 50.0% from 60)" in improved
    # Rolling 12 months 150 against 120, and the quarter up too: both the wrong way.
    red = next(p for p in summary if " Red: " in p)
    assert "Residential Burglary" in red and "Robbery" not in red
    assert any(
        re.match(r"Residential Burglary was unusually high in July 2023 \(20 against", p)
        for p in summary
    )


def test_dashboard_tiles_carry_volume_change_rate_rank_rag_and_twelve_months(moving_files):
    pack = build_pack(request_for(), crime_files=moving_files)
    tiles = next(b for b in pack.sections[1].blocks if isinstance(b, Tiles))
    tile = next(t for t in tiles.tiles if t.label == "Residential Burglary")
    assert tile.value == 60 and tile.change_pct == pytest.approx(100.0)
    assert tile.rag == "Red" and tile.rank == "1/32 in London, 1/3 in North West BCU"
    assert tile.sparkline == (10.0,) * 9 + (20.0,) * 3
    assert tile.rate is not None


def test_half_year_compares_six_months(moving_files):
    pack = build_pack(
        request_for(period="half", meeting=date(2023, 11, 5)), crime_files=moving_files
    )
    assert pack.cover.meeting.endswith(", 5 November 2023")
    assert "April 2023 to September 2023" in pack.sections[0].paragraphs[0]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period": "year"}, "is not a period"),
        ({"period": "recent", "recent_months": 5}, "3 or 4 months"),
        ({"audience": "everyone"}, "is not a pack audience"),
        ({"sections": ("summary", "gossip")}, "Unknown section: gossip"),
        ({"to": Month(2023, 11)}, "not complete before the meeting"),
        ({"area": "Gotham"}, "is not one of the 32 London boroughs"),
    ],
)
def test_a_bad_request_is_refused_with_a_plain_message(changes, message):
    with pytest.raises(ConfigurationError, match=message):
        request_for(**changes)


# --- The public pack ------------------------------------------------------------------


@pytest.fixture(scope="module")
def public_pack(tmp_path_factory):
    request = request_for(audience="public")
    pack = build_pack(request, crime_files=files(tmp_path_factory.mktemp("small"), crime_counts))
    return request, pack


def small_counts(values) -> list:
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 4]


def test_public_pack_json_has_no_count_of_one_to_four(public_pack):
    request, pack = public_pack
    document = json.loads(render_pack(pack, request, "json"))
    found = []
    for section in document["sections"]:
        for block in section["blocks"]:
            if block["kind"] == "tiles":
                found += small_counts(tile["value"] for tile in block["tiles"])
                continue
            table = block["table"] if block["kind"] == "chart" else block
            formats = table["number_formats"]
            for row in table["rows"]:
                for column, cell in zip(table["columns"], row, strict=True):
                    if formats.get(column, "int") == "int":
                        found += small_counts([cell])
    assert found == []
    assert "<5" in json.dumps(document)  # the small business burglaries are hidden


def test_public_pack_workbook_and_page_have_no_count_of_one_to_four(public_pack):
    request, pack = public_pack
    book = load_workbook(io.BytesIO(render_pack(pack, request, "xlsx")))
    found = [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.number_format == "#,##0" and small_counts([cell.value])
    ]
    assert found == []
    page = render_pack(pack, request, "html").decode("utf-8")
    assert not re.search(r"<td[^>]*>\s*[1-4]\s*</td>", page)
    assert "&lt;5" in page


def test_public_pack_shows_the_same_figures_in_every_format(public_pack, tmp_path):
    request, pack = public_pack
    page = render_pack(pack, request, "html").decode("utf-8")
    cells = workbook_values(render_pack(pack, request, "xlsx"))
    text = pdf_text(render_pack(pack, request, "pdf"), tmp_path)
    # The tiles are drawn differently by each writer: their volumes are checked on their
    # own, and every table's figures cell by cell.
    tiles = [b for s in pack.sections for b in s.blocks if isinstance(b, Tiles)]
    tables_only = replace(
        pack,
        sections=tuple(
            replace(s, blocks=tuple(b for b in s.blocks if not isinstance(b, Tiles)))
            for s in pack.sections
        ),
    )
    shown = figures(tables_only)
    shown += [(t.value, format_cell(t.value, "int"), t.value) for grid in tiles for t in grid.tiles]
    assert shown and tiles
    document = json.loads(render_pack(pack, request, "json"))
    assert document["sections"] == json.loads(json.dumps(pack.to_dict()["sections"]))
    for raw, formatted, stored in shown:
        assert html.escape(formatted) in page, f"{formatted} is not in the HTML"
        expected = round(stored, 6) if isinstance(stored, float) else stored
        assert expected in cells, f"{raw!r} is not in the workbook"
        assert formatted in text, f"{formatted} is not in the PDF"


def test_public_pack_word_document_has_no_count_of_one_to_four(public_pack):
    from docx import Document

    request, pack = public_pack
    document = Document(io.BytesIO(render_pack(pack, request, "docx")))
    cells = [c.text.strip() for t in document.tables for row in t.rows for c in row.cells]
    assert cells and not [c for c in cells if c in {"1", "2", "3", "4"}]
    assert "<5" in cells
