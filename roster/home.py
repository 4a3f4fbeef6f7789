"""Home page sections: an agent's next shifts; a supervisor's next month (status, deadline, who has not confirmed)."""

from django.utils import timezone

from dutydesk.months import month_start, next_month
from dutydesk.permissions import granted, teams_for
from roster import queries, rules
from roster.models import Roster
from roster.permissions import follows_confirmations


def next_shifts(profile):
    """Duty staff: the next three shifts with teammates, and a roster still to confirm. None when there is none."""
    if not granted(profile.role, "roster.mine"):
        return None
    today = timezone.localdate()
    shifts = queries.upcoming_with_teammates(profile, start=today, limit=3)
    unconfirmed = None
    if profile.team_id:
        from roster.models import RosterAcknowledgement

        confirmed = RosterAcknowledgement.objects.filter(profile=profile).values("version_id")
        unconfirmed = (
            Roster.objects.filter(team=profile.team_id, month__gte=month_start(today), published_version__isnull=False)
            .exclude(published_version__in=confirmed)
            .select_related("team", "published_version")
            .order_by("month")
            .first()
        )
    if not shifts and unconfirmed is None:
        return None  # the home page's empty state says what comes next
    return "roster/_home_shifts.html", {"shifts": shifts, "unconfirmed": unconfirmed}


def next_month_status(profile):
    """Supervisors: next month's roster of each team they oversee; managers: of every team (R-ROSTER-2 deadline,
    who has not confirmed). None before any roster of next month exists."""
    if not follows_confirmations(profile):
        return None
    today = timezone.localdate()
    month = next_month(today)
    team_ids = set(teams_for(profile.user).values_list("id", flat=True))
    rosters = list(
        Roster.objects.filter(team__in=team_ids, month=month)
        .select_related("team", "published_version")
        .order_by("team__name")
    )
    if not rosters:
        return None
    teams = []
    for roster in rosters:
        settings = queries.settings_for(roster.team)
        version = roster.published_version
        teams.append(
            {
                "roster": roster,
                "team": roster.team,
                "deadline": rules.publish_deadline(month, settings.publish_days_ahead),
                "has_draft": queries.draft_of(roster) is not None,
                "version": version,
                "unconfirmed": queries.unconfirmed(version) if version else [],
            }
        )
    return "roster/_home_status.html", {"month": month, "teams": teams, "today": today}
