"""What a change of the company holiday calendar does to rosters (R-CAL-2), and the one click that revises one.

`on_calendar_change` is the roster's listener (registered in roster.apps, called by workcalendar.services inside the
change's transaction). For every roster whose month holds a changed date:
- not published: its draft follows the calendar at once (prepare_month lays the month out again, as it does after
  a change of the team's settings), and the team's supervisors are told what moved;
- published: nothing changes by itself (R-ROSTER-9); the supervisors are told what changed (duty days added or
  removed, holiday shifts, shifts whose pay class changes) with a link to `roster:calendar-changes`, where one click
  starts the revision (`start_calendar_revision`).
One notice per team and calendar revision (notify's dedupe key), listing every month it touches.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dutydesk.months import month_end, month_start
from dutydesk.notifications.models import NoticeKind
from dutydesk.notifications.services import notify
from dutydesk.queries import supervisors_of
from roster import queries, services
from roster.calendar import MonthImpact
from roster.models import Roster
from roster.services import RosterError
from workcalendar import days as company


def kind_words(kind: str) -> str:
    return {
        company.HOLIDAY: pgettext("pay class of a day", "statutory holiday"),
        company.REST: pgettext("pay class of a day", "rest day"),
        company.WORKDAY: pgettext("pay class of a day", "working day"),
    }[kind]


def _dates(days) -> str:
    return "、".join(f"{day:%m-%d}" for day in days)


def impact_lines(impact: MonthImpact) -> list[str]:
    """What changed in one month, one sentence per kind of change, in the reader's language."""
    lines = []
    if impact.added:
        lines.append(_("Duty days added: %(dates)s.") % {"dates": _dates(impact.added)})
    if impact.removed:
        held = sum(day.held for day in impact.removed)
        lines.append(
            _("Duty days removed: %(dates)s (%(held)s shift assignment(s) on them).")
            % {"dates": _dates(d.date for d in impact.removed), "held": held}
        )
    if impact.now_holiday:
        lines.append(_("Now holiday shifts: %(dates)s.") % {"dates": _dates(impact.now_holiday)})
    if impact.no_longer_holiday:
        lines.append(_("No longer holiday shifts: %(dates)s.") % {"dates": _dates(impact.no_longer_holiday)})
    for change in impact.pay:
        lines.append(
            _("%(date)s %(shift)s (%(people)s people): pay class %(before)s → %(after)s.")
            % {
                "date": f"{change.date:%m-%d}",
                "shift": change.shift,
                "people": change.people,
                "before": kind_words(change.before),
                "after": kind_words(change.after),
            }
        )
    return lines


def on_calendar_change(change) -> None:
    """The roster's listener for workcalendar.changes (see the module's docstring)."""
    months = sorted({month_start(c.date) for c in change.changes})
    if not months:
        return  # a status or source change only: no date moved
    by_team: dict[int, tuple[object, list[str]]] = {}
    rosters = Roster.objects.filter(month__in=months).select_related("team", "published_version").order_by("month")
    for roster in rosters:
        if roster.published_version_id is None and not queries.month_shifts(roster).exists():
            continue  # nothing laid out (no shifts yet): the month is laid out from the calendar when it is
        impact = queries.calendar_impact(roster)
        if impact.empty:
            continue
        month = f"{roster.month:%Y-%m}"
        if roster.published_version_id is None:
            services.prepare_month(roster.team, roster.month)  # the draft follows the calendar
            head = _("%(month)s (not published; the draft was laid out again):") % {"month": month}
        else:
            head = _("%(month)s (published, version %(number)s; revise it):") % {
                "month": month,
                "number": roster.published_version.number,
            }
        team, lines = by_team.setdefault(roster.team_id, (roster.team, []))
        lines.append(" ".join([head, *impact_lines(impact)]))
    for team, lines in by_team.values():
        notify(
            supervisors_of(team),
            kind=NoticeKind.ROSTER_CHANGED,
            url=reverse("roster:calendar-changes", kwargs={"team": team.slug}),
            dedupe_key=f"calendar:{change.revision_id}:team:{team.pk}",
            subject=_("%(team)s: the holiday calendar of %(year)s changed; check your rosters")
            % {"team": team.name, "year": change.year},
            body="\n".join(lines),
        )


@transaction.atomic
def start_calendar_revision(roster: Roster, *, actor) -> tuple[object, int]:
    """The supervisor's one click after a calendar change (R-CAL-2, R-ROSTER-9): lay the month out again from the
    calendar, start a revision (a draft copy of the version in force) and take the shifts on dates that are no
    longer duty days out of the draft. Returns (the draft, assignments taken out). Publishing the revision, with a
    reason, is the supervisor's next step, as for any revision."""
    roster = Roster.objects.select_for_update().select_related("team").get(pk=roster.pk)
    if not roster.published_version_id:
        raise RosterError(_("This roster is not published yet; its draft already follows the calendar."))
    wanted = {day.date for day in queries.duty_days(roster.team, roster.month)}
    services.prepare_month(roster.team, roster.month)
    draft = services.start_revision(roster, actor=actor)
    gone = draft.assignments.filter(date__range=(roster.month, month_end(roster.month))).exclude(date__in=wanted)
    removed, _detail = gone.delete()
    if removed:
        Roster.objects.filter(pk=roster.pk).update(draft_revision=F("draft_revision") + 1)
    return draft, removed
