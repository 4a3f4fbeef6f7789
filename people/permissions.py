"""Who may do what with people, skills, qualification checks, training and the support directory
(DOMAIN.md People and roles; R-ROSTER-6, R-TRAIN-1, R-TRAIN-2, R-APP-5)."""

from django.utils.translation import gettext_lazy as _

from dutydesk.audit.actions import describe, describe_field
from dutydesk.models import Role
from dutydesk.permissions import DUTY_STAFF, EVERYONE, LEADERS, OVERSEERS, SUPERVISORS, grant, teams_for

TEAM_VIEWERS = frozenset({Role.LEAD, Role.SUPERVISOR, Role.MANAGER})
MANAGERS = frozenset({Role.MANAGER})

# The team's people: supervisors for their teams, managers for all (add, edit, move, leavers, import, export,
# activation links, the skills matrix).
grant("people.manage", OVERSEERS)
# R-LAW-4: a person's protection periods, recorded and seen by their supervisors and managers (HR's role) only.
grant("people.protect", OVERSEERS)
# The company's skills and their display names.
grant("people.skills", OVERSEERS)
# R-ROSTER-6: leads (and supervisors) follow the new hires and record the qualification check; the manager reads.
grant("people.new_hires", TEAM_VIEWERS)
grant("people.qualify", LEADERS)
# A supervisor may let a pass count in the roster draft already made.
grant("people.count_in_draft", SUPERVISORS)
# R-TRAIN-1: the team's sessions and attendance; supervisors and the manager plan them.
grant("people.training", TEAM_VIEWERS)
grant("people.training_plan", OVERSEERS)
# R-APP-6 / R-TRAIN-1: the manager's view of every team's training; R-APP-5: the manager decides rewards.
grant("people.training_overview", MANAGERS)
grant("people.reward", MANAGERS)
# Each person's own training history and invitations.
grant("people.own", DUTY_STAFF)
# R-TRAIN-2: everyone of a team reads its support directory; the supervisor keeps it.
grant("people.support", EVERYONE)
grant("people.support_edit", SUPERVISORS)


def manageable_teams(user):
    """Teams whose people this user may change: the teams they may open (allow() already limits roles)."""
    return teams_for(user)


def is_duty_member(profile) -> bool:
    """An agent or team lead: the people pages change their role, move them and mark them as leaving (supervisors
    and managers are kept in the admin)."""
    return profile is not None and profile.role in DUTY_STAFF


def may_examine(profile, team_id) -> bool:
    """R-ROSTER-6: a team lead or supervisor of the team (its own or one they oversee) examines a new hire and
    records the qualification check."""
    if profile is None or profile.role not in LEADERS:
        return False
    return profile.team_id == team_id or profile.oversees.filter(pk=team_id).exists()


def may_plan_training(profile) -> bool:
    """R-TRAIN-1: supervisors and the manager plan, change and cancel the team's sessions."""
    return profile is not None and profile.role in OVERSEERS


def may_record_attendance(profile) -> bool:
    """R-TRAIN-1: the team's leads, supervisors and the manager mark who attended."""
    return profile is not None and profile.role in TEAM_VIEWERS


def may_manage_people(profile) -> bool:
    return profile is not None and profile.role in OVERSEERS


def may_count_in_draft(profile) -> bool:
    """R-ROSTER-6: a supervisor lets a pass count in the roster draft already made."""
    return profile is not None and profile.role in SUPERVISORS


def may_edit_support(profile) -> bool:
    """R-TRAIN-2: the supervisor keeps the team's support directory."""
    return profile is not None and profile.role in SUPERVISORS


def may_grant_reward(profile) -> bool:
    """R-APP-5: the manager decides rewards."""
    return profile is not None and profile.role in MANAGERS


# What the history pages call this app's recorded actions (dutydesk.audit).
describe("people.added", _("Added a person"))
describe("people.imported", _("Imported a person"))
describe("people.import", _("Imported a file of people"))
describe_field("marked_qualified", _("marked as working alone"))
describe_field("people_added", _("people added"))
describe_field("people_changed", _("people changed"))
describe("people.changed", _("Changed a person"))
describe("people.moved", _("Moved a person to another team"))
describe("people.left", _("Marked a person as left"))
describe("people.returned", _("Withdrew a leaving"))
describe("people.skills", _("Changed a person's skills"))
describe("people.activation", _("Made an activation link"))
describe("people.qualification", _("Recorded a qualification check"))
describe("people.skill_add", _("Added a skill"))
describe("people.skill_rename", _("Renamed a skill"))
describe("people.skill_remove", _("Removed a skill"))
describe("people.training_change", _("Changed a training session"))
describe("people.training_cancel", _("Cancelled a training session"))
describe("people.support", _("Saved a support contact"))
describe("people.support_remove", _("Removed a support contact"))
describe("people.protection", _("Recorded a protection period"))
describe("people.protection_remove", _("Removed a protection period"))
describe("people.export", _("Exported the team members"))
describe_field("note", _("note"))
describe_field("email", _("email"))
describe_field("skills", _("skills"))
