from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkCalendarConfig(AppConfig):
    name = "workcalendar"
    verbose_name = _("Holiday calendar")

    def ready(self):
        from dutydesk import navigation
        from workcalendar import permissions  # noqa: F401  (grants the calendar's actions)

        navigation.register(_("Holiday calendar"), "workcalendar.view", "workcalendar:index", order=85)
