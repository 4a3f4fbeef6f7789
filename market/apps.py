from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "market"
    label = "market"
    verbose_name = _("Shift marketplace")

    def ready(self):
        from dutydesk import navigation
        from market import permissions  # noqa: F401  (grants the marketplace's actions)

        navigation.register(
            _("Shift marketplace"), "market.view", "market:board", order=14, kwargs=navigation.home_team_kwargs
        )
