"""Who may do what in the shift marketplace: the actions (roles) and the object predicates. The services call the
predicates too, so a forged form or a second tab never gets past them."""

from django.utils.translation import gettext_lazy as _

from dutydesk.audit.actions import describe
from dutydesk.models import Role
from dutydesk.permissions import DUTY_STAFF, EVERYONE, LEADERS, SUPERVISORS, grant, supervises

grant("market.view", EVERYONE)  # the board of a team (managers read every team)
grant("market.post", SUPERVISORS)  # post an open shift (issue 24 item 1)
grant("market.offer", DUTY_STAFF)  # give away or trade one's own shift, claim, withdraw one's own
grant("market.decide", LEADERS)  # approve a claim, record a trade (R-SWAP-2), withdraw an open shift
grant("market.settings", SUPERVISORS)

describe("market.post", _("Posted an open shift"))
describe("market.offer", _("Offered a shift in the marketplace"))
describe("market.claim", _("Claimed a shift in the marketplace"))
describe("market.approve", _("Approved a claim in the marketplace"))
describe("market.withdraw", _("Withdrew from the marketplace"))
describe("market.settings", _("Changed the marketplace settings"))
describe("market.lead_told", _("Told the team leads of a shift nobody took"))


def is_lead_of(profile, team_id: int) -> bool:
    return profile is not None and profile.role == Role.LEAD and profile.team_id == team_id


def can_post(profile, team_id: int) -> bool:
    """Issue 24 item 1: a supervisor of the team posts open shifts."""
    return supervises(profile, team_id)


def is_duty_member(profile, team_id: int) -> bool:
    """An agent or lead of the team: who gives away, trades and claims its shifts."""
    return profile is not None and profile.role in DUTY_STAFF and profile.team_id == team_id


def can_decide(profile, offer, claim=None) -> bool:
    """Who approves a claim: for an open shift or a give-away a team lead or supervisor of the team; a trade is
    recorded by a team lead (R-SWAP-2). Never one of the people whose shifts move."""
    if profile is None:
        return False
    if claim is not None and profile.pk in (claim.profile_id, offer.giver_id):
        return False
    if offer.kind == "trade":
        return is_lead_of(profile, offer.team_id)
    return is_lead_of(profile, offer.team_id) or supervises(profile, offer.team_id)


def can_withdraw_offer(profile, offer) -> bool:
    """The giver withdraws their give-away or trade; an open shift its team's supervisors (or the poster)."""
    if profile is None:
        return False
    if offer.giver_id is not None:
        return profile.pk == offer.giver_id
    return profile.pk == offer.posted_by_id or supervises(profile, offer.team_id)


def can_withdraw_claim(profile, claim) -> bool:
    return profile is not None and profile.pk == claim.profile_id


def can_change_settings(profile, team_id: int) -> bool:
    return supervises(profile, team_id)
