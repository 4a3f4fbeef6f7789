"""Reads of the company holiday calendar: the one place the rest of dutydesk asks (R-CAL-1).

`calendar_between(start, end)` returns the plain calendar (workcalendar.days) of every year the dates touch, in one
query when the years are cached and one more for the years that changed: a year's days are remembered in the process
by the year's stamp, which every change replaces. A year with no row yet (not seeded) is the `holidays` package's
view of it, provisional unless the package holds its notice: the same days the seeding would write.
"""

from __future__ import annotations

import calendar as pycalendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from types import MappingProxyType

from django.db.models import JSONField, Max
from django.db.models.expressions import RawSQL

from workcalendar import days as plain
from workcalendar import package, rules
from workcalendar.models import CalendarDay, CalendarRevision, CalendarYear, Origin, RevisionKind

# year -> (stamp, plain year). Replaced, never mutated, so a reader in another thread sees one or the other.
_remembered: dict[int, tuple[str, plain.Year]] = {}


def _plain_year(row: dict, days: dict[date, plain.Day]) -> plain.Year:
    return plain.Year(
        year=row["year"],
        status=row["status"],
        days=MappingProxyType(days),
        source=plain.Source(row["source_title"], row["source_date"]),
        stamp=str(row["stamp"]),
    )


_ROW_FIELDS = ("year", "status", "source_title", "source_date", "stamp")


def years(numbers, *, stamps: dict[int, str | None] | None = None) -> dict[int, plain.Year]:
    """The plain years `numbers`, each from its row (or the package when it has none). `stamps`: the years' stamps
    as the caller already read them (years_annotation; None for a year without a row): then a year remembered with
    that stamp costs no query at all."""
    numbers = sorted(set(numbers))
    result: dict[int, plain.Year] = {}
    if stamps is not None and set(numbers) <= set(stamps):
        missing = []
        for number in numbers:
            known = _remembered.get(number)
            if stamps[number] is None:
                result[number] = package.package_year(number)
            elif known is not None and known[0] == str(stamps[number]):
                result[number] = known[1]
            else:
                missing.append(number)
        if not missing:
            return result
        return {**result, **years(missing)}
    rows = {row["year"]: row for row in CalendarYear.objects.filter(year__in=numbers).values(*_ROW_FIELDS)}
    stale = []
    for number in numbers:
        row = rows.get(number)
        if row is None:
            result[number] = package.package_year(number)
            continue
        known = _remembered.get(number)
        if known is not None and known[0] == str(row["stamp"]):
            result[number] = known[1]
        else:
            stale.append(number)
    if stale:
        found: dict[int, dict[date, plain.Day]] = defaultdict(dict)
        for year_id, on, kind, name in CalendarDay.objects.filter(year__in=stale).values_list(
            "year_id", "date", "kind", "name"
        ):
            found[year_id][on] = plain.Day(kind, name)
        for number in stale:
            year = _plain_year(rows[number], found[number])
            _remembered[number] = (year.stamp, year)
            result[number] = year
    return result


def calendar_between(start: date, end: date, *, stamps: dict[int, str | None] | None = None) -> plain.Calendar:
    """The calendar of every year from `start`'s to `end`'s (inclusive). `stamps`: see `years`."""
    return plain.Calendar(MappingProxyType(years(range(start.year, end.year + 1), stamps=stamps)))


def years_annotation(first_year: int, last_year: int) -> RawSQL:
    """The stored years `first_year`..`last_year` with their status and stamp, as one JSON array, for a page that
    reads them with its own row (roster_with_draft); `stamps_of` and `status_in` read it. Written out: the page
    runs it on every view, and the ORM's JSON subquery cost more to compile than to run (issue 14)."""
    table = CalendarYear._meta.db_table
    return RawSQL(
        "SELECT coalesce(jsonb_agg(jsonb_build_object('year', y.year, 'status', y.status, 'stamp', y.stamp::text)),"
        f" '[]'::jsonb) FROM {table} y WHERE y.year BETWEEN %s AND %s",
        (first_year, last_year),
        output_field=JSONField(),
    )


def stamps_of(value, first_year: int, last_year: int) -> dict[int, str | None]:
    """The annotation of years_annotation as {year: stamp or None (no row)} for every year of the range."""
    found = {row["year"]: row["stamp"] for row in value or ()}
    return {year: found.get(year) for year in range(first_year, last_year + 1)}


def status_in(value, year: int) -> str:
    """The status of `year` from the annotation of years_annotation (the package's when it has no row)."""
    return status_of(year, next((row["status"] for row in value or () if row["year"] == year), None))


def calendar_of_year(year: int) -> plain.Calendar:
    return calendar_between(date(year, 1, 1), date(year, 12, 31))


def status_of(year: int, stored: str | None) -> str:
    """A year's status from its row's value (None: no row yet, so the package decides)."""
    return stored or package.package_year(year).status


def provisional_years(numbers) -> list[int]:
    """Which of the years `numbers` are not yet official, in one query."""
    numbers = sorted(set(numbers))
    stored = dict(CalendarYear.objects.filter(year__in=numbers).values_list("year", "status"))
    return [n for n in numbers if status_of(n, stored.get(n)) != plain.OFFICIAL]


# --- the manager's page ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthSheet:
    month: date
    weeks: list[list[tuple[date | None, plain.Day | None]]]  # Monday first; None pads the first and last week


def year_row(year: int) -> CalendarYear | None:
    return CalendarYear.objects.filter(year=year).select_related("changed_by").first()


def year_page(year: int) -> dict:
    """The year as the calendar page shows it: the plain year, its row (None before it is seeded), its twelve
    months as weeks of (date, listed day), its listed days and its latest revisions. Four queries."""
    row = year_row(year)
    plain_year = years([year])[year]
    sheets = []
    weeks_of = pycalendar.Calendar(firstweekday=0)
    for month in range(1, 13):
        weeks = [
            [(day, plain_year.days.get(day)) if day.month == month else (None, None) for day in week]
            for week in weeks_of.monthdatescalendar(year, month)
        ]
        sheets.append(MonthSheet(date(year, month, 1), weeks))
    return {
        "year": plain_year,
        "row": row,
        "from_package": row is None or row.origin == Origin.PACKAGE,
        "sheets": sheets,
        "days": list(CalendarDay.objects.filter(year=year).order_by("date")) if row else [],
        "revisions": list(CalendarRevision.objects.filter(year=year).select_related("actor").order_by("-number")[:20]),
    }


def known_years() -> list[tuple[int, str]]:
    """(year, status) of every stored year, newest first."""
    return list(CalendarYear.objects.order_by("-year").values_list("year", "status"))


def _real_revisions():
    # The first seeding of a year wrote the days the package had given all along: it changed nothing anyone saw.
    return CalendarRevision.objects.exclude(number=1, kind=RevisionKind.SEED)


def changes_since(year: int, since: datetime | None = None) -> dict[date, rules.DateChange]:
    """The net change of each date of `year` made after `since` (None: ever), by date (R-CAL-2)."""
    revisions = _real_revisions().filter(year=year).order_by("number")
    if since is not None:
        revisions = revisions.filter(at__gt=since)
    return rules.net_changes(
        [[rules.change_from_json(c) for c in changes] for changes in revisions.values_list("changes", flat=True)]
    )


def latest_changes() -> dict[int, datetime]:
    """When each year last changed (its first seeding left out)."""
    return dict(_real_revisions().values("year").annotate(at=Max("at")).values_list("year", "at").order_by())


def revision(revision_id: int) -> CalendarRevision | None:
    return CalendarRevision.objects.filter(pk=revision_id).select_related("actor").first()
