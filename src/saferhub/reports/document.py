"""The result objects every report output renders: tables, charts, sections, reports.

A measure area builds one `Report`; the writers turn that same object into HTML,
XLSX, PDF or a web-page fragment, so no output re-computes a number.

Cell values are `str | int | float | None`:

- numbers are stored unformatted, as computed;
- percentages are stored as the percent number, not a fraction: 14.01 means 14.01%;
- `None` means "no value" and shows as an en dash (U+2013);
- strings are shown as they are, e.g. "<5" for a suppressed count or "n/a".

`Table.number_formats` maps a column name to how its numbers are shown:

| format  | example value | shown as  | Excel number format |
|---------|---------------|-----------|---------------------|
| "int"   | 12345         | 12,345    | #,##0               |
| "pct1"  | 14.01         | 14.0%     | #,##0.0%            |
| "pct2"  | 14.01         | 14.01%    | #,##0.00%           |
| "rate1" | 3.25          | 3.3       | #,##0.0             |
| "rate2" | 3.256         | 3.26      | #,##0.00            |

Columns without a format show integers with thousands separators and other
numbers to two decimal places. A workbook stores a percentage as a fraction (0.1401) with a
percent number format, so Excel's arithmetic on it is right (`excel_value`). Rounding is
half away from zero, as Excel does, so the HTML and the spreadsheet show the same digits.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from saferhub.errors import ConfigurationError

Cell = str | int | float | None

CHART_KINDS = ("bar", "column", "line")
RAG_STATUSES = ("Red", "Amber", "Green")

MISSING = "\u2013"  # en dash: reads as "no value" without looking like a zero or a minus

# format name -> (decimal places, suffix, Excel number format)
NUMBER_FORMATS: dict[str, tuple[int, str, str]] = {
    "int": (0, "", "#,##0"),
    "pct1": (1, "%", "#,##0.0%"),
    "pct2": (2, "%", "#,##0.00%"),
    "rate1": (1, "", "#,##0.0"),
    "rate2": (2, "", "#,##0.00"),
}
PERCENT_FORMATS = frozenset({"pct1", "pct2"})
_DEFAULT_INT = (0, "", "#,##0")
_DEFAULT_FLOAT = (2, "", "#,##0.00")


def _spec(value: int | float, number_format: str | None) -> tuple[int, str, str]:
    if number_format is not None:
        return NUMBER_FORMATS[number_format]
    return _DEFAULT_INT if isinstance(value, int) else _DEFAULT_FLOAT


def format_cell(value: Cell, number_format: str | None = None) -> str:
    """Show one cell as text, following the conventions in this module's docstring."""
    if value is None:
        return MISSING
    if isinstance(value, str):
        return value
    places, suffix, _ = _spec(value, number_format)
    # Decimal from repr() rounds the number as written (14.005 -> 14.01), not its binary value.
    quantum = Decimal(1).scaleb(-places)
    exact = (
        Decimal(int(value)) if isinstance(value, numbers.Integral) else Decimal(repr(float(value)))
    )
    rounded = exact.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never show "-0.0"
    return f"{rounded:,.{places}f}{suffix}"


def excel_number_format(value: int | float, number_format: str | None = None) -> str:
    """The Excel number format that shows `value` as `format_cell` does."""
    return _spec(value, number_format)[2]


def excel_value(value: Cell, number_format: str | None = None) -> Cell:
    """The value a workbook stores: a percentage as a fraction (14.01 -> 0.1401), for the
    percent number format of `excel_number_format`; every other cell as it is."""
    if number_format in PERCENT_FORMATS and isinstance(value, int | float):
        # Decimal keeps the digits as written (14.01 -> 0.1401, not 0.14009999999999997).
        return float(Decimal(repr(float(value))) / 100)
    return value


def _normalise_cell(value: Any, where: str) -> Cell:
    # Measures hand over numpy and pandas scalars; store plain Python values so every
    # writer and JSON sees the same types.
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise ConfigurationError(f"{where} is a true/false value; give a number or text.")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return None if math.isnan(number) else number
    raise ConfigurationError(
        f"{where} is a {type(value).__name__}; a cell must be text, a number or empty."
    )


def _text_tuple(values: Any, where: str) -> tuple[str, ...]:
    if isinstance(values, str):
        raise ConfigurationError(f"{where} must be a list of texts, not a single text.")
    result = tuple(values)
    for index, value in enumerate(result, start=1):
        if not isinstance(value, str):
            raise ConfigurationError(f"{where} item {index} is not text.")
    return result


def _require_title(title: Any, kind: str) -> None:
    if not isinstance(title, str) or not title.strip():
        raise ConfigurationError(f"A {kind} needs a non-empty title.")


