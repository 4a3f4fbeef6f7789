"""Compensation's part of the home page: a duty person's comp-time balance and a month waiting for their
confirmation; a lead's or supervisor's disputes waiting for resolution."""

from compensation.models import StatementLine, StatementResponse, StatementStatus
from compensation.permissions import may_resolve_dispute
from compensation.queries import balance_of
from dutydesk.permissions import granted, teams_for


def home_section(profile):
    if granted(profile.role, "compensation.own"):  # the person's balance and statements
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
        disputes = _disputes(profile) if granted(profile.role, "compensation.resolve") else []
        balance = balance_of(profile)
        if not (balance or waiting or disputes):
            return None  # nothing earned, nothing to answer: the page's own empty state says what comes next
        return "compensation/_home.html", {"balance": balance, "waiting": waiting, "disputes": disputes}
    if granted(profile.role, "compensation.resolve"):  # a supervisor: disputes only
        disputes = _disputes(profile)
        return ("compensation/_home.html", {"disputes": disputes}) if disputes else None
    return None


def _disputes(profile) -> list:
    """The open disputes of the teams the profile may open (a lead's own, a supervisor's own and overseen) that
    compensation.permissions lets them resolve."""
    waiting = (
        StatementResponse.objects.filter(
            kind="disputed",
            resolved_at__isnull=True,
            line__statement__team__in=teams_for(profile.user),
            line__statement__is_current=True,
        )
        .exclude(line__profile=profile)
        .select_related("line__profile", "line__statement__team")[:10]
    )
    return [response for response in waiting if may_resolve_dispute(profile, response.line)]
