from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The public API (issue 25): the top floor of the house. It reads every app through their queries, writes
    through their services, and nothing imports it."""

    name = "api"
    label = "api"
    verbose_name = _("Public API")

    def ready(self):
        from api import (
            permissions,  # noqa: F401  (grants the token pages, describes the audit actions)
            webhooks,
        )
        from dutydesk import events, navigation

        navigation.register(_("API tokens"), "api.tokens", "api:tokens", order=95)
        # The lower apps emit their events into dutydesk.events; the webhooks' outbox listens (issue 25 item 4).
        events.register(webhooks.record_event)