@dataclass(frozen=True)
class Table:
    """A titled grid of cells; the first column labels the rows."""

    title: str
    columns: list[str]
    rows: list[list[Cell]]
    base: str | None = None  # who the figures are out of, e.g. "% of all assessed people (835)"
    notes: tuple[str, ...] = ()
    number_formats: dict[str, str] = field(default_factory=dict)
    # A column of RAG statuses ("Red", "Amber", "Green"): writers colour its cells and keep
    # the word, so the status never depends on colour alone.
    rag_column: str | None = None

    def __post_init__(self) -> None:
        _require_title(self.title, "table")
        name = f"Table '{self.title}'"
        columns = list(self.columns)
        if not columns:
            raise ConfigurationError(f"{name} has no columns.")
        for index, column in enumerate(columns, start=1):
            if not isinstance(column, str) or not column.strip():
                raise ConfigurationError(f"{name}: column {index} needs a text heading.")
        rows: list[list[Cell]] = []
        for row_number, row in enumerate(self.rows, start=1):
            if isinstance(row, str) or len(row) != len(columns):
                size = "text" if isinstance(row, str) else f"{len(row)} cells"
                raise ConfigurationError(
                    f"{name}, row {row_number} has {size}; expected {len(columns)} "
                    f"(one per column: {', '.join(columns)})."
                )
            rows.append(
                [
                    _normalise_cell(cell, f"{name}, row {row_number}, column '{column}'")
                    for cell, column in zip(row, columns, strict=True)
                ]
            )
        formats = dict(self.number_formats)
        for column, number_format in formats.items():
            if column not in columns:
                raise ConfigurationError(
                    f"{name}: number format given for '{column}', which is not a column."
                )
            if number_format not in NUMBER_FORMATS:
                raise ConfigurationError(
                    f"{name}: column '{column}' has unknown number format '{number_format}'.",
                    f"Use one of: {', '.join(NUMBER_FORMATS)}.",
                )
        if self.base is not None and not isinstance(self.base, str):
            raise ConfigurationError(f"{name}: the base must be text.")
        if self.rag_column is not None and self.rag_column not in columns:
            raise ConfigurationError(f"{name}: the RAG column '{self.rag_column}' is not a column.")
        # Copies, so a caller changing its own lists later cannot change a built table.
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "number_formats", formats)
        object.__setattr__(self, "notes", _text_tuple(self.notes, f"{name} notes"))

    def format_of(self, column_index: int) -> str | None:
        return self.number_formats.get(self.columns[column_index])

    def formatted_rows(self) -> list[list[str]]:
        """Every cell as display text."""
        formats = [self.format_of(i) for i in range(len(self.columns))]
        return [
            [format_cell(cell, fmt) for cell, fmt in zip(row, formats, strict=True)]
            for row in self.rows
        ]

    def is_numeric_column(self, column_index: int) -> bool:
        """True when the column holds figures (so it is right-aligned), even if some are "<5"."""
        if self.format_of(column_index) is not None:
            return True
        return any(isinstance(row[column_index], int | float) for row in self.rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "table",
            "title": self.title,
            "columns": list(self.columns),
            "rows": [list(row) for row in self.rows],
            "base": self.base,
            "notes": list(self.notes),
            "number_formats": dict(self.number_formats),
            "rag_column": self.rag_column,
        }


@dataclass(frozen=True)
class Chart:
    """A server-rendered SVG chart and the table of the data it draws."""

    title: str
    svg: str
    table: Table
    # How a spreadsheet or Word writer redraws it from `table`: "line" (a series over time,
    # the first column the periods), "bar" (categories down the first column) or "column".
    kind: str = "bar"
    value_label: str = ""  # the value axis's label, e.g. "Offences", for redrawn charts

    def __post_init__(self) -> None:
        _require_title(self.title, "chart")
        if self.kind not in CHART_KINDS:
            raise ConfigurationError(
                f"Chart '{self.title}': kind '{self.kind}' is not one of {', '.join(CHART_KINDS)}."
            )
        if not isinstance(self.svg, str) or not self.svg.lstrip().startswith("<svg"):
            raise ConfigurationError(
                f"Chart '{self.title}': the image must be inline SVG starting with <svg."
            )
        if not isinstance(self.table, Table):
            raise ConfigurationError(f"Chart '{self.title}' needs its data as a Table.")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "chart",
            "title": self.title,
            "svg": self.svg,
            "table": self.table.to_dict(),
            "chart_kind": self.kind,
            "value_label": self.value_label,
        }


