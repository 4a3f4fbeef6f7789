from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "market"
    label = "market"
    verbose_name = _("Shift marketplace")

    def ready(self):
        from dutydesk import navigation
        from market import (
            permissions,  # noqa: F401  (grants the marketplace's actions)
            queries,
        )
        from roster import claimed

        navigation.register(
            _("Shift marketplace"), "market.view", "market:board", order=14, kwargs=navigation.home_team_kwargs
        )
        # Issue 24: the roster's fairness report counts shifts claimed here (the roster imports nothing of this app).
        claimed.register(queries.claimed_history)
