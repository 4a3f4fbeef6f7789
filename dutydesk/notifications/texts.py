"""What the notifications app itself says, as message keys (dutydesk.texts)."""

from django.utils.translation import gettext_lazy as _

from dutydesk.notifications.models import Channel
from dutydesk.texts import define

NOT_DELIVERED = define("notifications.not_delivered", _("A notice could not be delivered: %(subject)s"))
NOT_DELIVERED_BODY = define(
    "notifications.not_delivered.body", _("%(channel)s, after %(attempts)d attempts: %(error)s")
)
# A channel's name inside a text, by its value (the choices' labels).
for _channel in Channel:
    define(f"notifications.channel.{_channel.value}", _channel.label)
