"""An analyst builds a board pack, watches its progress, and opens each download."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from saferhub.demo import insights as demo
from saferhub.rules.periods import Month
from saferhub.web.accounts.models import Role
from tests.factories import UserFactory
from tests.measures.crime_files import varied, write_mps, write_population

FIRST, LAST = Month(2019, 1), Month(2023, 9)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


@pytest.fixture
def pack_data(tmp_path):
    write_mps(tmp_path / demo.CRIME, FIRST, LAST, varied)
    write_population(tmp_path / demo.POPULATION)
    demo.load(tmp_path, {})
    UserFactory(username="the.analyst", role=Role.ANALYST)


def download(page, name):
    with page.expect_download() as info:
        page.get_by_role("link", name=name).click()
    return open(info.value.path(), "rb").read()


def test_analyst_builds_a_pack_watches_it_and_opens_every_download(
    page, live_server, sign_in_browser, axe, pack_data, tmp_path
):
    sign_in_browser(page, "the.analyst")
    page.get_by_role("link", name="Board pack").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Board pack"
    axe(page, "on the board pack form")

    page.get_by_label("Day", exact=True).fill("28")
    page.get_by_label("Month", exact=True).fill("11")
    page.get_by_label("Year", exact=True).fill("2023")
    page.get_by_label("Figures up to and including").select_option("2023-09")
    page.get_by_label("Period to compare with a year earlier").select_option("recent4")
    for label in (
        "Partners' figures (police, CCTV, Prevent, hate crime, ASB)",
        "Integrated Offender Management",
        "Domestic Abuse MARAC",
        "Needs analysis headlines",
        "CS MARAC and other panels",
        "Action plan",
        "Forward plan",
    ):
        page.get_by_label(label).uncheck()
    page.get_by_role("button", name="Build the pack").click()

    # The page answers at once with the build's progress, then turns into the pack.
    assert page.get_by_role("status").is_visible()
    page.get_by_text("The pack is ready.").wait_for(timeout=90_000)
    assert page.get_by_role("heading", name="Executive summary").is_visible()
    axe(page, "on the built pack")

    pdf = download(page, "PDF")
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        path = tmp_path / "pack.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Executive summary" in text and "Residential Burglary" in text
    book = load_workbook(io.BytesIO(download(page, "Excel workbook")))
    assert len(book.worksheets) > 3
    from docx import Document

    document = Document(io.BytesIO(download(page, "Word document")))
    assert "Executive summary" in " ".join(p.text for p in document.paragraphs)
