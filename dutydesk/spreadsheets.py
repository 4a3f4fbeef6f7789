"""Spreadsheets in and out: every import reads through `read_table`, every Excel export writes through `put`.

Reading treats an upload as hostile. A workbook may declare any dimension (`A1:XFD1048576` in a 1.5 KB file), a
zip may unpack to gigabytes, a CSV cell may be megabytes long. So the reader streams rows, ignores the declared
dimension, reads at most `max_cols` columns, and refuses at once (one `UnreadableFile` message, nothing imported)
as soon as a limit is passed, before the web process has spent more than a moment on the file.

Writing treats our own data as hostile too: a person or shift name such as `=HYPERLINK(...)` must arrive in Excel
as the text the user typed, never as a live formula (CSV/formula injection). `put` stores such text as a string
cell with Excel's quote prefix, so it shows as typed and is not evaluated, not even after an edit.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A real export of a few thousand rows unpacks to a few MB; a zip bomb unpacks to gigabytes.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_CELL_CHARS = 2000
# Blank rows between data rows are skipped, but a file that is mostly blank rows is not a real export.
BLANK_ROWS_ALLOWED = 1000

# Text starting with one of these is a formula (or the start of one) to Excel, LibreOffice or WPS.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class UnreadableFile(Exception):
    """The whole file cannot be read or passes a limit: one message for the user, no rows."""


def read_table(
    file_name: str, content: bytes, *, max_rows: int = 5000, max_cols: int = 50
) -> list[tuple[int, list[str]]]:
    """(line number, cells as text) of every non-empty row, header first; at most `max_rows` data rows."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise UnreadableFile(
            _("The file is larger than %(size)d MB; split it.") % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    name = file_name.lower()
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(content, max_cols)
    elif name.endswith((".csv", ".txt")):
        rows = _csv_rows(content, max_cols)
    else:
        raise UnreadableFile(_("Upload a CSV (.csv) or Excel (.xlsx) file."))
    table: list[tuple[int, list[str]]] = []
    blank = 0
    for number, cells in rows:
        if not any(cells):
            blank += 1
            if blank > BLANK_ROWS_ALLOWED:
                raise UnreadableFile(
                    _("The file has more than %(count)d empty rows; remove them and upload it again.")
                    % {"count": BLANK_ROWS_ALLOWED}
                )
            continue
        if any(len(cell) > MAX_CELL_CHARS for cell in cells):
            raise UnreadableFile(
                _("Row %(line)d has a cell longer than %(count)d characters.")
                % {"line": number, "count": MAX_CELL_CHARS}
            )
        table.append((number, cells))
        if len(table) > max_rows + 1:
            raise UnreadableFile(_("The file has more than %(count)d rows; split it.") % {"count": max_rows})
    return table


def _xlsx_rows(content: bytes, max_cols: int):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise UnreadableFile(_("The file is not an Excel workbook (.xlsx).")) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableFile(
            _("The workbook unpacks to more than %(size)d MB; split it.")
            % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        # The declared dimension is whatever the file says; padding every row to it is the bomb.
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(max_col=max_cols, values_only=True), 1):
            cells = [_text(value) for value in row]
            while cells and not cells[-1]:  # max_col pads every row to the same width
                cells.pop()
            yield number, cells
    except UnreadableFile:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise UnreadableFile(_("The file is not an Excel workbook (.xlsx).")) from error


def _csv_rows(content: bytes, max_cols: int):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile(_("The file's characters could not be read; save it as UTF-8 CSV."))
    reader = csv.reader(io.StringIO(text))
    try:
        for number, row in enumerate(reader, 1):
            yield number, [cell.strip() for cell in row[:max_cols]]
    except csv.Error as error:  # e.g. a field larger than the csv module's limit (128 KB)
        raise UnreadableFile(
            _("The CSV file cannot be read near line %(line)d: a cell is too long or a quote is not closed.")
            % {"line": reader.line_num}
        ) from error


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def put(sheet, row: int, column: int, value: Any):
    """Write one cell of an export; text that Excel would run as a formula is stored as plain text."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def put_row(sheet, row: int, values, *, start: int = 1) -> list:
    return [put(sheet, row, column, value) for column, value in enumerate(values, start)]


def workbook_bytes(book, *, source: str = "", exporter: str = "") -> bytes:
    """The workbook as bytes. `source` and `exporter` (issue 22 item 2): a second sheet, after the data (which
    stays the active sheet, so a re-import reads the data), says where every row comes from, who exported it and
    when, so a copy found on a desk can be traced."""
    if source or exporter:
        from django.utils import timezone

        sheet = book.create_sheet(_("About this export"))
        put_row(sheet, 1, [_("Source of every row"), source])
        put_row(sheet, 2, [_("Exported by"), exporter])
        put_row(sheet, 3, [_("Exported at"), f"{timezone.localtime():%Y-%m-%d %H:%M}"])
        put_row(sheet, 4, [_("Customers' personal data"), _("none: masked or not included")])
        sheet.column_dimensions["A"].width = 22
        sheet.column_dimensions["B"].width = 50
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
