from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "dutydesk.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from dutydesk import navigation
        from dutydesk.notifications import permissions  # noqa: F401  (grants the actions)

        navigation.register(
            _("Notice settings"),
            "notifications.team_settings",
            "notifications:team-settings",
            order=80,
            kwargs=navigation.home_team_kwargs,
        )
