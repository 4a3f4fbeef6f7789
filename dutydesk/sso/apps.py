from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "dutydesk.sso"
    label = "sso"
    verbose_name = _("Sign-in")

    def ready(self):
        from dutydesk import navigation
        from dutydesk.sso import permissions  # noqa: F401  (grants the actions)

        navigation.register(
            _("Linked accounts"),
            "sso.identities",
            "sso:identities",
            order=82,
            kwargs=navigation.home_team_kwargs,
        )
        navigation.register(_("Sign-in settings"), "sso.providers", "sso:providers", order=84)
