"""Every write of the company holiday calendar: seeding from the package, a manager's import of the State Council's
notice, editing one day, marking a year official (R-CAL-1). Views, the admin and the command call these.

Each change locks the year's row, compares the year before and after (workcalendar.rules.compare), writes the days,
a new stamp and a `CalendarRevision`, and announces the change to the roster and compensation (workcalendar.changes,
R-CAL-2) in the same transaction. A change that changes nothing (the same file imported again) writes nothing and
tells nobody. A refused change raises CalendarError with a message for the user and writes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dutydesk.audit import rules as audit_refs
from dutydesk.audit.services import record, snapshot
from dutydesk.spreadsheets import UnreadableFile
from workcalendar import changes as announcements
from workcalendar import days as plain
from workcalendar import messages, package, queries, rules
from workcalendar.imports import read_calendar_file
from workcalendar.models import (
    FIRST_YEAR,
    LAST_YEAR,
    TITLE_LENGTH,
    CalendarDay,
    CalendarRevision,
    CalendarYear,
    DayKind,
    Origin,
    RevisionKind,
    YearStatus,
)


class CalendarError(Exception):
    """A refused change; the message is translated and fit to show as it is."""


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarError(
            _("The calendar keeps the years %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )


def _locked_year(year: int) -> CalendarYear:
    """The year's row, locked; a year never stored is first written as the package has it (a seed revision), so that
    what changes next is compared with what everyone saw."""
    _check_year(year)
    if not CalendarYear.objects.filter(year=year).exists():
        estimate = package.package_year(year)
        created = CalendarYear.objects.bulk_create(
            [
                CalendarYear(
                    year=year, status=estimate.status, origin=Origin.PACKAGE, source_title=estimate.source.title
                )
            ],
            ignore_conflicts=True,  # two first changes at once: one creates it, both then lock it
        )
        row = CalendarYear.objects.select_for_update().get(year=year)
        if created and not row.days.exists() and not row.revisions.exists():
            CalendarDay.objects.bulk_create(
                CalendarDay(year=row, date=on, kind=day.kind, name=day.name) for on, day in estimate.days.items()
            )
            CalendarRevision.objects.create(
                year=row,
                number=1,
                kind=RevisionKind.SEED,
                status_after=estimate.status,
                source_title=estimate.source.title,
                changes=[rules.change_to_json(c) for c in rules.compare({}, estimate.days)],
            )
        return row
    return CalendarYear.objects.select_for_update().get(year=year)


def _stored_days(row: CalendarYear) -> dict[date, plain.Day]:
    return {on: plain.Day(kind, name) for on, kind, name in row.days.values_list("date", "kind", "name")}


def _apply(
    row: CalendarYear,
    after: Mapping[date, plain.Day],
    *,
    kind: RevisionKind,
    status: str,
    origin: str,
    source_title: str,
    source_date: date | None,
    actor,
) -> CalendarRevision | None:
    """Make the locked year `row` hold `after` with this status and source; None when that is what it holds."""
    before = _stored_days(row)
    changed = rules.compare(before, after)
    same_source = (row.source_title, row.source_date) == (source_title, source_date)
    if not changed and row.status == status and same_source:
        return None
    row_before = snapshot(row, _AUDITED_FIELDS)
    for change in changed:
        if change.after is None:
            CalendarDay.objects.filter(year=row, date=change.date).delete()
        else:
            CalendarDay.objects.update_or_create(
                year=row, date=change.date, defaults={"kind": change.after.kind, "name": change.after.name}
            )
    status_before = row.status
    row.status, row.origin = status, origin
    row.source_title, row.source_date = source_title, source_date
    row.stamp, row.changed_at, row.changed_by = uuid.uuid4(), timezone.now(), actor
    row.save()
    number = (row.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = CalendarRevision.objects.create(
        year=row,
        number=number,
        kind=kind,
        status_before=status_before,
        status_after=status,
        source_title=source_title,
        source_date=source_date,
        changes=[rules.change_to_json(c) for c in changed],
        actor=actor,
    )
    _record(row, revision, row_before, changed, actor)
    # R-CAL-2: the roster and compensation find what the change touches, in this transaction.
    announcements.announce(
        announcements.CalendarChange(
            year=row.year,
            revision_id=revision.pk,
            number=number,
            changes=tuple(changed),
            status_before=status_before,
            status_after=status,
            source_title=source_title,
            actor=actor,
        )
    )
    return revision


_AUDITED_FIELDS = ("status", "origin", "source_title", "source_date")


def _day_words(on: date, day: plain.Day | None) -> str:
    if day is None:
        return f"{on:%Y-%m-%d} —"
    return " ".join(part for part in (f"{on:%Y-%m-%d}", str(DayKind(day.kind).label), day.name) if part)


def _record(row: CalendarYear, revision: CalendarRevision, row_before: dict, changed, actor) -> None:
    """The change in the audit trail (issue 22: the holiday calendar is audited): who, which year, its status and
    source before and after, and each changed date before and after. Company-wide, so no team: the manager's search
    and each changed day's history find it. Written in the site's language, as the calendar's names are."""
    with translation.override(settings.LANGUAGE_CODE):
        days_before = [_day_words(c.date, c.before) for c in changed]
        days_after = [_day_words(c.date, c.after) for c in changed]
    before = {**row_before, **({"days": days_before} if changed else {})}
    after = {**snapshot(row, _AUDITED_FIELDS), **({"days": days_after} if changed else {})}
    record(
        f"workcalendar.{revision.kind}",
        actor=actor,
        target=row,
        label=f"{row.year} #{revision.number}",
        before=before,
        after=after,
        reason=revision.source_title if revision.kind == RevisionKind.IMPORT else "",
        refs=[audit_refs.day(c.date) for c in changed],
    )


