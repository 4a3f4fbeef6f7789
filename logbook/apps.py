from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogbookConfig(AppConfig):
    name = "logbook"
    verbose_name = _("Logbook")

    def ready(self):
        from dutydesk import home, navigation
        from logbook import permissions  # noqa: F401  (grants the logbook's actions)
        from logbook.home import duty_section

        navigation.register(_("Duty"), "logbook.duty", "logbook:today", order=30, kwargs=navigation.home_team_kwargs)
        navigation.register(
            _("Duty board"), "logbook.read", "logbook:board", order=31, kwargs=navigation.home_team_kwargs
        )
        navigation.register(_("Personal data"), "logbook.retention", "logbook:retention", order=92)
        home.register(duty_section, order=20)

        from logbook.queries import open_items_by_shift
        from roster import reminders

        # Shift reminders list the open items waiting for the shift (issue: reminders with open items).
        reminders.register_open_items_provider(open_items_by_shift)
