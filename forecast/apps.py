from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForecastConfig(AppConfig):
    name = "forecast"
    verbose_name = _("Demand forecast")

    def ready(self):
        from dutydesk import navigation
        from forecast import permissions  # noqa: F401  (grants the forecast actions)

        navigation.register(
            _("Demand"), "forecast.view", "forecast:index", order=16, kwargs=navigation.home_team_kwargs
        )
