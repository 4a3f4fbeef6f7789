"""Hostile workbooks, built the way an attacker would (issue #22 item 4): tiny zips that unpack to millions of
cells or shared strings. Shared by the tests and `benchmarks/bench_uploads.py`."""

import io
import zipfile

from openpyxl import Workbook

from dutydesk.spreadsheets import workbook_bytes

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
TYPES = "[Content_Types].xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _base() -> bytes:
    """A real workbook with a header of text cells (so it has a shared-strings part)."""
    book = Workbook()
    book.active.append(["agent", "date", "score"])
    return workbook_bytes(book)


def _replaced(parts: dict[str, bytes]) -> bytes:
    """The base workbook with `parts` replaced or added (an added shared-strings part is declared, as Excel does)."""
    source, out = zipfile.ZipFile(io.BytesIO(_base())), io.BytesIO()
    parts = dict(parts)
    if STRINGS in parts and STRINGS not in source.namelist():
        declared = f'<Override PartName="/{STRINGS}" ContentType="{STRINGS_TYPE}" /></Types>'.encode()
        parts[TYPES] = source.read(TYPES).replace(b"</Types>", declared)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        names = source.namelist() + [name for name in parts if name not in source.namelist()]
        for name in names:
            data = parts[name] if name in parts else source.read(name)
            target.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def wide_row_workbook(cells: int = 2_000_000) -> bytes:
    """One row of `cells` numeric cells without references (openpyxl numbers them itself): about 143 KB."""
    row = b'<row r="1">' + b"<c><v>1</v></c>" * cells + b"</row>"
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
    return _replaced({SHEET: sheet + row + b"</sheetData></worksheet>"})


def shared_strings_workbook(strings: int = 3_200_000) -> bytes:
    """A shared-strings part of `strings` one-letter texts, referenced by nothing: about 134 KB."""
    head = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{strings}" uniqueCount="{strings}">'
    return _replaced({STRINGS: head.encode() + b"<si><t>a</t></si>" * strings + b"</sst>"})
