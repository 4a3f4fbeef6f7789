"""Who may do what with rosters. The roles come from DOMAIN.md (People and roles); allow() enforces them."""

from dutydesk.models import Role
from dutydesk.permissions import DUTY_STAFF, EVERYONE, OVERSEERS, SUPERVISORS, grant, supervises

# Everyone sees the published roster of a team they may open (managers: every team).
grant("roster.view", EVERYONE)
# Supervisors build, generate, edit, publish and revise rosters, and keep the team's duty settings.
grant("roster.edit", SUPERVISORS)
# The fairness report (R-ROSTER-4 over months): supervisors for their teams, managers for every team.
grant("roster.fairness", OVERSEERS)
# Duty staff (agents and team leads) see their own shifts, declare availability and confirm a roster.
grant("roster.mine", DUTY_STAFF)


def can_edit_roster(profile, team) -> bool:
    """A supervisor of the team: their own or one they oversee."""
    return supervises(profile, team)


def can_confirm(profile, team) -> bool:
    """Only the team's own duty staff confirm its roster."""
    return profile is not None and profile.team_id == team.id and profile.role in DUTY_STAFF


def may_see_protection(profile, team) -> bool:
    """R-LAW-4: who may know of protection periods in a team's roster: its supervisors and managers (the person
    sees their own on their page)."""
    return profile is not None and (profile.role == Role.MANAGER or supervises(profile, team))