# The stamp a page carries for a year that was not stored when the page was made.
NOT_STORED = "not-stored"


def _expect(row: CalendarYear, expected_stamp: str | None) -> None:
    """Refuse a change made on a page opened before someone else's change (optimistic locking on the stamp)."""
    if expected_stamp == NOT_STORED:
        stale = row.revisions.exclude(number=1, kind=RevisionKind.SEED).exists()
    else:
        stale = expected_stamp is not None and str(row.stamp) != str(expected_stamp)
    if stale:
        raise CalendarError(
            _("Someone else changed the calendar of %(year)s since you opened it. Reload the page and try again.")
            % {"year": row.year}
        )


def _clean_source(title: str, notice_date: date | None) -> tuple[str, date | None]:
    if rules.has_control_character(title):
        raise CalendarError(_("The notice's title has a control character (such as NUL); remove it."))
    title = " ".join((title or "").split())
    if not title:
        raise CalendarError(_("Give the notice's title: an official year says where it comes from."))
    if len(title) > TITLE_LENGTH:
        raise CalendarError(_("The notice's title is longer than %(length)s characters.") % {"length": TITLE_LENGTH})
    return title, notice_date


# --- importing a notice -----------------------------------------------------------------------------------------


@dataclass
class ImportCheck:
    """What a file would do to its year: its days, every problem, and the dates it would change."""

    year: int
    days: dict[date, plain.Day] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (where, what) in the user's words
    changes: list[rules.DateChange] = field(default_factory=list)
    status_before: str = ""
    source_title: str = ""
    source_date: date | None = None

    @property
    def is_clean(self) -> bool:
        return not self.problems

    @property
    def changes_nothing(self) -> bool:
        return self.is_clean and not self.changes and self.status_before == YearStatus.OFFICIAL


def check_import(
    *, file_name: str, content: bytes, year: int | None = None, source_title: str = "", source_date: date | None = None
) -> ImportCheck:
    """Read and check a calendar file without writing anything (the preview and `--dry-run`). `year`: the year the
    file is for (the page's year); None takes the file's own ("year" in JSON, else its first date's year). Raises
    CalendarError when the file cannot be read at all."""
    try:
        found = read_calendar_file(file_name, content)
    except UnreadableFile as error:
        raise CalendarError(str(error)) from None
    if year is None:
        year = found.year
    if year is None:
        first = next((d for d in (rules.parse_date(r.date) for r in found.rows) if d is not None), None)
        if first is None:
            raise CalendarError(_("The file names no date; nothing says which year it is for."))
        year = first.year
    _check_year(year)
    days, problems = rules.check_rows(found.rows, year)
    if found.year is not None and found.year != year:
        problems.insert(0, rules.Problem(None, rules.OUTSIDE_YEAR, str(found.year)))
    check = ImportCheck(
        year=year,
        days=days,
        problems=[(messages.line_words(p), messages.describe(p, year)) for p in problems],
        source_title=source_title or found.source_title,
        source_date=source_date or rules.parse_date(found.source_date or ""),
    )
    if check.is_clean:
        current = queries.years([year])[year]
        check.changes = rules.compare(current.days, days)
        check.status_before = current.status
    return check


