"""Reminders before the wish window closes (issue 26), worked out every minute from the teams' settings.

Registered with the notifications app in RosterConfig.ready() (dutydesk.notifications.reminders). From 09:00 on
the day REMIND_DAYS_BEFORE the window of next month closes, each member of the duty staff who has marked no wish
for next month gets one notice, under the key "wish-window:<month>" per person: a second run (beat twice, two
beats, the next minute) adds nothing.
"""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.months import next_month
from dutydesk.notifications.models import NoticeKind
from dutydesk.notifications.services import notify
from roster import queries
from roster.models import Availability, AvailabilityKind, ShiftWish, TeamRosterSettings

REMIND_DAYS_BEFORE = 2
REMIND_AT = time(9)


def wish_key(month) -> str:
    return f"wish-window:{month:%Y-%m}"


def schedule_wish_reminders(now: datetime) -> int:
    """Queue the reminders due at `now`; returns how many were new."""
    local = timezone.localtime(now)
    today = local.date()
    if local.time() < REMIND_AT:
        return 0
    month = next_month(today)
    created = 0
    for settings in TeamRosterSettings.objects.select_related("team"):
        window = queries.wish_window_of(settings.team, month, today=today)
        if window["state"] != "open" or window["closes"] - today > timedelta(days=REMIND_DAYS_BEFORE):
            continue
        staff = list(queries.duty_staff(settings.team, on=month))
        marked = set(
            Availability.objects.filter(
                profile__in=staff, kind=AvailabilityKind.WISH_OFF, date__gte=month, date__lt=next_month(month)
            ).values_list("profile_id", flat=True)
        ) | set(ShiftWish.objects.filter(profile__in=staff, month=month).values_list("profile_id", flat=True))
        waiting = [p for p in staff if p.pk not in marked]
        if not waiting:
            continue
        created += notify(
            waiting,
            kind=NoticeKind.WISH_REMINDER,
            subject=_("Wishes for %(month)s close on %(closes)s")
            % {"month": f"{month:%Y-%m}", "closes": window["closes"]},
            body=_("Mark up to %(count)d wished days off and the shifts you prefer before the window closes.")
            % {"count": window["days_off"]},
            url=reverse("roster:availability", kwargs={"month": f"{month:%Y-%m}"}),
            dedupe_key=wish_key(month),
        )
    return created
