from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutydeskConfig(AppConfig):
    name = "dutydesk"
    verbose_name = _("People and teams")

    def ready(self):
        from dutydesk import texts

        # Every app's messages (dutydesk.texts): a page may render a stored key of any app.
        texts.discover()
