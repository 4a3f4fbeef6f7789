"""What the roster tells people, as message keys (dutydesk.texts): rendered in the reader's language."""

from django.utils.translation import gettext_lazy as _

from dutydesk.texts import define

PUBLISHED = define("roster.published", _("%(team)s: the roster of %(month)s is published"))
PUBLISHED_BODY = define(
    "roster.published.body", _("Please check your shifts and confirm that you have seen the roster.")
)
CHANGED = define("roster.changed", _("%(team)s: your shifts in %(month)s changed"))
BLOCKED = define("roster.blocked", _("%(team)s: the roster of %(month)s could not be published today"))
