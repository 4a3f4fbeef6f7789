"""Who may do what with the company holiday calendar (R-CAL-1): supervisors read it (their rosters follow it),
managers keep it (enter, edit, import the State Council's notice)."""

from dutydesk.models import Role
from dutydesk.permissions import OVERSEERS, grant

grant("workcalendar.view", OVERSEERS)
grant("workcalendar.edit", frozenset({Role.MANAGER}))


def can_edit_calendar(profile) -> bool:
    return profile is not None and profile.role == Role.MANAGER
