from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "dutydesk.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from dutydesk import language_choice, navigation
        from dutydesk.notifications import permissions  # noqa: F401  (grants the actions)
        from dutydesk.notifications.services import set_language_preference

        # The switcher's choice is the language of this person's e-mailed notices (issue #27 point 3).
        language_choice.register(set_language_preference)

        navigation.register(
            _("Notice settings"),
            "notifications.team_settings",
            "notifications:team-settings",
            order=80,
            kwargs=navigation.home_team_kwargs,
        )
