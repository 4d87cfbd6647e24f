"""CSV and XLSX files from a header and rows, each text cell guarded against spreadsheet formula injection.

A spreadsheet program takes a cell beginning with = + - @ (or a tab or a
carriage return, which some strip first) for a formula: a company name like
`=HYPERLINK(...)` entered by anyone would run in the reader's spreadsheet.
Such a text gets a leading apostrophe, as OWASP advises; numbers and dates
stay what they are.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_CHUNK_ROWS = 500
FILE_CHUNK_BYTES = 64 * 1024
# What Excel's sheet names may not hold, and their longest.
_SHEET_NAME_FORBIDDEN = str.maketrans({char: " " for char in "[]:*?/\\"})
_SHEET_NAME_LENGTH = 31

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def guarded(value):
    """Return a cell value safe to open in a spreadsheet: a text that would start a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unguarded(value):
    """Return the text guarded() made of a value back (for reading an export: tests, re-imports)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(guarded(value))


def csv_chunks(header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    """Yield a UTF-8 CSV file in chunks: a byte-order mark (so that spreadsheets read Chinese right), header, rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_value(title) for title in header])
    yield b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for number, row in enumerate(rows, 1):
        writer.writerow([_csv_value(value) for value in row])
        if number % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def sheet_name(title: str) -> str:
    """Return `title` as an allowed sheet name (no []:*?/\\, at most 31 characters)."""
    return (str(title).translate(_SHEET_NAME_FORBIDDEN).strip() or "Sheet")[:_SHEET_NAME_LENGTH]


def write_xlsx(header: list[str], rows: Iterable[list], title: str, widths: list[int] | None = None):
    """Write an XLSX workbook of one sheet to a temporary file and return it, positioned at its start.

    openpyxl's write-only mode keeps no cells in memory (tens of thousands of
    rows stream through); the file on disk is what is sent, in chunks.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name(title))
    for index, width in enumerate(widths or (), 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=guarded(str(text)))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        # Guarded, no text starts with = any more: openpyxl stores each as text, never as a formula.
        sheet.append([guarded(value) for value in row])
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    return output


def file_chunks(output) -> Iterator[bytes]:
    """Yield an open file's bytes in chunks and close it at the end (or when the download is abandoned)."""
    try:
        while chunk := output.read(FILE_CHUNK_BYTES):
            yield chunk
    finally:
        output.close()
