"""What duty hours tell people, as message keys (dutydesk.texts): rendered in the reader's language."""

from django.utils.translation import gettext_lazy as _

from dutydesk.texts import define

READY = define("compensation.ready", _("Your duty hours for %(month)s are ready: confirm or dispute them"))
DISPUTED = define("compensation.disputed", _("%(name)s disputes the duty hours of %(month)s"))
RESOLVED = define("compensation.resolved", _("Your dispute of the duty hours of %(month)s was resolved"))
REWARD_GRANTED = define("compensation.reward_granted", _("%(hours)s hours of comp time granted as your extra reward"))
