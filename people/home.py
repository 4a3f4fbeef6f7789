"""People's part of the home page."""

from django.utils import timezone

from dutydesk.permissions import granted
from people import queries


def home_section(profile):
    """Training ahead for the person; new hires ready for their check for leads and supervisors; for supervisors,
    leavers' shifts that still need a revision."""
    data = {}
    if granted(profile.role, "people.own"):
        data["upcoming"] = queries.my_invitations(profile)[:3]
    if granted(profile.role, "people.qualify") and profile.team_id:
        data["ready"] = [h for h in queries.new_hires(profile.team, now=timezone.now()) if h.ready]
        data["team"] = profile.team
    if granted(profile.role, "roster.edit"):  # who revises the roster for a leaver
        data["flagged"] = queries.leavers_shifts_ahead(profile, today=timezone.localdate())
    if not any(data.get(key) for key in ("upcoming", "ready", "flagged")):
        return None
    return "people/_home.html", data
