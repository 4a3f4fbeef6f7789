"""Hostile spreadsheets in, injected formulas out (dutydesk/spreadsheets.py)."""

import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from dutydesk.spreadsheets import UnreadableFile, put_row, read_table, workbook_bytes

# Messages are asserted in English, the source text; the translation test checks the Chinese catalogue.
pytestmark = pytest.mark.usefixtures("english")


def _workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    return workbook_bytes(book)


def _with_dimension(content: bytes, dimension: str) -> bytes:
    """The same workbook, declaring a dimension it does not fill (the 1.5 KB dimension bomb)."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), data)
                assert dimension.encode() in data
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize("dimension", ["A1:XFD5000", "A1:XFD1048576"])
def test_declared_dimension_is_ignored(dimension):
    content = _with_dimension(_workbook([["agent", "date", "score"], ["agent01", "2026-11-07", 5]]), dimension)
    assert read_table("bomb.xlsx", content) == [(1, ["agent", "date", "score"]), (2, ["agent01", "2026-11-07", "5"])]


def test_too_many_rows_refused():
    content = _workbook([["a"]] + [[str(n)] for n in range(30)])
    with pytest.raises(UnreadableFile, match="more than 20 rows"):
        read_table("big.xlsx", content, max_rows=20)


def test_csv_cell_over_the_csv_module_limit_is_a_clear_error():
    content = ('agent,date,score\n"' + "x" * 200_000 + '",2026-11-07,5\n').encode()
    with pytest.raises(UnreadableFile, match="too long"):
        read_table("long.csv", content)


def test_long_cell_refused_with_its_row():
    with pytest.raises(UnreadableFile, match="Row 2"):
        read_table("long.csv", ("agent\n" + "y" * 5000 + "\n").encode())


def test_zip_that_unpacks_too_far_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (70 * 1024 * 1024))
    with pytest.raises(UnreadableFile, match="unpacks"):
        read_table("zip.xlsx", out.getvalue())


def test_formula_text_is_written_as_text():
    book = Workbook()
    names = ['=HYPERLINK("http://x","a")', "+1", "-2", "@SUM(A1)", "\tx", "张伟"]
    put_row(book.active, 1, names + ["\rx"])
    sheet = load_workbook(io.BytesIO(workbook_bytes(book))).active
    assert [cell.value for cell in sheet[1]][:-1] == names
    assert [(cell.data_type, cell.quotePrefix) for cell in sheet[1]][:5] == [("s", True)] * 5
