"""Who may see and change the demand forecast (issue 26): supervisors keep their teams' headcounts (R-ROSTER-1),
managers read every team's."""

from dutydesk.permissions import OVERSEERS, SUPERVISORS, grant, supervises

grant("forecast.view", OVERSEERS)
# Import volume, set the service target, apply a suggested headcount to next month's shifts.
grant("forecast.edit", SUPERVISORS)


def can_edit(profile, team) -> bool:
    """A supervisor of the team (their own or one they oversee) changes its forecast inputs and headcounts."""
    return supervises(profile, team)
