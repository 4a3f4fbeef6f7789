"""The training reward on the manager's appraisal month (R-APP-5): beside each extra-reward flag, the control that
grants the person a training opportunity, or the note that it was granted. Registered with appraisal.table from
PeopleConfig.ready(); one query per page, whatever the number of rows."""

from django.template.loader import render_to_string

from dutydesk.permissions import can
from people.models import TrainingReward


def reward_controls(request, team, month, scores) -> dict[int, str]:
    if team is None or not can(request.user, "people.reward"):
        return {}
    rewarded = set(TrainingReward.objects.filter(team=team, month=month).values_list("profile_id", flat=True))
    return {
        score.profile_id: render_to_string(
            "people/_reward.html",
            {
                "score": score,
                "rewarded": rewarded,
                "team": team,
                "month": month,
            },
            request=request,
        )
        for score in scores
    }