@dataclass(frozen=True)
class Tile:
    """One measure at a glance: its volume, change, rate, rank, RAG status and recent trend."""

    label: str
    value: Cell
    number_format: str | None = None
    change_pct: float | None = None  # % change against the comparison period; None: n/a
    change_label: str = ""  # what the change compares, e.g. "12 months to Sep 2023 vs year before"
    rate: float | None = None
    rate_label: str = ""  # e.g. "per 1,000 residents"
    rank: str | None = None  # e.g. "5/32 in London"
    rag: str | None = None  # "Red", "Amber", "Green" or None (no status)
    sparkline: tuple[float | None, ...] = ()  # recent monthly values, oldest first

    def __post_init__(self) -> None:
        _require_title(self.label, "tile")
        object.__setattr__(self, "value", _normalise_cell(self.value, f"Tile '{self.label}'"))
        if self.number_format is not None and self.number_format not in NUMBER_FORMATS:
            raise ConfigurationError(
                f"Tile '{self.label}' has unknown number format '{self.number_format}'."
            )
        if self.rag is not None and self.rag not in RAG_STATUSES:
            raise ConfigurationError(
                f"Tile '{self.label}': RAG status '{self.rag}' is not one of "
                f"{', '.join(RAG_STATUSES)}."
            )
        points = tuple(_normalise_cell(v, f"Tile '{self.label}' sparkline") for v in self.sparkline)
        if any(isinstance(v, str) for v in points):
            raise ConfigurationError(f"Tile '{self.label}': the sparkline must be numbers.")
        object.__setattr__(self, "sparkline", points)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "value": self.value,
            "number_format": self.number_format,
            "change_pct": self.change_pct,
            "change_label": self.change_label,
            "rate": self.rate,
            "rate_label": self.rate_label,
            "rank": self.rank,
            "rag": self.rag,
            "sparkline": list(self.sparkline),
        }


@dataclass(frozen=True)
class Tiles:
    """A grid of KPI tiles, e.g. the performance dashboard's summary."""

    title: str
    tiles: tuple[Tile, ...]

    def __post_init__(self) -> None:
        _require_title(self.title, "tile grid")
        tiles = tuple(self.tiles)
        for index, tile in enumerate(tiles, start=1):
            if not isinstance(tile, Tile):
                raise ConfigurationError(f"Tiles '{self.title}': item {index} is not a Tile.")
        object.__setattr__(self, "tiles", tiles)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "tiles",
            "title": self.title,
            "tiles": [tile.to_dict() for tile in self.tiles],
        }


Block = Table | Chart | Tiles


@dataclass(frozen=True)
class Cover:
    """A board paper's cover: with one, PDF and Word files open on a cover page and a
    table of contents, and a workbook on a contents sheet."""

    meeting: str  # e.g. "Safer Communities Partnership Board, 28 November 2023"
    period: str  # e.g. "Figures to September 2023"
    audience: str  # e.g. "Restricted: partnership members only"
    prepared_by: str = ""

    def __post_init__(self) -> None:
        for name in ("meeting", "period", "audience", "prepared_by"):
            if not isinstance(getattr(self, name), str):
                raise ConfigurationError(f"The cover's {name} must be text.")

    def to_dict(self) -> dict[str, Any]:
        return {
            "meeting": self.meeting,
            "period": self.period,
            "audience": self.audience,
            "prepared_by": self.prepared_by,
        }


@dataclass(frozen=True)
class Section:
    """One part of a report: becomes a heading, a page in print and a sheet in Excel."""

    title: str
    paragraphs: tuple[str, ...] = ()
    blocks: tuple[Block, ...] = ()

    def __post_init__(self) -> None:
        _require_title(self.title, "section")
        name = f"Section '{self.title}'"
        object.__setattr__(self, "paragraphs", _text_tuple(self.paragraphs, f"{name} paragraphs"))
        blocks = tuple(self.blocks)
        for index, block in enumerate(blocks, start=1):
            if not isinstance(block, Table | Chart | Tiles):
                raise ConfigurationError(
                    f"{name}: block {index} is a {type(block).__name__}; "
                    "blocks must be Tables, Charts or Tiles."
                )
        object.__setattr__(self, "blocks", blocks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "paragraphs": list(self.paragraphs),
            "blocks": [block.to_dict() for block in self.blocks],
        }


@dataclass(frozen=True)
class Report:
    """A whole report: title, sections in order, and notes on provenance and disclosure."""

    title: str
    subtitle: str = ""
    sections: tuple[Section, ...] = ()
    notes: tuple[str, ...] = ()
    cover: Cover | None = None

    def __post_init__(self) -> None:
        _require_title(self.title, "report")
        if self.cover is not None and not isinstance(self.cover, Cover):
            raise ConfigurationError(f"Report '{self.title}': the cover is not a Cover.")
        if not isinstance(self.subtitle, str):
            raise ConfigurationError(f"Report '{self.title}': the subtitle must be text.")
        sections = tuple(self.sections)
        for index, section in enumerate(sections, start=1):
            if not isinstance(section, Section):
                raise ConfigurationError(
                    f"Report '{self.title}': section {index} is not a Section."
                )
        object.__setattr__(self, "sections", sections)
        object.__setattr__(self, "notes", _text_tuple(self.notes, f"Report '{self.title}' notes"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "sections": [section.to_dict() for section in self.sections],
            "notes": list(self.notes),
            "cover": self.cover.to_dict() if self.cover else None,
        }
