"""Who may do what with rosters. The roles come from DOMAIN.md (People and roles); allow() enforces them."""

from django.utils.translation import gettext_lazy as _

from dutydesk.audit.actions import describe, describe_field
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
    """Only the team's own duty staff confirm its roster (`team`: a Team or its id)."""
    team_id = team if isinstance(team, int) else team.pk
    return profile is not None and profile.team_id == team_id and profile.role in DUTY_STAFF


def follows_confirmations(profile) -> bool:
    """Supervisors and managers follow who has not yet confirmed a published roster and which leavers still hold
    shifts in it: on the month page and in the home page's next-month section (R-ROSTER-2)."""
    return profile is not None and profile.role in OVERSEERS


def may_see_protection(profile, team) -> bool:
    """R-LAW-4: who may know of protection periods in a team's roster: its supervisors and managers (the person
    sees their own on their page)."""
    return profile is not None and (profile.role == Role.MANAGER or supervises(profile, team))


# What the history pages call this app's recorded actions (dutydesk.audit).
describe("roster.settings", _("Changed the duty settings"))
describe("roster.shift_type", _("Saved a shift"))
describe("roster.shift_type_remove", _("Removed a shift"))
describe("roster.calendar_override", _("Corrected the team's calendar"))
describe("roster.calendar_override_remove", _("Removed a calendar correction"))
describe("roster.generate_start", _("Started a generation"))
describe("roster.generate_cancel", _("Cancelled a generation"))
describe("roster.generate", _("Generated the draft"))
describe("roster.cell", _("Changed a cell of the draft"))
describe("roster.revision_start", _("Started a revision"))
describe("roster.discard", _("Discarded the draft"))
describe("roster.publish", _("Published the roster"))
describe("roster.revision", _("Published a revision"))
describe("roster.leave", _("Roster changed by approved leave"))
describe("roster.swap", _("Roster changed by an approved swap"))
describe_field("shift", _("shift"))
describe_field("role", _("role"))
describe_field("number", _("version"))
describe_field("removed", _("taken off"))
describe_field("added", _("put on"))
describe_field("assignments", _("assignments"))
describe_field("violations", _("problems"))
describe_field("required_skills", _("required skills"))
