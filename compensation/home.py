"""Compensation's part of the home page: a duty person's comp-time balance and a month waiting for their
confirmation; a lead's or supervisor's disputes waiting for resolution."""

from compensation.models import StatementLine, StatementResponse, StatementStatus
from compensation.queries import balance_of
from dutydesk.models import Role


def home_section(profile):
    if profile.role in (Role.AGENT, Role.LEAD):
        waiting = (
            StatementLine.objects.filter(
                profile=profile,
                statement__is_current=True,
                statement__status=StatementStatus.OPEN,
                response__isnull=True,
                shifts__gt=0,
            )
            .select_related("statement")
            .order_by("-statement__month")
            .first()
        )
        disputes = _disputes(profile) if profile.role == Role.LEAD else []
        balance = balance_of(profile)
        if not (balance or waiting or disputes):
            return None  # nothing earned, nothing to answer: the page's own empty state says what comes next
        return "compensation/_home.html", {"balance": balance, "waiting": waiting, "disputes": disputes}
    if profile.role == Role.SUPERVISOR:
        disputes = _disputes(profile)
        return ("compensation/_home.html", {"disputes": disputes}) if disputes else None
    return None


def _disputes(profile) -> list:
    teams = (
        [profile.team_id]
        if profile.role == Role.LEAD
        else list(
            set(profile.oversees.values_list("id", flat=True)) | ({profile.team_id} if profile.team_id else set())
        )
    )
    return list(
        StatementResponse.objects.filter(
            kind="disputed",
            resolved_at__isnull=True,
            line__statement__team_id__in=teams,
            line__statement__is_current=True,
        )
        .exclude(line__profile=profile)
        .select_related("line__profile", "line__statement__team")[:10]
    )
