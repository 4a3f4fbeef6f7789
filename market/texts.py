"""What the marketplace tells people, as message keys (dutydesk.texts): rendered in the reader's language."""

from django.utils.translation import gettext_lazy as _

from dutydesk.texts import define

OPEN_POSTED = define("market.open_posted", _("Open shift %(shift)s: claim it if you can take it"))
GIVE_AWAY_POSTED = define("market.give_away_posted", _("%(name)s gives away %(shift)s: claim it if you can take it"))
TRADE_POSTED = define("market.trade_posted", _("%(name)s offers %(shift)s in exchange for one of your shifts"))
CLAIM_WAITING = define("market.claim_waiting", _("%(name)s claims %(shift)s: it waits for your approval"))
CLAIM_APPROVED = define("market.claim_approved", _("You take %(shift)s: the roster is changed"))
SHIFT_TAKEN = define("market.shift_taken", _("%(name)s takes your shift %(shift)s: the roster is changed"))
NOT_CHOSEN = define("market.not_chosen", _("%(shift)s went to somebody else"))
OFFER_WITHDRAWN = define("market.offer_withdrawn", _("%(shift)s is no longer offered"))
NOBODY_TOOK = define(
    "market.nobody_took", _("Nobody has taken %(shift)s, which %(name)s gives away: it is still theirs")
)
