"""Who may do what in the appraisal (DOMAIN.md People and roles, R-APP-1, R-APP-6)."""

from django.utils.translation import gettext_lazy as _

from dutydesk.audit.actions import describe, describe_field
from dutydesk.models import Role
from dutydesk.permissions import DUTY_STAFF, EVERYONE, LEADERS, OVERSEERS, SUPERVISORS, can, grant, teams_for

# Team pages: the month's table, a person's drill-down, the Excel export. Agents see only their own (appraisal.own).
TEAM_VIEWERS = frozenset({Role.LEAD, Role.SUPERVISOR, Role.MANAGER})

grant("appraisal.view_team", TEAM_VIEWERS)
# A person's month: the team's viewers see anyone's, an agent their own (others' answer 404, see views.person).
grant("appraisal.person", EVERYONE)
grant("appraisal.evaluate", LEADERS)  # R-APP-1: supervisors (and team leads) evaluate each duty shift
# R-APP-2, R-APP-6: leads, supervisors and managers (who see every team's results) import or enter survey results.
grant("appraisal.surveys", LEADERS | {Role.MANAGER})
grant("appraisal.compute", OVERSEERS)
grant("appraisal.finalise", frozenset({Role.MANAGER}))  # R-APP-6: the manager finalises and corrects
grant("appraisal.own", DUTY_STAFF)  # R-APP-6: an agent sees their own
grant("appraisal.answer", SUPERVISORS)  # the supervisor answers a dispute
grant("appraisal.settings", SUPERVISORS)  # DOMAIN.md: the supervisor keeps the team's settings (R-APP-3, R-APP-5)
# R-APP-6: the manager finalises the bands, so sees the weights and thresholds behind them (read only).
grant("appraisal.settings_view", OVERSEERS)


def can_see_score_of(user, profile) -> bool:
    """R-APP-6: the team's leads, supervisors and managers see anyone's month; an agent only their own."""
    return profile.user_id == user.pk or can(user, "appraisal.view_team", profile.team)


def can_see_team(user, team) -> bool:
    return teams_for(user).filter(pk=team.pk).exists()


def can_compute(profile) -> bool:
    return profile.role in (Role.SUPERVISOR, Role.MANAGER)


def can_finalise(profile) -> bool:
    return profile.role == Role.MANAGER


# What the history pages call this app's recorded actions (dutydesk.audit).
describe("appraisal.settings", _("Changed the appraisal settings"))
describe("appraisal.evaluation", _("Evaluated a duty shift"))
describe("appraisal.compute", _("Computed the monthly scores"))
describe("appraisal.finalise", _("Finalised the monthly appraisal"))
describe("appraisal.response", _("Answered the monthly appraisal"))
describe("appraisal.answer", _("Answered a dispute of the appraisal"))
describe("appraisal.export", _("Exported the appraisal"))
describe_field("version", _("version"))
describe_field("excellent_names", _("excellent agents"))
describe_field("answer", _("answer"))
