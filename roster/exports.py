"""The roster outside the browser: a personal iCalendar feed and the month as an Excel sheet."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from dutydesk.spreadsheets import put, workbook_bytes
from dutydesk.texts import listed
from roster import feed
from roster import instance as plain

ROLE_WORDS = {plain.ROLE_PRIMARY: "A", plain.ROLE_BACKUP: "B"}


def _role_word(role: str) -> str:
    if role == plain.ROLE_SHADOW:
        return _("(shadow)")
    return ROLE_WORDS.get(role, "")


def calendar_feed(
    profile,
    assignments,
    *,
    teammates: dict[int, list[str]] | None = None,
    history: dict[int, feed.Entry] | None = None,
    cancelled=(),
) -> bytes:
    """An iCalendar (RFC 5545) feed of the person's published shifts; calendar apps poll it (issue 25 item 5).

    Each shift keeps its UID across versions, its SEQUENCE rises at each published change (`history`, from
    roster.queries.feed_history), a shift taken away comes as STATUS:CANCELLED (`cancelled`: its DutyShift rows),
    times are in the team's zone with its VTIMEZONE, and apps are asked to refresh hourly."""
    teammates = teammates or {}
    history = history or {}
    zone = timezone.get_default_timezone()  # every team's zone: the site's TIME_ZONE (a team has no zone of its own)
    cal = Calendar()
    cal.add("prodid", "-//dutydesk//roster//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("Duty shifts of %(name)s") % {"name": profile.name})
    cal.add("x-wr-timezone", str(zone))
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", feed.REFRESH_INTERVAL)
    now = timezone.now()

    def event_of(shift, summary: str, status: str):
        event = Event()
        # Stable per duty shift and person: a calendar app updates the event instead of duplicating it.
        event.add("uid", feed.uid(shift.id, profile.id))
        event.add("sequence", history[shift.id].sequence if shift.id in history else 0)
        event.add("status", status)
        event.add("summary", summary)
        event.add("dtstart", timezone.localtime(shift.starts_at, zone))
        event.add("dtend", timezone.localtime(shift.ends_at, zone))
        event.add("dtstamp", now)
        return event

    for a in assignments:
        shift = a.duty_shift
        role = _role_word(a.role)
        event = event_of(shift, f"{_('Duty')}: {shift.shift_type.name}{' ' + role if role else ''}", "CONFIRMED")
        others = teammates.get(shift.id, [])
        if others:
            event.add("description", _("With: %(names)s") % {"names": listed(others)})
        cal.add_component(event)
    for shift in cancelled:
        cal.add_component(event_of(shift, f"{_('Duty')}: {shift.shift_type.name}", "CANCELLED"))
    cal.add_missing_timezones()
    return cal.to_ical()


def month_workbook(
    team, month: date, instance: plain.Instance | None, assignments: list[plain.Assignment], version
) -> bytes:
    """Names down, duty dates across, the shift in each cell; a sheet as the team has always kept it."""
    book = Workbook()
    sheet = book.active
    sheet.title = f"{month:%Y-%m}"
    bold = Font(bold=True)
    title = _("%(team)s roster %(month)s") % {"team": team.name, "month": f"{month:%Y-%m}"}
    if version is not None:
        title += " · " + _("version %(number)s") % {"number": version.number}
    put(sheet, 1, 1, title).font = Font(bold=True, size=13)
    if instance is None:
        sheet.cell(row=3, column=1, value=_("The roster of this month is not published yet."))
        return workbook_bytes(book)
    sheet.cell(row=3, column=1, value=_("Name")).font = bold
    for col, day in enumerate(instance.days, start=2):
        cell = sheet.cell(row=3, column=col, value=f"{day.date:%m-%d}")
        cell.font = bold
        cell.alignment = Alignment(horizontal="center")
        if day.holiday:
            cell.fill = PatternFill("solid", fgColor="FDE2E1")
        sheet.column_dimensions[get_column_letter(col)].width = 10
    totals_col = len(instance.days) + 2
    sheet.cell(row=3, column=totals_col, value=_("Duty shifts")).font = bold
    held = {(a.agent, a.date): a for a in assignments}
    counted: dict[int, int] = {}
    for a in assignments:
        if a.role in plain.COUNTED_ROLES:
            counted[a.agent] = counted.get(a.agent, 0) + 1
    for row, agent in enumerate(instance.agents, start=4):
        put(sheet, row, 1, agent.name)
        for col, day in enumerate(instance.days, start=2):
            a = held.get((agent.id, day.date))
            if a is None:
                continue
            shift = day.shift(a.shift)
            role = _role_word(a.role)
            value = f"{shift.name if shift else a.shift}{' ' + role if role else ''}"
            put(sheet, row, col, value).alignment = Alignment(horizontal="center")
        sheet.cell(row=row, column=totals_col, value=counted.get(agent.id, 0))
    sheet.column_dimensions["A"].width = 14
    sheet.freeze_panes = "B4"
    return workbook_bytes(book)


def fairness_workbook(team, month: date, rows, *, labels: dict[str, str], periods: list[tuple[int, str]]) -> bytes:
    """The fairness report with every period side by side: per person, each count for 1, 3, 6 and 12 months."""
    from roster.fairness import METRICS

    book = Workbook()
    sheet = book.active
    sheet.title = f"{month:%Y-%m}"
    bold = Font(bold=True)
    put(
        sheet, 1, 1, _("%(team)s fairness report %(month)s") % {"team": team.name, "month": f"{month:%Y-%m}"}
    ).font = Font(bold=True, size=13)
    put(sheet, 3, 1, _("Name")).font = bold
    put(sheet, 4, 1, "")
    column = 2
    for metric in METRICS:
        put(sheet, 3, column, labels[metric]).font = bold
        for _months, label in periods:
            put(sheet, 4, column, label).font = bold
            column += 1
    for index, row in enumerate(sorted(rows, key=lambda r: r.name), start=5):
        name = row.name if row.qualified else f"{row.name} ({_('new hire')})"
        put(sheet, index, 1, name)
        column = 2
        for metric in METRICS:
            for months, _label in periods:
                sheet.cell(row=index, column=column, value=row.value(metric, months))
                column += 1
    sheet.column_dimensions["A"].width = 16
    sheet.freeze_panes = "B5"
    return workbook_bytes(book)


def feed_window(today: date) -> date:
    """Shifts from two months back stay in the feed, so a calendar keeps recent history."""
    return today - timedelta(days=62)
