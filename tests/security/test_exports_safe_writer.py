"""Finding: spreadsheets carried live formulas. One writer now makes every XLSX and CSV file,
and keeps text that starts like a formula as plain text."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from saferhub.reports.safe_cells import (
    append,
    csv_field,
    new_workbook,
    put,
    workbook_bytes,
    write_csv,
)
from tests.security.spreadsheets import PAYLOADS, csv_fields, payloads_found, workbook_text_cells

SRC = Path(__file__).resolve().parents[2] / "src" / "saferhub"
SAFE_WRITER = SRC / "reports" / "safe_cells.py"

# Ways of writing a spreadsheet or CSV file without the safe writer. Reading is fine.
UNSAFE_WRITES = {
    "imports openpyxl's Workbook": re.compile(
        r"from openpyxl(\.workbook(\.workbook)?)? import [^\n]*\bWorkbook\b|openpyxl\.Workbook\b"
    ),
    "uses openpyxl's ExcelWriter": re.compile(r"\bExcelWriter\b|openpyxl\.writer"),
    "sets a cell value directly": re.compile(r"\.cell\([^)]*\bvalue\s*="),
    "uses csv.writer or DictWriter": re.compile(r"\bcsv\.writer\b|\bDictWriter\b"),
    "uses to_csv or to_excel": re.compile(r"\.to_csv\(|\.to_excel\("),
    "writes CSV through pyarrow": re.compile(r"\bpa_csv\.write_csv\b|\bCSVWriter\b"),
    "uses xlsxwriter": re.compile(r"\bxlsxwriter\b"),
}


def test_no_module_but_the_safe_writer_writes_spreadsheets_or_csv():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path == SAFE_WRITER:
            continue
        text = path.read_text(encoding="utf-8")
        for what, pattern in UNSAFE_WRITES.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{path.relative_to(SRC)}:{line} {what}")
    assert offenders == [], "Write spreadsheets and CSV through reports/safe_cells.py"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_that_starts_like_a_formula_is_a_text_cell(payload):
    book = new_workbook("Sheet")
    put(book.active, 1, 1, payload)
    append(book.active, [payload, 42, -1.5, None])
    texts = workbook_text_cells(workbook_bytes(book))
    assert payloads_found(texts, [payload]) == {payload}


def test_numbers_stay_numbers_and_plain_text_is_unmarked():
    book = new_workbook("Sheet")
    append(book.active, ["Barnet", 12, -3, 2.5])
    sheet = load_workbook(io.BytesIO(workbook_bytes(book))).active
    cells = sheet[1]
    assert [c.value for c in cells] == ["Barnet", 12, -3, 2.5]
    assert [c.data_type for c in cells] == ["s", "n", "n", "n"]
    assert not cells[0].quotePrefix


def test_append_writes_below_what_is_there():
    book = new_workbook("Sheet")
    sheet = book.active
    assert append(sheet, ["a", "b"]) == 1
    assert append(sheet, ["=c"]) == 2
    assert [r for r in load_workbook(io.BytesIO(workbook_bytes(book))).active.values] == [
        ("a", "b"),
        ("=c", None),
    ]


def test_a_control_character_in_a_name_does_not_stop_the_export():
    book = new_workbook("Sheet")
    put(book.active, 1, 1, "Ann\x07 Smith")
    assert load_workbook(io.BytesIO(workbook_bytes(book))).active["A1"].value == "Ann\ufffd Smith"


def test_a_workbook_with_a_formula_is_refused():
    book = new_workbook("Sheet")
    book.active["A1"] = "=1+1"  # written around the safe writer, as the old agenda export did
    with pytest.raises(ValueError, match="Sheet!A1 holds a formula"):
        workbook_bytes(book)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_csv_fields_that_start_like_a_formula_get_a_leading_quote(payload, tmp_path):
    path = tmp_path / "out.csv"
    assert write_csv(path, ["name", "count"], [{"name": payload, "count": -2}]) == 1
    with path.open(newline="", encoding="utf-8") as handle:
        fields = csv_fields(handle.read())
    # A carriage return is written as a line feed, inside quotes, so the row stays whole.
    assert fields == ["name", "count", "'" + payload.replace("\r", "\n"), "-2"]


def test_csv_numbers_and_plain_text_are_unchanged():
    assert [csv_field(v) for v in (-2, 3.5, "Barnet", "", None)] == [-2, 3.5, "Barnet", "", None]


def test_the_synthetic_extract_writer_neutralises_text(tmp_path):
    from saferhub.synth.partnership import write_extracts

    write_extracts({"people.csv": [{"first_name": "=1+1", "age": -1}]}, tmp_path)
    assert csv_fields((tmp_path / "people.csv").read_text(encoding="utf-8")) == [
        "first_name",
        "age",
        "'=1+1",
        "-1",
    ]
