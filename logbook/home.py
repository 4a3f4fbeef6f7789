"""The home page's duty section: an agent's shift of today, with the way to sign in."""

from django.utils import timezone

from dutydesk.permissions import granted


def duty_section(profile):
    if not granted(profile.role, "logbook.duty") or profile.team_id is None:
        return None
    from logbook import queries

    assignment = queries.current_assignment(profile, now=timezone.now())
    if assignment is None:
        return None
    return "logbook/_home_duty.html", {"assignment": assignment, "team": profile.team}
