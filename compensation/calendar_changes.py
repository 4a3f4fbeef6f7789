"""What a change of the company holiday calendar does to duty statements (R-CAL-2), never silently.

The listener runs inside the change's transaction (registered in compensation.apps, called by
workcalendar.services). For each team's current statement of a month holding a changed date (or of the month before,
when the 1st changed: a night shift of the 31st ends on it):
- an open statement is computed again with the new calendar (as the nightly job would), and the team's supervisors
  are told when its figures changed;
- a finalised statement is never changed: when the new calendar gives other figures (hours of another pay class),
  a correction is proposed, a new open version with the change as its reason (services.correct_statement), which
  the supervisor checks and finalises; they are told.
"""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compensation import queries, rules, services
from compensation.models import DutyStatement
from dutydesk.months import month_start, previous_month
from dutydesk.notifications.models import NoticeKind
from dutydesk.notifications.services import notify
from dutydesk.queries import supervisors_of

FIGURES = ("workday_hours", "rest_day_hours", "holiday_hours", "overtime_pay_units")


def _stated(statement: DutyStatement) -> dict[int, tuple[Decimal, ...]]:
    return {
        row[0]: tuple(Decimal(v) for v in row[1:])
        for row in statement.lines.values_list("profile_id", *FIGURES)
        if any(row[1:])
    }


def _recomputed(statement: DutyStatement, now) -> dict[int, tuple[Decimal, ...]]:
    """The figures the statement's month gives now, computed without writing anything."""
    inputs = queries.month_inputs([statement.team_id], statement.month)[statement.team_id]
    zone = timezone.get_default_timezone()
    result = {}
    for person in inputs.people:
        policy = rules.effective_policy(inputs.policy, person.exception)
        figures = rules.person_month(
            person.shifts, policy, now=now, zone=zone, calendar=inputs.calendar, overrides=inputs.overrides
        )
        values = (
            figures.total("workday"),
            figures.total("rest_day"),
            figures.total("holiday"),
            figures.total("pay_units"),
        )
        if any(values):
            result[person.profile_id] = values
    return result


def on_calendar_change(change) -> None:
    months = {month_start(c.date) for c in change.changes}
    months |= {previous_month(c.date) for c in change.changes if c.date.day == 1}
    if not months:
        return
    now = timezone.now()
    reason = _("The holiday calendar of %(year)s changed (%(dates)s).") % {
        "year": change.year,
        "dates": "、".join(f"{c.date:%m-%d}" for c in change.changes[:10]) + ("…" if len(change.changes) > 10 else ""),
    }
    statements = DutyStatement.objects.filter(month__in=sorted(months), is_current=True).select_related("team")
    for statement in statements.order_by("month", "team__name"):
        before = _stated(statement)
        month = f"{statement.month:%Y-%m}"
        url = reverse("compensation:month", kwargs={"team": statement.team.slug, "month": statement.month})
        if not statement.is_finalised:
            services.compute_open_statements(month=statement.month, teams=[statement.team], now=now)
            if _stated(statement) == before:
                continue
            subject = _("%(team)s: the duty hours of %(month)s were computed again with the new holiday calendar")
        else:
            if _recomputed(statement, now) == before:
                continue
            # Proposed by the calendar's change, not by its manager, who keeps no team's statements: the calendar's
            # audit event names who changed it (R-CAL-2).
            services.correct_statement(team=statement.team, month=statement.month, actor=None, reason=reason, now=now)
            subject = _(
                "%(team)s: the duty hours of %(month)s are finalised, but the new holiday calendar changes them: "
                "check the proposed correction and finalise it"
            )
        notify(
            supervisors_of(statement.team),
            kind=NoticeKind.REQUEST_WAITING,
            url=url,
            dedupe_key=f"calendar:{change.revision_id}:statement:{statement.team_id}:{month}",
            subject=subject % {"team": statement.team.name, "month": month},
            body=reason,
        )
