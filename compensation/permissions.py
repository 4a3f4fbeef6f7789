"""Who may do what with duty hours and compensation (DOMAIN.md People and roles; issue #16)."""

from django.utils.translation import gettext_lazy as _

from dutydesk.audit.actions import describe, describe_field
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

# What the history pages call this app's recorded actions (dutydesk.audit).
describe("compensation.policy", _("Changed the duty-hours policy"))
describe("compensation.exception", _("Set a personal exception"))
describe("compensation.exception_remove", _("Removed a personal exception"))
describe("compensation.compute", _("Computed the duty statement"))
describe("compensation.finalise", _("Finalised the duty statement"))
describe("compensation.response", _("Answered the duty statement"))
describe("compensation.resolve", _("Resolved a dispute of duty hours"))
describe("compensation.reward", _("Granted comp time as a reward"))
describe("compensation.export", _("Exported the payroll"))
describe_field("resolution", _("resolution"))
describe_field("hours", _("hours"))
