"""The appraisal's part of the home page: a month waiting for the person's answer, disputes waiting for a
supervisor's, every team's latest month for a manager."""

from appraisal.models import AgentScore, AppraisalStatus, MonthlyAppraisal, ResponseKind, ScoreResponse, ScoreStatus
from appraisal.permissions import can_finalise
from dutydesk.permissions import granted, teams_for


def home_section(profile):
    if granted(profile.role, "appraisal.own"):  # the person's own month
        waiting = (
            AgentScore.objects.filter(
                profile=profile,
                appraisal__is_current=True,
                appraisal__status=AppraisalStatus.OPEN,
                response__isnull=True,
            )
            .exclude(status=ScoreStatus.NO_DUTY)
            .select_related("appraisal")
            .order_by("-appraisal__month")
            .first()
        )
        if waiting is None:
            return None
        return "appraisal/_home.html", {"waiting": waiting}
    if granted(profile.role, "appraisal.answer"):  # disputes to answer
        disputes = list(
            ScoreResponse.objects.filter(
                kind=ResponseKind.DISPUTED,
                answered_at__isnull=True,
                score__appraisal__team__in=teams_for(profile.user),
                score__appraisal__is_current=True,
            ).select_related("score__profile", "score__appraisal__team")[:10]
        )
        if not disputes:
            return None
        return "appraisal/_home.html", {"disputes": disputes}
    if can_finalise(profile):
        # R-APP-6: every team's latest month, with what waits for the manager (finalising) and who excelled.
        latest = {}
        for appraisal in (
            MonthlyAppraisal.objects.filter(is_current=True).select_related("team").order_by("team__name", "-month")
        ):
            latest.setdefault(appraisal.team_id, appraisal)
        if not latest:
            return None
        return "appraisal/_home.html", {"latest": list(latest.values())}
    return None
