"""The home page's section about leave and swaps: what waits for this person (leave.apps registers it)."""

from django.utils import timezone

from dutydesk.models import Role
from dutydesk.permissions import DUTY_STAFF
from leave import coverage, queries


def home_section(profile):
    """What waits for this person about requests; None when nothing does."""
    data = {}
    if profile.role in DUTY_STAFF:
        data["to_answer"] = queries.swaps_to_answer(profile)
        data["calls"] = queries.my_open_calls(profile)
    if profile.role in (Role.LEAD, Role.SUPERVISOR):
        team = profile.team or profile.oversees.order_by("name").first()
        if team is not None:
            data["team"] = team
            data["waiting"] = queries.waiting_count(team, role=profile.role)
            data["overdue"] = [c for c in queries.open_calls(team) if c.overdue]
            if profile.role == Role.SUPERVISOR:
                data["under_covered"] = coverage.under_covered(team, today=timezone.localdate())
    if not any(data.get(k) for k in ("to_answer", "calls", "waiting", "overdue", "under_covered")):
        return None
    return "leave/_home.html", data
