"""Who may do what with the company holiday calendar (R-CAL-1): supervisors read it (their rosters follow it),
managers keep it (enter, edit, import the State Council's notice)."""

from django.utils.translation import gettext_lazy as _

from dutydesk.audit.actions import describe, describe_field
from dutydesk.models import Role
from dutydesk.permissions import OVERSEERS, grant

grant("workcalendar.view", OVERSEERS)
grant("workcalendar.edit", frozenset({Role.MANAGER}))

# The audit trail's names of the calendar's changes (workcalendar.services._record).
describe("workcalendar.seed", _("Holiday calendar taken from the holidays package"))
describe("workcalendar.import", _("Imported the State Council's holiday notice"))
describe("workcalendar.edit", _("Changed a day of the holiday calendar"))
describe("workcalendar.official", _("Marked the holiday calendar official"))
describe_field("days", _("days"))


def can_edit_calendar(profile) -> bool:
    return profile is not None and profile.role == Role.MANAGER
