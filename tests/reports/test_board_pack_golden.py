"""Golden test: the board pack for Barnet's Safer Communities Partnership Board of
28 November 2023, built from the real MPS files, carries the board's published crime
figures (seed 004) in every format: the JSON, the workbook's cells, the PDF's text and
the Word document's text.

Volumes must match within 1% (later MPS releases revise earlier months; see
tests/measures/test_crime_golden.py); the published % changes within one percentage
point, as a 1% revision of either volume moves a change by up to about two.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook
from tests.measures.test_crime_golden import PUBLISHED, SEED

from saferhub.app.board_pack import CrimeFiles, PackRequest, build_pack, render_pack
from saferhub.rules.periods import Month

pytestmark = [pytest.mark.golden, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

LABELS = {
    "residential_burglary": "Residential Burglary",
    "burglary_business_community": "Burglary Business and Community",
    "robbery_personal_property": "Robbery of Personal Property",
    "violence_with_injury": "Violence with Injury",
}
# What the sentences call a measure, where it is not its label (as seed 004 does).
NOUNS = {"Burglary Business and Community": "Non-Residential Burglary"}
# (measure, window, published % change, seed 004 line that publishes it)
CHANGES = [
    ("residential_burglary", "rolling", 3.5, 312),
    ("residential_burglary", "recent", -2.7, 328),
    ("burglary_business_community", "rolling", 4.3, 338),
    ("burglary_business_community", "recent", 4.2, 354),
    ("robbery_personal_property", "recent", 35.8, 383),
    ("violence_with_injury", "rolling", 2.1, 396),
    ("violence_with_injury", "recent", 6.4, 412),
]
REQUEST = PackRequest(
    area="Barnet",
    meeting=date(2023, 11, 28),
    to=Month(2023, 9),
    period="recent",
    recent_months=4,
    audience="restricted",
    sections=("summary", "dashboard"),
)


@pytest.fixture(scope="module")
def pack(mps_data):
    files = CrimeFiles(
        (mps_data / "borough_10_21.csv", mps_data / "borough_21_23.csv"),
        mps_data / "borough_population_gla2017.csv",
    )
    return build_pack(REQUEST, crime_files=files)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def sentence_figures(text: str, label: str) -> dict[str, float]:
    """The dashboard's sentences for one measure, read back from a document's text."""
    text = re.sub(r"\s+", " ", text)
    label = NOUNS.get(label, label)
    found = {}
    patterns = {
        "recent": rf"There were ([\d,]+) cases of {label} in the 4 months of June 2023 to "
        r"September 2023\. In the same period 12 months prior there were ([\d,]+)\. "
        r"This is an? (increase|decrease) of ([\d.]+)%",
        "rolling": rf"There were ([\d,]+) cases of {label} in Barnet in the 12 months up to "
        r"September 2023\. In the 12 months prior there were ([\d,]+)\. "
        r"This is an? (increase|decrease) of ([\d.]+)%",
    }
    for window, pattern in patterns.items():
        match = re.search(pattern, text)
        if match:
            sign = 1 if match.group(3) == "increase" else -1
            found[window] = _number(match.group(1))
            found[f"{window}_previous"] = _number(match.group(2))
            found[f"{window}_change"] = sign * _number(match.group(4))
    return found


def assert_seed_figures(read) -> None:
    """`read(label)` gives a measure's figures from one format: every seed figure is there."""
    for measure, which, published, line in PUBLISHED:
        if measure not in LABELS:
            continue
        ours = read(LABELS[measure]).get(which)
        assert ours == pytest.approx(published, rel=0.01), f"{SEED} line {line}: {published}"
    for measure, window, published, line in CHANGES:
        ours = read(LABELS[measure]).get(f"{window}_change")
        assert ours == pytest.approx(published, abs=1.0), f"{SEED} line {line}: {published}%"


def test_the_pack_opens_with_the_summary_then_the_dashboard(pack):
    titles = [s.title for s in pack.sections]
    assert titles[:3] == ["Executive summary", "Performance dashboard", "Overview dashboard"]
    assert pack.cover is not None and "28 November 2023" in pack.cover.meeting


def test_summary_quotes_the_seed_figures(pack):
    summary = " ".join(pack.sections[0].paragraphs)
    # Seed 004 line 328: 551 residential burglaries in the 4 months, a decrease of 2.7%.
    assert "Residential Burglary (551, down 2.8% from 567)" in summary
    # Seed 004 line 383: robbery up 35.8% (262 against 193).
    assert re.search(r"Robbery of Personal Property \(26\d, up 35\.\d% from 19\d\)", summary)


def test_json_has_the_seed_figures(pack):
    document = json.loads(render_pack(pack, REQUEST, "json"))
    assert document["board_pack"]["meeting"] == "2023-11-28"
    overview = next(s for s in document["sections"] if s["title"] == "Overview dashboard")
    rows = {row[0]: row for row in overview["blocks"][0]["rows"]}

    def read(label):
        section = next(s for s in document["sections"] if s["title"] == label)
        figures = sentence_figures(" ".join(section["paragraphs"]), label)
        row = rows[label]
        # The table cells must agree with the sentences.
        assert row[2] == figures["recent"] and row[4] == figures["rolling"]
        return {**figures, "recent_change": row[3], "rolling_change": row[5]}

    assert_seed_figures(read)


def test_workbook_cells_have_the_seed_figures(pack):
    book = load_workbook(io.BytesIO(render_pack(pack, REQUEST, "xlsx")))
    numbers_by_label: dict[str, list] = {}
    text = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells = [c for c in row if c is not None]
            text.extend(str(c) for c in cells if isinstance(c, str))
            if cells and isinstance(cells[0], str) and cells[0] in LABELS.values():
                numbers_by_label.setdefault(cells[0], []).append(
                    [c for c in cells if isinstance(c, int | float)]
                )
    whole = " ".join(text)

    def read(label):
        figures = sentence_figures(whole, label)
        numbers = [n for row in numbers_by_label[label] for n in row]
        # Every figure of the sentences is also a number cell of the overview table.
        for key in ("recent", "rolling"):
            assert figures[key] in numbers, f"{label} {key} is not a number cell"
        return figures

    assert_seed_figures(read)


def test_pdf_text_has_the_seed_figures(pack, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: PDF text not checked")
    path = tmp_path / "pack.pdf"
    path.write_bytes(render_pack(pack, REQUEST, "pdf"))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Executive summary" in text
    assert_seed_figures(lambda label: sentence_figures(text, label))


def test_word_text_has_the_seed_figures(pack):
    from docx import Document

    document = Document(io.BytesIO(render_pack(pack, REQUEST, "docx")))
    text = " ".join(p.text for p in document.paragraphs)
    assert_seed_figures(lambda label: sentence_figures(text, label))
