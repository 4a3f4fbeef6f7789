from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "dutydesk.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from dutydesk import navigation
        from dutydesk.audit import permissions  # noqa: F401  (grants the actions)

        navigation.register(_("Team history"), "audit.team", "audit:team", order=89, kwargs=navigation.home_team_kwargs)
        navigation.register(_("History"), "audit.mine", "audit:mine", order=90)
        navigation.register(_("Audit search"), "audit.search", "audit:search", order=91)
