from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The public API (issue 25): the top floor of the house. It reads every app through their queries, writes
    through their services, and nothing imports it."""

    name = "api"
    label = "api"
    verbose_name = _("Public API")

    def ready(self):
        from api import permissions  # noqa: F401  (grants the token pages, describes the audit actions)
        from dutydesk import navigation

        navigation.register(_("API tokens"), "api.tokens", "api:tokens", order=95)