@transaction.atomic
def import_calendar(
    *,
    year: int,
    days: Mapping[date, plain.Day],
    source_title: str,
    source_date: date | None,
    actor,
    expected_stamp: str | None = None,
) -> CalendarRevision | None:
    """The State Council's notice for `year` as the year's whole calendar: its days replace the year's, and the year
    is official with the notice as its source (R-CAL-1). Returns the revision, None when nothing changed (the same
    file again). `days` must be checked (check_import); they are checked again here."""
    title, notice_date = _clean_source(source_title, source_date)
    rows = [rules.Row(i, on.isoformat(), d.kind, d.name) for i, (on, d) in enumerate(sorted(days.items()), 1)]
    clean, problems = rules.check_rows(rows, year)
    if problems:
        raise CalendarError(messages.describe(problems[0], year))
    row = _locked_year(year)
    same = (_stored_days(row), row.status, row.source_title, row.source_date) == (
        clean,
        YearStatus.OFFICIAL,
        title,
        notice_date,
    )
    if same:
        return None  # the same file again (or a second click on the same preview): nothing to change
    _expect(row, expected_stamp)
    return _apply(
        row,
        clean,
        kind=RevisionKind.IMPORT,
        status=YearStatus.OFFICIAL,
        origin=Origin.NOTICE,
        source_title=title,
        source_date=notice_date,
        actor=actor,
    )


# --- a manager's edits --------------------------------------------------------------------------------------------


@transaction.atomic
def set_day(
    *, year: int, on: date, kind: str, name: str, actor, expected_stamp: str | None = None
) -> CalendarRevision | None:
    """List `on` as `kind` with `name` (or change it). The year keeps its status: an official year corrected by a
    manager stays official, and the revision says who corrected it."""
    if on.year != year:
        raise CalendarError(_("%(date)s is not in %(year)s.") % {"date": on.isoformat(), "year": year})
    if kind not in plain.KINDS:
        raise CalendarError(_("Choose a kind of day: holiday, rest or workday."))
    if rules.has_control_character(name):
        raise CalendarError(_("The name has a control character (such as NUL); remove it."))
    name = " ".join((name or "").split())
    if len(name) > rules.NAME_LENGTH:
        raise CalendarError(_("The name is longer than %(length)s characters.") % {"length": rules.NAME_LENGTH})
    row = _locked_year(year)
    _expect(row, expected_stamp)
    after = {**_stored_days(row), on: plain.Day(kind, name)}
    return _edit(row, after, actor)


@transaction.atomic
def remove_day(*, year: int, on: date, actor, expected_stamp: str | None = None) -> CalendarRevision | None:
    """Make `on` an ordinary date again (what its weekday makes it). Nothing to remove: nothing changes."""
    row = _locked_year(year)
    _expect(row, expected_stamp)
    after = {d: day for d, day in _stored_days(row).items() if d != on}
    return _edit(row, after, actor)


def _edit(row: CalendarYear, after, actor) -> CalendarRevision | None:
    origin = row.origin if row.origin != Origin.PACKAGE else Origin.MANAGER
    return _apply(
        row,
        after,
        kind=RevisionKind.EDIT,
        status=row.status,
        origin=origin,
        source_title=row.source_title,
        source_date=row.source_date,
        actor=actor,
    )


@transaction.atomic
def mark_official(
    *, year: int, source_title: str, source_date: date | None, actor, expected_stamp: str | None = None
) -> CalendarRevision | None:
    """The days as entered are the notice's: the year becomes official with the notice as its source."""
    title, notice_date = _clean_source(source_title, source_date)
    row = _locked_year(year)
    _expect(row, expected_stamp)
    return _apply(
        row,
        _stored_days(row),
        kind=RevisionKind.OFFICIAL,
        status=YearStatus.OFFICIAL,
        origin=Origin.NOTICE if row.origin == Origin.PACKAGE else row.origin,
        source_title=title,
        source_date=notice_date,
        actor=actor,
    )


# --- seeding ------------------------------------------------------------------------------------------------------


def seed_years(years=None, *, actor=None) -> dict[int, str]:
    """Write the years the package knows (default: every year whose notice it holds, and the year after). A year a
    manager entered or imported is never touched; a year still holding the package's estimate takes the package's
    current view (after an upgrade that brings the notice, it becomes official), as a revision that R-CAL-2 follows.
    Returns {year: "created" | "updated" | "unchanged" | "kept"}."""
    if years is None:
        official = package.official_years()
        years = [*official, official[-1] + 1]
    outcome = {}
    for year in years:
        with transaction.atomic():
            existed = CalendarYear.objects.filter(year=year).exists()
            row = _locked_year(year)
            if not existed:
                outcome[year] = "created"
                continue
            if row.origin != Origin.PACKAGE:
                outcome[year] = "kept"
                continue
            estimate = package.package_year(year)
            revision = _apply(
                row,
                estimate.days,
                kind=RevisionKind.SEED,
                status=estimate.status,
                origin=Origin.PACKAGE,
                source_title=estimate.source.title,
                source_date=None,
                actor=actor,
            )
            outcome[year] = "updated" if revision else "unchanged"
    return outcome
