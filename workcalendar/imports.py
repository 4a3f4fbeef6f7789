"""Reading a calendar file (the State Council notice as rows `date,kind,name`) into plain rows, bounded.

CSV or JSON, UTF-8 only: a notice typed in Excel and saved as GBK would have its names read as something else, so it
is refused with a message that says how to save it. The size and the number of rows are bounded before anything is
parsed (dutydesk.spreadsheets.read_table for CSV; the same byte limit for JSON), so a 10 MB file costs nothing.

JSON is either a list of rows `[{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}, ...]` or the object that
`manage.py holiday_calendar --format json` prints (`{"year", "status", "source", "days": [...]}`), whose `year` and
`source` are then read too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dutydesk.spreadsheets import MAX_UPLOAD_BYTES, UnreadableFile, read_table
from workcalendar.rules import MAX_ROWS, Row

HEADER_WORDS = {"date", "日期"}


@dataclass(frozen=True)
class FileRows:
    rows: list[Row]
    year: int | None = None  # from a JSON object's "year"
    source_title: str = ""  # from a JSON object's "source"
    source_date: str = ""


def read_calendar_file(file_name: str, content: bytes) -> FileRows:
    """The rows of a CSV or JSON calendar file. Raises UnreadableFile (one message, no rows) when the whole file
    cannot be read: too large, not UTF-8, not CSV or JSON, too many rows."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise UnreadableFile(
            _("The file is larger than %(size)d MB; a year's calendar is a few kilobytes.")
            % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(
            _(
                'The file is not UTF-8 text (it may have been saved as GBK). Save it as "CSV UTF-8" (or JSON in '
                "UTF-8) and import it again."
            )
        ) from None
    name = file_name.lower()
    if name.endswith(".json"):
        return _json_rows(text)
    if name.endswith((".csv", ".txt")):
        return FileRows(_csv_rows(file_name, content))
    raise UnreadableFile(_("Import a CSV (.csv) or JSON (.json) file with the rows date,kind,name."))


def _csv_rows(file_name: str, content: bytes) -> list[Row]:
    table = read_table(file_name, content, max_rows=MAX_ROWS, max_cols=10)
    rows = []
    for number, cells in table:
        if not rows and cells and cells[0].strip().lower() in HEADER_WORDS:
            continue  # the header line, if there is one
        date_text, kind, name = (cells + ["", "", ""])[:3]
        rows.append(Row(number, date_text, kind, name, extra=sum(1 for cell in cells[3:] if cell)))
    return rows


def _json_rows(text: str) -> FileRows:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as error:
        raise UnreadableFile(
            _("The JSON file cannot be read near line %(line)d: %(problem)s")
            % {"line": getattr(error, "lineno", 1), "problem": getattr(error, "msg", "")}
        ) from None
    year, title, notice_date = None, "", ""
    if isinstance(data, dict):
        raw_year = data.get("year")
        if raw_year is not None and (not isinstance(raw_year, int) or isinstance(raw_year, bool)):
            raise UnreadableFile(_('The JSON "year" must be a number such as 2027.'))
        year = raw_year
        source = data.get("source")
        if isinstance(source, dict):
            title, notice_date = str(source.get("title") or ""), str(source.get("date") or "")
        elif isinstance(source, str):
            title = source
        data = data.get("days")
    if not isinstance(data, list):
        raise UnreadableFile(_('The JSON file must be a list of rows, or an object with its rows under "days".'))
    if len(data) > MAX_ROWS:
        raise UnreadableFile(
            _("The file has more than %(count)d rows; a year has at most 366 dates.") % {"count": MAX_ROWS}
        )
    rows = []
    for position, item in enumerate(data, 1):
        if not isinstance(item, dict):
            rows.append(Row(position, "", "", ""))
            continue
        known = {"date", "kind", "name"}
        rows.append(
            Row(
                position,
                _text(item.get("date")),
                _text(item.get("kind")),
                _text(item.get("name")),
                extra=sum(1 for key in item if key not in known),
            )
        )
    return FileRows(rows, year=year, source_title=title.strip()[:200], source_date=notice_date.strip())


def _text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
