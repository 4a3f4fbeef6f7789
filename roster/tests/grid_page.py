"""Reading the month grid as a person reads it: a row by the agent's name, a cell by the date's column.

The grid's cells carry no per-cell hooks (200 agents × 10 dates would make the page too heavy, issue 14), so tests
find them as a reader does: the row of a name, the column whose header is the date. Shared by the view tests (an
HTML parser, independent of the code that renders the grid) and the browser tests (Playwright locators).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

TOTALS = ("duty", "night", "holiday")


@dataclass
class ParsedCell:
    text: str = ""
    classes: tuple[str, ...] = ()
    title: str = ""


@dataclass
class ParsedRow:
    name: str = ""
    attrs: dict = field(default_factory=dict)
    cells: list[ParsedCell] = field(default_factory=list)  # every <td>: the dates, then the totals


class _GridParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.dates: list[str] = []
        self.rows: list[ParsedRow] = []
        self._row: ParsedRow | None = None
        self._cell: ParsedCell | None = None
        self._in_name = False
        self._skip = 0  # depth inside a mark or badge (not part of the cell's or name's text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "th" and "data-date" in attrs:
            self.dates.append(attrs["data-date"])
        elif tag == "tr" and (attrs.get("id") or "").startswith("row-"):
            self._row = ParsedRow(attrs=attrs)
        elif self._row is not None and tag == "th":
            self._in_name = True
        elif self._row is not None and tag == "td":
            self._cell = ParsedCell(classes=tuple((attrs.get("class") or "").split()), title=attrs.get("title") or "")
        elif tag == "span" and (self._cell is not None or self._in_name):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "span" and self._skip:
            self._skip -= 1
        elif tag == "th" and self._in_name:
            self._in_name = False
            self._row.name = self._row.name.strip()
        elif tag == "td" and self._cell is not None:
            self._row.cells.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._skip:
            return
        if self._cell is not None:
            self._cell.text += data
        elif self._in_name:
            self._row.name += data


def parse_grid(html: str) -> tuple[list[str], dict[str, ParsedRow]]:
    """(the grid's dates as ISO strings, the rows by agent name) of a page or of a cell edit's answer."""
    parser = _GridParser()
    parser.feed(html)
    return parser.dates, {row.name: row for row in parser.rows}


def row_cells(html: str, name: str, dates: list[date]) -> dict[date, ParsedCell]:
    """The cells of `name`'s row by date; the dates are the grid's own (a cell edit's answer carries no header)."""
    row = parse_grid(html)[1][name]
    return dict(zip(dates, row.cells, strict=False))


def row_totals(html: str, name: str, *, months: int = 1) -> dict[str, str]:
    """The row's totals of the month (months=1), or over the previous 3 months and this one (months=4)."""
    row = parse_grid(html)[1][name]
    totals = [c.text for c in row.cells if "total" in c.classes and ("history" in c.classes) == (months == 4)]
    return dict(zip(TOTALS, totals, strict=True))


# --- in the browser --------------------------------------------------------------------------------------------


def cell(page, name: str, day: date):
    """The cell of `name` on `day`: its row's <td> in the column headed by that date."""
    column = page.locator("#grid-head th").evaluate_all(
        "(heads, day) => heads.findIndex(th => th.dataset.date === day)", day.isoformat()
    )
    assert column > 0, f"no column for {day}"
    return page.get_by_test_id(f"row-{name}").locator(":scope > th, :scope > td").nth(column)


def pick(page, name: str, day: date):
    """Click the cell, as a person does, and return the editor that came to it."""
    cell(page, name, day).click()
    chosen = cell(page, name, day).locator("select")
    chosen.wait_for()
    return chosen


def choose(page, name: str, day: date, **option) -> None:
    """Click the cell and choose in the list that opens, as a person does with the mouse. (Playwright sets the
    choice without touching the open list, so it is closed here, as the person's click on a choice closes it.)"""
    pick(page, name, day).select_option(**option)
    page.keyboard.press("Escape")


def editor(page):
    """The grid's one editor, wherever it stands."""
    return page.get_by_test_id("grid-editor")


def total(page, name: str, kind: str):
    """The row's total of the month (the 4-month totals, where shown, come after)."""
    return page.get_by_test_id(f"row-{name}").locator("td.total:not(.history)").nth(TOTALS.index(kind))
