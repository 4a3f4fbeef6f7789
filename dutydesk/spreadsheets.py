"""Spreadsheets in and out: every import reads through `read_table`, every Excel export writes through `put`.

Reading treats an upload as hostile. A workbook may declare any dimension (`A1:XFD1048576` in a 1.5 KB file), a
zip may unpack to gigabytes, 143 KB may hold one row of two million cells or 3.2 million shared strings, a CSV cell
may be megabytes long. So before openpyxl holds anything, every part of the zip is streamed through expat with
counters (`_scan_workbook`): rows, cells per row and per sheet, elements per cell, shared strings and their text,
everything else, and bytes unpacked; the first count past its limit refuses the file. openpyxl then reads only what
the counts allow, row by row, ignoring the declared dimension and reading at most `max_cols` columns. The whole
parse has a deadline (`PARSE_SECONDS`) as a last resort. A refusal is one `UnreadableFile` message, nothing
imported, before the web process has spent more than a moment or a few MB on the file.

Control characters (NUL and the rest of C0 but tab, line feed and carriage return) in a cell are refused with the
row's number: PostgreSQL cannot store a NUL, and an Excel export of such a text would be unreadable.

Writing treats our own data as hostile too: a person or shift name such as `=HYPERLINK(...)` must arrive in Excel
as the text the user typed, never as a live formula (CSV/formula injection). `put` stores such text as a string
cell with Excel's quote prefix, so it shows as typed and is not evaluated, not even after an edit.
"""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from datetime import date, datetime
from typing import Any
from xml.parsers import expat

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A real export of a few thousand rows unpacks to a few MB; a zip bomb unpacks to gigabytes. Counted as unpacked,
# not as declared (a zip may lie about its sizes).
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
MAX_CELL_CHARS = 2000
# Blank rows between data rows are skipped, but a file that is mostly blank rows is not a real export.
BLANK_ROWS_ALLOWED = 1000
# What openpyxl may be asked to hold, counted in the XML before it does. An HR or survey export has tens of columns
# and a few thousand different texts; formatting a few columns too far gives empty cells, never thousands.
MAX_ZIP_MEMBERS = 500
MAX_ROW_CELLS = 1024
MAX_ROW_ELEMENTS = 8 * MAX_ROW_CELLS  # a cell is <c><v>, <c><f><v> or rich text (<is><r><rPr>...<t>)
MAX_SHEET_CELLS = 250_000
MAX_SHARED_STRINGS = 100_000
MAX_SHARED_CHARS = 5_000_000
MAX_TEXT_CHARS = 32_767  # Excel's own limit for one cell's text
MAX_ITEM_ELEMENTS = 200  # rich-text runs and their properties in one cell or one shared string
MAX_OTHER_ELEMENTS = 50_000  # styles, column widths, merged ranges ... of one part
MAX_OTHER_CHARS = 1_000_000
PARSE_SECONDS = 10
CHUNK_BYTES = 64 * 1024

# Characters PostgreSQL (NUL) or XML 1.0 (the rest) cannot hold: C0 controls but tab, line feed, carriage return.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")

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
        rows = _xlsx_rows(content, max_cols, max_rows)
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
        if any(CONTROL_CHARACTERS.search(cell) for cell in cells):
            raise UnreadableFile(
                _("Row %(line)d has a control character (such as NUL) in a cell; remove it and upload the file again.")
                % {"line": number}
            )
        table.append((number, cells))
        if len(table) > max_rows + 1:
            raise UnreadableFile(_("The file has more than %(count)d rows; split it.") % {"count": max_rows})
    return table


def _xlsx_rows(content: bytes, max_cols: int, max_rows: int):
    from openpyxl import load_workbook

    deadline = time.monotonic() + PARSE_SECONDS
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError) as error:
        raise UnreadableFile(_("The file is not an Excel workbook (.xlsx).")) from error
    with archive:
        _scan_workbook(archive, max_rows=max_rows + 1 + BLANK_ROWS_ALLOWED, deadline=deadline)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        # The declared dimension is whatever the file says; padding every row to it is the bomb.
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(max_col=max_cols, values_only=True), 1):
            if time.monotonic() > deadline:
                raise UnreadableFile(_too_complex())
            cells = [_text(value) for value in row]
            while cells and not cells[-1]:  # max_col pads every row to the same width
                cells.pop()
            yield number, cells
    except UnreadableFile:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise UnreadableFile(_("The file is not an Excel workbook (.xlsx).")) from error


def _too_complex() -> str:
    return _(
        "The workbook holds more than an export needs (parts, formatting or texts); save it as CSV and upload that."
    )


def _scan_workbook(archive: zipfile.ZipFile, *, max_rows: int, deadline: float) -> None:
    """Count what openpyxl would hold in every part of the zip, streaming; refuse at the first count past its limit.

    Every part is scanned, whatever its name: openpyxl finds the sheets and the shared strings through the
    package's own references, and reads every sheet's start at load, so each part is counted by what its root
    element says it is. A part that is not XML (an image) stops its scan at once and costs nothing."""
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise UnreadableFile(_too_complex())
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise UnreadableFile(_unpacks_too_far())
    unpacked = 0
    for member in members:
        scanner = _PartScanner(max_rows=max_rows)
        parser = scanner.parser()
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(CHUNK_BYTES):
                    unpacked += len(chunk)
                    if unpacked > MAX_UNPACKED_BYTES:
                        raise UnreadableFile(_unpacks_too_far())
                    if time.monotonic() > deadline:
                        raise UnreadableFile(_too_complex())
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except expat.ExpatError:
            continue  # not XML, or broken: openpyxl refuses such a part itself if it needs it
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as error:
            # A damaged member, a lying size (CRC), an unknown compression, a password.
            raise UnreadableFile(_("The file is not an Excel workbook (.xlsx).")) from error


