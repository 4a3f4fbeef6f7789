"""Who may do what in the appraisal (DOMAIN.md People and roles, R-APP-1, R-APP-6)."""

from dutydesk.models import Role
from dutydesk.permissions import DUTY_STAFF, LEADERS, OVERSEERS, SUPERVISORS, grant, teams_for

# Team pages: the month's table, a person's drill-down, the Excel export. Agents see only their own (appraisal.own).
TEAM_VIEWERS = frozenset({Role.LEAD, Role.SUPERVISOR, Role.MANAGER})

grant("appraisal.view_team", TEAM_VIEWERS)
grant("appraisal.evaluate", LEADERS)  # R-APP-1: supervisors (and team leads) evaluate each duty shift
grant("appraisal.surveys", LEADERS)  # R-APP-2: import or enter satisfaction results
grant("appraisal.compute", OVERSEERS)
grant("appraisal.finalise", frozenset({Role.MANAGER}))  # R-APP-6: the manager finalises and corrects
grant("appraisal.own", DUTY_STAFF)  # R-APP-6: an agent sees their own
grant("appraisal.answer", SUPERVISORS)  # the supervisor answers a dispute
grant("appraisal.settings", SUPERVISORS)  # DOMAIN.md: the supervisor keeps the team's settings (R-APP-3, R-APP-5)


def can_see_team(user, team) -> bool:
    return teams_for(user).filter(pk=team.pk).exists()


def can_compute(profile) -> bool:
    return profile.role in (Role.SUPERVISOR, Role.MANAGER)


def can_finalise(profile) -> bool:
    return profile.role == Role.MANAGER
