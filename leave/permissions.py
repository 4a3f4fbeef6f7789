"""Who may do what with leave and swap requests: the actions (roles) and the object predicates.

The services call the predicates too, so a forged form or a second tab never gets past them.
"""

from django.utils.translation import gettext_lazy as _

from dutydesk.audit.actions import describe
from dutydesk.models import Role
from dutydesk.permissions import DUTY_STAFF, EVERYONE, LEADERS, grant, supervises

grant("leave.mine", DUTY_STAFF)  # file, follow and withdraw own requests; answer swaps
grant("leave.view", EVERYONE)  # a request's page and history (object predicate: can_view)
grant("leave.review", LEADERS)  # the team's queue and decisions (R-LEAVE-2)
grant("leave.emergency", LEADERS)
# What the history pages call a request's moves (dutydesk.audit).
describe("leave.state", _("Leave request"))
describe("swap.state", _("Swap request"))  # record a phone report (R-LEAVE-3); predicate below
grant("leave.record", LEADERS)  # record or reject a signed swap (R-SWAP-2); predicate: leads only


def is_lead_of(profile, team_id: int) -> bool:
    return profile.role == Role.LEAD and profile.team_id == team_id


def is_supervisor_of(profile, team_id: int) -> bool:
    return supervises(profile, team_id)


def can_decide_leave_as_lead(profile, leave) -> bool:
    """R-LEAVE-2 first level: a team lead of the request's team, never for their own request."""
    return is_lead_of(profile, leave.team_id) and profile.pk != leave.profile_id


def can_decide_leave_as_supervisor(profile, leave) -> bool:
    """R-LEAVE-2 final level: a supervisor who oversees the team, never for their own request."""
    return is_supervisor_of(profile, leave.team_id) and profile.pk != leave.profile_id


def can_record_swap(profile, swap) -> bool:
    """R-SWAP-2: a team lead of the team records; not one of the two people swapping."""
    return is_lead_of(profile, swap.team_id) and profile.pk not in (swap.profile_id, swap.colleague_id)


def can_record_emergency_call(profile, team_id: int, agent_id: int) -> bool:
    """R-LEAVE-3 names the team lead; the supervisor above them may stand in."""
    return (is_lead_of(profile, team_id) or is_supervisor_of(profile, team_id)) and profile.pk != agent_id


def can_view(profile, req) -> bool:
    """The people of a leave or swap request `req`, the team's leads, and the supervisors and managers who oversee
    the team."""
    people = {req.profile_id, getattr(req, "colleague_id", None)}
    if profile.pk in people:
        return True
    if profile.role == Role.LEAD:
        return profile.team_id == req.team_id
    if profile.role == Role.MANAGER:
        return True  # managers read every team (DOMAIN.md)
    if profile.role == Role.SUPERVISOR:
        return supervises(profile, req.team_id)
    return False
