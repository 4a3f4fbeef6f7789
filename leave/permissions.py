"""Who may do what with leave and swap requests: the actions (roles) and the object predicates.

The services call the predicates too, so a forged form or a second tab never gets past them.
"""

from django.utils.translation import gettext_lazy as _

from dutydesk.audit.actions import describe
from dutydesk.models import Role
from dutydesk.permissions import DUTY_STAFF, EVERYONE, LEADERS, SUPERVISORS, grant, supervises

grant("leave.mine", DUTY_STAFF)  # file, follow and withdraw own requests; answer swaps
grant("leave.view", EVERYONE)  # a request's page and history (object predicate: can_view)
grant("leave.review", LEADERS)  # the team's queue and decisions (R-LEAVE-2)
grant("leave.emergency", LEADERS)
# What the history pages call a request's moves (dutydesk.audit).
describe("leave.state", _("Leave request"))
describe("swap.state", _("Swap request"))  # record a phone report (R-LEAVE-3); predicate below
grant("leave.record", LEADERS)  # record or reject a signed swap (R-SWAP-2); predicate: leads only


def acts_as_lead(profile) -> bool:
    """R-LEAVE-2, R-SWAP-2: a team lead decides leave at the first step and records swaps."""
    return profile is not None and profile.role == Role.LEAD


def acts_as_supervisor(profile) -> bool:
    """R-LEAVE-2: a supervisor decides leave at the final step (with the substitutes) and sees the team's gaps."""
    return profile is not None and profile.role in SUPERVISORS


def deciding_step(profile):
    """R-LEAVE-2: the step at which `profile` decides leave, and the predicate that lets them decide a request
    there: a team lead the first step, anyone else the final one (where only a supervisor of the team may)."""
    from leave.models import LeaveState

    if acts_as_lead(profile):
        return LeaveState.AWAITING_LEAD, can_decide_leave_as_lead
    return LeaveState.AWAITING_SUPERVISOR, can_decide_leave_as_supervisor


def is_lead_of(profile, team_id: int) -> bool:
    return acts_as_lead(profile) and profile.team_id == team_id


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


def visible_requests(profile, team_id: int):
    """`can_view` as a filter on a team's leave or swap requests (the public API lists them): the duty staff see
    their own (and, for swaps, those naming them), a team lead the team's, its supervisors and the managers all."""
    from django.db.models import Q

    if profile.role == Role.MANAGER or supervises(profile, team_id) or is_lead_of(profile, team_id):
        return Q(team_id=team_id)
    return Q(team_id=team_id) & Q(profile=profile)


def visible_swaps(profile, team_id: int):
    from django.db.models import Q

    own = visible_requests(profile, team_id)
    if profile.role in (Role.AGENT, Role.LEAD) and not is_lead_of(profile, team_id):
        return own | (Q(team_id=team_id) & Q(colleague=profile))
    return own
