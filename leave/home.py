"""The home page's section about leave and swaps: what waits for this person (leave.apps registers it)."""

from django.utils import timezone

from dutydesk.permissions import granted
from leave import coverage, queries
from leave import permissions as perms


def home_section(profile):
    """What waits for this person about requests; None when nothing does."""
    data = {}
    if granted(profile.role, "leave.mine"):
        data["to_answer"] = queries.swaps_to_answer(profile)
        data["calls"] = queries.my_open_calls(profile)
    if granted(profile.role, "leave.review"):
        team = profile.team or profile.oversees.order_by("name").first()
        if team is not None:
            data["team"] = team
            data["waiting"] = queries.waiting_count(team, as_lead=perms.acts_as_lead(profile))
            data["overdue"] = [c for c in queries.open_calls(team) if c.overdue]
            if perms.acts_as_supervisor(profile):
                data["under_covered"] = coverage.under_covered(team, today=timezone.localdate())
    if not any(data.get(k) for k in ("to_answer", "calls", "waiting", "overdue", "under_covered")):
        return None
    return "leave/_home.html", data
