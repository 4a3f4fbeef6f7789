from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutydeskConfig(AppConfig):
    name = "dutydesk"
    verbose_name = _("People and teams")
