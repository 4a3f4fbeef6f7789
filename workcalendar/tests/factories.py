"""Calendar test data: plain calendars (no database) and files to import."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from types import MappingProxyType

from workcalendar import days as plain
from workcalendar.package import package_year


def package_calendar(*years: int) -> plain.Calendar:
    """The calendar of `years` as the holidays package has them (what the migration seeds)."""
    return plain.Calendar(MappingProxyType({year: package_year(year) for year in years}))


def csv_bytes(rows, *, header: bool = True, encoding: str = "utf-8") -> bytes:
    lines = (["date,kind,name"] if header else []) + [",".join(str(cell) for cell in row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def json_bytes(rows, **top) -> bytes:
    days = [{"date": str(d), "kind": k, "name": n} for d, k, n in rows]
    return json.dumps({**top, "days": days} if top else days, ensure_ascii=False).encode()


SAMPLE_2027 = Path(__file__).resolve().parents[2] / "docs" / "examples" / "holiday-calendar-2027-SAMPLE.csv"


def sample_2027() -> list[tuple[date, str, str]]:
    """The rows of docs/examples/holiday-calendar-2027-SAMPLE.csv (a sample, not the State Council's notice): it
    differs from the package's estimate in January (01-02, 01-03 days of the New Year break, Sunday 01-31 a working
    day) and in every break."""
    rows = []
    for line in SAMPLE_2027.read_text(encoding="utf-8").splitlines()[1:]:
        on, kind, name = line.split(",")
        rows.append((date.fromisoformat(on), kind, name))
    return rows


def sample_days() -> dict:
    return {on: plain.Day(kind, name) for on, kind, name in sample_2027()}
