"""Holiday calendars for tests: the package's years as plain calendars (no database), and the 2027 sample file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import MappingProxyType

from workcalendar import days as plain
from workcalendar.package import package_year

SAMPLE_2027 = Path(__file__).resolve().parents[1] / "docs" / "examples" / "holiday-calendar-2027-SAMPLE.csv"


def package_calendar(*years: int) -> plain.Calendar:
    """The calendar of `years` as the holidays package has them (what the migration seeds)."""
    return plain.Calendar(MappingProxyType({year: package_year(year) for year in years}))


def sample_2027() -> list[tuple[date, str, str]]:
    """The rows of docs/examples/holiday-calendar-2027-SAMPLE.csv (a sample, not the State Council's notice): it
    differs from the package's estimate in January (01-02, 01-03 days of the New Year break, Sunday 01-31 a working
    day) and in every break."""
    rows = []
    for line in SAMPLE_2027.read_text(encoding="utf-8").splitlines()[1:]:
        on, kind, name = line.split(",")
        rows.append((date.fromisoformat(on), kind, name))
    return rows


def sample_days() -> dict[date, plain.Day]:
    return {on: plain.Day(kind, name) for on, kind, name in sample_2027()}
