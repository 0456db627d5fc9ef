"""A small hand-built report with every block type, a cover and RAG statuses."""

from __future__ import annotations

from saferhub.reports.charts import bar_chart, line_chart
from saferhub.reports.document import Cover, Report, Section, Table, Tile, Tiles

COVER = Cover(
    meeting="Safer Communities Partnership Board, 28 November 2023",
    period="Figures to September 2023",
    audience="Restricted: partnership members only",
    prepared_by="Community safety analyst",
)


def tiles() -> Tiles:
    return Tiles(
        "At a glance",
        (
            Tile(
                "Residential burglary",
                1936,
                "int",
                change_pct=3.47,
                change_label="12 months to Sep 2023 vs year before",
                rate=2.4123,
                rate_label="per 1,000 households",
                rank="5/32 in London",
                rag="Red",
                sparkline=(150, 160, None, 170, 158, 166),
            ),
            Tile("Robbery", 262, "int", change_pct=-2.04, rag="Green", sparkline=(20, 18, 17)),
            Tile("Repeat victims", 28.5, "pct1", change_pct=0.0, rag="Amber"),
        ),
    )


def overview() -> Table:
    return Table(
        "Measures against target",
        ["Measure", "RAG", "This year", "Change"],
        [
            ["Residential burglary", "Red", 1936, 3.47],
            ["Robbery", "Green", 262, -2.04],
            ["Shoplifting", None, "<5", None],
        ],
        number_formats={"This year": "int", "Change": "pct1"},
        rag_column="RAG",
        base="All recorded offences",
    )


def board_report(cover: Cover | None = COVER) -> Report:
    months = ["Jul", "Aug", "Sep"]
    burglary = {"This year": [1010, 1020, None], "Last year": [900, 950, 990]}
    trend = line_chart("Burglary by month", months, burglary, "Offences", x_label="Month")
    share = bar_chart(
        "Share solved",
        ["Burglary", "Robbery"],
        {"Solved": [12.5, 30.25]},
        "Percent",
        horizontal=True,
        number_format="pct1",
    )
    return Report(
        "Partnership board pack",
        "Year to September 2023",
        (
            Section("Summary", ("Burglary rose slightly.",), (tiles(), overview())),
            Section("Trends", (), (trend, share)),
        ),
        ("Counts of 1 to 4 are shown as <5 to protect people.",),
        cover=cover,
    )
