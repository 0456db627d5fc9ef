import re
import shutil
import subprocess
from html.parser import HTMLParser

import openpyxl
import pytest

from saferhub.errors import ConfigurationError
from saferhub.reports.charts import line_chart
from saferhub.reports.document import Report, Section, Table
from saferhub.reports.writers import (
    render_html,
    render_html_fragment,
    render_xlsx,
    sheet_name,
    write_report,
)


def board_pack() -> Report:
    offences = Table(
        "Offences by type",
        ["Offence", "This year", "Last year", "Change"],
        [["Burglary", 12345, 11000, 12.23], ["Robbery", "<5", 7, None]],
        base="All recorded offences (12,350)",
        notes=("Source: police recorded crime.",),
        number_formats={"This year": "int", "Last year": "int", "Change": "pct2"},
    )
    trend = line_chart(
        "Burglary by month",
        ["Jul", "Aug", "Sep"],
        {"This year": [1010, 1020, None], "Last year": [900, 950, 990]},
        "Offences",
        x_label="Month",
        number_format="int",
    )
    return Report(
        "Crime in the borough",
        "Year to September 2023",
        (
            Section("Overview", ("Burglary rose by an eighth.",), (offences,)),
            Section("Trends: burglary / robbery?", (), (trend,)),
        ),
        ("Counts of 1 to 4 are shown as <5 to protect people.",),
    )


class _Outline(HTMLParser):
    """Collects headings in order and the attributes of interesting elements."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        self.elements.append((tag, dict(attrs)))


def outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


def test_html_shows_formatted_figures_captions_base_and_notes():
    html = render_html(board_pack())
    assert '<html lang="en">' in html
    assert "<caption" in html and "Offences by type</caption>" in html
    assert ">12,345</td>" in html
    assert ">12.23%</td>" in html
    assert ">&lt;5</td>" in html
    assert ">\u2013</td>" in html
    assert "Base: All recorded offences (12,350)" in html
    assert "Counts of 1 to 4 are shown as &lt;5 to protect people." in html
    assert "@page" in html and "size: A4" in html


def test_html_tables_have_scoped_headers_and_headings_go_in_order():
    page = outline(render_html(board_pack()))
    scopes = {attrs.get("scope") for tag, attrs in page.elements if tag == "th"}
    assert scopes == {"col", "row"}
    assert page.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False))


def test_html_chart_is_an_inline_labelled_image_followed_by_its_data():
    html = render_html(board_pack())
    page = outline(html)
    svg = next(attrs for tag, attrs in page.elements if tag == "svg")
    assert svg["role"] == "img" and svg["aria-label"] == "Burglary by month"
    assert html.index("<svg") < html.index("Data for the chart: Burglary by month</caption>")
    assert ">1,020</td>" in html


def test_fragment_uses_govuk_classes_and_is_not_a_whole_page():
    fragment = render_html_fragment(board_pack())
    assert "<html" not in fragment and "<style" not in fragment
    for css_class in ("govuk-table", "govuk-heading-xl", "govuk-heading-l", "govuk-body"):
        assert f'class="{css_class}' in fragment or f" {css_class}" in fragment
    assert fragment in render_html(board_pack())


def test_html_escapes_text_from_data():
    report = Report("Crime <b>", sections=(Section("A & B", ("<script>x</script>",)),))
    html = render_html(report)
    assert "<script>x" not in html and "&lt;script&gt;x" in html
    assert "Crime &lt;b&gt;" in html


def test_xlsx_has_about_sheet_one_sheet_per_section_numbers_and_base_notes(tmp_path):
    path = write_report(board_pack(), "xlsx", tmp_path / "pack.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["About", "Overview", "Trends burglary robbery"]
    about = [cell.value for row in workbook["About"].iter_rows() for cell in row]
    assert "Crime in the borough" in about and "Year to September 2023" in about
    assert "Counts of 1 to 4 are shown as <5 to protect people." in about

    overview = {cell.value: cell for row in workbook["Overview"].iter_rows() for cell in row}
    assert overview[12345].number_format == "#,##0"
    # 12.23% is stored as the fraction 0.1223, with a percent format that shows it as 12.23%.
    assert overview[0.1223].number_format == "#,##0.00%"
    assert "<5" in overview
    assert "Base: All recorded offences (12,350)" in overview
    assert overview["This year"].font.bold
    assert workbook["Overview"].freeze_panes == "A6"  # below the table's header row

    trend = [cell.value for row in workbook["Trends burglary robbery"].iter_rows() for cell in row]
    assert "Data for the chart: Burglary by month" in trend
    assert 1020 in trend and 990 in trend


def test_xlsx_is_identical_for_identical_input():
    assert render_xlsx(board_pack()) == render_xlsx(board_pack())


@pytest.mark.parametrize(
    ("title", "taken", "expected"),
    [
        ("Overview", set(), "Overview"),
        ("Trends: a/b [c]?*", set(), "Trends a b c"),
        ("A" * 40, set(), "A" * 31),
        ("Overview", {"overview"}, "Overview (2)"),
        ("B" * 40, {"B" * 31}, "B" * 27 + " (2)"),
        ("'quoted'", set(), "quoted"),
        ("History", set(), "History section"),
        ("???", set(), "Section"),
    ],
)
def test_sheet_names_are_safe_short_and_unique(title, taken, expected):
    name = sheet_name(title, set(taken))
    assert name == expected
    assert len(name) <= 31


def test_html_is_identical_for_identical_input():
    assert render_html(board_pack()) == render_html(board_pack())


def test_pdf_is_a_pdf_with_the_figures_and_is_repeatable(tmp_path):
    first = write_report(board_pack(), "pdf", tmp_path / "pack.pdf")
    second = write_report(board_pack(), "pdf", tmp_path / "again.pdf")
    data = first.read_bytes()
    assert data.startswith(b"%PDF")
    assert data == second.read_bytes()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: PDF text not checked")
    text = subprocess.run(
        ["pdftotext", str(first), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "12,345" in text and "Offences by type" in text


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(ConfigurationError, match="'odt' is not a report format"):
        write_report(board_pack(), "odt", tmp_path / "pack.odt")


def test_write_report_creates_missing_folders(tmp_path):
    out = write_report(board_pack(), "html", tmp_path / "new" / "pack.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_fragment_headings_can_start_below_the_page_heading():
    page = outline(render_html_fragment(board_pack(), heading_level=2))
    assert page.headings[0] == 2 and 1 not in page.headings
    with pytest.raises(ConfigurationError, match="heading_level must be 1, 2 or 3"):
        render_html_fragment(board_pack(), heading_level=5)
