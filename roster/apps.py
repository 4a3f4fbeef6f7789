from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RosterConfig(AppConfig):
    name = "roster"
    verbose_name = _("Roster")

    def ready(self):
        from dutydesk import home, navigation
        from roster import home as roster_home
        from roster import permissions  # noqa: F401  (grants the roster's actions)

        navigation.register(_("Roster"), "roster.view", "roster:index", order=10, kwargs=navigation.home_team_kwargs)
        navigation.register(_("My shifts"), "roster.mine", "roster:mine", order=11)
        navigation.register(
            _("Team settings"), "roster.edit", "roster:settings", order=80, kwargs=navigation.home_team_kwargs
        )
        navigation.register(
            _("Fairness report"), "roster.fairness", "roster:fairness-now", order=14, kwargs=navigation.home_team_kwargs
        )
        home.register(roster_home.next_shifts, order=10)
        home.register(roster_home.next_month_status, order=20)

        from dutydesk.notifications import reminders as notification_reminders
        from dutydesk.notifications.models import NoticeKind
        from roster import reminders

        # Shift reminders: worked out here from the published roster, sent by the notifications app.
        notification_reminders.register(
            NoticeKind.SHIFT_REMINDER, due=reminders.schedule_reminders, stale=reminders.stale_reminders
        )
        from roster import wish_reminders

        # Issue 26: the wish window of next month is about to close.
        notification_reminders.register(NoticeKind.WISH_REMINDER, due=wish_reminders.schedule_wish_reminders)

        from roster import calendar_services
        from workcalendar import changes as calendar_changes

        # R-CAL-2: a change of the company calendar finds the rosters and drafts it touches.
        calendar_changes.register(calendar_services.on_calendar_change)
