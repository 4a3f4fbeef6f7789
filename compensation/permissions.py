"""Who may do what with duty hours and compensation (DOMAIN.md People and roles; issue #16)."""

from dutydesk.models import Role
from dutydesk.permissions import DUTY_STAFF, LEADERS, OVERSEERS, SUPERVISORS, grant

TEAM_VIEWERS = frozenset({Role.LEAD, Role.SUPERVISOR, Role.MANAGER})

grant("compensation.own", DUTY_STAFF)  # an agent sees their own comp time and statements, confirms or disputes
grant("compensation.view_team", TEAM_VIEWERS)  # the team's month, a person's hours and ledger
grant("compensation.resolve", LEADERS)  # the team lead resolves a disputed statement
grant("compensation.compute", SUPERVISORS)
grant("compensation.finalise", SUPERVISORS)  # the supervisor finalises (and corrects) the month
grant("compensation.policy", SUPERVISORS)  # the team's policy and per-person exceptions
grant("compensation.export", OVERSEERS)  # the payroll workbook for HR
grant("compensation.company", frozenset({Role.MANAGER}))  # managers see all teams at once
grant("compensation.reward", frozenset({Role.MANAGER}))  # R-APP-5: managers decide rewards