def _unpacks_too_far() -> str:
    return _("The workbook unpacks to more than %(size)d MB; split it.") % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}


class _PartScanner:
    """Counters for one part of a workbook, fed by expat's callbacks (which hold nothing but these counters)."""

    def __init__(self, *, max_rows: int):
        self.max_rows = max_rows
        self.root: str | None = None
        self.depth = 0
        self.rows = self.sheet_cells = self.strings = self.shared_chars = 0
        self.others = self.other_chars = 0
        self.row_depth = self.item_depth = 0  # depth of the open <row> / <c> or <si>, 0 when none is open
        self.row_number = self.row_cells = self.row_elements = 0
        self.item_elements = self.item_chars = 0

    def parser(self):
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        # A workbook never has a DTD; one here is an entity-expansion bomb or worse.
        parser.StartDoctypeDeclHandler = self.refuse_dtd
        parser.EntityDeclHandler = self.refuse_dtd
        return parser

    def refuse_dtd(self, *args):
        raise UnreadableFile(_("The file is not an Excel workbook (.xlsx)."))

    def start(self, name: str, attributes: dict) -> None:
        local = name.rpartition(" ")[2]
        self.depth += 1
        if self.root is None:
            self.root = local
        if self.item_depth:
            self.item_elements += 1
            if self.item_elements > MAX_ITEM_ELEMENTS:
                raise UnreadableFile(_too_complex())
        if self.row_depth:
            self.row_elements += 1
            if self.row_elements > MAX_ROW_ELEMENTS:
                raise UnreadableFile(self._wide_row())
            if local == "c" and self.depth == self.row_depth + 1:
                self._cell()
            return
        if self.root == "worksheet" and local == "row":
            self._row(attributes.get("r", ""))
        elif self.root == "sst" and local == "si" and self.depth == 2:
            self._shared_string()
        elif not self.item_depth:
            self.others += 1
            if self.others > MAX_OTHER_ELEMENTS:
                raise UnreadableFile(_too_complex())

    def _row(self, number: str) -> None:
        self.rows += 1
        if self.rows > self.max_rows:
            # Some of them blank or not, more rows than the file may have, whatever is in them.
            raise UnreadableFile(
                _("The file has more than %(count)d rows; split it.")
                % {"count": self.max_rows - 1 - BLANK_ROWS_ALLOWED}
            )
        self.row_depth, self.row_cells, self.row_elements = self.depth, 0, 0
        self.row_number = int(number) if number.isdigit() and len(number) < 8 else self.rows

    def _cell(self) -> None:
        self.row_cells += 1
        self.sheet_cells += 1
        if self.row_cells > MAX_ROW_CELLS:
            raise UnreadableFile(self._wide_row())
        if self.sheet_cells > MAX_SHEET_CELLS:
            raise UnreadableFile(
                _("A sheet of the workbook has more than %(count)d cells; split it.") % {"count": MAX_SHEET_CELLS}
            )
        self.item_depth, self.item_elements, self.item_chars = self.depth, 0, 0

    def _wide_row(self) -> str:
        return _(
            "Row %(line)d has more than %(count)d cells; delete the empty columns after the data and upload it again."
        ) % {"line": self.row_number, "count": MAX_ROW_CELLS}

    def _shared_string(self) -> None:
        self.strings += 1
        if self.strings > MAX_SHARED_STRINGS:
            raise UnreadableFile(
                _("The workbook holds more than %(count)d different texts; split it.") % {"count": MAX_SHARED_STRINGS}
            )
        self.item_depth, self.item_elements, self.item_chars = self.depth, 0, 0

    def end(self, name: str) -> None:
        if self.depth == self.item_depth:
            self.item_depth = 0
        elif self.depth == self.row_depth:
            self.row_depth = 0
        self.depth -= 1

    def text(self, data: str) -> None:
        if self.item_depth:
            self.item_chars += len(data)
            if self.item_chars > MAX_TEXT_CHARS:
                if self.root == "sst":
                    raise UnreadableFile(
                        _("The workbook has a text longer than %(count)d characters.") % {"count": MAX_TEXT_CHARS}
                    )
                raise UnreadableFile(
                    _("Row %(line)d has a cell longer than %(count)d characters.")
                    % {"line": self.row_number, "count": MAX_CELL_CHARS}
                )
            if self.root == "sst":
                self.shared_chars += len(data)
                if self.shared_chars > MAX_SHARED_CHARS:
                    raise UnreadableFile(_too_complex())
        elif not data.isspace():
            self.other_chars += len(data)
            if self.other_chars > MAX_OTHER_CHARS:
                raise UnreadableFile(_too_complex())


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
